package command

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/syncscope/syncscope/core/store"
)

func TestListReadyArgs(t *testing.T) {
	list, zset, str := store.NewList(-2), store.NewZSet(), store.NewString([]byte("v"))
	stream := store.NewStream()
	stream.Append(store.StreamID{Ms: 7}, [][]byte{[]byte("f"), []byte("v")}, 4096, 100)
	stream.CreateGroup([]byte("g"), store.StreamID{Ms: 5}, 0)
	stream.CreateGroup([]byte("done"), store.StreamID{Ms: 7}, 1)
	for _, tc := range []struct {
		argv string
		key  string
		v    store.Value
		want string // "" = stays blocked
	}{
		{"BLPOP a b c 5", "b", list, "BLPOP b 5"},
		{"brpop a 0", "a", list, "brpop a 0"},
		{"BLPOP a b 5", "b", str, ""},
		{"BLPOP a b 5", "b", zset, ""},
		{"BLPOP a b 5", "b", nil, ""},
		{"BLMPOP 0 3 a b c LEFT COUNT 2", "c", list, "BLMPOP 0 1 c LEFT COUNT 2"},
		{"BLMPOP 1.5 2 a b RIGHT", "a", list, "BLMPOP 1.5 1 a RIGHT"},
		{"BLMOVE s d RIGHT Left 0", "s", list, "BLMOVE s d right left 0"},
		{"BLMOVE s d RIGHT Left 0", "s", zset, ""},
		{"BRPOPLPUSH s d 0", "s", list, "BRPOPLPUSH s d 0"},
		{"BZPOPMIN a b 0", "b", zset, "BZPOPMIN b 0"},
		{"BZPOPMAX a 0", "a", list, ""},
		{"BZMPOP 0 2 a b MIN COUNT 3", "b", zset, "BZMPOP 0 1 b MIN COUNT 3"},
		{"BZMPOP 0 2 a b MIN", "a", list, ""},
		// Blocked stream reads, in the form XREAD blocks with.
		{"XREAD COUNT 1000 STREAMS s t 5-0 8-0", "s", stream, "XREAD COUNT 1000 STREAMS s 5-0"},
		{"XREAD COUNT 1000 STREAMS s t 5-0 8-0", "t", stream, ""},
		{"XREAD COUNT 1000 STREAMS s 5-0", "s", str, ""},
		{"XREAD COUNT 1000 STREAMS s 5-0", "s", nil, ""},
		{"XREADGROUP GROUP g c COUNT 5 STREAMS s >", "s", stream, "XREADGROUP GROUP g c COUNT 5 STREAMS s >"},
		{"XREADGROUP GROUP done c COUNT 5 STREAMS s >", "s", stream, ""},
		{"XREADGROUP GROUP gone c COUNT 5 STREAMS s >", "s", stream, "XREADGROUP GROUP gone c COUNT 5 STREAMS s >"},
		{"XREADGROUP GROUP g c COUNT 5 NOACK STREAMS s >", "s", nil, "XREADGROUP GROUP g c COUNT 5 NOACK STREAMS s >"},
	} {
		var argv [][]byte
		for _, a := range strings.Fields(tc.argv) {
			argv = append(argv, []byte(a))
		}
		run, ok := ReadyArgs(argv, []byte(tc.key), tc.v)
		if tc.want == "" {
			assert.False(t, ok, tc.argv)
			continue
		}
		assert.True(t, ok, tc.argv)
		var parts []string
		for _, a := range run {
			parts = append(parts, string(a))
		}
		assert.Equal(t, tc.want, strings.Join(parts, " "), tc.argv)
	}
}

package command

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/syncscope/syncscope/core/store"
)

func TestListReadyArgs(t *testing.T) {
	list, zset, str := store.NewList(-2), store.NewZSet(), store.NewString([]byte("v"))
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
		{"XREAD BLOCK 0 STREAMS s $", "s", str, "XREAD BLOCK 0 STREAMS s $"},
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

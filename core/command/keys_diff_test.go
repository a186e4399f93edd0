//go:build !js

package command

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/syncscope/syncscope/core/resp"
)

// keysCases are commands whose keys are found in every way Redis 7.0.15
// has: fixed ranges, numkeys counts (good, bad, huge, negative), keyword
// searches forwards and backwards, variable flags (SET, BITFIELD), the
// getkeys_procs (SORT, MIGRATE, XREAD, GEORADIUS) and the errors.
var keysCases = [][]string{
	{"get", "a"}, {"get", "a", "b"}, {"set", "k", "v"}, {"set", "k", "v", "GET"}, {"set", "k", "v", "EX", "1", "gEt"},
	{"set", "k", "v", "GETX"}, {"set", "k", "v", "get\x00x"}, {"mset", "a", "1", "b", "2"}, {"mset", "a", "1", "b"},
	{"del", "a", "b", "c"}, {"rename", "a", "b"}, {"lmove", "a", "b", "LEFT", "RIGHT"}, {"zrangestore", "d", "s", "0", "1"},
	{"zunionstore", "d", "2", "a", "b"}, {"zunionstore", "d", "5", "a", "b"}, {"zunionstore", "d", "x", "a"},
	{"zunionstore", "d", "2x", "a", "b"}, {"zunionstore", "d", " 2", "a", "b"}, {"zunionstore", "d", "-1", "a", "b"},
	{"zunionstore", "d", "4294967297", "a", "b"}, {"zunionstore", "d", "9223372036854775807", "a"},
	{"zunionstore", "d", "99999999999999999999", "a"}, {"zinterstore", "d", "1", "a", "WEIGHTS", "1"},
	{"zdiffstore", "d", "2", "a", "b"}, {"zunion", "0", "a"}, {"zunion", "-1", "a"}, {"zunion", "2", "a", "b", "WITHSCORES"},
	{"zinter", "1x", "a"}, {"zdiff", "2", "a", "b"}, {"zintercard", "2", "a", "b", "LIMIT", "1"},
	{"sintercard", "2", "a", "b", "LIMIT", "1"}, {"sintercard", "+1", "a"}, {"sintercard", "3", "a", "b"},
	{"lmpop", "2", "a", "b", "LEFT"}, {"lmpop", "1x", "a", "LEFT"}, {"blmpop", "0", "1", "a", "LEFT"}, {"blmpop", "0", "x", "a", "LEFT"},
	{"zmpop", "1", "a", "MIN"}, {"bzmpop", "0", "2", "a", "b", "MAX"},
	{"eval", "return 1", "2", "a", "b", "x"}, {"eval", "return 1", "0"}, {"eval", "return 1", "2a", "a", "b"},
	{"eval", "return 1", "3", "a", "b"}, {"evalsha_ro", "x", "2x", "a", "b"}, {"eval_ro", "s", "1", "k"},
	{"fcall", "f", "1", "k"}, {"fcall_ro", "f", "-3", "k"},
	{"bitfield", "k", "GET", "u8", "0"}, {"bitfield", "k", "GET", "u8", "0", "SET", "u8", "0", "1"},
	{"bitfield", "k", "OVERFLOW", "SAT", "GET", "u8", "0"}, {"bitfield", "k", "GET", "u8"}, {"bitfield", "k"},
	{"bitfield_ro", "k", "GET", "u8", "0"}, {"bitcount", "k"}, {"bitop", "and", "d", "a", "b"},
	{"sort", "k", "STORE", "d"}, {"sort", "k", "LIMIT", "0", "1", "GET", "#"}, {"sort", "k", "store", "a", "store", "b"},
	{"sort", "k", "limit", "store", "x", "get", "store"}, {"sort", "k", "BY", "w_*", "STORE"}, {"sort_ro", "k", "BY", "x"},
	{"xread", "COUNT", "1", "STREAMS", "a", "b", "0", "0"}, {"xread", "STREAMS", "a", "0", "1"}, {"xread", "STREAMS", "a", "b", "0"},
	{"xread", "COUNT", "STREAMS", "x"}, {"xread", "BLOCK", "0", "STREAMS", "streams", "0"},
	{"xreadgroup", "GROUP", "g", "c", "STREAMS", "a", ">"}, {"xreadgroup", "GROUP", "g", "c", "NOACK", "STREAMS", "a", "b", ">", ">"},
	{"xadd", "s", "*", "f", "v"}, {"pfcount", "a", "b"}, {"pfmerge", "d", "a"},
	{"georadius", "k", "1", "2", "3", "km", "store", "a", "store", "c", "storedist", "b"}, {"georadius", "k", "1", "2", "3", "store", "a"},
	{"georadiusbymember", "k", "m", "3", "km", "STORE", "a"}, {"georadius_ro", "k", "1", "2", "3", "km"},
	{"geosearchstore", "d", "s", "FROMLONLAT", "0", "0", "BYRADIUS", "1", "m"},
	{"object", "encoding", "k"}, {"object", "help"}, {"object", "nosuch", "k"}, {"memory", "usage", "k"},
	{"client", "list"}, {"watch", "a", "b"}, {"acl", "whoami"}, {"function", "list"}, {"ping"}, {"nosuch", "a"},
	{"xgroup", "create", "s", "g", "$"}, {"xinfo", "stream", "s"}, {"expire", "k", "1"}, {"copy", "a", "b", "DB", "1"},
	{"getex", "k", "PERSIST"}, {"getdel", "k"}, {"blpop", "a", "b", "0"}, {"brpoplpush", "a", "b", "0"}, {"smove", "a", "b", "m"},
	{"touch", "a"}, {"unlink", "a", "b"}, {"msetnx", "a", "1"}, {"lcs", "a", "b"}, {"type", "k"},
}

// TestKeysAsRedis asks redis-server and KeysAndFlags (through GetKeys) for
// the keys of keysCases and of every served command called with plain
// arguments, COMMAND GETKEYS and GETKEYSANDFLAGS alike, in RESP2 and
// RESP3, and requires the same bytes.
func TestKeysAsRedis(t *testing.T) {
	rr := startRealRedis(t, "")
	cases := keysCases
	for _, c := range All() {
		names := []string{c.Name}
		if c.Container() {
			names = names[:0]
			for _, s := range c.Subcommands {
				names = append(names, strings.ReplaceAll(s.Name, "|", " "))
			}
		}
		for _, name := range names {
			argv := strings.Fields(name)
			for n := range 7 {
				cases = append(cases, argv)
				argv = append(argv[:len(argv):len(argv)], fmt.Sprintf("k%d", n))
			}
		}
	}
	var w resp.Writer
	for _, proto := range []int{2, 3} {
		rr.Do(t, []byte("HELLO"), []byte(fmt.Sprint(proto)))
		w.Proto = proto
		for _, sub := range []string{"GETKEYS", "GETKEYSANDFLAGS"} {
			for _, args := range cases {
				if len(args) < 2 {
					continue // dispatch refuses it: COMMAND GETKEYS's arity is -4
				}
				argv := [][]byte{[]byte("COMMAND"), []byte(sub)}
				for _, a := range args {
					argv = append(argv, []byte(a))
				}
				w.Reset()
				GetKeys(&w, argv[2:], sub == "GETKEYSANDFLAGS")
				assert.Equal(t, rr.Do(t, argv...), string(w.Buf), "RESP%d COMMAND %s %q", proto, sub, args)
			}
		}
	}
}

package node_test

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/syncscope/syncscope/core/command"
	"github.com/syncscope/syncscope/core/resp"
)

func TestSubcommandArityAndNames(t *testing.T) {
	w := startWorld(t, 6379, "")
	a := w.conn(6379).do
	assert.Equal(t, "-ERR wrong number of arguments for 'client|setname' command\r\n", a("CLIENT", "SETNAME"))
	assert.Equal(t, "-ERR wrong number of arguments for 'client|id' command\r\n", a("client", "ID", "x"))
	assert.Equal(t, "-ERR wrong number of arguments for 'command|getkeys' command\r\n", a("COMMAND", "GETKEYS", "ping"))
	assert.Equal(t, "-ERR unknown subcommand 'BOGUS'. Try CLIENT HELP.\r\n", a("CLIENT", "BOGUS"))
	assert.Equal(t, "-ERR wrong number of arguments for 'object|encoding' command\r\n", a("OBJECT", "encoding"))
	assert.Equal(t, "-ERR unknown subcommand 'x'. Try OBJECT HELP.\r\n", a("object", "x"))
	assert.Contains(t, a("CLIENT", "INFO"), " cmd=client|info ")
}

// TestCommandTableAsRedis asks redis-server and the node for COMMAND INFO
// of every command and subcommand the node serves, and for the keys of
// commands (COMMAND GETKEYS), and requires the same replies: the node's
// table is Redis's, less the subcommands it does not serve.
func TestCommandTableAsRedis(t *testing.T) {
	rc := startRedis(t).DialRaw(t)
	w := startWorld(t, 6379, "")
	a := w.conn(6379).do
	real := func(args ...string) string {
		rc.Send(args...)
		return rc.Pending(2 * time.Second)
	}

	names := []string{"COMMAND", "INFO", "nosuch", "client|nosuch"}
	for _, c := range command.All() {
		names = append(names, c.Name)
		for _, s := range c.Subcommands {
			names = append(names, s.Name)
		}
	}
	want, got := parseReply(t, real(names...)), parseReply(t, a(names...))
	require.Len(t, got.Elems, len(names)-2)
	for i, g := range got.Elems {
		wv := want.Elems[i]
		if !wv.Null && len(wv.Elems[9].Elems) > 0 { // only the served subcommands
			var subs []resp.Value
			for _, s := range wv.Elems[9].Elems {
				if command.LookupFull(string(s.Elems[0].Str)) != nil {
					subs = append(subs, s)
				}
			}
			wv.Elems[9].Elems = subs
		}
		assert.Equal(t, canonical(wv), canonical(g), "COMMAND INFO %s", names[i+2])
	}
	assert.Equal(t, ":"+strconv.Itoa(len(command.All()))+"\r\n", a("COMMAND", "COUNT"))

	for _, args := range [][]string{
		{"zunionstore", "d", "2", "a", "b"}, {"zunionstore", "d", "5", "a", "b"}, {"zunionstore", "d", "x", "a"},
		{"zunionstore", "d", "2x", "a", "b"}, {"zunion", "0", "a"}, {"zunion", "-1", "a"},
		{"sintercard", "2", "a", "b", "LIMIT", "1"}, {"lmpop", "2", "a", "b", "LEFT"}, {"blmpop", "0", "1", "a", "LEFT"},
		{"get", "a", "b"}, {"get", "a"}, {"nosuch", "a"}, {"ping"}, {"set", "k", "v", "GET"}, {"mset", "a", "1", "b", "2"},
		{"mset", "a", "1", "b"}, {"object", "encoding", "k"}, {"object", "help"}, {"memory", "usage", "k"},
		{"del", "a", "b", "c"}, {"rename", "a", "b"}, {"lmove", "a", "b", "LEFT", "RIGHT"}, {"zrangestore", "d", "s", "0", "1"},
		{"client", "list"}, {"watch", "a", "b"}, {"sort", "k", "STORE", "d"}, {"sort", "k", "LIMIT", "0", "1", "GET", "#"},
		{"sort_ro", "k", "BY", "x"}, {"acl", "whoami"}, {"bitop", "and", "d", "a", "b"}, {"bitfield", "k", "GET", "u8", "0"},
		{"bitfield_ro", "k"}, {"bitcount", "k"}, {"xread", "COUNT", "1", "STREAMS", "a", "b", "0", "0"}, {"xread", "STREAMS", "a", "0", "1"},
		{"xadd", "s", "*", "f", "v"}, {"pfcount", "a", "b"}, {"pfmerge", "d", "a"}, {"eval", "return 1", "2", "a", "b", "x"},
		{"eval", "return 1", "0"}, {"fcall", "f", "1", "k"}, {"evalsha_ro", "x", "2x", "a", "b"}, {"function", "list"},
	} {
		req := append([]string{"COMMAND", "GETKEYS"}, args...)
		assert.Equal(t, real(req...), a(req...), "%q", req)
	}
}

func parseReply(t *testing.T, s string) resp.Value {
	v, n, err := resp.ReadValue([]byte(s))
	require.NoError(t, err)
	require.Equal(t, len(s), n, "one reply")
	return v
}

// canonical renders v for comparison, a container's subcommands sorted by
// name (Redis lists them in its hash table's order, seeded per process).
func canonical(v resp.Value) string {
	if v.Null || len(v.Elems) != 10 {
		return fmt.Sprintf("%q", v.Str)
	}
	var b strings.Builder
	for i, e := range v.Elems {
		switch {
		case i == 9:
			var subs []string
			for _, s := range e.Elems {
				subs = append(subs, canonical(s))
			}
			slices.Sort(subs)
			fmt.Fprintf(&b, "%v", subs)
		default:
			fmt.Fprintf(&b, "%s ", flat(e))
		}
	}
	return b.String()
}

func flat(v resp.Value) string {
	if v.Elems == nil {
		return fmt.Sprintf("%c%s%d", v.Kind, v.Str, v.Int)
	}
	var parts []string
	for _, e := range v.Elems {
		parts = append(parts, flat(e))
	}
	return fmt.Sprintf("%c[%s]", v.Kind, strings.Join(parts, " "))
}

// SORT's and GEORADIUS's destination keys move: COMMAND GETKEYS finds them
// as redis-server 7.0.15 does (SORT the last STORE, GEORADIUS the first
// STORE and the first STOREDIST after its fixed arguments).
func TestCommandGetkeysMovable(t *testing.T) {
	w := startWorld(t, 6379, "")
	a := w.conn(6379).do
	assert.Equal(t, "*2\r\n$3\r\nabc\r\n$3\r\ndef\r\n", a("COMMAND", "GETKEYS", "sort", "abc", "store", "invalid", "store", "stillbad", "store", "def"))
	assert.Equal(t, "*1\r\n$3\r\nabc\r\n", a("COMMAND", "GETKEYS", "sort", "abc", "limit", "store", "x", "get", "store"))
	assert.Equal(t, "*1\r\n$3\r\nabc\r\n", a("COMMAND", "GETKEYS", "sort_ro", "abc", "store", "x"))
	assert.Equal(t, "*3\r\n$1\r\nk\r\n$1\r\na\r\n$1\r\nb\r\n", a("COMMAND", "GETKEYS", "georadius", "k", "1", "2", "3", "km", "store", "a", "store", "c", "storedist", "b"))
	assert.Equal(t, "*1\r\n$1\r\nk\r\n", a("COMMAND", "GETKEYS", "georadius", "k", "1", "2", "3", "store", "a"))
	assert.Equal(t, "*2\r\n$1\r\nk\r\n$1\r\na\r\n", a("COMMAND", "GETKEYS", "georadiusbymember", "k", "m", "3", "km", "STORE", "a"))
	assert.Equal(t, "*2\r\n$1\r\nd\r\n$1\r\ns\r\n", a("COMMAND", "GETKEYS", "geosearchstore", "d", "s", "FROMLONLAT", "0", "0", "BYRADIUS", "1", "m"))
	assert.Contains(t, a("COMMAND", "INFO", "sort"), "*3\r\n+write\r\n+denyoom\r\n+movablekeys\r\n")
	assert.Contains(t, a("COMMAND", "INFO", "georadius"), "*3\r\n+write\r\n+denyoom\r\n+movablekeys\r\n")
}

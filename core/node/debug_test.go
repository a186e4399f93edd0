package node_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/syncscope/syncscope/core/node"
)

const debugOK = "enable-debug-command yes\nsave \"\"\n"

// DEBUG DIGEST and DIGEST-VALUE answer with status replies, as Redis does:
// clients (and the e2e tests) compare them with redis-server's byte for byte.
func TestDebugDigestIsStatus(t *testing.T) {
	w := startWorld(t, 6379, "enable-debug-command yes")
	assert.Equal(t, "0000000000000000000000000000000000000000", w.do(6379, "DEBUG", "DIGEST"))
	w.do(6379, "SET", "a", "1")
	assert.Regexp(t, `^[0-9a-f]{40}$`, w.do(6379, "DEBUG", "DIGEST"))
	// Redis 7.0.15 prints this digest for SET a 1.
	assert.Equal(t, "1) b4fc66738120fba0b5aa500ab5c2bf89cea1c5da\n2) 0000000000000000000000000000000000000000", w.do(6379, "DEBUG", "DIGEST-VALUE", "a", "missing"))
}

func TestDebugReloadKeepsDataAndTTLs(t *testing.T) {
	w := startWorld(t, 6000, debugOK)
	w.do(6000, "SET", "a", "1")
	w.do(6000, "SET", "b", "2", "PX", "100000")
	w.do(6000, "RPUSH", "l", "x", "y", "z")
	w.do(6000, "HSET", "h", "f", "v")
	digest := w.do(6000, "DEBUG", "DIGEST")
	ttl := w.do(6000, "PTTL", "b")

	require.Equal(t, "OK", w.do(6000, "DEBUG", "RELOAD"))
	assert.Equal(t, digest, w.do(6000, "DEBUG", "DIGEST"))
	assert.Equal(t, ttl, w.do(6000, "PTTL", "b"))
	assert.Equal(t, "(integer) 4", w.do(6000, "DBSIZE"))
	assert.Contains(t, w.log(6000), "* DB saved on disk\n")
	assert.Contains(t, w.log(6000), "* Done loading RDB, keys loaded: 4, keys expired: 0.\n")
	assert.True(t, strings.HasSuffix(w.log(6000), "# DB reloaded by DEBUG RELOAD"), w.log(6000))
	w.Advance(10 * time.Millisecond) // the driver writes the file
	dump := w.Dump(6000)
	require.NotNil(t, dump, "DEBUG RELOAD writes the dump file")

	// NOSAVE loads the file as it is: a key set since is gone, no file written.
	w.do(6000, "SET", "later", "x")
	require.Equal(t, "OK", w.do(6000, "DEBUG", "RELOAD", "NOSAVE"))
	w.Advance(10 * time.Millisecond)
	assert.Equal(t, dump, w.Dump(6000), "NOSAVE writes no file")
	assert.Equal(t, "(nil)", w.do(6000, "GET", "later"))
	assert.Equal(t, digest, w.do(6000, "DEBUG", "DIGEST"))

	// NOFLUSH keeps keys not in the file; a key in both needs MERGE.
	w.do(6000, "SET", "later", "x")
	assert.Equal(t, "(error) ERR Error trying to load the RDB dump", w.do(6000, "DEBUG", "RELOAD", "NOSAVE", "NOFLUSH"))
	assert.Contains(t, w.log(6000), "RDB has duplicated key 'a' in DB 0")
	w.do(6000, "SET", "a", "changed")
	require.Equal(t, "OK", w.do(6000, "DEBUG", "RELOAD", "NOSAVE", "NOFLUSH", "MERGE"))
	assert.Equal(t, "\"1\"", w.do(6000, "GET", "a"), "MERGE: the file's value wins")
	assert.Equal(t, "\"x\"", w.do(6000, "GET", "later"))
	assert.Equal(t, "(integer) 5", w.do(6000, "DBSIZE"))

	assert.Equal(t, "(error) ERR DEBUG RELOAD only supports the MERGE, NOFLUSH and NOSAVE options.", w.do(6000, "DEBUG", "RELOAD", "bogus"))
}

func TestDebugReloadNoSaveWithoutFile(t *testing.T) {
	w := startWorld(t, 6000, debugOK)
	w.do(6000, "SET", "a", "1")
	// As Redis: the dataset is emptied before the load finds no file.
	assert.Equal(t, "(error) ERR Error trying to load the RDB dump", w.do(6000, "DEBUG", "RELOAD", "NOSAVE"))
	assert.Equal(t, "(integer) 0", w.do(6000, "DBSIZE"))
}

func TestDebugReloadDropsExpiredKeys(t *testing.T) {
	w := startWorld(t, 6000, debugOK)
	w.do(6000, "SET", "a", "1")
	w.do(6000, "DEBUG", "SET-ACTIVE-EXPIRE", "0")
	w.do(6000, "SET", "gone", "1", "PX", "50")
	w.Advance(200 * time.Millisecond)
	require.Equal(t, "OK", w.do(6000, "DEBUG", "RELOAD"))
	assert.Equal(t, "(integer) 1", w.do(6000, "DBSIZE"))
}

func TestDebugSleepHoldsTheNode(t *testing.T) {
	w := startWorld(t, 6000, debugOK)
	sleeper, other := w.conn(6000), w.conn(6000)
	sleeper.send([]string{"PING"}, []string{"DEBUG", "SLEEP", "1.5"}, []string{"SET", "k", "after"})
	other.send([]string{"GET", "k"})
	assert.Empty(t, sleeper.replies(), "no reply during the sleep, not even earlier ones")
	assert.Empty(t, other.replies())

	w.Advance(1400 * time.Millisecond)
	assert.Empty(t, sleeper.replies())
	assert.Empty(t, other.replies())

	w.Advance(200 * time.Millisecond)
	assert.Equal(t, []string{"PONG", "OK", "OK"}, sleeper.replies())
	// The sleeper's pipeline runs before the events that waited.
	assert.Equal(t, []string{"\"after\""}, other.replies())
}

func TestDebugSleepArguments(t *testing.T) {
	for _, arg := range []string{"0", "-1", "abc", "0.0"} {
		w := startWorld(t, 6000, debugOK)
		start := w.Now()
		assert.Equal(t, "OK", w.do(6000, "DEBUG", "SLEEP", arg), arg)
		assert.Less(t, w.Now().Sub(start), time.Second, "%s: no sleep", arg)
	}
	for arg, want := range map[string]time.Duration{"2": 2 * time.Second, "0.25": 250 * time.Millisecond, "1.5x": 1500 * time.Millisecond, "1e-1": 100 * time.Millisecond} {
		assert.Equal(t, want, node.CSeconds([]byte(arg)), arg)
	}
}

func TestDebugSetActiveExpire(t *testing.T) {
	w := startWorld(t, 6000, debugOK)
	require.Equal(t, "OK", w.do(6000, "DEBUG", "SET-ACTIVE-EXPIRE", "0"))
	for i := range 20 {
		w.do(6000, "SET", "k"+string(rune('a'+i)), "v", "PX", "10")
	}
	w.Advance(2 * time.Second)
	assert.Equal(t, "(integer) 20", w.do(6000, "DBSIZE"), "no active expiry: the keys stay counted")
	assert.Equal(t, "(nil)", w.do(6000, "GET", "ka"))
	assert.Equal(t, "(integer) 19", w.do(6000, "DBSIZE"), "an access expires the key")

	require.Equal(t, "OK", w.do(6000, "DEBUG", "SET-ACTIVE-EXPIRE", "1"))
	w.Advance(2 * time.Second)
	assert.Equal(t, "(integer) 0", w.do(6000, "DBSIZE"))
}

func TestDebugCommandGate(t *testing.T) {
	const refused = `(error) ERR DEBUG command not allowed. If the enable-debug-command option is set to "local", you can run it from a local connection, otherwise you need to set this option in the configuration file, and then restart the server.`
	for _, tc := range []struct {
		conf, peer string
		ok         bool
	}{
		{"", "127.0.0.1:5000", false},
		{"enable-debug-command no", "127.0.0.1:5000", false},
		{"enable-debug-command yes", "10.1.2.3:5000", true},
		{"enable-debug-command local", "127.0.0.1:5000", true},
		{"enable-debug-command local", "[::1]:5000", true},
		{"enable-debug-command local", "10.1.2.3:5000", false},
	} {
		w := startWorld(t, 6000, "protected-mode no\n"+tc.conf)
		want := refused
		if tc.ok {
			want = "OK"
		}
		c := w.connFrom(6000, tc.peer)
		c.send([]string{"DEBUG", "SET-ACTIVE-EXPIRE", "1"})
		assert.Equal(t, []string{want}, c.replies(), "%s from %s", tc.conf, tc.peer)
		// The arity check comes first, as in processCommand.
		c.send([]string{"DEBUG"})
		assert.Equal(t, []string{"(error) ERR wrong number of arguments for 'debug' command"}, c.replies())
	}
}

func TestDebugHelpListsSubcommands(t *testing.T) {
	w := startWorld(t, 6000, debugOK)
	out := w.do(6000, "DEBUG", "HELP")
	for _, sub := range []string{"CHANGE-REPL-ID", "DIGEST", "DIGEST-VALUE <key> [<key> ...]", "RELOAD [option ...]", "SET-ACTIVE-EXPIRE <0|1>", "SLEEP <seconds>"} {
		assert.Contains(t, out, ") "+sub+"\n")
	}
}

func TestDigestValueCountsTheTTL(t *testing.T) {
	w := startWorld(t, 6379, "enable-debug-command yes")
	a := w.conn(6379)
	a.do("SET", "k", "v")
	plain := a.do("DEBUG", "DIGEST-VALUE", "k")
	a.do("EXPIRE", "k", "100")
	withTTL := a.do("DEBUG", "DIGEST-VALUE", "k")
	assert.NotEqual(t, plain, withTTL)
	a.do("EXPIRE", "k", "500")
	assert.Equal(t, withTTL, a.do("DEBUG", "DIGEST-VALUE", "k"), "only whether there is a TTL counts")
}

// DEBUG OBJECT shows the value's LRU clock and its idle seconds, which it
// leaves alone (as OBJECT IDLETIME does): 5 seconds after the SET, the
// 24-bit clock of the SET's second (redis-server 7.0.15 printed the same
// lru and lru_seconds_idle for a key restored with IDLETIME 77).
func TestDebugObjectIdle(t *testing.T) {
	l := newLone(t, "enable-debug-command yes")
	l.step(node.Accepted{Conn: 1, Peer: "127.0.0.1:1"})
	require.Equal(t, "+OK\r\n", l.do(1, "SET k hello\r\n"))
	l.now = l.now.Add(5 * time.Second)
	want := fmt.Sprintf(" lru:%d lru_seconds_idle:5\r\n", loneStart.Unix()&(1<<24-1))
	for range 2 {
		assert.True(t, strings.HasSuffix(l.do(1, "DEBUG OBJECT k\r\n"), want))
	}
	assert.Equal(t, ":5\r\n", l.do(1, "OBJECT IDLETIME k\r\n"))
}

package node_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestBlockedOnExpiredKey: when SWAPDB or EXEC makes ready a key a client
// blocks on and that key has expired by then, the key is deleted (its DEL
// replicated) and the client stays blocked, as Redis's lookup when serving
// does; a DEBUG SLEEP inside EXEC ends the command when the sleep does, so
// the key is judged then. Redis's unit/type/list "... key already expired"
// tests, whose replication streams these are.
func TestBlockedOnExpiredKey(t *testing.T) {
	w := startWorld(t, 6379, "enable-debug-command yes")
	stream := replStream(t, w, 6379)
	r, b := w.conn(6379), w.conn(6379)
	r.do("DEBUG", "SET-ACTIVE-EXPIRE", "0")

	r.do("SELECT", "1")
	r.do("RPUSH", "k", "hello")
	r.do("PEXPIRE", "k", "100")
	b.do("SELECT", "9")
	b.send([]string{"BRPOP", "k", "0"})
	w.Advance(150 * time.Millisecond)
	r.do("SWAPDB", "1", "9")
	assert.Empty(t, b.pending(), "still blocked")
	assert.Contains(t, r.do("CLIENT", "LIST"), "flags=b")
	got := stream()
	require.Len(t, got, 4, "%q", got)
	assert.Equal(t, []string{"RPUSH k hello", "SWAPDB 1 9", "DEL k"}, []string{got[0], got[2], got[3]})
	assert.Regexp(t, `^PEXPIREAT k \d+$`, got[1])

	r.do("SELECT", "9")
	r.do("MULTI")
	r.do("RPUSH", "k", "hello")
	r.do("PEXPIRE", "k", "100")
	r.do("DEBUG", "SLEEP", "0.2")
	r.send([]string{"EXEC"})
	w.Advance(300 * time.Millisecond)
	assert.Empty(t, b.pending(), "still blocked")
	assert.Equal(t, []string{"MULTI", "RPUSH k hello", "EXEC", "DEL k"}, dropPexpireat(t, stream()))
}

func dropPexpireat(t *testing.T, lines []string) []string {
	var out []string
	for _, l := range lines {
		if len(l) > 10 && l[:10] == "PEXPIREAT " {
			continue
		}
		out = append(out, l)
	}
	return out
}

// TestLazyExpireOfArbitraryKeys: SCAN deletes the expired keys it meets and
// RANDOMKEY those it draws, and their DELs go to replicas one by one, not
// wrapped in MULTI/EXEC (Redis's CMD_TOUCHES_ARBITRARY_KEYS; unit/expire
// "SCAN/RANDOMKEY: Lazy-expire should not be wrapped in MULTI/EXEC").
func TestLazyExpireOfArbitraryKeys(t *testing.T) {
	for _, cmd := range [][]string{{"SCAN", "0"}, {"RANDOMKEY"}} {
		t.Run(cmd[0], func(t *testing.T) {
			w := startWorld(t, 6379, "enable-debug-command yes")
			r := w.conn(6379)
			r.do("DEBUG", "SET-ACTIVE-EXPIRE", "0")
			r.do("SET", "foo1", "bar", "PX", "1")
			r.do("SET", "foo2", "bar", "PX", "1")
			w.Advance(5 * time.Millisecond)
			stream := replStream(t, w, 6379)
			r.do(cmd...)
			assert.ElementsMatch(t, []string{"DEL foo1", "DEL foo2"}, stream())
		})
	}
}

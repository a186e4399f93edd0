package node

import (
	gonet "net"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// TestSwapDBServesBlockedDiffRedis runs SWAPDB with clients blocked on keys
// of the swapped databases, on redis-server and on the node side by side:
// Redis 7.0 serves a client whose key exists after the swap
// (scanDatabaseForReadyKeys), in the order the clients blocked, leaves one
// blocked when the key holds another type, and replicates the pops.
func TestSwapDBServesBlockedDiffRedis(t *testing.T) {
	addr := startListRedis(t)
	dial := func() *realConn {
		conn, err := gonet.Dial("tcp", addr)
		require.NoError(t, err)
		t.Cleanup(func() { conn.Close() })
		return &realConn{t: t, conn: conn}
	}
	st := func(c int, line string, check ...int) blockStep {
		return blockStep{c: c, args: strings.Fields(line), check: check}
	}
	steps := []blockStep{
		// A client of db 1 blocks; the list is pushed in db 0 and swapped in.
		st(0, "SELECT 1"), st(0, "BLPOP sq 0"), st(1, "RPUSH sq a"), st(1, "SWAPDB 0 1", 0),
		st(1, "SELECT 1"), st(1, "LRANGE sq 0 -1"), st(1, "SELECT 0"),
		// Two clients on one key: the first takes the only element, the
		// second stays blocked until another push.
		st(0, "BRPOP two 0"), st(2, "SELECT 1"), st(2, "BRPOP two 0"), st(1, "RPUSH two x"),
		st(1, "SWAPDB 1 0", 0, 2), st(1, "SELECT 1"), st(1, "RPUSH two y", 0, 2), st(1, "SELECT 0"),
		// A key of another type does not serve; a sorted set serves BZPOPMIN.
		st(0, "BLPOP typed 0"), st(1, "SET typed str"), st(1, "SWAPDB 0 1", 0), st(1, "DEL typed"),
		st(1, "SELECT 1"), st(1, "DEL typed"), st(1, "RPUSH typed ok", 0), st(1, "SELECT 0"),
		st(0, "BZPOPMIN zk 0"), st(1, "ZADD zk 1 m"), st(1, "SWAPDB 1 0", 0),
		// Swapping a database with itself changes nothing; inside MULTI the
		// client is served after EXEC.
		st(0, "BLPOP self 0"), st(1, "SELECT 1"), st(1, "RPUSH self z", 0), st(1, "SELECT 0"),
		st(0, "BLPOP mx 0"), st(1, "SWAPDB 1 1", 0), st(1, "MULTI"), st(1, "RPUSH mx 1 2"), st(1, "SWAPDB 0 1"),
		st(1, "EXEC", 0), st(1, "SELECT 1"), st(1, "LRANGE mx 0 -1"),
	}

	real := []*realConn{dial(), dial(), dial()}
	repl := dial()
	repl.send("SYNC")
	repl.pending(500 * time.Millisecond)
	var want [][]string
	for _, s := range steps {
		real[s.c].send(s.args...)
		var got []string
		for _, c := range append([]int{s.c}, s.check...) {
			got = append(got, real[c].pending(150*time.Millisecond))
		}
		want = append(want, got)
	}
	realStream := streamLines(t, []byte(repl.pending(300*time.Millisecond)))

	w := newNet(t)
	m := w.start(6379, "")
	stream := replStream(t, w, m)
	ours := []*blockClient{w.listClient(m), w.listClient(m), w.listClient(m)}
	for i, s := range steps {
		ours[s.c].send(s.args...)
		var got []string
		for _, c := range append([]int{s.c}, s.check...) {
			got = append(got, ours[c].pending())
		}
		require.Equal(t, want[i], got, "step %d: client %d sends %q", i, s.c, s.args)
	}
	require.Equal(t, realStream, stream())
}

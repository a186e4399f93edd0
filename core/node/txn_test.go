package node_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestRejectedExecAbortsTheTransaction(t *testing.T) {
	w := startWorld(t, 6379, "")
	a := w.conn(6379)
	assert.Equal(t, "-EXECABORT Transaction discarded because of: wrong number of arguments for 'exec' command\r\n", a.do("EXEC", "x"))
	assert.Equal(t, "+OK\r\n", a.do("MULTI"))
	assert.Equal(t, "-EXECABORT Transaction discarded because of: wrong number of arguments for 'exec' command\r\n", a.do("EXEC", "x"))
	assert.Equal(t, "-ERR EXEC without MULTI\r\n", a.do("EXEC"), "the rejected EXEC discarded the MULTI")
	assert.Equal(t, "*3\r\n$9\r\nsubscribe\r\n$2\r\nch\r\n:1\r\n", a.do("SUBSCRIBE", "ch"))
	assert.Equal(t, "-EXECABORT Transaction discarded because of: Can't execute 'exec': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context\r\n", a.do("EXEC"))
}

func TestWatchedKeyExpiring(t *testing.T) {
	w := startWorld(t, 6379, "")
	a, b := w.conn(6379), w.conn(6379)
	step := func() { w.Advance(30 * time.Millisecond) }

	// Alive at WATCH, expired (not yet deleted) at EXEC: the EXEC fails.
	a.do("SET", "k", "v", "PX", "10")
	a.do("WATCH", "k")
	step()
	assert.Equal(t, "*-1\r\n", pingTxn(a))

	// Already expired at WATCH: its lazy deletion is no change.
	a.do("SET", "k", "v", "PX", "10")
	step()
	a.do("WATCH", "k")
	assert.Equal(t, "$-1\r\n", b.do("GET", "k"))
	assert.Equal(t, "*1\r\n+PONG\r\n", pingTxn(a))

	// ... but setting it again is.
	a.do("SET", "k", "v", "PX", "10")
	step()
	a.do("WATCH", "k")
	b.do("SET", "k", "x")
	assert.Equal(t, "*-1\r\n", pingTxn(a))
}

func TestFlushDoomsOnlyWatchersOfExistingKeys(t *testing.T) {
	w := startWorld(t, 6379, "")
	a, b := w.conn(6379), w.conn(6379)
	for _, tc := range []struct {
		setup []string
		flush []string
		want  string
	}{
		{nil, []string{"FLUSHDB"}, "*1\r\n+PONG\r\n"},
		{[]string{"SET", "w", "1"}, []string{"FLUSHDB"}, "*-1\r\n"},
		{[]string{"SET", "w", "1"}, []string{"FLUSHALL"}, "*-1\r\n"},
		{[]string{"SET", "w", "1"}, []string{"SWAPDB", "0", "1"}, "*-1\r\n"},
		{nil, []string{"SWAPDB", "0", "3"}, "*1\r\n+PONG\r\n"},
		{[]string{"SET", "w", "1"}, []string{"FLUSHDB", "BOGUS"}, "*1\r\n+PONG\r\n"},
		{[]string{"SET", "w", "1"}, []string{"SWAPDB", "0", "0"}, "*1\r\n+PONG\r\n"},
	} {
		a.do("FLUSHALL")
		if tc.setup != nil {
			a.do(tc.setup...)
		}
		a.do("WATCH", "w")
		b.do(tc.flush...)
		assert.Equal(t, tc.want, pingTxn(a), "WATCH w after %q, then %q", tc.setup, tc.flush)
	}
	// A key swapped in from the other database dooms too.
	a.do("FLUSHALL")
	a.do("SELECT", "1")
	a.do("SET", "w", "1")
	a.do("SELECT", "0")
	a.do("WATCH", "w")
	b.do("SWAPDB", "1", "0")
	assert.Equal(t, "*-1\r\n", pingTxn(a))
}

// pingTxn runs MULTI, PING, EXEC on c and returns EXEC's reply: a
// transaction whose only point is whether WATCH lets it run.
func pingTxn(c *conn) string {
	c.do("MULTI")
	c.do("PING")
	return c.do("EXEC")
}

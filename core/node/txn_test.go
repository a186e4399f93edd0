package node

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestRejectedExecAbortsTheTransaction(t *testing.T) {
	w := newNet(t)
	a := w.client(w.start(6379, ""))
	assert.Equal(t, "-EXECABORT Transaction discarded because of: wrong number of arguments for 'exec' command\r\n", a("EXEC", "x"))
	assert.Equal(t, "+OK\r\n", a("MULTI"))
	assert.Equal(t, "-EXECABORT Transaction discarded because of: wrong number of arguments for 'exec' command\r\n", a("EXEC", "x"))
	assert.Equal(t, "-ERR EXEC without MULTI\r\n", a("EXEC"), "the rejected EXEC discarded the MULTI")
	assert.Equal(t, "*3\r\n$9\r\nsubscribe\r\n$2\r\nch\r\n:1\r\n", a("SUBSCRIBE", "ch"))
	assert.Equal(t, "-EXECABORT Transaction discarded because of: Can't execute 'exec': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context\r\n", a("EXEC"))
}

func TestWatchedKeyExpiring(t *testing.T) {
	w := newNet(t)
	h := w.start(6379, "")
	a, b := w.client(h), w.client(h)
	step := func() { w.now = w.now.Add(30 * time.Millisecond) }

	// Alive at WATCH, expired (not yet deleted) at EXEC: the EXEC fails.
	a("SET", "k", "v", "PX", "10")
	a("WATCH", "k")
	step()
	a("MULTI")
	a("PING")
	assert.Equal(t, "*-1\r\n", a("EXEC"))

	// Already expired at WATCH: its lazy deletion is no change.
	a("SET", "k", "v", "PX", "10")
	step()
	a("WATCH", "k")
	assert.Equal(t, "$-1\r\n", b("GET", "k"))
	a("MULTI")
	a("PING")
	assert.Equal(t, "*1\r\n+PONG\r\n", a("EXEC"))

	// ... but setting it again is.
	a("SET", "k", "v", "PX", "10")
	step()
	a("WATCH", "k")
	b("SET", "k", "x")
	a("MULTI")
	a("PING")
	assert.Equal(t, "*-1\r\n", a("EXEC"))
}

func TestFlushDoomsOnlyWatchersOfExistingKeys(t *testing.T) {
	w := newNet(t)
	h := w.start(6379, "")
	a, b := w.client(h), w.client(h)
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
		a("FLUSHALL")
		if tc.setup != nil {
			a(tc.setup...)
		}
		a("WATCH", "w")
		b(tc.flush...)
		a("MULTI")
		a("PING")
		assert.Equal(t, tc.want, a("EXEC"), "WATCH w after %q, then %q", tc.setup, tc.flush)
	}
	// A key swapped in from the other database dooms too.
	a("FLUSHALL")
	a("SELECT", "1")
	a("SET", "w", "1")
	a("SELECT", "0")
	a("WATCH", "w")
	b("SWAPDB", "1", "0")
	a("MULTI")
	a("PING")
	assert.Equal(t, "*-1\r\n", a("EXEC"))
}

package node

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/syncscope/syncscope/core/resp"
)

// Differences from redis-server 7.0.15 that native/e2e's differential test
// found, each pinned here on the node alone.

// client opens a connection to h; each call of the returned function sends
// one command and returns the raw bytes received since the last call.
func (w *net) client(h *host) func(args ...string) string {
	conn := w.next
	w.next++
	w.peers[end{h.port, conn}] = end{0, conn}
	require.NoError(w.t, h.node.Step(w.now, Accepted{Conn: conn, Peer: "127.0.0.1:50002"}))
	seen := 0
	return func(args ...string) string {
		require.NoError(w.t, h.node.Step(w.now, Received{Conn: conn, Data: resp.AppendCommandStrings(nil, args...)}))
		w.apply(h)
		w.settle(0)
		buf := h.out[conn]
		if buf == nil {
			return ""
		}
		out := buf.String()[seen:]
		seen = buf.Len()
		return out
	}
}

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

func TestSubcommandArityAndNames(t *testing.T) {
	w := newNet(t)
	a := w.client(w.start(6379, ""))
	assert.Equal(t, "-ERR wrong number of arguments for 'client|setname' command\r\n", a("CLIENT", "SETNAME"))
	assert.Equal(t, "-ERR wrong number of arguments for 'client|id' command\r\n", a("client", "ID", "x"))
	assert.Equal(t, "-ERR wrong number of arguments for 'command|getkeys' command\r\n", a("COMMAND", "GETKEYS", "ping"))
	assert.Equal(t, "-ERR unknown subcommand 'BOGUS'. Try CLIENT HELP.\r\n", a("CLIENT", "BOGUS"))
	assert.Contains(t, a("CLIENT", "INFO"), " cmd=client|info ")
}

func TestCommandGetkeysNumkeys(t *testing.T) {
	w := newNet(t)
	a := w.client(w.start(6379, ""))
	assert.Equal(t, "*3\r\n$1\r\nd\r\n$1\r\na\r\n$1\r\nb\r\n", a("COMMAND", "GETKEYS", "zunionstore", "d", "2", "a", "b"))
	assert.Equal(t, "*2\r\n$1\r\na\r\n$1\r\nb\r\n", a("COMMAND", "GETKEYS", "sintercard", "2", "a", "b", "LIMIT", "1"))
	assert.Equal(t, "-ERR Invalid arguments specified for command\r\n", a("COMMAND", "GETKEYS", "zunionstore", "d", "5", "a", "b"))
	assert.Equal(t, "-ERR Invalid arguments specified for command\r\n", a("COMMAND", "GETKEYS", "zunionstore", "d", "x", "a"))
	assert.Equal(t, "-ERR Invalid number of arguments specified for command\r\n", a("COMMAND", "GETKEYS", "get", "a", "b"))
	assert.Equal(t, "-ERR Invalid command specified\r\n", a("COMMAND", "GETKEYS", "nosuch", "a"))
}

func TestPubsubNumsubIsAnArrayInRESP3(t *testing.T) {
	w := newNet(t)
	a := w.client(w.start(6379, ""))
	a("HELLO", "3")
	assert.Equal(t, "*4\r\n$1\r\na\r\n:0\r\n$1\r\nb\r\n:0\r\n", a("PUBSUB", "NUMSUB", "a", "b"))
	assert.Equal(t, "+    Prints this help.\r\n", lastLine(a("PUBSUB", "HELP")))
}

func TestDigestValueCountsTheTTL(t *testing.T) {
	w := newNet(t)
	a := w.client(w.start(6379, "enable-debug-command yes"))
	a("SET", "k", "v")
	plain := a("DEBUG", "DIGEST-VALUE", "k")
	a("EXPIRE", "k", "100")
	withTTL := a("DEBUG", "DIGEST-VALUE", "k")
	assert.NotEqual(t, plain, withTTL)
	a("EXPIRE", "k", "500")
	assert.Equal(t, withTTL, a("DEBUG", "DIGEST-VALUE", "k"), "only whether there is a TTL counts")
}

func lastLine(s string) string {
	for i := len(s) - 3; i >= 0; i-- {
		if s[i] == '\n' {
			return s[i+1:]
		}
	}
	return s
}

func TestCommandInfoAsRedis(t *testing.T) {
	w := newNet(t)
	a := w.client(w.start(6379, ""))
	assert.Equal(t, "*1\r\n$-1\r\n", a("COMMAND", "INFO", "nosuch"))
	assert.Equal(t, "*1\r\n*10\r\n$4\r\nping\r\n:-1\r\n*1\r\n+fast\r\n:0\r\n:0\r\n:0\r\n*2\r\n+@fast\r\n+@connection\r\n*0\r\n*0\r\n*0\r\n", a("COMMAND", "INFO", "ping"))
	assert.Equal(t, "*1\r\n*10\r\n$15\r\nobject|encoding\r\n:3\r\n*1\r\n+readonly\r\n:2\r\n:2\r\n:1\r\n*3\r\n+@keyspace\r\n+@read\r\n+@slow\r\n*0\r\n*0\r\n*0\r\n", a("COMMAND", "INFO", "object|encoding"))
	assert.Contains(t, a("COMMAND", "INFO", "zunionstore"), "*3\r\n+write\r\n+denyoom\r\n+movablekeys\r\n")
	assert.Contains(t, a("COMMAND", "INFO", "auth"), "*6\r\n+noscript\r\n+loading\r\n+stale\r\n+fast\r\n+no_auth\r\n+allow_busy\r\n")
	assert.NotContains(t, a("COMMAND", "LIST"), "host:", "POST and Host: are not commands Redis lists")
}

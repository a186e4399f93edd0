package node

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/syncscope/syncscope/core/resp"
)

// open connects a test client to h and sends it the commands, without
// waiting for replies.
func (w *net) open(h *host, cmds ...[]string) ConnID {
	conn := w.next
	w.next++
	w.peers[end{h.port, conn}] = end{0, conn}
	require.NoError(w.t, h.node.Step(w.now, Accepted{Conn: conn, Peer: "127.0.0.1:50000", Local: "127.0.0.1:6379"}))
	var data []byte
	for _, args := range cmds {
		var argv [][]byte
		for _, a := range args {
			argv = append(argv, []byte(a))
		}
		data = resp.AppendCommand(data, argv...)
	}
	require.NoError(w.t, h.node.Step(w.now, Received{Conn: conn, Data: data}))
	w.apply(h)
	return conn
}

// replies is what conn received so far, as redis-cli prints each reply.
func (h *host) replies(conn ConnID) []string {
	var out []string
	buf := h.out[conn]
	if buf == nil {
		return nil
	}
	b := buf.Bytes()
	for len(b) > 0 {
		v, n, err := resp.ReadValue(b)
		if err != nil || n == 0 {
			break
		}
		out = append(out, resp.FormatCLI(v))
		b = b[n:]
	}
	return out
}

const debugOK = "enable-debug-command yes\nsave \"\"\n"

func TestDebugReloadKeepsDataAndTTLs(t *testing.T) {
	w := newNet(t)
	h := w.start(6000, debugOK)
	w.do(h, "SET", "a", "1")
	w.do(h, "SET", "b", "2", "PX", "100000")
	w.do(h, "RPUSH", "l", "x", "y", "z")
	w.do(h, "HSET", "h", "f", "v")
	w.do(h, "SELECT", "1")
	digest := w.do(h, "DEBUG", "DIGEST")
	ttl := w.do(h, "PTTL", "b")

	require.Equal(t, "OK", w.do(h, "DEBUG", "RELOAD"))
	assert.Equal(t, digest, w.do(h, "DEBUG", "DIGEST"))
	assert.Equal(t, ttl, w.do(h, "PTTL", "b"))
	assert.Equal(t, "(integer) 4", w.do(h, "DBSIZE"))
	assert.Contains(t, h.log(), "* DB saved on disk\n")
	assert.Contains(t, h.log(), "* Done loading RDB, keys loaded: 4, keys expired: 0.\n")
	assert.True(t, strings.HasSuffix(h.log(), "# DB reloaded by DEBUG RELOAD"), h.log())
	dump := w.dumps[6000]
	require.NotNil(t, dump, "DEBUG RELOAD writes the dump file")

	// NOSAVE loads the file as it is: a key set since is gone, no file written.
	w.do(h, "SET", "later", "x")
	w.dumps[6000] = nil
	require.Equal(t, "OK", w.do(h, "DEBUG", "RELOAD", "NOSAVE"))
	assert.Nil(t, w.dumps[6000], "NOSAVE writes no file")
	assert.Equal(t, "(nil)", w.do(h, "GET", "later"))
	assert.Equal(t, digest, w.do(h, "DEBUG", "DIGEST"))

	// NOFLUSH keeps keys not in the file; a key in both needs MERGE.
	w.do(h, "SET", "later", "x")
	assert.Equal(t, "(error) ERR Error trying to load the RDB dump", w.do(h, "DEBUG", "RELOAD", "NOSAVE", "NOFLUSH"))
	assert.Contains(t, h.log(), "RDB has duplicated key 'a' in DB 0")
	w.do(h, "SET", "a", "changed")
	require.Equal(t, "OK", w.do(h, "DEBUG", "RELOAD", "NOSAVE", "NOFLUSH", "MERGE"))
	assert.Equal(t, "\"1\"", w.do(h, "GET", "a"), "MERGE: the file's value wins")
	assert.Equal(t, "\"x\"", w.do(h, "GET", "later"))
	assert.Equal(t, "(integer) 5", w.do(h, "DBSIZE"))

	assert.Equal(t, "(error) ERR DEBUG RELOAD only supports the MERGE, NOFLUSH and NOSAVE options.", w.do(h, "DEBUG", "RELOAD", "bogus"))
}

func TestDebugReloadNoSaveWithoutFile(t *testing.T) {
	w := newNet(t)
	h := w.start(6000, debugOK)
	w.do(h, "SET", "a", "1")
	// As Redis: the dataset is emptied before the load finds no file.
	assert.Equal(t, "(error) ERR Error trying to load the RDB dump", w.do(h, "DEBUG", "RELOAD", "NOSAVE"))
	assert.Equal(t, "(integer) 0", w.do(h, "DBSIZE"))
}

func TestDebugReloadDropsExpiredKeys(t *testing.T) {
	w := newNet(t)
	h := w.start(6000, debugOK)
	w.do(h, "SET", "a", "1")
	w.do(h, "DEBUG", "SET-ACTIVE-EXPIRE", "0")
	w.do(h, "SET", "gone", "1", "PX", "50")
	w.settle(200 * time.Millisecond)
	require.Equal(t, "OK", w.do(h, "DEBUG", "RELOAD"))
	assert.Equal(t, "(integer) 1", w.do(h, "DBSIZE"))
}

func TestDebugSleepHoldsTheNode(t *testing.T) {
	w := newNet(t)
	h := w.start(6000, debugOK)
	start := w.now
	sleeper := w.open(h, []string{"PING"}, []string{"DEBUG", "SLEEP", "1.5"}, []string{"SET", "k", "after"})
	other := w.open(h, []string{"GET", "k"})
	assert.Empty(t, h.replies(sleeper), "no reply during the sleep, not even earlier ones")
	assert.Empty(t, h.replies(other))
	assert.Equal(t, start.Add(1500*time.Millisecond), h.wakeAt)

	w.settle(1400 * time.Millisecond)
	assert.Empty(t, h.replies(sleeper))
	assert.Empty(t, h.replies(other))

	w.settle(200 * time.Millisecond)
	assert.Equal(t, []string{"PONG", "OK", "OK"}, h.replies(sleeper))
	// The sleeper's pipeline runs before the events that waited.
	assert.Equal(t, []string{"\"after\""}, h.replies(other))
}

func TestDebugSleepArguments(t *testing.T) {
	for _, arg := range []string{"0", "-1", "abc", "0.0"} {
		w := newNet(t)
		h := w.start(6000, debugOK)
		assert.Equal(t, "OK", w.do(h, "DEBUG", "SLEEP", arg), arg)
		assert.True(t, h.wakeAt.Before(w.now.Add(time.Second)), arg)
	}
	for arg, want := range map[string]time.Duration{"2": 2 * time.Second, "0.25": 250 * time.Millisecond, "1.5x": 1500 * time.Millisecond, "1e-1": 100 * time.Millisecond} {
		assert.Equal(t, want, cSeconds([]byte(arg)), arg)
	}
}

func TestDebugSetActiveExpire(t *testing.T) {
	w := newNet(t)
	h := w.start(6000, debugOK)
	require.Equal(t, "OK", w.do(h, "DEBUG", "SET-ACTIVE-EXPIRE", "0"))
	for i := range 20 {
		w.do(h, "SET", "k"+string(rune('a'+i)), "v", "PX", "10")
	}
	w.settle(2 * time.Second)
	assert.Equal(t, "(integer) 20", w.do(h, "DBSIZE"), "no active expiry: the keys stay counted")
	assert.Equal(t, "(nil)", w.do(h, "GET", "ka"))
	assert.Equal(t, "(integer) 19", w.do(h, "DBSIZE"), "an access expires the key")

	require.Equal(t, "OK", w.do(h, "DEBUG", "SET-ACTIVE-EXPIRE", "1"))
	w.settle(2 * time.Second)
	assert.Equal(t, "(integer) 0", w.do(h, "DBSIZE"))
}

func TestDebugCommandGate(t *testing.T) {
	const refused = `(error) ERR DEBUG command not allowed. If the enable-debug-command option is set to "local", you can run it from a local connection, otherwise you need to set this option in the configuration file, and then restart the server.`
	from := func(w *net, h *host, peer string, args ...string) []string {
		conn := w.next
		w.next++
		w.peers[end{h.port, conn}] = end{0, conn}
		require.NoError(t, h.node.Step(w.now, Accepted{Conn: conn, Peer: peer, Local: "10.0.0.1:6379"}))
		var argv [][]byte
		for _, a := range args {
			argv = append(argv, []byte(a))
		}
		require.NoError(t, h.node.Step(w.now, Received{Conn: conn, Data: resp.AppendCommand(nil, argv...)}))
		w.apply(h)
		return h.replies(conn)
	}
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
		w := newNet(t)
		h := w.start(6000, "protected-mode no\n"+tc.conf)
		want := refused
		if tc.ok {
			want = "OK"
		}
		assert.Equal(t, []string{want}, from(w, h, tc.peer, "DEBUG", "SET-ACTIVE-EXPIRE", "1"), "%s from %s", tc.conf, tc.peer)
		// The arity check comes first, as in processCommand.
		assert.Equal(t, []string{"(error) ERR wrong number of arguments for 'debug' command"}, from(w, h, tc.peer, "DEBUG"))
	}
}

func TestDebugHelpListsSubcommands(t *testing.T) {
	w := newNet(t)
	h := w.start(6000, debugOK)
	out := w.do(h, "DEBUG", "HELP")
	for _, sub := range []string{"CHANGE-REPL-ID", "DIGEST", "DIGEST-VALUE <key> [<key> ...]", "RELOAD [option ...]", "SET-ACTIVE-EXPIRE <0|1>", "SLEEP <seconds>"} {
		assert.Contains(t, out, ") "+sub+"\n")
	}
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

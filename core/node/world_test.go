package node_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/syncscope/syncscope/core/resp"
	"github.com/syncscope/syncscope/core/script"
	"github.com/syncscope/syncscope/core/script/lua"
	"github.com/syncscope/syncscope/core/sim"
)

// world is core/sim's deterministic world as these tests drive it: nodes
// with Lua linked, as the server links it, and calls that run the world
// until their reply arrives.
type world struct {
	*sim.World
	t *testing.T
}

// newWorld returns an empty world; the test fails if a node refused one of
// the world's events (sim.World.Err), as a driver error.
func newWorld(t *testing.T) *world {
	w := &world{World: sim.New(1), t: t}
	w.Scripting = func() script.Engine { return lua.New() }
	t.Cleanup(func() { assert.NoError(t, w.Err(), "a node refused an event of the world's") })
	return w
}

// startWorld is a new world with node port started from conf (as start).
func startWorld(t *testing.T, port int, conf string) *world {
	t.Helper()
	w := newWorld(t)
	w.start(port, conf)
	return w
}

// start starts node port from conf, after "repl-diskless-sync-delay 0" so
// that a replica syncs at once unless conf says otherwise.
func (w *world) start(port int, conf string) {
	w.t.Helper()
	require.NoError(w.t, w.Start(port, "repl-diskless-sync-delay 0\n"+conf))
}

// until runs the world until cond holds, for a simulated minute at most.
func (w *world) until(cond func() bool) bool {
	deadline := w.Now().Add(time.Minute)
	for !cond() {
		if !w.Now().Before(deadline) {
			return false
		}
		if next := w.Next(); next.IsZero() || next.After(deadline) {
			w.Advance(deadline.Sub(w.Now()))
		} else {
			w.Step()
		}
	}
	return true
}

// do runs a command on a new client connection of node port, closed once
// the reply is in, and returns the reply as redis-cli prints it.
func (w *world) do(port int, args ...string) string {
	w.t.Helper()
	c, err := w.Client(port)
	require.NoError(w.t, err)
	call := c.Exec(args...)
	require.True(w.t, w.until(call.Done), "no reply to %q", args)
	c.Close()
	return call.Text()
}

// log is everything node port logged, over all its runs, one line each.
func (w *world) log(port int) string {
	var b strings.Builder
	for i, l := range w.Logs(port) {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(l.Format(port))
	}
	return b.String()
}

// conn is a raw client connection into a node (sim.Accept): it sees every
// byte the node writes to it, replies and pushes alike, in the order
// written.
type conn struct {
	w      *world
	x      *sim.External
	in     []byte
	read   int // bytes of in already returned
	closed bool
}

// conn connects a client to node port from a loopback address.
func (w *world) conn(port int) *conn { return w.connFrom(port, "127.0.0.1:50000") }

// connFrom connects a client to node port from peer ("ip:port").
func (w *world) connFrom(port int, peer string) *conn {
	w.t.Helper()
	x, err := w.Accept(port, peer)
	require.NoError(w.t, err)
	c := &conn{w: w, x: x}
	x.OnData = func(p []byte) { c.in = append(c.in, p...) }
	x.OnClose = func() { c.closed = true }
	return c
}

// send writes commands (pipelined) and runs the world until the node has
// read them: a reply written at once is then on its way.
func (c *conn) send(cmds ...[]string) {
	var data []byte
	for _, args := range cmds {
		data = resp.AppendCommandStrings(data, args...)
	}
	c.write(data)
}

// write sends raw bytes and runs the world until the node has read them.
func (c *conn) write(data []byte) {
	c.x.Deliver(data)
	c.w.Advance(sim.DefaultLatency)
}

// pending runs the world for one more latency (what was written is then
// in) and returns what arrived since the last look.
func (c *conn) pending() string {
	c.w.Advance(sim.DefaultLatency)
	out := string(c.in[c.read:])
	c.read = len(c.in)
	return out
}

// do sends a command and returns the raw bytes that arrived, once at
// least one whole reply has.
func (c *conn) do(args ...string) string {
	c.w.t.Helper()
	c.send(args)
	require.True(c.w.t, c.w.until(func() bool { return len(c.in) > c.read && complete(c.in[c.read:]) }), "no reply to %q", args)
	return c.pending()
}

// replies is what arrived since the last look, as redis-cli prints each
// reply.
func (c *conn) replies() []string {
	var out []string
	b := []byte(c.pending())
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

// complete reports whether buf holds whole RESP values only.
func complete(buf []byte) bool {
	_, whole := resp.Replies(buf)
	return whole
}

// startStreamed is a world with node 6379 started from conf and a replica
// attached to it: stream gives what was replicated since its last call
// (replStream).
func startStreamed(t *testing.T, conf string) (w *world, stream func() []string) {
	t.Helper()
	w = startWorld(t, 6379, conf)
	return w, replStream(t, w, 6379)
}

// replStream attaches a replica by PSYNC to node port and returns a
// function giving the commands streamed to it since, one space-joined line
// each (PING and SELECT left out).
func replStream(t *testing.T, w *world, port int) func() []string {
	rc := w.conn(port)
	rc.send([]string{"PSYNC", "?", "-1"})
	w.Advance(time.Second)
	var buf []byte
	rdbDone := false
	return func() []string {
		buf = append(buf, rc.pending()...)
		if !rdbDone {
			buf = bytes.TrimLeft(buf, "\n")
			if bytes.HasPrefix(buf, []byte("+FULLRESYNC")) {
				buf = bytes.TrimLeft(buf[bytes.Index(buf, []byte("\r\n"))+2:], "\n")
			}
			require.True(t, bytes.HasPrefix(buf, []byte("$")), "stream starts %q", buf[:min(len(buf), 20)])
			i := bytes.Index(buf, []byte("\r\n"))
			require.Positive(t, i)
			n := 0
			for _, ch := range buf[1:i] {
				n = n*10 + int(ch-'0')
			}
			buf = buf[i+2+n:]
			rdbDone = true
		}
		out := streamLines(t, buf)
		buf = buf[:0]
		return out
	}
}

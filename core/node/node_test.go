package node

import (
	"bytes"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/syncscope/syncscope/core/config"
	"github.com/syncscope/syncscope/core/resp"
	"github.com/syncscope/syncscope/core/script"
	"github.com/syncscope/syncscope/core/script/lua"
)

// net is a tiny deterministic world for node tests: nodes by port, in-memory
// connections delivering bytes in order, a virtual clock, snapshots encoded
// synchronously, dumps kept in memory.
type net struct {
	t     *testing.T
	now   time.Time
	nodes map[int]*host
	dumps map[int][]byte
	peers map[end]end
	queue []delivery
	next  ConnID
}

type host struct {
	port   int
	node   *Node
	logs   []string
	out    map[ConnID]*bytes.Buffer // what test clients received
	wakeAt time.Time
	up     bool
	conf   string // the config file, as CONFIG REWRITE leaves it
}

type end struct {
	port int
	conn ConnID
}

type delivery struct {
	to end
	ev Event
}

func newNet(t *testing.T) *net {
	return &net{t: t, now: time.Date(2026, 11, 24, 23, 44, 31, 0, time.UTC), nodes: map[int]*host{}, dumps: map[int][]byte{}, peers: map[end]end{}, next: 1}
}

func (w *net) start(port int, conf string) *host {
	cfg, _, err := config.Parse(fmt.Sprintf("port %d\nrepl-diskless-sync-delay 0\n%s", port, conf), nil)
	require.NoError(w.t, err)
	n, err := New(cfg, Env{Now: w.now, Seed: [2]uint64{uint64(port), 1}, Pid: port, Dump: w.dumps[port], ConfigFile: "redis.conf",
		Scripting: func() script.Engine { return lua.New() }})
	require.NoError(w.t, err)
	h := &host{port: port, node: n, out: map[ConnID]*bytes.Buffer{}, up: true}
	w.nodes[port] = h
	w.apply(h)
	return h
}

// apply performs h's effects.
func (w *net) apply(h *host) { h.node.Ready().Apply(&testEffects{w, h}) }

// testEffects is the test world as one host's Driver.
type testEffects struct {
	w *net
	h *host
}

func (e *testEffects) Log(lines []LogLine) {
	for _, l := range lines {
		e.h.logs = append(e.h.logs, l.Format(e.h.port))
	}
}

func (e *testEffects) Write(wr Write) {
	w, h := e.w, e.h
	from := end{h.port, wr.Conn}
	to, ok := w.peers[from]
	if !ok {
		return
	}
	if to.port == 0 { // a test client
		buf := h.out[wr.Conn]
		if buf == nil {
			buf = &bytes.Buffer{}
			h.out[wr.Conn] = buf
		}
		buf.Write(wr.Data)
		return
	}
	w.queue = append(w.queue, delivery{to, Received{Conn: to.conn, Data: wr.Data}})
}

func (e *testEffects) Close(c ConnID) {
	w, h := e.w, e.h
	from := end{h.port, c}
	if to, ok := w.peers[from]; ok && to.port != 0 {
		w.queue = append(w.queue, delivery{to, Closed{Conn: to.conn}})
		delete(w.peers, to)
	}
	delete(w.peers, from)
}

func (e *testEffects) Drop(c ConnID) { e.Close(c) }

func (e *testEffects) Dial(d Dial) {
	w, h := e.w, e.h
	var port int
	fmt.Sscanf(d.Addr[strings.LastIndexByte(d.Addr, ':')+1:], "%d", &port)
	target := w.nodes[port]
	if target == nil || !target.up {
		w.queue = append(w.queue, delivery{end{h.port, d.Conn}, Dialed{Conn: d.Conn, Err: "Connection refused"}})
		return
	}
	acc := w.next
	w.next++
	w.peers[end{h.port, d.Conn}] = end{port, acc}
	w.peers[end{port, acc}] = end{h.port, d.Conn}
	w.queue = append(w.queue, delivery{end{port, acc}, Accepted{Conn: acc, Peer: fmt.Sprintf("127.0.0.1:%d", 40000+acc), Local: fmt.Sprintf("127.0.0.1:%d", port)}})
	w.queue = append(w.queue, delivery{end{h.port, d.Conn}, Dialed{Conn: d.Conn, Local: fmt.Sprintf("127.0.0.1:%d", 40000+acc)}})
}

func (e *testEffects) Snapshot(s Snapshot) {
	w, h := e.w, e.h
	var buf bytes.Buffer
	err := s.Snap.WriteRDB(&buf, s.Opts, s.Aux)
	s.Snap.Release()
	require.NoError(w.t, err)
	if s.File != "" {
		w.dumps[h.port] = buf.Bytes()
	}
	w.queue = append(w.queue, delivery{end{h.port, 0}, SnapshotDone{ID: s.ID, Data: buf.Bytes()}})
}

func (e *testEffects) RewriteFile(f File) {
	if f.Rewrite == nil {
		e.w.queue = append(e.w.queue, delivery{end{e.h.port, 0}, FileDone{Name: f.Name, Err: "No such file or directory"}})
		return
	}
	e.h.conf = f.Rewrite(e.h.conf)
	e.w.queue = append(e.w.queue, delivery{end{e.h.port, 0}, FileDone{Name: f.Name}})
}

func (e *testEffects) WakeAt(t time.Time) { e.h.wakeAt = t }

func (e *testEffects) Exit(int) {
	w, h := e.w, e.h
	h.up = false
	for from, to := range w.peers {
		if from.port == h.port {
			delete(w.peers, from)
			delete(w.peers, to)
			if to.port != 0 {
				w.queue = append(w.queue, delivery{to, Closed{Conn: to.conn}})
			}
		}
	}
}

// settle delivers everything queued, then advances the clock by d in wakes.
func (w *net) settle(d time.Duration) {
	until := w.now.Add(d)
	for {
		for len(w.queue) > 0 {
			dl := w.queue[0]
			w.queue = w.queue[1:]
			h := w.nodes[dl.to.port]
			if h == nil || !h.up {
				continue
			}
			require.NoError(w.t, h.node.Step(w.now, dl.ev))
			w.apply(h)
		}
		next := until
		for _, h := range w.nodes {
			if h.up && h.wakeAt.Before(next) {
				next = h.wakeAt
			}
		}
		if !next.Before(until) {
			w.now = until
			return
		}
		w.now = next
		for _, port := range slices.Sorted(maps.Keys(w.nodes)) { // deterministic order
			if h := w.nodes[port]; h.up && !h.wakeAt.After(w.now) {
				require.NoError(w.t, h.node.Step(w.now, Wake{}))
				w.apply(h)
			}
		}
	}
}

// do runs a command as a client of h and returns the reply as redis-cli prints it.
func (w *net) do(h *host, args ...string) string {
	conn := w.next
	w.next++
	w.peers[end{h.port, conn}] = end{0, conn}
	require.NoError(w.t, h.node.Step(w.now, Accepted{Conn: conn, Peer: "127.0.0.1:50000", Local: "127.0.0.1:6379"}))
	var argv [][]byte
	for _, a := range args {
		argv = append(argv, []byte(a))
	}
	require.NoError(w.t, h.node.Step(w.now, Received{Conn: conn, Data: resp.AppendCommand(nil, argv...)}))
	w.apply(h)
	w.settle(0)
	buf := h.out[conn]
	require.NotNil(w.t, buf, "no reply to %v", args)
	v, n, err := resp.ReadValue(buf.Bytes())
	require.NoError(w.t, err)
	require.NotZero(w.t, n)
	if h.up {
		require.NoError(w.t, h.node.Step(w.now, Closed{Conn: conn}))
		w.apply(h)
	}
	return resp.FormatCLI(v)
}

// send runs a command that gets no reply (SHUTDOWN).
func (w *net) send(h *host, args ...string) {
	conn := w.next
	w.next++
	w.peers[end{h.port, conn}] = end{0, conn}
	require.NoError(w.t, h.node.Step(w.now, Accepted{Conn: conn, Peer: "127.0.0.1:50000"}))
	var argv [][]byte
	for _, a := range args {
		argv = append(argv, []byte(a))
	}
	require.NoError(w.t, h.node.Step(w.now, Received{Conn: conn, Data: resp.AppendCommand(nil, argv...)}))
	w.apply(h)
}

func (h *host) log() string { return strings.Join(h.logs, "\n") }

func TestCommandsThroughStep(t *testing.T) {
	w := newNet(t)
	m := w.start(6379, "")
	assert.Equal(t, "PONG", w.do(m, "PING"))
	assert.Equal(t, "OK", w.do(m, "SET", "name", "redis"))
	assert.Equal(t, `"redis"`, w.do(m, "GET", "name"))
	assert.Equal(t, "(error) ERR unknown command 'NOPE', with args beginning with: 'a' ", w.do(m, "NOPE", "a"))
	assert.Equal(t, "(error) ERR wrong number of arguments for 'get' command", w.do(m, "GET"))
	assert.Contains(t, m.log(), "6379:M 24 Nov 2026 23:44:31.000 * Ready to accept connections")
}

func TestInlineAndProtocolError(t *testing.T) {
	w := newNet(t)
	m := w.start(6379, "")
	require.NoError(t, m.node.Step(w.now, Accepted{Conn: 1, Peer: "127.0.0.1:1"}))
	w.peers[end{6379, 1}] = end{0, 1}
	require.NoError(t, m.node.Step(w.now, Received{Conn: 1, Data: []byte("set a \"b c\"\r\nget a\r\n*1\r\n$x\r\n")}))
	rd := m.node.Ready()
	require.Len(t, rd.Writes, 1)
	assert.Equal(t, "+OK\r\n$3\r\nb c\r\n-ERR Protocol error: invalid bulk length\r\n", string(rd.Writes[0].Data))
	assert.Equal(t, []ConnID{1}, rd.Closes, "the client is closed after the protocol error reply")
}

func TestReplicationFullAndPartial(t *testing.T) {
	w := newNet(t)
	m := w.start(6379, "")
	r := w.start(6378, "slaveof 127.0.0.1 6379")
	w.settle(2 * time.Second)
	assert.Contains(t, r.log(), "MASTER <-> REPLICA sync: Finished with success")
	assert.Equal(t, "OK", w.do(m, "SET", "name", "redis"))
	w.settle(10 * time.Millisecond)
	assert.Equal(t, `"redis"`, w.do(r, "GET", "name"))
	assert.Equal(t, "(error) READONLY You can't write against a read only replica.", w.do(r, "SET", "x", "1"))
	assert.Equal(t, m.node.repl.hist, r.node.repl.hist, "replica shares the master's history")

	// The replica restarts from its dump and continues by partial resync.
	w.send(r, "SHUTDOWN")
	w.settle(3 * time.Second)
	assert.Contains(t, r.log(), "DB saved on disk")
	assert.False(t, r.up)
	assert.Equal(t, "OK", w.do(m, "SET", "name", "again"))
	r = w.start(6378, "slaveof 127.0.0.1 6379")
	w.settle(2 * time.Second)
	assert.Contains(t, r.log(), "Successful partial resynchronization with master.")
	assert.Equal(t, `"again"`, w.do(r, "GET", "name"))
	assert.Equal(t, m.node.repl.hist.Offset, r.node.repl.hist.Offset)
}

func TestPromotionKeepsReplid2(t *testing.T) {
	w := newNet(t)
	m := w.start(6379, "")
	a := w.start(6378, "slaveof 127.0.0.1 6379")
	b := w.start(6377, "slaveof 127.0.0.1 6379")
	w.settle(2 * time.Second)
	w.do(m, "SET", "k", "v")
	w.settle(100 * time.Millisecond)
	old := m.node.repl.hist.ID
	assert.Equal(t, "OK", w.do(a, "REPLICAOF", "NO", "ONE"))
	assert.Equal(t, old, a.node.repl.hist.ID2)
	assert.Equal(t, "OK", w.do(b, "REPLICAOF", "127.0.0.1", "6378"))
	w.settle(2 * time.Second)
	assert.Contains(t, b.log(), "Successful partial resynchronization with master.")
	assert.Equal(t, 1, strings.Count(b.log(), "Full resync from master"), "the sibling continued on the promoted node")
	assert.Equal(t, `"v"`, w.do(b, "GET", "k"))
}

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

package node_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/syncscope/syncscope/core/config"
	"github.com/syncscope/syncscope/core/node"
)

// lone is one node driven directly through Step and Ready, without a
// world: for what happens within one step (the writes, closes and drops
// it asks for) and for an Env a world does not give (MemoryUsed).
type lone struct {
	t     *testing.T
	n     *node.Node
	now   time.Time
	rd    node.Ready  // effects of the last step
	dials []node.Dial // every Dial effect so far
}

// loneStart is the time a lone node starts at.
var loneStart = time.Date(2026, 11, 24, 23, 44, 31, 0, time.UTC)

func newLone(t *testing.T, conf string) *lone {
	t.Helper()
	return newLoneEnv(t, conf, node.Env{Pid: 1, ConfigFile: "redis.conf"})
}

// newLoneEnv is newLone with the node's Env (its Now is set here). Its
// first Ready, the startup's, is rd until the first step.
func newLoneEnv(t *testing.T, conf string, env node.Env) *lone {
	t.Helper()
	cfg, _, err := config.Parse("port 6379\n"+conf, nil)
	require.NoError(t, err)
	env.Now = loneStart
	n, err := node.New(cfg, env)
	require.NoError(t, err)
	l := &lone{t: t, n: n, now: env.Now, rd: n.Ready()}
	l.dials = l.rd.Dials
	return l
}

// refusedLogs requires New to refuse to start from conf and env (at
// newLoneEnv's time), as Redis exits at startup, and returns what the node
// logged first, one line each.
func refusedLogs(t *testing.T, conf string, env node.Env) string {
	t.Helper()
	cfg, _, err := config.Parse(conf, nil)
	require.NoError(t, err)
	env.Now = loneStart
	n, err := node.New(cfg, env)
	require.Error(t, err)
	require.NotNil(t, n)
	var sb strings.Builder
	for _, line := range n.Ready().Logs {
		sb.WriteString(line.Text + "\n")
	}
	return sb.String()
}

// dumpOf is the RDB file a node saves after running cmds (RESP or inline
// commands, each line ending in CRLF).
func dumpOf(t *testing.T, cmds string) []byte {
	t.Helper()
	l := newLone(t, "")
	l.step(node.Accepted{Conn: 1, Peer: "127.0.0.1:1"})
	l.step(node.Received{Conn: 1, Data: []byte(cmds + "SAVE\r\n")})
	require.Len(t, l.rd.Snapshots, 1)
	var buf bytes.Buffer
	sn := l.rd.Snapshots[0]
	require.NoError(t, sn.Snap.WriteRDB(&buf, sn.Opts, sn.Aux))
	return buf.Bytes()
}

func (l *lone) step(ev node.Event) node.Ready {
	l.t.Helper()
	require.NoError(l.t, l.n.Step(l.now, ev))
	l.rd = l.n.Ready()
	l.dials = append(l.dials, l.rd.Dials...)
	return l.rd
}

// written is what the last step wrote to conn.
func (l *lone) written(conn node.ConnID) string {
	var sb strings.Builder
	for _, w := range l.rd.Writes {
		if w.Conn == conn {
			sb.Write(w.Data)
		}
	}
	return sb.String()
}

func (l *lone) logs() string {
	var sb strings.Builder
	for _, line := range l.rd.Logs {
		sb.WriteString(line.Text + "\n")
	}
	return sb.String()
}

// do sends in on conn and returns what the step wrote to conn.
func (l *lone) do(conn node.ConnID, in string) string {
	l.t.Helper()
	l.step(node.Received{Conn: conn, Data: []byte(in)})
	return l.written(conn)
}

// benchNode is one node a benchmark drives as a driver does: Step, Ready,
// then Written and Recycle for every write, with no test bookkeeping in
// the loop.
type benchNode struct {
	b   *testing.B
	n   *node.Node
	now time.Time
	// seen, when set, sees every write before it is acknowledged.
	seen func(node.Write)
}

// newBenchNode starts a node from conf (after "port 6379" and no save
// points) with env's engines and a fixed clock, seed and pid.
func newBenchNode(b *testing.B, conf string, env node.Env) *benchNode {
	cfg, _, err := config.Parse("port 6379\nsave \"\"\n"+conf, nil)
	if err != nil {
		b.Fatal(err)
	}
	env.Now, env.Seed, env.Pid = time.Date(2026, 12, 6, 0, 0, 0, 0, time.UTC), [2]uint64{1, 2}, 1
	n, err := node.New(cfg, env)
	if err != nil {
		b.Fatal(err)
	}
	n.Ready()
	return &benchNode{b: b, n: n, now: env.Now}
}

func (bn *benchNode) step(ev node.Event) {
	if err := bn.n.Step(bn.now, ev); err != nil {
		bn.b.Fatal(err)
	}
	for _, w := range bn.n.Ready().Writes {
		if bn.seen != nil {
			bn.seen(w)
		}
		if err := bn.n.Step(bn.now, node.Written{Conn: w.Conn, N: len(w.Data)}); err != nil {
			bn.b.Fatal(err)
		}
		bn.n.Recycle(w.Conn, w.Data)
	}
}

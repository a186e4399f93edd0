package playground

import (
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// walkthrough runs 0x001-0x003 on p: three nodes in a chain, synced, and
// SET name redis on 6379.
func walkthrough(t *testing.T, p *Page) {
	t.Helper()
	require.NoError(t, p.StartNode(6379, "", false))
	require.NoError(t, p.StartNode(6378, "port 6378\nslaveof 127.0.0.1 6379\n", false))
	require.NoError(t, p.StartNode(6377, "port 6377\nslaveof 127.0.0.1 6378\n", false))
	p.Advance(13 * time.Second)
	require.Equal(t, "OK", exec(t, p, 6379, "set name redis"))
	p.Advance(100 * time.Millisecond)
}

// rows lists the chart's rows as "send|recv from>to: label", in order.
func rows(u TimelineUpdate) []string {
	byID := map[int64]Message{}
	for _, m := range u.Messages {
		byID[m.ID] = m
	}
	var out []string
	for _, it := range u.Items {
		if it.Kind == "mark" {
			continue
		}
		m := byID[it.ID]
		out = append(out, fmt.Sprintf("%s %d>%d: %s", it.Kind, m.From, m.To, strings.Join(m.Parts, " | ")))
	}
	return out
}

// indexOf finds the first row at or after from that has all of subs.
func indexOf(rows []string, from int, subs ...string) int {
	for i := from; i < len(rows); i++ {
		ok := true
		for _, s := range subs {
			ok = ok && strings.Contains(rows[i], s)
		}
		if ok {
			return i
		}
	}
	return -1
}

// The chart holds the handshake of 0x002 in the order it happened, each
// message sent before it is delivered, and 0x003's chained write as two
// hops in order.
func TestTimelineHandshakeAndChain(t *testing.T) {
	p := New(1)
	walkthrough(t, p)
	u := p.Timeline("", 0, 0, 0)
	require.True(t, u.Full)
	r := rows(u)
	at := 0
	for _, want := range [][]string{
		{"send 6378>6379", "PING"},
		{"recv 6378>6379", "PING"},
		{"send 6379>6378", "+PONG"},
		{"send 6378>6379", "REPLCONF listening-port 6378"},
		{"send 6378>6379", "REPLCONF capa"},
		{"send 6378>6379", "PSYNC ? -1"},
		{"send 6379>6378", "+FULLRESYNC"},
		{"send 6379>6378", "RDB"},
		{"recv 6379>6378", "RDB complete"},
		{"send 6379>6378", "SET name redis"},
		{"recv 6379>6378", "SET name redis"},
		{"send 6378>6377", "SET name redis"},
		{"recv 6378>6377", "SET name redis"},
	} {
		i := indexOf(r, at, want...)
		require.GreaterOrEqual(t, i, 0, "no %q from row %d in:\n%s", want, at, strings.Join(r, "\n"))
		at = i // one write may hold the next part (REPLCONF listening-port and capa)
	}
	for _, m := range u.Messages {
		assert.Equal(t, Delivered, m.State, "%+v", m)
		assert.LessOrEqual(t, m.Sent, m.At)
		assert.LessOrEqual(t, m.SentStep, m.AtStep)
		assert.Equal(t, m.Bytes, m.Done)
		assert.NotEmpty(t, m.Raw)
	}
	// The markers a learner looks for.
	var marks []string
	for _, m := range u.Markers {
		marks = append(marks, fmt.Sprintf("%d %s %s", m.Port, m.Kind, m.Label))
	}
	all := strings.Join(marks, "\n")
	assert.Contains(t, all, "6378 refused no cached master: full sync")
	assert.Contains(t, all, "6378 full full resync from master")
	assert.Contains(t, all, "6379 full full resync for 127.0.0.1:6378")
	assert.Contains(t, all, "6378 synced sync finished")
	assert.Contains(t, all, "6379 client redis-cli: set name redis")

	// An update from where the page was carries only what is new.
	p.Advance(2 * time.Second)
	v := p.Timeline(u.Epoch, u.Seq, len(u.Markers), len(u.Items))
	assert.False(t, v.Full)
	assert.NotEmpty(t, v.Items)
	assert.Contains(t, strings.Join(rows(TimelineUpdate{Messages: v.Messages, Items: v.Items}), "\n"), "REPLCONF ACK", "the replicas' ACKs each second")
}

// A message is in flight between its send and its delivery; a crash loses
// what is in flight and the chart says so.
func TestTimelineInFlightAndLost(t *testing.T) {
	p := New(5)
	require.NoError(t, p.StartNode(6379, "", false))
	require.NoError(t, p.StartNode(6378, "port 6378\nslaveof 127.0.0.1 6379\n", false))
	p.Advance(8 * time.Second)
	p.Latency(6379, 6378, 200*time.Millisecond)
	require.Equal(t, "OK", exec(t, p, 6379, "set k v"))
	p.Advance(50 * time.Millisecond)
	u := p.Timeline("", 0, 0, 0)
	var set *Message
	for i := range u.Messages {
		if strings.Contains(strings.Join(u.Messages[i].Parts, "|"), "SET k v") {
			set = &u.Messages[i]
		}
	}
	require.NotNil(t, set)
	assert.Equal(t, InFlight, set.State)
	assert.InDelta(t, set.Sent+200, set.Due, 0.01, "due a latency after it was sent")
	p.Advance(100 * time.Millisecond)
	p.CrashNode(6379, false)
	p.Advance(time.Second)
	u = p.Timeline("", 0, 0, 0)
	lost := 0
	for _, m := range u.Messages {
		if m.State == Lost {
			lost++
			assert.Equal(t, 6379, m.From)
		}
	}
	assert.NotZero(t, lost, "the SET in flight when 6379 died is lost")
}

// snapshot is what the page shows of the world at a moment.
type snapshot struct {
	now    float64
	states []State
	logs   []string
	said   []Said
	digest []string
	rdb    []int
}

func snap(p *Page) snapshot {
	p.mu.Lock()
	defer p.mu.Unlock()
	s := snapshot{now: p.millis()}
	for _, port := range []int{6375, 6376, 6377, 6378, 6379} {
		s.states = append(s.states, p.run.state(port))
		for _, l := range p.w.Logs(port) {
			s.logs = append(s.logs, FormatLog(l, port))
		}
		d := "down"
		if n := p.w.Node(port); n != nil {
			d = fmt.Sprintf("%x", n.Store().Digest())
		}
		s.digest = append(s.digest, d)
		s.rdb = append(s.rdb, len(p.rdbs[port]))
	}
	for _, x := range p.said {
		x.at = time.Time{}
		s.said = append(s.said, x)
	}
	return s
}

// Going back to a moment shows exactly what the page showed then: the
// replication state, the logs, the terminals' lines and the data of every
// node; going back and forth between moments, from checkpoints or not,
// changes nothing.
func TestSeekIsExact(t *testing.T) {
	p := New(7)
	var moments []snapshot
	var targets []Pos
	mark := func() {
		moments = append(moments, snap(p))
		a := p.Position()
		targets = append(targets, Pos{Steps: a.Steps, T: a.T})
	}
	// 0x002 sync, 0x003 write, 0x004 disconnect, 0x005 come back.
	require.NoError(t, p.StartNode(6379, "", false))
	require.NoError(t, p.StartNode(6378, "port 6378\nslaveof 127.0.0.1 6379\n", false))
	p.Advance(2 * time.Second)
	mark()
	require.NoError(t, p.StartNode(6377, "port 6377\nslaveof 127.0.0.1 6378\n", false))
	p.Advance(7 * time.Second)
	mark()
	exec(t, p, 6379, "set name redis")
	exec(t, p, 6379, "5 incr n")
	p.Advance(300 * time.Millisecond)
	mark()
	p.Cut(6379, 6378)
	exec(t, p, 6379, "set during cut")
	p.Advance(1500 * time.Millisecond)
	mark()
	p.Heal(6379, 6378)
	exec(t, p, 6378, "shutdown")
	p.Advance(2 * time.Second)
	mark()
	require.NoError(t, p.StartNode(6378, "", true))
	p.Advance(3 * time.Second)
	mark()
	end := snap(p)

	check := func(i int) {
		require.NoError(t, p.Seek(targets[i]))
		got := snap(p)
		assert.Equal(t, moments[i], got, "moment %d (t=%.0f ms)", i, moments[i].now)
	}
	for _, i := range []int{3, 1, 4, 0, 5, 2, 2, 0} {
		check(i)
	}
	// Checkpoints built in idle time give the same moments.
	for range 50 {
		p.Idle(50 * time.Millisecond)
	}
	for _, i := range []int{5, 0, 3, 4, 1} {
		check(i)
	}
	p.Live()
	assert.Equal(t, end, snap(p), "the live run is untouched")

	// Step back by rows, then forward again: each row's moment.
	require.NoError(t, p.Seek(targets[2]))
	at := p.Position()
	require.True(t, p.StepBack())
	back := p.Position()
	assert.Less(t, back.Steps, at.Steps)
	require.True(t, p.StepEvent())
	assert.Greater(t, p.Position().Steps, back.Steps)

	// A fresh page replaying the journal to a row's moment shows the same.
	u := p.Timeline("", 0, 0, 0)
	for _, it := range []Item{u.Items[len(u.Items)/5], u.Items[len(u.Items)/2], u.Items[len(u.Items)-3]} {
		target := Pos{Steps: it.Steps, T: int64(it.At * float64(time.Millisecond))}
		require.NoError(t, p.Seek(target))
		q := New(7)
		for _, a := range p.head.actions {
			if !before(a, target) {
				break
			}
			require.NoError(t, q.Goto(a.Steps, a.T, a.Paused))
			require.NoError(t, q.Apply(a, func(string) {}))
		}
		require.NoError(t, q.Goto(target.Steps, target.T, true))
		q.mu.Lock()
		q.run.finishCalls()
		q.mu.Unlock()
		assert.Equal(t, snap(q), snap(p), "row %+v", it)
	}
}

// Acting from a past moment forks: the live run's future is dropped and
// the world goes on from there.
func TestForkFromThePast(t *testing.T) {
	p := New(9)
	walkthrough(t, p)
	before := p.Timeline("", 0, 0, 0)
	mid := Pos{Steps: -1, T: int64(11 * time.Second)}
	exec(t, p, 6379, "set later 1")
	p.Advance(time.Second)
	require.NoError(t, p.Seek(mid))
	assert.Equal(t, 11000.0, p.Now())
	assert.False(t, p.Timeline("", 0, 0, 0).Live)
	assert.Equal(t, "(nil)", exec(t, p, 6379, "get name"), "before the SET")
	u := p.Timeline("", 0, 0, 0)
	assert.True(t, u.Live, "the past moment is the live run now")
	assert.NotEqual(t, before.Epoch, u.Epoch)
	for _, a := range p.Actions() {
		assert.NotContains(t, a.Args, "set later 1", "the future was dropped")
	}
	for _, m := range u.Messages {
		assert.LessOrEqual(t, m.Sent, p.Now())
	}
	p.Play(1)
	p.Tick(200 * time.Millisecond)
	assert.Greater(t, p.Now(), 11000.0)
	assert.Empty(t, p.Err())
}

// The budget: a 5-minute run of 5 nodes under a write load, and seeking
// to moments of it once checkpoints are built (the browser test measures
// the same in wasm).
func TestSeekLongRun(t *testing.T) {
	if testing.Short() || runtime.GOOS == "js" {
		t.Skip("long run: the browser test measures it in wasm")
	}
	p := loadRun(t, 300)
	t0 := time.Now()
	require.NoError(t, p.Seek(Pos{Steps: -1, T: int64(299 * time.Second)}))
	t.Logf("a replay of 299 s from the start: %v", time.Since(t0))
	p.Live()
	t0 = time.Now()
	for range 400 {
		p.Idle(20 * time.Millisecond)
	}
	at, building := p.Checkpoints()
	assert.False(t, building)
	t.Logf("checkpoints %v built in %v", at, time.Since(t0))
	var worst time.Duration
	for _, sec := range []int64{290, 10, 150, 75, 220, 5, 260} {
		t0 := time.Now()
		require.NoError(t, p.Seek(Pos{Steps: -1, T: sec * int64(time.Second)}))
		worst = max(worst, time.Since(t0))
		assert.Equal(t, float64(sec*1000), p.Now())
	}
	t.Logf("worst seek %v", worst)
}

// loadRun is 5 nodes (two chains under 6379) under a write load for secs
// seconds of virtual time.
func loadRun(t testing.TB, secs int) *Page {
	p := New(11)
	require.NoError(t, p.StartNode(6379, "", false))
	for i, port := range []int{6378, 6377, 6376, 6375} {
		master := 6379
		if i%2 == 1 {
			master = port + 1
		}
		require.NoError(t, p.StartNode(port, fmt.Sprintf("port %d\nslaveof 127.0.0.1 %d\n", port, master), false))
	}
	for s := range secs {
		p.Exec(6379, fmt.Sprintf("10 set key:%d v%d", s%50, s), func(string) {})
		p.Advance(time.Second)
	}
	return p
}

// Links say what the journal set on each link, as the moment shown has it.
func TestLinks(t *testing.T) {
	p := New(12)
	walkthrough(t, p)
	assert.Empty(t, p.Links())
	p.Latency(6379, 6378, 250*time.Millisecond)
	p.Rate(6378, 6377, 4096)
	mid := p.Position()
	p.Advance(time.Second)
	p.Cut(6378, 6379)
	p.Advance(time.Second)
	assert.Equal(t, []Link{{A: 6377, B: 6378, Latency: 1, Rate: 4096}, {A: 6378, B: 6379, Latency: 250, Cut: true}}, p.Links())
	require.NoError(t, p.Seek(Pos{Steps: mid.Steps + 1, T: mid.T}))
	assert.Equal(t, []Link{{A: 6377, B: 6378, Latency: 1, Rate: 4096}, {A: 6378, B: 6379, Latency: 250}}, p.Links())
}

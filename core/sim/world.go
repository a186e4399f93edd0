package sim

import (
	"bytes"
	"container/heap"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	"github.com/syncscope/syncscope/core/config"
	"github.com/syncscope/syncscope/core/node"
	"github.com/syncscope/syncscope/core/script"
)

// Epoch is where every world's clock starts: the date of the walkthrough's
// reference logs, so that log lines look alike from run to run.
var Epoch = time.Date(2026, 11, 24, 23, 44, 31, 0, time.UTC)

// Default latencies: one way, per connection kind.
const (
	DefaultLatency = time.Millisecond       // node to node
	ClientLatency  = 100 * time.Microsecond // client to node
)

// Faults are the seeded misbehaviours of node-to-node connections. The
// zero value is none: a world without faults is fully predictable.
type Faults struct {
	MaxChunk  int           // > 0: writes arrive in chunks of 1..MaxChunk bytes
	Jitter    time.Duration // extra delay of each chunk, uniform in [0, Jitter]
	StallRate float64       // probability that a chunk stalls its direction ...
	Stall     time.Duration // ... for up to Stall
	ResetRate float64       // probability that a chunk resets its connection instead
	// SnapshotDelay is the most an RDB snapshot takes beyond its encoding.
	SnapshotDelay time.Duration
}

// Delivery is a chunk of bytes crossing a node-to-node connection: From
// wrote it at Sent, To receives it at At (later when a stall or a cut held
// it). Dialer is the port of the node that opened the connection and Conn
// names the connection (both directions). Data is only valid during the
// callback.
type Delivery struct {
	From, To int
	Dialer   int
	Conn     uint64
	Data     []byte
	Sent, At time.Time
}

// TraceLine is one line of a world's trace: what happened to a node (Port)
// or to the world (Port 0).
type TraceLine struct {
	At   time.Time
	Port int
	Text string
}

// World is a set of nodes on an in-memory network under a virtual clock.
type World struct {
	seed   uint64
	rng    *rand.Rand
	faults Faults
	now    time.Time
	seq    uint64
	queue  eventQueue

	hosts    []*host // sorted by port
	pipes    []*pipe // node-to-node and external pipes, in creation order
	cuts     map[pair]bool
	latency  map[pair]time.Duration
	rate     map[pair]int // bytes per second on a link; none: unlimited
	nextPipe uint64
	nextEph  int // ephemeral ports for dialers' local addresses

	onDeliver []func(Delivery)
	onSend    []func(Delivery)
	onLost    []func(Delivery)
	tracing   bool
	trace     []TraceLine
	err       error // the first driver error (a node refusing an event)

	// Dialer, when set, is asked about dials to addresses that are not sim
	// nodes: it returns the External that carries the connection, or nil
	// for "Connection refused".
	Dialer func(from int, addr string) *External

	// Scripting, when set, gives each node started from now on its
	// scripting engine (node.Env.Scripting); nil leaves EVAL and FUNCTION
	// answering that no engine is linked.
	Scripting func() script.Engine

	// hooks lets the invariant checker watch traffic (check.go).
	hooks *checker
}

type pair struct{ a, b int }

func mkpair(a, b int) pair {
	if a > b {
		a, b = b, a
	}
	return pair{a, b}
}

// host is one node's place in the world: its config, disk and connections
// survive restarts.
type host struct {
	port      int
	conf      string // the full config text, as CONFIG REWRITE leaves it
	node      *node.Node
	inc       int // incarnation: changes at each start, exit and crash
	starts    int
	dump      []byte
	logs      []node.LogLine
	ends      map[node.ConnID]*end // the node's open connections (lookup only)
	dialing   map[node.ConnID]bool // dials not yet reported
	nextConn  node.ConnID
	wakeAt    time.Time
	wakeTok   uint64
	newestJob uint64 // newest snapshot job that writes the dump
	client    *Client
	state     string        // last traced replication state
	bootAt    time.Time     // when the running node started
	upTotal   time.Duration // time up in earlier runs
}

// New returns a world without faults whose clock is at Epoch.
func New(seed uint64) *World { return NewWithFaults(seed, Faults{}) }

// NewWithFaults returns a world whose node-to-node links misbehave as f
// says, every choice drawn from seed.
func NewWithFaults(seed uint64, f Faults) *World {
	return &World{
		seed:    seed,
		rng:     rand.New(rand.NewPCG(seed, seed^0x5deece66d)),
		faults:  f,
		now:     Epoch,
		cuts:    map[pair]bool{},
		latency: map[pair]time.Duration{},
		rate:    map[pair]int{},
		nextEph: 40000,
	}
}

// Seed is the world's seed.
func (w *World) Seed() uint64 { return w.seed }

// Now is the virtual time.
func (w *World) Now() time.Time { return w.now }

// Trace turns the trace on (off by default: it costs time).
func (w *World) Trace(on bool) { w.tracing = on }

// TraceLines is everything traced so far.
func (w *World) TraceLines() []TraceLine { return w.trace }

// Err is the first driver error: a node refused an event the world gave it
// (a bug in the world or in the node's bookkeeping of its connections).
func (w *World) Err() error { return w.err }

// OnDeliver calls f for every chunk delivered on a node-to-node link.
func (w *World) OnDeliver(f func(Delivery)) { w.onDeliver = append(w.onDeliver, f) }

// OnSend calls f for every write on a node-to-node link when it is written,
// At being when its last byte is due (a cut holds it longer): with
// OnDeliver and OnLost, a page draws messages in flight.
func (w *World) OnSend(f func(Delivery)) { w.onSend = append(w.onSend, f) }

// OnLost calls f for every chunk on a node-to-node link that is never
// delivered: the connection was reset (a crash) or its receiver had closed
// it. At is when it was lost.
func (w *World) OnLost(f func(Delivery)) { w.onLost = append(w.onLost, f) }

func (w *World) notify(fs []func(Delivery), p *pipe, side int, data []byte, sent, at time.Time) {
	d := Delivery{From: p.ends[side].port(), To: p.ends[1-side].port(), Dialer: p.dialer, Conn: p.id, Data: data, Sent: sent, At: at}
	for _, f := range fs {
		f(d)
	}
}

func (w *World) tracef(port int, format string, args ...any) {
	if w.tracing {
		w.trace = append(w.trace, TraceLine{At: w.now, Port: port, Text: fmt.Sprintf(format, args...)})
	}
}

func (w *World) host(port int) *host {
	for _, h := range w.hosts {
		if h.port == port {
			return h
		}
	}
	return nil
}

// Ports lists the nodes the world knows (running or not), in order.
func (w *World) Ports() []int {
	ports := make([]int, len(w.hosts))
	for i, h := range w.hosts {
		ports[i] = h.port
	}
	return ports
}

// Start creates node 127.0.0.1:port from redis.conf text (its "port" is
// set to port) and starts it. A node already known keeps its disk.
func (w *World) Start(port int, conf string) error {
	h := w.host(port)
	if h != nil && h.node != nil {
		return fmt.Errorf("sim: node %d is already running", port)
	}
	if h == nil {
		h = &host{port: port}
		w.hosts = append(w.hosts, h)
		for i := len(w.hosts) - 1; i > 0 && w.hosts[i-1].port > port; i-- {
			w.hosts[i-1], w.hosts[i] = w.hosts[i], w.hosts[i-1]
		}
	}
	h.conf = "port " + strconv.Itoa(port) + "\n" + conf
	return w.boot(h)
}

// Restart starts a stopped node again from its config text and its dump.
func (w *World) Restart(port int) error {
	h := w.host(port)
	if h == nil {
		return fmt.Errorf("sim: no node %d", port)
	}
	if h.node != nil {
		return fmt.Errorf("sim: node %d is already running", port)
	}
	return w.boot(h)
}

func (w *World) boot(h *host) error {
	cfg, _, err := config.Parse(h.conf, func(name string) ([]byte, error) {
		return nil, fmt.Errorf("include %s: the simulator has no files", name)
	})
	if err != nil {
		return fmt.Errorf("sim: node %d config: %w", h.port, err)
	}
	if cfg.Port != h.port {
		return fmt.Errorf("sim: node %d: its config says port %d", h.port, cfg.Port)
	}
	h.starts++
	env := node.Env{
		Now:        w.now,
		Seed:       [2]uint64{w.seed ^ uint64(h.port)*0x9e3779b97f4a7c15, uint64(h.starts)},
		Pid:        h.port,
		Dump:       h.dump,
		ConfigFile: "redis.conf",
		OS:         "Linux sim",
		Arch:       "64",
		Scripting:  w.Scripting,
	}
	n, err := node.New(cfg, env)
	if err != nil {
		w.tracef(h.port, "start failed: %v", err)
		return fmt.Errorf("sim: node %d: %w", h.port, err)
	}
	h.inc++
	h.node = n
	h.bootAt = w.now
	h.ends = map[node.ConnID]*end{}
	h.dialing = map[node.ConnID]bool{}
	h.nextConn = 1
	h.wakeAt = time.Time{}
	h.newestJob = 0
	h.client = nil
	w.tracef(h.port, "start (dump %d bytes)", len(h.dump))
	w.apply(h)
	return nil
}

// Node is the running node on port, nil when it is stopped.
func (w *World) Node(port int) *node.Node {
	if h := w.host(port); h != nil {
		return h.node
	}
	return nil
}

// Logs is every line node port logged, over all its runs.
func (w *World) Logs(port int) []node.LogLine {
	if h := w.host(port); h != nil {
		return h.logs
	}
	return nil
}

// Config is node port's config text as its redis.conf holds it (with the
// "port" line the world adds, and what CONFIG REWRITE wrote), "" for a port
// the world never started.
func (w *World) Config(port int) string {
	if h := w.host(port); h != nil {
		return h.conf
	}
	return ""
}

// Dump is node port's dump.rdb (nil when it has none).
func (w *World) Dump(port int) []byte {
	if h := w.host(port); h != nil {
		return h.dump
	}
	return nil
}

// stopLimit bounds how long Stop runs the world: shutdown-timeout is 10 s
// by default.
const stopLimit = time.Minute

// Stop shuts node port down as SHUTDOWN SAVE or SHUTDOWN NOSAVE does and
// runs the world until the node has exited: Redis 7.0 first waits (up to
// shutdown-timeout) for lagging replicas, then saves in the foreground.
// The node's dump.rdb is kept.
func (w *World) Stop(port int, save bool) error {
	h := w.host(port)
	if h == nil || h.node == nil {
		return fmt.Errorf("sim: node %d is not running", port)
	}
	arg := "NOSAVE"
	if save {
		arg = "SAVE"
	}
	w.tracef(port, "stop (%s)", arg)
	c := w.dial(h)
	c.send([]string{"SHUTDOWN", arg}, true)
	limit := w.now.Add(stopLimit)
	for h.node != nil && w.now.Before(limit) && w.Step() {
	}
	if h.node != nil {
		return fmt.Errorf("sim: node %d did not shut down within %s", port, stopLimit)
	}
	return nil
}

// Crash kills node port without a word: its connections reset, its
// snapshot in progress is lost, and with loseDisk its dump.rdb too.
func (w *World) Crash(port int, loseDisk bool) {
	h := w.host(port)
	if h == nil {
		return
	}
	if loseDisk {
		h.dump = nil
	}
	if h.node == nil {
		return
	}
	w.tracef(port, "crash (lose disk: %v)", loseDisk)
	h.down(w.now)
	for _, e := range h.sortedEnds() {
		w.reset(e.p, e.side)
	}
	h.ends, h.dialing = nil, nil
}

// down records that h's node is gone.
func (h *host) down(now time.Time) {
	h.node = nil
	h.inc++
	h.upTotal += now.Sub(h.bootAt)
}

// NodeSeconds is the simulated time summed over the nodes while they ran.
func (w *World) NodeSeconds() float64 {
	total := time.Duration(0)
	for _, h := range w.hosts {
		total += h.upTotal
		if h.node != nil {
			total += w.now.Sub(h.bootAt)
		}
	}
	return total.Seconds()
}

// SetFaults changes the faults from now on.
func (w *World) SetFaults(f Faults) { w.faults = f }

// InFlight counts the chunks on node-to-node links not yet delivered
// (waiting behind a cut included) and the dials not yet answered.
func (w *World) InFlight() int {
	n := 0
	for _, p := range w.pipes {
		if !p.dead {
			n += len(p.dirs[0].chunks) + len(p.dirs[1].chunks)
		}
	}
	for _, h := range w.hosts {
		n += len(h.dialing)
	}
	return n
}

func (h *host) sortedEnds() []*end {
	ends := make([]*end, 0, len(h.ends))
	for _, e := range h.ends {
		ends = append(ends, e)
	}
	// Map order is random: sort by connection ID before acting.
	for i := 1; i < len(ends); i++ {
		for j := i; j > 0 && ends[j].conn < ends[j-1].conn; j-- {
			ends[j], ends[j-1] = ends[j-1], ends[j]
		}
	}
	return ends
}

// step feeds ev to h's node and applies the effects.
func (w *World) step(h *host, ev node.Event) {
	if h.node == nil {
		return
	}
	if err := h.node.Step(w.now, ev); err != nil {
		w.tracef(h.port, "driver error: %v", err)
		if w.err == nil {
			w.err = fmt.Errorf("node %d at %s: %w", h.port, w.now.Format("15:04:05.000000"), err)
		}
	}
	w.apply(h)
}

// apply performs the effects of h's node (see effects).
func (w *World) apply(h *host) {
	if w.tracing {
		w.traceState(h)
	}
	h.node.Ready().Apply(&effects{w, h})
}

// traceState traces h's replication state when it changed: role, master
// and link, replid, offset, replid2.
func (w *World) traceState(h *host) {
	in := h.node.Replication()
	state := in.Role
	if in.Role == "slave" {
		status := "down"
		if in.Master.Up {
			status = "up"
		}
		state += fmt.Sprintf(" of %d (link %s)", in.Master.Port, status)
	}
	state += fmt.Sprintf(", replid %.8s offset %d", in.ReplID, in.Offset)
	if in.Offset2 >= 0 {
		state += fmt.Sprintf(", replid2 %.8s up to %d", in.ReplID2, in.Offset2)
	}
	if state != h.state {
		h.state = state
		w.tracef(h.port, "state: %s", state)
	}
}

func (w *World) snapshot(h *host, s node.Snapshot) {
	var buf bytes.Buffer
	err := s.Snap.WriteRDB(&buf, s.Opts, s.Aux)
	s.Snap.Release()
	done := node.SnapshotDone{ID: s.ID}
	if err != nil {
		done.Err = err.Error()
	} else {
		done.Data = buf.Bytes()
	}
	if s.File != "" {
		h.newestJob = max(h.newestJob, s.ID)
	}
	// Encoding takes time in proportion to the size (5 ns a byte).
	d := time.Millisecond + time.Duration(buf.Len())*5
	if w.faults.SnapshotDelay > 0 {
		d += time.Duration(w.rng.Int64N(int64(w.faults.SnapshotDelay)))
	}
	inc := h.inc
	w.tracef(h.port, "snapshot %d started (%d bytes, file %q)", s.ID, buf.Len(), s.File)
	w.at(w.now.Add(d), h, func() {
		if h.inc != inc {
			return
		}
		if s.File != "" && done.Err == "" {
			if s.ID < h.newestJob {
				done.Err = "superseded by a newer save"
			} else {
				h.dump = done.Data
			}
		}
		w.tracef(h.port, "snapshot %d done %s", s.ID, done.Err)
		w.step(h, done)
	})
}

func (w *World) file(h *host, f node.File) {
	if f.Rewrite == nil { // a read (ACL LOAD): the simulated hosts have only their config file
		inc := h.inc
		w.at(w.now.Add(time.Millisecond), h, func() {
			if h.inc == inc {
				w.step(h, node.FileDone{Name: f.Name, Err: "No such file or directory"})
			}
		})
		return
	}
	text := f.Rewrite(h.conf)
	inc := h.inc
	w.at(w.now.Add(time.Millisecond), h, func() {
		if h.inc != inc {
			return
		}
		h.conf = text
		w.tracef(h.port, "config file rewritten")
		w.step(h, node.FileDone{Name: f.Name})
	})
}

// dialFrom performs node h's Dial effect.
func (w *World) dialFrom(h *host, d node.Dial) {
	h.dialing[d.Conn] = true
	inc := h.inc
	hostPart, portText := d.Addr, ""
	if i := strings.LastIndexByte(d.Addr, ':'); i >= 0 {
		hostPart, portText = d.Addr[:i], d.Addr[i+1:]
	}
	port, _ := strconv.Atoi(portText)
	target := w.host(port)
	local := hostPart == "127.0.0.1" || hostPart == "localhost" || hostPart == "::1"
	w.tracef(h.port, "dial %d -> %s", d.Conn, d.Addr)
	if !local || target == nil {
		var ext *External
		if w.Dialer != nil {
			ext = w.Dialer(h.port, d.Addr)
		}
		w.at(w.now.Add(DefaultLatency), h, func() {
			if h.inc != inc || !h.dialing[d.Conn] {
				return
			}
			delete(h.dialing, d.Conn)
			if ext == nil {
				w.step(h, node.Dialed{Conn: d.Conn, Err: "Connection refused"})
				return
			}
			p := w.newPipe(pipeExternal)
			p.bindNode(0, h, d.Conn)
			ext.bind(w, p)
			w.step(h, node.Dialed{Conn: d.Conn, Local: w.ephemeral()})
		})
		return
	}
	lat := w.lat(h.port, port)
	if w.cuts[mkpair(h.port, port)] {
		// A partition: the SYN goes nowhere. Like the native driver's dial,
		// give up after repl-timeout unless the node gives up first.
		timeout := time.Duration(h.node.Config().ReplTimeout) * time.Second
		w.at(w.now.Add(timeout), h, func() {
			if h.inc == inc && h.dialing[d.Conn] {
				delete(h.dialing, d.Conn)
				w.step(h, node.Dialed{Conn: d.Conn, Err: "Connection timed out"})
			}
		})
		return
	}
	w.at(w.now.Add(lat), h, func() {
		if h.inc != inc || !h.dialing[d.Conn] {
			return
		}
		delete(h.dialing, d.Conn)
		if target.node == nil || w.cuts[mkpair(h.port, port)] {
			w.step(h, node.Dialed{Conn: d.Conn, Err: "Connection refused"})
			return
		}
		p := w.newPipe(pipeNodes)
		p.dialer = h.port
		p.bindNode(0, h, d.Conn)
		acc := target.nextConn
		target.nextConn++
		p.bindNode(1, target, acc)
		eph := w.ephemeral()
		w.tracef(target.port, "accept %d from %d (conn %d)", acc, h.port, d.Conn)
		w.step(target, node.Accepted{Conn: acc, Peer: eph, Local: "127.0.0.1:" + strconv.Itoa(port)})
		w.step(h, node.Dialed{Conn: d.Conn, Local: eph})
	})
}

func (w *World) ephemeral() string {
	w.nextEph++
	if w.nextEph > 60999 {
		w.nextEph = 40001
	}
	return "127.0.0.1:" + strconv.Itoa(w.nextEph)
}

// lat is the one-way latency between two nodes.
func (w *World) lat(a, b int) time.Duration {
	if d, ok := w.latency[mkpair(a, b)]; ok {
		return d
	}
	return DefaultLatency
}

// Latency sets the one-way latency between nodes a and b.
func (w *World) Latency(a, b int, d time.Duration) {
	w.latency[mkpair(a, b)] = max(d, 0)
	w.tracef(0, "latency %d-%d %s", a, b, d)
}

// Rate limits the link between nodes a and b to bytesPerSec in each
// direction, as a slow network does: a write takes its size over the rate to
// leave, and arrives a latency after each part left, so a big transfer (an
// RDB) arrives bit by bit over seconds. 0 or less: unlimited (the default).
// Writes already on the wire keep their pace.
func (w *World) Rate(a, b int, bytesPerSec int) {
	if bytesPerSec <= 0 {
		delete(w.rate, mkpair(a, b))
	} else {
		w.rate[mkpair(a, b)] = bytesPerSec
	}
	w.tracef(0, "rate %d-%d %d B/s", a, b, bytesPerSec)
}

// Cut partitions nodes a and b: bytes between them wait and dials time
// out, until Heal.
func (w *World) Cut(a, b int) {
	w.cuts[mkpair(a, b)] = true
	w.tracef(0, "cut %d-%d", a, b)
}

// Heal ends the partition between a and b: the bytes that waited are
// delivered, in order.
func (w *World) Heal(a, b int) {
	if !w.cuts[mkpair(a, b)] {
		return
	}
	delete(w.cuts, mkpair(a, b))
	w.tracef(0, "heal %d-%d", a, b)
	for _, p := range w.pipes {
		if p.kind == pipeNodes && mkpair(p.ends[0].host.port, p.ends[1].host.port) == mkpair(a, b) {
			for side := range 2 {
				w.pump(p, side)
			}
		}
	}
}

// Cuts lists the partitioned pairs.
func (w *World) Cuts() [][2]int {
	var out [][2]int
	for _, h := range w.hosts {
		for _, o := range w.hosts {
			if h.port < o.port && w.cuts[mkpair(h.port, o.port)] {
				out = append(out, [2]int{h.port, o.port})
			}
		}
	}
	return out
}

// HealAll ends every partition.
func (w *World) HealAll() {
	for _, c := range w.Cuts() {
		w.Heal(c[0], c[1])
	}
}

// Step runs the next scheduled event and reports whether there was one.
func (w *World) Step() bool {
	if len(w.queue) == 0 {
		return false
	}
	ev := heap.Pop(&w.queue).(*event)
	if ev.at.After(w.now) {
		w.now = ev.at
	}
	ev.fn()
	return true
}

// Next is the time of the next scheduled event (zero when none).
func (w *World) Next() time.Time {
	if len(w.queue) == 0 {
		return time.Time{}
	}
	return w.queue[0].at
}

// Advance runs every event scheduled up to Now()+d, then sets the clock
// there.
func (w *World) Advance(d time.Duration) {
	until := w.now.Add(d)
	for len(w.queue) > 0 && !w.queue[0].at.After(until) {
		w.Step()
	}
	if until.After(w.now) {
		w.now = until
	}
}

// event is something scheduled: run fn at at. host, when set, says whose
// event it is.
type event struct {
	at   time.Time
	seq  uint64
	host *host
	inc  int
	fn   func()
}

func (e *event) less(o *event) bool {
	if !e.at.Equal(o.at) {
		return e.at.Before(o.at)
	}
	return e.seq < o.seq
}

// at schedules fn at time t (never before now). Events at the same time
// run in the order they were scheduled.
func (w *World) at(t time.Time, h *host, fn func()) *event {
	if t.Before(w.now) {
		t = w.now
	}
	w.seq++
	ev := &event{at: t, seq: w.seq, host: h, fn: fn}
	if h != nil {
		ev.inc = h.inc
	}
	heap.Push(&w.queue, ev)
	return ev
}

type eventQueue []*event

func (q eventQueue) Len() int           { return len(q) }
func (q eventQueue) Less(i, j int) bool { return q[i].less(q[j]) }
func (q eventQueue) Swap(i, j int)      { q[i], q[j] = q[j], q[i] }
func (q *eventQueue) Push(x any)        { *q = append(*q, x.(*event)) }
func (q *eventQueue) Pop() any {
	old := *q
	ev := old[len(old)-1]
	old[len(old)-1] = nil
	*q = old[:len(old)-1]
	return ev
}

// Package playground is the browser playground's model, without the
// browser: a core/sim World paced by real time (pause, play at a speed,
// step, advance), terminals that read lines as redis-cli does and print
// replies as it does, each node's log and replication state, the messages
// crossing links labelled for drawing, and links to native nodes outside
// the page through a Remote (a websocket in the browser). The js/wasm
// bindings in wasm/ only translate between this and JavaScript, so all of
// it is tested natively and under node.
package playground

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/syncscope/syncscope/core/node"
	"github.com/syncscope/syncscope/core/resp"
	"github.com/syncscope/syncscope/core/script"
	"github.com/syncscope/syncscope/core/sim"
)

// maxTick bounds the real time one Tick advances: a tab the browser
// throttled does not make the world jump.
const maxTick = 250 * time.Millisecond

// maxMessages bounds the messages kept for the page between two takes.
const maxMessages = 4096

// settleSteps bounds the events run to answer a command while paused.
const settleSteps = 100000

// Remote opens byte streams to native nodes outside the page.
type Remote interface {
	// Open starts connecting to the native node on port. The callbacks
	// may run on any goroutine, but never from within Open, Send or Close
	// (the page holds its lock then).
	Open(port int, onData func([]byte), onClose func(reason string)) RemoteConn
}

// RemoteConn is one stream opened by a Remote. Send queues bytes until the
// stream is open.
type RemoteConn interface {
	Send(p []byte)
	Close()
}

// Page is the playground's world and everything the page shows of it. Its
// methods are safe to call from several goroutines (JavaScript callbacks and
// the pacing loop).
//
// The world the page shows is its run (embedded): the live run (head), or,
// while the learner scrubs the timeline back, a replay of the head to that
// moment. Acting from a past moment forks: the replay becomes the head.
type Page struct {
	mu sync.Mutex
	*run
	head  *run
	seed  uint64
	speed float64
	pause bool

	fired []func() // callbacks to run once the lock is released

	remote    Remote
	native    map[int]bool         // ports of native nodes reachable through remote
	scripting func() script.Engine // each node's scripting engine (nil: none)
	held      bool                 // a replay is in progress: real time does not move the world

	runs     int64  // runs made, to name each run's timeline
	pool     []*run // checkpoints: replays of the head kept at past moments
	builder  *run   // a checkpoint being built in idle time
	target   Pos    // where builder is going
	built    int    // checkpoints built since the live run was at builtFor events
	builtFor int64

	// lesson is where the current lesson opened, in counts of the live
	// run's history: the same in every replay of it, so a past moment's
	// goals count from the same place.
	lesson lessonMark
}

// run is one world and what the page recorded of it.
type run struct {
	page       *Page
	id         int64
	w          *sim.World
	steps      int64 // events the world has run
	inStep     bool
	actions    []Action
	calls      []*pendingExec
	rdbs       map[int][]byte // the last snapshot each node received in a full sync
	tl         timeline
	ports      []int // the world's nodes, for scanLogs
	portsStale bool
	taken      []Message // delivered since the last TakeMessages
	live       bool      // its callbacks reach the page (false while replaying)

	removed map[int]bool        // nodes the learner removed: not listed until started again
	said    []Said              // every terminal line answered, for the lessons' goals
	cli     map[int]*cliSession // what each terminal's redis-cli remembers, by port
}

// Said is one terminal line and what redis-cli printed for it. At is when
// it was typed, Out when the reply came (virtual milliseconds).
type Said struct {
	Port   int     `json:"port"`
	Line   string  `json:"line"`
	Output string  `json:"output"`
	At     float64 `json:"at"`
	Out    float64 `json:"out"`
	at     time.Time
}

type pendingExec struct {
	port  int
	text  string
	at    float64
	line  Line
	calls []*sim.Call
	done  func(string)
}

// Action is one thing done to the world and when: the page's journal,
// from which the same seed replays the same run. When is the number of
// events the world had run (Steps) and the clock (T); Paused matters
// because a command typed into a paused world runs it until the reply.
type Action struct {
	Steps  int64    `json:"steps"`
	T      int64    `json:"t"`  // virtual nanoseconds since the world started
	At     float64  `json:"at"` // the same in milliseconds, for people
	Paused bool     `json:"paused"`
	Op     string   `json:"op"`
	Args   []string `json:"args,omitempty"`
}

// New returns a page whose world has seed, paused at its start.
func New(seed uint64) *Page {
	p := &Page{speed: 1, pause: true}
	p.reset(seed)
	return p
}

func (p *Page) reset(seed uint64) {
	p.seed = seed
	if p.head != nil {
		p.head.cancelCalls("(error) the world was reset")
	}
	p.head = p.newRun()
	p.head.live = true
	p.run = p.head
	p.pool, p.builder = nil, nil
	p.lesson = lessonMark{}
}

// newRun makes an empty run of the page's seed.
func (p *Page) newRun() *run {
	p.runs++
	r := &run{page: p, id: p.runs, w: sim.New(p.seed), rdbs: map[int][]byte{}, removed: map[int]bool{}}
	r.tl.init()
	r.w.OnSend(r.sent)
	r.w.OnDeliver(r.delivered)
	r.w.OnLost(r.lost)
	r.w.Dialer = r.dial
	r.w.Scripting = p.scripting
	return r
}

// cancelCalls answers the commands still waiting: their world is gone.
func (r *run) cancelCalls(why string) {
	for _, c := range r.calls {
		if c.done != nil && r.live {
			done := c.done
			r.page.fired = append(r.page.fired, func() { done(why) })
		}
	}
	r.calls = nil
}

// Reset replaces the world with a fresh one from seed (paused, empty).
func (p *Page) Reset(seed uint64) {
	p.do(func() {
		p.reset(seed)
		p.pause = true
	})
}

// SetScripting gives every node of the page the scripting engine f makes
// (the wasm driver passes lua.New), and starts the world again from its
// seed: every run, replays included, must have the same nodes.
func (p *Page) SetScripting(f func() script.Engine) {
	p.do(func() {
		p.scripting = f
		p.reset(p.seed)
		p.pause = true
	})
}

// SetRemote links the page to native nodes on ports through r.
func (p *Page) SetRemote(r Remote, ports []int) {
	p.do(func() {
		p.remote = r
		p.native = map[int]bool{}
		for _, port := range ports {
			p.native[port] = true
		}
	})
}

// do runs fn under the lock, then the callbacks it fired without it, so
// they may call back into the page.
func (p *Page) do(fn func()) {
	p.mu.Lock()
	fn()
	fired := p.fired
	p.fired = nil
	p.mu.Unlock()
	for _, f := range fired {
		f()
	}
}

// act runs an action on the world: from a past moment, it forks first.
func (p *Page) act(fn func()) {
	p.do(func() {
		p.fork()
		fn()
		p.scanLogs()
	})
}

func (r *run) journal(paused bool, op string, args ...string) {
	a := r.position(paused)
	a.Op, a.Args = op, args
	r.actions = append(r.actions, a)
	r.portsStale = true
	r.actionMarker(a)
}

func (r *run) position(paused bool) Action {
	t := r.w.Now().Sub(sim.Epoch)
	return Action{Steps: r.steps, T: int64(t), At: r.millis(), Paused: paused}
}

func (p *Page) position() Action { return p.run.position(p.pause) }

// step runs the world's next event, counted for the journal.
func (r *run) step() bool {
	r.inStep = true
	ok := r.w.Step()
	r.inStep = false
	if !ok {
		return false
	}
	r.steps++
	r.scanLogs()
	if len(r.calls) > 0 {
		r.finishCalls() // each reply at the moment it arrives, in a replay too
	}
	return true
}

// advance runs every event up to now+d one by one (so they are counted),
// then moves the clock there.
func (r *run) advance(d time.Duration) {
	r.advanceTo(r.w.Now().Add(d))
}

func (r *run) advanceTo(until time.Time) {
	for next := r.w.Next(); !next.IsZero() && !next.After(until); next = r.w.Next() {
		r.step()
	}
	if rest := until.Sub(r.w.Now()); rest > 0 {
		r.w.Advance(rest) // no event left before until: only the clock moves
	}
}

// Position is where the world is now, in the journal's terms.
func (p *Page) Position() Action {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.position()
}

// Goto runs the world to a journal position: until it has run steps events,
// then its clock to t; and sets the pause as it was there. Replaying a
// journal is Goto each action, then doing it.
func (p *Page) Goto(steps, t int64, paused bool) (err error) {
	p.do(func() {
		err = p.run.gotoPos(steps, t)
		p.pause = paused
		p.finishCalls()
	})
	return err
}

func (r *run) gotoPos(steps, t int64) error {
	for r.steps < steps {
		if !r.step() {
			return fmt.Errorf("the world ran out of events at %d of %d: not the same run", r.steps, steps)
		}
	}
	if r.steps > steps {
		return fmt.Errorf("the world is past %d events (at %d): not the same run", steps, r.steps)
	}
	if rest := sim.Epoch.Add(time.Duration(t)).Sub(r.w.Now()); rest > 0 {
		r.w.Advance(rest)
	}
	return nil
}

func (r *run) millis() float64 { return ms(r.w.Now()) }

func (p *Page) millis() float64 { return p.run.millis() }

// ms is a virtual time in milliseconds since the world started.
func ms(t time.Time) float64 { return float64(t.Sub(sim.Epoch)) / float64(time.Millisecond) }

// Seed is the world's seed.
func (p *Page) Seed() uint64 {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.seed
}

// Now is the virtual time, in milliseconds since the world started.
func (p *Page) Now() float64 {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.millis()
}

// Clock says whether time is paused and at what speed it runs.
func (p *Page) Clock() (paused bool, speed float64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.pause, p.speed
}

// StartNode starts node port from redis.conf text; a stopped node starts
// again with its dump.rdb. conf "" restarts a known node with its last
// config (as CONFIG REWRITE left it).
func (p *Page) StartNode(port int, conf string, restart bool) (err error) {
	p.act(func() { err = p.run.start(port, conf, restart, p.pause) })
	return userErr(err)
}

func (r *run) start(port int, conf string, restart, paused bool) (err error) {
	r.journal(paused, "start", strconv.Itoa(port), conf, strconv.FormatBool(restart))
	if restart {
		err = r.w.Restart(port)
	} else {
		err = r.w.Start(port, conf)
	}
	if err == nil {
		delete(r.removed, port)
	}
	r.settle(paused)
	return err
}

// StopNode shuts node port down as SHUTDOWN [NO]SAVE does.
func (p *Page) StopNode(port int, save bool) (err error) {
	p.act(func() {
		p.run.journal(p.pause, "stop", strconv.Itoa(port), strconv.FormatBool(save))
		err = p.w.Stop(port, save)
		p.run.settle(p.pause)
	})
	return userErr(err)
}

// CrashNode kills node port as kill -9 does; loseDisk also deletes its dump.
func (p *Page) CrashNode(port int, loseDisk bool) {
	p.act(func() {
		p.run.journal(p.pause, "crash", strconv.Itoa(port), strconv.FormatBool(loseDisk))
		p.w.Crash(port, loseDisk)
		p.run.settle(p.pause)
	})
}

// RemoveNode takes node port out of the page: killed, its disk lost, and
// no longer listed; starting the port again makes a fresh node.
func (p *Page) RemoveNode(port int) {
	p.act(func() {
		p.run.journal(p.pause, "remove", strconv.Itoa(port))
		p.w.Crash(port, true)
		p.removed[port] = true
		p.run.settle(p.pause)
	})
}

// userErr drops the simulator's prefix: the page names the node already.
func userErr(err error) error {
	if err == nil {
		return nil
	}
	msg := err.Error()
	msg = strings.TrimPrefix(msg, "sim: ")
	return errors.New(msg)
}

// Exec runs a terminal line on node port and calls done with what
// redis-cli would print. done runs on the goroutine that advances the world
// to the reply (or on this one), without the page's lock.
func (p *Page) Exec(port int, text string, done func(string)) {
	p.do(func() {
		// What redis-cli does itself (help, a refused line) never reaches
		// the node, nor the journal.
		if local := Interpret(text); local.Op != "send" {
			p.fired = append(p.fired, func() { done(local.Text) })
			return
		}
		line := ParseLine(text)
		p.fork()
		p.run.exec(port, text, line, p.pause, done)
		p.scanLogs()
	})
}

func (r *run) exec(port int, text string, line Line, paused bool, done func(string)) {
	r.journal(paused, "exec", strconv.Itoa(port), text)
	pe := &pendingExec{port: port, text: text, at: r.millis(), line: line, done: done}
	args := make([]string, len(line.Args))
	for i, a := range line.Args {
		args[i] = string(a)
	}
	for range line.Repeat {
		pe.calls = append(pe.calls, r.w.Exec(port, args...))
	}
	r.calls = append(r.calls, pe)
	r.settle(paused)
}

// settle answers waiting commands. While time is paused it runs the world
// just until they are answered (a command takes microseconds), so a user can
// type into a paused world; a command that waits (WAIT, BLPOP) waits for
// time to run.
func (r *run) settle(paused bool) {
	if paused {
		limit := r.w.Now().Add(time.Millisecond)
		for i := 0; i < settleSteps && r.waiting(); i++ {
			next := r.w.Next()
			if next.IsZero() || next.After(limit) {
				break
			}
			r.step()
		}
	}
	r.finishCalls()
}

func (r *run) waiting() bool {
	for _, c := range r.calls {
		if !c.complete() {
			return true
		}
	}
	return false
}

func (c *pendingExec) complete() bool {
	for _, call := range c.calls {
		if !call.Done() {
			return false
		}
	}
	return true
}

func (r *run) finishCalls() {
	kept := r.calls[:0]
	for _, c := range r.calls {
		if !c.complete() {
			kept = append(kept, c)
			continue
		}
		out := make([]string, len(c.calls))
		for i, call := range c.calls {
			out[i] = cliText(call)
			r.session(c.port).after(call)
		}
		text := strings.Join(out, "\n")
		r.said = append(r.said, Said{Port: c.port, Line: c.text, Output: text, At: c.at, Out: r.millis(), at: r.w.Now()})
		if done := c.done; done != nil && r.live {
			r.page.fired = append(r.page.fired, func() { done(text) })
		}
	}
	clear(r.calls[len(kept):])
	r.calls = kept
}

func (p *Page) finishCalls() { p.run.finishCalls() }

// cliText is what redis-cli prints for a call: the reply, nothing after a
// SHUTDOWN that closed the connection, and "Could not connect ..." when
// the node is down.
func cliText(c *sim.Call) string {
	if c.Reply() != nil {
		v, _, err := resp.ReadValue(c.Reply())
		if err != nil {
			return "Error: Protocol error"
		}
		return formatReply(c.Args, v)
	}
	if len(c.Args) > 0 && strings.EqualFold(c.Args[0], "shutdown") {
		return ""
	}
	if strings.HasPrefix(c.Err(), "Could not connect") {
		return c.Err()
	}
	// The server closed the connection (QUIT, CLIENT KILL, a crash):
	// redis-cli reports the lost connection the same way.
	return "Error: Server closed the connection"
}

// Tick advances the world by real time elapsed times the speed, unless
// paused. At a past moment the world plays on from there (a fork).
func (p *Page) Tick(elapsed time.Duration) {
	p.do(func() {
		if p.pause || p.held || elapsed <= 0 {
			p.finishCalls()
			return
		}
		p.fork()
		d := time.Duration(float64(min(elapsed, maxTick)) * p.speed)
		p.run.advance(d)
		p.finishCalls()
	})
}

// Pause stops the clock.
func (p *Page) Pause() {
	p.do(func() { p.pause = true })
}

// Play runs the clock at speed times real time (1 when speed <= 0).
func (p *Page) Play(speed float64) {
	p.do(func() {
		if speed <= 0 {
			speed = 1
		}
		p.pause, p.speed = false, speed
	})
}

// Step runs the next scheduled event and reports whether there was one.
func (p *Page) Step() (ok bool) {
	p.do(func() {
		p.fork()
		ok = p.run.step()
		p.finishCalls()
	})
	return ok
}

// Advance runs the world for d of virtual time at once.
func (p *Page) Advance(d time.Duration) {
	p.do(func() {
		p.fork()
		p.run.advance(d)
		p.finishCalls()
	})
}

// Cut partitions nodes a and b.
func (p *Page) Cut(a, b int) {
	p.act(func() {
		p.run.journal(p.pause, "cut", strconv.Itoa(a), strconv.Itoa(b))
		p.w.Cut(a, b)
	})
}

// Heal ends the partition between a and b.
func (p *Page) Heal(a, b int) {
	p.act(func() {
		p.run.journal(p.pause, "heal", strconv.Itoa(a), strconv.Itoa(b))
		p.w.Heal(a, b)
	})
}

// Latency sets the one-way latency between a and b.
func (p *Page) Latency(a, b int, d time.Duration) {
	p.act(func() {
		p.run.journal(p.pause, "latency", strconv.Itoa(a), strconv.Itoa(b), d.String())
		p.w.Latency(a, b, d)
	})
}

// Rate limits the link between a and b to bytesPerSec each way (0: no
// limit), so a big transfer takes seconds.
func (p *Page) Rate(a, b, bytesPerSec int) {
	p.act(func() {
		p.run.journal(p.pause, "rate", strconv.Itoa(a), strconv.Itoa(b), strconv.Itoa(bytesPerSec))
		p.w.Rate(a, b, bytesPerSec)
	})
}

// Conf is node port's redis.conf as the node has it (with what CONFIG
// REWRITE wrote), "" for a node never started.
func (p *Page) Conf(port int) string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.w.Config(port)
}

// Cuts lists the partitioned pairs.
func (p *Page) Cuts() [][2]int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.w.Cuts()
}

// NodeInfo is one node the page knows.
type NodeInfo struct {
	Port    int  `json:"port"`
	Running bool `json:"running"`
	Native  bool `json:"native,omitempty"`
}

// Nodes lists the page's nodes, in port order.
func (p *Page) Nodes() []NodeInfo {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := []NodeInfo{} // JSON [], not null
	for _, port := range p.w.Ports() {
		if p.removed[port] {
			continue
		}
		out = append(out, NodeInfo{Port: port, Running: p.w.Node(port) != nil})
	}
	return out
}

// Logs returns node port's log lines from index from on, in Redis's format.
func (p *Page) Logs(port, from int) []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	lines := p.w.Logs(port)
	if from < 0 || from > len(lines) {
		from = len(lines)
	}
	out := make([]string, 0, len(lines)-from)
	for _, l := range lines[from:] {
		out = append(out, FormatLog(l, port))
	}
	return out
}

// FormatLog renders a line as Redis's log shows it; pid is the node's
// (the simulator gives each node its port as pid).
func FormatLog(l node.LogLine, pid int) string {
	if l.Role == 0 {
		return l.Text // already formatted, as Redis's signal handler writes
	}
	return l.Format(pid)
}

// State reads node port's replication state.
func (p *Page) State(port int) State {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.run.state(port)
}

func (r *run) state(port int) State {
	n := r.w.Node(port)
	if n == nil {
		return State{Port: port, Replicas: []Replica{}}
	}
	return stateFrom(port, n.Replication())
}

// TakeMessages returns the live run's messages delivered since the last
// call.
func (p *Page) TakeMessages() []Message {
	p.mu.Lock()
	defer p.mu.Unlock()
	m := p.head.taken
	p.head.taken = nil
	return m
}

// RDB returns the last snapshot node port received in a full sync (nil
// when none yet).
func (p *Page) RDB(port int) []byte {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.rdbs[port]
}

// Actions is the journal of what was done to the world.
func (p *Page) Actions() []Action {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]Action(nil), p.actions...)
}

// Prompt is redis-cli's prompt in node port's terminal while connected:
// "127.0.0.1:6379> ", with the database SELECTed and "(TX)" in a MULTI.
func (p *Page) Prompt(port int) string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.run.session(port).prompt(port)
}

// Said lists the terminal lines answered so far and what they printed.
func (p *Page) Said() []Said {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]Said{}, p.said...)
}

// Err is the world's first driver error, "" when none: a bug to report.
func (p *Page) Err() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	if err := p.w.Err(); err != nil {
		return err.Error()
	}
	return ""
}

// dial links a sim node to a native node through the remote, when port is
// one the page may reach; anything else is refused, as an address with
// nothing listening is. Replays of the past never reach outside.
func (r *run) dial(from int, addr string) *sim.External {
	p := r.page
	host, portText, ok := strings.Cut(addr, ":")
	port, err := strconv.Atoi(portText)
	if !ok || err != nil || !r.live || p.remote == nil || !p.native[port] || (host != "127.0.0.1" && host != "localhost") {
		return nil
	}
	ext := sim.NewExternal()
	var conn RemoteConn
	out := r.tl.newFlow(from, port)
	in := r.tl.newFlow(port, from)
	ext.OnData = func(b []byte) {
		r.external(out, b)
		conn.Send(b)
	}
	ext.OnClose = func() { conn.Close() }
	// The remote's callbacks come from outside the world: take the lock.
	conn = p.remote.Open(port,
		func(b []byte) {
			b = append([]byte(nil), b...)
			p.do(func() {
				r.external(in, b)
				ext.Deliver(b)
				r.settle(p.pause)
			})
		},
		func(reason string) {
			p.do(func() {
				ext.Close()
				r.settle(p.pause)
			})
		})
	return ext
}

// Hold stops real time from moving the world while a journal is replayed
// (its actions set the pause as it was, playing or not), and releases it.
func (p *Page) Hold(on bool) {
	p.do(func() { p.held = on })
}

// Apply does a journal's action again (after Goto its position); done gets
// an exec's output. A journal from another version of the page may hold
// actions this one does not know: they are errors.
func (p *Page) Apply(a Action, done func(string)) error {
	if a.Op == "exec" {
		port, _ := strconv.Atoi(arg(a, 0))
		p.Exec(port, arg(a, 1), done)
		return nil
	}
	var err error
	p.act(func() { err = p.run.apply(a) })
	return userErr(err)
}

func arg(a Action, i int) string {
	if i < len(a.Args) {
		return a.Args[i]
	}
	return ""
}

// apply does action a on r, as it was done (paused or not).
func (r *run) apply(a Action) error {
	num := func(i int) int { n, _ := strconv.Atoi(arg(a, i)); return n }
	yes := func(i int) bool { return arg(a, i) == "true" }
	op := func(fn func()) {
		r.journal(a.Paused, a.Op, a.Args...)
		fn()
	}
	switch a.Op {
	case "start":
		return r.start(num(0), arg(a, 1), yes(2), a.Paused)
	case "stop":
		var err error
		op(func() { err = r.w.Stop(num(0), yes(1)); r.settle(a.Paused) })
		return err
	case "crash":
		op(func() { r.w.Crash(num(0), yes(1)); r.settle(a.Paused) })
	case "remove":
		op(func() { r.w.Crash(num(0), true); r.removed[num(0)] = true; r.settle(a.Paused) })
	case "exec":
		line := ParseLine(arg(a, 1))
		if line.Err != "" || len(line.Args) == 0 {
			return fmt.Errorf("exec %q: not a command", arg(a, 1))
		}
		r.exec(num(0), arg(a, 1), line, a.Paused, nil)
	case "cut":
		op(func() { r.w.Cut(num(0), num(1)) })
	case "heal":
		op(func() { r.w.Heal(num(0), num(1)) })
	case "rate":
		op(func() { r.w.Rate(num(0), num(1), num(2)) })
	case "latency":
		d, err := time.ParseDuration(arg(a, 2))
		if err != nil {
			return fmt.Errorf("latency %q: %w", arg(a, 2), err)
		}
		op(func() { r.w.Latency(num(0), num(1), d) })
	default:
		return fmt.Errorf("unknown action %q", a.Op)
	}
	return nil
}

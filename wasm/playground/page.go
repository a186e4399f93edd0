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
type Page struct {
	mu    sync.Mutex
	w     *sim.World
	seed  uint64
	speed float64
	pause bool

	decoders map[decKey]*decoder
	msgs     []Message
	nextMsg  int64
	rdbs     map[int][]byte // the last snapshot each node received in a full sync

	calls []*pendingExec
	fired []func() // callbacks to run once the lock is released

	remote  Remote
	native  map[int]bool // ports of native nodes reachable through remote
	actions []Action
	steps   int64 // events the world has run
	held    bool  // a replay is in progress: real time does not move the world

	removed map[int]bool // nodes the learner removed: not listed until started again
	said    []Said       // every terminal line answered, for the lessons' goals
	mark    lessonMark   // where the current lesson opened
}

// Said is one terminal line and what redis-cli printed for it.
type Said struct {
	Port   int    `json:"port"`
	Line   string `json:"line"`
	Output string `json:"output"`
	at     time.Time
}

type decKey struct{ from, to, dialer int }

type pendingExec struct {
	port  int
	text  string
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
	p.w = sim.New(seed)
	p.w.OnDeliver(p.delivered)
	p.w.Dialer = p.dial
	p.decoders = map[decKey]*decoder{}
	p.msgs = nil
	p.rdbs = map[int][]byte{}
	p.actions = nil
	p.steps = 0
	p.said = nil
	p.mark = lessonMark{}
	p.removed = map[int]bool{}
	for _, c := range p.calls {
		c := c
		p.fired = append(p.fired, func() { c.done("(error) the world was reset") })
	}
	p.calls = nil
}

// Reset replaces the world with a fresh one from seed (paused, empty).
func (p *Page) Reset(seed uint64) {
	p.do(func() {
		p.reset(seed)
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

func (p *Page) journal(op string, args ...string) {
	a := p.position()
	a.Op, a.Args = op, args
	p.actions = append(p.actions, a)
}

func (p *Page) position() Action {
	t := p.w.Now().Sub(sim.Epoch)
	return Action{Steps: p.steps, T: int64(t), At: p.millis(), Paused: p.pause}
}

// step runs the world's next event, counted for the journal.
func (p *Page) step() bool {
	if !p.w.Step() {
		return false
	}
	p.steps++
	return true
}

// advance runs every event up to now+d one by one (so they are counted),
// then moves the clock there.
func (p *Page) advance(d time.Duration) {
	until := p.w.Now().Add(d)
	for next := p.w.Next(); !next.IsZero() && !next.After(until); next = p.w.Next() {
		p.step()
	}
	if rest := until.Sub(p.w.Now()); rest > 0 {
		p.w.Advance(rest) // no event left before until: only the clock moves
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
		for p.steps < steps {
			if !p.step() {
				err = fmt.Errorf("the world ran out of events at %d of %d: not the same run", p.steps, steps)
				return
			}
		}
		if p.steps > steps {
			err = fmt.Errorf("the world is past %d events (at %d): not the same run", steps, p.steps)
			return
		}
		if rest := sim.Epoch.Add(time.Duration(t)).Sub(p.w.Now()); rest > 0 {
			p.w.Advance(rest)
		}
		p.pause = paused
		p.finishCalls()
	})
	return err
}

func (p *Page) millis() float64 {
	return float64(p.w.Now().Sub(sim.Epoch)) / float64(time.Millisecond)
}

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
	p.do(func() {
		p.journal("start", strconv.Itoa(port), conf, strconv.FormatBool(restart))
		if restart {
			err = p.w.Restart(port)
		} else {
			err = p.w.Start(port, conf)
		}
		if err == nil {
			delete(p.removed, port)
		}
		p.settle()
	})
	return userErr(err)
}

// StopNode shuts node port down as SHUTDOWN [NO]SAVE does.
func (p *Page) StopNode(port int, save bool) (err error) {
	p.do(func() {
		p.journal("stop", strconv.Itoa(port), strconv.FormatBool(save))
		err = p.w.Stop(port, save)
		p.forget(port)
		p.settle()
	})
	return userErr(err)
}

// CrashNode kills node port as kill -9 does; loseDisk also deletes its dump.
func (p *Page) CrashNode(port int, loseDisk bool) {
	p.do(func() {
		p.journal("crash", strconv.Itoa(port), strconv.FormatBool(loseDisk))
		p.w.Crash(port, loseDisk)
		p.forget(port)
		p.settle()
	})
}

// RemoveNode takes node port out of the page: killed, its disk lost, and
// no longer listed; starting the port again makes a fresh node.
func (p *Page) RemoveNode(port int) {
	p.do(func() {
		p.journal("remove", strconv.Itoa(port))
		p.w.Crash(port, true)
		p.forget(port)
		p.removed[port] = true
		p.settle()
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

// forget drops the decoders of port's connections, which are gone.
func (p *Page) forget(port int) {
	for k := range p.decoders {
		if k.from == port || k.to == port {
			delete(p.decoders, k)
		}
	}
}

// Exec runs a terminal line on node port and calls done with what
// redis-cli would print. done runs on the goroutine that advances the world
// to the reply (or on this one), without the page's lock.
func (p *Page) Exec(port int, text string, done func(string)) {
	p.do(func() {
		line := ParseLine(text)
		if line.Err != "" {
			p.fired = append(p.fired, func() { done(line.Err) })
			return
		}
		if len(line.Args) == 0 {
			p.fired = append(p.fired, func() { done("") })
			return
		}
		p.journal("exec", strconv.Itoa(port), text)
		pe := &pendingExec{port: port, text: text, line: line, done: done}
		args := make([]string, len(line.Args))
		for i, a := range line.Args {
			args[i] = string(a)
		}
		for range line.Repeat {
			pe.calls = append(pe.calls, p.w.Exec(port, args...))
		}
		p.calls = append(p.calls, pe)
		p.settle()
	})
}

// settle answers waiting commands. While time is paused it runs the world
// just until they are answered (a command takes microseconds), so a user can
// type into a paused world; a command that waits (WAIT, BLPOP) waits for
// time to run.
func (p *Page) settle() {
	if p.pause {
		limit := p.w.Now().Add(time.Millisecond)
		for i := 0; i < settleSteps && p.waiting(); i++ {
			next := p.w.Next()
			if next.IsZero() || next.After(limit) {
				break
			}
			p.step()
		}
	}
	p.finishCalls()
}

func (p *Page) waiting() bool {
	for _, c := range p.calls {
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

func (p *Page) finishCalls() {
	kept := p.calls[:0]
	for _, c := range p.calls {
		if !c.complete() {
			kept = append(kept, c)
			continue
		}
		out := make([]string, len(c.calls))
		for i, call := range c.calls {
			out[i] = cliText(call)
		}
		text := strings.Join(out, "\n")
		p.said = append(p.said, Said{Port: c.port, Line: c.text, Output: text, at: p.w.Now()})
		done := c.done
		p.fired = append(p.fired, func() { done(text) })
	}
	clear(p.calls[len(kept):])
	p.calls = kept
}

// cliText is what redis-cli prints for a call: the reply, nothing after a
// SHUTDOWN that closed the connection, and "Could not connect ..." when
// the node is down.
func cliText(c *sim.Call) string {
	if c.Reply() != nil {
		v, _, err := resp.ReadValue(c.Reply())
		if err != nil {
			return "Error: Protocol error"
		}
		return resp.FormatCLI(v)
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
// paused.
func (p *Page) Tick(elapsed time.Duration) {
	p.do(func() {
		if p.pause || p.held || elapsed <= 0 {
			p.finishCalls()
			return
		}
		d := time.Duration(float64(min(elapsed, maxTick)) * p.speed)
		p.advance(d)
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
		ok = p.step()
		p.finishCalls()
	})
	return ok
}

// Advance runs the world for d of virtual time at once.
func (p *Page) Advance(d time.Duration) {
	p.do(func() {
		p.advance(d)
		p.finishCalls()
	})
}

// Cut partitions nodes a and b.
func (p *Page) Cut(a, b int) {
	p.do(func() {
		p.journal("cut", strconv.Itoa(a), strconv.Itoa(b))
		p.w.Cut(a, b)
	})
}

// Heal ends the partition between a and b.
func (p *Page) Heal(a, b int) {
	p.do(func() {
		p.journal("heal", strconv.Itoa(a), strconv.Itoa(b))
		p.w.Heal(a, b)
	})
}

// Latency sets the one-way latency between a and b.
func (p *Page) Latency(a, b int, d time.Duration) {
	p.do(func() {
		p.journal("latency", strconv.Itoa(a), strconv.Itoa(b), d.String())
		p.w.Latency(a, b, d)
	})
}

// Rate limits the link between a and b to bytesPerSec each way (0: no
// limit), so a big transfer takes seconds.
func (p *Page) Rate(a, b, bytesPerSec int) {
	p.do(func() {
		p.journal("rate", strconv.Itoa(a), strconv.Itoa(b), strconv.Itoa(bytesPerSec))
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
	n := p.w.Node(port)
	if n == nil {
		return State{Port: port, Replicas: []Replica{}}
	}
	return ParseInfo(port, n.Info("replication"))
}

// TakeMessages returns the messages delivered since the last call.
func (p *Page) TakeMessages() []Message {
	p.mu.Lock()
	defer p.mu.Unlock()
	m := p.msgs
	p.msgs = nil
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

// Err is the world's first driver error, "" when none: a bug to report.
func (p *Page) Err() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	if err := p.w.Err(); err != nil {
		return err.Error()
	}
	return ""
}

// delivered labels a chunk crossing a node-to-node link.
func (p *Page) delivered(d sim.Delivery) {
	p.record(d.From, d.To, d.Dialer, d.Data)
}

func (p *Page) record(from, to, dialer int, data []byte) {
	k := decKey{from, to, dialer}
	dec := p.decoders[k]
	if dec == nil {
		dec = &decoder{}
		p.decoders[k] = dec
	}
	kind, parts, rdb := dec.feed(data)
	if rdb != nil {
		p.rdbs[to] = rdb
	}
	p.nextMsg++
	if len(p.msgs) >= maxMessages {
		p.msgs = append(p.msgs[:0], p.msgs[len(p.msgs)-maxMessages/2:]...)
	}
	p.msgs = append(p.msgs, Message{ID: p.nextMsg, From: from, To: to, At: p.millis(), Bytes: len(data), Kind: kind, Parts: parts})
}

// dial links a sim node to a native node through the remote, when port is
// one the page may reach; anything else is refused, as an address with
// nothing listening is.
func (p *Page) dial(from int, addr string) *sim.External {
	host, portText, ok := strings.Cut(addr, ":")
	port, err := strconv.Atoi(portText)
	if !ok || err != nil || p.remote == nil || !p.native[port] || (host != "127.0.0.1" && host != "localhost") {
		return nil
	}
	ext := sim.NewExternal()
	var conn RemoteConn
	ext.OnData = func(b []byte) {
		p.record(from, port, from, b)
		conn.Send(b)
	}
	ext.OnClose = func() { conn.Close() }
	// The remote's callbacks come from outside the world: take the lock.
	conn = p.remote.Open(port,
		func(b []byte) {
			b = append([]byte(nil), b...)
			p.do(func() {
				p.record(port, from, from, b)
				ext.Deliver(b)
				p.settle()
			})
		},
		func(reason string) {
			p.do(func() {
				delete(p.decoders, decKey{from, port, from})
				delete(p.decoders, decKey{port, from, from})
				ext.Close()
				p.settle()
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
	arg := func(i int) string {
		if i < len(a.Args) {
			return a.Args[i]
		}
		return ""
	}
	num := func(i int) int { n, _ := strconv.Atoi(arg(i)); return n }
	yes := func(i int) bool { return arg(i) == "true" }
	switch a.Op {
	case "start":
		return p.StartNode(num(0), arg(1), yes(2))
	case "stop":
		return p.StopNode(num(0), yes(1))
	case "crash":
		p.CrashNode(num(0), yes(1))
	case "remove":
		p.RemoveNode(num(0))
	case "exec":
		p.Exec(num(0), arg(1), done)
	case "cut":
		p.Cut(num(0), num(1))
	case "heal":
		p.Heal(num(0), num(1))
	case "rate":
		p.Rate(num(0), num(1), num(2))
	case "latency":
		d, err := time.ParseDuration(arg(2))
		if err != nil {
			return fmt.Errorf("latency %q: %w", arg(2), err)
		}
		p.Latency(num(0), num(1), d)
	default:
		return fmt.Errorf("unknown action %q", a.Op)
	}
	return nil
}

package sim

import (
	"fmt"
	"math/rand/v2"
	"runtime/debug"
	"strconv"
	"strings"
	"time"
)

// Options tune Run.
type Options struct {
	Trace bool // record the world's trace (Result.World.TraceLines)
}

// Result is the outcome of one random scenario.
type Result struct {
	Seed        uint64
	Err         error  // the first invariant violated, driver error or panic
	Knobs       string // the swarm knobs the seed chose
	SimTime     time.Duration
	NodeSeconds float64
	Stats       Stats
	World       *World
}

// Run plays the random scenario of seed: a few nodes in a random
// topology, swarm knobs drawn from the seed (faults, backlog sizes, sync
// modes, timeouts, persistence), a chaos phase of client commands over all
// types aimed at masters and replicas, with cuts, crashes, restarts and
// topology changes, then a quiescent phase (faults healed, every node up,
// no writes) at whose end every invariant is checked.
func Run(seed uint64, opt Options) (res Result) {
	sc := newScenario(seed)
	res.Seed = seed
	res.Knobs = sc.knobs.String()
	res.World = sc.w
	sc.w.Trace(opt.Trace)
	defer func() {
		if r := recover(); r != nil {
			res.Err = fmt.Errorf("panic at %s: %v\n%s", sc.w.now.Format("15:04:05.000000"), r, debug.Stack())
			sc.w.tracef(0, "PANIC: %v", r)
		}
		res.SimTime = sc.w.now.Sub(Epoch)
		res.NodeSeconds = sc.w.NodeSeconds()
		res.Stats = sc.k.stats
		res.Stats.Runs = 1
	}()
	res.Err = sc.run()
	return res
}

// knobs are the seed's swarm parameters, as TigerBeetle's simulator draws
// them: each run explores a different corner.
type knobs struct {
	nodes    int
	faults   Faults
	chaos    time.Duration
	gap      time.Duration // mean time between actions
	faulty   bool          // cuts, crashes, restarts
	topology bool          // REPLICAOF changes and promotions
	boundary bool          // the boundary script runs first (boundary.go)
	confs    []string
}

func (k knobs) String() string {
	var b strings.Builder
	if k.boundary {
		b.WriteString("boundary script, then ")
	}
	fmt.Fprintf(&b, "nodes=%d chaos=%s gap=%s faulty=%v topology=%v chunk=%d jitter=%s stall=%.4f/%s reset=%.4f snapdelay=%s",
		k.nodes, k.chaos, k.gap, k.faulty, k.topology, k.faults.MaxChunk, k.faults.Jitter, k.faults.StallRate, k.faults.Stall, k.faults.ResetRate, k.faults.SnapshotDelay)
	for i, c := range k.confs {
		fmt.Fprintf(&b, "\n  node %d: %s", portOf(i), strings.ReplaceAll(strings.TrimSpace(c), "\n", "; "))
	}
	return b.String()
}

func portOf(i int) int { return 6379 - i }

func pick[T any](r *rand.Rand, xs ...T) T { return xs[r.IntN(len(xs))] }

func drawKnobs(r *rand.Rand) knobs {
	k := knobs{nodes: 2 + r.IntN(4)}
	if r.IntN(5) > 0 {
		k.faults = Faults{
			MaxChunk:      pick(r, 0, 1+r.IntN(16), 1+r.IntN(512), 1+r.IntN(8192)),
			Jitter:        time.Duration(r.IntN(3000)) * time.Microsecond,
			StallRate:     pick(r, 0, 0.001, 0.01),
			Stall:         time.Duration(r.IntN(3000)) * time.Millisecond,
			ResetRate:     pick(r, 0, 0, 0.0005, 0.002),
			SnapshotDelay: time.Duration(r.IntN(1000)) * time.Millisecond,
		}
	}
	k.chaos = time.Duration(3+r.IntN(20)) * time.Second
	k.gap = time.Duration(2+r.IntN(60)) * time.Millisecond
	k.faulty = r.IntN(4) > 0
	k.topology = r.IntN(3) > 0
	for i := range k.nodes {
		var c strings.Builder
		fmt.Fprintf(&c, "repl-backlog-size %d\n", pick(r, 1<<20, 16384, 200+r.IntN(4000)))
		fmt.Fprintf(&c, "repl-diskless-sync %s\n", pick(r, "yes", "no"))
		fmt.Fprintf(&c, "repl-diskless-sync-delay %d\n", pick(r, 0, 0, 1, 5))
		fmt.Fprintf(&c, "repl-timeout %d\n", pick(r, 60, 3+r.IntN(10)))
		fmt.Fprintf(&c, "repl-ping-replica-period %d\n", 1+r.IntN(10))
		switch r.IntN(3) {
		case 0:
			c.WriteString("save \"\"\n")
		case 1:
			c.WriteString("save 1 1\n")
		}
		if r.IntN(4) == 0 {
			c.WriteString("replica-read-only no\n")
		}
		if i > 0 {
			fmt.Fprintf(&c, "replicaof 127.0.0.1 %d\n", portOf(r.IntN(i)))
		}
		k.confs = append(k.confs, c.String())
	}
	return k
}

// scenario is one run's workload: what it believes of the topology, its
// clients, the keys it uses.
type scenario struct {
	r      *rand.Rand
	w      *World
	k      *checker
	knobs  knobs
	ports  []int
	conf   map[int]int // replicaof in the config file (0: none)
	master map[int]int // what the workload believes (0: a master)
	// topoGen counts the changes of each node's role the workload made.
	topoGen map[int]int
	write   map[int]bool // replica-read-only no
	cl      map[int]*Client
	local   int
	// The boundary script's db, and the offsets its replicas saved at.
	bdb     int
	dumpOff map[int]int64
}

func newScenario(seed uint64) *scenario {
	r := rand.New(rand.NewPCG(seed, 0x73696d))
	kn := drawKnobs(r)
	if isBoundary(seed) {
		kn = drawBoundaryKnobs(r)
	}
	w := NewWithFaults(seed, kn.faults)
	sc := &scenario{r: r, w: w, knobs: kn, conf: map[int]int{}, master: map[int]int{}, topoGen: map[int]int{}, write: map[int]bool{}, cl: map[int]*Client{}, dumpOff: map[int]int64{}}
	sc.k = newChecker(w)
	for i, c := range kn.confs {
		p := portOf(i)
		sc.ports = append(sc.ports, p)
		if _, m, ok := strings.Cut(c, "replicaof 127.0.0.1 "); ok {
			sc.conf[p], _ = strconv.Atoi(strings.TrimSpace(m))
		}
		sc.master[p] = sc.conf[p]
		sc.write[p] = strings.Contains(c, "replica-read-only no")
		sc.k.noPsync[p] = strings.Contains(c, "rename-command PSYNC \"\"")
	}
	return sc
}

func (sc *scenario) run() error {
	for i, p := range sc.ports {
		if err := sc.w.Start(p, sc.knobs.confs[i]); err != nil {
			return err
		}
		sc.w.Advance(time.Duration(sc.r.IntN(500)) * time.Millisecond)
	}
	if sc.knobs.boundary {
		if err := sc.boundary(); err != nil {
			return err
		}
	}
	end := sc.w.now.Add(sc.knobs.chaos)
	for sc.w.now.Before(end) {
		gap := time.Duration(sc.r.ExpFloat64() * float64(sc.knobs.gap))
		sc.w.Advance(gap)
		if err := sc.failed(); err != nil {
			return err
		}
		sc.act()
	}
	if err := sc.failed(); err != nil {
		return err
	}
	return sc.quiesce()
}

func (sc *scenario) failed() error {
	if sc.k.err != nil {
		return sc.k.err
	}
	return sc.w.err
}

// up lists the running nodes.
func (sc *scenario) up() []int {
	var out []int
	for _, p := range sc.ports {
		if sc.w.Node(p) != nil {
			out = append(out, p)
		}
	}
	return out
}

func (sc *scenario) client(p int) *Client {
	c := sc.cl[p]
	if c == nil || c.closed || sc.r.IntN(50) == 0 {
		if c != nil && !c.closed && c.Pending() == 0 {
			c.Close()
		}
		var err error
		if c, err = sc.w.Client(p); err != nil {
			return nil
		}
		sc.cl[p] = c
	}
	return c
}

// exec sends a command with the checker's tag on c (nil: nobody to send it to).
func (sc *scenario) exec(c *Client, tag *callTag, args ...string) *Call {
	if c == nil {
		return &Call{Args: args, done: true, err: "no client"}
	}
	return c.sendTagged(args, tag)
}

// act does one random thing.
func (sc *scenario) act() {
	up := sc.up()
	x := sc.r.IntN(1000)
	switch {
	case len(up) == 0 || x < 15 && sc.knobs.faulty:
		sc.restartOne()
	case x < 30 && sc.knobs.faulty:
		a, b := pick(sc.r, sc.ports...), pick(sc.r, sc.ports...)
		if a != b {
			sc.w.Cut(a, b)
		}
	case x < 50 && sc.knobs.faulty:
		if cuts := sc.w.Cuts(); len(cuts) > 0 {
			c := pick(sc.r, cuts...)
			sc.w.Heal(c[0], c[1])
		}
	case x < 56 && sc.knobs.faulty:
		p := pick(sc.r, up...)
		sc.w.Crash(p, sc.r.IntN(3) == 0)
		sc.setMaster(p, sc.conf[p])
	case x < 62 && sc.knobs.faulty:
		p := pick(sc.r, up...)
		if err := sc.w.Stop(p, sc.r.IntN(4) > 0); err != nil {
			sc.k.failf("stop %d: %v", p, err)
		}
		sc.setMaster(p, sc.conf[p])
	case x < 75 && sc.knobs.topology:
		sc.replicaOf(pick(sc.r, up...))
	case x < 83 && sc.knobs.topology:
		p := pick(sc.r, up...)
		if sc.master[p] != 0 {
			gen := sc.topoGen[p]
			call := sc.exec(sc.client(p), &callTag{promote: true}, "REPLICAOF", "NO", "ONE")
			call.onDone = func(c *Call) {
				// Only if nothing changed p's role since.
				if string(c.reply) == "+OK\r\n" && sc.topoGen[p] == gen {
					sc.master[p] = 0
				}
			}
		}
	case x < 88:
		p := pick(sc.r, up...)
		sc.exec(sc.client(p), nil, "BGSAVE")
	case x < 92 && sc.knobs.faulty:
		// The backlog resized at run time (Backlog.Resize keeps the newest bytes).
		p := pick(sc.r, up...)
		sc.exec(sc.client(p), nil, "CONFIG", "SET", "repl-backlog-size", itoa(pick(sc.r, 1<<20, 16384, 200+sc.r.IntN(4000))))
	case x < 96 && sc.knobs.faulty:
		// A link closed from one side, as an operator's CLIENT KILL does.
		p := pick(sc.r, up...)
		sc.exec(sc.client(p), nil, "CLIENT", "KILL", "TYPE", pick(sc.r, "master", "replica"))
	case x < 110:
		p := pick(sc.r, up...)
		if sc.master[p] == 0 {
			// On a client of its own, which it blocks (commands queued
			// behind it would run at a time the workload cannot tell),
			// after a write of its own: WAIT waits for the client's writes.
			c, err := sc.w.Client(p)
			if err == nil {
				c.waiter = true
				sc.exec(c, &callTag{write: true}, sc.writeCmd()...)
				call := sc.exec(c, &callTag{wait: true}, "WAIT", itoa(1+sc.r.IntN(3)), itoa(10+sc.r.IntN(1000)))
				call.onDone = func(*Call) { c.Close() }
			}
		}
	case x < 125:
		p := pick(sc.r, up...)
		if sc.master[p] == 0 {
			// A blocking pop, on a client of its own (it blocks), served by
			// a later push or timing out; the master propagates what it did.
			c, err := sc.w.Client(p)
			if err == nil {
				timeout := fmt.Sprintf("%.2f", 0.1+3*sc.r.Float64())
				cmd := pick(sc.r,
					[]string{"BLPOP", sc.key("l"), sc.key("l"), timeout},
					[]string{"BRPOP", sc.key("l"), timeout},
					[]string{"BLMOVE", sc.key("l"), sc.key("l"), "LEFT", "RIGHT", timeout},
					[]string{"BZPOPMIN", sc.key("z"), sc.key("z"), timeout},
					[]string{"BZPOPMAX", sc.key("z"), timeout})
				call := sc.exec(c, &callTag{write: true, blocking: true}, cmd...)
				call.onDone = func(*Call) { c.Close() }
			}
		}
	case x < 150:
		p := pick(sc.r, up...)
		if sc.master[p] == 0 {
			sc.multi(p)
		}
	case x < 160:
		p := pick(sc.r, up...)
		sc.exec(sc.client(p), nil, "SELECT", itoa(sc.r.IntN(4)))
	case x < 170:
		p := pick(sc.r, up...)
		if sc.master[p] == 0 {
			sc.dumpRestore(p)
		}
	case x < 173:
		p := pick(sc.r, up...)
		if sc.master[p] == 0 {
			sc.exec(sc.client(p), &callTag{write: true}, pick(sc.r, []string{"FLUSHDB"}, []string{"FLUSHALL"}, []string{"SWAPDB", "0", "1"})...)
		}
	default:
		p := pick(sc.r, up...)
		switch {
		case sc.master[p] == 0 && sc.r.IntN(5) > 0:
			sc.exec(sc.client(p), &callTag{write: true}, sc.writeCmd()...)
		case sc.master[p] != 0 && sc.write[p] && sc.r.IntN(3) == 0:
			sc.local++
			key := fmt.Sprintf("local:%d:%d", p, sc.local)
			sc.exec(sc.client(p), &callTag{write: true, localKey: key}, "SET", key, "mine")
		case sc.master[p] != 0 && !sc.write[p] && sc.r.IntN(3) == 0:
			sc.exec(sc.client(p), &callTag{write: true}, sc.writeCmd()...)
		default:
			sc.exec(sc.client(p), nil, sc.readCmd()...)
		}
	}
}

func (sc *scenario) restartOne() {
	var down []int
	for _, p := range sc.ports {
		if sc.w.Node(p) == nil {
			down = append(down, p)
		}
	}
	if len(down) == 0 {
		return
	}
	p := pick(sc.r, down...)
	if err := sc.w.Restart(p); err != nil {
		sc.k.failf("restart %d: %v", p, err)
	}
	sc.setMaster(p, sc.conf[p])
}

// setMaster records what the workload now believes p replicates (0: none).
func (sc *scenario) setMaster(p, m int) {
	sc.master[p] = m
	sc.topoGen[p]++
}

// replicaOf points p at another node, never making a cycle of the
// runtime links or of the config files' (a restart goes back to those).
func (sc *scenario) replicaOf(p int) {
	t := pick(sc.r, sc.ports...)
	// Not at a node that refuses PSYNC: a SYNC carries no offsets.
	if t == p || sc.master[p] == t || sc.reaches(t, p) || sc.k.noPsync[t] {
		return
	}
	// The workload takes p for a replica from now on, before the node does,
	// so that it never sends p a write meant for a master.
	sc.setMaster(p, t)
	sc.exec(sc.client(p), nil, "REPLICAOF", "127.0.0.1", itoa(t))
}

// reaches reports whether from reaches to through runtime or config links
// (with p's new link the union must stay acyclic).
func (sc *scenario) reaches(from, to int) bool {
	seen := map[int]bool{}
	stack := []int{from}
	for len(stack) > 0 {
		x := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if x == to {
			return true
		}
		if x == 0 || seen[x] {
			continue
		}
		seen[x] = true
		stack = append(stack, sc.master[x], sc.conf[x])
	}
	return false
}

func (sc *scenario) multi(p int) {
	c := sc.client(p)
	if c == nil {
		return
	}
	if sc.r.IntN(3) == 0 {
		// EXEC aborts (nothing propagated) when another client touched it.
		sc.exec(c, nil, "WATCH", sc.key(pick(sc.r, "s", "n", "l")))
	}
	sc.exec(c, nil, "MULTI")
	for range 1 + sc.r.IntN(4) {
		sc.exec(c, &callTag{write: true}, sc.writeCmd()...)
	}
	if sc.r.IntN(10) == 0 {
		sc.exec(c, nil, "DISCARD")
		return
	}
	sc.exec(c, &callTag{write: true}, "EXEC")
}

// dumpRestore copies a key with DUMP and RESTORE, with a relative TTL that
// the master must propagate as an absolute one (ABSTTL).
func (sc *scenario) dumpRestore(p int) {
	c := sc.client(p)
	if c == nil {
		return
	}
	src := sc.key(pick(sc.r, "s", "set", "z", "l", "h"))
	dst := sc.key(src[:strings.IndexByte(src, ':')])
	ttl := itoa(pick(sc.r, 0, 50+sc.r.IntN(3000)))
	call := sc.exec(c, nil, "DUMP", src)
	call.onDone = func(d *Call) {
		if len(d.reply) < 2 || d.reply[0] != '$' || d.reply[1] == '-' || sc.master[p] != 0 || c.closed {
			return
		}
		_, payload, _ := strings.Cut(string(d.reply), "\r\n")
		payload = strings.TrimSuffix(payload, "\r\n")
		sc.exec(c, &callTag{write: true}, "RESTORE", dst, ttl, payload, "REPLACE")
	}
}

func (sc *scenario) key(kind string) string {
	return kind + ":" + itoa(sc.r.IntN(8))
}

func (sc *scenario) val() string {
	return pick(sc.r, "a", "bb", "redis", "12", "-3", "3.5", strings.Repeat("x", 1+sc.r.IntN(100)), itoa(sc.r.IntN(1000)))
}

func (sc *scenario) num(n int) string { return itoa(sc.r.IntN(n)) }

// writeCmd is a random write over every type, with expiries.
func (sc *scenario) writeCmd() []string {
	r := sc.r
	s, n, st, z, l, h := sc.key("s"), sc.key("n"), sc.key("set"), sc.key("z"), sc.key("l"), sc.key("h")
	switch r.IntN(44) {
	case 0:
		return []string{"SET", s, sc.val()}
	case 1:
		return []string{"SET", s, sc.val(), "EX", itoa(1 + r.IntN(3))}
	case 2:
		return []string{"SET", s, sc.val(), "PX", itoa(20 + r.IntN(2000)), pick(r, "NX", "XX", "GET")}
	case 3:
		return []string{"SET", s, sc.val(), "KEEPTTL"}
	case 4:
		return []string{pick(r, "INCR", "DECR"), n}
	case 5:
		return []string{"INCRBY", n, itoa(r.IntN(100) - 50)}
	case 6:
		return []string{"INCRBYFLOAT", n, "1.5"}
	case 7:
		return []string{"APPEND", s, sc.val()}
	case 8:
		return []string{"SETRANGE", s, sc.num(20), sc.val()}
	case 9:
		return []string{"MSET", s, sc.val(), sc.key("s"), sc.val()}
	case 10:
		return []string{"GETDEL", s}
	case 11:
		return []string{"GETEX", s, pick(r, "EX", "PX", "PERSIST"), itoa(1 + r.IntN(2000))}[:pick(r, 3, 4)]
	case 12:
		return []string{"DEL", sc.key(pick(r, "s", "n", "set", "z", "l", "h"))}
	case 13:
		return []string{"EXPIRE", sc.key(pick(r, "s", "set", "z", "l", "h")), itoa(1 + r.IntN(3))}
	case 14:
		return []string{"PEXPIRE", sc.key(pick(r, "s", "set", "z", "l", "h")), itoa(10 + r.IntN(1500))}
	case 15:
		return []string{"PERSIST", sc.key(pick(r, "s", "set", "z"))}
	case 16:
		return []string{"EXPIREAT", s, strconv.FormatInt(sc.w.now.Unix()+int64(r.IntN(4)), 10)}
	case 17:
		return []string{"RENAME", s, sc.key("s")}
	case 18:
		return []string{"COPY", st, sc.key("set"), "REPLACE"}
	case 19:
		return []string{"SETEX", s, itoa(1 + r.IntN(3)), sc.val()}
	case 20:
		return []string{"SADD", st, sc.val(), sc.val()}
	case 21:
		return []string{"SREM", st, sc.val()}
	case 22:
		return []string{"SPOP", st, itoa(1 + r.IntN(2))}[:pick(r, 2, 3)]
	case 23:
		return []string{"SMOVE", st, sc.key("set"), sc.val()}
	case 24:
		return []string{pick(r, "SINTERSTORE", "SUNIONSTORE", "SDIFFSTORE"), sc.key("set"), st, sc.key("set")}
	case 25:
		return []string{"ZADD", z, sc.num(100), sc.val(), sc.num(10), sc.val()}
	case 26:
		return []string{"ZADD", z, pick(r, "NX", "XX", "GT", "LT"), "INCR", sc.num(10), sc.val()}
	case 27:
		return []string{"ZINCRBY", z, "2.5", sc.val()}
	case 28:
		return []string{"ZREM", z, sc.val()}
	case 29:
		return []string{pick(r, "ZPOPMIN", "ZPOPMAX"), z, itoa(1 + r.IntN(2))}
	case 30:
		return []string{"ZUNIONSTORE", sc.key("z"), "2", z, sc.key("z")}
	case 31:
		return []string{"ZRANGESTORE", sc.key("z"), z, "0", "-1"}
	case 32:
		return []string{"ZMPOP", "2", z, sc.key("z"), pick(r, "MIN", "MAX")}
	case 33:
		return []string{pick(r, "LPUSH", "RPUSH"), l, sc.val(), sc.val()}
	case 34:
		return []string{pick(r, "LPOP", "RPOP"), l, itoa(1 + r.IntN(2))}[:pick(r, 2, 3)]
	case 35:
		return []string{"LTRIM", l, "0", sc.num(5)}
	case 36:
		return []string{"LSET", l, "0", sc.val()}
	case 37:
		return []string{"LMOVE", l, sc.key("l"), pick(r, "LEFT", "RIGHT"), pick(r, "LEFT", "RIGHT")}
	case 38:
		return []string{"LREM", l, "0", sc.val()}
	case 39:
		return []string{"HSET", h, sc.val(), sc.val(), sc.val(), sc.val()}
	case 40:
		return []string{"HDEL", h, sc.val()}
	case 41:
		return []string{"HINCRBY", h, "n", itoa(r.IntN(10))}
	case 42:
		return []string{"HINCRBYFLOAT", h, "f", "0.25"}
	default:
		return []string{"MOVE", s, itoa(1 + r.IntN(3))}
	}
}

// readCmd is a random read (which may expire keys lazily on a master).
func (sc *scenario) readCmd() []string {
	r := sc.r
	switch r.IntN(12) {
	case 0:
		return []string{"GET", sc.key("s")}
	case 1:
		return []string{"MGET", sc.key("s"), sc.key("n")}
	case 2:
		return []string{"SMEMBERS", sc.key("set")}
	case 3:
		return []string{"ZRANGE", sc.key("z"), "0", "-1", "WITHSCORES"}
	case 4:
		return []string{"EXISTS", sc.key("s"), sc.key("set")}
	case 5:
		return []string{"PTTL", sc.key("s")}
	case 6:
		return []string{"TYPE", sc.key(pick(r, "s", "set", "z", "l", "h"))}
	case 7:
		return []string{"SCAN", "0", "COUNT", "5"}
	case 8:
		return []string{"DBSIZE"}
	case 9:
		return []string{"LRANGE", sc.key("l"), "0", "-1"}
	case 10:
		return []string{"HGETALL", sc.key("h")}
	default:
		return []string{"INFO", "replication"}
	}
}

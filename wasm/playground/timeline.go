package playground

import (
	"fmt"
	"sort"
	"strconv"
	"time"

	"github.com/syncscope/syncscope/core/sim"
)

// The timeline is the sequence chart of a run: every message between
// nodes from its send to its delivery, and markers for the log lines and
// actions that matter, each at its position (events run, virtual time) so
// the page can go back to it.

// maxTimeline bounds the messages a run keeps; past it the oldest half is
// dropped (the page reloads its chart).
const maxTimeline = 60000

// Pos is a moment of a run: Steps events run, the clock at T (virtual
// nanoseconds since the world started). Steps < 0 means "every event up to
// T".
type Pos struct {
	Steps int64 `json:"steps"`
	T     int64 `json:"t"`
}

// Marker is a moment on one node's lane: a log line that matters (Text is
// the line as Redis logs it) or something done to the node or its links
// (Peer is the other end of a link).
type Marker struct {
	ID    int64   `json:"id"`
	Port  int     `json:"port"`
	Peer  int     `json:"peer,omitempty"`
	At    float64 `json:"at"` // virtual milliseconds
	Steps int64   `json:"steps"`
	Kind  string  `json:"kind"`
	Label string  `json:"label"`
	Text  string  `json:"text,omitempty"`
}

// Item is one row of the chart, in the order things happened: a message
// sent ("send"), delivered ("recv") or lost ("lost"), or a marker ("mark").
type Item struct {
	Kind  string  `json:"k"`
	ID    int64   `json:"id"` // the message's or the marker's
	At    float64 `json:"at"`
	Steps int64   `json:"steps"`
}

type flowKey struct {
	conn uint64
	from int
}

// flow is one direction of one connection: its decoder and the messages
// written on it not yet delivered, oldest first.
type flow struct {
	from, to int
	dec      decoder
	pending  []int64
}

type timeline struct {
	base    int64 // ID of msgs[0], minus one
	msgs    []Message
	rdb     map[int64][]byte // a message that ends a snapshot: the snapshot
	flows   map[flowKey]*flow
	ext     uint64 // flows to native nodes, named apart from the world's
	changes []int64
	markers []Marker
	items   []Item
	drops   int64 // times the oldest messages were dropped
	logSeen map[int]int
}

func (t *timeline) init() {
	t.rdb = map[int64][]byte{}
	t.flows = map[flowKey]*flow{}
	t.logSeen = map[int]int{}
}

func (t *timeline) msg(id int64) *Message {
	i := id - t.base - 1
	if i < 0 || i >= int64(len(t.msgs)) {
		return nil
	}
	return &t.msgs[i]
}

func (t *timeline) newFlow(from, to int) *flow {
	t.ext++
	f := &flow{from: from, to: to}
	t.flows[flowKey{conn: 1<<63 | t.ext, from: from}] = f
	return f
}

// here is the run's position as items record it: inside an event, the
// event counts as run.
func (r *run) here() (int64, float64) {
	steps := r.steps
	if r.inStep {
		steps++
	}
	return steps, r.millis()
}

// head keeps the first bytes of a write, escaped only when shown.
func head(data []byte) []byte {
	if len(data) > maxRaw {
		return append(data[:maxRaw:maxRaw], fmt.Sprintf("… (%d bytes more)", len(data)-maxRaw)...)
	}
	return append([]byte(nil), data...)
}

// shown is a message as the page gets it.
func shown(m Message) Message {
	m.Raw = rawText(m.raw)
	return m
}

func (r *run) add(m Message, rdb []byte) int64 {
	t := &r.tl
	limit := maxTimeline
	if !r.live {
		limit = maxTimeline / 4 // a replay keeps less: it is shown only if the learner forks it
	}
	if len(t.msgs) >= limit {
		half := len(t.msgs) / 2
		cut := t.msgs[half-1].ID
		t.base += int64(half)
		t.msgs = append(t.msgs[:0], t.msgs[half:]...)
		for id := range t.rdb {
			if id <= cut {
				delete(t.rdb, id)
			}
		}
		keep := t.items[:0]
		for _, it := range t.items {
			if it.Kind == "mark" || it.ID > cut {
				keep = append(keep, it)
			}
		}
		t.items = keep
		t.changes = nil
		t.drops++
	}
	m.ID = t.base + int64(len(t.msgs)) + 1
	m.State = InFlight
	t.msgs = append(t.msgs, m)
	if rdb != nil {
		t.rdb[m.ID] = rdb
	}
	t.changes = append(t.changes, m.ID)
	t.items = append(t.items, Item{Kind: "send", ID: m.ID, At: m.Sent, Steps: m.SentStep})
	return m.ID
}

// sent records a write as the node writes it, labelled then.
func (r *run) sent(d sim.Delivery) {
	k := flowKey{d.Conn, d.From}
	f := r.tl.flows[k]
	if f == nil {
		f = &flow{from: d.From, to: d.To}
		r.tl.flows[k] = f
	}
	r.write(f, d.Data, d.At)
}

func (r *run) write(f *flow, data []byte, due time.Time) {
	kind, parts, rdb := f.dec.feed(data)
	steps, now := r.here()
	id := r.add(Message{From: f.from, To: f.to, Sent: now, Due: ms(due), Bytes: len(data), Kind: kind, Parts: parts, raw: head(data), SentStep: steps}, rdb)
	f.pending = append(f.pending, id)
}

// external records bytes crossing a link to a native node: the page sees
// them once, as they leave or arrive.
func (r *run) external(f *flow, data []byte) {
	r.write(f, data, r.w.Now())
	r.consume(f, len(data), Delivered)
}

func (r *run) delivered(d sim.Delivery) {
	if f := r.tl.flows[flowKey{d.Conn, d.From}]; f != nil {
		r.consume(f, len(d.Data), Delivered)
	}
}

func (r *run) lost(d sim.Delivery) {
	if f := r.tl.flows[flowKey{d.Conn, d.From}]; f != nil {
		r.consume(f, len(d.Data), Lost)
	}
}

// consume accounts n bytes of f as delivered (or lost), oldest message
// first.
func (r *run) consume(f *flow, n int, state string) {
	t := &r.tl
	steps, now := r.here()
	for n > 0 && len(f.pending) > 0 {
		id := f.pending[0]
		m := t.msg(id)
		if m == nil { // dropped from the chart: account its bytes only
			f.pending = f.pending[1:]
			continue
		}
		take := min(n, m.Bytes-m.Done)
		m.Done += take
		n -= take
		if state == Lost {
			m.State = Lost
		}
		t.changes = append(t.changes, id)
		if m.Done < m.Bytes {
			break
		}
		f.pending = f.pending[1:]
		m.At, m.AtStep = now, steps
		kind := "recv"
		if m.State == Lost {
			kind = "lost"
		} else {
			m.State = Delivered
			if rdb := t.rdb[id]; rdb != nil {
				r.rdbs[m.To] = rdb
			}
			if r.live {
				r.taken = append(r.taken, shown(*m))
				if len(r.taken) > maxMessages {
					r.taken = append(r.taken[:0], r.taken[len(r.taken)-maxMessages/2:]...)
				}
			}
		}
		t.items = append(t.items, Item{Kind: kind, ID: id, At: now, Steps: steps})
	}
}

func (r *run) marker(port, peer int, kind, label, text string) {
	t := &r.tl
	steps, now := r.here()
	id := int64(len(t.markers) + 1)
	t.markers = append(t.markers, Marker{ID: id, Port: port, Peer: peer, At: now, Steps: steps, Kind: kind, Label: label, Text: text})
	t.items = append(t.items, Item{Kind: "mark", ID: id, At: now, Steps: steps})
}

// logMarks are the log lines that get a marker: what a learner looks for.
var logMarks = []struct {
	re    *pattern
	kind  string
	label string // $1... from re
}{
	{compilePattern(`Full resync from master: (\S+)`, false), "full", "full resync from master"},
	{compilePattern(`Full resync requested by replica (\S+)`, false), "full", "full resync for $1"},
	{compilePattern(`Partial resynchronization request from (\S+) accepted\. Sending (\d+) bytes`, false), "partial", "partial resync of $1: $2 bytes of backlog"},
	{compilePattern(`Successful partial resynchronization with master`, false), "partial", "partial resync accepted"},
	{compilePattern(`Partial resynchronization not accepted: (.*)`, false), "refused", "partial refused: $1"},
	{compilePattern(`Partial resynchronization not possible \(no cached master\)`, false), "refused", "no cached master: full sync"},
	{compilePattern(`Unable to partial resync with replica (\S*) for lack of backlog`, false), "refused", "partial refused: backlog lacks the offset"},
	{compilePattern(`Connection with master lost`, false), "lost", "connection with master lost"},
	{compilePattern(`Connection with replica (\S+) lost`, false), "lost", "connection with replica $1 lost"},
	{compilePattern(`I/O error trying to sync with MASTER: (.*)`, false), "lost", "sync I/O error: $1"},
	{compilePattern(`Error condition on socket for SYNC: (.*)`, false), "retry", "retrying: $1"},
	{compilePattern(`MASTER MODE enabled`, false), "promote", "promoted to master"},
	{compilePattern(`Setting secondary replication ID`, false), "promote", "new replid, old kept as replid2"},
	{compilePattern(`Master replication ID changed to \S+`, false), "promote", "master's replid changed"},
	{compilePattern(`MASTER <-> REPLICA sync: Finished with success`, false), "synced", "sync finished"},
	{compilePattern(`Synchronization with replica (\S+) succeeded`, false), "synced", "$1 synced"},
	{compilePattern(`Ready to accept connections`, false), "start", "started"},
	{compilePattern(`User requested shutdown`, false), "stop", "shutdown"},
}

// scanLogs adds markers for the log lines written since the last look.
func (r *run) scanLogs() {
	if r.ports == nil || r.portsStale {
		r.ports, r.portsStale = r.w.Ports(), false // only an action adds a node
	}
	for _, port := range r.ports {
		lines := r.w.Logs(port)
		seen := r.tl.logSeen[port]
		if seen > len(lines) {
			seen = 0
		}
		for _, l := range lines[seen:] {
			for _, lm := range logMarks {
				if m := lm.re.match(l.Text); m != nil {
					r.marker(port, 0, lm.kind, shorten(expand(lm.label, m)), FormatLog(l, port))
					break
				}
			}
		}
		r.tl.logSeen[port] = len(lines)
	}
}

// actionMarker marks what the learner did on the lanes it touched.
func (r *run) actionMarker(a Action) {
	num := func(i int) int { n, _ := strconv.Atoi(arg(a, i)); return n }
	switch a.Op {
	case "crash", "remove":
		r.marker(num(0), 0, "crash", "killed (kill -9)", "")
	case "cut":
		r.marker(num(0), num(1), "cut", fmt.Sprintf("link to %d cut", num(1)), "")
	case "heal":
		r.marker(num(0), num(1), "heal", fmt.Sprintf("link to %d healed", num(1)), "")
	case "latency":
		r.marker(num(0), num(1), "latency", fmt.Sprintf("latency to %d: %s", num(1), arg(a, 2)), "")
	case "rate":
		r.marker(num(0), num(1), "latency", fmt.Sprintf("rate to %d: %s B/s", num(1), arg(a, 2)), "")
	case "exec":
		r.marker(num(0), 0, "client", shorten("redis-cli: "+arg(a, 1)), "")
	}
}

// TimelineUpdate is what changed on the live run's chart since the page's
// last look (Seq), or all of it when Epoch changed.
type TimelineUpdate struct {
	Epoch    string    `json:"epoch"`
	Seq      int       `json:"seq"`
	Full     bool      `json:"full"`
	Messages []Message `json:"messages"` // new or changed
	Markers  []Marker  `json:"markers"`  // new
	Items    []Item    `json:"items"`    // new rows
	Now      float64   `json:"now"`      // the live run's clock
	Cursor   float64   `json:"cursor"`   // the moment shown
	Steps    int64     `json:"steps"`    // ... and its events run
	Live     bool      `json:"live"`
}

// Timeline returns what changed since the page saw epoch at seq (changes),
// marks and items counts.
func (p *Page) Timeline(epoch string, seq, marks, items int) TimelineUpdate {
	p.mu.Lock()
	defer p.mu.Unlock()
	h := p.head
	t := &h.tl
	u := TimelineUpdate{Epoch: fmt.Sprintf("%d.%d", h.id, t.drops), Now: h.millis(), Cursor: p.millis(), Steps: p.run.steps, Live: p.run == h}
	if u.Epoch != epoch || seq > len(t.changes) || marks > len(t.markers) || items > len(t.items) {
		u.Full = true
		u.Messages = make([]Message, len(t.msgs))
		for i, m := range t.msgs {
			u.Messages[i] = shown(m)
		}
		u.Markers = append([]Marker{}, t.markers...)
		u.Items = append([]Item{}, t.items...)
		u.Seq = len(t.changes)
		return u
	}
	seen := map[int64]bool{}
	u.Messages = []Message{}
	for _, id := range t.changes[seq:] {
		if m := t.msg(id); m != nil && !seen[id] {
			seen[id] = true
			u.Messages = append(u.Messages, shown(*m))
		}
	}
	u.Markers = append([]Marker{}, t.markers[marks:]...)
	u.Items = append([]Item{}, t.items[items:]...)
	u.Seq = len(t.changes)
	return u
}

// --- going back in time ---

// before reports whether a, done at its position, is part of the world at
// target: a moment by time holds what was done at that time; a moment by
// events (right after event Steps) holds what was done before that event.
func before(a Action, target Pos) bool {
	if target.Steps < 0 {
		return a.T <= target.T
	}
	return a.Steps < target.Steps && a.T <= target.T
}

// reaches reports whether r can be run forward to target of journal: it is
// not past it, and did no action the moment does not hold.
func (r *run) reaches(journal []Action, target Pos) bool {
	now := int64(r.w.Now().Sub(sim.Epoch))
	if now > target.T || (target.Steps >= 0 && r.steps > target.Steps) {
		return false
	}
	k := len(r.actions)
	return k == 0 || before(journal[k-1], target)
}

// catchUp runs r forward to target, doing the journal's actions on the
// way, for at most budget events (0: no limit); it reports whether r is
// there.
func (r *run) catchUp(journal []Action, target Pos, budget int) (bool, error) {
	n := 0
	for {
		var stop Pos
		next := len(r.actions) < len(journal) && before(journal[len(r.actions)], target)
		if next {
			a := journal[len(r.actions)]
			stop = Pos{a.Steps, a.T}
		} else {
			stop = target
		}
		until := sim.Epoch.Add(time.Duration(stop.T))
		for stop.Steps < 0 || r.steps < stop.Steps {
			at := r.w.Next()
			if stop.Steps < 0 && (at.IsZero() || at.After(until)) {
				break
			}
			if budget > 0 && n >= budget {
				return false, nil
			}
			if !r.step() {
				return false, fmt.Errorf("the replay ran out of events at %d of %d", r.steps, stop.Steps)
			}
			n++
		}
		if rest := until.Sub(r.w.Now()); rest > 0 {
			r.w.Advance(rest)
		}
		if !next {
			r.finishCalls()
			return true, nil
		}
		if err := r.apply(journal[len(r.actions)]); err != nil {
			return false, err
		}
	}
}

// Seek shows the world at target: a past moment of the live run, replayed
// (from the nearest checkpoint) exactly as it was; at or past the live
// run's present, the live run. It pauses the clock.
func (p *Page) Seek(target Pos) (err error) {
	p.do(func() { err = p.seek(target) })
	return err
}

func (p *Page) seek(target Pos) error {
	h := p.head
	p.pause = true
	if h.reaches(h.actions, target) {
		p.toLive()
		return nil
	}
	var best *run
	bestAt := -1
	cands := append([]*run{}, p.pool...)
	if p.run != h {
		cands = append(cands, p.run)
	}
	for i, c := range cands {
		if c.reaches(h.actions, target) && (best == nil || c.w.Now().After(best.w.Now()) || (c.w.Now().Equal(best.w.Now()) && c.steps > best.steps)) {
			best, bestAt = c, i
		}
	}
	if best == nil {
		best = p.newRun()
	} else if bestAt < len(p.pool) {
		p.pool = append(p.pool[:bestAt], p.pool[bestAt+1:]...)
	}
	if p.run != h && p.run != best {
		p.keep(p.run)
	}
	if _, err := best.catchUp(h.actions, target, 0); err != nil {
		p.run = h
		return fmt.Errorf("going back: %w", err)
	}
	p.run = best
	return nil
}

// toLive shows the live run again; the replay shown becomes a checkpoint.
func (p *Page) toLive() {
	if p.run != p.head {
		p.keep(p.run)
		p.run = p.head
	}
}

// Live shows the live run again (paused).
func (p *Page) Live() {
	p.do(func() {
		p.pause = true
		p.toLive()
	})
}

// poolSize bounds the checkpoints kept.
const poolSize = 8

// keep adds r to the checkpoints, dropping the one closest to another when
// there are too many.
func (p *Page) keep(r *run) {
	p.pool = append(p.pool, r)
	if len(p.pool) <= poolSize {
		return
	}
	sort.Slice(p.pool, func(i, j int) bool { return p.pool[i].w.Now().Before(p.pool[j].w.Now()) })
	drop, gap := 0, time.Duration(-1)
	for i := 1; i < len(p.pool); i++ {
		if g := p.pool[i].w.Now().Sub(p.pool[i-1].w.Now()); gap < 0 || g < gap {
			drop, gap = i, g
		}
	}
	p.pool = append(p.pool[:drop], p.pool[drop+1:]...)
}

// fork makes the moment shown the live run: acting from the past drops the
// live run's future.
func (p *Page) fork() {
	if p.run == p.head {
		return
	}
	old := p.head
	p.head = p.run
	p.head.live = true
	old.cancelCalls("(error) the run went back in time")
	keep := p.pool[:0]
	for _, c := range p.pool {
		if len(c.actions) <= len(p.head.actions) && c.steps <= p.head.steps {
			keep = append(keep, c)
		}
	}
	p.pool = keep
	if b := p.builder; b != nil && (len(b.actions) > len(p.head.actions) || !p.head.reaches(p.head.actions, p.target)) {
		p.builder = nil
	}
}

// Idle builds checkpoints of the live run for up to budget of real time,
// so going back to any moment replays only a little: it fills the widest
// gap between the moments already kept.
func (p *Page) Idle(budget time.Duration) (more bool) {
	p.do(func() {
		start := time.Now()
		more = true
		for time.Since(start) < budget {
			if p.builder == nil && !p.plan() {
				more = false
				return
			}
			done, err := p.builder.catchUp(p.head.actions, p.target, 200)
			if err != nil {
				p.builder = nil
				return
			}
			if done {
				p.keep(p.builder)
				p.builder = nil
				p.built++
			}
		}
	})
	return more
}

// checkpointGap is the widest stretch of virtual time left without a
// checkpoint.
const checkpointGap = 20 * time.Second

// plan picks the next checkpoint to build, if one is worth it.
func (p *Page) plan() bool {
	target, ok := p.widestGap()
	if !ok {
		return false
	}
	p.builder = p.newRun()
	p.target = target
	return true
}

// widestGap is the middle of the widest stretch of the live run without a
// checkpoint, if it is worth one.
func (p *Page) widestGap() (Pos, bool) {
	// A bound on the work for one state of the live run, so a paused page
	// never keeps building in circles.
	if p.head.steps != p.builtFor {
		p.builtFor, p.built = p.head.steps, 0
	}
	if p.built >= 2*poolSize {
		return Pos{}, false
	}
	end := p.head.w.Now().Sub(sim.Epoch)
	ats := []time.Duration{0}
	for _, c := range p.pool {
		ats = append(ats, c.w.Now().Sub(sim.Epoch))
	}
	if p.run != p.head {
		ats = append(ats, p.run.w.Now().Sub(sim.Epoch))
	}
	ats = append(ats, end)
	sort.Slice(ats, func(i, j int) bool { return ats[i] < ats[j] })
	from, gap := time.Duration(0), time.Duration(0)
	for i := 1; i < len(ats); i++ {
		if g := ats[i] - ats[i-1]; g > gap {
			from, gap = ats[i-1], g
		}
	}
	limit := max(checkpointGap, end/poolSize)
	if gap <= limit {
		return Pos{}, false
	}
	return Pos{Steps: -1, T: int64(from + gap/2)}, true
}

// Checkpoints lists the virtual times (ms) of the checkpoints kept, and
// whether one is being built.
func (p *Page) Checkpoints() (at []float64, building bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	at = []float64{}
	for _, c := range p.pool {
		at = append(at, c.millis())
	}
	sort.Float64s(at)
	_, more := p.widestGap()
	return at, p.builder != nil || more
}

// StepEvent moves to the next row of the chart: the live run runs until
// something is sent, delivered or logged; a past moment moves to the next
// row of the live run's chart. It reports whether there was one.
func (p *Page) StepEvent() (ok bool) {
	p.do(func() {
		p.pause = true
		if p.run != p.head {
			cur := Pos{Steps: p.run.steps, T: int64(p.run.w.Now().Sub(sim.Epoch))}
			for _, it := range p.head.tl.items {
				if it.Steps > cur.Steps {
					ok = p.seek(Pos{Steps: it.Steps, T: int64(it.At * float64(time.Millisecond))}) == nil
					return
				}
			}
			p.toLive()
		}
		n := len(p.tl.items)
		for i := 0; i < settleSteps && len(p.tl.items) == n; i++ {
			if !p.run.step() {
				break
			}
		}
		ok = len(p.tl.items) > n
		p.finishCalls()
	})
	return ok
}

// StepBack moves to the previous row of the live run's chart (a moment
// with fewer events run than now); false at the start.
func (p *Page) StepBack() (ok bool) {
	p.do(func() {
		p.pause = true
		cur := p.run.steps
		items := p.head.tl.items
		i := sort.Search(len(items), func(i int) bool { return items[i].Steps >= cur })
		if i == 0 {
			return
		}
		it := items[i-1]
		ok = p.seek(Pos{Steps: it.Steps, T: int64(it.At * float64(time.Millisecond))}) == nil
	})
	return ok
}

// Link is what the page labels on a link between two nodes: its latency,
// byte rate and whether it is cut, as the journal set them.
type Link struct {
	A       int     `json:"a"`
	B       int     `json:"b"`
	Latency float64 `json:"latency"` // one way, ms
	Rate    int     `json:"rate,omitempty"`
	Cut     bool    `json:"cut,omitempty"`
}

// Links lists the links the learner changed (latency, rate, cut), in port
// order, as the moment shown has them.
func (p *Page) Links() []Link {
	p.mu.Lock()
	defer p.mu.Unlock()
	type pair struct{ a, b int }
	links := map[pair]*Link{}
	get := func(a, b int) *Link {
		if a > b {
			a, b = b, a
		}
		l := links[pair{a, b}]
		if l == nil {
			l = &Link{A: a, B: b, Latency: float64(sim.DefaultLatency) / float64(time.Millisecond)}
			links[pair{a, b}] = l
		}
		return l
	}
	for _, a := range p.actions {
		x, _ := strconv.Atoi(arg(a, 0))
		y, _ := strconv.Atoi(arg(a, 1))
		switch a.Op {
		case "latency":
			if d, err := time.ParseDuration(arg(a, 2)); err == nil {
				get(x, y).Latency = float64(d) / float64(time.Millisecond)
			}
		case "rate":
			get(x, y).Rate, _ = strconv.Atoi(arg(a, 2))
		}
	}
	for _, c := range p.w.Cuts() {
		get(c[0], c[1]).Cut = true
	}
	out := []Link{}
	for _, l := range links {
		out = append(out, *l)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].A < out[j].A || (out[i].A == out[j].A && out[i].B < out[j].B) })
	return out
}

package playground

import (
	"errors"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/syncscope/syncscope/core/config"
	"github.com/syncscope/syncscope/core/node"
	"github.com/syncscope/syncscope/core/repl"
	"github.com/syncscope/syncscope/core/sim"
)

// Goal is one thing a lesson asks for, ticked live from the nodes' state.
type Goal struct {
	Text string `json:"text"`
	Done bool   `json:"done"`
}

// Progress is a lesson's goals as the world stands now: Why says, from the
// state, why the first goal not met is not met yet (and what to do).
type Progress struct {
	Goals []Goal `json:"goals"`
	Why   string `json:"why,omitempty"`
	Done  bool   `json:"done"`
}

// lessonMark is where the current lesson opened: goals count the log
// lines, terminal lines and actions after it.
type lessonMark struct {
	logs    map[int]int
	said    int
	actions int
}

// MarkLesson starts a lesson here: what happened before is the lesson's
// setting, not the learner's doing.
func (p *Page) MarkLesson() {
	p.do(func() {
		h := p.head
		m := lessonMark{logs: map[int]int{}, said: len(h.said), actions: len(h.actions)}
		for _, port := range h.w.Ports() {
			m.logs[port] = len(h.w.Logs(port))
		}
		p.lesson = m
	})
}

// Lesson is the progress of lesson id (the tutorial's step ids); confs are
// the config files being edited on the page, by port. An unknown id has no
// goals.
func (p *Page) Lesson(id string, confs map[int]string) Progress {
	p.mu.Lock()
	defer p.mu.Unlock()
	l := lessons[id]
	if l == nil {
		return Progress{Goals: []Goal{}}
	}
	v := &view{p: p, confs: confs}
	goals, why := l(v)
	pr := Progress{Goals: make([]Goal, len(goals)), Done: true}
	for i, g := range goals {
		pr.Goals[i] = Goal{Text: g.text, Done: g.done}
		if !g.done && pr.Done {
			pr.Done = false
			pr.Why = g.todo
		}
	}
	if !pr.Done && why != "" {
		pr.Why = why
	}
	return pr
}

// goal is a Goal with what to do while it is not met.
type goal struct {
	text string
	done bool
	todo string
}

// lessons compute each lesson's goals and, when the state says more than
// the first open goal's todo, why it is not met yet.
var lessons = map[string]func(v *view) ([]goal, string){
	"configure": configureLesson,
	"sync":      syncLesson,
	"write":     writeLesson,
	"disconnect": func(v *view) ([]goal, string) {
		retries := v.count(6377, "Error condition on socket for SYNC: Connection refused")
		downAt, down := v.when(6378, "User requested shutdown")
		goals := []goal{
			{"6378 shut down and saved its RDB", !v.running(6378) && v.logged(6378, "DB saved on disk"),
				"Type shutdown in 6378's terminal."},
			{"6379: Connection with replica 127.0.0.1:6378 lost", v.logged(6379, "Connection with replica 127.0.0.1:6378 lost"),
				"6379 notices when 6378's connection closes."},
			{"6377 retries every second: Connection refused ×2", retries >= 2,
				fmt.Sprintf("6377 has retried %d time(s): it tries once a second.", retries)},
			{`6377 still serves its data: get name → "redis"`, down && v.saidAfter(6377, `^get name$`, `"redis"`, downAt),
				"Type get name in 6377's terminal: its link is down, its data is there."},
		}
		return goals, ""
	},
	"writable": writableLesson,
	"backlog":  backlogLesson,
	"promote": func(v *view) ([]goal, string) {
		s78, s79 := v.state(6378), v.state(6379)
		goals := []goal{
			{"6378 promoted: role master, the old ID kept as replid2", s78.Running && s78.Role == "master" && s78.ReplID2 != "" && strings.Trim(s78.ReplID2, "0") != "",
				"Type replicaof no one in 6378's terminal."},
			{"6377 continued by PARTIAL resync against 6378's new ID", v.logged(6377, "Successful partial resynchronization with master"),
				"6377 reconnects to 6378 once it changed ID."},
			{"6379 replicates 6378", s79.Master != nil && s79.Master.Port == 6378,
				"Type replicaof 127.0.0.1 6378 in 6379's terminal."},
			{"6378 accepted 6379's PARTIAL resync through replid2", v.logged(6378, "Partial resynchronization request from 127.0.0.1:6379 accepted"),
				"6379 asks to continue its own history, which 6378 knows as replid2."},
		}
		return goals, ""
	},
	"kill": killLesson,
	"wait": func(v *view) ([]goal, string) {
		goals := []goal{
			{"6379: a write to wait for (set k v)", v.said2(6379, `^set `, "OK"), "Type set k v in 6379's terminal."},
			{"WAIT timed out: wait 1 100 → (integer) 0", v.said2(6379, `^wait 1 \d+$`, "(integer) 0"),
				"Type wait 1 100 soon after a write: 100 ms is less than the 4 s round trip to 6378."},
			{"WAIT counted 6378: wait 1 5000 → (integer) 1", v.said2(6379, `^wait 1 \d+$`, "(integer) 1"),
				"Type wait 1 5000: enough for 6378's REPLCONF ACK to come back."},
		}
		return goals, ""
	},
	"rdb": func(v *view) ([]goal, string) {
		return []goal{{"6378 received a snapshot in a full sync", v.p.rdbs[6378] != nil, "Waiting for 6378's full sync."}}, ""
	},
	"native": func(v *view) ([]goal, string) {
		return []goal{{"7000 replicates the native node: master_link_status up", v.linkUp(7000), "Start 7000."}}, ""
	},
}

func configureLesson(v *view) ([]goal, string) {
	ok78, why78 := v.confMaster(6378, 6379)
	ok77, why77 := v.confMaster(6377, 6378)
	goals := []goal{
		{"6379 answers: ping → PONG", v.said2(6379, `^ping$`, "PONG"), "6379 is running: type ping in its terminal."},
		{"6378.conf: replicaof 127.0.0.1 6379", ok78, why78},
		{"6377.conf: replicaof 127.0.0.1 6378", ok77, why77},
	}
	return goals, ""
}

func syncLesson(v *view) ([]goal, string) {
	m, r, s := v.state(6379), v.state(6378), v.state(6377)
	goals := []goal{
		{"6378 did a FULL resync", v.logged(6378, "Full resync from master"), "Start 6378: it has no cached master, so it asks PSYNC ? -1."},
		{"6378: master_link_status up", v.linkUp(6378), ""},
		{"6377: master_link_status up", v.linkUp(6377), "Start 6377."},
		{"6377 offset = 6379 offset", s.Running && m.Running && s.Offset == m.Offset && m.Offset > 0,
			fmt.Sprintf("6377 is at offset %d, 6379 at %d: the stream is on its way.", s.Offset, m.Offset)},
	}
	var why string
	switch {
	case !m.Running:
		why = "6379 is not running: start it first, it is the master."
	case !r.Running:
		why = "6378 isn't running: press Start 6378."
	case !v.linkUp(6378):
		why = v.syncWhy(6378, 6379)
	case !s.Running:
		why = "6378 is synced. Now press Start 6377."
	case !v.linkUp(6377):
		why = v.syncWhy(6377, 6378)
	}
	return goals, why
}

func writeLesson(v *view) ([]goal, string) {
	goals := []goal{
		{"6379: set name redis → OK", v.said2(6379, `^set name redis$`, "OK"), "Type set name redis in 6379's terminal."},
		{`6378: get name → "redis"`, v.said2(6378, `^get name$`, `"redis"`), "Type get name in 6378's terminal."},
		{`6377: get name → "redis" (through 6378)`, v.said2(6377, `^get name$`, `"redis"`), "Type get name in 6377's terminal."},
		{"6378 refuses writes: READONLY", v.said2(6378, `^set `, "(error) READONLY"), "Try set name redis-cli in 6378's terminal."},
	}
	var why string
	for _, port := range []int{6378, 6377} {
		if out, ok := v.lastSaid(port, `^get name$`); ok && out == "(nil)" && !goals[0].done {
			why = fmt.Sprintf("%d answered (nil): nothing was written yet. Type set name redis on 6379 first.", port)
		}
	}
	return goals, why
}

func writableLesson(v *view) ([]goal, string) {
	ro := true
	if n := v.p.w.Node(6378); n != nil {
		ro = n.Config().ReplicaReadOnly
	} else if cfg, err := v.conf(6378); err == nil {
		ro = cfg.ReplicaReadOnly
	}
	last79, _ := v.lastSaid(6379, `^get name$`)
	last77, _ := v.lastSaid(6377, `^get name$`)
	goals := []goal{
		{"6378.conf: replica-read-only no", !ro, `Add the line "replica-read-only no" (or "slave-read-only no") to 6378.conf.`},
		{"6378 running again", v.running(6378), "Press Start 6378 again."},
		{"6378 continued by PARTIAL resync after restart", v.logged(6378, "Successful partial resynchronization with master"),
			"6378 loads its dump.rdb, whose repl-id and repl-offset let it ask to continue."},
		{`6378: get name → "redis-cli"`, v.said2(6378, `^get name$`, `"redis-cli"`), "Type set name redis-cli, then get name, in 6378's terminal."},
		{`6377 and 6379 still say "redis"`, last79 == `"redis"` && last77 == `"redis"`, "Type get name in 6377's and 6379's terminals."},
	}
	var why string
	if n := v.p.w.Node(6378); n != nil && n.Config().ReplicaReadOnly && !v.logged(6378, "Successful partial resynchronization") {
		why = "6378 runs with replica-read-only yes: its config is read at start. Shutdown 6378, add the line, start it again."
	}
	return goals, why
}

func backlogLesson(v *view) ([]goal, string) {
	m, r := v.state(6379), v.state(6378)
	cutNow := v.cut(6379, 6378)
	wasCut := cutNow || v.acted("cut")
	lackAt, lack := v.when(6379, "for lack of backlog")
	// The next byte 6378 will ask for, and whether the backlog still has it.
	next := r.Offset + 1
	if r.Master != nil && r.Master.ReplOffset > 0 {
		next = r.Master.ReplOffset + 1
	}
	gone := lack || (m.Backlog.Active && m.Backlog.HistLen > 0 && next < m.Backlog.First)
	goals := []goal{
		{"Cut the link 6379–6378", wasCut, "Click the 6379–6378 link in the topology, then Cut."},
		{"6378 gave up on its master: MASTER timeout", v.logged(6378, "MASTER timeout"), ""},
		{"6378's offset has left the 16 KB backlog", gone, ""},
		{"Heal the link", wasCut && !cutNow, "Click the link again, then Heal."},
		{"6379: partial resync refused for lack of backlog", lack, "6378 reconnects within a second of the heal."},
		{"6378 did a FULL resync and is linked again", lack && v.countAfter(6378, "Full resync from master", lackAt) > 0 && v.linkUp(6378),
			"The full sync takes a moment."},
	}
	var why string
	switch {
	case !wasCut:
	case !goals[1].done && r.Master != nil:
		left := 5 - r.Master.LastIO
		why = fmt.Sprintf("6378 has heard nothing from 6379 for %d s: after repl-timeout (5 s) it gives up. Meanwhile, write on 6379.", r.Master.LastIO)
		if left <= 0 {
			why = "6378's repl-timeout (5 s) is over: it gives up at its next check."
		}
	case !gone && len(m.Replicas) > 0:
		why = "6379 still holds 6378's connection, and with it every byte 6378 has not read: they stay in the backlog until 6379 drops the silent replica after its own repl-timeout (5 s). Meanwhile, write on 6379."
	case !gone && m.Backlog.Active:
		// Redis 7 frees the backlog by whole blocks: the one holding next
		// goes once the bytes from its start pass a block plus the size.
		start := m.Backlog.First + (next-m.Backlog.First)/repl.BlockSize*repl.BlockSize
		need := start + repl.BlockSize + m.Backlog.Size - m.Offset
		why = fmt.Sprintf("The backlog still holds offset %d (6378's next byte), so a partial resync would succeed: write more than %d bytes on 6379, e.g. %s",
			next, need-1, backlogFiller)
	case gone && cutNow:
		why = fmt.Sprintf("Offset %d has left the backlog (it starts at %d now). Heal the link.", next, m.Backlog.First)
	}
	return goals, why
}

// backlogFiller is a line that writes about 36 KB: enough for a 16 KB
// backlog to free the 16 KB block holding an offset written before it.
const backlogFiller = "600 rpush big xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"

func killLesson(v *view) ([]goal, string) {
	r := v.state(6378)
	crashAt, ioErr := v.when(6378, "I/O error")
	goals := []goal{
		{"Start 6378: a full sync over the slow link", v.logged(6378, "Full resync from master"), "Press Start 6378."},
		{"Kill 6379 mid-transfer: 6378 loses the RDB (I/O error)", ioErr, ""},
		{"6378 retries: Connection refused", v.logged(6378, "Connection refused"), "6378 retries every second."},
		{"Start 6379 again: it loads its dump.rdb", ioErr && v.running(6379) && v.countAfter(6379, "Server initialized", crashAt) > 0,
			"Press Start on 6379's card."},
		{"6378 completed a FULL sync after all", ioErr && v.countAfter(6378, "MASTER <-> REPLICA sync: Finished with success", crashAt) > 0,
			"6378 reconnects within a second and syncs again."},
	}
	var why string
	switch {
	case ioErr && v.running(6379) && r.Master != nil && r.Master.Status != "up":
		why = v.syncWhy(6378, 6379)
	case ioErr:
	case r.Master != nil && r.Master.Syncing && r.Master.SyncTotal > 0:
		why = fmt.Sprintf("6378 has read %s of %s: press Kill on 6379's card now!", kb(r.Master.SyncRead), kb(r.Master.SyncTotal))
	case v.linkUp(6378):
		why = "The transfer finished before the kill. Press Reset step and press Kill on 6379 while the bar moves."
	case v.logged(6378, "Full resync from master"):
		why = "The RDB is on its way: press Kill on 6379's card."
	}
	return goals, why
}

func kb(n int64) string {
	if n < 1024 {
		return strconv.FormatInt(n, 10) + " bytes"
	}
	return fmt.Sprintf("%.1f KB", float64(n)/1024)
}

// syncWhy says what replica waits for in its sync from master.
func (v *view) syncWhy(replica, master int) string {
	st := v.state(replica)
	if st.Master == nil {
		return fmt.Sprintf("%d is not a replica: its config has no replicaof line.", replica)
	}
	if st.Master.Syncing && st.Master.SyncTotal > 0 {
		return fmt.Sprintf("%d is receiving the RDB: %s of %s.", replica, kb(st.Master.SyncRead), kb(st.Master.SyncTotal))
	}
	if left := v.p.syncDelay(master); left >= 0 {
		return fmt.Sprintf("%d waits repl-diskless-sync-delay for more replicas to share one RDB: the transfer starts in %.1f s.", master, left)
	}
	if st.Master.Syncing {
		return fmt.Sprintf("%d has asked %d to sync (PSYNC) and waits for the RDB.", replica, master)
	}
	if ms := v.state(master); ms.Master != nil && ms.Master.Status != "up" {
		return fmt.Sprintf("%d asks %d, which answers -NOMASTERLINK until it is synced itself: %d retries every second.", replica, master, replica)
	}
	return fmt.Sprintf("%d is connecting to %d.", replica, master)
}

// SyncDelay is the time left, in seconds, before master starts the
// diskless sync its replicas wait for (repl-diskless-sync-delay), -1 when
// none waits.
func (p *Page) SyncDelay(port int) float64 {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.syncDelay(port)
}

func (p *Page) syncDelay(port int) float64 {
	n := p.w.Node(port)
	if n == nil || !n.Config().ReplDisklessSync {
		return -1
	}
	waiting := false
	for _, r := range p.stateOf(port).Replicas {
		waiting = waiting || r.State == "wait_bgsave"
	}
	if !waiting {
		return -1
	}
	// Redis counts from the first replica that waits, in whole seconds
	// (replicationCron's check); the log line marks that moment.
	var since time.Time
	for _, l := range p.w.Logs(port) {
		switch {
		case strings.HasPrefix(l.Text, "Starting BGSAVE for SYNC"):
			since = time.Time{}
		case l.Text == "Delay next BGSAVE for diskless SYNC" && since.IsZero():
			since = l.Time
		}
	}
	if since.IsZero() {
		return -1
	}
	at := time.Unix(since.Unix()+int64(n.Config().ReplDisklessSyncDelay), 0)
	return math.Max(0, at.Sub(p.w.Now()).Seconds())
}

// stateOf is State without the lock.
func (p *Page) stateOf(port int) State {
	n := p.w.Node(port)
	if n == nil {
		return State{Port: port, Replicas: []Replica{}}
	}
	return stateFrom(port, n.Replication())
}

// view reads the world for a lesson's goals, counting only what happened
// since the lesson opened.
type view struct {
	p      *Page
	confs  map[int]string
	states map[int]State
}

func (v *view) state(port int) State {
	if st, ok := v.states[port]; ok {
		return st
	}
	if v.states == nil {
		v.states = map[int]State{}
	}
	st := v.p.stateOf(port)
	v.states[port] = st
	return st
}

func (v *view) running(port int) bool { return v.p.w.Node(port) != nil }

func (v *view) linkUp(port int) bool {
	st := v.state(port)
	return st.Master != nil && st.Master.Status == "up"
}

func (v *view) cut(a, b int) bool {
	for _, c := range v.p.w.Cuts() {
		if (c[0] == a && c[1] == b) || (c[0] == b && c[1] == a) {
			return true
		}
	}
	return false
}

// acted says whether op was done since the lesson opened.
func (v *view) acted(op string) bool {
	for _, a := range v.p.actions[min(v.p.lesson.actions, len(v.p.actions)):] {
		if a.Op == op {
			return true
		}
	}
	return false
}

// logs are node port's lines since the lesson opened.
func (v *view) logs(port int) []node.LogLine {
	all := v.p.w.Logs(port)
	return all[min(v.p.lesson.logs[port], len(all)):]
}

func (v *view) count(port int, text string) int {
	return v.countAfter(port, text, time.Time{})
}

// countAfter counts port's lines containing text logged after t, since
// the lesson opened.
func (v *view) countAfter(port int, text string, t time.Time) int {
	n := 0
	for _, l := range v.logs(port) {
		if l.Time.After(t) && strings.Contains(l.Text, text) {
			n++
		}
	}
	return n
}

// when is the time of port's first line with text since the lesson opened;
// ok is false when there is none.
func (v *view) when(port int, text string) (t time.Time, ok bool) {
	for _, l := range v.logs(port) {
		if strings.Contains(l.Text, text) {
			return l.Time, true
		}
	}
	return time.Time{}, false
}

func (v *view) logged(port int, text string) bool { return v.count(port, text) > 0 }

// said2 says whether a terminal line of port matching line printed an
// output starting with want, since the lesson opened.
func (v *view) said2(port int, line, want string) bool {
	return v.saidAfter(port, line, want, time.Time{})
}

// saidAfter is said2 for lines answered after t.
func (v *view) saidAfter(port int, line, want string, t time.Time) bool {
	re := compilePattern(line, true)
	for _, s := range v.p.said[min(v.p.lesson.said, len(v.p.said)):] {
		if s.Port == port && s.at.After(t) && re.match(strings.TrimSpace(s.Line)) != nil && strings.HasPrefix(s.Output, want) {
			return true
		}
	}
	return false
}

// lastSaid is the output of port's last line matching line.
func (v *view) lastSaid(port int, line string) (string, bool) {
	re := compilePattern(line, true)
	said := v.p.said[min(v.p.lesson.said, len(v.p.said)):]
	for i := len(said) - 1; i >= 0; i-- {
		if said[i].Port == port && re.match(strings.TrimSpace(said[i].Line)) != nil {
			return said[i].Output, true
		}
	}
	return "", false
}

// conf parses the config file of port being edited on the page.
func (v *view) conf(port int) (*config.Config, error) {
	text, ok := v.confs[port]
	if !ok {
		return nil, errors.New("no file")
	}
	cfg, _, err := config.Parse(text, func(name string) ([]byte, error) {
		return nil, fmt.Errorf("include %s: the page has no other files", name)
	})
	return cfg, err
}

// confMaster says whether port's file makes it a replica of master, and
// if not, why.
func (v *view) confMaster(port, master int) (bool, string) {
	cfg, err := v.conf(port)
	switch {
	case err != nil:
		return false, fmt.Sprintf("%d.conf: %v", port, err)
	case cfg.ReplicaOf == nil:
		return false, fmt.Sprintf("%d.conf has no replicaof line yet: add slaveof 127.0.0.1 %d", port, master)
	case cfg.ReplicaOf.Port != master || (cfg.ReplicaOf.Host != "127.0.0.1" && cfg.ReplicaOf.Host != "localhost"):
		return false, fmt.Sprintf("%d.conf says replicaof %s %d: its master is 127.0.0.1 %d", port, cfg.ReplicaOf.Host, cfg.ReplicaOf.Port, master)
	}
	return true, ""
}

// Moment is a point of the run a recap names: when (virtual ms), on which
// node, in which lesson, and what it showed.
type Moment struct {
	At     float64 `json:"at"`
	Port   int     `json:"port"`
	Lesson string  `json:"lesson"`
	Text   string  `json:"text"`
}

// recapLines are the log lines the walkthrough's recap points at (the
// first of each), with what each one taught.
var recapLines = []struct {
	lesson string
	port   int
	line   string
	text   string
}{
	{"0x002", 6378, "Partial resynchronization not possible (no cached master)", "6378 had no cached master: it asked PSYNC ? -1."},
	{"0x002", 6378, "Full resync from master", "6379 answered +FULLRESYNC: a full sync, an RDB snapshot."},
	{"0x002", 6377, "MASTER <-> REPLICA sync: Finished with success", "6377 synced through 6378, once 6378 had synced itself."},
	{"0x004", 6378, "User requested shutdown", "6378 shut down, saving an RDB with its repl-id and repl-offset."},
	{"0x004", 6377, "Error condition on socket for SYNC: Connection refused", "6377 lost its master and retried every second, serving its data."},
	{"0x005", 6378, "Successful partial resynchronization with master", "6378 restarted and continued by PARTIAL resync, thanks to its RDB."},
}

// recapSaid are the terminal lines the recap points at.
var recapSaid = []struct {
	lesson string
	port   int
	line   string
	want   string
	text   string
}{
	{"0x003", 6379, `^set name redis$`, "OK", "set name redis on the master..."},
	{"0x003", 6377, `^get name$`, `"redis"`, `...and 6377 read "redis" through 6378: chained replication.`},
	{"0x003", 6378, `^set `, "(error) READONLY", "A replica refuses writes by default: READONLY."},
	{"0x005", 6378, `^get name$`, `"redis-cli"`, "A writable replica's own write stays on it: not propagated."},
}

// Moments are the recap's moments of this run, in time order.
func (p *Page) Moments() []Moment {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := []Moment{}
	ms := func(t time.Time) float64 { return float64(t.Sub(sim.Epoch)) / float64(time.Millisecond) }
	for _, r := range recapLines {
		for _, l := range p.w.Logs(r.port) {
			if strings.Contains(l.Text, r.line) {
				out = append(out, Moment{At: ms(l.Time), Port: r.port, Lesson: r.lesson, Text: r.text})
				break
			}
		}
	}
	for _, r := range recapSaid {
		re := compilePattern(r.line, true)
		for _, s := range p.said {
			if s.Port == r.port && re.match(strings.TrimSpace(s.Line)) != nil && strings.HasPrefix(s.Output, r.want) {
				out = append(out, Moment{At: ms(s.at), Port: r.port, Lesson: r.lesson, Text: r.text})
				break
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].At < out[j].At })
	return out
}

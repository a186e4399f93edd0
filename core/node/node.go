package node

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/syncscope/syncscope/core/command"
	"github.com/syncscope/syncscope/core/config"
	"github.com/syncscope/syncscope/core/cstr"
	"github.com/syncscope/syncscope/core/repl"
	"github.com/syncscope/syncscope/core/resp"
	"github.com/syncscope/syncscope/core/script"
	"github.com/syncscope/syncscope/core/store"
)

// Version is the Redis version syncscope speaks as.
const Version = "7.0.15"

// dialBase is where the IDs of connections the node dials start; drivers
// number accepted connections below it.
const dialBase ConnID = 1 << 62

// ErrUnknownConn is returned by Step for an event naming a connection the
// node does not know: a driver bug, like raft's ErrStepPeerNotFound.
var ErrUnknownConn = errors.New("node: event for an unknown connection")

// Node is one Redis server.
type Node struct {
	cfg  *config.Config
	env  Env
	now  time.Time
	rand *rand.Rand
	st   *store.Store

	slowlog slowlog

	clients      map[ConnID]*client
	order        []*client // by creation, for CLIENT LIST and deterministic iteration
	nextClientID int64
	nextDial     ConnID
	pending      []*client // clients with output not yet in Ready
	out          Ready
	dbg          debugState
	acl          aclState
	aclKeys      []command.KeyRef // the keys of the command being checked (reused)

	started  time.Time
	lastCron time.Time
	exiting  bool
	loading  *startupLoad // the dump loading at start, nil once loaded

	// Propagation of the current command (or EXEC): flushed as one unit.
	props     []propagated
	execDepth int
	current   *client
	// currentName is the command current is running (lower case), once
	// known; currentFull names a container's subcommand too ("client|kill").
	currentName, currentFull string
	currentArgs              [][]byte // its argv
	// Scripting: the engine (nil when the driver linked none), the run in
	// progress, the scripts' fake client, and whether the server was out
	// of memory when the current command started (pre_command_oom_state).
	scripts   script.Engine
	scriptRun *scriptRun
	topRun    scriptRun // the record of a run not inside another (prepareScript)
	busy      busyState // a slow or debugged script serving others (scripting_busy.go)
	luaClient *client
	lastSHA   string // see scriptSHA
	preOOM    bool
	ctx       command.Ctx // the keyspace command being run (see runKeyspace)
	stats     stats
	// held is the modelled time commands have held the node: DEBUG SLEEP's
	// and scripts' run time (the core has no clock to time a command
	// with). A command's duration, for SLOWLOG and INFO commandstats and
	// latencystats, is what it adds to held; any other command takes 0 µs.
	held time.Duration
	// latency is LATENCY's event time series, by event name.
	latency    map[string]*latencySeries
	persist    persistence
	repl       replication
	replKeys   replicaKeys
	pause      pauseState
	failover   failoverState
	pubsub     pubsubState
	blockedBy  map[store.KeyRef][]*client
	retrying   bool // serveBlocked is re-running a blocked command
	watchedBy  map[store.KeyRef][]*client
	readyKeys  []store.KeyRef
	unblocked  []*client // unblocked by CLIENT UNBLOCK: their pipelines resume after the command
	evict      evictState
	monitoring []*client
	// handlers are the node commands' handlers, by command.Command.ID.
	handlers []nodeHandler
	// From rename-command: current (lower-case) name -> original name, and
	// the original names no longer callable by that name.
	renamed map[string]string
	hidden  map[string]bool
}

type propagated struct {
	db   int
	argv [][]byte
}

type stats struct {
	connections, commands, rejected, expired, evicted int64
	netIn, netOut                                     int64
	syncFull, syncPartialOK, syncPartialErr           int64
	// errors counts every error reply (total_error_replies, errorstats):
	// each client's Writer points here.
	errors resp.ErrorTally
	// cmds is INFO commandstats by full name ("client|kill"); prevErrs is
	// errors.Total when a command's failure was last judged
	// (incrCommandStatsOnError's prev_err_count).
	cmds     map[string]*cmdStat
	prevErrs int64
}

// cmdStat is one command's line of INFO commandstats, and its histogram
// for latencystats.
type cmdStat struct {
	calls, rejected, failed int64
	usec                    int64
	hist                    *latencyHist
}

// timed adds a completed command's duration to st (Redis's microseconds
// and updateCommandLatencyHistogram).
func (n *Node) timed(st *cmdStat, d time.Duration) {
	st.usec += d.Microseconds()
	if n.cfg.LatencyTracking {
		if st.hist == nil {
			st.hist = new(latencyHist)
		}
		st.hist.record(d.Microseconds() * 1000)
	}
}

// New returns a node with cfg, loading env.Dump when there is one. When the
// dump is refused it returns the error and a node good only for Ready,
// whose Logs say why, as Redis logs before it exits.
func New(cfg *config.Config, env Env) (*Node, error) {
	n := &Node{
		cfg:          cfg,
		env:          env,
		now:          env.Now,
		rand:         rand.New(rand.NewPCG(env.Seed[0], env.Seed[1])),
		clients:      make(map[ConnID]*client),
		nextClientID: 1,
		nextDial:     dialBase,
		started:      env.Now,
		lastCron:     env.Now,
		blockedBy:    make(map[store.KeyRef][]*client),
		watchedBy:    make(map[store.KeyRef][]*client),
	}
	n.handlers = bindHandlers()
	if env.Scripting != nil {
		n.scripts = env.Scripting()
	}
	n.applyRenames()
	aclErr := n.initACL()
	n.st = n.newStore()
	n.persist.lastSave = env.Now
	n.persist.lastBgsaveOK = true
	n.logRole('C', '#', "oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo")
	n.logRole('C', '#', fmt.Sprintf("Redis version=%s, bits=64, commit=00000000, modified=0, pid=%d, just started", Version, env.Pid))
	if env.ConfigFile == "" {
		n.logRole('C', '#', "Warning: no config file specified, using the default config. In order to specify a config file use syncscope-server /path/to/redis.conf")
	} else {
		n.logRole('C', '#', "Configuration loaded")
	}
	if aclErr != nil {
		return n, aclErr
	}
	n.initReplication()
	if cfg.AlwaysShowLogo || (env.LogIsTTY && cfg.LogFile == "") {
		if levelRank['*'] >= logLevel(cfg.LogLevel) { // a notice, written raw
			n.logRaw(asciiLogo(cfg.Port, env.Pid))
		}
	} else {
		n.log('*', fmt.Sprintf("Running mode=standalone, port=%d.", cfg.Port))
	}
	n.log('#', "Server initialized")
	if env.Dump != nil {
		if err := n.loadDump(env.Dump); err != nil {
			return n, err
		}
		if n.startupLoading() {
			return n, nil // ready once loaded (finishStartupLoad)
		}
	}
	n.log('*', "Ready to accept connections")
	n.startReplication()
	return n, nil
}

// storeLimits are the store's encoding limits, as configured.
func (n *Node) storeLimits() store.Limits {
	return store.Limits{
		HashMaxListpackEntries: n.cfg.HashMaxListpackEntries,
		HashMaxListpackValue:   n.cfg.HashMaxListpackValue,
		SetMaxIntsetEntries:    n.cfg.SetMaxIntsetEntries,
		ZSetMaxListpackEntries: n.cfg.ZSetMaxListpackEntries,
		ZSetMaxListpackValue:   n.cfg.ZSetMaxListpackValue,
		ListMaxListpackSize:    n.cfg.ListMaxListpackSize,
		ListPackedThreshold:    n.dbg.packedThreshold,
		ProtoMaxBulkLen:        n.cfg.ProtoMaxBulkLen,
		HLLSparseMaxBytes:      n.cfg.HLLSparseMaxBytes,
		StreamNodeMaxBytes:     int(min(n.cfg.StreamNodeMaxBytes, math.MaxInt32)),
		StreamNodeMaxEntries:   int(min(n.cfg.StreamNodeMaxEntries, math.MaxInt32)),
	}
}

func (n *Node) newStore() *store.Store {
	st := store.New(n.cfg.Databases, n.rand)
	st.Limits = n.storeLimits()
	st.OnModified = n.keyModified
	st.OnReady = n.keyReady
	st.NotifyFlags = notifyFlags(n.cfg)
	st.LFU = lfuConfig(n.cfg)
	return st
}

// Config returns the node's live configuration (CONFIG SET changes it).
func (n *Node) Config() *config.Config { return n.cfg }

// Store returns the node's keyspace, for tests and the simulator's checks.
func (n *Node) Store() *store.Store { return n.st }

// Step feeds one event to the node at time now.
func (n *Node) Step(now time.Time, ev Event) error {
	err := n.step(now, ev)
	if len(n.busy.deferred) > 0 {
		n.stepDeferred() // what arrived while a script ran
	}
	return err
}

func (n *Node) step(now time.Time, ev Event) error {
	if now.After(n.now) {
		n.now = now
	}
	if n.asleep(ev) {
		return nil
	}
	switch ev := ev.(type) {
	case Accepted:
		n.accept(ev)
	case Received:
		if n.repl.link != nil && ev.Conn == n.repl.linkConn {
			n.linkReceived(ev.Data)
			return nil
		}
		c := n.clients[ev.Conn]
		if c == nil {
			return fmt.Errorf("%w: received on %d", ErrUnknownConn, ev.Conn)
		}
		n.stats.netIn += int64(len(ev.Data))
		c.lastActive = n.now
		n.receive(c, ev.Data)
	case Closed:
		if n.repl.link != nil && ev.Conn == n.repl.linkConn {
			n.linkClosed(ev.Reason)
			return nil
		}
		c := n.clients[ev.Conn]
		if c == nil {
			return nil // already closed by us
		}
		n.freeClient(c, ev.Reason)
	case Dialed:
		if n.repl.link == nil || ev.Conn != n.repl.linkConn {
			if ev.Err == "" {
				n.out.Closes = append(n.out.Closes, ev.Conn) // a dial we gave up on
			}
			return nil
		}
		n.linkDialed(ev)
	case Written:
		if c := n.clients[ev.Conn]; c != nil {
			c.unflushed -= ev.N
			if c.unflushed < 0 {
				c.unflushed = 0
			}
			if c.replica != nil {
				n.replicaWritten(c)
			}
		}
	case Wake:
		n.cron()
	case SnapshotDone:
		n.snapshotDone(ev)
	case FileDone:
		n.fileDone(ev)
	case Shutdown:
		n.logRaw(fmt.Sprintf("%d:signal-handler (%d) Received %s scheduling shutdown...", n.env.Pid, n.now.Unix(), ev.Signal))
		n.shutdown(nil, len(n.cfg.Save) > 0)
	default:
		return fmt.Errorf("node: unknown event %T", ev)
	}
	return nil
}

// Recycle gives back the Data of a Write the driver has finished with
// (written it out and kept no reference), so that the connection's next
// replies are built in it instead of a new buffer. Calling it is optional.
func (n *Node) Recycle(conn ConnID, data []byte) {
	c := n.clients[conn]
	if c == nil || cap(data) > maxRecycled {
		return
	}
	switch {
	case cap(c.out.Buf) == 0:
		c.out.Buf = data[:0]
	case c.spare == nil:
		c.spare = data[:0]
	}
}

// maxRecycled bounds the buffers Recycle keeps: a big reply's buffer is
// left to the garbage collector rather than held by an idle client.
const maxRecycled = 64 << 10

// Ready returns the effects accumulated since the last call.
func (n *Node) Ready() Ready {
	if !n.dbg.busyUntil.IsZero() {
		// DEBUG SLEEP: nothing goes out but the log until the Wake.
		rd := Ready{Logs: n.out.Logs, WakeAt: n.dbg.busyUntil}
		n.out.Logs = nil
		return rd
	}
	if n.repl.backlog != nil {
		// Between events, as Redis's beforeSleep, at ten times the pace of
		// a trim on the way: what departed replicas held goes quickly.
		n.repl.backlog.Trim(10 * repl.TrimPerCall)
	}
	var over []*client
	for _, c := range n.pending {
		c.queuedOut = false
		if len(c.out.Buf) == 0 || c.closed && !c.closeAfter {
			continue
		}
		if c.replica == nil && !c.isMaster && n.overOutputLimit(c, c.unflushed+len(c.out.Buf)) {
			c.out.Buf = nil
			over = append(over, c)
			continue
		}
		n.stats.netOut += int64(len(c.out.Buf))
		c.unflushed += len(c.out.Buf)
		n.out.Writes = append(n.out.Writes, Write{Conn: c.conn, Data: c.out.Buf})
		c.out.Buf, c.spare = c.spare, nil
		if c.closeAfter && !c.closed {
			n.closeClient(c)
		}
	}
	n.pending = n.pending[:0]
	// Freed after the loop: unsubscribing may queue output for others.
	for _, c := range over {
		n.dropOverLimit(c, true)
	}
	if len(over) > 0 {
		return n.Ready()
	}
	rd := n.out
	rd.WakeAt = n.nextWake()
	n.out = Ready{}
	return rd
}

// dropOverLimit closes c at once, its pending output discarded. Redis words
// it by where it noticed: adding a reply (async) or in clientsCron.
func (n *Node) dropOverLimit(c *client, async bool) {
	how := "closed"
	if async {
		how = "scheduled to be closed ASAP"
	}
	n.log('#', fmt.Sprintf("Client %s %s for overcoming of output buffer limits.", n.clientInfo(c), how))
	n.out.Drops = append(n.out.Drops, c.conn)
	n.freeClient(c, "")
}

// outputLimitsCron is clientsCron's check: a client past its soft limit is
// dropped once the seconds pass, even if no new output arrives.
func (n *Node) outputLimitsCron() {
	var over []*client
	for _, c := range n.order {
		// New output is checked by Ready, as Redis checks each reply it adds.
		if c.replica == nil && !c.isMaster && !c.queuedOut && n.overOutputLimit(c, c.unflushed) {
			over = append(over, c)
		}
	}
	for _, c := range over {
		n.dropOverLimit(c, false)
	}
}

// overOutputLimit is Redis's checkClientOutputBufferLimits for normal and
// pub/sub clients with used bytes pending: over the hard limit, or over the
// soft limit for longer than its seconds (whole seconds, as server.unixtime).
func (n *Node) overOutputLimit(c *client, used int) bool {
	class := config.ClassNormal
	if c.pubsubMode() {
		class = config.ClassPubSub
	}
	lim := n.cfg.ClientOutputBufferLimits[class]
	if lim.Hard == 0 && lim.Soft == 0 {
		return false
	}
	u := int64(used)
	if lim.Hard > 0 && u >= lim.Hard {
		return true
	}
	if lim.Soft == 0 || u < lim.Soft {
		c.softLimitAt = time.Time{}
		return false
	}
	if c.softLimitAt.IsZero() {
		c.softLimitAt = n.now
		return false
	}
	return n.now.Unix()-c.softLimitAt.Unix() > int64(lim.SoftSeconds)
}

func (n *Node) nextWake() time.Time {
	if n.loading != nil {
		return n.loading.until // serverCron does not run while loading
	}
	hz := n.cfg.Hz
	if hz <= 0 {
		hz = 10
	}
	return n.lastCron.Add(time.Second / time.Duration(hz))
}

// log emits a line with the node's current role.
func (n *Node) log(level byte, text string) {
	role := byte('M')
	if n.repl.masterAddr != "" {
		role = 'S'
	}
	n.logRole(role, level, text)
}

var levelRank = map[byte]int{'.': 0, '-': 1, '*': 2, '#': 3}

func (n *Node) logRole(role, level byte, text string) {
	if levelRank[level] < logLevel(n.cfg.LogLevel) {
		return
	}
	n.out.Logs = append(n.out.Logs, LogLine{Time: n.now, Level: level, Role: role, Text: text})
}

// logRaw emits a pre-formatted line (Redis's signal handler format).
func (n *Node) logRaw(text string) {
	n.out.Logs = append(n.out.Logs, LogLine{Time: n.now, Level: 0, Role: 0, Text: text})
}

func logLevel(name string) int {
	switch strings.ToLower(name) {
	case "debug":
		return 0
	case "verbose":
		return 1
	case "warning":
		return 3
	case "nothing":
		return 4
	}
	return 2
}

func (n *Node) accept(ev Accepted) {
	c := &client{
		conn: ev.Conn, id: n.nextClientID, addr: ev.Peer, laddr: ev.Local,
		created: n.now, lastActive: n.now,
	}
	n.defaultAuth(c)
	c.parser.Limits = resp.DefaultLimits()
	c.parser.Limits.MaxBulkLen = n.cfg.ProtoMaxBulkLen
	c.out.Errors = &n.stats.errors
	n.nextClientID++
	n.stats.connections++
	n.clients[c.conn] = c
	n.order = append(n.order, c)
	// A refused client gets one error and is closed once it is written.
	refuse := func() {
		c.closeAfter = true
		n.queueOutput(c)
		n.stats.rejected++
	}
	switch {
	case n.cfg.MaxClients > 0 && len(n.clients) > n.cfg.MaxClients:
		c.out.Error("ERR max number of clients reached")
		refuse()
	case n.cfg.ProtectedMode && n.acl.def.flags&userNopass != 0 && !isLoopback(ev.Peer):
		c.out.Raw([]byte(deniedMsg))
		refuse()
	}
}

// deniedMsg is what Redis 7.0.15 sends a non-loopback client in protected mode.
const deniedMsg = "-DENIED Redis is running in protected mode because protected mode is enabled and no password is set for the default user. In this mode connections are only accepted from the loopback interface. If you want to connect from external computers to Redis you may adopt one of the following solutions: 1) Just disable protected mode sending the command 'CONFIG SET protected-mode no' from the loopback interface by connecting to Redis from the same host the server is running, however MAKE SURE Redis is not publicly accessible from internet if you do so. Use CONFIG REWRITE to make this change permanent. 2) Alternatively you can just disable the protected mode by editing the Redis configuration file, and setting the protected mode option to 'no', and then restarting the server. 3) If you started the server manually just for testing, restart it with the '--protected-mode no' option. 4) Setup a an authentication password for the default user. NOTE: You only need to do one of the above things in order for the server to start accepting connections from the outside.\r\n"

// isLoopback is Redis's connIsLocal on an "ip:port" peer: 127.x.x.x or ::1.
// A driver with no network peer (in-memory pipes) passes "": local.
func isLoopback(peer string) bool {
	if peer == "" || strings.HasPrefix(peer, "/") { // in-memory pipes, unix sockets
		return true
	}
	host := peer
	if i := strings.LastIndexByte(peer, ':'); i >= 0 {
		host = peer[:i]
	}
	host = strings.TrimSuffix(strings.TrimPrefix(host, "["), "]")
	return strings.HasPrefix(host, "127.") || host == "::1"
}

// applyRenames indexes rename-command's table for lookups.
func (n *Node) applyRenames() {
	if len(n.cfg.RenameCommands) == 0 {
		return
	}
	n.renamed = make(map[string]string)
	n.hidden = make(map[string]bool)
	for orig, to := range n.cfg.RenameCommands {
		n.hidden[orig] = true
		if to != "" {
			n.renamed[strings.ToLower(to)] = orig
		}
	}
}

// CommandExists tells whether name (any case) is a command syncscope has,
// for config.Env.CommandExists (rename-command).
func CommandExists(name string) bool {
	return command.Lookup([]byte(name)) != nil
}

// queueOutput marks c as having output for the next Ready.
func (n *Node) queueOutput(c *client) {
	if !c.queuedOut && !c.script {
		c.queuedOut = true
		n.pending = append(n.pending, c)
	}
}

// closeClient closes c from our side (after its pending reply).
func (n *Node) closeClient(c *client) {
	if c.closed {
		return
	}
	n.out.Closes = append(n.out.Closes, c.conn)
	n.freeClient(c, "")
}

// freeClient forgets c; reason is the driver's text when the peer went away.
func (n *Node) freeClient(c *client, reason string) {
	if c.closed {
		return
	}
	c.closed = true
	if c.replica != nil {
		n.replicaLost(c)
	}
	n.unwatchAll(c)
	n.unblock(c)
	n.pubsubUnsubscribeAll(c)
	if c.monitor {
		n.monitoring = removeClient(n.monitoring, c)
	}
	delete(n.clients, c.conn)
	n.order = removeClient(n.order, c)
}

func removeClient(list []*client, c *client) []*client {
	for i, x := range list {
		if x == c {
			return append(list[:i], list[i+1:]...)
		}
	}
	return list
}

// processInput runs every complete command in c's query buffer.
// ioBufLen is PROTO_IOBUF_LEN, what readQueryFromClient reads at a time.
const ioBufLen = 16 * 1024

// receive processes data as Redis reads it, 16 KB at a time with the input
// processed after each read, whatever the driver's reads were: a limit
// checked on the query buffer (an inline request with no newline within
// 64 KB) then sees the buffer Redis would see. A 70 KB inline line that
// arrives at once is served, as in Redis, since its newline comes in with
// the read that takes the buffer past 64 KB.
func (n *Node) receive(c *client, data []byte) {
	for len(data) > 0 {
		if c.closed || c.closeAfter {
			return // Redis reads no more from a client it is closing
		}
		if c.blocked != nil || !n.dbg.busyUntil.IsZero() {
			c.qbuf = append(c.qbuf, data...) // kept until it can run
			return
		}
		k := min(len(data), ioBufLen)
		c.qbuf = append(c.qbuf, data[:k]...)
		data = data[k:]
		n.processInput(c)
	}
}

func (n *Node) processInput(c *client) {
	pos := 0
	for pos < len(c.qbuf) && !c.closed && !c.closeAfter && c.blocked == nil && n.dbg.busyUntil.IsZero() {
		c.parser.Limits.Unauthenticated = n.authRequired(c)
		args, used, err := c.parser.Next(c.qbuf[pos:])
		if err != nil {
			var pe *resp.ProtocolError
			if errors.As(err, &pe) {
				n.log('-', fmt.Sprintf("Protocol error (%s) from client: %s. %s", pe.Msg, n.clientInfo(c), protoDump(c.qbuf[pos:])))
			}
			c.out.Error("ERR " + err.Error())
			c.closeAfter = true
			n.queueOutput(c)
			break
		}
		if used == 0 {
			break
		}
		pos += used
		if len(args) == 0 {
			continue
		}
		n.callSilenceable(c, args)
	}
	if pos > 0 {
		rest := copy(c.qbuf, c.qbuf[pos:])
		c.qbuf = c.qbuf[:rest]
	}
	if lim := n.cfg.ClientQueryBufferLimit; lim > 0 && int64(len(c.qbuf)) > lim && !c.closed {
		n.log('#', fmt.Sprintf("Closing client that reached max query buffer length: %s (qbuf initial bytes: %s)", n.clientInfo(c), cstr.Repr(c.qbuf[:min(len(c.qbuf), 64)])))
		n.closeClient(c)
	}
	if cap(c.qbuf) > 64*1024 && len(c.qbuf) < 1024 {
		c.qbuf = append([]byte(nil), c.qbuf...)
	}
}

// callSilenceable runs one command of c's under CLIENT REPLY: a silenced
// command's replies are dropped and its pushes kept, and SKIP's flag moves
// on to the next command (resetClient).
func (n *Node) callSilenceable(c *client, args [][]byte) {
	if !c.silenced() && !c.replySkipNext {
		n.call(c, args)
		if c.replySkipNext { // CLIENT REPLY SKIP: the next command is silenced
			c.replySkip, c.replySkipNext = true, false
		}
		return
	}
	mark := len(c.out.Buf)
	c.running = true
	n.call(c, args)
	c.running = false
	if c.silenced() {
		c.out.Buf = c.out.Buf[:mark]
	}
	if len(c.pushes.Buf) > 0 {
		c.out.Raw(c.pushes.Buf)
		c.pushes.Reset()
		n.queueOutput(c)
	}
	c.replySkip = false
	if c.replySkipNext {
		c.replySkip, c.replySkipNext = true, false
	}
}

// protoDump is what setProtocolError logs of the query buffer: all of it
// below 128 bytes, else the first and last 64 around the count left out,
// read as C strings (up to a NUL), cut to a 256-byte buffer, and every
// unprintable byte shown as '.'.
func protoDump(q []byte) string {
	const dumpLen = 128
	var b []byte
	if len(q) < dumpLen {
		b = fmt.Appendf(nil, "Query buffer during protocol error: '%s'", cstr.UntilNUL(q))
	} else {
		b = fmt.Appendf(nil, "Query buffer during protocol error: '%s' (... more %d bytes ...) '%s'",
			cstr.UntilNUL(q[:dumpLen/2]), len(q)-dumpLen, cstr.UntilNUL(q[len(q)-dumpLen/2:]))
	}
	b = b[:min(len(b), 255)]
	for i, c := range b {
		if c < ' ' || c > '~' {
			b[i] = '.'
		}
	}
	return string(b)
}

// lower returns the lower-case form of a command name.
func lower(b []byte) string { return strings.ToLower(string(b)) }

// copyArgs copies argv out of the query buffer.
func copyArgs(args [][]byte) [][]byte {
	size := 0
	for _, a := range args {
		size += len(a)
	}
	buf := make([]byte, 0, size)
	out := make([][]byte, len(args))
	for i, a := range args {
		start := len(buf)
		buf = append(buf, a...)
		out[i] = buf[start:len(buf):len(buf)]
	}
	return out
}

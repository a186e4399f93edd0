package repl

import (
	"bytes"
	"strconv"
	"strings"
	"time"

	"github.com/syncscope/syncscope/core/cstr"
	"github.com/syncscope/syncscope/core/resp"
)

// LinkState is the replica's replication state, Redis's REPL_STATE_*
// (server.h) in the same order.
type LinkState int

// The states of a Link. The handshake states run from ReceivePingReply to
// ReceivePsyncReply.
const (
	None              LinkState = iota // not a replica
	Connect                            // must connect to the master (at the next Tick)
	Connecting                         // dial in progress
	ReceivePingReply                   // PING sent
	SendHandshake                      // about to send AUTH/REPLCONF (transient)
	ReceiveAuthReply                   // AUTH sent
	ReceivePortReply                   // REPLCONF listening-port sent
	ReceiveIPReply                     // REPLCONF ip-address sent
	ReceiveCapaReply                   // REPLCONF capa sent
	SendPsync                          // about to send PSYNC (transient)
	ReceivePsyncReply                  // PSYNC sent
	Transfer                           // receiving the RDB payload
	Connected                          // streaming commands from the master
)

var linkStateNames = [...]string{"none", "connect", "connecting", "receive_ping_reply",
	"send_handshake", "receive_auth_reply", "receive_port_reply", "receive_ip_reply",
	"receive_capa_reply", "send_psync", "receive_psync_reply", "transfer", "connected"}

func (s LinkState) String() string {
	if s < 0 || int(s) >= len(linkStateNames) {
		return "unknown"
	}
	return linkStateNames[s]
}

// Handshake reports whether s is one of the handshake states.
func (s LinkState) Handshake() bool { return s >= ReceivePingReply && s <= ReceivePsyncReply }

// Role is the state as ROLE shows it: none, connect, connecting, handshake,
// sync or connected.
func (s LinkState) Role() string {
	switch {
	case s.Handshake():
		return "handshake"
	case s == Transfer:
		return "sync"
	case s >= None && s <= Connecting, s == Connected:
		return s.String()
	}
	return "unknown"
}

// HostPort is a master's address.
type HostPort struct {
	Host string
	Port int
}

// String is "host:port" as Redis logs it ("Connecting to MASTER %s:%d").
func (h HostPort) String() string { return h.Host + ":" + strconv.Itoa(h.Port) }

// Addr is the address to dial: IPv6 hosts get brackets.
func (h HostPort) Addr() string {
	if strings.IndexByte(h.Host, ':') >= 0 {
		return "[" + h.Host + "]:" + strconv.Itoa(h.Port)
	}
	return h.String()
}

// LinkConfig is the replica's side of the handshake.
type LinkConfig struct {
	ListeningPort int    // REPLCONF listening-port (replica-announce-port or port)
	AnnounceIP    string // REPLCONF ip-address when set (replica-announce-ip)
	MasterAuth    string // masterauth: AUTH when set
	MasterUser    string // masteruser: AUTH user pass when set with MasterAuth
	ReplTimeout   time.Duration
	// DisklessLoad is repl-diskless-load: "disabled" (the payload goes to
	// disk, then loads), "swapdb" (read straight into the loader, the old
	// dataset kept until it succeeds) or "on-empty-db" (straight into the
	// loader when the dataset is empty: Link.EmptyDB).
	DisklessLoad string
	// MaxBulk bounds the bytes buffered for one RDB payload, and the stream
	// bytes received in later reads while the node loads it; 0 means
	// DefaultMaxBulk. A bigger payload fails the sync as a full disk would.
	MaxBulk int64
}

// Defaults for LinkConfig's zero fields.
const (
	DefaultReplTimeout       = 60 * time.Second
	DefaultMaxBulk     int64 = 512 << 20
)

// Buffer sizes Redis reads handshake replies and the bulk header with
// (receiveSynchronousResponse, readSyncBulkPayload): a longer line is cut.
const (
	replyLineMax  = 256
	headerLineMax = 1024
	eofMarkLen    = 40
)

// Link is the replica side of replication toward one master: Redis's
// connectWithMaster / syncWithMaster / readSyncBulkPayload / replicationCron
// as a state machine. The node feeds it inputs (Tick, Dialed, Received,
// Closed, Loaded, Processed) and performs the returned actions in order.
//
// The link has at most one connection at a time: the one its last ActDial
// opened. The node forwards only that connection's events; after an ActClose
// or a new ActDial, events of the old connection are dropped.
type Link struct {
	State  LinkState
	Master HostPort
	// Cached is the cached master (replid + offset processed) used for the
	// next PSYNC; nil = none ("PSYNC ? -1"). It is nil while Connected.
	Cached *History
	// Failover makes the next PSYNC carry FAILOVER: this master hands over
	// to the replica it connects to (a FAILOVER in progress). Its answer
	// comes as ActFailover.
	Failover bool

	cfg LinkConfig

	in              []byte    // unconsumed bytes of a reply or bulk header line
	lastIO          time.Time // repl_transfer_lastio
	lastInteraction time.Time // the master client's lastinteraction
	downSince       time.Time // repl_down_since; zero = not down
	nextCron        time.Time

	// The master while Connected (server.master).
	masterID ID
	reploff  int64
	prePSYNC bool // master without offsets (SYNC fallback): no ACKs

	// The full sync in progress.
	fullID  ID    // server.master_replid from +FULLRESYNC
	fullOff int64 // server.master_initial_offset
	size    int64 // repl_transfer_size: -1 before the header, 0 with an EOF mark
	read    int64 // repl_transfer_read
	eof     bool
	mark    [eofMarkLen]byte
	rdb     []byte
	parsing bool   // the payload goes to the loader as it arrives (diskless load)
	loading bool   // ActFullSync handed over, waiting for Loaded
	pending []byte // stream bytes that followed the payload, for after Loaded
	lost    bool   // connection gone (or overflowed) while loading
	emptyDB bool   // SetEmptyDB
}

// SetEmptyDB tells the link whether the node's dataset is empty, which
// repl-diskless-load on-empty-db asks when a payload starts.
func (l *Link) SetEmptyDB(empty bool) { l.emptyDB = empty }

// Parsing reports whether the replica loads a payload from the socket as
// it arrives (Redis's loading:1 during a diskless load): from its header
// until it is loaded or fails.
func (l *Link) Parsing() bool { return l.State == Transfer && l.parsing }

// FullSyncID is the replid the master gave with +FULLRESYNC for the
// transfer in progress.
func (l *Link) FullSyncID() ID { return l.fullID }

// NewLink makes a link to master in state Connect: the first Tick dials.
// cached is the cached master to PSYNC with (nil = none).
func NewLink(master HostPort, cfg LinkConfig, cached *History) *Link {
	return &Link{State: Connect, Master: master, cfg: cfg.withDefaults(), Cached: cached, size: -1}
}

// SetConfig replaces the link's settings, as CONFIG SET changes them for a
// link that is already up: Redis reads repl-timeout, masterauth and the
// announced address from its config each time it uses them.
func (l *Link) SetConfig(cfg LinkConfig) { l.cfg = cfg.withDefaults() }

func (cfg LinkConfig) withDefaults() LinkConfig {
	if cfg.ReplTimeout <= 0 {
		cfg.ReplTimeout = DefaultReplTimeout
	}
	if cfg.MaxBulk <= 0 {
		cfg.MaxBulk = DefaultMaxBulk
	}
	return cfg
}

// Start dials at once instead of at the next Tick, as REPLICAOF does
// (replicationSetMaster).
func (l *Link) Start(now time.Time) []Action {
	if l.State != Connect {
		return nil
	}
	// The dial replaces this second's replicationCron connect: a failure
	// is retried by the next cron, a second later, not at the next Tick.
	if l.nextCron.IsZero() || l.nextCron.Before(now) {
		l.nextCron = now.Add(time.Second)
	}
	return l.connect(now, []Action{logf('*', "Connecting to MASTER %s", l.Master)})
}

// NextTick is when Tick next has work: replicationCron runs once a second.
// It is zero before the first Tick, which should come at once.
func (l *Link) NextTick() time.Time { return l.nextCron }

// Tick is replicationCron's replica half. It runs at most once a second (a
// call before NextTick does nothing): handshake, transfer and link timeouts,
// dialing in state Connect, and the REPLCONF ACK to the master.
func (l *Link) Tick(now time.Time) []Action {
	if l.State == None || l.loading || (!l.nextCron.IsZero() && now.Before(l.nextCron)) {
		return nil
	}
	l.nextCron = now.Add(time.Second)
	var acts []Action
	timeout := int64(l.cfg.ReplTimeout / time.Second)
	since := func(t time.Time) int64 { return now.Unix() - t.Unix() } // time(NULL) arithmetic
	switch {
	case (l.State == Connecting || l.State.Handshake()) && since(l.lastIO) > timeout:
		acts = append(acts, logf('#', "Timeout connecting to the MASTER..."))
		acts = l.retryNow(now, acts)
	case l.State == Transfer && l.parsing && since(l.lastIO) > timeout:
		// The loader's blocking read timed out.
		acts = l.parseFailed(now, acts, "Connection timed out")
	case l.State == Transfer && since(l.lastIO) > timeout:
		acts = append(acts, logf('#', "Timeout receiving bulk data from MASTER... If the problem persists try to set the 'repl-timeout' parameter in redis.conf to a larger value."))
		acts = l.retryNow(now, acts)
	case l.State == Connected && since(l.lastInteraction) > timeout:
		acts = append(acts, logf('#', "MASTER timeout: no data nor PING received..."), ActClose{})
		acts = l.masterLost(now, acts)
	}
	if l.State == Connect {
		acts = append(acts, logf('*', "Connecting to MASTER %s", l.Master))
		acts = l.connect(now, acts)
	}
	if l.State == Connected && !l.prePSYNC {
		acts = append(acts, ActSend{Data: l.Ack()})
	}
	return acts
}

// Dialed reports the outcome of ActDial: err "" = connected, else the
// error text (e.g. "Connection refused").
func (l *Link) Dialed(now time.Time, err string) []Action {
	if l.State != Connecting {
		return nil
	}
	if err != "" {
		l.State = Connect
		return []Action{logf('#', "Error condition on socket for SYNC: %s", err)}
	}
	l.State = ReceivePingReply
	return []Action{
		logf('*', "Non blocking connect for SYNC fired the event."),
		ActSend{Data: resp.AppendCommandStrings(nil, "PING")},
	}
}

// Received feeds bytes read from the master. During the handshake and the
// transfer they are parsed here; once Connected they come back as ActStream.
func (l *Link) Received(now time.Time, p []byte) []Action {
	switch {
	case l.State == Connected:
		l.lastInteraction = now
		if len(p) == 0 {
			return nil
		}
		return []Action{ActStream{Data: p}}
	case l.loading:
		return l.hold(p)
	case !l.State.Handshake() && l.State != Transfer:
		return nil // no connection: nothing to read
	}
	data := p
	if len(l.in) > 0 {
		data = append(l.in, p...)
	}
	acts, rest := l.consume(now, data)
	l.in = nil
	switch {
	case len(rest) == 0:
	case l.State == Connected:
		acts = append(acts, ActStream{Data: rest})
	case l.loading:
		// What followed the payload in this chunk; only later chunks count
		// against MaxBulk, so that chunking never changes the outcome.
		l.pending = append(l.pending, rest...)
	case l.State.Handshake() || l.State == Transfer:
		l.in = append([]byte(nil), rest...) // an incomplete line, bounded by its max
	}
	return acts
}

// hold keeps stream bytes that arrive before Loaded, up to MaxBulk.
func (l *Link) hold(p []byte) []Action {
	switch {
	case l.lost:
	case int64(len(l.pending)+len(p)) > l.cfg.MaxBulk:
		// Too much to hold: drop the link after the load and PSYNC again
		// from the loaded offset, which the master's backlog has.
		l.pending, l.lost = nil, true
		return []Action{ActClose{}}
	default:
		l.pending = append(l.pending, p...)
	}
	return nil
}

// consume runs the handshake and transfer over data, returning the actions
// and the bytes it did not use.
func (l *Link) consume(now time.Time, data []byte) ([]Action, []byte) {
	var acts []Action
	for {
		switch {
		case l.State.Handshake():
			line, n := readLine(data, replyLineMax)
			if n == 0 {
				return acts, data
			}
			data = data[n:]
			l.lastIO = now
			acts = l.reply(now, line, acts)
		case l.State == Transfer && !l.loading && l.size < 0:
			line, n := readLine(data, headerLineMax)
			if n == 0 {
				return acts, data
			}
			data = data[n:]
			acts = l.header(now, line, acts)
		case l.State == Transfer && !l.loading:
			var done bool
			acts, done, data = l.payload(now, data, acts)
			if !done {
				return acts, data
			}
		default:
			return acts, data
		}
	}
}

// readLine is syncReadLine: a line ends at '\n' (a '\r' before it is
// dropped) or after max-1 bytes; C string handling then ends it at a NUL.
// n is the bytes used, 0 when the line is not complete yet.
func readLine(data []byte, max int) (line string, n int) {
	limit := min(len(data), max-1)
	if i := bytes.IndexByte(data[:limit], '\n'); i >= 0 {
		b := data[:i]
		if len(b) > 0 && b[len(b)-1] == '\r' {
			b = b[:len(b)-1]
		}
		return string(cstr.UntilNUL(b)), i + 1
	}
	if len(data) >= max-1 {
		return string(cstr.UntilNUL(data[:max-1])), max - 1
	}
	return "", 0
}

// reply handles one reply line in a handshake state (syncWithMaster and
// slaveTryPartialResynchronization's reading half).
func (l *Link) reply(now time.Time, r string, acts []Action) []Action {
	switch l.State {
	case ReceivePingReply:
		if !strings.HasPrefix(r, "+") && !strings.HasPrefix(r, "-NOAUTH") &&
			!strings.HasPrefix(r, "-NOPERM") && !strings.HasPrefix(r, "-ERR operation not permitted") {
			acts = append(acts, logf('#', "Error reply to PING from master: '%s'", r))
			return l.fail(acts)
		}
		acts = append(acts, logf('*', "Master replied to PING, replication can continue..."))
		l.State = SendHandshake
		return append(acts, ActSend{Data: l.handshake()})
	case ReceiveAuthReply:
		if strings.HasPrefix(r, "-") {
			acts = append(acts, logf('#', "Unable to AUTH to MASTER: %s", r))
			return l.fail(acts)
		}
		l.State = ReceivePortReply
	case ReceivePortReply:
		if strings.HasPrefix(r, "-") {
			acts = append(acts, logf('*', "(Non critical) Master does not understand REPLCONF listening-port: %s", r))
		}
		l.State = ReceiveIPReply
		if l.cfg.AnnounceIP == "" {
			l.State = ReceiveCapaReply
		}
	case ReceiveIPReply:
		if strings.HasPrefix(r, "-") {
			acts = append(acts, logf('*', "(Non critical) Master does not understand REPLCONF ip-address: %s", r))
		}
		l.State = ReceiveCapaReply
	case ReceiveCapaReply:
		if strings.HasPrefix(r, "-") {
			acts = append(acts, logf('*', "(Non critical) Master does not understand REPLCONF capa: %s", r))
		}
		l.State = SendPsync
		return l.sendPsync(acts)
	case ReceivePsyncReply:
		return l.psyncReply(now, r, acts)
	}
	return acts
}

// handshake is what Redis sends after the PONG, in one go: AUTH when
// configured, REPLCONF listening-port, REPLCONF ip-address when announced,
// REPLCONF capa eof capa psync2.
func (l *Link) handshake() []byte {
	var out []byte
	l.State = ReceivePortReply
	if l.cfg.MasterAuth != "" {
		if l.cfg.MasterUser != "" {
			out = resp.AppendCommandStrings(out, "AUTH", l.cfg.MasterUser, l.cfg.MasterAuth)
		} else {
			out = resp.AppendCommandStrings(out, "AUTH", l.cfg.MasterAuth)
		}
		l.State = ReceiveAuthReply
	}
	out = resp.AppendCommandStrings(out, "REPLCONF", "listening-port", strconv.Itoa(l.cfg.ListeningPort))
	if l.cfg.AnnounceIP != "" {
		out = resp.AppendCommandStrings(out, "REPLCONF", "ip-address", l.cfg.AnnounceIP)
	}
	return resp.AppendCommandStrings(out, "REPLCONF", "capa", "eof", "capa", "psync2")
}

// sendPsync is slaveTryPartialResynchronization's writing half.
func (l *Link) sendPsync(acts []Action) []Action {
	l.fullOff = -1
	id, off := "?", "-1"
	if l.Cached != nil {
		id, off = l.Cached.ID.String(), strconv.FormatInt(l.Cached.Offset+1, 10)
		acts = append(acts, logf('*', "Trying a partial resynchronization (request %s:%s).", id, off))
	} else {
		acts = append(acts, logf('*', "Partial resynchronization not possible (no cached master)"))
	}
	l.State = ReceivePsyncReply
	if l.Failover {
		return append(acts, ActSend{Data: resp.AppendCommandStrings(nil, "PSYNC", id, off, "FAILOVER")})
	}
	return append(acts, ActSend{Data: resp.AppendCommandStrings(nil, "PSYNC", id, off)})
}

// psyncReply is slaveTryPartialResynchronization's reading half plus what
// syncWithMaster does with its result.
func (l *Link) psyncReply(now time.Time, r string, acts []Action) []Action {
	if r != "" && l.Failover {
		// A failover ends with the target's answer: a sync of either
		// kind completes it, anything else aborts it (syncWithMaster).
		l.Failover = false
		ok := strings.HasPrefix(r, "+FULLRESYNC") || strings.HasPrefix(r, "+CONTINUE") && l.Cached != nil
		acts = append(acts, ActFailover{Accepted: ok})
		if !ok {
			return acts
		}
	}
	switch {
	case r == "":
		return acts // a keepalive newline while the master prepares the RDB
	case strings.HasPrefix(r, "+FULLRESYNC"):
		id, off, ok := parseFullResync(r)
		if !ok {
			acts = append(acts, logf('#', "Master replied with wrong +FULLRESYNC syntax."))
			l.fullID = NoID // so that the next PSYNC fails
		} else {
			l.fullID, l.fullOff = id, off
			acts = append(acts, logf('*', "Full resync from master: %s:%d", l.fullID, l.fullOff))
		}
		return l.startTransfer(now, acts)
	case strings.HasPrefix(r, "+CONTINUE") && l.Cached != nil:
		return l.continued(now, r, acts)
	case strings.HasPrefix(r, "-NOMASTERLINK"), strings.HasPrefix(r, "-LOADING"):
		acts = append(acts, logf('*', "Master is currently unable to PSYNC but should be in the future: %s", r))
		return l.fail(acts)
	}
	// Redis would crash on +CONTINUE without a cached master; treat it as
	// the unexpected reply it is.
	if strings.HasPrefix(r, "-ERR") {
		acts = append(acts, logf('*', "Master does not support PSYNC or is in error state (reply: %s)", r))
	} else {
		acts = append(acts, logf('#', "Unexpected reply to PSYNC from master: %s", r))
	}
	acts = append(acts, logf('*', "Retrying with SYNC..."), ActSend{Data: []byte("SYNC\r\n")})
	return l.startTransfer(now, acts)
}

// parseFullResync reads "+FULLRESYNC <40-byte id> <offset>" as Redis does.
func parseFullResync(r string) (ID, int64, bool) {
	sp := strings.IndexByte(r, ' ')
	if sp < 0 {
		return NoID, 0, false
	}
	rest := r[sp+1:]
	sp = strings.IndexByte(rest, ' ')
	if sp != eofMarkLen {
		return NoID, 0, false
	}
	off, _, _ := cstr.Strtoll(rest[sp+1:], 10)
	return rawID(rest[:sp]), off, true
}

// continued handles +CONTINUE [<new id>].
func (l *Link) continued(now time.Time, r string, acts []Action) []Action {
	acts = append(acts, logf('*', "Successful partial resynchronization with master."))
	end := 9
	for end < len(r) && r[end] != '\r' && r[end] != '\n' {
		end++
	}
	id := l.Cached.ID
	changed := false
	if end-10 == eofMarkLen {
		if next := rawID(r[10:end]); next != id {
			acts = append(acts, logf('#', "Master replication ID changed to %s", next))
			id, changed = next, true
		}
	}
	acts = append(acts, ActContinue{NewID: id, Changed: changed})
	if changed {
		acts = append(acts, ActDropReplicas{})
	}
	l.masterID, l.reploff, l.Cached = id, l.Cached.Offset, nil
	l.prePSYNC = false
	l.up(now)
	return append(acts, logf('*', "MASTER <-> REPLICA sync: Master accepted a Partial Resynchronization."))
}

// Closed reports that the link's connection was closed: reason is the error
// text, "" for an orderly close by the master.
func (l *Link) Closed(now time.Time, reason string) []Action {
	errno := reason
	if errno == "" {
		errno = "Success" // strerror(0): what Redis prints when the master just hangs up
	}
	switch {
	case l.State == Connecting:
		l.State = Connect
		return []Action{logf('#', "Error condition on socket for SYNC: %s", errno)}
	case l.State == ReceivePsyncReply:
		return l.fail([]Action{
			logf('#', "Failed to read response from the server: %s", errno),
			logf('#', "Master did not reply to PSYNC, will try later")})
	case l.State.Handshake():
		return l.fail([]Action{
			logf('#', "Failed to read response from the server: %s", errno),
			logf('#', "Master did not respond to command during SYNC handshake")})
	case l.State == Transfer && l.loading:
		l.lost = true
		return nil
	case l.State == Transfer && l.size < 0:
		acts := []Action{logf('#', "I/O error reading bulk count from MASTER: %s", errno)}
		return l.retryNow(now, acts)
	case l.State == Transfer && l.parsing:
		return l.parseFailed(now, nil, errno)
	case l.State == Transfer:
		if reason == "" {
			reason = "connection lost"
		}
		acts := []Action{logf('#', "I/O error trying to sync with MASTER: %s", reason)}
		return l.retryNow(now, acts)
	case l.State == Connected:
		return l.masterLost(now, nil)
	}
	return nil
}

// Stop ends the link, as the master client is freed when REPLICAOF points
// elsewhere: a connected master is cached (Cached), an attempt in progress is
// abandoned. The state becomes None.
func (l *Link) Stop(now time.Time) []Action {
	var acts []Action
	switch {
	case l.State == Connected:
		acts = append(acts, ActClose{}, logf('#', "Connection with master lost."),
			logf('*', "Caching the disconnected master state."))
		l.Cached = &History{ID: l.masterID, Offset: l.reploff, ID2: NoID, Offset2: -1}
		l.downSince = now
	case l.State >= Connecting:
		acts = append(acts, ActClose{})
	}
	l.State, l.in, l.rdb, l.pending, l.loading, l.lost, l.parsing = None, nil, nil, nil, false, false, false
	return acts
}

// CacheMyself synthesizes a cached master from a node's own history when it
// turns into a replica (replicationCacheMasterUsingMyself), so that it may
// continue with the new master; it returns the line Redis logs.
func CacheMyself(h History) (*History, ActLog) {
	return &History{ID: h.ID, Offset: h.Offset, ID2: NoID, Offset2: -1},
		logf('*', "Before turning into a replica, using my own master parameters to synthesize a cached master: I may be able to synchronize with the new master with just a partial transfer.")
}

// Discard forgets the cached master (replicationDiscardCachedMaster).
func (l *Link) Discard() []Action {
	if l.Cached == nil {
		return nil
	}
	l.Cached = nil
	return []Action{logf('*', "Discarding previously cached master state.")}
}

// Processed records that the node applied n bytes of the stream
// (slave_repl_offset advances).
func (l *Link) Processed(n int64) {
	if l.State == Connected && !l.prePSYNC {
		l.reploff += n
	}
}

// Ack is "REPLCONF ACK <offset>" for the offset processed so far
// (replicationSendAck); nil when not connected. On REPLCONF GETACK the node
// sends it before calling Processed for the GETACK itself, as Redis does.
func (l *Link) Ack() []byte {
	if l.State != Connected {
		return nil
	}
	return resp.AppendCommandStrings(nil, "REPLCONF", "ACK", strconv.FormatInt(l.reploff, 10))
}

// MasterID is the connected master's replication ID (NoID when not
// connected).
func (l *Link) MasterID() ID {
	if l.State != Connected {
		return NoID
	}
	return l.masterID
}

// Offset is slave_repl_offset (replicationGetSlaveOffset): the connected
// or cached master's processed offset, 0 when neither.
func (l *Link) Offset() int64 {
	off := int64(0)
	switch {
	case l.State == Connected:
		off = l.reploff
	case l.Cached != nil:
		off = l.Cached.Offset
	}
	return max(off, 0)
}

// RoleOffset is the offset ROLE shows: the master's processed offset, -1
// when not connected.
func (l *Link) RoleOffset() int64 {
	if l.State != Connected {
		return -1
	}
	return l.reploff
}

// LastInteraction is when the connected master last sent anything
// (master_last_io_seconds_ago).
func (l *Link) LastInteraction() time.Time { return l.lastInteraction }

// DownSince is when the link went down (master_link_down_since_seconds);
// zero when it never was or is up.
func (l *Link) DownSince() time.Time { return l.downSince }

// Transferring reports INFO's master_sync_* fields during Transfer: total
// bytes (-1 before the header, 0 with an EOF mark), bytes read, and the time
// of the last I/O.
func (l *Link) Transferring() (total, read int64, lastIO time.Time) {
	return l.size, l.read, l.lastIO
}

// up marks the master link as established (Connected).
func (l *Link) up(now time.Time) {
	l.State = Connected
	l.lastInteraction = now
	l.downSince = time.Time{}
}

// connect is connectWithMaster.
func (l *Link) connect(now time.Time, acts []Action) []Action {
	l.State = Connecting
	l.lastIO = now
	l.in = nil
	// The log line goes first: a driver may complete the dial, and the link
	// log more, before it gets to the next action.
	return append(acts, logf('*', "MASTER <-> REPLICA sync started"), ActDial{Addr: l.Master.Addr()})
}

// fail is syncWithMaster's error path: close and wait for the next Tick.
func (l *Link) fail(acts []Action) []Action {
	l.State = Connect
	l.in = nil
	return append(acts, ActClose{})
}

// retryNow is cancelReplicationHandshake(1): close and reconnect at once.
func (l *Link) retryNow(now time.Time, acts []Action) []Action {
	l.rdb, l.size = nil, -1
	acts = l.fail(acts)
	return l.connectAfterFailure(now, acts)
}

func (l *Link) connectAfterFailure(now time.Time, acts []Action) []Action {
	acts = append(acts, logf('*', "Reconnecting to MASTER %s after failure", l.Master))
	return l.connect(now, acts)
}

// masterLost is freeClient on the master: cache it
// (replicationCacheMaster) and reconnect at once
// (replicationHandleMasterDisconnection).
func (l *Link) masterLost(now time.Time, acts []Action) []Action {
	acts = append(acts, logf('#', "Connection with master lost."),
		logf('*', "Caching the disconnected master state."))
	l.Cached = &History{ID: l.masterID, Offset: l.reploff, ID2: NoID, Offset2: -1}
	l.downSince = now
	acts = append(acts, logf('*', "Reconnecting to MASTER %s", l.Master))
	return l.connect(now, acts)
}

package node

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/syncscope/syncscope/core/rdb"
	"github.com/syncscope/syncscope/core/repl"
)

// replication is the node's replication state, both sides.
type replication struct {
	runID           string
	hist            repl.History
	backlog         *repl.Backlog
	stream          repl.Stream
	scratch         []byte
	multiExec       [][]byte  // the argv of MULTI and EXEC around a unit
	replicas        []*client // attached replicas, in attach order
	noReplicasSince time.Time
	netIn, netOut   int64
	lastPing        time.Time
	lastNewline     time.Time // presync newlines, once a second

	// Replica side.
	masterAddr string // "" when we are a master
	master     repl.HostPort
	link       *repl.Link
	linkConn   ConnID
	mc         *client // the master as a client while streaming
	mcTxn      int     // bytes of mc.qbuf read in an open MULTI, not yet applied
	applying   bool    // inside applyMasterStream
	// cachedAtStart is the history read from our RDB, to PSYNC with after a restart.
	cachedAtStart *repl.History
	streamDB      int // last SELECT seen in the master's stream

	// Full syncs waiting to start (Redis's WAIT_BGSAVE_START replicas).
	syncWaitSince time.Time
	waiters       []*waiter // WAIT clients

	shutdown   *shutdownWait // a shutdown waiting for replicas to catch up
	silentDrop bool          // closing the replicas at exit: no log lines
}

func (n *Node) isReplica() bool { return n.repl.masterAddr != "" }

// errLoading is Redis's shared.loadingerr.
const errLoading = "LOADING Redis is loading the dataset in memory"

// noAsyncLoading are the commands refused while loading asynchronously
// (CMD_NO_ASYNC_LOADING in Redis's command table, less cluster and module
// subcommands).
var noAsyncLoading = map[string]bool{
	"bgrewriteaof": true, "bgsave": true, "failover": true, "psync": true,
	"replicaof": true, "save": true, "slaveof": true, "sync": true,
}

// loadingNow reports a diskless load in progress (server.loading), and
// whether it is asynchronous: swapdb under the replid we already follow,
// so the old dataset is a past state of the one loading and stays served.
func (n *Node) loadingNow() (loading, async bool) {
	if n.startupLoading() {
		return true, false
	}
	l := n.repl.link
	if l == nil || !l.Parsing() {
		return false, false
	}
	return true, n.cfg.ReplDisklessLoad == "swapdb" && l.FullSyncID() == n.repl.hist.ID
}

func (n *Node) linkUp() bool {
	return n.repl.link != nil && n.repl.link.State == repl.Connected
}

func (n *Node) newID() repl.ID {
	id, err := repl.NewID(randReader{n})
	if err != nil {
		panic(err) // randReader never fails
	}
	return id
}

// randReader adapts the node's seeded PRNG to io.Reader.
type randReader struct{ n *Node }

func (r randReader) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = byte(r.n.rand.Uint32())
	}
	return len(p), nil
}

func (n *Node) initReplication() {
	n.repl.runID = n.newID().String()
	n.repl.hist = repl.NewHistory(n.newID())
	n.repl.stream = repl.NewStream()
	n.repl.noReplicasSince = n.now
	n.repl.lastPing = n.now
	if hp := n.cfg.ReplicaOf; hp != nil {
		n.repl.master = repl.HostPort{Host: hp.Host, Port: hp.Port}
		n.repl.masterAddr = n.repl.master.String()
	}
}

// replInfoForRDB is what the RDB's aux fields record about replication
// (rdbPopulateSaveInfo): a master with a backlog or a replica saves its
// history so it can continue by partial resync after a restart.
func (n *Node) replInfoForRDB() (id string, off int64, db int, ok bool) {
	switch {
	case !n.isReplica() && n.repl.backlog != nil:
		db = n.repl.stream.DB
		if db < 0 {
			db = 0
		}
		return n.repl.hist.ID.String(), n.repl.hist.Offset, db, true
	case n.isReplica() && n.linkUp():
		return n.repl.hist.ID.String(), n.repl.hist.Offset, n.repl.streamDB, true
	case n.isReplica() && n.repl.link != nil && n.repl.link.Cached != nil:
		return n.repl.link.Cached.ID.String(), n.repl.link.Cached.Offset, n.repl.streamDB, true
	}
	return "", 0, 0, false
}

// restoreReplFromRDB takes the replication history saved in our own RDB.
func (n *Node) restoreReplFromRDB(info rdb.Info) {
	idText, ok1 := info.Get("repl-id")
	offText, ok2 := info.Get("repl-offset")
	if !ok1 || !ok2 {
		return
	}
	id, ok := repl.ParseID(idText)
	off, err := strconv.ParseInt(offText, 10, 64)
	if !ok || err != nil {
		return
	}
	if !n.isReplica() {
		// A master keeps the saved history as its secondary one, under the
		// new replid it started with, with a backlog from there: its
		// replicas continue by partial resync (loadDataFromDisk).
		n.repl.hist.ID2, n.repl.hist.Offset2 = id, off+1
		n.repl.hist.Offset = off
		n.repl.backlog = nil
		n.ensureBacklog()
		n.repl.noReplicasSince = n.now
		return
	}
	n.repl.hist = repl.NewHistory(id)
	n.repl.hist.Offset = off
	if dbText, ok := info.Get("repl-stream-db"); ok {
		n.repl.streamDB, _ = strconv.Atoi(dbText)
	}
	h := n.repl.hist
	n.repl.cachedAtStart = &h
}

// replicationCron runs once a second: the link's timers, PINGs to replicas,
// the delayed diskless sync, the backlog's TTL, WAIT timeouts.
func (n *Node) replicationCron() {
	if n.repl.link != nil {
		// Tick sends the once-a-second REPLCONF ACK itself.
		n.linkDo(n.repl.link.Tick(n.now))
	}
	period := time.Duration(n.cfg.ReplPingReplicaPeriod) * time.Second
	// Redis pings on the cron loops that are multiples of the period
	// since start, replicas or not: one attaching waits for the next.
	if n.now.Sub(n.repl.lastPing) >= period {
		n.repl.lastPing = n.now
		// Not while a failover holds the clients: the offsets must stay
		// put for the target to catch up with.
		if !n.isReplica() && len(n.repl.replicas) > 0 && !(n.failover.state != noFailover && n.paused()) {
			n.feedStream(n.repl.stream.DB, [][]byte{[]byte("PING")})
		}
	}
	if !n.repl.syncWaitSince.IsZero() && n.persist.bgsave == nil && n.syncDelayOver() {
		n.startSyncSnapshot()
	}
	n.presyncNewlines()
	// Whole seconds, strictly more than the TTL, as Redis counts idle time.
	if !n.isReplica() && n.repl.backlog != nil && len(n.repl.replicas) == 0 && n.cfg.ReplBacklogTTL > 0 &&
		n.now.Unix()-n.repl.noReplicasSince.Unix() > int64(n.cfg.ReplBacklogTTL) {
		n.repl.hist.Restart(n.newID())
		n.repl.backlog = nil
		n.log('*', fmt.Sprintf("Replication backlog freed after %d seconds without connected replicas.", n.cfg.ReplBacklogTTL))
	}
	n.replicaTimeouts()
	n.updateFailover()
	n.checkWaiters()
	n.checkShutdownWait()
}

func hostOf(addr string) string {
	if i := strings.LastIndexByte(addr, ':'); i >= 0 {
		return strings.Trim(addr[:i], "[]")
	}
	return addr
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

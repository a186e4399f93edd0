package node

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/syncscope/syncscope/core/config"
	"github.com/syncscope/syncscope/core/rdb"
	"github.com/syncscope/syncscope/core/repl"
	"github.com/syncscope/syncscope/core/resp"
	"github.com/syncscope/syncscope/core/store"
)

// replication is the node's replication state, both sides.
type replication struct {
	runID           string
	hist            repl.History
	backlog         *repl.Backlog
	stream          repl.Stream
	scratch         []byte
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
	loading    bool
	// cachedAtStart is the history read from our RDB, to PSYNC with after a restart.
	cachedAtStart *repl.History
	streamDB      int // last SELECT seen in the master's stream

	// Full syncs waiting to start (Redis's WAIT_BGSAVE_START replicas).
	syncWaitSince time.Time
	waiters       []*waiter // WAIT clients

	shutdown   *shutdownWait // a shutdown waiting for replicas to catch up
	silentDrop bool          // closing the replicas at exit: no log lines
}

// shutdownWait is a SHUTDOWN (or SIGTERM) waiting up to shutdown-timeout
// for the replicas to acknowledge the whole stream (Redis's shutdown_mstime).
type shutdownWait struct {
	deadline time.Time
	c        *client // the SHUTDOWN client, nil for a signal
	save     bool
}

type waiter struct {
	c        *client
	offset   int64
	want     int
	deadline time.Time // zero = forever
}

func (n *Node) isReplica() bool { return n.repl.masterAddr != "" }

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

// startReplication connects to the configured master at start.
func (n *Node) startReplication() {
	if !n.isReplica() {
		return
	}
	cached := n.repl.cachedAtStart
	if cached != nil {
		n.log('*', "Before turning into a replica, using my own master parameters to synthesize a cached master: I may be able to synchronize with the new master with just a partial transfer.")
	}
	n.repl.link = repl.NewLink(n.repl.master, n.linkConfig(), cached)
	n.linkDo(n.repl.link.Start(n.now))
}

func (n *Node) linkConfig() repl.LinkConfig {
	port := n.cfg.Port
	if n.cfg.ReplicaAnnouncePort != 0 {
		port = n.cfg.ReplicaAnnouncePort
	}
	return repl.LinkConfig{
		ListeningPort: port,
		AnnounceIP:    n.cfg.ReplicaAnnounceIP,
		MasterAuth:    n.cfg.MasterAuth,
		MasterUser:    n.cfg.MasterUser,
		ReplTimeout:   time.Duration(n.cfg.ReplTimeout) * time.Second,
	}
}

// linkDo performs the link's actions in order.
func (n *Node) linkDo(acts []repl.Action) {
	for _, a := range acts {
		switch a := a.(type) {
		case repl.ActDial:
			n.nextDial++
			n.repl.linkConn = n.nextDial
			n.out.Dials = append(n.out.Dials, Dial{Conn: n.repl.linkConn, Addr: a.Addr})
		case repl.ActSend:
			n.out.Writes = append(n.out.Writes, Write{Conn: n.repl.linkConn, Data: a.Data})
		case repl.ActClose:
			if n.repl.linkConn != 0 {
				n.out.Closes = append(n.out.Closes, n.repl.linkConn)
			}
			n.repl.linkConn = 0
			n.repl.mc = nil
		case repl.ActLog:
			n.log(a.Level, a.Text)
		case repl.ActDropReplicas:
			n.dropReplicas()
			if a.FreeBacklog {
				n.repl.backlog = nil
			}
		case repl.ActFullSync:
			n.fullSyncLoad(a)
		case repl.ActContinue:
			if a.Changed {
				n.repl.hist.Shift(a.NewID)
			}
			n.ensureBacklog()
			n.repl.mc = n.newMasterClient()
		case repl.ActStream:
			n.applyMasterStream(a.Data)
		case repl.ActFailover:
			n.failoverAnswered(a.Accepted)
		}
	}
}

func (n *Node) ensureBacklog() {
	if n.repl.backlog == nil {
		n.repl.backlog = repl.NewBacklog(int(n.cfg.ReplBacklogSize), n.repl.hist.Offset+1)
	}
}

// newMasterClient is the client that applies the master's stream.
func (n *Node) newMasterClient() *client {
	c := &client{conn: n.repl.linkConn, id: n.nextClientID, addr: n.repl.master.String(), created: n.now, lastActive: n.now, authed: true, isMaster: true, db: n.repl.streamDB}
	n.nextClientID++
	n.repl.mcTxn = 0
	c.parser.Limits = resp.DefaultLimits()
	c.parser.Limits.MaxBulkLen = n.cfg.ProtoMaxBulkLen
	c.out.Errors = &n.stats.errors
	return c
}

func (n *Node) linkDialed(ev Dialed) {
	n.linkDo(n.repl.link.Dialed(n.now, ev.Err))
}

func (n *Node) linkReceived(p []byte) {
	n.repl.netIn += int64(len(p))
	n.linkDo(n.repl.link.Received(n.now, p))
}

func (n *Node) linkClosed(reason string) {
	if n.repl.mc != nil {
		n.repl.mc = nil
	}
	wasUp := n.linkUp()
	n.linkDo(n.repl.link.Closed(n.now, reason))
	if wasUp {
		n.afterLinkDown()
	}
}

// linkDropped closes the master link from our side (CLIENT KILL TYPE master).
func (n *Node) linkDropped(reason string) {
	if n.repl.linkConn != 0 {
		n.out.Closes = append(n.out.Closes, n.repl.linkConn)
	}
	n.linkClosed("")
}

func (n *Node) afterLinkDown() {
	// Sub-replicas keep their links: they will see -NOMASTERLINK on PSYNC.
}

// fullSyncLoad loads a master's RDB into a fresh store and swaps it in only
// on success: a half-loaded dataset is never served.
func (n *Node) fullSyncLoad(a repl.ActFullSync) {
	st, info, err := store.LoadRDB(a.RDB, n.cfg.Databases, n.rand, n.st.Limits, n.now.UnixMilli(), false)
	if err != nil {
		n.linkDo(n.repl.link.Loaded(n.now, false, err.Error()))
		return
	}
	n.logRDBInfo(info.Info)
	n.adoptStore(st, info)
	n.forgetReplicaKeys()
	n.log('*', fmt.Sprintf("Done loading RDB, keys loaded: %d, keys expired: %d.", info.Keys, info.Expired))
	n.repl.hist = repl.NewHistory(a.ReplID)
	n.repl.hist.Offset = a.Offset
	n.repl.streamDB = 0
	if db, ok := info.Get("repl-stream-db"); ok {
		n.repl.streamDB, _ = strconv.Atoi(db)
	}
	n.repl.backlog = nil
	n.ensureBacklog()
	n.repl.mc = n.newMasterClient()
	n.linkDo(n.repl.link.Loaded(n.now, true, ""))
}

// applyMasterStream runs the master's commands and forwards exactly the
// bytes applied to our own backlog and sub-replicas, so the whole chain
// shares one history and one offset space. A transaction counts as applied
// only at its EXEC, as Redis's master client advances reploff only outside
// MULTI: a link lost in the middle of one resumes before its MULTI instead
// of after commands it never ran.
func (n *Node) applyMasterStream(p []byte) {
	mc := n.repl.mc
	if mc == nil {
		return
	}
	mc.qbuf = append(mc.qbuf, p...)
	mc.lastActive = n.now
	pos, done := n.repl.mcTxn, 0 // read up to pos, applied up to done
	for pos < len(mc.qbuf) && n.repl.mc == mc {
		args, used, err := mc.parser.Next(mc.qbuf[pos:])
		if err != nil {
			n.log('#', fmt.Sprintf("Protocol error from master: %s", err))
			n.linkDropped(err.Error())
			return
		}
		if used == 0 {
			break
		}
		pos += used
		ping := false
		if len(args) > 0 {
			ping = len(args) == 1 && lower(args[0]) == "ping"
			if lower(args[0]) == "replconf" && len(args) >= 2 && lower(args[1]) == "getack" {
				if ack := n.repl.link.Ack(); ack != nil {
					n.out.Writes = append(n.out.Writes, Write{Conn: n.repl.linkConn, Data: ack})
				}
			} else {
				n.call(mc, args)
			}
		}
		if mc.multi != nil {
			continue
		}
		n.repl.streamDB = mc.db
		applied := mc.qbuf[done:pos]
		if plantedChainDropsPing && ping {
			applied = nil
		}
		n.feedRaw(applied)
		n.repl.link.Processed(int64(pos - done))
		done = pos
	}
	rest := copy(mc.qbuf, mc.qbuf[done:])
	mc.qbuf = mc.qbuf[:rest]
	n.repl.mcTxn = pos - done
}

// feedStream encodes one command into the replication stream.
func (n *Node) feedStream(db int, argv [][]byte) {
	if n.repl.backlog == nil {
		return
	}
	if db < 0 {
		n.repl.scratch = resp.AppendCommand(n.repl.scratch[:0], argv...)
	} else {
		n.repl.scratch = n.repl.stream.Feed(n.repl.scratch[:0], db, argv...)
	}
	n.feedRaw(n.repl.scratch)
	if c := n.current; c != nil {
		c.woff = n.repl.hist.Offset
	}
}

// feedRaw appends stream bytes to the backlog and every attached replica.
func (n *Node) feedRaw(p []byte) {
	if n.repl.backlog == nil {
		return
	}
	n.repl.backlog.Append(p)
	n.repl.hist.Offset += int64(len(p))
	for _, c := range n.repl.replicas {
		r := c.replica
		switch {
		case r.State == repl.WaitBgsave:
		case r.State == repl.Online && !r.StreamOnAck:
			c.out.Raw(p)
			n.queueOutput(c)
		default:
			c.replPending = append(c.replPending, p...)
		}
	}
	n.checkReplicaBuffers()
}

// checkReplicaBuffers drops replicas over client-output-buffer-limit replica.
func (n *Node) checkReplicaBuffers() {
	lim := n.cfg.ClientOutputBufferLimits[1]
	if lim.Hard == 0 && lim.Soft == 0 {
		return
	}
	for _, c := range append([]*client(nil), n.repl.replicas...) {
		used := int64(len(c.replPending) + len(c.out.Buf) + c.unflushed)
		over := lim.Hard > 0 && used >= lim.Hard
		if !over && lim.Soft > 0 && used >= lim.Soft {
			if c.softLimitAt.IsZero() {
				c.softLimitAt = n.now
			} else if n.now.Sub(c.softLimitAt) >= time.Duration(lim.SoftSeconds)*time.Second {
				over = true
			}
		} else if !over {
			c.softLimitAt = time.Time{}
		}
		if over {
			n.log('#', fmt.Sprintf("Client %s scheduled to be closed ASAP for overcoming of output buffer limits.", n.clientInfo(c)))
			n.closeClient(c)
		}
	}
}

// replicaLost forgets a replica whose connection went away.
func (n *Node) replicaLost(c *client) {
	if !c.replica.Attached {
		return
	}
	n.repl.replicas = removeClient(n.repl.replicas, c)
	if len(n.repl.replicas) == 0 {
		n.repl.noReplicasSince = n.now
	}
	if !n.repl.silentDrop {
		n.log('#', fmt.Sprintf("Connection with replica %s lost.", c.replica.Name()))
	}
}

// dropReplicas disconnects our replicas so they resync against a new history.
func (n *Node) dropReplicas() {
	for _, c := range append([]*client(nil), n.repl.replicas...) {
		n.closeClient(c)
	}
}

// waitReplicasBeforeShutdown starts waiting for lagging replicas before a
// shutdown (prepareForShutdown), and reports whether it does: the shutdown
// then finishes from replicationCron once they caught up or
// shutdown-timeout passed.
func (n *Node) waitReplicasBeforeShutdown(c *client, save bool) bool {
	timeout := n.shutdownTimeout()
	if timeout == 0 || n.replicasInSync() {
		return false
	}
	n.repl.shutdown = &shutdownWait{deadline: n.now.Add(timeout), c: c, save: save}
	if !n.isReplica() {
		// A replica's stream is its master's: it only waits.
		n.feedStream(n.repl.stream.DB, [][]byte{[]byte("REPLCONF"), []byte("GETACK"), []byte("*")})
	}
	if c != nil {
		c.blocked = &blockState{}
	}
	n.log('*', "Waiting for replicas before shutting down.")
	return true
}

func (n *Node) shutdownTimeout() time.Duration {
	for _, kv := range n.cfg.Get("shutdown-timeout") {
		if secs, err := strconv.Atoi(kv[1]); err == nil {
			return time.Duration(secs) * time.Second
		}
	}
	return 10 * time.Second
}

// replicasInSync is isReadyToShutdown: every replica acknowledged our offset.
func (n *Node) replicasInSync() bool {
	for _, c := range n.repl.replicas {
		if c.replica.AckOffset != n.repl.hist.Offset {
			return false
		}
	}
	return true
}

// checkShutdownWait finishes a waiting shutdown once replicas caught up.
func (n *Node) checkShutdownWait() {
	w := n.repl.shutdown
	if w == nil || n.now.Before(w.deadline) && !n.replicasInSync() {
		return
	}
	n.repl.shutdown = nil
	if w.c != nil {
		w.c.blocked = nil
	}
	n.finishShutdownSave(w.c, w.save)
}

// abortShutdown is SHUTDOWN ABORT: a shutdown still waiting for its
// replicas is cancelled and its client told so.
func (n *Node) abortShutdown(c *client) {
	w := n.repl.shutdown
	if w == nil {
		c.out.Error("ERR No shutdown in progress.")
		return
	}
	n.repl.shutdown = nil
	n.exiting = false
	if b := w.c; b != nil && !b.closed {
		b.blocked = nil
		b.out.Error("ERR Errors trying to SHUTDOWN. Check logs.")
		n.queueOutput(b)
		n.processInput(b)
	}
	n.log('*', "Shutdown manually aborted.")
	c.out.SimpleString("OK")
}

// dropReplicasForShutdown reports how in sync the replicas are, then
// closes their links as the node shuts down (they see the master go away as
// when Redis exits); cmdSync refuses new ones while the final save runs.
func (n *Node) dropReplicasForShutdown() {
	lagging := 0
	for _, c := range n.repl.replicas {
		r := c.replica
		if r.AckOffset == n.repl.hist.Offset {
			continue
		}
		lagging++
		lag := int64(0)
		if r.State == repl.Online {
			lag = n.now.Unix() - r.AckTime.Unix()
		}
		n.log('#', fmt.Sprintf("Lagging replica %s reported offset %d behind master, lag=%d, state=%s.", r.Name(), n.repl.hist.Offset-r.AckOffset, lag, r.State))
	}
	if total := len(n.repl.replicas); total > 0 {
		n.log('*', fmt.Sprintf("%d of %d replicas are in sync when shutting down.", total-lagging, total))
	}
	n.repl.silentDrop = true // Redis exits without a word about its replicas
	for _, c := range append([]*client(nil), n.repl.replicas...) {
		n.closeClient(c)
	}
	n.repl.silentDrop = false
}

// goodReplicas counts online replicas whose last ACK is within min-replicas-max-lag.
func (n *Node) goodReplicas() int {
	good := 0
	for _, c := range n.repl.replicas {
		// Whole seconds, as Redis's unixtime arithmetic counts lag.
		if c.replica.State == repl.Online && n.now.Unix()-c.replica.AckTime.Unix() <= int64(n.cfg.MinReplicasMaxLag) {
			good++
		}
	}
	return good
}

func cmdSync(n *Node, c *client, args [][]byte) {
	if c.replica != nil && c.replica.Attached {
		return
	}
	if n.exiting {
		// Redis, saving synchronously, never serves a sync once shutting
		// down: the replica finds the master gone and retries.
		n.closeClient(c)
		return
	}
	if len(args) > 3 && lower(args[0]) == "psync" && lower(args[3]) == "failover" && !n.psyncFailover(c, args) {
		return
	}
	if n.failover.state != noFailover {
		c.out.Error("NOMASTERLINK Can't SYNC while failing over")
		return
	}
	if n.isReplica() && !n.linkUp() {
		c.out.Error("NOMASTERLINK Can't SYNC while not connected with my master")
		return
	}
	if c.replica == nil {
		c.replica = &repl.Replica{}
	}
	r := c.replica
	r.Addr = hostOf(c.addr)
	name := r.Name()
	n.log('*', fmt.Sprintf("Replica %s asks for synchronization", name))
	psync := lower(args[0]) == "psync"
	r.PrePSync = !psync
	if psync {
		id, off, err := repl.ParsePsync(args)
		if err != nil {
			c.out.Error(err.Error())
			return
		}
		ok, logs := n.repl.hist.ContinueFor(name, id, off, n.repl.backlog)
		if ok {
			r.Attached, r.State, r.AckTime = true, repl.Online, n.now
			c.out.Raw(repl.AppendContinue(nil, n.repl.hist.ID, r.CapaPSync2))
			head, tail := n.repl.backlog.From(off)
			c.out.Raw(head)
			c.out.Raw(tail)
			n.repl.replicas = append(n.repl.replicas, c)
			n.stats.syncPartialOK++
			n.log('*', fmt.Sprintf("Partial resynchronization request from %s accepted. Sending %d bytes of backlog starting from offset %d.", name, len(head)+len(tail), off))
			return
		}
		for _, l := range logs {
			n.log(l.Level, l.Text)
		}
		if id != "?" {
			n.stats.syncPartialErr++
		}
	}
	n.stats.syncFull++
	r.Attached, r.State, r.AckTime = true, repl.WaitBgsave, n.now
	n.repl.replicas = append(n.repl.replicas, c)
	if len(n.repl.replicas) == 1 && n.repl.backlog == nil {
		// A new replid without a past (ID2 cleared), at the same offset:
		// Redis never rewinds master_repl_offset.
		off := n.repl.hist.Offset
		n.repl.hist = repl.NewHistory(n.newID())
		n.repl.hist.Offset = off
		n.ensureBacklog()
		n.log('*', fmt.Sprintf("Replication backlog created, my new replication IDs are '%s' and '%s'", n.repl.hist.ID, n.repl.hist.ID2))
	}
	if job := n.persist.bgsave; job != nil && job.forRepl && !job.diskless {
		// Attach to the disk snapshot in progress by copying the stream
		// another waiting replica accumulated since it started.
		for _, o := range n.repl.replicas {
			if o != c && o.replSnapshot == job.id && o.replica.State == repl.WaitBgsaveEnd {
				r.State, r.InitialOffset = repl.WaitBgsaveEnd, o.replica.InitialOffset
				c.replSnapshot = job.id
				n.repl.stream.DB = -1 // replicationSetupSlaveForFullResync
				c.replPending = append([]byte(nil), o.replPending...)
				if psync {
					c.out.Raw(repl.AppendFullResync(nil, n.repl.hist.ID, r.InitialOffset))
				}
				n.log('*', "Waiting for end of BGSAVE for SYNC")
				return
			}
		}
	}
	if n.persist.bgsave != nil {
		n.log('*', "Can't attach the replica to the current BGSAVE. Waiting for next BGSAVE for SYNC")
		return
	}
	// Only a replica that can take a socket transfer waits for others.
	if n.cfg.ReplDisklessSync && r.CapaEOF && n.cfg.ReplDisklessSyncDelay > 0 {
		if n.repl.syncWaitSince.IsZero() {
			n.repl.syncWaitSince = n.now
		}
		n.log('*', "Delay next BGSAVE for diskless SYNC")
		return
	}
	n.startSyncSnapshot()
}

// syncDelayOver is shouldStartChildOnReplication for replicas delayed for a
// diskless sync: the delay passed (whole seconds, as Redis counts idle
// time), or repl-diskless-sync-max-replicas are waiting.
func (n *Node) syncDelayOver() bool {
	if n.now.Unix()-n.repl.syncWaitSince.Unix() >= int64(n.cfg.ReplDisklessSyncDelay) {
		return true
	}
	waiting := 0
	for _, c := range n.repl.replicas {
		if c.replica.State == repl.WaitBgsave {
			waiting++
		}
	}
	return n.cfg.ReplDisklessSyncMaxReplicas > 0 && waiting >= n.cfg.ReplDisklessSyncMaxReplicas
}

func hostOf(addr string) string {
	if i := strings.LastIndexByte(addr, ':'); i >= 0 {
		return strings.Trim(addr[:i], "[]")
	}
	return addr
}

// startSyncSnapshot starts the snapshot for every replica waiting for one
// (startBgsaveForReplication): to sockets when diskless and all can take
// it, else to disk.
func (n *Node) startSyncSnapshot() {
	var waiting []*client
	allEOF := true
	for _, c := range n.repl.replicas {
		if c.replica.State == repl.WaitBgsave {
			waiting = append(waiting, c)
			allEOF = allEOF && c.replica.CapaEOF
		}
	}
	n.repl.syncWaitSince = time.Time{}
	if len(waiting) == 0 {
		return
	}
	diskless := n.cfg.ReplDisklessSync && allEOF
	target := "disk"
	if diskless {
		target = "replicas sockets"
	}
	n.log('*', "Starting BGSAVE for SYNC with target: "+target)
	job := &snapshotJob{forRepl: true, diskless: diskless, toDisk: !diskless}
	n.startSnapshot(job)
	if diskless {
		n.log('*', fmt.Sprintf("Background RDB transfer started by pid %d", n.env.Pid))
	} else {
		n.log('*', fmt.Sprintf("Background saving started by pid %d", n.env.Pid))
	}
	// The stream the new replicas accumulate must start with a SELECT,
	// so the next propagated command re-emits it
	// (replicationSetupSlaveForFullResync).
	n.repl.stream.DB = -1
	for _, c := range waiting {
		r := c.replica
		r.State, r.InitialOffset = repl.WaitBgsaveEnd, n.repl.hist.Offset
		c.replSnapshot = job.id
		c.replPending = nil
		if !r.PrePSync {
			c.out.Raw(repl.AppendFullResync(nil, n.repl.hist.ID, n.repl.hist.Offset))
		}
		n.queueOutput(c)
	}
}

// replSnapshotDone sends the finished snapshot to the replicas waiting for it.
func (n *Node) replSnapshotDone(job *snapshotJob, ev SnapshotDone) {
	if job.diskless && ev.Err == "" {
		up := 0
		for _, c := range n.repl.replicas {
			if c.replSnapshot == job.id && c.replica.State == repl.WaitBgsaveEnd {
				up++
			}
		}
		n.log('#', fmt.Sprintf("Diskless rdb transfer, done reading from pipe, %d replicas still up.", up))
		n.log('*', "Background RDB transfer terminated with success")
	}
	for _, c := range append([]*client(nil), n.repl.replicas...) {
		if c.replSnapshot != job.id || c.replica.State != repl.WaitBgsaveEnd {
			continue
		}
		r := c.replica
		if ev.Err != "" {
			n.log('#', "SYNC failed. BGSAVE child returned an error")
			n.closeClient(c)
			continue
		}
		if job.diskless {
			mark := make([]byte, 40)
			copy(mark, n.newID().String())
			c.out.Raw([]byte("$EOF:"))
			c.out.Raw(mark)
			c.out.Raw([]byte("\r\n"))
			c.out.Raw(ev.Data)
			c.out.Raw(mark)
			r.State, r.StreamOnAck = repl.Online, true
			n.log('*', fmt.Sprintf("Streamed RDB transfer with replica %s succeeded (socket). Waiting for REPLCONF ACK from slave to enable streaming", r.Name()))
		} else {
			c.out.Raw([]byte("$" + strconv.Itoa(len(ev.Data)) + "\r\n"))
			c.out.Raw(ev.Data)
			c.out.Raw(c.replPending)
			c.replPending = nil
			r.State = repl.Online
		}
		r.AckTime = n.now
		n.log('*', fmt.Sprintf("Synchronization with replica %s succeeded", r.Name()))
		n.queueOutput(c)
	}
}

// replStartPendingSync starts a snapshot for replicas that waited for the
// previous one to finish.
func (n *Node) replStartPendingSync() {
	if n.persist.bgsave != nil {
		return
	}
	for _, c := range n.repl.replicas {
		if c.replica.State == repl.WaitBgsave {
			if n.cfg.ReplDisklessSync && n.cfg.ReplDisklessSyncDelay > 0 {
				if n.repl.syncWaitSince.IsZero() {
					n.repl.syncWaitSince = n.now
				}
				return
			}
			n.startSyncSnapshot()
			return
		}
	}
}

func cmdReplconf(n *Node, c *client, args [][]byte) {
	if len(args) == 1 {
		c.out.Error("ERR wrong number of arguments for 'replconf' command")
		return
	}
	if c.replica == nil {
		c.replica = &repl.Replica{Addr: hostOf(c.addr)}
	}
	r := c.replica
	held := r.StreamOnAck
	reply, errText := r.HandleReplconf(args, n.now)
	if errText != "" {
		c.out.Error(errText)
		return
	}
	if reply != nil {
		c.out.Raw(reply)
	}
	if held && !r.StreamOnAck {
		c.out.Raw(c.replPending)
		c.replPending = nil
	}
	if lower(args[1]) == "ack" {
		n.updateFailover()
		n.checkWaiters()
		// At once, not at the next cron: PINGs keep moving the offset.
		n.checkShutdownWait()
	}
}

// replicationCron runs once a second: the link's timers, PINGs to replicas,
// the delayed diskless sync, the backlog's TTL, WAIT timeouts.
// presyncNewlines sends a newline, once a second, to each replica waiting
// for its snapshot (to start, or to finish when it goes to disk), as
// Redis's replicationCron does: the replica's repl-timeout counts from the
// last byte it read, and a newline is no part of the stream. Never inside a
// diskless transfer, whose bytes are the RDB itself.
func (n *Node) presyncNewlines() {
	if n.now.Sub(n.repl.lastNewline) < time.Second {
		return
	}
	n.repl.lastNewline = n.now
	job := n.persist.bgsave
	for _, c := range n.repl.replicas {
		switch c.replica.State {
		case repl.WaitBgsave:
		case repl.WaitBgsaveEnd:
			if job != nil && job.diskless && c.replSnapshot == job.id {
				continue
			}
		default:
			continue
		}
		c.out.Raw([]byte("\n"))
		n.queueOutput(c)
	}
}

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
		off := n.repl.hist.Offset
		n.repl.hist = repl.NewHistory(n.newID())
		n.repl.hist.Offset = off
		n.repl.backlog = nil
		n.log('*', fmt.Sprintf("Replication backlog freed after %d seconds without connected replicas.", n.cfg.ReplBacklogTTL))
	}
	n.replicaTimeouts()
	n.updateFailover()
	n.checkWaiters()
	n.checkShutdownWait()
}

// replicaTimeouts drops replicas silent for longer than repl-timeout.
func (n *Node) replicaTimeouts() {
	timeout := int64(n.cfg.ReplTimeout) // whole seconds, as Redis counts them
	for _, c := range append([]*client(nil), n.repl.replicas...) {
		r := c.replica
		if r.State == repl.Online && !r.AckTime.IsZero() && n.now.Unix()-r.AckTime.Unix() > timeout && r.AckOffset >= 0 && !r.StreamOnAck {
			n.log('#', fmt.Sprintf("Disconnecting timedout replica (streaming sync): %s", r.Name()))
			n.closeClient(c)
		}
	}
}

func cmdReplicaof(n *Node, c *client, args [][]byte) {
	if n.failover.state != noFailover {
		c.out.Error("ERR REPLICAOF not allowed while failing over.")
		return
	}
	if lower(args[1]) == "no" && lower(args[2]) == "one" {
		if n.isReplica() {
			n.promote()
			n.log('*', fmt.Sprintf("MASTER MODE enabled (user request from '%s')", n.clientInfo(c)))
		}
		c.out.SimpleString("OK")
		return
	}
	port, ok := parsePort(args[2])
	if !ok {
		c.out.Error("ERR Invalid master port")
		return
	}
	host := string(args[1])
	if n.isReplica() && n.repl.master.Host == host && n.repl.master.Port == port {
		n.log('*', "REPLICAOF would result into synchronization with the master we are already connected with. No operation performed.")
		c.out.SimpleString("OK Already connected to specified master")
		return
	}
	n.setMaster(repl.HostPort{Host: host, Port: port})
	n.log('*', fmt.Sprintf("REPLICAOF %s:%d enabled (user request from '%s')", host, port, n.clientInfo(c)))
	c.out.SimpleString("OK")
}

func parsePort(b []byte) (int, bool) {
	p, err := strconv.Atoi(string(b))
	return p, err == nil && p >= 0 && p <= 65535
}

// promote turns a replica into a master (REPLICAOF NO ONE): a new replid,
// the old one kept as replid2 so former siblings can continue.
func (n *Node) promote() {
	n.repl.masterAddr = ""
	n.cfg.ReplicaOf = nil // what CONFIG GET and CONFIG REWRITE show
	if n.repl.link != nil {
		n.linkDo(n.repl.link.Stop(n.now))
		n.linkDo(n.repl.link.Discard())
	}
	n.repl.link, n.repl.mc, n.repl.linkConn = nil, nil, 0
	n.log('#', n.repl.hist.Shift(n.newID()))
	n.repl.stream = repl.NewStream()
	n.dropReplicas()
	// The backlog's TTL counts from the promotion, not from whenever we
	// last had replicas of our own.
	n.repl.noReplicasSince = n.now
}

// disconnectBlocked answers every blocked client with -UNBLOCKED and closes
// it, as replicationSetMaster's disconnectAllBlockedClients does: a client
// blocked on a master must not be served by its new master's stream (a
// BLPOP would pop on the replica alone).
func (n *Node) disconnectBlocked() {
	for _, c := range append([]*client(nil), n.order...) {
		// A postponed client runs its command from the start once the
		// pause ends, as whatever the node has become by then.
		if c.blocked == nil || c.blocked.postponed || c.closed || n.repl.shutdown != nil && n.repl.shutdown.c == c {
			continue
		}
		n.unblock(c)
		kept := n.repl.waiters[:0]
		for _, w := range n.repl.waiters {
			if w.c != c {
				kept = append(kept, w)
			}
		}
		n.repl.waiters = kept
		c.out.Error("UNBLOCKED force unblock from blocking operation, instance state changed (master -> replica?)")
		c.closeAfter = true
		n.queueOutput(c)
	}
}

// setMaster makes us a replica of hp, keeping our history so that we can
// try a partial resync (replicationCacheMasterUsingMyself).
func (n *Node) setMaster(hp repl.HostPort) {
	n.disconnectBlocked()
	var cached *repl.History
	if n.repl.link != nil {
		n.linkDo(n.repl.link.Stop(n.now))
		cached = n.repl.link.Cached
	}
	if cached == nil {
		h := n.repl.hist
		cached = &h
		n.log('*', "Before turning into a replica, using my own master parameters to synthesize a cached master: I may be able to synchronize with the new master with just a partial transfer.")
	}
	// Our replicas stay attached (replicationSetMaster): the link drops
	// them only if our history changes (a full sync, or +CONTINUE with a
	// new replid). The backlog comes with the first sync, as in Redis.
	n.repl.master, n.repl.masterAddr = hp, hp.String()
	n.cfg.ReplicaOf = &config.HostPort{Host: hp.Host, Port: hp.Port}
	n.repl.mc = nil
	n.repl.link = repl.NewLink(hp, n.linkConfig(), cached)
	n.linkDo(n.repl.link.Start(n.now))
}

func cmdRole(n *Node, c *client, args [][]byte) {
	if n.isReplica() {
		c.out.ArrayLen(5)
		c.out.BulkString("slave")
		c.out.BulkString(n.repl.master.Host)
		c.out.Int(int64(n.repl.master.Port))
		c.out.BulkString(n.repl.link.State.Role())
		c.out.Int(n.repl.link.RoleOffset())
		return
	}
	c.out.ArrayLen(3)
	c.out.BulkString("master")
	c.out.Int(n.repl.hist.Offset)
	var online []*client
	for _, r := range n.repl.replicas {
		if r.replica.State == repl.Online {
			online = append(online, r)
		}
	}
	c.out.ArrayLen(len(online))
	for _, r := range online {
		c.out.ArrayLen(3)
		ip := r.replica.Addr
		if r.replica.AnnouncedIP != "" {
			ip = r.replica.AnnouncedIP
		}
		c.out.BulkString(ip)
		c.out.BulkString(strconv.Itoa(r.replica.ListeningPort))
		c.out.BulkString(strconv.FormatInt(r.replica.AckOffset, 10))
	}
}

func cmdWait(n *Node, c *client, args [][]byte) {
	if n.isReplica() {
		c.out.Error("ERR WAIT cannot be used with replica instances. Please also note that since Redis 4.0 if a replica is configured to be writable (which is not the default) writes to replicas are just local and are not propagated.")
		return
	}
	want, ok1 := parseNonNeg(args[1])
	timeout, ok2 := parseNonNeg(args[2])
	if !ok1 || !ok2 {
		if !ok2 {
			c.out.Error("ERR timeout is negative")
			return
		}
		c.out.Error("ERR value is not an integer or out of range")
		return
	}
	// Like Redis, WAIT waits for this client's own last write (c->woff),
	// not for the master's current offset.
	offset := c.woff
	if acked := n.ackedReplicas(offset); acked >= int(want) || c.multi != nil || n.execDepth > 0 {
		c.out.Int(int64(acked))
		return
	}
	w := &waiter{c: c, offset: offset, want: int(want)}
	if timeout > 0 {
		w.deadline = n.now.Add(time.Duration(timeout) * time.Millisecond)
	}
	n.repl.waiters = append(n.repl.waiters, w)
	c.blocked = &blockState{}
	// Ask replicas to acknowledge now rather than within a second; the
	// GETACK is not the client's write. Not while clients are paused: it
	// would grow the stream, so it waits for the pause to end.
	if n.paused() {
		n.pause.ackPending = true
	} else {
		n.sendGetack()
	}
	c.woff = offset
}

// sendGetack asks every replica for an acknowledgement (sendGetackToReplicas).
func (n *Node) sendGetack() {
	n.feedStream(n.repl.stream.DB, [][]byte{[]byte("REPLCONF"), []byte("GETACK"), []byte("*")})
}

func parseNonNeg(b []byte) (int64, bool) {
	v, err := strconv.ParseInt(string(b), 10, 64)
	return v, err == nil && v >= 0
}

func (n *Node) ackedReplicas(offset int64) int {
	count := 0
	for _, c := range n.repl.replicas {
		if c.replica.State == repl.Online && c.replica.AckOffset >= offset {
			count++
		}
	}
	return count
}

// checkWaiters answers WAIT clients whose replicas acknowledged or whose
// timeout passed.
func (n *Node) checkWaiters() {
	kept := n.repl.waiters[:0]
	for _, w := range n.repl.waiters {
		if w.c.closed {
			continue
		}
		acked := n.ackedReplicas(w.offset)
		if acked >= w.want || !w.deadline.IsZero() && !n.now.Before(w.deadline) {
			w.c.blocked = nil
			w.c.out.Int(int64(acked))
			n.queueOutput(w.c)
			n.processInput(w.c)
			continue
		}
		kept = append(kept, w)
	}
	n.repl.waiters = kept
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

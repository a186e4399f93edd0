package node

import (
	"fmt"
	"strconv"
	"time"

	"github.com/syncscope/syncscope/core/config"
	"github.com/syncscope/syncscope/core/repl"
	"github.com/syncscope/syncscope/core/resp"
)

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
	// A replica streaming gets the bytes now; one waiting for its
	// snapshot, or for the ACK after it, holds its place in the buffer.
	for _, c := range n.repl.replicas {
		if r := c.replica; r.State == repl.Online && !r.StreamOnAck {
			c.out.Raw(p)
			n.queueOutput(c)
		}
	}
	n.checkReplicaBuffers()
}

// sendBuffered sends a replica the stream from its place in the shared
// buffer on: it starts streaming.
func (n *Node) sendBuffered(c *client) {
	for _, p := range n.repl.backlog.From(c.replRef.Next()) {
		c.out.Raw(p)
	}
	n.queueOutput(c)
}

// replicaWritten moves a streaming replica's place in the shared buffer
// past the bytes its connection has written out: all it was given (up to
// End) but what is still queued or in flight.
func (n *Node) replicaWritten(c *client) {
	if c.replRef == nil || c.replica.State != repl.Online || c.replica.StreamOnAck {
		return
	}
	c.replRef.MoveTo(n.repl.backlog.End() + 1 - int64(len(c.out.Buf)+c.unflushed))
}

// releaseReplicaRef lets go of a replica's place in the buffer.
func (n *Node) releaseReplicaRef(c *client) {
	if c.replRef != nil {
		c.replRef.Close()
		c.replRef = nil
	}
}

// checkReplicaBuffers drops replicas over client-output-buffer-limit replica.
func (n *Node) checkReplicaBuffers() {
	lim := n.cfg.ClientOutputBufferLimits[config.ClassReplica]
	if lim.Hard == 0 && lim.Soft == 0 {
		return
	}
	// A hard limit below repl-backlog-size is raised to it: a replica
	// may lag by what the backlog holds (checkClientOutputBufferLimits).
	hard := lim.Hard
	if hard > 0 && hard < n.cfg.ReplBacklogSize {
		hard = n.cfg.ReplBacklogSize
	}
	for _, c := range append([]*client(nil), n.repl.replicas...) {
		// Only the shared buffer counts: the blocks from the replica's
		// place on (getClientOutputBufferMemoryUsage), not the snapshot.
		var used int64
		if c.replRef != nil {
			used = c.replRef.Mem()
		}
		over := hard > 0 && used >= hard
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
	n.releaseReplicaRef(c)
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
			n.log('#', fmt.Sprintf("Replica %s asks for synchronization but with a wrong offset", name))
			return
		}
		ok, logs := n.repl.hist.ContinueFor(name, id, off, n.repl.backlog)
		if ok {
			r.Attached, r.State, r.AckTime = true, repl.Online, n.now
			c.out.Raw(repl.AppendContinue(nil, n.repl.hist.ID, r.CapaPSync2))
			c.replRef = n.repl.backlog.NewReader(off)
			n.sendBuffered(c)
			n.repl.replicas = append(n.repl.replicas, c)
			n.stats.syncPartialOK++
			n.log('*', fmt.Sprintf("Partial resynchronization request from %s accepted. Sending %d bytes of backlog starting from offset %d.", name, n.repl.backlog.End()+1-off, off))
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
		n.repl.hist.Restart(n.newID())
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
				c.replRef = n.repl.backlog.NewReader(o.replRef.Next())
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
	if diskless {
		job.mark = []byte(n.newID().String())
	}
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
		c.replRef = n.repl.backlog.NewReader(n.repl.hist.Offset + 1)
		if !r.PrePSync {
			c.out.Raw(repl.AppendFullResync(nil, n.repl.hist.ID, n.repl.hist.Offset))
		}
		n.queueOutput(c)
	}
}

// sendEOFHeaders starts a diskless transfer: the "$EOF:<mark>" line the
// child writes before the RDB. It goes with the payload, or ahead of it
// when the payload is held back (rdb-key-save-delay): then the replicas
// know it is on its way, and one loading from the socket starts loading.
func (n *Node) sendEOFHeaders(job *snapshotJob) {
	if !job.diskless || job.headerSent {
		return
	}
	job.headerSent = true
	for _, c := range n.repl.replicas {
		if c.replSnapshot == job.id && c.replica.State == repl.WaitBgsaveEnd {
			c.out.Raw([]byte("$EOF:"))
			c.out.Raw(job.mark)
			c.out.Raw([]byte("\r\n"))
			n.queueOutput(c)
		}
	}
}

// streamHeldSnapshot sends replicas the part of a diskless payload held by
// rdb-key-save-delay that Redis's child would have written by now: the
// share of its bytes the time so far covers. So a replica loading from the
// socket is seen loading, and the link is never silent for long.
func (n *Node) streamHeldSnapshot(job *snapshotJob) {
	if !job.diskless || !job.headerSent {
		return
	}
	data := job.held.Data
	upto := len(data)
	if total := job.doneAt.Sub(job.started).Microseconds(); total > 0 {
		upto = int(min(int64(len(data))*n.now.Sub(job.started).Microseconds()/total, int64(len(data))))
	}
	if upto <= job.streamed {
		return
	}
	part := data[job.streamed:upto]
	job.streamed = upto
	for _, c := range n.repl.replicas {
		if c.replSnapshot == job.id && c.replica.State == repl.WaitBgsaveEnd {
			c.out.Raw(part)
			n.queueOutput(c)
		}
	}
}

// replSnapshotDone sends the finished snapshot to the replicas waiting for it.
func (n *Node) replSnapshotDone(job *snapshotJob, ev SnapshotDone) {
	if ev.Err == "" {
		n.sendEOFHeaders(job)
	}
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
			c.out.Raw(ev.Data[job.streamed:])
			c.out.Raw(job.mark)
			r.State, r.StreamOnAck = repl.Online, true
			n.log('*', fmt.Sprintf("Streamed RDB transfer with replica %s succeeded (socket). Waiting for REPLCONF ACK from slave to enable streaming", r.Name()))
		} else {
			c.out.Raw([]byte("$" + strconv.Itoa(len(ev.Data)) + "\r\n"))
			c.out.Raw(ev.Data)
			r.State = repl.Online
			n.sendBuffered(c)
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
		n.sendBuffered(c)
	}
	if lower(args[1]) == "ack" {
		n.updateFailover()
		n.checkWaiters()
		// At once, not at the next cron: PINGs keep moving the offset.
		n.checkShutdownWait()
	}
}

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

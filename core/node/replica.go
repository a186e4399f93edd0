package node

import (
	"fmt"
	"strconv"
	"time"

	"github.com/syncscope/syncscope/core/config"
	"github.com/syncscope/syncscope/core/repl"
	"github.com/syncscope/syncscope/core/resp"
	"github.com/syncscope/syncscope/core/store"
)

// startReplication connects to the configured master at start.
func (n *Node) startReplication() {
	if !n.isReplica() {
		return
	}
	var cached *repl.History
	if h := n.repl.cachedAtStart; h != nil {
		cached = n.cacheMyself(*h)
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
		DisklessLoad:  n.cfg.ReplDisklessLoad,
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
	n.repl.link.SetEmptyDB(n.st.Len() == 0)
	n.linkDo(n.repl.link.Received(n.now, p))
}

func (n *Node) linkClosed(reason string) {
	if n.repl.mc != nil {
		n.repl.mc = nil
	}
	// Sub-replicas keep their links: they will see -NOMASTERLINK on PSYNC.
	n.linkDo(n.repl.link.Closed(n.now, reason))
}

// linkDropped closes the master link from our side (CLIENT KILL TYPE master).
func (n *Node) linkDropped(reason string) {
	if n.repl.linkConn != 0 {
		n.out.Closes = append(n.out.Closes, n.repl.linkConn)
	}
	n.linkClosed("")
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
	if n.repl.applying {
		return // a pause ending inside a command: the loop below goes on
	}
	n.repl.applying = true
	defer func() { n.repl.applying = false }()
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
				if n.pause.typ == pauseAll && n.paused() {
					pos -= used // held with the rest of the stream
					break
				}
				if ack := n.repl.link.Ack(); ack != nil {
					n.out.Writes = append(n.out.Writes, Write{Conn: n.repl.linkConn, Data: ack})
				}
			} else {
				n.call(mc, args)
				if mc.blocked != nil && mc.blocked.postponed {
					// CLIENT PAUSE: the stream stops here, unapplied,
					// until the pause ends (resumePostponed).
					mc.blocked = nil
					pos -= used
					break
				}
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

// cacheMyself is repl.CacheMyself with its log line.
func (n *Node) cacheMyself(h repl.History) *repl.History {
	cached, line := repl.CacheMyself(h)
	n.log(line.Level, line.Text)
	return cached
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
		cached = n.cacheMyself(n.repl.hist)
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

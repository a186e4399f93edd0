package node

import (
	"strconv"
	"time"

	"github.com/syncscope/syncscope/core/command"
	"github.com/syncscope/syncscope/core/store"
)

// block parks c until one of the keys is modified or the timeout passes.
func (n *Node) block(c *client, args [][]byte, b *command.Block) {
	argv := args
	if b.Argv != nil {
		argv = b.Argv
	}
	bs := &blockState{argv: copyArgs(argv), db: c.db}
	bs.orig = bs.argv
	if b.Argv != nil {
		bs.orig = copyArgs(args)
	}
	if b.Timeout > 0 {
		bs.timeout = time.UnixMilli(b.Timeout)
	}
	for _, k := range b.Keys {
		key := string(k)
		bs.keys = append(bs.keys, key)
		ref := store.KeyRef{DB: c.db, Key: key}
		n.blockedBy[ref] = append(n.blockedBy[ref], c)
	}
	c.blocked = bs
}

// unblock removes c from the blocked lists without replying.
func (n *Node) unblock(c *client) {
	if c.blocked == nil {
		return
	}
	for _, k := range c.blocked.keys {
		removeSubscriber(n.blockedBy, store.KeyRef{DB: c.blocked.db, Key: k}, c)
	}
	c.blocked = nil
}

// serveBlocked re-runs the commands of clients blocked on keys that were
// modified, in the order they blocked, as handleClientsBlockedOnKeys does.
func (n *Node) serveBlocked() {
	for len(n.readyKeys) > 0 {
		ref := n.readyKeys[0]
		n.readyKeys = n.readyKeys[1:]
		waiting := append([]*client(nil), n.blockedBy[ref]...)
		for _, c := range waiting {
			if c.blocked == nil || c.closed {
				continue
			}
			bs := c.blocked
			key := []byte(ref.Key)
			db := n.st.DBs[ref.DB]
			// Looked up as Redis does (lookupKeyRead): a key found expired
			// is deleted now, its DEL propagated, and the client stays blocked.
			n.st.Now, n.st.Mode = n.now.UnixMilli(), n.expireMode(nil)
			var v store.Value
			if db.Exists(key) {
				v = db.Peek(key)
			}
			if len(n.st.Expired) > 0 {
				n.drainExpired()
				n.flushPropagation()
			}
			argv, ok := command.ReadyArgs(bs.argv, key, v)
			if !ok {
				continue // not a value it pops: it stays blocked, as in Redis
			}
			n.unblock(c)
			spec := command.Lookup(argv[0])
			savedDB := c.db
			c.db = bs.db
			errs, held := n.stats.errors.Total, n.held
			n.retrying = true
			n.runKeyspace(c, spec, argv)
			n.retrying = false
			// updateStatsOnUnblock: an error counts as a failed call (its
			// call was counted when it blocked), and the command is timed
			// and logged as the client sent it.
			st := n.cmdStat(spec.Name)
			if n.stats.errors.Total > errs {
				st.failed++
			}
			if c.blocked == nil {
				d := bs.dur + n.held - held
				n.timed(st, d)
				n.slowlogPush(c, spec, bs.orig, d)
			} else {
				c.blocked.orig, c.blocked.dur = bs.orig, bs.dur+n.held-held
			}
			n.stats.prevErrs = n.stats.errors.Total
			c.db = savedDB
			n.queueOutput(c)
			n.flushPropagation()
			if c.blocked == nil {
				// Served: whatever was left in its query buffer runs now.
				n.processInput(c)
			}
		}
	}
	n.readyKeys = n.readyKeys[:0]
}

// swapdbReady is what SWAPDB a b does for blocked clients in Redis 7.0
// (scanDatabaseForReadyKeys on both databases): a key a client of either
// database blocks on that exists after the swap becomes ready, and
// serveBlocked tries the clients. Keys are taken in the order of the
// clients' connections (Redis walks a hash table), never in map order, so
// that a run replays exactly.
func (n *Node) swapdbReady(args [][]byte) {
	a, errA := strconv.Atoi(string(args[1]))
	b, errB := strconv.Atoi(string(args[2]))
	if errA != nil || errB != nil || a == b {
		return
	}
	seen := map[store.KeyRef]bool{}
	for _, c := range n.order {
		bs := c.blocked
		if bs == nil || (bs.db != a && bs.db != b) {
			continue
		}
		other := a + b - bs.db // the database that held this one's keys before the swap
		for _, k := range bs.keys {
			ref := store.KeyRef{DB: bs.db, Key: k}
			now := n.st.DBs[bs.db].Peek([]byte(k))
			_, isStream := now.(*store.Stream)
			_, wasStream := n.st.DBs[other].Peek([]byte(k)).(*store.Stream)
			// A stream gone from under a blocked XREADGROUP makes the key
			// ready too (scanDatabaseForDeletedStreams).
			if !seen[ref] && (now != nil || (wasStream && !isStream)) {
				seen[ref] = true
				n.readyKeys = append(n.readyKeys, ref)
			}
		}
	}
}

// blockedStreams are the keys holding a stream that clients of db (every
// database when all) block on: a flush makes them ready so that blocked
// XREADGROUP clients learn the stream is gone (scanDatabaseForDeletedStreams).
// Taken in the clients' order, never in map order.
func (n *Node) blockedStreams(db int, all bool) []store.KeyRef {
	var refs []store.KeyRef
	seen := map[store.KeyRef]bool{}
	for _, c := range n.order {
		bs := c.blocked
		if bs == nil || (!all && bs.db != db) {
			continue
		}
		for _, k := range bs.keys {
			ref := store.KeyRef{DB: bs.db, Key: k}
			if _, ok := n.st.DBs[bs.db].Peek([]byte(k)).(*store.Stream); ok && !seen[ref] {
				seen[ref] = true
				refs = append(refs, ref)
			}
		}
	}
	return refs
}

// unblockByCommand is CLIENT UNBLOCK: c gets its timeout reply (WAIT: the
// replicas acknowledged so far; a blocking pop: a null array), or the
// UNBLOCKED error, and its pipelined commands run once the current command
// is done, as Redis's unblocked_clients queue does.
func (n *Node) unblockByCommand(c *client, asError bool) {
	reply := func() { c.out.NullArray() }
	if c.blocked.keys == nil {
		for i, w := range n.repl.waiters {
			if w.c == c {
				n.repl.waiters = append(n.repl.waiters[:i], n.repl.waiters[i+1:]...)
				acked := n.ackedReplicas(w.offset)
				reply = func() { c.out.Int(int64(acked)) }
				break
			}
		}
	}
	if bs := c.blocked; len(bs.orig) > 0 && !bs.postponed {
		// updateStatsOnUnblock(target, 0, 0, 1): its call was counted when
		// it blocked; it ends failed, timeout or error, and is timed. Redis
		// has freed its arguments by then, so the slow log gets an entry
		// with none (as redis-server 7.0.15 shows).
		spec := command.Lookup(bs.orig[0])
		st := n.cmdStat(spec.Name)
		st.failed++
		n.timed(st, bs.dur)
		n.slowlogPush(c, spec, nil, bs.dur)
	}
	n.unblock(c)
	if asError {
		c.out.Error("UNBLOCKED client unblocked via CLIENT UNBLOCK")
	} else {
		reply()
	}
	n.queueOutput(c)
	n.unblocked = append(n.unblocked, c)
}

// resumeUnblocked runs what clients unblocked by CLIENT UNBLOCK had
// pipelined behind their blocking command.
func (n *Node) resumeUnblocked() {
	for len(n.unblocked) > 0 {
		c := n.unblocked[0]
		n.unblocked = n.unblocked[1:]
		if !c.closed && c.blocked == nil {
			n.processInput(c)
		}
	}
	n.unblocked = nil
}

// expireBlocked answers blocked clients whose timeout passed with a null reply.
func (n *Node) expireBlocked() {
	for _, c := range append([]*client(nil), n.order...) {
		if c.blocked == nil || c.blocked.timeout.IsZero() || n.now.Before(c.blocked.timeout) {
			continue
		}
		n.unblock(c)
		c.out.NullArray()
		n.queueOutput(c)
		n.processInput(c)
	}
}

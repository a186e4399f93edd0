package node

import (
	"strconv"

	"github.com/syncscope/syncscope/core/store"
)

func cmdMulti(n *Node, c *client, args [][]byte) {
	if c.multi != nil {
		c.out.Error("ERR MULTI calls can not be nested")
		return
	}
	c.multi = &multiState{}
	c.out.SimpleString("OK")
}

func cmdDiscard(n *Node, c *client, args [][]byte) {
	if c.multi == nil {
		c.out.Error("ERR DISCARD without MULTI")
		return
	}
	c.multi = nil
	n.unwatchAll(c)
	c.out.SimpleString("OK")
}

// cmdExec runs the queued commands as one unit: their propagation is wrapped
// in MULTI/EXEC, and nothing else runs in between.
func cmdExec(n *Node, c *client, args [][]byte) {
	if c.multi == nil {
		c.out.Error("ERR EXEC without MULTI")
		return
	}
	m := c.multi
	c.multi = nil
	if m.dirty {
		n.unwatchAll(c)
		c.out.Error("EXECABORT Transaction discarded because of previous errors.")
		return
	}
	if c.dirtyCAS || n.watchedKeyExpired(c) {
		n.unwatchAll(c)
		c.out.NullArray()
		return
	}
	n.unwatchAll(c)
	c.out.ArrayLen(len(m.cmds))
	n.execDepth++
	for _, argv := range m.cmds {
		if why := n.aclExecDenial(c, argv); why != "" {
			c.out.Error("NOPERM ACLs rules changed between the moment the transaction was accumulated and the EXEC call. This command is no longer allowed for the following reason: " + why)
			continue
		}
		n.call(c, argv)
	}
	n.execDepth--
}

func cmdWatch(n *Node, c *client, args [][]byte) {
	if c.multi != nil {
		c.out.Error("ERR WATCH inside MULTI is not allowed")
		return
	}
	for _, k := range args[1:] {
		wk := watchKey{db: c.db, key: string(k)}
		already := false
		for _, w := range c.watched {
			if w.db == wk.db && w.key == wk.key {
				already = true
				break
			}
		}
		if already {
			continue
		}
		wk.expired = n.logicallyExpired(c.db, k)
		c.watched = append(c.watched, wk)
		ref := store.KeyRef{DB: c.db, Key: wk.key}
		n.watchedBy[ref] = append(n.watchedBy[ref], c)
	}
	c.out.SimpleString("OK")
}

// logicallyExpired reports whether key exists with a deadline in the past
// (Redis's keyIsExpired: expired, not yet deleted).
func (n *Node) logicallyExpired(db int, key []byte) bool {
	d := n.st.DBs[db]
	if d.Peek(key) == nil {
		return false
	}
	when := d.TTL(key)
	return when >= 0 && n.now.UnixMilli() > when
}

// watchedKeyExpired is Redis 7.0's isWatchedKeyExpired: a watched key that
// was alive at WATCH and has expired since dooms the transaction, even if
// nothing deleted it yet.
func (n *Node) watchedKeyExpired(c *client) bool {
	for _, w := range c.watched {
		if !w.expired && n.logicallyExpired(w.db, []byte(w.key)) {
			return true
		}
	}
	return false
}

func cmdUnwatch(n *Node, c *client, args [][]byte) {
	n.unwatchAll(c)
	c.out.SimpleString("OK")
}

func (n *Node) unwatchAll(c *client) {
	for _, w := range c.watched {
		removeSubscriber(n.watchedBy, store.KeyRef{DB: w.db, Key: w.key}, c)
	}
	c.watched = nil
	c.dirtyCAS = false
}

// keyModified is the store's signalModifiedKey hook: it dooms transactions
// watching the key and marks clients blocked on it as ready to be served.
func (n *Node) keyModified(db int, key []byte) {
	n.noteLocalWrite(db, key)
	if len(n.watchedBy) > 0 {
		for _, c := range n.watchedBy[store.KeyRef{DB: db, Key: string(key)}] {
			if n.expiredWatchDeleted(c, db, key) {
				continue
			}
			c.dirtyCAS = true
		}
	}
	n.keyReady(db, key)
}

// keyReady is signalKeyAsReady: clients blocked on the key are served (or
// told why not) after the command.
func (n *Node) keyReady(db int, key []byte) {
	if len(n.blockedBy) > 0 {
		ref := store.KeyRef{DB: db, Key: string(key)}
		if _, ok := n.blockedBy[ref]; ok {
			n.readyKeys = append(n.readyKeys, ref)
		}
	}
}

// expiredWatchDeleted handles a key c watched while it was already expired:
// its deletion (lazily or actively expiring) is no logical change, so the
// mark is cleared and the transaction is not doomed, as in Redis 7.0.
func (n *Node) expiredWatchDeleted(c *client, db int, key []byte) bool {
	for i := range c.watched {
		w := &c.watched[i]
		if w.db == db && w.key == string(key) && w.expired && n.st.DBs[db].Peek(key) == nil {
			w.expired = false
			return true
		}
	}
	return false
}

// watchTouch is what emptying or swapping databases does to WATCHes:
// transactions to doom and already-expired marks to clear.
type watchTouch struct {
	doom  []*client
	clear []*watchKey
	mark  []*watchKey // a missing key replaced by an expired one: now "expired"
}

func (t watchTouch) apply() {
	for _, c := range t.doom {
		c.dirtyCAS = true
	}
	for _, w := range t.clear {
		w.expired = false
	}
	for _, w := range t.mark {
		w.expired = true
	}
}

// watchersOfEmptied is Redis 7.0's touchAllWatchedKeysInDb for FLUSHDB,
// FLUSHALL and SWAPDB (name and args), decided before they run: a watched
// key dooms its transaction only if it exists in a database being emptied
// or in the one swapped in; an already-expired watched key that just goes
// away only loses its mark.
func (n *Node) watchersOfEmptied(db int, name string, args [][]byte) watchTouch {
	var t watchTouch
	touch := func(emptied, replacedWith int) {
		for ref, clients := range n.watchedBy {
			if ref.DB != emptied {
				continue
			}
			key := []byte(ref.Key)
			inEmptied := n.st.DBs[emptied].Peek(key) != nil
			inReplacement := replacedWith >= 0 && n.st.DBs[replacedWith].Peek(key) != nil
			if !inEmptied && !inReplacement {
				continue
			}
			replacementExpired := inReplacement && n.logicallyExpired(replacedWith, key)
			for _, c := range clients {
				w := c.watchOf(ref)
				switch {
				case w != nil && w.expired && !inReplacement:
					t.clear = append(t.clear, w) // the expired key just goes: no logical change
					continue
				case w != nil && w.expired && replacementExpired:
					continue // expired, and still expired
				case w != nil && !w.expired && !inEmptied && replacementExpired:
					t.mark = append(t.mark, w) // nothing, replaced by a key that looks like nothing
					continue
				}
				t.doom = append(t.doom, c)
			}
		}
	}
	switch name {
	case "flushdb":
		touch(db, -1)
	case "flushall":
		for i := range n.st.DBs {
			touch(i, -1)
		}
	case "swapdb":
		a, errA := strconv.Atoi(string(args[1]))
		b, errB := strconv.Atoi(string(args[2]))
		if errA == nil && errB == nil && a != b && a >= 0 && b >= 0 && a < len(n.st.DBs) && b < len(n.st.DBs) {
			touch(a, b)
			touch(b, a)
		}
	}
	return t
}

// watchOf returns c's entry for ref, or nil.
func (c *client) watchOf(ref store.KeyRef) *watchKey {
	for i := range c.watched {
		if c.watched[i].db == ref.DB && c.watched[i].key == ref.Key {
			return &c.watched[i]
		}
	}
	return nil
}

// touchAllWatched dooms every watching transaction (a full resync's
// dataset swap).
func (n *Node) touchAllWatched() {
	for _, c := range n.order {
		if len(c.watched) > 0 {
			c.dirtyCAS = true
		}
	}
}

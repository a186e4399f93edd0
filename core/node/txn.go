package node

import (
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
	if c.dirtyCAS {
		n.unwatchAll(c)
		c.out.NullArray()
		return
	}
	n.unwatchAll(c)
	c.out.ArrayLen(len(m.cmds))
	n.execDepth++
	for _, argv := range m.cmds {
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
			if w == wk {
				already = true
				break
			}
		}
		if already {
			continue
		}
		c.watched = append(c.watched, wk)
		ref := store.KeyRef{DB: c.db, Key: wk.key}
		n.watchedBy[ref] = append(n.watchedBy[ref], c)
	}
	c.out.SimpleString("OK")
}

func cmdUnwatch(n *Node, c *client, args [][]byte) {
	n.unwatchAll(c)
	c.out.SimpleString("OK")
}

func (n *Node) unwatchAll(c *client) {
	for _, w := range c.watched {
		ref := store.KeyRef{DB: w.db, Key: w.key}
		list := removeClient(n.watchedBy[ref], c)
		if len(list) == 0 {
			delete(n.watchedBy, ref)
		} else {
			n.watchedBy[ref] = list
		}
	}
	c.watched = nil
	c.dirtyCAS = false
}

// keyModified is the store's signalModifiedKey hook: it dooms transactions
// watching the key and marks clients blocked on it as ready to be served.
func (n *Node) keyModified(db int, key []byte) {
	if len(n.watchedBy) > 0 {
		for _, c := range n.watchedBy[store.KeyRef{DB: db, Key: string(key)}] {
			c.dirtyCAS = true
		}
	}
	if len(n.blockedBy) > 0 {
		ref := store.KeyRef{DB: db, Key: string(key)}
		if _, ok := n.blockedBy[ref]; ok {
			n.readyKeys = append(n.readyKeys, ref)
		}
	}
}

// touchAllWatched dooms every watching transaction (FLUSHALL, FLUSHDB,
// SWAPDB, a full resync's dataset swap).
func (n *Node) touchAllWatched() {
	for _, c := range n.order {
		if len(c.watched) > 0 {
			c.dirtyCAS = true
		}
	}
}

package command

import (
	"github.com/syncscope/syncscope/core/store"
)

var xinfoHelp = []string{
	"CONSUMERS <key> <groupname>",
	"    Show consumers of <groupname>.",
	"GROUPS <key>",
	"    Show the stream consumer groups.",
	"STREAM <key> [FULL [COUNT <count>]",
	"    Show information about the stream.",
}

// xinfoOf is an XINFO subcommand (bound one by one in bind.go): f
// replies about key's stream, which must exist.
func xinfoOf(f func(c *Ctx, s *store.Stream)) func(*Ctx) {
	return func(c *Ctx) {
		if s, ok := lookupOrReply[*store.Stream](c, c.Args[2], false, c.replyNoKey); ok {
			f(c, s)
		}
	}
}

// xinfoConsumers is XINFO CONSUMERS key group.
func xinfoConsumers(c *Ctx, s *store.Stream) {
	g := s.Group(c.Args[3])
	if g == nil {
		c.Error(errNoSuchGroup(c.Args[2], c.Args[3]))
		return
	}
	c.W.ArrayLen(len(g.Consumers()))
	for _, cons := range g.Consumers() {
		c.W.MapLen(3)
		strField(c, "name", cons.Name)
		intField(c, "pending", int64(cons.PendingLen()))
		intField(c, "idle", max(c.Now-cons.SeenTime, 0))
	}
}

// xinfoGroups is XINFO GROUPS key.
func xinfoGroups(c *Ctx, s *store.Stream) {
	c.W.ArrayLen(len(s.Groups()))
	for _, g := range s.Groups() {
		c.W.MapLen(6)
		strField(c, "name", g.Name)
		intField(c, "consumers", int64(len(g.Consumers())))
		intField(c, "pending", int64(g.PendingLen()))
		replyGroupPosition(c, s, g)
	}
}

// replyGroupPosition writes the three fields of a group's place in the
// stream that XINFO GROUPS and XINFO STREAM FULL both show:
// last-delivered-id, entries-read and lag.
func replyGroupPosition(c *Ctx, s *store.Stream, g *store.Group) {
	idField(c, "last-delivered-id", g.LastID)
	c.W.BulkString("entries-read")
	if g.EntriesRead == -1 {
		c.W.Null()
	} else {
		c.W.Int(g.EntriesRead)
	}
	c.W.BulkString("lag")
	replyLag(c, s, g)
}

// replyLag is streamReplyWithCGLag: the entries not yet delivered to the
// group, or null when fragmentation hides it.
func replyLag(c *Ctx, s *store.Stream, g *store.Group) {
	switch {
	case s.EntriesAdded == 0:
		c.W.Int(0)
	case g.EntriesRead != -1 && !s.RangeHasTombstones(g.LastID, nil):
		c.W.Int(int64(s.EntriesAdded) - g.EntriesRead)
	default:
		if r := s.EstimateDistance(g.LastID); r != -1 {
			c.W.Int(int64(s.EntriesAdded) - r)
		} else {
			c.W.Null()
		}
	}
}

// xinfoStream is XINFO STREAM key [FULL [COUNT n]] (xinfoReplyWithStreamInfo).
func xinfoStream(c *Ctx, s *store.Stream) {
	opts := c.Args[3:]
	full, count := false, int64(10)
	if len(opts) > 0 {
		if (len(opts) != 1 && len(opts) != 3) || !EqualFold(opts[0], "full") {
			subcommandSyntaxError(c)
			return
		}
		full = true
		if len(opts) == 3 {
			if !EqualFold(opts[1], "count") {
				subcommandSyntaxError(c)
				return
			}
			n, ok := intArg(c, opts[2])
			if !ok {
				return
			}
			if n < 0 {
				n = 10
			}
			count = n
		}
	}
	if full {
		c.W.MapLen(9)
	} else {
		c.W.MapLen(10)
	}
	intField(c, "length", int64(s.Length))
	intField(c, "radix-tree-keys", int64(s.Nodes()))
	intField(c, "radix-tree-nodes", int64(s.RadixTreeNodes()))
	idField(c, "last-generated-id", s.LastID)
	idField(c, "max-deleted-entry-id", s.MaxDeletedID)
	intField(c, "entries-added", int64(s.EntriesAdded))
	idField(c, "recorded-first-entry-id", s.FirstID)
	if !full {
		intField(c, "groups", int64(len(s.Groups())))
		for _, rev := range []bool{false, true} {
			if rev {
				c.W.BulkString("last-entry")
			} else {
				c.W.BulkString("first-entry")
			}
			found := false
			s.Range(store.StreamID{}, store.MaxStreamID, rev, func(e *store.StreamEntry) bool {
				replyEntry(c, e)
				found = true
				return false
			})
			if !found {
				c.W.Null()
			}
		}
		return
	}
	c.W.BulkString("entries")
	streamReplyRange(c, s, store.StreamID{}, store.MaxStreamID, count, false)
	c.W.BulkString("groups")
	c.W.ArrayLen(len(s.Groups()))
	for _, g := range s.Groups() {
		c.W.MapLen(7)
		strField(c, "name", g.Name)
		replyGroupPosition(c, s, g)
		intField(c, "pel-count", int64(g.PendingLen()))
		c.W.BulkString("pending")
		replyPEL(c, g.PendingFrom(store.StreamID{}), count, true)
		c.W.BulkString("consumers")
		c.W.ArrayLen(len(g.Consumers()))
		for _, cons := range g.Consumers() {
			c.W.MapLen(4)
			strField(c, "name", cons.Name)
			intField(c, "seen-time", cons.SeenTime)
			intField(c, "pel-count", int64(cons.PendingLen()))
			c.W.BulkString("pending")
			replyPEL(c, cons.PendingFrom(store.StreamID{}), count, false)
		}
	}
}

// intField, strField and idField write one field of a map reply (XINFO's,
// LCS IDX's): its name and its value.
func intField(c *Ctx, name string, v int64) {
	c.W.BulkString(name)
	c.W.Int(v)
}

func strField(c *Ctx, name, v string) {
	c.W.BulkString(name)
	c.W.BulkString(v)
}

func idField(c *Ctx, name string, id store.StreamID) {
	c.W.BulkString(name)
	replyStreamID(c, id)
}

// replyPEL replies with the first count (0: all) entries of a group's or
// a consumer's pending list as XINFO STREAM FULL shows them: ID, the
// consumer (a group's list only), delivery time and count.
func replyPEL(c *Ctx, pel []*store.NACK, count int64, withConsumer bool) {
	if count > 0 && int64(len(pel)) > count {
		pel = pel[:count]
	}
	c.W.ArrayLen(len(pel))
	for _, nk := range pel {
		if withConsumer {
			c.W.ArrayLen(4)
			replyStreamID(c, nk.ID)
			c.W.BulkString(nk.Consumer.Name)
		} else {
			c.W.ArrayLen(3)
			replyStreamID(c, nk.ID)
		}
		c.W.Int(nk.DeliveryTime)
		c.W.Int(int64(nk.DeliveryCount))
	}
}

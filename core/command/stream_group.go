package command

import (
	"github.com/syncscope/syncscope/core/store"
)

var xgroupHelp = []string{
	"CREATE <key> <groupname> <id|$> [option]",
	"    Create a new consumer group. Options are:",
	"    * MKSTREAM",
	"      Create the empty stream if it does not exist.",
	"    * ENTRIESREAD entries_read",
	"      Set the group's entries_read counter (internal use).",
	"CREATECONSUMER <key> <groupname> <consumer>",
	"    Create a new consumer in the specified group.",
	"DELCONSUMER <key> <groupname> <consumer>",
	"    Remove the specified consumer.",
	"DESTROY <key> <groupname>",
	"    Remove the specified group.",
	"SETID <key> <groupname> <id|$> [ENTRIESREAD entries_read]",
	"    Set the current group ID and entries_read counter.",
}

// The XGROUP subcommands, bound one by one in bind.go. Each checks what
// xgroupCommand does in Redis's order: the options, the key and its type,
// the key's existence, the group's, then the argument count.

// xgroupOptions parses the options of XGROUP CREATE (MKSTREAM,
// ENTRIESREAD) and SETID (ENTRIESREAD) from Args[5:].
func xgroupOptions(c *Ctx, create bool) (mkstream bool, entriesRead int64, ok bool) {
	entriesRead = -1
	for i := 5; i < len(c.Args); {
		switch {
		case create && EqualFold(c.Args[i], "mkstream"):
			mkstream = true
			i++
		case EqualFold(c.Args[i], "entriesread") && i+1 < len(c.Args):
			n, ok := intArg(c, c.Args[i+1])
			if !ok {
				return false, 0, false
			}
			if n < 0 && n != -1 {
				c.Error("ERR value for ENTRIESREAD must be positive or -1")
				return false, 0, false
			}
			entriesRead = n
			i += 2
		default:
			subcommandSyntaxError(c)
			return false, 0, false
		}
	}
	return mkstream, entriesRead, true
}

// xgroupTarget looks up XGROUP's key for a change and its group Args[3]:
// the key must exist unless mkstream, and the group too when needGroup.
func xgroupTarget(c *Ctx, mkstream, needGroup bool) (s *store.Stream, g *store.Group, ok bool) {
	key, name := c.Args[2], c.Args[3]
	if s, ok = lookupAs[*store.Stream](c, key, true); !ok || mkstream {
		return s, nil, ok
	}
	if s == nil {
		c.Error("ERR The XGROUP subcommand requires the key to exist. Note that for CREATE you may want to use the MKSTREAM option to create an empty stream automatically.")
		return nil, nil, false
	}
	if g = s.Group(name); g == nil && needGroup {
		c.Error(errNoSuchGroup(key, name))
		return nil, nil, false
	}
	return s, g, true
}

// xgroupArgs checks what XGROUP CREATE (create) and SETID share, in
// Redis's order: the options, the key and its type, the key's existence
// (unless MKSTREAM) and SETID's group's, the argument count, then the ID,
// where "$" is the stream's last ID (0-0 for a stream MKSTREAM is about to
// make).
func xgroupArgs(c *Ctx, create bool) (s *store.Stream, g *store.Group, id store.StreamID, entriesRead int64, ok bool) {
	mkstream, entriesRead, ok := xgroupOptions(c, create)
	if !ok {
		return nil, nil, id, 0, false
	}
	if s, g, ok = xgroupTarget(c, mkstream, !create); !ok {
		return nil, nil, id, 0, false
	}
	if n := len(c.Args); (create && n > 8) || (!create && n != 5 && n != 7) {
		subcommandSyntaxError(c)
		return nil, nil, id, 0, false
	}
	switch {
	case string(c.Args[4]) != "$":
		id, _, ok = parseStreamID(c, c.Args[4], 0, create, false)
	case s != nil:
		id = s.LastID
	}
	return s, g, id, entriesRead, ok
}

// xgroupCreate is XGROUP CREATE key group id|$ [MKSTREAM] [ENTRIESREAD n].
func xgroupCreate(c *Ctx) {
	s, _, id, entriesRead, ok := xgroupArgs(c, true)
	if !ok {
		return
	}
	key, name := c.Args[2], c.Args[3]
	if s == nil {
		s = store.NewStream()
		c.DB.Set(key, s)
		c.Touch(key)
	}
	if s.CreateGroup(name, id, entriesRead) == nil {
		c.Error("BUSYGROUP Consumer Group name already exists")
		return
	}
	c.W.SimpleString("OK")
	c.Dirty++
	c.Notify(store.NotifyStream, "xgroup-create", key)
}

// xgroupSetID is XGROUP SETID key group id|$ [ENTRIESREAD n].
func xgroupSetID(c *Ctx) {
	_, g, id, entriesRead, ok := xgroupArgs(c, false)
	if !ok {
		return
	}
	g.LastID, g.EntriesRead = id, entriesRead
	c.W.SimpleString("OK")
	c.Dirty++
	c.Notify(store.NotifyStream, "xgroup-setid", c.Args[2])
}

// xgroupDestroy is XGROUP DESTROY key group.
func xgroupDestroy(c *Ctx) {
	s, g, ok := xgroupTarget(c, false, false)
	if !ok {
		return
	}
	if g == nil {
		c.W.Int(0)
		return
	}
	key := c.Args[2]
	s.DestroyGroup(c.Args[3])
	c.W.Int(1)
	c.Dirty++
	c.Notify(store.NotifyStream, "xgroup-destroy", key)
	// Clients blocked in XREADGROUP on this group learn it is gone.
	c.Store.SignalReady(c.DB.ID, key)
}

// xgroupCreateConsumer is XGROUP CREATECONSUMER key group consumer.
func xgroupCreateConsumer(c *Ctx) {
	_, g, ok := xgroupTarget(c, false, true)
	if !ok {
		return
	}
	if g.Consumer(c.Args[4]) != nil {
		c.W.Int(0)
		return
	}
	streamCreateConsumer(c, g, c.Args[2], c.Args[4])
	c.W.Int(1)
}

// xgroupDelConsumer is XGROUP DELCONSUMER key group consumer: the entries
// the consumer had pending.
func xgroupDelConsumer(c *Ctx) {
	_, g, ok := xgroupTarget(c, false, true)
	if !ok {
		return
	}
	pending := 0
	if cons := g.Consumer(c.Args[4]); cons != nil {
		pending = g.DeleteConsumer(cons)
		c.Dirty++
		c.Notify(store.NotifyStream, "xgroup-delconsumer", c.Args[2])
	}
	c.W.Int(int64(pending))
}

// xsetidCmd is XSETID key id [ENTRIESADDED n] [MAXDELETEDID id].
func xsetidCmd(c *Ctx) {
	id, _, ok := parseStreamID(c, c.Args[2], 0, true, false)
	if !ok {
		return
	}
	entriesAdded := int64(-1)
	var maxDel store.StreamID
	for i := 3; i < len(c.Args); i += 2 {
		more := len(c.Args) - 1 - i
		switch {
		case EqualFold(c.Args[i], "entriesadded") && more > 0:
			n, ok := nonNegative(c, c.Args[i+1], ErrNotInt, "ERR entries_added must be positive")
			if !ok {
				return
			}
			entriesAdded = n
		case EqualFold(c.Args[i], "maxdeletedid") && more > 0:
			if maxDel, _, ok = parseStreamID(c, c.Args[i+1], 0, true, false); !ok {
				return
			}
			if id.Compare(maxDel) < 0 {
				c.Error("ERR The ID specified in XSETID is smaller than the provided max_deleted_entry_id")
				return
			}
		default:
			c.Error(ErrSyntax)
			return
		}
	}
	key := c.Args[1]
	s, ok := lookupOrReply[*store.Stream](c, key, true, c.replyNoKey)
	if !ok {
		return
	}
	if s.Length > 0 {
		if id.Compare(s.LastValidID()) < 0 {
			c.Error("ERR The ID specified in XSETID is smaller than the target stream top item")
			return
		}
		if entriesAdded != -1 && s.Length > uint64(entriesAdded) {
			c.Error("ERR The entries_added specified in XSETID is smaller than the target stream length")
			return
		}
	}
	s.LastID = id
	if entriesAdded != -1 {
		s.EntriesAdded = uint64(entriesAdded)
	}
	if maxDel != (store.StreamID{}) {
		s.MaxDeletedID = maxDel
	}
	c.W.SimpleString("OK")
	c.Dirty++
	c.Notify(store.NotifyStream, "xsetid", key)
}

package command

import (
	"strings"

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

// xgroupCmd is XGROUP CREATE|SETID|DESTROY|CREATECONSUMER|DELCONSUMER|HELP.
func xgroupCmd(c *Ctx) {
	// Dispatch has checked the subcommand and its arity.
	sub := strings.ToLower(string(c.Args[1]))
	var s *store.Stream
	var g *store.Group
	var key, name []byte
	mkstream := false
	entriesRead := int64(-1)
	if len(c.Args) >= 4 {
		for i := 5; i < len(c.Args); {
			switch {
			case sub == "create" && EqualFold(c.Args[i], "mkstream"):
				mkstream = true
				i++
			case (sub == "create" || sub == "setid") && EqualFold(c.Args[i], "entriesread") && i+1 < len(c.Args):
				n, ok := intArg(c, c.Args[i+1])
				if !ok {
					return
				}
				if n < 0 && n != -1 {
					c.Error("ERR value for ENTRIESREAD must be positive or -1")
					return
				}
				entriesRead = n
				i += 2
			default:
				subcommandSyntaxError(c)
				return
			}
		}
		key, name = c.Args[2], c.Args[3]
		var ok bool
		if s, ok = streamLookup(c, key, true); !ok {
			return
		}
		if !mkstream {
			if s == nil {
				c.Error("ERR The XGROUP subcommand requires the key to exist. Note that for CREATE you may want to use the MKSTREAM option to create an empty stream automatically.")
				return
			}
			if g = s.Group(name); g == nil && (sub == "setid" || sub == "createconsumer" || sub == "delconsumer") {
				c.Error(errNoSuchGroup(key, name))
				return
			}
		}
	}
	switch {
	case sub == "help" && len(c.Args) == 2:
		replyHelp(c, xgroupHelp)
	case sub == "create" && len(c.Args) <= 8:
		var id store.StreamID
		if string(c.Args[4]) == "$" {
			if s != nil {
				id = s.LastID
			}
		} else {
			var ok bool
			if id, _, ok = parseStreamID(c, c.Args[4], 0, true, false); !ok {
				return
			}
		}
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
	case sub == "setid" && (len(c.Args) == 5 || len(c.Args) == 7):
		var id store.StreamID
		if string(c.Args[4]) == "$" {
			id = s.LastID
		} else {
			var ok bool
			if id, _, ok = parseStreamID(c, c.Args[4], 0, false, false); !ok {
				return
			}
		}
		g.LastID, g.EntriesRead = id, entriesRead
		c.W.SimpleString("OK")
		c.Dirty++
		c.Notify(store.NotifyStream, "xgroup-setid", key)
	case sub == "destroy" && len(c.Args) == 4:
		if g == nil {
			c.W.Int(0)
			return
		}
		s.DestroyGroup(name)
		c.W.Int(1)
		c.Dirty++
		c.Notify(store.NotifyStream, "xgroup-destroy", key)
		// Clients blocked in XREADGROUP on this group learn it is gone.
		c.Store.SignalReady(c.DB.ID, key)
	case sub == "createconsumer" && len(c.Args) == 5:
		if g.Consumer(c.Args[4]) != nil {
			c.W.Int(0)
			return
		}
		streamCreateConsumer(c, g, key, c.Args[4])
		c.W.Int(1)
	case sub == "delconsumer" && len(c.Args) == 5:
		pending := 0
		if cons := g.Consumer(c.Args[4]); cons != nil {
			pending = g.DeleteConsumer(cons)
			c.Dirty++
			c.Notify(store.NotifyStream, "xgroup-delconsumer", key)
		}
		c.W.Int(int64(pending))
	default:
		subcommandSyntaxError(c)
	}
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

package command

import (
	"math"
	"strconv"
	"strings"

	"github.com/syncscope/syncscope/core/cstr"
	"github.com/syncscope/syncscope/core/store"
)

// subcommandSyntaxError is addReplySubcommandSyntaxError.
func subcommandSyntaxError(c *Ctx) {
	arg := string(cstr.UntilNUL(c.Args[1]))
	if len(arg) > 128 {
		arg = arg[:128]
	}
	c.Error("ERR unknown subcommand or wrong number of arguments for '" + arg + "'. Try " + strings.ToUpper(string(cstr.UntilNUL(c.Args[0]))) + " HELP.")
}

// replyHelp is addReplyHelp.
func replyHelp(c *Ctx, lines []string) {
	c.W.ArrayLen(len(lines) + 3)
	c.W.SimpleString(strings.ToUpper(string(c.Args[0])) + " <subcommand> [<arg> [value] [opt] ...]. Subcommands are:")
	for _, l := range lines {
		c.W.SimpleString(l)
	}
	c.W.SimpleString("HELP")
	c.W.SimpleString("    Prints this help.")
}

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
				n, ok := cstr.String2ll(c.Args[i+1])
				if !ok {
					c.Error(ErrNotInt)
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
				c.Error("NOGROUP No such consumer group '" + string(cstr.UntilNUL(name)) + "' for key name '" + string(cstr.UntilNUL(key)) + "'")
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
			n, ok := cstr.String2ll(c.Args[i+1])
			if !ok {
				c.Error(ErrNotInt)
				return
			}
			if n < 0 {
				c.Error("ERR entries_added must be positive")
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
	s, ok := streamLookup(c, key, true)
	if !ok {
		return
	}
	if s == nil {
		c.Error(ErrNoKey)
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

// groupOf looks up key's stream and its group, replying WRONGTYPE for
// another type; s or g is nil when missing.
func groupOf(c *Ctx, key, name []byte) (s *store.Stream, g *store.Group, ok bool) {
	if s, ok = streamLookup(c, key, false); !ok {
		return nil, nil, false
	}
	if s != nil {
		g = s.Group(name)
	}
	return s, g, true
}

func errNoGroup(key, group []byte) string {
	return "NOGROUP No such key '" + string(cstr.UntilNUL(key)) + "' or consumer group '" + string(cstr.UntilNUL(group)) + "'"
}

// xackCmd is XACK key group id...
func xackCmd(c *Ctx) {
	_, g, ok := groupOf(c, c.Args[1], c.Args[2])
	if !ok {
		return
	}
	if g == nil {
		c.W.Int(0)
		return
	}
	ids := make([]store.StreamID, 0, len(c.Args)-3)
	for _, a := range c.Args[3:] {
		id, _, ok := parseStreamID(c, a, 0, true, false)
		if !ok {
			return
		}
		ids = append(ids, id)
	}
	_, g = unshareGroup(c, c.Args[1], c.Args[2])
	n := 0
	for _, id := range ids {
		if g.Ack(id) {
			n++
			c.Dirty++
		}
	}
	c.W.Int(int64(n))
}

// xpendingCmd is XPENDING key group [[IDLE ms] start end count [consumer]].
func xpendingCmd(c *Ctx) {
	argc := len(c.Args)
	if argc != 3 && (argc < 6 || argc > 9) {
		c.Error(ErrSyntax)
		return
	}
	var start, end store.StreamID
	var count, minIdle int64
	var consumer []byte
	if argc >= 6 {
		at := 3
		if EqualFold(c.Args[3], "idle") {
			n, ok := cstr.String2ll(c.Args[4])
			if !ok {
				c.Error(ErrNotInt)
				return
			}
			minIdle = n
			if argc < 8 {
				c.Error(ErrSyntax)
				return
			}
			at += 2
		}
		n, ok := cstr.String2ll(c.Args[at+2])
		if !ok {
			c.Error(ErrNotInt)
			return
		}
		count = max(n, 0)
		var ex bool
		if start, ex, ok = parseRangeID(c, c.Args[at], 0); !ok {
			return
		}
		if ex {
			if start, ok = store.IncrID(start); !ok {
				c.Error("ERR invalid start ID for the interval")
				return
			}
		}
		if end, ex, ok = parseRangeID(c, c.Args[at+1], math.MaxUint64); !ok {
			return
		}
		if ex {
			if end, ok = store.DecrID(end); !ok {
				c.Error("ERR invalid end ID for the interval")
				return
			}
		}
		if at+3 < argc {
			consumer = c.Args[at+3]
		}
	}
	_, g, ok := groupOf(c, c.Args[1], c.Args[2])
	if !ok {
		return
	}
	if g == nil {
		c.Error(errNoGroup(c.Args[1], c.Args[2]))
		return
	}
	if argc == 3 {
		c.W.ArrayLen(4)
		c.W.Int(int64(g.PendingLen()))
		all := g.PendingFrom(store.StreamID{})
		if len(all) == 0 {
			c.W.Null()
			c.W.Null()
			c.W.NullArray()
			return
		}
		replyStreamID(c, all[0].ID)
		replyStreamID(c, all[len(all)-1].ID)
		at, n := c.W.Deferred(), 0
		for _, cons := range g.Consumers() {
			if cons.PendingLen() == 0 {
				continue
			}
			c.W.ArrayLen(2)
			c.W.BulkString(cons.Name)
			c.W.Bulk(strconv.AppendInt(nil, int64(cons.PendingLen()), 10))
			n++
		}
		c.W.InsertArrayLen(at, n)
		return
	}
	var list []*store.NACK
	if consumer != nil {
		cons := g.Consumer(consumer)
		if cons == nil {
			c.W.ArrayLen(0)
			return
		}
		list = cons.PendingFrom(start)
	} else {
		list = g.PendingFrom(start)
	}
	at, n := c.W.Deferred(), 0
	for _, nk := range list {
		if count == 0 || nk.ID.Compare(end) > 0 {
			break
		}
		if minIdle != 0 && c.Now-nk.DeliveryTime < minIdle {
			continue
		}
		n++
		count--
		c.W.ArrayLen(4)
		replyStreamID(c, nk.ID)
		c.W.BulkString(nk.Consumer.Name)
		c.W.Int(max(c.Now-nk.DeliveryTime, 0))
		c.W.Int(int64(nk.DeliveryCount))
	}
	c.W.InsertArrayLen(at, n)
}

// replyEntryOrID replies with the entry id (which exists), or just its ID.
func replyEntryOrID(c *Ctx, s *store.Stream, id store.StreamID, justID bool) {
	if justID {
		replyStreamID(c, id)
		return
	}
	s.Lookup(id, func(e *store.StreamEntry) { replyEntry(c, e) })
}

// claimConsumer returns the consumer called name, looked up (its seen time
// refreshed) or created, once per command.
func claimConsumer(c *Ctx, g *store.Group, key, name []byte, cons **store.Consumer) *store.Consumer {
	if *cons == nil {
		if *cons = g.Consumer(name); *cons != nil {
			(*cons).SeenTime = c.Now
		} else {
			*cons = streamCreateConsumer(c, g, key, name)
		}
	}
	return *cons
}

// xclaimCmd is XCLAIM key group consumer min-idle-time id... [IDLE ms]
// [TIME ms] [RETRYCOUNT n] [FORCE] [JUSTID] [LASTID id].
func xclaimCmd(c *Ctx) {
	key, groupName := c.Args[1], c.Args[2]
	s, g, ok := groupOf(c, key, groupName)
	if !ok {
		return
	}
	if s == nil || g == nil {
		c.Error(errNoGroup(key, groupName))
		return
	}
	minIdle, ok := cstr.String2ll(c.Args[4])
	if !ok {
		c.Error("ERR Invalid min-idle-time argument for XCLAIM")
		return
	}
	minIdle = max(minIdle, 0)
	j := 5
	var ids []store.StreamID
	for ; j < len(c.Args); j++ {
		id, _, ok := parseID(c.Args[j], 0, true, false)
		if !ok {
			break
		}
		ids = append(ids, id)
	}
	lastIDArg := j - 1
	now := c.Now
	retry, delivery := int64(-1), int64(-1)
	force, justID := false, false
	var lastID store.StreamID
	for ; j < len(c.Args); j++ {
		more := len(c.Args) - 1 - j
		opt := c.Args[j]
		switch {
		case EqualFold(opt, "force"):
			force = true
		case EqualFold(opt, "justid"):
			justID = true
		case EqualFold(opt, "idle") && more > 0:
			j++
			n, ok := cstr.String2ll(c.Args[j])
			if !ok {
				c.Error("ERR Invalid IDLE option argument for XCLAIM")
				return
			}
			delivery = now - n
		case EqualFold(opt, "time") && more > 0:
			j++
			n, ok := cstr.String2ll(c.Args[j])
			if !ok {
				c.Error("ERR Invalid TIME option argument for XCLAIM")
				return
			}
			delivery = n
		case EqualFold(opt, "retrycount") && more > 0:
			j++
			n, ok := cstr.String2ll(c.Args[j])
			if !ok {
				c.Error("ERR Invalid RETRYCOUNT option argument for XCLAIM")
				return
			}
			retry = n
		case EqualFold(opt, "lastid") && more > 0:
			j++
			id, _, ok := parseStreamID(c, c.Args[j], 0, true, false)
			if !ok {
				return
			}
			lastID = id
		default:
			c.Error("ERR Unrecognized XCLAIM option '" + string(cstr.UntilNUL(opt)) + "'")
			return
		}
	}
	c.Prop = [][][]byte{}
	s, g = unshareGroup(c, key, groupName)
	propagateLast := false
	if lastID.Compare(g.LastID) > 0 {
		g.LastID = lastID
		propagateLast = true
	}
	if delivery == -1 || delivery < 0 || delivery > now {
		delivery = now
	}
	var cons *store.Consumer
	at, n := c.W.Deferred(), 0
	for i := 5; i <= lastIDArg; i++ {
		id := ids[i-5]
		nk := g.Pending(id)
		if !s.Lookup(id, nil) {
			if nk != nil {
				c.Propagate(xclaimPropagationArg(key, groupName, g, nk, c.Args[i])...)
				propagateLast = false
				c.Dirty++
				g.Ack(id)
			}
			continue
		}
		created := false
		if force && nk == nil {
			nk = &store.NACK{ID: id}
			created = true
		}
		if nk == nil {
			continue
		}
		if !created && minIdle != 0 && now-nk.DeliveryTime < minIdle {
			continue
		}
		owner := claimConsumer(c, g, key, c.Args[3], &cons)
		nk.DeliveryTime = delivery
		if retry >= 0 {
			nk.DeliveryCount = uint64(retry)
		} else if !justID {
			nk.DeliveryCount++
		}
		if created {
			nk.Consumer = owner
			g.InsertPending(nk)
		} else {
			g.Move(nk, owner)
		}
		replyEntryOrID(c, s, id, justID)
		n++
		c.Propagate(xclaimPropagationArg(key, groupName, g, nk, c.Args[i])...)
		propagateLast = false
		c.Dirty++
	}
	if propagateLast {
		c.Propagate(xgroupSetIDPropagation(key, groupName, g)...)
		c.Dirty++
	}
	c.W.InsertArrayLen(at, n)
}

// xclaimPropagationArg is xclaimPropagation with the ID as the client wrote it.
func xclaimPropagationArg(key, groupName []byte, g *store.Group, nk *store.NACK, idArg []byte) [][]byte {
	argv := xclaimPropagation(key, groupName, g, nk)
	argv[5] = cloneBytes(idArg)
	return argv
}

// xautoclaimCmd is XAUTOCLAIM key group consumer min-idle-time start
// [COUNT n] [JUSTID].
func xautoclaimCmd(c *Ctx) {
	key, groupName := c.Args[1], c.Args[2]
	minIdle, ok := cstr.String2ll(c.Args[4])
	if !ok {
		c.Error("ERR Invalid min-idle-time argument for XAUTOCLAIM")
		return
	}
	minIdle = max(minIdle, 0)
	start, ex, ok := parseRangeID(c, c.Args[5], 0)
	if !ok {
		return
	}
	if ex {
		if start, ok = store.IncrID(start); !ok {
			c.Error("ERR invalid start ID for the interval")
			return
		}
	}
	count, justID := int64(100), false
	for j := 6; j < len(c.Args); j++ {
		more := len(c.Args) - 1 - j
		switch {
		case EqualFold(c.Args[j], "count") && more > 0:
			n, ok := cstr.String2ll(c.Args[j+1])
			if !ok || n < 1 || n > math.MaxInt64/16 {
				c.Error("ERR COUNT must be > 0")
				return
			}
			count = n
			j++
		case EqualFold(c.Args[j], "justid"):
			justID = true
		default:
			c.Error(ErrSyntax)
			return
		}
	}
	s, g, ok := groupOf(c, key, groupName)
	if !ok {
		return
	}
	if s == nil || g == nil {
		c.Error(errNoGroup(key, groupName))
		return
	}
	// Redis allocates COUNT IDs up front and refuses what malloc refuses.
	if count > 1<<36 {
		c.Error("ERR Insufficient memory, failed allocating transient memory, COUNT too high.")
		return
	}
	c.Prop = [][][]byte{}
	s, g = unshareGroup(c, key, groupName)
	attempts := count * 10
	var cons *store.Consumer
	var deleted, claimed []store.StreamID
	cursor, eof := start, false
	for attempts > 0 && count > 0 {
		attempts--
		next := g.PendingFrom(cursor)
		if len(next) == 0 {
			eof = true
			break
		}
		nk := next[0]
		id := nk.ID
		var more bool
		if cursor, more = store.IncrID(id); !more {
			eof = true
		}
		if !s.Lookup(id, nil) {
			c.Propagate(xclaimPropagation(key, groupName, g, nk)...)
			c.Dirty++
			g.Ack(id)
			deleted = append(deleted, id)
			count--
			if eof {
				break
			}
			continue
		}
		if minIdle != 0 && c.Now-nk.DeliveryTime < minIdle {
			if eof {
				break
			}
			continue
		}
		owner := claimConsumer(c, g, key, c.Args[3], &cons)
		nk.DeliveryTime = c.Now
		if !justID {
			nk.DeliveryCount++
		}
		g.Move(nk, owner)
		claimed = append(claimed, id)
		count--
		c.Propagate(xclaimPropagation(key, groupName, g, nk)...)
		c.Dirty++
		if eof {
			break
		}
	}
	var endID store.StreamID
	if !eof {
		if rest := g.PendingFrom(cursor); len(rest) > 0 {
			endID = rest[0].ID
		}
	}
	c.W.ArrayLen(3)
	replyStreamID(c, endID)
	c.W.ArrayLen(len(claimed))
	for _, id := range claimed {
		replyEntryOrID(c, s, id, justID)
	}
	c.W.ArrayLen(len(deleted))
	for _, id := range deleted {
		replyStreamID(c, id)
	}
}

var xinfoHelp = []string{
	"CONSUMERS <key> <groupname>",
	"    Show consumers of <groupname>.",
	"GROUPS <key>",
	"    Show the stream consumer groups.",
	"STREAM <key> [FULL [COUNT <count>]",
	"    Show information about the stream.",
}

// xinfoCmd is XINFO STREAM key [FULL [COUNT n]], XINFO GROUPS key, XINFO
// CONSUMERS key group and XINFO HELP.
func xinfoCmd(c *Ctx) {
	sub := strings.ToLower(string(c.Args[1]))
	if sub == "help" {
		replyHelp(c, xinfoHelp)
		return
	}
	key := c.Args[2]
	s, ok := streamLookup(c, key, false)
	if !ok {
		return
	}
	if s == nil {
		c.Error(ErrNoKey)
		return
	}
	switch sub {
	case "consumers":
		g := s.Group(c.Args[3])
		if g == nil {
			c.Error("NOGROUP No such consumer group '" + string(cstr.UntilNUL(c.Args[3])) + "' for key name '" + string(cstr.UntilNUL(key)) + "'")
			return
		}
		c.W.ArrayLen(len(g.Consumers()))
		for _, cons := range g.Consumers() {
			c.W.MapLen(3)
			c.W.BulkString("name")
			c.W.BulkString(cons.Name)
			c.W.BulkString("pending")
			c.W.Int(int64(cons.PendingLen()))
			c.W.BulkString("idle")
			c.W.Int(max(c.Now-cons.SeenTime, 0))
		}
	case "groups":
		c.W.ArrayLen(len(s.Groups()))
		for _, g := range s.Groups() {
			c.W.MapLen(6)
			c.W.BulkString("name")
			c.W.BulkString(g.Name)
			c.W.BulkString("consumers")
			c.W.Int(int64(len(g.Consumers())))
			c.W.BulkString("pending")
			c.W.Int(int64(g.PendingLen()))
			c.W.BulkString("last-delivered-id")
			replyStreamID(c, g.LastID)
			c.W.BulkString("entries-read")
			replyEntriesRead(c, g)
			c.W.BulkString("lag")
			replyLag(c, s, g)
		}
	case "stream":
		xinfoStream(c, s)
	}
}

func replyEntriesRead(c *Ctx, g *store.Group) {
	if g.EntriesRead == -1 {
		c.W.Null()
		return
	}
	c.W.Int(g.EntriesRead)
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

// xinfoStream is xinfoReplyWithStreamInfo.
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
			n, ok := cstr.String2ll(opts[2])
			if !ok {
				c.Error(ErrNotInt)
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
	c.W.BulkString("length")
	c.W.Int(int64(s.Length))
	c.W.BulkString("radix-tree-keys")
	c.W.Int(int64(s.Nodes()))
	c.W.BulkString("radix-tree-nodes")
	c.W.Int(int64(s.RadixTreeNodes()))
	c.W.BulkString("last-generated-id")
	replyStreamID(c, s.LastID)
	c.W.BulkString("max-deleted-entry-id")
	replyStreamID(c, s.MaxDeletedID)
	c.W.BulkString("entries-added")
	c.W.Int(int64(s.EntriesAdded))
	c.W.BulkString("recorded-first-entry-id")
	replyStreamID(c, s.FirstID)
	if !full {
		c.W.BulkString("groups")
		c.W.Int(int64(len(s.Groups())))
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
		c.W.BulkString("name")
		c.W.BulkString(g.Name)
		c.W.BulkString("last-delivered-id")
		replyStreamID(c, g.LastID)
		c.W.BulkString("entries-read")
		replyEntriesRead(c, g)
		c.W.BulkString("lag")
		replyLag(c, s, g)
		c.W.BulkString("pel-count")
		c.W.Int(int64(g.PendingLen()))
		c.W.BulkString("pending")
		pel := g.PendingFrom(store.StreamID{})
		if count > 0 && int64(len(pel)) > count {
			pel = pel[:count]
		}
		c.W.ArrayLen(len(pel))
		for _, nk := range pel {
			c.W.ArrayLen(4)
			replyStreamID(c, nk.ID)
			c.W.BulkString(nk.Consumer.Name)
			c.W.Int(nk.DeliveryTime)
			c.W.Int(int64(nk.DeliveryCount))
		}
		c.W.BulkString("consumers")
		c.W.ArrayLen(len(g.Consumers()))
		for _, cons := range g.Consumers() {
			c.W.MapLen(4)
			c.W.BulkString("name")
			c.W.BulkString(cons.Name)
			c.W.BulkString("seen-time")
			c.W.Int(cons.SeenTime)
			c.W.BulkString("pel-count")
			c.W.Int(int64(cons.PendingLen()))
			c.W.BulkString("pending")
			cpel := cons.PendingFrom(store.StreamID{})
			if count > 0 && int64(len(cpel)) > count {
				cpel = cpel[:count]
			}
			c.W.ArrayLen(len(cpel))
			for _, nk := range cpel {
				c.W.ArrayLen(3)
				replyStreamID(c, nk.ID)
				c.W.Int(nk.DeliveryTime)
				c.W.Int(int64(nk.DeliveryCount))
			}
		}
	}
}

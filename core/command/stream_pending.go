package command

import (
	"math"
	"strconv"
	"strings"

	"github.com/syncscope/syncscope/core/cstr"
	"github.com/syncscope/syncscope/core/store"
)

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
			n, ok := intArg(c, c.Args[4])
			if !ok {
				return
			}
			minIdle = n
			if argc < 8 {
				c.Error(ErrSyntax)
				return
			}
			at += 2
		}
		n, ok := intArg(c, c.Args[at+2])
		if !ok {
			return
		}
		count = max(n, 0)
		if start, ok = parseRangeID(c, c.Args[at], false); !ok {
			return
		}
		if end, ok = parseRangeID(c, c.Args[at+1], true); !ok {
			return
		}
		if at+3 < argc {
			consumer = c.Args[at+3]
		}
	}
	g, ok := existingGroup(c, c.Args[1], c.Args[2])
	if !ok {
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
	if _, ok := existingGroup(c, key, groupName); !ok {
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
		case more > 0 && (EqualFold(opt, "idle") || EqualFold(opt, "time") || EqualFold(opt, "retrycount")):
			// The three integer options: an error names the option.
			j++
			name := strings.ToUpper(string(opt))
			n, ok := cstr.String2ll(c.Args[j])
			if !ok {
				c.Error("ERR Invalid " + name + " option argument for XCLAIM")
				return
			}
			switch name {
			case "IDLE":
				delivery = now - n
			case "TIME":
				delivery = n
			default:
				retry = n
			}
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
	s, g := unshareGroup(c, key, groupName)
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
	start, ok := parseRangeID(c, c.Args[5], false)
	if !ok {
		return
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
	if _, ok := existingGroup(c, key, groupName); !ok {
		return
	}
	// Redis allocates COUNT IDs up front and refuses what malloc refuses.
	if count > 1<<36 {
		c.Error("ERR Insufficient memory, failed allocating transient memory, COUNT too high.")
		return
	}
	c.Prop = [][][]byte{}
	s, g := unshareGroup(c, key, groupName)
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

package command

import (
	"math"
	"strconv"

	"github.com/syncscope/syncscope/core/cstr"
	"github.com/syncscope/syncscope/core/store"
)

// xreadBlockedCount is the COUNT a blocked XREAD without one is served
// with (XREAD_BLOCKED_DEFAULT_COUNT).
const xreadBlockedCount = 1000

// xreadArgs are XREAD's and XREADGROUP's parsed arguments.
type xreadArgs struct {
	group, consumer []byte
	noack           bool
	timeout         int64 // -1: no BLOCK
	count           int64
	keys            [][]byte
	idArgs          [][]byte
}

// xreadCmd is XREAD [COUNT n] [BLOCK ms] STREAMS key... id... and
// XREADGROUP GROUP g consumer [COUNT n] [BLOCK ms] [NOACK] STREAMS key... id...
func xreadCmd(c *Ctx) {
	group := len(c.Args[0]) == 10
	a := xreadArgs{timeout: -1}
	streamsAt := 0
	for i := 1; i < len(c.Args); i++ {
		more := len(c.Args) - i - 1
		o := c.Args[i]
		switch {
		case EqualFold(o, "block") && more > 0:
			if c.Script {
				// Scripts cannot block: Redis refuses the option outright
				// rather than treating it as a timeout.
				c.Error("ERR " + string(c.Args[0]) + " command is not allowed with BLOCK option from scripts")
				return
			}
			i++
			n, ok := cstr.String2ll(c.Args[i])
			if !ok {
				c.Error("ERR timeout is not an integer or out of range")
				return
			}
			if n < 0 {
				c.Error("ERR timeout is negative")
				return
			}
			if n > 0 {
				if n > math.MaxInt64-c.Now {
					n = math.MaxInt64
				} else {
					n += c.Now
				}
			}
			a.timeout = n
		case EqualFold(o, "count") && more > 0:
			i++
			n, ok := intArg(c, c.Args[i])
			if !ok {
				return
			}
			a.count = max(n, 0)
		case EqualFold(o, "streams") && more > 0:
			streamsAt = i + 1
			n := len(c.Args) - streamsAt
			if n%2 != 0 {
				c.Error("ERR Unbalanced XREAD list of streams: for each stream key an ID or '$' must be specified.")
				return
			}
			a.keys, a.idArgs = c.Args[streamsAt:streamsAt+n/2], c.Args[streamsAt+n/2:]
			i = len(c.Args)
		case EqualFold(o, "group") && more >= 2:
			if !group {
				c.Error("ERR The GROUP option is only supported by XREADGROUP. You called XREAD instead.")
				return
			}
			a.group, a.consumer = c.Args[i+1], c.Args[i+2]
			i += 2
		case EqualFold(o, "noack"):
			if !group {
				c.Error("ERR The NOACK option is only supported by XREADGROUP. You called XREAD instead.")
				return
			}
			a.noack = true
		default:
			c.Error(ErrSyntax)
			return
		}
	}
	if streamsAt == 0 {
		c.Error(ErrSyntax)
		return
	}
	if group && a.group == nil {
		c.Error("ERR Missing GROUP option for XREADGROUP")
		return
	}
	if group {
		// Propagated only through the effects it records (XCLAIM, XGROUP).
		c.Prop = [][][]byte{}
	}
	if c.Retry {
		gt, _ := parseIDQuiet(a.idArgs[0])
		xreadServeBlocked(c, &a, gt)
		return
	}
	ids := make([]store.StreamID, len(a.keys))
	groups := make([]*store.Group, len(a.keys))
	for i, key := range a.keys {
		s, ok := lookupAs[*store.Stream](c, key, false)
		if !ok {
			return
		}
		if group {
			var g *store.Group
			if s != nil {
				g = s.Group(a.group)
			}
			if g == nil {
				c.Error("NOGROUP No such key '" + string(cstr.UntilNUL(key)) + "' or consumer group '" + string(cstr.UntilNUL(a.group)) + "' in XREADGROUP with GROUP option")
				return
			}
			groups[i] = g
		}
		arg := a.idArgs[i]
		switch {
		case len(arg) == 1 && arg[0] == '$':
			if group {
				c.Error("ERR The $ ID is meaningless in the context of XREADGROUP: you want to read the history of this consumer by specifying a proper ID, or use the > ID to get new messages. The $ ID would just return an empty result set.")
				return
			}
			if s != nil {
				ids[i] = s.LastID
			}
			continue
		case len(arg) == 1 && arg[0] == '>':
			if !group {
				c.Error("ERR The > ID can be specified only when calling XREADGROUP using the GROUP <group> <consumer> option.")
				return
			}
			ids[i] = store.MaxStreamID
			continue
		}
		id, _, ok := parseStreamID(c, arg, 0, true, false)
		if !ok {
			return
		}
		ids[i] = id
	}
	served, at := 0, 0
	for i, key := range a.keys {
		s, _ := lookupAs[*store.Stream](c, key, false)
		if s == nil {
			continue
		}
		gt := ids[i]
		serve, history := false, false
		if group {
			if gt != store.MaxStreamID {
				serve, history = true, true
			} else if s.Length > 0 && s.LastValidID().Compare(groups[i].LastID) > 0 {
				serve, gt = true, groups[i].LastID
			}
		} else if s.Length > 0 && s.LastValidID().Compare(gt) > 0 {
			serve = true
		}
		if !serve {
			continue
		}
		served++
		if served == 1 {
			at = c.W.Deferred()
		}
		start, _ := store.IncrID(gt)
		if c.W.Proto < 3 {
			c.W.ArrayLen(2)
		}
		c.W.Bulk(key)
		xreadServe(c, &a, s, key, groups[i], start, history)
	}
	if served > 0 {
		if c.W.Proto < 3 {
			c.W.InsertArrayLen(at, served)
		} else {
			c.W.InsertMapLen(at, served)
		}
		return
	}
	if a.timeout != -1 {
		if c.InMulti {
			c.W.NullArray()
			return
		}
		c.Block = &Block{Keys: a.keys, Timeout: a.timeout, Argv: xreadBlockedArgv(&a, ids)}
		return
	}
	c.W.NullArray()
}

// xreadServe replies with one stream's entries from start: for a group,
// delivering them to the consumer (created if needed), or from its history.
func xreadServe(c *Ctx, a *xreadArgs, s *store.Stream, key []byte, g *store.Group, start store.StreamID, history bool) {
	if g == nil {
		streamReplyRange(c, s, start, store.MaxStreamID, a.count, false)
		return
	}
	s, g = unshareGroup(c, key, a.group)
	cons := g.Consumer(a.consumer)
	if cons != nil {
		cons.SeenTime = c.Now
	} else {
		cons = streamCreateConsumer(c, g, key, a.consumer)
		if a.noack {
			c.Propagate([]byte("XGROUP"), []byte("CREATECONSUMER"), key, a.group, a.consumer)
		}
	}
	if history {
		streamReplyHistory(c, s, cons, start, a.count)
	} else {
		streamReplyGroup(c, s, key, a.group, g, cons, start, a.count, a.noack)
	}
	c.Dirty++
}

// unshareGroup returns key's stream, which the command looked up for
// reading, safe to change (a copy when a snapshot shares it), and its group.
func unshareGroup(c *Ctx, key, group []byte) (*store.Stream, *store.Group) {
	s := c.DB.Unshare(key).(*store.Stream)
	return s, s.Group(group)
}

// streamCreateConsumer adds a consumer as streamCreateConsumer does by
// default: notified and counted as a change.
func streamCreateConsumer(c *Ctx, g *store.Group, key, name []byte) *store.Consumer {
	cons := g.CreateConsumer(name, c.Now)
	c.Notify(store.NotifyStream, "xgroup-createconsumer", key)
	c.Dirty++
	return cons
}

// streamReplyGroup is streamReplyWithRange for a group: it delivers the
// entries from start to the consumer, advancing the group's last ID and
// read counter, recording them as pending (unless noack), and propagates
// each delivery as an XCLAIM (or the new last ID as XGROUP SETID).
func streamReplyGroup(c *Ctx, s *store.Stream, key, groupName []byte, g *store.Group, cons *store.Consumer, start store.StreamID, count int64, noack bool) {
	at := c.W.Deferred()
	n := int64(0)
	propagateLast := false
	s.Range(start, store.MaxStreamID, false, func(e *store.StreamEntry) bool {
		if e.ID.Compare(g.LastID) > 0 {
			if g.EntriesRead != -1 && !s.RangeHasTombstones(e.ID, nil) {
				g.EntriesRead++
			} else if s.EntriesAdded > 0 {
				g.EntriesRead = s.EstimateDistance(e.ID)
			}
			g.LastID = e.ID
			if noack {
				propagateLast = true
			}
		}
		replyEntry(c, e)
		if !noack {
			nk := g.AddPending(cons, e.ID, c.Now)
			c.Propagate(xclaimPropagation(key, groupName, g, nk)...)
		}
		n++
		return count <= 0 || n < count
	})
	c.W.InsertArrayLen(at, int(n))
	if propagateLast {
		c.Propagate(xgroupSetIDPropagation(key, groupName, g)...)
	}
}

// xclaimPropagation is streamPropagateXCLAIM's command: an XCLAIM that sets
// the pending entry as it is, whatever the replica has.
func xclaimPropagation(key, groupName []byte, g *store.Group, nk *store.NACK) [][]byte {
	return [][]byte{
		[]byte("XCLAIM"), key, groupName, []byte(nk.Consumer.Name), []byte("0"), streamIDArg(nk.ID),
		[]byte("TIME"), strconv.AppendInt(nil, nk.DeliveryTime, 10),
		[]byte("RETRYCOUNT"), strconv.AppendUint(nil, nk.DeliveryCount, 10),
		[]byte("FORCE"), []byte("JUSTID"), []byte("LASTID"), streamIDArg(g.LastID),
	}
}

// xgroupSetIDPropagation is streamPropagateGroupID's command.
func xgroupSetIDPropagation(key, groupName []byte, g *store.Group) [][]byte {
	return [][]byte{
		[]byte("XGROUP"), []byte("SETID"), key, groupName, streamIDArg(g.LastID),
		[]byte("ENTRIESREAD"), strconv.AppendInt(nil, g.EntriesRead, 10),
	}
}

// streamReplyHistory is streamReplyWithRangeFromConsumerPEL: the entries
// pending for the consumer from start, each delivered once more; an entry
// deleted since is [id, nil].
func streamReplyHistory(c *Ctx, s *store.Stream, cons *store.Consumer, start store.StreamID, count int64) {
	pending := cons.PendingFrom(start)
	if count > 0 && int64(len(pending)) > count {
		pending = pending[:count]
	}
	c.W.ArrayLen(len(pending))
	for _, nk := range pending {
		found := s.Lookup(nk.ID, func(e *store.StreamEntry) { replyEntry(c, e) })
		if !found {
			c.W.ArrayLen(2)
			replyStreamID(c, nk.ID)
			c.W.NullArray()
			continue
		}
		nk.DeliveryTime = c.Now
		nk.DeliveryCount++
	}
}

// xreadBlockedArgv is what a blocked XREAD(GROUP) re-runs with: its options
// in a fixed form and the IDs resolved ("$" as the stream's last ID then).
func xreadBlockedArgv(a *xreadArgs, ids []store.StreamID) [][]byte {
	count := a.count
	if count == 0 {
		count = xreadBlockedCount
	}
	var argv [][]byte
	if a.group != nil {
		argv = [][]byte{[]byte("XREADGROUP"), []byte("GROUP"), cloneBytes(a.group), cloneBytes(a.consumer)}
		if a.noack {
			argv = append(argv, []byte("NOACK"))
		}
	} else {
		argv = [][]byte{[]byte("XREAD")}
	}
	argv = append(argv, []byte("COUNT"), strconv.AppendInt(nil, count, 10), []byte("STREAMS"))
	for _, k := range a.keys {
		argv = append(argv, cloneBytes(k))
	}
	for i, id := range ids {
		if a.group != nil {
			argv = append(argv, cloneBytes(a.idArgs[i]))
		} else {
			argv = append(argv, streamIDArg(id))
		}
	}
	return argv
}

func cloneBytes(b []byte) []byte { return append([]byte(nil), b...) }

// streamReadyArgs is ReadyArgs for a blocked XREAD or XREADGROUP (the form
// xreadBlockedArgv made) when key is ready: the command for key alone, if
// the client is to be served (or, for a group, told why not), as
// serveClientsBlockedOnStreamKey decides.
func streamReadyArgs(argv [][]byte, key []byte, v store.Value) ([][]byte, bool) {
	streamsAt := 0
	for i, a := range argv {
		if EqualFold(a, "streams") {
			streamsAt = i + 1
			break
		}
	}
	if streamsAt == 0 {
		return nil, false
	}
	n := (len(argv) - streamsAt) / 2
	idx := -1
	for i := 0; i < n; i++ {
		if string(argv[streamsAt+i]) == string(key) {
			idx = i
			break
		}
	}
	if idx < 0 {
		return nil, false
	}
	run := append(append([][]byte(nil), argv[:streamsAt]...), key, argv[streamsAt+n+idx])
	s, isStream := v.(*store.Stream)
	if EqualFold(argv[0], "xreadgroup") {
		if !isStream || s == nil {
			return run, true // told the key is gone
		}
		g := s.Group(argv[2])
		if g == nil || s.LastID.Compare(g.LastID) > 0 {
			return run, true
		}
		return nil, false
	}
	if !isStream || s == nil {
		return nil, false
	}
	gt, ok := parseIDQuiet(argv[streamsAt+n+idx])
	if !ok || s.LastID.Compare(gt) <= 0 {
		return nil, false
	}
	return run, true
}

// parseIDQuiet parses a full "<ms>-<seq>" ID without replying.
func parseIDQuiet(b []byte) (store.StreamID, bool) {
	for i, ch := range b {
		if ch == '-' {
			ms, ok1 := string2ull(b[:i])
			seq, ok2 := string2ull(b[i+1:])
			return store.StreamID{Ms: ms, Seq: seq}, ok1 && ok2
		}
	}
	return store.StreamID{}, false
}

// xreadServeBlocked serves a blocked client re-run for one ready key.
func xreadServeBlocked(c *Ctx, a *xreadArgs, gt store.StreamID) {
	key := a.keys[0]
	v := c.DB.Get(key)
	s, _ := v.(*store.Stream)
	var g *store.Group
	if a.group != nil {
		if s == nil {
			c.Error("UNBLOCKED the stream key no longer exists")
			return
		}
		if g = s.Group(a.group); g == nil {
			c.Error("NOGROUP the consumer group this client was blocked on no longer exists")
			return
		}
		gt = g.LastID
	}
	if s == nil {
		c.W.NullArray()
		return
	}
	start, _ := store.IncrID(gt)
	if c.W.Proto < 3 {
		c.W.ArrayLen(1)
		c.W.ArrayLen(2)
	} else {
		c.W.MapLen(1)
	}
	c.W.Bulk(key)
	if g == nil {
		streamReplyRange(c, s, start, store.MaxStreamID, a.count, false)
		return
	}
	xreadServe(c, a, s, key, g, start, false)
}

// groupOf looks up key's stream and its group, replying WRONGTYPE for
// another type; s or g is nil when missing.
func groupOf(c *Ctx, key, name []byte) (s *store.Stream, g *store.Group, ok bool) {
	if s, ok = lookupAs[*store.Stream](c, key, false); !ok {
		return nil, nil, false
	}
	if s != nil {
		g = s.Group(name)
	}
	return s, g, true
}

// existingGroup is groupOf for the commands that need the group
// (XPENDING, XCLAIM, XAUTOCLAIM): a missing key or group is replied to
// with the NOGROUP error, ok false.
func existingGroup(c *Ctx, key, name []byte) (*store.Group, bool) {
	_, g, ok := groupOf(c, key, name)
	if ok && g == nil {
		c.Error(errNoGroup(key, name))
		ok = false
	}
	return g, ok
}

// errNoGroup and errNoSuchGroup are Redis's two NOGROUP errors: the first
// where the key may be missing too, the second where it exists.
func errNoGroup(key, group []byte) string {
	return "NOGROUP No such key '" + string(cstr.UntilNUL(key)) + "' or consumer group '" + string(cstr.UntilNUL(group)) + "'"
}

func errNoSuchGroup(key, group []byte) string {
	return "NOGROUP No such consumer group '" + string(cstr.UntilNUL(group)) + "' for key name '" + string(cstr.UntilNUL(key)) + "'"
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
	ids, ok := parseStreamIDs(c, c.Args[3:])
	if !ok {
		return
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

package command

import (
	"math"
	"strconv"

	"github.com/syncscope/syncscope/core/cstr"
	"github.com/syncscope/syncscope/core/store"
)

// Errors of the stream commands, worded as Redis 7.0 words them.
const (
	errStreamID        = "ERR Invalid stream ID specified as stream command argument"
	errStreamIDZero    = "ERR The ID specified in XADD must be greater than 0-0"
	errStreamIDSmall   = "ERR The ID specified in XADD is equal or smaller than the target stream top item"
	errStreamExhausted = "ERR The stream has exhausted the last possible ID, unable to add more items"
	errStreamTooLarge  = "ERR Elements are too large to be stored"
	errTrimBoth        = "ERR syntax error, MAXLEN and MINID options at the same time are not compatible"
	errTrimLimitNoTrim = "ERR syntax error, LIMIT cannot be used without specifying a trimming strategy"
	errTrimLimitExact  = "ERR syntax error, LIMIT cannot be used without the special ~ option"
	errXtrimNoStrategy = "ERR syntax error, XTRIM must be called with a trimming strategy"
)

// streamNodeLimits are stream-node-max-bytes and -entries.
func streamNodeLimits(c *Ctx) (int, int) {
	return c.Store.Limits.StreamNodeMaxBytes, c.Store.Limits.StreamNodeMaxEntries
}

// strtoull is C's strtoull in base 10 as string2ull falls back on it:
// leading blanks, a sign (a minus negates modulo 2^64), at least one digit
// and nothing after; overflow fails.
func strtoull(s []byte) (uint64, bool) {
	i := 0
	for i < len(s) && (s[i] == ' ' || (s[i] >= '\t' && s[i] <= '\r')) {
		i++
	}
	neg := false
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		neg = s[i] == '-'
		i++
	}
	if i == len(s) {
		return 0, false
	}
	var v uint64
	for ; i < len(s); i++ {
		d := s[i]
		if d < '0' || d > '9' {
			return 0, false
		}
		if v > (math.MaxUint64-uint64(d-'0'))/10 {
			return 0, false
		}
		v = v*10 + uint64(d-'0')
	}
	if neg {
		v = -v
	}
	return v, true
}

// string2ull is Redis's string2ull.
func string2ull(s []byte) (uint64, bool) {
	if v, ok := cstr.String2ll(s); ok {
		return uint64(v), v >= 0
	}
	if len(s) == 0 {
		return 0, false
	}
	return strtoull(s)
}

// parseStreamID is streamGenericParseIDOrReply: "<ms>[-<seq>]" with
// missingSeq for an absent sequence, "-" and "+" unless strict, and
// "<ms>-*" when seqStar (then seqGiven is false). It replies on error.
func parseStreamID(c *Ctx, arg []byte, missingSeq uint64, strict, seqStar bool) (id store.StreamID, seqGiven, ok bool) {
	if id, seqGiven, ok = parseID(arg, missingSeq, strict, seqStar); !ok {
		c.Error(errStreamID)
	}
	return id, seqGiven, ok
}

// parseID is parseStreamID without the reply.
func parseID(arg []byte, missingSeq uint64, strict, seqStar bool) (id store.StreamID, seqGiven, ok bool) {
	if len(arg) > 127 {
		return id, false, false
	}
	// The C code reads a NUL-terminated copy.
	for i, b := range arg {
		if b == 0 {
			arg = arg[:i]
			break
		}
	}
	if len(arg) == 1 && (arg[0] == '-' || arg[0] == '+') {
		if strict {
			return id, false, false
		}
		if arg[0] == '+' {
			return store.MaxStreamID, true, true
		}
		return id, true, true
	}
	ms, seqPart, hasSeq := arg, []byte(nil), false
	for i, b := range arg {
		if b == '-' {
			ms, seqPart, hasSeq = arg[:i], arg[i+1:], true
			break
		}
	}
	var good bool
	if id.Ms, good = string2ull(ms); !good {
		return id, false, false
	}
	seqGiven = true
	switch {
	case !hasSeq:
		id.Seq = missingSeq
	case seqStar && len(seqPart) == 1 && seqPart[0] == '*':
		seqGiven = false
	default:
		if id.Seq, good = string2ull(seqPart); !good {
			return id, false, false
		}
	}
	return id, seqGiven, true
}

// parseStreamIDs parses XDEL's and XACK's IDs, all of them before either
// command changes anything: one bad ID and it has replied, ok false.
func parseStreamIDs(c *Ctx, args [][]byte) ([]store.StreamID, bool) {
	ids := make([]store.StreamID, 0, len(args))
	for _, a := range args {
		id, _, ok := parseStreamID(c, a, 0, true, false)
		if !ok {
			return nil, false
		}
		ids = append(ids, id)
	}
	return ids, true
}

// streamIDArg formats id as a new argument.
func streamIDArg(id store.StreamID) []byte { return store.AppendID(nil, id) }

// replyStreamID replies with id as a bulk string.
func replyStreamID(c *Ctx, id store.StreamID) {
	var buf [44]byte
	c.W.Bulk(store.AppendID(buf[:0], id))
}

// replyEntry replies with one entry: [id, [field, value, ...]].
func replyEntry(c *Ctx, e *store.StreamEntry) {
	c.W.ArrayLen(2)
	replyStreamID(c, e.ID)
	c.W.ArrayLen(len(e.KV))
	for _, b := range e.KV {
		c.W.Bulk(b)
	}
}

// trimArgs are XADD's and XTRIM's options (streamAddTrimArgs).
type trimArgs struct {
	id        store.StreamID
	idGiven   bool
	seqGiven  bool
	noMk      bool
	strategy  int
	argIdx    int // the MAXLEN/MINID value, rewritten when approximate
	approx    bool
	limit     int64
	maxLen    int64
	minID     store.StreamID
	fieldsPos int
}

// parseTrimArgs is streamParseAddOrTrimArgsOrReply; for XADD it returns
// with fieldsPos after the ID.
func parseTrimArgs(c *Ctx, xadd bool) (t trimArgs, ok bool) {
	args := c.Args
	limitGiven := false
	i := 2
	for ; i < len(args); i++ {
		more := len(args) - 1 - i
		opt := args[i]
		switch {
		case xadd && len(opt) == 1 && opt[0] == '*':
			t.fieldsPos = i + 1
		case EqualFold(opt, "maxlen") && more > 0, EqualFold(opt, "minid") && more > 0:
			if t.strategy != store.TrimNone {
				c.Error(errTrimBoth)
				return t, false
			}
			t.approx = false
			next := args[i+1]
			if more >= 2 && len(next) == 1 && next[0] == '~' {
				t.approx = true
				i++
			} else if more >= 2 && len(next) == 1 && next[0] == '=' {
				i++
			}
			if EqualFold(opt, "maxlen") {
				n, good := nonNegative(c, args[i+1], ErrNotInt, "ERR The MAXLEN argument must be >= 0.")
				if !good {
					return t, false
				}
				t.maxLen, t.strategy = n, store.TrimMaxLen
			} else {
				id, _, good := parseStreamID(c, args[i+1], 0, true, false)
				if !good {
					return t, false
				}
				t.minID, t.strategy = id, store.TrimMinID
			}
			i++
			t.argIdx = i
			continue
		case EqualFold(opt, "limit") && more > 0:
			n, good := nonNegative(c, args[i+1], ErrNotInt, "ERR The LIMIT argument must be >= 0.")
			if !good {
				return t, false
			}
			t.limit, limitGiven = n, true
			i++
			continue
		case xadd && EqualFold(opt, "nomkstream"):
			t.noMk = true
			continue
		case xadd:
			id, seqGiven, good := parseStreamID(c, opt, 0, true, true)
			if !good {
				return t, false
			}
			t.id, t.seqGiven, t.idGiven = id, seqGiven, true
			t.fieldsPos = i + 1
		default:
			c.Error(ErrSyntax)
			return t, false
		}
		break
	}
	if xadd && t.fieldsPos == 0 {
		t.fieldsPos = i + 1
	}
	if t.limit != 0 && t.strategy == store.TrimNone {
		c.Error(errTrimLimitNoTrim)
		return t, false
	}
	if !xadd && t.strategy == store.TrimNone {
		c.Error(errXtrimNoStrategy)
		return t, false
	}
	switch {
	case c.Master:
		// The master rewrote approximate trimming as exact.
		t.limit = 0
	case limitGiven:
		if !t.approx {
			c.Error(errTrimLimitExact)
			return t, false
		}
	case t.approx:
		t.limit = 100 * int64(c.Store.Limits.StreamNodeMaxEntries)
		if t.limit <= 0 {
			t.limit = 10000
		}
		t.limit = min(t.limit, 1000000)
	default:
		t.limit = 0
	}
	return t, true
}

// trim applies t to s and, when it was approximate, rewrites the trimming
// argument in prop (a copy of the arguments) as exact
// (streamRewriteTrimArgument).
func (t *trimArgs) trim(s *store.Stream, prop [][]byte) (int64, [][]byte) {
	n := s.Trim(t.strategy, t.maxLen, t.minID, t.approx, t.limit)
	if !t.approx {
		return n, prop
	}
	prop[t.argIdx-1] = []byte("=")
	if t.strategy == store.TrimMaxLen {
		prop[t.argIdx] = strconv.AppendUint(nil, s.Length, 10)
	} else {
		prop[t.argIdx] = streamIDArg(s.EdgeID(true, false))
	}
	return n, prop
}

// xaddCmd is XADD key [NOMKSTREAM] [MAXLEN|MINID [=|~] threshold [LIMIT n]] *|id field value...
func xaddCmd(c *Ctx) {
	t, ok := parseTrimArgs(c, true)
	if !ok {
		return
	}
	if n := len(c.Args) - t.fieldsPos; n < 2 || n%2 == 1 {
		c.Error("ERR wrong number of arguments for 'xadd' command")
		return
	}
	if t.idGiven && t.seqGiven && t.id == (store.StreamID{}) {
		c.Error(errStreamIDZero)
		return
	}
	key := c.Args[1]
	s, ok := lookupAs[*store.Stream](c, key, true)
	if !ok {
		return
	}
	if s == nil {
		if t.noMk {
			c.W.Null()
			return
		}
		s = store.NewStream()
		c.DB.Set(key, s)
	}
	if s.LastID == store.MaxStreamID {
		c.Error(errStreamExhausted)
		return
	}
	var id store.StreamID
	switch {
	case !t.idGiven:
		if ms := uint64(c.Now); ms > s.LastID.Ms {
			id = store.StreamID{Ms: ms}
		} else {
			id, _ = store.IncrID(s.LastID)
		}
	case t.seqGiven:
		id = t.id
	case s.LastID.Ms == t.id.Ms:
		if s.LastID.Seq == math.MaxUint64 {
			c.Error(errStreamIDSmall)
			return
		}
		id = store.StreamID{Ms: t.id.Ms, Seq: s.LastID.Seq + 1}
	default:
		id = store.StreamID{Ms: t.id.Ms}
	}
	if id.Compare(s.LastID) <= 0 {
		c.Error(errStreamIDSmall)
		return
	}
	kv := c.Args[t.fieldsPos:]
	total := 0
	for _, b := range kv {
		total += len(b)
	}
	if total > store.StreamListpackMaxSize {
		c.Error(errStreamTooLarge)
		return
	}
	maxBytes, maxEntries := streamNodeLimits(c)
	s.Append(id, kv, maxBytes, maxEntries)
	replyStreamID(c, id)
	c.Touch(key)
	c.Notify(store.NotifyStream, "xadd", key)
	c.Dirty++
	var prop [][]byte
	if t.strategy != store.TrimNone {
		if t.approx {
			prop = append([][]byte(nil), c.Args...)
		}
		var n int64
		if n, prop = t.trim(s, prop); n > 0 {
			c.Notify(store.NotifyStream, "xtrim", key)
		}
	}
	if !t.idGiven || !t.seqGiven {
		if prop == nil {
			prop = append([][]byte(nil), c.Args...)
		}
		prop[t.fieldsPos-1] = streamIDArg(id)
	}
	if prop != nil {
		c.Propagate(prop...)
	}
}

// parseRangeID is streamParseIntervalIDOrReply followed by what each of its
// callers (XRANGE, XPENDING, XAUTOCLAIM) does next: "(" makes the bound
// exclusive, so a start moves on to the next ID and an end back to the one
// before (an error when there is none). A missing sequence number is 0 in a
// start and the largest in an end.
func parseRangeID(c *Ctx, arg []byte, end bool) (id store.StreamID, ok bool) {
	missingSeq, step, which := uint64(0), store.IncrID, "start"
	if end {
		missingSeq, step, which = math.MaxUint64, store.DecrID, "end"
	}
	exclusive := len(arg) > 1 && arg[0] == '('
	if exclusive {
		arg = arg[1:]
	}
	if id, _, ok = parseStreamID(c, arg, missingSeq, exclusive, false); ok && exclusive {
		if id, ok = step(id); !ok {
			c.Error("ERR invalid " + which + " ID for the interval")
		}
	}
	return id, ok
}

// xrangeCmd is XRANGE key start end [COUNT n] and XREVRANGE key end start [COUNT n].
func xrangeCmd(rev bool) func(*Ctx) {
	return func(c *Ctx) {
		startArg, endArg := c.Args[2], c.Args[3]
		if rev {
			startArg, endArg = endArg, startArg
		}
		start, ok := parseRangeID(c, startArg, false)
		if !ok {
			return
		}
		end, ok := parseRangeID(c, endArg, true)
		if !ok {
			return
		}
		count := int64(-1)
		for j := 4; j < len(c.Args); j++ {
			if EqualFold(c.Args[j], "count") && j+1 < len(c.Args) {
				n, good := intArg(c, c.Args[j+1])
				if !good {
					return
				}
				count = max(n, 0)
				j++
				continue
			}
			c.Error(ErrSyntax)
			return
		}
		s, ok := lookupOrReply[*store.Stream](c, c.Args[1], false, c.replyEmptyArray)
		if !ok {
			return
		}
		if count == 0 {
			c.W.NullArray()
			return
		}
		streamReplyRange(c, s, start, end, count, rev)
	}
}

// streamReplyRange replies with the entries from start to end, at most
// count of them (-1: all).
func streamReplyRange(c *Ctx, s *store.Stream, start, end store.StreamID, count int64, rev bool) {
	at := c.W.Deferred()
	n := int64(0)
	s.Range(start, end, rev, func(e *store.StreamEntry) bool {
		replyEntry(c, e)
		n++
		return count <= 0 || n < count
	})
	c.W.InsertArrayLen(at, int(n))
}

// xlenCmd is XLEN key.
func xlenCmd(c *Ctx) {
	s, ok := lookupOrReply[*store.Stream](c, c.Args[1], false, c.replyZero)
	if !ok {
		return
	}
	c.W.Int(int64(s.Length))
}

// xdelCmd is XDEL key id...
func xdelCmd(c *Ctx) {
	key := c.Args[1]
	s, ok := lookupOrReply[*store.Stream](c, key, true, c.replyZero)
	if !ok {
		return
	}
	ids, ok := parseStreamIDs(c, c.Args[2:])
	if !ok {
		return
	}
	deleted, first := 0, false
	for _, id := range ids {
		if !s.Delete(id) {
			continue
		}
		if id == s.FirstID {
			first = true
		}
		if id.Compare(s.MaxDeletedID) > 0 {
			s.MaxDeletedID = id
		}
		deleted++
	}
	if deleted > 0 {
		if s.Length == 0 {
			s.FirstID = store.StreamID{}
		} else if first {
			s.FirstID = s.EdgeID(true, true)
		}
		c.Touch(key)
		c.Notify(store.NotifyStream, "xdel", key)
		c.Dirty += deleted
	}
	c.W.Int(int64(deleted))
}

// xtrimCmd is XTRIM key MAXLEN|MINID [=|~] threshold [LIMIT n].
func xtrimCmd(c *Ctx) {
	t, ok := parseTrimArgs(c, false)
	if !ok {
		return
	}
	key := c.Args[1]
	s, ok := lookupOrReply[*store.Stream](c, key, true, c.replyZero)
	if !ok {
		return
	}
	var prop [][]byte
	if t.approx {
		prop = append([][]byte(nil), c.Args...)
	}
	n, prop := t.trim(s, prop)
	if n > 0 {
		c.Notify(store.NotifyStream, "xtrim", key)
		if prop != nil {
			c.Propagate(prop...)
		}
		c.Touch(key)
		c.Dirty += int(n)
	}
	c.W.Int(n)
}

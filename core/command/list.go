package command

import (
	"strconv"

	"github.com/syncscope/syncscope/core/cstr"
	"github.com/syncscope/syncscope/core/store"
)

// Errors of the list commands, worded as Redis 7.0 words them.
const (
	errIndexRange     = "ERR index out of range"
	errLposRankZero   = "ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list"
	errLposCountNeg   = "ERR COUNT can't be negative"
	errLposMaxlenNeg  = "ERR MAXLEN can't be negative"
	errListCountRange = "ERR count should be greater than 0"
)

// The words list commands are replicated with.
var (
	wordLPOP      = []byte("LPOP")
	wordRPOP      = []byte("RPOP")
	wordLMOVE     = []byte("LMOVE")
	wordRPOPLPUSH = []byte("RPOPLPUSH")
)

// listPopName is the command a pop from the head (left) or tail is
// replicated as.
func listPopEvent(left bool) string {
	if left {
		return "lpop"
	}
	return "rpop"
}

func listPushEvent(left bool) string {
	if left {
		return "lpush"
	}
	return "rpush"
}

func listPopName(left bool) []byte {
	if left {
		return wordLPOP
	}
	return wordRPOP
}

// listPop removes one element from the head or the tail of a non-empty list.
func listPop(l *store.List, left bool) []byte {
	if left {
		return l.PopFront()
	}
	return l.PopBack()
}

// listRemoved is Redis's listElementsRemoved: n elements left key's list
// by event ("lpop", "ltrim"...), which is deleted once empty.
func listRemoved(c *Ctx, key []byte, l *store.List, n int, event string) {
	c.Notify(store.NotifyList, event, key)
	if l.Len() == 0 {
		c.DB.Delete(key)
		c.Notify(store.NotifyGeneric, "del", key)
	}
	c.Touch(key)
	c.Dirty += n
}

func listPushCmd(left, xx bool) func(*Ctx) {
	return func(c *Ctx) {
		key := c.Args[1]
		l, ok := lookupAs[*store.List](c, key, true)
		if !ok {
			return
		}
		if l == nil {
			if xx {
				c.W.Int(0)
				return
			}
			l = store.NewListFor(c.Store.Limits)
			c.DB.Set(key, l)
		}
		for _, e := range c.Args[2:] {
			if left {
				l.PushFront(e)
			} else {
				l.PushBack(e)
			}
		}
		c.Dirty += len(c.Args) - 2
		c.W.Int(int64(l.Len()))
		c.Touch(key)
		c.Notify(store.NotifyList, listPushEvent(left), key)
	}
}

// listPopCmd is LPOP/RPOP key [count]: a bulk string without count, an
// array with one.
func listPopCmd(name string, left bool) func(*Ctx) {
	return func(c *Ctx) {
		if len(c.Args) > 3 {
			c.Error("ERR wrong number of arguments for '" + name + "' command")
			return
		}
		hasCount := len(c.Args) == 3
		var count int64
		if hasCount {
			var ok bool
			if count, ok = positiveCount(c, c.Args[2]); !ok {
				return
			}
		}
		key := c.Args[1]
		l, ok := lookupAs[*store.List](c, key, true)
		if !ok {
			return
		}
		if l == nil {
			if hasCount {
				c.W.NullArray()
			} else {
				c.W.Null()
			}
			return
		}
		if !hasCount {
			c.W.Bulk(listPop(l, left))
			listRemoved(c, key, l, 1, listPopEvent(left))
			return
		}
		if count == 0 {
			c.W.ArrayLen(0)
			return
		}
		n := int(min(count, int64(l.Len())))
		c.W.ArrayLen(n)
		for range n {
			c.W.Bulk(listPop(l, left))
		}
		listRemoved(c, key, l, n, listPopEvent(left))
	}
}

func lrangeCmd(c *Ctx) {
	start, end, ok := intPair(c, c.Args[2], c.Args[3])
	if !ok {
		return
	}
	l, ok := lookupOrReply[*store.List](c, c.Args[1], false, c.replyEmptyArray)
	if !ok {
		return
	}
	from, to, ok := indexWindow(start, end, l.Len())
	if !ok {
		c.W.ArrayLen(0)
		return
	}
	c.W.ArrayLen(to - from + 1)
	for i := from; i <= to; i++ {
		c.W.Bulk(l.Index(i))
	}
}

func ltrimCmd(c *Ctx) {
	start, end, ok := intPair(c, c.Args[2], c.Args[3])
	if !ok {
		return
	}
	key := c.Args[1]
	l, ok := lookupOrReply[*store.List](c, key, true, func() { c.W.SimpleString("OK") })
	if !ok {
		return
	}
	n := l.Len()
	if from, to, ok := indexWindow(start, end, n); ok {
		l.Trim(from, to+1)
	} else {
		l.Trim(0, 0)
	}
	// Redis counts the trimmed elements as changes: trimming nothing is
	// not propagated.
	listRemoved(c, key, l, n-l.Len(), "ltrim")
	c.W.SimpleString("OK")
}

// listIndex reads a LINDEX/LSET index from arg, negative ones counting
// from the tail; ok is false once it has replied to a non-integer, or
// called outOfRange for an index past either end.
func listIndex(c *Ctx, arg []byte, n int, outOfRange func()) (i int, ok bool) {
	idx, ok := intArg(c, arg)
	if !ok {
		return 0, false
	}
	if idx < 0 {
		idx += int64(n)
	}
	if idx < 0 || idx >= int64(n) {
		outOfRange()
		return 0, false
	}
	return int(idx), true
}

func (c *Ctx) replyIndexRange() { c.Error(errIndexRange) }

func lindexCmd(c *Ctx) {
	l, ok := lookupOrReply[*store.List](c, c.Args[1], false, c.W.Null)
	if !ok {
		return
	}
	i, ok := listIndex(c, c.Args[2], l.Len(), c.W.Null)
	if !ok {
		return
	}
	c.W.Bulk(l.Index(i))
}

func lsetCmd(c *Ctx) {
	key := c.Args[1]
	l, ok := lookupOrReply[*store.List](c, key, true, c.replyNoKey)
	if !ok {
		return
	}
	i, ok := listIndex(c, c.Args[2], l.Len(), c.replyIndexRange)
	if !ok {
		return
	}
	l.SetIndex(i, c.Args[3])
	c.W.SimpleString("OK")
	c.Touch(key)
	c.Dirty++
	c.Notify(store.NotifyList, "lset", key)
}

func lremCmd(c *Ctx) {
	toRemove, ok := intArg(c, c.Args[2])
	if !ok {
		return
	}
	key, elem := c.Args[1], c.Args[3]
	l, ok := lookupOrReply[*store.List](c, key, true, c.replyZero)
	if !ok {
		return
	}
	// As in Redis, -LLONG_MIN stays negative and so never equals the count
	// removed: every match goes.
	fromTail := toRemove < 0
	if fromTail {
		toRemove = -toRemove
	}
	var removed int64
	keep := func(_ int, e []byte) bool {
		if (toRemove != 0 && removed == toRemove) || string(e) != string(elem) {
			return true
		}
		removed++
		return false
	}
	if fromTail {
		l.FilterBack(keep)
	} else {
		l.Filter(keep)
	}
	if removed > 0 {
		c.Touch(key)
		c.Dirty += int(removed)
		c.Notify(store.NotifyList, "lrem", key)
	}
	if l.Len() == 0 {
		c.DB.Delete(key)
		c.Notify(store.NotifyGeneric, "del", key)
	}
	c.W.Int(removed)
}

func linsertCmd(c *Ctx) {
	after, ok := eitherWord(c, c.Args[2], "after", "before")
	if !ok {
		return
	}
	key, pivot := c.Args[1], c.Args[3]
	l, ok := lookupOrReply[*store.List](c, key, true, c.replyZero)
	if !ok {
		return
	}
	at := -1
	for i := range l.Len() {
		if string(l.Index(i)) == string(pivot) {
			at = i
			break
		}
	}
	if at < 0 {
		c.W.Int(-1)
		return
	}
	l.Insert(at, after, c.Args[4])
	c.Touch(key)
	c.Dirty++
	c.Notify(store.NotifyList, "linsert", key)
	c.W.Int(int64(l.Len()))
}

// lposCmd is LPOS key element [RANK rank] [COUNT num-matches] [MAXLEN len].
func lposCmd(c *Ctx) {
	rank, count, maxlen := int64(1), int64(-1), int64(0) // count -1: no COUNT
	ok := true
	for j := 3; j < len(c.Args); j++ {
		opt, more := c.Args[j], j < len(c.Args)-1
		switch {
		case EqualFold(opt, "rank") && more:
			j++
			r, ok := intArg(c, c.Args[j])
			if !ok {
				return
			}
			if r == 0 {
				c.Error(errLposRankZero)
				return
			}
			rank = r
		case EqualFold(opt, "count") && more:
			j++
			if count, ok = nonNegative(c, c.Args[j], errLposCountNeg, errLposCountNeg); !ok {
				return
			}
		case EqualFold(opt, "maxlen") && more:
			j++
			if maxlen, ok = nonNegative(c, c.Args[j], errLposMaxlenNeg, errLposMaxlenNeg); !ok {
				return
			}
		default:
			c.Error(ErrSyntax)
			return
		}
	}
	// As in Redis, a rank of LLONG_MIN stays negative once negated: every
	// match then counts, from the tail.
	fromTail := rank < 0
	if fromTail {
		rank = -rank
	}
	l, ok := lookupAs[*store.List](c, c.Args[1], false)
	if !ok {
		return
	}
	if l == nil {
		if count != -1 {
			c.W.ArrayLen(0)
		} else {
			c.W.Null()
		}
		return
	}
	elem := c.Args[2]
	n := l.Len()
	var found []int64
	var matches int64
	for scanned := 0; scanned < n && (maxlen == 0 || int64(scanned) < maxlen); scanned++ {
		i := scanned
		if fromTail {
			i = n - 1 - scanned
		}
		if string(l.Index(i)) != string(elem) {
			continue
		}
		matches++
		if matches < rank {
			continue
		}
		found = append(found, int64(i))
		if count == -1 || (count != 0 && matches-rank+1 >= count) {
			break
		}
	}
	if count != -1 {
		c.W.ArrayLen(len(found))
		for _, i := range found {
			c.W.Int(i)
		}
		return
	}
	if len(found) == 0 {
		c.W.Null()
		return
	}
	c.W.Int(found[0])
}

// listMove is Redis's lmoveGenericCommand: pop from the source's head
// (fromLeft) or tail, push to the destination's head (toLeft) or tail,
// and reply with the element; moved is false when nothing was moved.
func listMove(c *Ctx, fromLeft, toLeft bool) (moved bool) {
	srcKey, dstKey := c.Args[1], c.Args[2]
	src, ok := lookupAs[*store.List](c, srcKey, true)
	if !ok {
		return false
	}
	if src == nil {
		c.W.Null()
		return false
	}
	dst, ok := lookupAs[*store.List](c, dstKey, true)
	if !ok {
		return false
	}
	e := listPop(src, fromLeft)
	if dst == nil {
		dst = store.NewListFor(c.Store.Limits)
		c.DB.Set(dstKey, dst)
	}
	c.Touch(dstKey)
	if toLeft {
		dst.PushFront(e)
	} else {
		dst.PushBackOwned(e)
	}
	c.Notify(store.NotifyList, listPushEvent(toLeft), dstKey)
	c.W.Bulk(e)
	listRemoved(c, srcKey, src, 1, listPopEvent(fromLeft))
	return true
}

func rpoplpushCmd(c *Ctx) { listMove(c, false, true) }

// listMoveWhere reads LMOVE's and BLMOVE's wherefrom and whereto
// (Args[3], Args[4]): LEFT or RIGHT each.
func listMoveWhere(c *Ctx) (fromLeft, toLeft, ok bool) {
	if fromLeft, ok = eitherWord(c, c.Args[3], "left", "right"); ok {
		toLeft, ok = eitherWord(c, c.Args[4], "left", "right")
	}
	return fromLeft, toLeft, ok
}

func lmoveCmd(c *Ctx) {
	if fromLeft, toLeft, ok := listMoveWhere(c); ok {
		listMove(c, fromLeft, toLeft)
	}
}

// listBlockMove is BLMOVE and BRPOPLPUSH: LMOVE at once when the source has
// elements, replicated as LMOVE (or RPOPLPUSH) with the client's own
// arguments, else block on the source.
func listBlockMove(c *Ctx, fromLeft, toLeft bool, timeout int64, prop [][]byte) {
	src, ok := lookupAs[*store.List](c, c.Args[1], true)
	if !ok {
		return
	}
	if src == nil {
		if c.InMulti {
			c.W.Null()
			return
		}
		zsetBlock(c, c.Args[1:2], timeout)
		return
	}
	if listMove(c, fromLeft, toLeft) {
		c.Propagate(prop...)
	}
}

func blmoveCmd(c *Ctx) {
	fromLeft, toLeft, ok := listMoveWhere(c)
	if !ok {
		return
	}
	timeout, ok := zsetParseTimeout(c, c.Args[5])
	if !ok {
		return
	}
	listBlockMove(c, fromLeft, toLeft, timeout, [][]byte{wordLMOVE, c.Args[1], c.Args[2], c.Args[3], c.Args[4]})
}

func brpoplpushCmd(c *Ctx) {
	timeout, ok := zsetParseTimeout(c, c.Args[3])
	if !ok {
		return
	}
	listBlockMove(c, false, true, timeout, [][]byte{wordRPOPLPUSH, c.Args[1], c.Args[2]})
}

// listPopFirst pops from the first of keys holding a non-empty list, as
// BLPOP/BRPOP (count < 0: one element, reply [key, element]) or LMPOP and
// BLMPOP (reply [key, [elements]]) do, and replicates the pop as
// LPOP/RPOP key [count]. replied is false when every key was missing: the
// caller replies (or blocks); a WRONGTYPE error counts as a reply.
func listPopFirst(c *Ctx, keys [][]byte, left bool, count int64) (replied bool) {
	for _, key := range keys {
		l, ok := lookupAs[*store.List](c, key, true)
		if !ok {
			return true
		}
		if l == nil || l.Len() == 0 {
			continue
		}
		if count < 0 {
			c.W.ArrayLen(2)
			c.W.Bulk(key)
			c.W.Bulk(listPop(l, left))
			listRemoved(c, key, l, 1, listPopEvent(left))
			c.Propagate(listPopName(left), key)
			return true
		}
		n := int(min(count, int64(l.Len())))
		c.W.ArrayLen(2)
		c.W.Bulk(key)
		c.W.ArrayLen(n)
		for range n {
			c.W.Bulk(listPop(l, left))
		}
		listRemoved(c, key, l, n, listPopEvent(left))
		c.Propagate(listPopName(left), key, strconv.AppendInt(nil, int64(n), 10))
		return true
	}
	return false
}

func blpopCmd(left bool) func(*Ctx) {
	return func(c *Ctx) {
		timeout, ok := zsetParseTimeout(c, c.Args[len(c.Args)-1])
		if !ok {
			return
		}
		keys := c.Args[1 : len(c.Args)-1]
		if !listPopFirst(c, keys, left, -1) {
			zsetBlock(c, keys, timeout)
		}
	}
}

// lmpopCmd is LMPOP numkeys key... LEFT|RIGHT [COUNT n] and, blocking,
// BLMPOP, which has the timeout first.
func lmpopCmd(blocking bool) func(*Ctx) {
	return func(c *Ctx) {
		a, ok := parseMPop(c, blocking, "left", "right", errListCountRange)
		if !ok || listPopFirst(c, a.keys, a.isFirst, a.count) {
			return
		}
		if blocking {
			zsetBlock(c, a.keys, a.timeout)
		} else {
			c.W.NullArray()
		}
	}
}

// ReadyArgs is how the node serves a client blocked by argv (a blocking pop)
// now that key, one of the keys it waits on, was modified and holds v (nil
// when missing), as Redis 7.0's handleClientsBlockedOnKeys does. Only a
// value of the type the command pops serves it: a list for BLPOP, BRPOP,
// BLMPOP, BLMOVE and BRPOPLPUSH, a sorted set for BZPOPMIN, BZPOPMAX and
// BZMPOP; otherwise ok is false and the client stays blocked, keeping its
// deadline and its place. When ok, run is the command to run: argv narrowed
// to key, so the client is served from the key that became ready rather
// than from the first of its keys, and for BLMOVE with the directions in
// lower case, the words Redis replicates a served BLMOVE's LMOVE with.
func ReadyArgs(argv [][]byte, key []byte, v store.Value) (run [][]byte, ok bool) {
	if len(argv) < 3 {
		return argv, true
	}
	name := argv[0]
	if EqualFold(name, "xread") || EqualFold(name, "xreadgroup") {
		return streamReadyArgs(argv, key, v)
	}
	want := store.TypeList
	switch {
	case EqualFold(name, "bzpopmin"), EqualFold(name, "bzpopmax"), EqualFold(name, "bzmpop"):
		want = store.TypeZSet
	case EqualFold(name, "blpop"), EqualFold(name, "brpop"), EqualFold(name, "blmpop"),
		EqualFold(name, "blmove"), EqualFold(name, "brpoplpush"):
	default:
		return argv, true
	}
	if v == nil || v.Type() != want {
		return nil, false
	}
	switch {
	case EqualFold(name, "blmpop"), EqualFold(name, "bzmpop"):
		nk, ok := cstr.String2ll(argv[2])
		if !ok || nk < 1 || nk > int64(len(argv)-3) {
			return argv, true
		}
		run = [][]byte{name, argv[1], []byte("1"), key}
		return append(run, argv[3+nk:]...), true
	case EqualFold(name, "blmove"):
		if len(argv) != 6 {
			return argv, true
		}
		return [][]byte{name, argv[1], argv[2], listLower(argv[3]), listLower(argv[4]), argv[5]}, true
	case EqualFold(name, "brpoplpush"):
		return argv, true
	}
	return [][]byte{name, key, argv[len(argv)-1]}, true
}

func listLower(b []byte) []byte {
	out := make([]byte, len(b))
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		out[i] = c
	}
	return out
}

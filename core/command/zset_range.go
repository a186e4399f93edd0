package command

import (
	"github.com/syncscope/syncscope/core/cstr"
	"github.com/syncscope/syncscope/core/resp"
	"github.com/syncscope/syncscope/core/store"
)

// zsetParseScoreRange parses a min/max pair such as "(1.5" "+inf".
func zsetParseScoreRange(min, max []byte) (r store.ScoreRange, ok bool) {
	if r.Min, r.MinEx, ok = zsetParseScoreItem(min); !ok {
		return r, false
	}
	r.Max, r.MaxEx, ok = zsetParseScoreItem(max)
	return r, ok
}

func zsetParseScoreItem(b []byte) (float64, bool, bool) {
	if len(b) > 0 && b[0] == '(' {
		f, ok := zsetStrtod(b[1:])
		return f, true, ok
	}
	f, ok := zsetStrtod(b)
	return f, false, ok
}

// zsetParseLexRange parses a min/max pair such as "[a" "(b", "-" "+".
func zsetParseLexRange(min, max []byte) (r store.LexRange, ok bool) {
	switch {
	case len(min) == 1 && min[0] == '-':
		r.NegInf = true
	case len(min) == 1 && min[0] == '+':
		r.MinPos = true
	case len(min) > 0 && (min[0] == '(' || min[0] == '['):
		r.Min, r.MinEx = min[1:], min[0] == '('
	default:
		return r, false
	}
	switch {
	case len(max) == 1 && max[0] == '+':
		r.PosInf = true
	case len(max) == 1 && max[0] == '-':
		r.MaxNeg = true
	case len(max) > 0 && (max[0] == '(' || max[0] == '['):
		r.Max, r.MaxEx = max[1:], max[0] == '('
	default:
		return r, false
	}
	return r, true
}

func zcountCmd(c *Ctx) {
	r, ok := zsetParseScoreRange(c.Args[2], c.Args[3])
	if !ok {
		c.Error(errZMinMaxFloat)
		return
	}
	zcountRanks(c, func(z *store.ZSet) (int, int, bool) { return z.ScoreRanks(r) })
}

func zlexcountCmd(c *Ctx) {
	r, ok := zsetParseLexRange(c.Args[2], c.Args[3])
	if !ok {
		c.Error(errZMinMaxLex)
		return
	}
	zcountRanks(c, func(z *store.ZSet) (int, int, bool) { return z.LexRanks(r) })
}

// zcountRanks replies with how many members of the key's sorted set lie
// between the first and last ranks ranks finds.
func zcountRanks(c *Ctx, ranks func(*store.ZSet) (int, int, bool)) {
	z, ok := zsetLookup(c, c.Args[1], false)
	if !ok {
		return
	}
	n := 0
	if z != nil {
		if first, last, ok := ranks(z); ok {
			n = last - first + 1
		}
	}
	c.W.Int(int64(n))
}

// zrangeKind and zrangeDir mirror Redis's zrange_type and zrange_direction;
// zrAuto lets ZRANGE's own options decide.
type zrangeKind uint8

const (
	zrAuto zrangeKind = iota
	zrRank
	zrScore
	zrLex
)

type zrangeDir uint8

const (
	zrDirAuto zrangeDir = iota
	zrForward
	zrReverse
)

// zrangeCmd builds the handler of ZRANGE, ZRANGESTORE and the older
// Z[REV]RANGE[BYSCORE|BYLEX] commands, as Redis's zrangeGenericCommand.
func zrangeCmd(argStart int, store bool, kind zrangeKind, dir zrangeDir) func(*Ctx) {
	return func(c *Ctx) { zrangeGeneric(c, argStart, store, kind, dir) }
}

func zrangeGeneric(c *Ctx, argStart int, toStore bool, kind zrangeKind, dir zrangeDir) {
	key := c.Args[argStart]
	minIdx, maxIdx := argStart+1, argStart+2
	withScores := false
	offset, limit := int64(0), int64(-1)
	for j := argStart + 3; j < len(c.Args); j++ {
		left := len(c.Args) - j - 1
		a := c.Args[j]
		switch {
		case !toStore && EqualFold(a, "withscores"):
			withScores = true
		case EqualFold(a, "limit") && left >= 2:
			var ok bool
			if offset, limit, ok = limitArgs(c, j); !ok {
				return
			}
			j += 2
		case dir == zrDirAuto && EqualFold(a, "rev"):
			dir = zrReverse
		case kind == zrAuto && EqualFold(a, "bylex"):
			kind = zrLex
		case kind == zrAuto && EqualFold(a, "byscore"):
			kind = zrScore
		default:
			c.Error(ErrSyntax)
			return
		}
	}
	if dir == zrDirAuto {
		dir = zrForward
	}
	if kind == zrAuto {
		kind = zrRank
	}
	if limit != -1 && kind == zrRank {
		c.Error(errZLimitRank)
		return
	}
	if withScores && kind == zrLex {
		c.Error(errZScoresLex)
		return
	}
	rev := dir == zrReverse
	if rev && kind != zrRank {
		minIdx, maxIdx = maxIdx, minIdx
	}
	var start, end int64
	var sr store.ScoreRange
	var lr store.LexRange
	switch kind {
	case zrRank:
		var ok bool
		if start, ok = cstr.String2ll(c.Args[minIdx]); ok {
			end, ok = cstr.String2ll(c.Args[maxIdx])
		}
		if !ok {
			c.Error(ErrNotInt)
			return
		}
	case zrScore:
		var ok bool
		if sr, ok = zsetParseScoreRange(c.Args[minIdx], c.Args[maxIdx]); !ok {
			c.Error(errZMinMaxFloat)
			return
		}
	case zrLex:
		var ok bool
		if lr, ok = zsetParseLexRange(c.Args[minIdx], c.Args[maxIdx]); !ok {
			c.Error(errZMinMaxLex)
			return
		}
	}
	z, ok := zsetLookup(c, key, false)
	if !ok {
		return
	}
	if z == nil {
		if toStore {
			storeResult(c, c.Args[1], store.NewZSet(), store.NotifyZSet, "zrangestore")
		} else {
			c.W.ArrayLen(0)
		}
		return
	}
	// Work out the window as 0-based ranks in the requested direction.
	var from, to int
	var has bool
	switch kind {
	case zrRank:
		from, to, has = zsetRankWindow(start, end, z.Len())
	case zrScore:
		first, last, in := z.ScoreRanks(sr)
		from, to, has = zsetLimitWindow(first, last, in, rev, offset, limit, z.Len())
	case zrLex:
		first, last, in := z.LexRanks(lr)
		from, to, has = zsetLimitWindow(first, last, in, rev, offset, limit, z.Len())
	}
	if toStore {
		dst := store.NewZSet()
		if has {
			z.Range(from, to, rev, func(m string, s float64) bool {
				dst.Add([]byte(m), s, c.Store.Limits)
				return true
			})
		}
		storeResult(c, c.Args[1], dst, store.NotifyZSet, "zrangestore")
		return
	}
	if !has {
		c.W.ArrayLen(0)
		return
	}
	zsetReplyRange(c, z, from, to, rev, withScores)
}

// zsetRankWindow clamps ZRANGE's start and end (negative counting from the
// end) to 0..n-1.
func zsetRankWindow(start, end int64, n int) (int, int, bool) {
	l := int64(n)
	if start < 0 {
		start += l
	}
	if end < 0 {
		end += l
	}
	start = max(start, 0)
	if start > end || start >= l {
		return 0, 0, false
	}
	end = min(end, l-1)
	return int(start), int(end), true
}

// zsetLimitWindow turns the ascending ranks first..last of a score or lex
// range and a LIMIT into ranks in the requested direction. A negative
// offset selects nothing and a negative count everything, as in Redis.
func zsetLimitWindow(first, last int, in, rev bool, offset, limit int64, n int) (int, int, bool) {
	if !in || offset < 0 || limit == 0 || offset > int64(last-first) {
		return 0, 0, false
	}
	count := int64(last-first+1) - offset
	if limit > 0 && limit < count {
		count = limit
	}
	if rev {
		top := last - int(offset)
		return n - 1 - top, n - 1 - top + int(count) - 1, true
	}
	return first + int(offset), first + int(offset) + int(count) - 1, true
}

// zsetReplyRange writes members with ranks from..to in the given direction,
// with their scores as flat pairs in RESP2 and nested pairs in RESP3.
func zsetReplyRange(c *Ctx, z *store.ZSet, from, to int, rev, withScores bool) {
	resp3 := c.W.Proto == 3
	pairsLen(c.W, to-from+1, withScores)
	z.Range(from, to, rev, func(m string, s float64) bool {
		zsetReplyPair(c.W, m, s, withScores, resp3)
		return true
	})
}

// pairsLen writes the length of a reply of n elements, pairs (a member
// and its score, a field and its value) when with: flat in RESP2, nested
// in RESP3.
func pairsLen(w *resp.Writer, n int, with bool) {
	if with && w.Proto != 3 {
		n *= 2
	}
	w.ArrayLen(n)
}

func zsetReplyPair(w *resp.Writer, m string, s float64, withScores, resp3 bool) {
	if withScores && resp3 {
		w.ArrayLen(2)
	}
	w.BulkString(m)
	if withScores {
		w.Double(s)
	}
}

func zrankCmd(rev bool) func(*Ctx) {
	return func(c *Ctx) {
		z, ok := lookupOrReply[*store.ZSet](c, c.Args[1], false, c.W.Null)
		if !ok {
			return
		}
		r, ok := z.Rank(c.Args[2])
		if !ok {
			c.W.Null()
			return
		}
		if rev {
			r = z.Len() - 1 - r
		}
		c.W.Int(int64(r))
	}
}

func zremrangeCmd(kind zrangeKind) func(*Ctx) {
	return func(c *Ctx) { zremrangeGeneric(c, kind) }
}

func zremrangeGeneric(c *Ctx, kind zrangeKind) {
	key := c.Args[1]
	var start, end int64
	var sr store.ScoreRange
	var lr store.LexRange
	ok := true
	switch kind {
	case zrRank:
		if start, ok = cstr.String2ll(c.Args[2]); ok {
			end, ok = cstr.String2ll(c.Args[3])
		}
		if !ok {
			c.Error(ErrNotInt)
			return
		}
	case zrScore:
		if sr, ok = zsetParseScoreRange(c.Args[2], c.Args[3]); !ok {
			c.Error(errZMinMaxFloat)
			return
		}
	case zrLex:
		if lr, ok = zsetParseLexRange(c.Args[2], c.Args[3]); !ok {
			c.Error(errZMinMaxLex)
			return
		}
	}
	z, ok := lookupOrReply[*store.ZSet](c, key, true, c.replyZero)
	if !ok {
		return
	}
	var first, last int
	var in bool
	switch kind {
	case zrRank:
		first, last, in = zsetRankWindow(start, end, z.Len())
	case zrScore:
		first, last, in = z.ScoreRanks(sr)
	case zrLex:
		first, last, in = z.LexRanks(lr)
	}
	deleted := 0
	if in {
		deleted = z.RemoveRange(first, last, nil)
	}
	if deleted > 0 {
		c.Touch(key)
		c.Notify(store.NotifyZSet, [...]string{zrRank: "zremrangebyrank", zrScore: "zremrangebyscore", zrLex: "zremrangebylex"}[kind], key)
		zsetDelIfEmpty(c, key, z)
	}
	c.Dirty += deleted
	c.W.Int(int64(deleted))
}

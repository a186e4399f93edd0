package command

import (
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
	var minInf, maxInf int
	var minOK, maxOK bool
	r.Min, r.MinEx, minInf, minOK = zsetParseLexItem(min)
	r.Max, r.MaxEx, maxInf, maxOK = zsetParseLexItem(max)
	r.NegInf, r.MinPos = minInf < 0, minInf > 0
	r.MaxNeg, r.PosInf = maxInf < 0, maxInf > 0
	return r, minOK && maxOK
}

// zsetParseLexItem parses one end of a lex range (zslParseLexRangeItem):
// "-" or "+" (inf -1 or 1), or "(" (exclusive) or "[" and a string.
func zsetParseLexItem(b []byte) (s []byte, ex bool, inf int, ok bool) {
	switch {
	case len(b) == 1 && b[0] == '-':
		return nil, false, -1, true
	case len(b) == 1 && b[0] == '+':
		return nil, false, 1, true
	case len(b) > 0 && (b[0] == '(' || b[0] == '['):
		return b[1:], b[0] == '(', 0, true
	}
	return nil, false, 0, false
}

// zcountCmd is ZCOUNT (kind zrScore) and ZLEXCOUNT (zrLex): how many
// members the range holds.
func zcountCmd(kind zrangeKind) func(*Ctx) {
	return func(c *Ctx) {
		bounds, ok := zsetParseBounds(c, kind, c.Args[2], c.Args[3])
		if !ok {
			return
		}
		z, ok := lookupOrReply[*store.ZSet](c, c.Args[1], false, c.replyZero)
		if !ok {
			return
		}
		n := 0
		if first, last, in := bounds.ranks(z); in {
			n = last - first + 1
		}
		c.W.Int(int64(n))
	}
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

// zsetBounds is the min and max of ZRANGE, ZRANGESTORE or ZREMRANGEBY*
// as their kind reads them: ranks, a score range or a lex range.
type zsetBounds struct {
	kind       zrangeKind
	start, end int64
	score      store.ScoreRange
	lex        store.LexRange
}

// zsetParseBounds parses min and max as kind says, replying with the
// kind's error to what does not parse.
func zsetParseBounds(c *Ctx, kind zrangeKind, min, max []byte) (b zsetBounds, ok bool) {
	b.kind = kind
	switch kind {
	case zrRank:
		b.start, b.end, ok = intPair(c, min, max)
	case zrScore:
		if b.score, ok = zsetParseScoreRange(min, max); !ok {
			c.Error(errZMinMaxFloat)
		}
	case zrLex:
		if b.lex, ok = zsetParseLexRange(min, max); !ok {
			c.Error(errZMinMaxLex)
		}
	}
	return b, ok
}

// ranks is the window of z's ascending ranks (first to last, in false for
// none) that the bounds select; a rank range also counts from the end.
func (b *zsetBounds) ranks(z *store.ZSet) (first, last int, in bool) {
	switch b.kind {
	case zrScore:
		return z.ScoreRanks(b.score)
	case zrLex:
		return z.LexRanks(b.lex)
	}
	return indexWindow(b.start, b.end, z.Len())
}

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
			if offset, limit, ok = intPair(c, c.Args[j+1], c.Args[j+2]); !ok {
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
	bounds, ok := zsetParseBounds(c, kind, c.Args[minIdx], c.Args[maxIdx])
	if !ok {
		return
	}
	z, ok := lookupAs[*store.ZSet](c, key, false)
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
	from, to, has := bounds.ranks(z)
	if kind != zrRank {
		from, to, has = zsetLimitWindow(from, to, has, rev, offset, limit, z.Len())
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
	bounds, ok := zsetParseBounds(c, kind, c.Args[2], c.Args[3])
	if !ok {
		return
	}
	z, ok := lookupOrReply[*store.ZSet](c, key, true, c.replyZero)
	if !ok {
		return
	}
	first, last, in := bounds.ranks(z)
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

package command

import (
	"bytes"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/syncscope/syncscope/core/cstr"
	"github.com/syncscope/syncscope/core/resp"
	"github.com/syncscope/syncscope/core/store"
)

var zsetCommands = []Spec{
	{Name: "zadd", Arity: -4, Flags: Write | DenyOOM | Fast, FirstKey: 1, LastKey: 1, Step: 1, Run: zaddCmd},
	{Name: "zincrby", Arity: 4, Flags: Write | DenyOOM | Fast, FirstKey: 1, LastKey: 1, Step: 1, Run: zincrbyCmd},
	{Name: "zrem", Arity: -3, Flags: Write | Fast, FirstKey: 1, LastKey: 1, Step: 1, Run: zremCmd},
	{Name: "zscore", Arity: 3, Flags: ReadOnly | Fast, FirstKey: 1, LastKey: 1, Step: 1, Run: zscoreCmd},
	{Name: "zmscore", Arity: -3, Flags: ReadOnly | Fast, FirstKey: 1, LastKey: 1, Step: 1, Run: zmscoreCmd},
	{Name: "zcard", Arity: 2, Flags: ReadOnly | Fast, FirstKey: 1, LastKey: 1, Step: 1, Run: zcardCmd},
	{Name: "zcount", Arity: 4, Flags: ReadOnly | Fast, FirstKey: 1, LastKey: 1, Step: 1, Run: zcountCmd},
	{Name: "zlexcount", Arity: 4, Flags: ReadOnly | Fast, FirstKey: 1, LastKey: 1, Step: 1, Run: zlexcountCmd},
	{Name: "zrange", Arity: -4, Flags: ReadOnly, FirstKey: 1, LastKey: 1, Step: 1, Run: zrangeCmd(1, false, zrAuto, zrDirAuto)},
	{Name: "zrangestore", Arity: -5, Flags: Write | DenyOOM, FirstKey: 1, LastKey: 2, Step: 1, Run: zrangeCmd(2, true, zrAuto, zrDirAuto)},
	{Name: "zrevrange", Arity: -4, Flags: ReadOnly, FirstKey: 1, LastKey: 1, Step: 1, Run: zrangeCmd(1, false, zrRank, zrReverse)},
	{Name: "zrangebyscore", Arity: -4, Flags: ReadOnly, FirstKey: 1, LastKey: 1, Step: 1, Run: zrangeCmd(1, false, zrScore, zrForward)},
	{Name: "zrevrangebyscore", Arity: -4, Flags: ReadOnly, FirstKey: 1, LastKey: 1, Step: 1, Run: zrangeCmd(1, false, zrScore, zrReverse)},
	{Name: "zrangebylex", Arity: -4, Flags: ReadOnly, FirstKey: 1, LastKey: 1, Step: 1, Run: zrangeCmd(1, false, zrLex, zrForward)},
	{Name: "zrevrangebylex", Arity: -4, Flags: ReadOnly, FirstKey: 1, LastKey: 1, Step: 1, Run: zrangeCmd(1, false, zrLex, zrReverse)},
	{Name: "zrank", Arity: 3, Flags: ReadOnly | Fast, FirstKey: 1, LastKey: 1, Step: 1, Run: zrankCmd(false)},
	{Name: "zrevrank", Arity: 3, Flags: ReadOnly | Fast, FirstKey: 1, LastKey: 1, Step: 1, Run: zrankCmd(true)},
	{Name: "zremrangebyrank", Arity: 4, Flags: Write, FirstKey: 1, LastKey: 1, Step: 1, Run: zremrangeCmd(zrRank)},
	{Name: "zremrangebyscore", Arity: 4, Flags: Write, FirstKey: 1, LastKey: 1, Step: 1, Run: zremrangeCmd(zrScore)},
	{Name: "zremrangebylex", Arity: 4, Flags: Write, FirstKey: 1, LastKey: 1, Step: 1, Run: zremrangeCmd(zrLex)},
	{Name: "zpopmin", Arity: -2, Flags: Write | Fast, FirstKey: 1, LastKey: 1, Step: 1, Run: zpopCmd(false)},
	{Name: "zpopmax", Arity: -2, Flags: Write | Fast, FirstKey: 1, LastKey: 1, Step: 1, Run: zpopCmd(true)},
	{Name: "bzpopmin", Arity: -3, Flags: Write | NoScript | Blocking | Fast, FirstKey: 1, LastKey: -2, Step: 1, Run: bzpopCmd(false)},
	{Name: "bzpopmax", Arity: -3, Flags: Write | NoScript | Blocking | Fast, FirstKey: 1, LastKey: -2, Step: 1, Run: bzpopCmd(true)},
	{Name: "zmpop", Arity: -4, Flags: Write, Run: zmpopCmd},
	{Name: "bzmpop", Arity: -5, Flags: Write | Blocking, Run: bzmpopCmd},
	{Name: "zrandmember", Arity: -2, Flags: ReadOnly, FirstKey: 1, LastKey: 1, Step: 1, Run: zrandmemberCmd},
	{Name: "zunionstore", Arity: -4, Flags: Write | DenyOOM, FirstKey: 1, LastKey: 1, Step: 1, Run: zsetOpCmd("zunionstore", zopUnion, true, false)},
	{Name: "zinterstore", Arity: -4, Flags: Write | DenyOOM, FirstKey: 1, LastKey: 1, Step: 1, Run: zsetOpCmd("zinterstore", zopInter, true, false)},
	{Name: "zdiffstore", Arity: -4, Flags: Write | DenyOOM, FirstKey: 1, LastKey: 1, Step: 1, Run: zsetOpCmd("zdiffstore", zopDiff, true, false)},
	{Name: "zunion", Arity: -3, Flags: ReadOnly, Run: zsetOpCmd("zunion", zopUnion, false, false)},
	{Name: "zinter", Arity: -3, Flags: ReadOnly, Run: zsetOpCmd("zinter", zopInter, false, false)},
	{Name: "zdiff", Arity: -3, Flags: ReadOnly, Run: zsetOpCmd("zdiff", zopDiff, false, false)},
	{Name: "zintercard", Arity: -3, Flags: ReadOnly, Run: zsetOpCmd("zintercard", zopInter, false, true)},
	{Name: "zscan", Arity: -3, Flags: ReadOnly, FirstKey: 1, LastKey: 1, Step: 1, Run: zscanCmd},
}

const (
	errZMinMaxFloat = "ERR min or max is not a float"
	errZMinMaxLex   = "ERR min or max not valid string range item"
	errZNaN         = "ERR resulting score is not a number (NaN)"
	errZXXNX        = "ERR XX and NX options at the same time are not compatible"
	errZGTLTNX      = "ERR GT, LT, and/or NX options at the same time are not compatible"
	errZIncrPair    = "ERR INCR option supports a single increment-element pair"
	errZLimitRank   = "ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX"
	errZScoresLex   = "ERR syntax error, WITHSCORES not supported in combination with BYLEX"
	errZWeight      = "ERR weight value is not a float"
	errZCount       = "ERR count should be greater than 0"
	errZTimeoutNeg  = "ERR timeout is negative"
	errZTimeoutNaN  = "ERR timeout is not a float or out of range"
)

// zsetLookup returns key's sorted set (see lookupAs).
func zsetLookup(c *Ctx, key []byte, write bool) (*store.ZSet, bool) {
	return lookupAs[*store.ZSet](c, key, write)
}

// zsetDelIfEmpty deletes key when its sorted set became empty.
func zsetDelIfEmpty(c *Ctx, key []byte, z *store.ZSet) {
	if z.Len() == 0 {
		c.DB.Delete(key)
		c.Notify(store.NotifyGeneric, "del", key)
	}
}

// zaddFlags are ZADD's options.
type zaddFlags struct{ nx, xx, gt, lt, ch, incr bool }

func zaddCmd(c *Ctx)    { zaddGeneric(c, false) }
func zincrbyCmd(c *Ctx) { zaddGeneric(c, true) }

// zaddGeneric is ZADD and ZINCRBY (ZADD INCR), following Redis's
// zaddGenericCommand, including its quirk of reading options in ZINCRBY.
func zaddGeneric(c *Ctx, incr bool) {
	key := c.Args[1]
	f := zaddFlags{incr: incr}
	i := 2
opts:
	for ; i < len(c.Args); i++ {
		a := c.Args[i]
		switch {
		case EqualFold(a, "nx"):
			f.nx = true
		case EqualFold(a, "xx"):
			f.xx = true
		case EqualFold(a, "ch"):
			f.ch = true
		case EqualFold(a, "incr"):
			f.incr = true
		case EqualFold(a, "gt"):
			f.gt = true
		case EqualFold(a, "lt"):
			f.lt = true
		default:
			break opts
		}
	}
	rest := len(c.Args) - i
	if rest == 0 || rest%2 != 0 {
		c.Error(ErrSyntax)
		return
	}
	n := rest / 2
	switch {
	case f.nx && f.xx:
		c.Error(errZXXNX)
		return
	case (f.gt && f.nx) || (f.lt && f.nx) || (f.gt && f.lt):
		c.Error(errZGTLTNX)
		return
	case f.incr && n > 1:
		c.Error(errZIncrPair)
		return
	}
	var one [1]float64
	scores := one[:0]
	for j := 0; j < n; j++ {
		s, ok := ParseFloat(c.Args[i+2*j])
		if !ok {
			c.Error(ErrNotFloat)
			return
		}
		scores = append(scores, s)
	}
	z, ok := zsetLookup(c, key, true)
	if !ok {
		return
	}
	added, updated, processed := 0, 0, 0
	var score float64
	if z == nil {
		if f.xx {
			zaddReply(c, f, processed, score, added, updated)
			return
		}
		z = store.NewZSet()
		c.DB.Set(key, z)
	}
	for j, s := range scores {
		member := c.Args[i+2*j+1]
		res, ns := zaddOne(c, z, member, s, f)
		if res == zaddNaN {
			c.Error(errZNaN)
			if added+updated > 0 {
				c.Touch(key)
			}
			return
		}
		switch res {
		case zaddAdded:
			added++
		case zaddUpdated:
			updated++
		}
		if res != zaddNop {
			processed++
			score = ns
		}
	}
	c.Dirty += added + updated
	zaddReply(c, f, processed, score, added, updated)
	if added+updated > 0 {
		c.Touch(key)
		if f.incr {
			c.Notify(store.NotifyZSet, "zincr", key)
		} else {
			c.Notify(store.NotifyZSet, "zadd", key)
		}
	}
}

func zaddReply(c *Ctx, f zaddFlags, processed int, score float64, added, updated int) {
	switch {
	case f.incr && processed > 0:
		c.W.Double(score)
	case f.incr:
		c.W.Null()
	case f.ch:
		c.W.Int(int64(added + updated))
	default:
		c.W.Int(int64(added))
	}
}

type zaddResult uint8

const (
	zaddUnchanged zaddResult = iota // processed, same score
	zaddAdded
	zaddUpdated
	zaddNop // skipped by NX, XX, GT or LT
	zaddNaN
)

// zaddOne applies one score-member pair as Redis's zsetAdd does.
func zaddOne(c *Ctx, z *store.ZSet, member []byte, score float64, f zaddFlags) (zaddResult, float64) {
	cur, exists := z.Score(member)
	if !exists {
		if f.xx {
			return zaddNop, 0
		}
		z.Add(member, score, c.Store.Limits)
		return zaddAdded, score
	}
	if f.nx {
		return zaddNop, 0
	}
	if f.incr {
		score += cur
		if math.IsNaN(score) {
			return zaddNaN, 0
		}
	}
	if (f.lt && score >= cur) || (f.gt && score <= cur) {
		return zaddNop, 0
	}
	if score == cur {
		return zaddUnchanged, score
	}
	z.Add(member, score, c.Store.Limits)
	return zaddUpdated, score
}

func zremCmd(c *Ctx) {
	key := c.Args[1]
	z, ok := zsetLookup(c, key, true)
	if !ok {
		return
	}
	if z == nil {
		c.W.Int(0)
		return
	}
	removeMembers(c, key, z.Remove, z.Len, store.NotifyZSet, "zrem")
}

func zscoreCmd(c *Ctx) {
	z, ok := zsetLookup(c, c.Args[1], false)
	if !ok {
		return
	}
	if z == nil {
		c.W.Null()
		return
	}
	if s, ok := z.Score(c.Args[2]); ok {
		c.W.Double(s)
	} else {
		c.W.Null()
	}
}

func zmscoreCmd(c *Ctx) {
	z, ok := zsetLookup(c, c.Args[1], false)
	if !ok {
		return
	}
	c.W.ArrayLen(len(c.Args) - 2)
	for _, m := range c.Args[2:] {
		if z == nil {
			c.W.Null()
		} else if s, ok := z.Score(m); ok {
			c.W.Double(s)
		} else {
			c.W.Null()
		}
	}
}

func zcardCmd(c *Ctx) {
	z, ok := zsetLookup(c, c.Args[1], false)
	if !ok {
		return
	}
	if z == nil {
		c.W.Int(0)
		return
	}
	c.W.Int(int64(z.Len()))
}

// zsetStrtod parses b as C's strtod must consume it whole, which is how
// Redis reads range ends: leading spaces are skipped, an empty string is 0,
// hexadecimal is accepted, and overflow gives an infinity.
func zsetStrtod(b []byte) (float64, bool) {
	for len(b) > 0 && isSpace(b[0]) {
		b = b[1:]
	}
	if len(b) == 0 {
		return 0, true
	}
	if bytes.IndexByte(b, '_') >= 0 {
		return 0, false
	}
	s := string(b)
	body := s
	if body[0] == '+' || body[0] == '-' {
		body = body[1:]
	}
	if len(body) > 2 && body[0] == '0' && (body[1] == 'x' || body[1] == 'X') && !bytes.ContainsAny(b, "pP") {
		s += "p0" // strtod's binary exponent is optional; Go requires it
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		if ne, ok := err.(*strconv.NumError); !ok || ne.Err != strconv.ErrRange {
			return 0, false
		}
	}
	return f, !math.IsNaN(f)
}

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
	z, ok := zsetLookup(c, c.Args[1], false)
	if !ok {
		return
	}
	n := 0
	if z != nil {
		if first, last, ok := z.ScoreRanks(r); ok {
			n = last - first + 1
		}
	}
	c.W.Int(int64(n))
}

func zlexcountCmd(c *Ctx) {
	r, ok := zsetParseLexRange(c.Args[2], c.Args[3])
	if !ok {
		c.Error(errZMinMaxLex)
		return
	}
	z, ok := zsetLookup(c, c.Args[1], false)
	if !ok {
		return
	}
	n := 0
	if z != nil {
		if first, last, ok := z.LexRanks(r); ok {
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
			if offset, ok = cstr.String2ll(c.Args[j+1]); ok {
				limit, ok = cstr.String2ll(c.Args[j+2])
			}
			if !ok {
				c.Error(ErrNotInt)
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
			zsetStore(c, c.Args[1], store.NewZSet(), "zrangestore")
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
		zsetStore(c, c.Args[1], dst, "zrangestore")
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
	n := to - from + 1
	resp3 := c.W.Proto == 3
	if withScores && !resp3 {
		c.W.ArrayLen(2 * n)
	} else {
		c.W.ArrayLen(n)
	}
	z.Range(from, to, rev, func(m string, s float64) bool {
		zsetReplyPair(c.W, m, s, withScores, resp3)
		return true
	})
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

// zsetStore stores the result of ZRANGESTORE or Z*STORE, deleting the
// destination when the result is empty, and replies with its size.
func zsetStore(c *Ctx, key []byte, dst *store.ZSet, event string) {
	if dst.Len() == 0 {
		c.W.Int(0)
		if c.DB.Delete(key) {
			c.Touch(key)
			c.Dirty++
			c.Notify(store.NotifyGeneric, "del", key)
		}
		return
	}
	c.DB.Set(key, dst)
	c.Touch(key)
	c.Dirty++
	c.Notify(store.NotifyZSet, event, key)
	c.W.Int(int64(dst.Len()))
}

func zrankCmd(rev bool) func(*Ctx) {
	return func(c *Ctx) {
		z, ok := zsetLookup(c, c.Args[1], false)
		if !ok {
			return
		}
		if z == nil {
			c.W.Null()
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
	z, ok := zsetLookup(c, key, true)
	if !ok {
		return
	}
	if z == nil {
		c.W.Int(0)
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

// zpopShape says how a pop replies, as Redis's genericZpopCommand flags.
type zpopShape struct {
	emitKey, nested, nilWhenEmpty bool
}

// zsetPop pops up to count members (count < 0: a plain single pop) from the
// first non-empty sorted set among keys and returns the key and how many
// were popped, 0 when nothing was (the reply is then written too).
func zsetPop(c *Ctx, keys [][]byte, max bool, count int64, shape zpopShape) ([]byte, int) {
	var key []byte
	var z *store.ZSet
	for _, k := range keys {
		var ok bool
		if z, ok = zsetLookup(c, k, true); !ok {
			return nil, 0
		}
		if z != nil {
			key = k
			break
		}
	}
	if z == nil {
		if shape.nilWhenEmpty {
			c.W.NullArray()
		} else {
			c.W.ArrayLen(0)
		}
		return nil, 0
	}
	if count == 0 {
		c.W.ArrayLen(0)
		return nil, 0
	}
	if count < 0 {
		count = 1
	}
	n := int(min(count, int64(z.Len())))
	switch {
	case !shape.nested && !shape.emitKey:
		c.W.ArrayLen(2 * n)
	case shape.nested && !shape.emitKey:
		c.W.ArrayLen(n)
	case !shape.nested && shape.emitKey:
		c.W.ArrayLen(2*n + 1)
		c.W.Bulk(key)
	default:
		c.W.ArrayLen(2)
		c.W.Bulk(key)
		c.W.ArrayLen(n)
	}
	emit := func(m string, s float64) {
		if shape.nested {
			c.W.ArrayLen(2)
		}
		c.W.BulkString(m)
		c.W.Double(s)
	}
	if max {
		// Pop from the top one at a time, so members come highest first.
		for range n {
			z.RemoveRange(z.Len()-1, z.Len()-1, emit)
		}
	} else {
		z.RemoveRange(0, n-1, emit)
	}
	c.Dirty += n
	c.Touch(key)
	if max {
		c.Notify(store.NotifyZSet, "zpopmax", key)
	} else {
		c.Notify(store.NotifyZSet, "zpopmin", key)
	}
	zsetDelIfEmpty(c, key, z)
	return key, n
}

func zpopCmd(max bool) func(*Ctx) {
	return func(c *Ctx) {
		if len(c.Args) > 3 {
			c.Error(ErrSyntax)
			return
		}
		count := int64(-1)
		if len(c.Args) == 3 {
			n, ok := cstr.String2ll(c.Args[2])
			if !ok || n < 0 {
				c.Error(errNotPositive)
				return
			}
			count = n
		}
		zsetPop(c, c.Args[1:2], max, count, zpopShape{nested: c.W.Proto == 3 && count != -1})
	}
}

// zsetPopName is the command a served blocking or multi-key pop is
// replicated as.
func zsetPopName(max bool) []byte {
	if max {
		return []byte("ZPOPMAX")
	}
	return []byte("ZPOPMIN")
}

// zsetParseTimeout parses a blocking timeout in seconds into an absolute
// unix ms deadline (0: forever), truncating as Redis's (long long) cast does;
// values that do not fit count as negative, as they do on x86.
func zsetParseTimeout(c *Ctx, b []byte) (int64, bool) {
	f, err := strconv.ParseFloat(string(b), 64)
	if len(b) == 0 || isSpace(b[0]) || math.IsNaN(f) {
		c.Error(errZTimeoutNaN)
		return 0, false
	}
	if err != nil {
		ne, ok := err.(*strconv.NumError)
		if !ok || ne.Err != strconv.ErrRange {
			c.Error(errZTimeoutNaN)
			return 0, false
		}
	}
	ms := f * 1000
	if ms >= 1<<63 || ms <= -1<<63 || int64(ms) < 0 {
		c.Error(errZTimeoutNeg)
		return 0, false
	}
	t := int64(ms)
	if t > 0 {
		t += c.Now
	}
	return t, true
}

// zsetBlock parks the client on keys, or replies as a timeout inside MULTI.
func zsetBlock(c *Ctx, keys [][]byte, timeout int64) {
	if c.InMulti {
		c.W.NullArray()
		return
	}
	b := &Block{Keys: make([][]byte, len(keys)), Timeout: timeout}
	for i, k := range keys {
		b.Keys[i] = bytes.Clone(k)
	}
	c.Block = b
}

// zsetBlockingPop is BZPOPMIN/BZPOPMAX/BZMPOP: pop from the first
// non-empty key at once, replicated as ZPOPMIN/ZPOPMAX, or block.
func zsetBlockingPop(c *Ctx, keys [][]byte, max bool, timeout int64, count int64, shape zpopShape) {
	for _, k := range keys {
		z, ok := zsetLookup(c, k, true)
		if !ok {
			return
		}
		if z == nil || z.Len() == 0 {
			continue
		}
		key, n := zsetPop(c, [][]byte{k}, max, count, shape)
		if count < 0 {
			c.Propagate(zsetPopName(max), key)
		} else {
			c.Propagate(zsetPopName(max), key, []byte(strconv.Itoa(n)))
		}
		return
	}
	zsetBlock(c, keys, timeout)
}

func bzpopCmd(max bool) func(*Ctx) {
	return func(c *Ctx) {
		timeout, ok := zsetParseTimeout(c, c.Args[len(c.Args)-1])
		if !ok {
			return
		}
		zsetBlockingPop(c, c.Args[1:len(c.Args)-1], max, timeout, -1, zpopShape{emitKey: true})
	}
}

func zmpopCmd(c *Ctx)  { zmpopGeneric(c, 1, false) }
func bzmpopCmd(c *Ctx) { zmpopGeneric(c, 2, true) }

// zmpopGeneric is ZMPOP numkeys key... MIN|MAX [COUNT n] and BZMPOP, which
// has the timeout first.
func zmpopGeneric(c *Ctx, numIdx int, blocking bool) {
	keys, fromMin, count, ok := mpopArgs(c, numIdx, "min", "max", errZCount)
	if !ok {
		return
	}
	max := !fromMin
	shape := zpopShape{emitKey: true, nested: true, nilWhenEmpty: true}
	if blocking {
		timeout, ok := zsetParseTimeout(c, c.Args[1])
		if !ok {
			return
		}
		zsetBlockingPop(c, keys, max, timeout, count, shape)
		return
	}
	if key, n := zsetPop(c, keys, max, count, shape); n > 0 {
		c.Propagate(zsetPopName(max), key, []byte(strconv.Itoa(n)))
	}
}

// zrandSubStrategyMul is Redis's ZRANDMEMBER_SUB_STRATEGY_MUL.
const zrandSubStrategyMul = 3

func zrandmemberCmd(c *Ctx) {
	if len(c.Args) == 2 {
		z, ok := zsetLookup(c, c.Args[1], false)
		if !ok {
			return
		}
		if z == nil {
			c.W.Null()
			return
		}
		m, _ := z.Random(c.Rand)
		c.W.BulkString(m)
		return
	}
	l, ok := cstr.String2ll(c.Args[2])
	if !ok {
		c.Error(ErrNotInt)
		return
	}
	if l == math.MinInt64 {
		c.Error(setErrRange)
		return
	}
	if len(c.Args) > 4 || (len(c.Args) == 4 && !EqualFold(c.Args[3], "withscores")) {
		c.Error(ErrSyntax)
		return
	}
	// Redis refuses a count whose reply (two elements each) would not fit a long.
	if len(c.Args) == 4 && (l < -math.MaxInt64/2 || l > math.MaxInt64/2) {
		c.Error("ERR value is out of range")
		return
	}
	withScores := len(c.Args) == 4
	z, ok := zsetLookup(c, c.Args[1], false)
	if !ok {
		return
	}
	if z == nil || l == 0 {
		c.W.ArrayLen(0)
		return
	}
	resp3 := c.W.Proto == 3
	replyLen := func(n int) {
		if withScores && !resp3 {
			n *= 2
		}
		c.W.ArrayLen(n)
	}
	if l < 0 || l == 1 {
		// Repetitions allowed: sample the whole set each time.
		n := max(l, -l)
		replyLen(int(n))
		for range n {
			m, s := z.Random(c.Rand)
			zsetReplyPair(c.W, m, s, withScores, resp3)
		}
		return
	}
	size := z.Len()
	if l >= int64(size) {
		// The whole set, highest first: Redis's set-operation iterator
		// walks a sorted set from its tail.
		replyLen(size)
		z.Range(0, size-1, true, func(m string, s float64) bool {
			zsetReplyPair(c.W, m, s, withScores, resp3)
			return true
		})
		return
	}
	count := int(l)
	picked := store.NewDict[float64](count)
	if count*zrandSubStrategyMul > size {
		// Close to the whole set: copy it and drop random members.
		z.Each(func(m string, s float64) bool { picked.SetString(m, s); return true })
		for picked.Len() > count {
			m, _, _ := picked.Random(c.Rand)
			picked.DeleteString(m)
		}
	} else {
		for picked.Len() < count {
			m, s := z.Random(c.Rand)
			picked.SetString(m, s)
		}
	}
	replyLen(count)
	for i := range picked.Len() {
		m, s := picked.At(i)
		zsetReplyPair(c.W, m, s, withScores, resp3)
	}
}

// zsetOp is the operation of ZUNION, ZINTER and ZDIFF and their variants.
type zsetOp uint8

const (
	zopUnion zsetOp = iota
	zopInter
	zopDiff
)

// zsetSource is one input of a set operation: a sorted set, or a plain set
// whose members all score 1, or nothing (a missing key).
type zsetSource struct {
	z      *store.ZSet
	s      *store.Set
	weight float64
}

func (src *zsetSource) len() int {
	switch {
	case src.z != nil:
		return src.z.Len()
	case src.s != nil:
		return src.s.Len()
	}
	return 0
}

func (src *zsetSource) each(fn func(m string, score float64) bool) {
	switch {
	case src.z != nil:
		src.z.Each(fn)
	case src.s != nil:
		src.s.Each(func(m string) bool { return fn(m, 1) })
	}
}

func (src *zsetSource) find(m []byte) (float64, bool) {
	switch {
	case src.z != nil:
		return src.z.Score(m)
	case src.s != nil:
		return 1, src.s.Has(m)
	}
	return 0, false
}

func (src *zsetSource) same(o *zsetSource) bool {
	return (src.z != nil && src.z == o.z) || (src.s != nil && src.s == o.s)
}

// zsetAggregate folds val into *acc as AGGREGATE SUM|MIN|MAX does.
func zsetAggregate(acc *float64, val float64, agg byte) {
	switch agg {
	case 's':
		*acc += val
		if math.IsNaN(*acc) {
			*acc = 0
		}
	case 'm':
		*acc = min(*acc, val)
	case 'M':
		*acc = max(*acc, val)
	}
}

func zsetOpCmd(name string, op zsetOp, toStore, cardOnly bool) func(*Ctx) {
	return func(c *Ctx) { zsetOpGeneric(c, name, op, toStore, cardOnly) }
}

// zsetOpGeneric follows Redis's zunionInterDiffGenericCommand.
func zsetOpGeneric(c *Ctx, name string, op zsetOp, toStore, cardOnly bool) {
	numIdx := 1
	if toStore {
		numIdx = 2
	}
	setnum, ok := cstr.String2ll(c.Args[numIdx])
	if !ok {
		c.Error(ErrNotInt)
		return
	}
	if setnum < 1 {
		c.Error("ERR at least 1 input key is needed for '" + name + "' command")
		return
	}
	if setnum > int64(len(c.Args)-numIdx-1) {
		c.Error(ErrSyntax)
		return
	}
	srcs := make([]zsetSource, setnum)
	j := numIdx + 1
	for i := range srcs {
		srcs[i].weight = 1
		switch v := c.DB.Get(c.Args[j]).(type) {
		case nil:
		case *store.ZSet:
			srcs[i].z = v
		case *store.Set:
			srcs[i].s = v
		default:
			c.Error(ErrWrongType)
			return
		}
		j++
	}
	agg := byte('s')
	withScores := false
	limit := int64(0)
	for j < len(c.Args) {
		rem := len(c.Args) - j
		a := c.Args[j]
		switch {
		case op != zopDiff && !cardOnly && rem >= len(srcs)+1 && EqualFold(a, "weights"):
			j++
			for i := range srcs {
				w, ok := ParseFloat(c.Args[j])
				if !ok {
					c.Error(errZWeight)
					return
				}
				srcs[i].weight = w
				j++
			}
		case op != zopDiff && !cardOnly && rem >= 2 && EqualFold(a, "aggregate"):
			switch v := c.Args[j+1]; {
			case EqualFold(v, "sum"):
				agg = 's'
			case EqualFold(v, "min"):
				agg = 'm'
			case EqualFold(v, "max"):
				agg = 'M'
			default:
				c.Error(ErrSyntax)
				return
			}
			j += 2
		case !toStore && !cardOnly && EqualFold(a, "withscores"):
			withScores = true
			j++
		case cardOnly && rem >= 2 && EqualFold(a, "limit"):
			l, ok := cstr.String2ll(c.Args[j+1])
			if !ok || l < 0 {
				c.Error(errLimitNegative)
				return
			}
			limit = l
			j += 2
		default:
			c.Error(ErrSyntax)
			return
		}
	}
	if op != zopDiff {
		slices.SortStableFunc(srcs, func(a, b zsetSource) int { return a.len() - b.len() })
	}
	if cardOnly {
		c.W.Int(zsetInterCard(srcs, limit))
		return
	}
	members, scores := zsetCompute(srcs, op, agg)
	dst := store.NewZSet()
	for i, m := range members {
		dst.Add([]byte(m), scores[i], c.Store.Limits)
	}
	if toStore {
		zsetStore(c, c.Args[1], dst, name)
		return
	}
	if dst.Len() == 0 {
		c.W.ArrayLen(0)
		return
	}
	zsetReplyRange(c, dst, 0, dst.Len()-1, false, withScores)
}

// zsetInterCard counts the intersection, stopping at limit (0: no limit).
func zsetInterCard(srcs []zsetSource, limit int64) int64 {
	n := int64(0)
	if srcs[0].len() == 0 {
		return 0
	}
	srcs[0].each(func(m string, _ float64) bool {
		for i := 1; i < len(srcs); i++ {
			if !srcs[i].same(&srcs[0]) {
				if _, ok := srcs[i].find([]byte(m)); !ok {
					return true
				}
			}
		}
		n++
		return limit == 0 || n < limit
	})
	return n
}

// zsetCompute returns the members and scores of a union, intersection or
// difference (sources already ordered by size for the first two).
func zsetCompute(srcs []zsetSource, op zsetOp, agg byte) ([]string, []float64) {
	var members []string
	var scores []float64
	weighted := func(w, s float64) float64 {
		v := w * s
		if math.IsNaN(v) {
			return 0
		}
		return v
	}
	switch op {
	case zopInter:
		if srcs[0].len() == 0 {
			return nil, nil
		}
		srcs[0].each(func(m string, s float64) bool {
			score := weighted(srcs[0].weight, s)
			for i := 1; i < len(srcs); i++ {
				v, ok := s, true
				if !srcs[i].same(&srcs[0]) {
					v, ok = srcs[i].find([]byte(m))
				}
				if !ok {
					return true
				}
				zsetAggregate(&score, v*srcs[i].weight, agg)
			}
			members = append(members, m)
			scores = append(scores, score)
			return true
		})
	case zopUnion:
		acc := store.NewDict[float64](0)
		for i := range srcs {
			srcs[i].each(func(m string, s float64) bool {
				score := weighted(srcs[i].weight, s)
				if p, ok := acc.GetString(m); ok {
					zsetAggregate(&p, score, agg)
					acc.SetString(m, p)
				} else {
					acc.SetString(m, score)
				}
				return true
			})
		}
		return acc.Keys(), acc.Values()
	case zopDiff:
		for i := 1; i < len(srcs); i++ {
			if srcs[i].same(&srcs[0]) {
				return nil, nil
			}
		}
		srcs[0].each(func(m string, s float64) bool {
			for i := 1; i < len(srcs); i++ {
				if _, ok := srcs[i].find([]byte(m)); ok {
					return true
				}
			}
			members = append(members, m)
			scores = append(scores, s)
			return true
		})
	}
	return members, scores
}

func zscanCmd(c *Ctx) {
	cursor, ok := scanParseCursor(c.Args[2])
	if !ok {
		c.Error(errInvalidCursor)
		return
	}
	z, ok := zsetLookup(c, c.Args[1], false)
	if !ok {
		return
	}
	if z == nil {
		scanEmptyReply(c)
		return
	}
	opt, ok := scanParseOptions(c, 3)
	if !ok {
		return
	}
	var out []string
	var next uint64
	if z.IsListpack() {
		// Redis returns a small encoding whole, scores as the listpack
		// stores them.
		z.Each(func(m string, s float64) bool {
			if opt.match(m) {
				out = append(out, m, string(zsetListpackScore(nil, s)))
			}
			return true
		})
	} else {
		next = z.Scan(cursor, opt.count, func(m string, s float64) {
			if opt.match(m) {
				out = append(out, m, zsetHumanScore(s))
			}
		})
	}
	c.W.ArrayLen(2)
	c.W.BulkString(strconv.FormatUint(next, 10))
	c.W.ArrayLen(len(out))
	for _, s := range out {
		c.W.BulkString(s)
	}
}

// zsetListpackScore appends s as Redis's d2string stores it in a listpack:
// integers exactly (within 2^52), other values as "%.17g".
func zsetListpackScore(dst []byte, s float64) []byte {
	switch {
	case math.IsInf(s, 1):
		return append(dst, "inf"...)
	case math.IsInf(s, -1):
		return append(dst, "-inf"...)
	case s > -4503599627370495 && s < 4503599627370496 && s == math.Trunc(s):
		return strconv.AppendInt(dst, int64(s), 10)
	}
	return resp.FormatDouble(dst, s)
}

// zsetHumanScore formats s as Redis's ld2string(LD_STR_HUMAN) does for
// ZSCAN of a skiplist: "%.17Lf" with trailing zeros removed.
func zsetHumanScore(s float64) string {
	switch {
	case math.IsInf(s, 1):
		return "inf"
	case math.IsInf(s, -1):
		return "-inf"
	}
	out := strconv.FormatFloat(s, 'f', 17, 64)
	out = trimFraction(out)
	if out == "-0" {
		return "0"
	}
	return out
}

// trimFraction drops trailing zeros after a decimal point, and the point.
func trimFraction(s string) string {
	if !strings.Contains(s, ".") {
		return s
	}
	for s[len(s)-1] == '0' {
		s = s[:len(s)-1]
	}
	if s[len(s)-1] == '.' {
		s = s[:len(s)-1]
	}
	return s
}

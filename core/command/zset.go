package command

import (
	"bytes"
	"math"
	"strconv"

	"github.com/syncscope/syncscope/core/cstr"
	"github.com/syncscope/syncscope/core/store"
)

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

// zsetDelIfEmpty deletes key when its sorted set became empty.
func zsetDelIfEmpty(c *Ctx, key []byte, z *store.ZSet) {
	if z.Len() == 0 {
		c.DB.Delete(key)
		c.Notify(store.NotifyGeneric, "del", key)
	}
}

// zaddFlags are ZADD's options.
type zaddFlags struct{ nx, xx, gt, lt, ch, incr bool }

func zaddCmd(c *Ctx) { zaddGeneric(c, false) }

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
	z, ok := lookupAs[*store.ZSet](c, key, true)
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

// zsetScore replies with member's score in z, null when either is missing
// (ZSCORE, ZMSCORE).
func zsetScore(c *Ctx, z *store.ZSet, member []byte) {
	if z != nil {
		if s, ok := z.Score(member); ok {
			c.W.Double(s)
			return
		}
	}
	c.W.Null()
}

// zsetStrtod parses b as C's strtod must consume it whole, which is how
// Redis reads range ends: leading spaces are skipped, an empty string is 0,
// hexadecimal is accepted, and overflow gives an infinity.
func zsetStrtod(b []byte) (float64, bool) {
	b = cstr.UntilNUL(b)
	if len(b) == 0 {
		return 0, true // nothing to convert, and nothing left over
	}
	for len(b) > 0 && isSpace(b[0]) {
		b = b[1:]
	}
	if len(b) == 0 {
		return 0, false // no conversion: strtod points back at the spaces
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

// zrandSubStrategyMul is Redis's ZRANDMEMBER_SUB_STRATEGY_MUL.
const zrandSubStrategyMul = 3

func zrandmemberCmd(c *Ctx) {
	if len(c.Args) == 2 {
		z, ok := lookupOrReply[*store.ZSet](c, c.Args[1], false, c.W.Null)
		if !ok {
			return
		}
		m, _ := z.Random(c.Rand)
		c.W.BulkString(m)
		return
	}
	l, ok := randCount(c, "withscores")
	if !ok {
		return
	}
	withScores := len(c.Args) == 4
	z, ok := randSource[*store.ZSet](c, l)
	if !ok {
		return
	}
	resp3 := c.W.Proto == 3
	replyLen := func(n int) { pairsLen(c.W, n, withScores) }
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
		dropRandom(picked, count, c.Rand)
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

func zscanCmd(c *Ctx) {
	scanValue(c, func(z *store.ZSet, cursor uint64, opt scanOptions) (next uint64, out []string) {
		if z.IsListpack() {
			// Redis returns a small encoding whole, scores as the listpack
			// stores them.
			z.Each(func(m string, s float64) bool {
				if opt.match(m) {
					out = append(out, m, string(zsetListpackScore(nil, s)))
				}
				return true
			})
			return 0, out
		}
		next = z.Scan(cursor, opt.count, func(m string, s float64) {
			if opt.match(m) {
				out = append(out, m, zsetHumanScore(s))
			}
		})
		return next, out
	})
}

// zsetListpackScore appends s as Redis's d2string stores it in a listpack:
// integers exactly (within 2^52), other values (the infinities too) as
// "%.17g".
func zsetListpackScore(dst []byte, s float64) []byte {
	if s > -4503599627370495 && s < 4503599627370496 && s == math.Trunc(s) {
		return strconv.AppendInt(dst, int64(s), 10)
	}
	return cstr.AppendG17(dst, s)
}

// zsetHumanScore formats s as Redis's ld2string(LD_STR_HUMAN) does for
// ZSCAN of a skiplist: "%.17Lf" with trailing zeros removed.
func zsetHumanScore(s float64) string {
	return string(trimHuman(cstr.AppendFloat(make([]byte, 0, 32), s, 'f', 17)))
}

// trimHuman is the end of Redis's ld2string(LD_STR_HUMAN): the "%.17Lf"
// text without the fraction's trailing zeros (nor its point, when they
// were all of it), and "-0" as "0".
func trimHuman(out []byte) []byte {
	if bytes.IndexByte(out, '.') >= 0 {
		out = bytes.TrimRight(out, "0")
		out = bytes.TrimSuffix(out, []byte("."))
	}
	if string(out) == "-0" {
		out = out[1:]
	}
	return out
}

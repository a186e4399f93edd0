package command

import (
	"math/rand/v2"
	"slices"
	"strconv"

	"github.com/syncscope/syncscope/core/cstr"
	"github.com/syncscope/syncscope/core/store"
)

// Errors of the set and sorted-set commands, worded as Redis 7.0 words them.
const (
	errNotPositive   = "ERR value is out of range, must be positive"
	errNumkeys       = "ERR numkeys should be greater than 0"
	errNumkeysArgs   = "ERR Number of keys can't be greater than number of args"
	errLimitNegative = "ERR LIMIT can't be negative"
	errInvalidCursor = "ERR invalid cursor"
)

func saddCmd(c *Ctx) {
	key := c.Args[1]
	s, ok := lookupOrCreate(c, key, store.NewSet)
	if !ok {
		return
	}
	added := 0
	for _, m := range c.Args[2:] {
		if s.Add(m, c.Store.Limits) {
			added++
		}
	}
	if added > 0 {
		c.Touch(key)
		c.Dirty += added
		c.Notify(store.NotifySet, "sadd", key)
	}
	c.W.Int(int64(added))
}

func smembersCmd(c *Ctx) {
	s, ok := lookupAs[*store.Set](c, c.Args[1], false)
	if !ok {
		return
	}
	setReply(c, s)
}

// setReply writes a whole set as a RESP3 set (an array in RESP2).
func setReply(c *Ctx, s *store.Set) {
	if s == nil {
		c.W.SetLen(0)
		return
	}
	c.W.SetLen(s.Len())
	s.Each(func(m string) bool { c.W.BulkString(m); return true })
}

// setHas replies 1 when s has member (SISMEMBER, SMISMEMBER).
func setHas(c *Ctx, s *store.Set, member []byte) {
	c.W.Int(setBool(s != nil && s.Has(member)))
}

func setBool(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

// spopMoveStrategyMul is Redis's SPOP_MOVE_STRATEGY_MUL: when fewer than
// count/5 members would remain, SPOP picks the survivors instead.
const spopMoveStrategyMul = 5

func spopCmd(c *Ctx) {
	if len(c.Args) > 3 {
		c.Error(ErrSyntax)
		return
	}
	key := c.Args[1]
	if len(c.Args) == 3 {
		spopCount(c, key)
		return
	}
	s, ok := lookupOrReply[*store.Set](c, key, true, c.W.Null)
	if !ok {
		return
	}
	m := s.Random(c.Rand)
	s.Remove([]byte(m))
	c.Propagate([]byte("SREM"), key, []byte(m))
	c.W.BulkString(m)
	c.Notify(store.NotifySet, "spop", key)
	if s.Len() == 0 {
		c.DB.Delete(key)
		c.Notify(store.NotifyGeneric, "del", key)
	}
	c.Touch(key)
	c.Dirty++
}

// spopCount is SPOP key count. Like Redis it replicates the removals as one
// SREM per member, or as DEL when the whole set goes.
func spopCount(c *Ctx, key []byte) {
	n, ok := positiveCount(c, c.Args[2])
	if !ok {
		return
	}
	s, ok := lookupAs[*store.Set](c, key, true)
	if !ok {
		return
	}
	if s == nil || n == 0 {
		c.W.SetLen(0)
		return
	}
	size := s.Len()
	count := int(min(n, int64(size)))
	c.Dirty += count
	c.Notify(store.NotifySet, "spop", key)
	if count == size {
		setReply(c, s)
		c.DB.Delete(key)
		c.Notify(store.NotifyGeneric, "del", key)
		c.Propagate([]byte("DEL"), key)
		c.Touch(key)
		return
	}
	c.W.SetLen(count)
	srem := []byte("SREM")
	remaining := size - count
	if remaining*spopMoveStrategyMul > count {
		for range count {
			m := s.Random(c.Rand)
			s.Remove([]byte(m))
			c.W.BulkString(m)
			c.Propagate(srem, key, []byte(m))
		}
	} else {
		// Move the survivors to a new set and return what is left, which
		// is cheaper when most of the set goes.
		kept := store.NewSet()
		for range remaining {
			m := []byte(s.Random(c.Rand))
			kept.Add(m, c.Store.Limits)
			s.Remove(m)
		}
		s.Each(func(m string) bool {
			c.W.BulkString(m)
			c.Propagate(srem, key, []byte(m))
			return true
		})
		c.DB.SetKeepTTL(key, kept)
	}
	c.Touch(key)
}

// srandSubStrategyMul is Redis's SRANDMEMBER_SUB_STRATEGY_MUL.
const srandSubStrategyMul = 3

func srandmemberCmd(c *Ctx) {
	if len(c.Args) > 3 {
		c.Error(ErrSyntax)
		return
	}
	if len(c.Args) == 3 {
		srandmemberCount(c)
		return
	}
	s, ok := lookupOrReply[*store.Set](c, c.Args[1], false, c.W.Null)
	if !ok {
		return
	}
	c.W.BulkString(s.Random(c.Rand))
}

func srandmemberCount(c *Ctx) {
	n, ok := intArg(c, c.Args[2])
	if !ok {
		return
	}
	if n == -1<<63 {
		c.Error(setErrRange)
		return
	}
	s, ok := randSource[*store.Set](c, n)
	if !ok {
		return
	}
	if n < 0 || n == 1 {
		// Repetitions allowed: sample the whole set each time.
		n = max(n, -n)
		c.W.ArrayLen(int(n))
		for range n {
			c.W.BulkString(s.Random(c.Rand))
		}
		return
	}
	size := s.Len()
	if n >= int64(size) {
		c.W.ArrayLen(size)
		s.Each(func(m string) bool { c.W.BulkString(m); return true })
		return
	}
	count := int(n)
	picked := store.NewDict[struct{}](count)
	if count*srandSubStrategyMul > size {
		// Close to the whole set: copy it and drop random members.
		s.Each(func(m string) bool { picked.SetString(m, struct{}{}); return true })
		dropRandom(picked, count, c.Rand)
	} else {
		for picked.Len() < count {
			picked.SetString(s.Random(c.Rand), struct{}{})
		}
	}
	c.W.ArrayLen(count)
	for _, m := range picked.Keys() {
		c.W.BulkString(m)
	}
}

// randSource is the value the count form of SRANDMEMBER, HRANDFIELD or
// ZRANDMEMBER samples: key's T, or ok false once replied to (WRONGTYPE, or
// the empty array for a missing key and for a count of 0).
func randSource[T store.Value](c *Ctx, count int64) (T, bool) {
	v, ok := lookupOrReply[T](c, c.Args[1], false, c.replyEmptyArray)
	if ok && count == 0 {
		c.W.ArrayLen(0)
		ok = false
	}
	return v, ok
}

// dropRandom deletes random entries from d until count are left: the
// third case of SRANDMEMBER's, HRANDFIELD's and ZRANDMEMBER's count
// commands, for a count close to the whole value, which they copy into d.
func dropRandom[V any](d *store.Dict[V], count int, r *rand.Rand) {
	for d.Len() > count {
		k, _, _ := d.Random(r)
		d.DeleteString(k)
	}
}

// setErrRange is what Redis 7.0.15 replies to a count of LLONG_MIN, whose
// absolute value does not fit (SRANDMEMBER, ZRANDMEMBER).
const setErrRange = "ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807"

// setSources looks up the sets named by keys (nil for a missing key); ok is
// false after a WRONGTYPE error.
func setSources(c *Ctx, keys [][]byte) (sets []*store.Set, ok bool) {
	sets = make([]*store.Set, len(keys))
	for i, k := range keys {
		if sets[i], ok = lookupAs[*store.Set](c, k, false); !ok {
			return nil, false
		}
	}
	return sets, true
}

// setInter visits the members of the intersection of sets, iterating the
// smallest as Redis does, until fn returns false. A nil set is empty.
func setInter(sets []*store.Set, fn func(m string) bool) {
	for _, s := range sets {
		if s == nil {
			return
		}
	}
	sorted := slices.Clone(sets)
	slices.SortStableFunc(sorted, func(a, b *store.Set) int { return a.Len() - b.Len() })
	sorted[0].Each(func(m string) bool {
		for _, o := range sorted[1:] {
			if o != sorted[0] && !o.Has([]byte(m)) {
				return true
			}
		}
		return fn(m)
	})
}

func sinterCmd(c *Ctx) {
	sets, ok := setSources(c, c.Args[1:])
	if !ok {
		return
	}
	var members []string
	setInter(sets, func(m string) bool { members = append(members, m); return true })
	c.W.SetLen(len(members))
	for _, m := range members {
		c.W.BulkString(m)
	}
}

func sintercardCmd(c *Ctx) {
	numkeys, limit, ok := setParseCard(c)
	if !ok {
		return
	}
	sets, ok := setSources(c, c.Args[2:2+numkeys])
	if !ok {
		return
	}
	n := int64(0)
	setInter(sets, func(string) bool {
		n++
		return limit == 0 || n < limit
	})
	c.W.Int(n)
}

// setParseCard parses SINTERCARD's numkeys and LIMIT, as ZINTERCARD's.
func setParseCard(c *Ctx) (numkeys int, limit int64, ok bool) {
	nk, ok := cstr.String2ll(c.Args[1])
	if !ok || nk < 1 {
		c.Error(errNumkeys)
		return 0, 0, false
	}
	if nk > int64(len(c.Args)-2) {
		c.Error(errNumkeysArgs)
		return 0, 0, false
	}
	numkeys = int(nk)
	for j := 2 + numkeys; j < len(c.Args); j++ {
		if !EqualFold(c.Args[j], "limit") || j == len(c.Args)-1 {
			c.Error(ErrSyntax)
			return 0, 0, false
		}
		j++
		l, ok := cstr.String2ll(c.Args[j])
		if !ok || l < 0 {
			c.Error(errLimitNegative)
			return 0, 0, false
		}
		limit = l
	}
	return numkeys, limit, true
}

func sinterstoreCmd(c *Ctx) {
	sets, ok := setSources(c, c.Args[2:])
	if !ok {
		return
	}
	dst := store.NewSet()
	setInter(sets, func(m string) bool { dst.Add([]byte(m), c.Store.Limits); return true })
	storeResult(c, c.Args[1], dst, store.NotifySet, "sinterstore")
}

// storeResult writes dst, a SINTERSTORE, ZUNIONSTORE, ZRANGESTORE...
// result, to key as an event of class, or deletes the destination when the
// result is empty, and replies with its size.
func storeResult(c *Ctx, key []byte, dst interface {
	store.Value
	Len() int
}, class int, event string) {
	if dst.Len() == 0 {
		c.W.Int(0)
		if c.DB.Delete(key) {
			c.Dirty++
			c.Touch(key)
			c.Notify(store.NotifyGeneric, "del", key)
		}
		return
	}
	c.DB.Set(key, dst)
	c.Touch(key)
	c.Dirty++
	c.Notify(class, event, key)
	c.W.Int(int64(dst.Len()))
}

// setUnionDiff computes SUNION (diff false) or SDIFF into a new set.
func setUnionDiff(c *Ctx, keys [][]byte, diff bool) (*store.Set, bool) {
	sets, ok := setSources(c, keys)
	if !ok {
		return nil, false
	}
	dst := store.NewSet()
	if !diff {
		for _, s := range sets {
			if s != nil {
				s.Each(func(m string) bool { dst.Add([]byte(m), c.Store.Limits); return true })
			}
		}
		return dst, true
	}
	if sets[0] == nil || slices.Contains(sets[1:], sets[0]) {
		return dst, true
	}
	sets[0].Each(func(m string) bool {
		for _, o := range sets[1:] {
			if o != nil && o.Has([]byte(m)) {
				return true
			}
		}
		dst.Add([]byte(m), c.Store.Limits)
		return true
	})
	return dst, true
}

func sunionCmd(c *Ctx) { setUnionDiffReply(c, false) }
func sdiffCmd(c *Ctx)  { setUnionDiffReply(c, true) }

func setUnionDiffReply(c *Ctx, diff bool) {
	if dst, ok := setUnionDiff(c, c.Args[1:], diff); ok {
		setReply(c, dst)
	}
}

func sunionstoreCmd(c *Ctx) { setUnionDiffStore(c, false) }
func sdiffstoreCmd(c *Ctx)  { setUnionDiffStore(c, true) }

func setUnionDiffStore(c *Ctx, diff bool) {
	if dst, ok := setUnionDiff(c, c.Args[2:], diff); ok {
		event := "sunionstore"
		if diff {
			event = "sdiffstore"
		}
		storeResult(c, c.Args[1], dst, store.NotifySet, event)
	}
}

func smoveCmd(c *Ctx) {
	srcKey, dstKey, m := c.Args[1], c.Args[2], c.Args[3]
	srcV := c.DB.GetForWrite(srcKey)
	dstV := c.DB.GetForWrite(dstKey)
	if srcV == nil {
		c.W.Int(0)
		return
	}
	src, ok := srcV.(*store.Set)
	if !ok {
		c.Error(ErrWrongType)
		return
	}
	var dst *store.Set
	if dstV != nil {
		if dst, ok = dstV.(*store.Set); !ok {
			c.Error(ErrWrongType)
			return
		}
	}
	if src == dst {
		c.W.Int(setBool(src.Has(m)))
		return
	}
	if !src.Remove(m) {
		c.W.Int(0)
		return
	}
	c.Notify(store.NotifySet, "srem", srcKey)
	if src.Len() == 0 {
		c.DB.Delete(srcKey)
		c.Notify(store.NotifyGeneric, "del", srcKey)
	}
	if dst == nil {
		dst = store.NewSet()
		c.DB.Set(dstKey, dst)
	}
	c.Touch(srcKey)
	c.Dirty++
	if dst.Add(m, c.Store.Limits) {
		c.Dirty++
		c.Touch(dstKey)
		c.Notify(store.NotifySet, "sadd", dstKey)
	}
	c.W.Int(1)
}

func sscanCmd(c *Ctx) {
	scanValue(c, func(s *store.Set, cursor uint64, opt scanOptions) (next uint64, out []string) {
		next = s.Scan(cursor, opt.count, func(m string) {
			if opt.match(m) {
				out = append(out, m)
			}
		})
		return next, out
	})
}

// scanValue is SSCAN, HSCAN and ZSCAN (scanGenericCommand over a key):
// the cursor, the key's T (a missing key: an empty scan), the options,
// then scan's elements (already matched) under the next cursor.
func scanValue[T interface {
	store.Value
	comparable
}, E string | []byte](c *Ctx, scan func(v T, cursor uint64, opt scanOptions) (uint64, []E)) {
	cursor, ok := parseScanCursor(c, c.Args[2])
	if !ok {
		return
	}
	v, ok := lookupAs[T](c, c.Args[1], false)
	if !ok {
		return
	}
	var none T
	if v == none {
		scanEmptyReply(c)
		return
	}
	opt, ok := scanParseOptions(c, 3)
	if !ok {
		return
	}
	next, out := scan(v, cursor, opt)
	c.W.ArrayLen(2)
	c.W.BulkString(strconv.FormatUint(next, 10))
	c.W.ArrayLen(len(out))
	switch out := any(out).(type) {
	case []string:
		for _, e := range out {
			c.W.BulkString(e)
		}
	case [][]byte:
		for _, e := range out {
			c.W.Bulk(e)
		}
	}
}

// scanOptions are the COUNT and MATCH options of SSCAN and ZSCAN.
type scanOptions struct {
	count   int
	pattern []byte // nil: everything matches
}

func (o *scanOptions) match(s string) bool {
	return o.pattern == nil || cstr.Glob(string(o.pattern), s, false)
}

// scanParseOptions parses the options from Args[i] on, as Redis's
// scanGenericCommand does (after the key was found).
func scanParseOptions(c *Ctx, i int) (scanOptions, bool) {
	opt := scanOptions{count: 10}
	for ; i < len(c.Args); i += 2 {
		if i+1 >= len(c.Args) {
			c.Error(ErrSyntax)
			return opt, false
		}
		switch {
		case EqualFold(c.Args[i], "count"):
			n, ok := intArg(c, c.Args[i+1])
			if !ok {
				return opt, false
			}
			if n < 1 {
				c.Error(ErrSyntax)
				return opt, false
			}
			opt.count = int(min(n, 1<<31-1))
		case EqualFold(c.Args[i], "match"):
			p := c.Args[i+1]
			if len(p) == 1 && p[0] == '*' {
				opt.pattern = nil
			} else {
				opt.pattern = p
			}
		default:
			c.Error(ErrSyntax)
			return opt, false
		}
	}
	return opt, true
}

// scanParseCursor parses a SCAN cursor as Redis's strtoul-based
// parseScanCursorOrReply does: an empty cursor is 0, a sign is allowed and
// a negative one wraps around.
func scanParseCursor(b []byte) (uint64, bool) {
	b = cstr.UntilNUL(b) // strtoul reads a C string
	if len(b) == 0 {
		return 0, true
	}
	if b[0] == ' ' || b[0] == '\t' || b[0] == '\n' || b[0] == '\r' || b[0] == '\v' || b[0] == '\f' {
		return 0, false
	}
	neg := false
	p := b
	switch p[0] {
	case '-':
		neg = true
		p = p[1:]
	case '+':
		p = p[1:]
	}
	v, err := strconv.ParseUint(string(p), 10, 64)
	if err != nil {
		return 0, false
	}
	if neg {
		v = -v
	}
	return v, true
}

// scanEmptyReply is the reply to a scan of a missing key.
func scanEmptyReply(c *Ctx) {
	c.W.ArrayLen(2)
	c.W.BulkString("0")
	c.W.ArrayLen(0)
}

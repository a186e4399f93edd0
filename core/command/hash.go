package command

import (
	"math"
	"slices"
	"strconv"

	"github.com/syncscope/syncscope/core/cstr"
	"github.com/syncscope/syncscope/core/store"
)

// Errors of the hash commands, worded as Redis 7.0 words them.
const (
	errHashNotInt     = "ERR hash value is not an integer"
	errHashNotFloat   = "ERR hash value is not a float"
	errHashIncrNaN    = "ERR value is NaN or Infinity"
	errHashResultNaN  = "ERR increment would produce NaN or Infinity"
	errHashCountRange = "ERR value is out of range"
)

var wordHSET = []byte("HSET")

// hsetCmd is HSET (replies with the number of fields added) and HMSET
// (replies OK).
func hsetCmd(name string) func(*Ctx) {
	return func(c *Ctx) {
		if len(c.Args)%2 == 1 {
			c.Error("ERR wrong number of arguments for '" + name + "' command")
			return
		}
		key := c.Args[1]
		h, ok := lookupOrCreate(c, key, store.NewHash)
		if !ok {
			return
		}
		added := 0
		for j := 2; j < len(c.Args); j += 2 {
			if h.Set(c.Args[j], c.Args[j+1], c.Store.Limits) {
				added++
			}
		}
		if name == "hset" {
			c.W.Int(int64(added))
		} else {
			c.W.SimpleString("OK")
		}
		c.Touch(key)
		c.Dirty += (len(c.Args) - 2) / 2
		c.Notify(store.NotifyHash, "hset", key)
	}
}

func hsetnxCmd(c *Ctx) {
	key := c.Args[1]
	h, ok := lookupOrCreate(c, key, store.NewHash)
	if !ok {
		return
	}
	if h.Has(c.Args[2]) {
		c.W.Int(0)
		return
	}
	h.Set(c.Args[2], c.Args[3], c.Store.Limits)
	c.W.Int(1)
	c.Touch(key)
	c.Dirty++
	c.Notify(store.NotifyHash, "hset", key)
}

// hashValue replies with field's value in h, null when either is missing
// (HGET, HMGET).
func hashValue(c *Ctx, h *store.Hash, field []byte) {
	if h != nil {
		if v, ok := h.Get(field); ok {
			c.W.Bulk(v)
			return
		}
	}
	c.W.Null()
}

// hashHas replies 1 when h has field (HEXISTS).
func hashHas(c *Ctx, h *store.Hash, field []byte) {
	c.W.Int(setBool(h != nil && h.Has(field)))
}

func hstrlenCmd(c *Ctx) {
	h, ok := lookupAs[*store.Hash](c, c.Args[1], false)
	if !ok {
		return
	}
	var v []byte
	if h != nil {
		v, _ = h.Get(c.Args[2])
	}
	c.W.Int(int64(len(v)))
}

// hgetallCmd is HKEYS (fields), HVALS (values) and HGETALL (both, a map in
// RESP3).
func hgetallCmd(fields, values bool) func(*Ctx) {
	both := fields && values
	return func(c *Ctx) {
		h, ok := lookupAs[*store.Hash](c, c.Args[1], false)
		if !ok {
			return
		}
		n := 0
		if h != nil {
			n = h.Len()
		}
		if both {
			c.W.MapLen(n)
		} else {
			c.W.ArrayLen(n)
		}
		if h == nil {
			return
		}
		h.Each(func(f string, v []byte) bool {
			if fields {
				c.W.BulkString(f)
			}
			if values {
				c.W.Bulk(v)
			}
			return true
		})
	}
}

func hincrbyCmd(c *Ctx) {
	incr, ok := intArg(c, c.Args[3])
	if !ok {
		return
	}
	key, field := c.Args[1], c.Args[2]
	h, ok := lookupOrCreate(c, key, store.NewHash)
	if !ok {
		return
	}
	var old int64
	if cur, found := h.Get(field); found {
		if old, ok = cstr.String2ll(cur); !ok {
			c.Error(errHashNotInt)
			return
		}
	}
	if (incr < 0 && old < 0 && incr < math.MinInt64-old) || (incr > 0 && old > 0 && incr > math.MaxInt64-old) {
		c.Error(ErrOverflow)
		return
	}
	var buf [20]byte
	h.Set(field, strconv.AppendInt(buf[:0], old+incr, 10), c.Store.Limits)
	c.W.Int(old + incr)
	c.Touch(key)
	c.Dirty++
	c.Notify(store.NotifyHash, "hincrby", key)
}

// hincrbyfloatCmd adds in long double precision, as Redis does, and
// replicates the result as HSET so replicas never redo float arithmetic.
func hincrbyfloatCmd(c *Ctx) {
	incr, ok := parseLongDouble(c.Args[3])
	if !ok {
		c.Error(ErrNotFloat)
		return
	}
	if incr.inf {
		c.Error(errHashIncrNaN)
		return
	}
	key, field := c.Args[1], c.Args[2]
	h, ok := lookupOrCreate(c, key, store.NewHash)
	if !ok {
		return
	}
	cur, found := h.Get(field)
	sum, ok := incrLongDouble(c, cur, found, c.Args[3], errHashNotFloat, errHashResultNaN)
	if !ok {
		return
	}
	h.Set(field, sum, c.Store.Limits)
	c.W.Bulk(sum)
	c.Touch(key)
	c.Dirty++
	c.Notify(store.NotifyHash, "hincrbyfloat", key)
	c.Propagate(wordHSET, key, field, sum)
}

// hrandSubStrategyMul is Redis's HRANDFIELD_SUB_STRATEGY_MUL.
const hrandSubStrategyMul = 3

func hrandfieldCmd(c *Ctx) {
	if len(c.Args) == 2 {
		h, ok := lookupOrReply[*store.Hash](c, c.Args[1], false, c.W.Null)
		if !ok {
			return
		}
		f, _ := h.At(c.Rand.IntN(h.Len()))
		c.W.BulkString(f)
		return
	}
	if l, ok := randCount(c, "withvalues"); ok {
		hrandfieldCount(c, l, len(c.Args) == 4)
	}
}

// randCount reads the count of HRANDFIELD and ZRANDMEMBER key count
// [with] (with: "withvalues" or "withscores") and replies to a bad one,
// as Redis checks it.
func randCount(c *Ctx, with string) (int64, bool) {
	l, ok := cstr.String2ll(c.Args[2])
	switch {
	case !ok:
		c.Error(ErrNotInt)
	case l == math.MinInt64:
		c.Error(setErrRange)
	case len(c.Args) > 4 || (len(c.Args) == 4 && !EqualFold(c.Args[3], with)):
		c.Error(ErrSyntax)
	case len(c.Args) == 4 && (l < -math.MaxInt64/2 || l > math.MaxInt64/2):
		// Redis refuses a count whose reply (two elements each) would not fit a long.
		c.Error(errHashCountRange)
	default:
		return l, true
	}
	return 0, false
}

// hrandfieldCount is HRANDFIELD key count [WITHVALUES], following the cases
// of Redis's hrandfieldWithCountCommand: repetitions for a negative count,
// the whole hash when count covers it, else distinct random fields.
func hrandfieldCount(c *Ctx, l int64, withValues bool) {
	h, ok := randSource[*store.Hash](c, l)
	if !ok {
		return
	}
	resp3 := c.W.Proto == 3
	replyLen := func(n int) { pairsLen(c.W, n, withValues) }
	reply := func(f string, v []byte) {
		if withValues && resp3 {
			c.W.ArrayLen(2)
		}
		c.W.BulkString(f)
		if withValues {
			c.W.Bulk(v)
		}
	}
	size := h.Len()
	if l < 0 || l == 1 {
		// Repetitions allowed: sample the whole hash each time.
		n := max(l, -l)
		replyLen(int(n))
		for range n {
			reply(h.At(c.Rand.IntN(size)))
		}
		return
	}
	if l >= int64(size) {
		replyLen(size)
		h.Each(func(f string, v []byte) bool { reply(f, v); return true })
		return
	}
	count := int(l)
	replyLen(count)
	switch {
	case count*hrandSubStrategyMul > size:
		// Close to the whole hash: copy it and drop random fields.
		picked := store.NewDict[[]byte](size)
		h.Each(func(f string, v []byte) bool { picked.SetString(f, v); return true })
		dropRandom(picked, count, c.Rand)
		for i := range picked.Len() {
			reply(picked.At(i))
		}
	case h.Encoding() == "listpack":
		// Distinct positions, replied in listpack order as
		// lpRandomPairsUnique does.
		idx := make([]int, 0, count)
		seen := make(map[int]bool, count)
		for len(idx) < count {
			if i := c.Rand.IntN(size); !seen[i] {
				seen[i] = true
				idx = append(idx, i)
			}
		}
		slices.Sort(idx)
		for _, i := range idx {
			reply(h.At(i))
		}
	default:
		// Distinct fields in the order they were drawn.
		seen := store.NewDict[struct{}](count)
		for seen.Len() < count {
			f, v := h.At(c.Rand.IntN(size))
			if !seen.Has([]byte(f)) {
				seen.SetString(f, struct{}{})
				reply(f, v)
			}
		}
	}
}

func hscanCmd(c *Ctx) {
	scanValue(c, func(h *store.Hash, cursor uint64, opt scanOptions) (next uint64, out [][]byte) {
		next = h.Scan(cursor, opt.count, func(f string, v []byte) {
			if opt.match(f) {
				out = append(out, []byte(f), v)
			}
		})
		return next, out
	})
}

package command

import (
	"bytes"
	"math"
	"strconv"

	"github.com/syncscope/syncscope/core/store"
)

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
		if z, ok = lookupAs[*store.ZSet](c, k, true); !ok {
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
			n, ok := positiveCount(c, c.Args[2])
			if !ok {
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
	// getTimeoutFromObjectOrReply: string2ld, then (long long)ceill(t*1000),
	// which is LLONG_MIN on x86 when it does not fit: "negative".
	f, ok := parseLongDouble(b)
	if !ok {
		c.Error(errZTimeoutNaN)
		return 0, false
	}
	ms := f.mulInt(1000)
	t, acc := ms.int64()
	if acc < 0 && t != math.MaxInt64 {
		t++ // ceil
	}
	if ms.inf || acc != 0 && (t == math.MaxInt64 || t == math.MinInt64) || t < 0 {
		c.Error(errZTimeoutNeg)
		return 0, false
	}
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
		z, ok := lookupAs[*store.ZSet](c, k, true)
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

// zmpopCmd is ZMPOP numkeys key... MIN|MAX [COUNT n] and, blocking, BZMPOP,
// which has the timeout first.
func zmpopCmd(blocking bool) func(*Ctx) {
	return func(c *Ctx) {
		a, ok := parseMPop(c, blocking, "min", "max", errZCount)
		if !ok {
			return
		}
		max := !a.isFirst
		shape := zpopShape{emitKey: true, nested: true, nilWhenEmpty: true}
		if blocking {
			zsetBlockingPop(c, a.keys, max, a.timeout, a.count, shape)
			return
		}
		if key, n := zsetPop(c, a.keys, max, a.count, shape); n > 0 {
			c.Propagate(zsetPopName(max), key, []byte(strconv.Itoa(n)))
		}
	}
}

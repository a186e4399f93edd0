package command

import (
	"github.com/syncscope/syncscope/core/hll"
	"github.com/syncscope/syncscope/core/store"
)

// HyperLogLog errors, worded as hyperloglog.c words them.
const (
	errHLLType    = "WRONGTYPE Key is not a valid HyperLogLog string value."
	errHLLCorrupt = "INVALIDOBJ Corrupted HLL object detected"
)

// hllValue returns v as a HyperLogLog string (isHLLObjectOrReply), replying
// WRONGTYPE when it is another type or a string that is no HLL.
func hllValue(c *Ctx, v store.Value) (*store.String, bool) {
	s, ok := v.(*store.String)
	if !ok {
		c.Error(ErrWrongType)
		return nil, false
	}
	if !hll.Valid(s.B) {
		c.Error(errHLLType)
		return nil, false
	}
	return s, true
}

// hllOf is s as the hll package reads it: its bytes and the byte past them.
func hllOf(s *store.String) hll.Value { return hll.Value{B: s.B, Tail: s.Tail()} }

// hllStore writes v back into s.
func hllStore(s *store.String, v hll.Value) {
	s.B = v.B
	s.SetTail(v.Tail)
}

// hllUnshare returns key's HLL, just looked up and checked, ready to be
// changed in place: copied if a snapshot shares it, and raw-encoded, as
// dbUnshareStringValue leaves it.
func hllUnshare(c *Ctx, key []byte) *store.String {
	s := c.DB.Unshare(key).(*store.String)
	s.MarkRaw()
	return s
}

// hllUnion raises max's registers to those of each key's HLL (a missing key
// is an empty HLL) and reports whether any of them is dense; it replies and
// reports false at the first key that is no HLL or a corrupt one.
func hllUnion(c *Ctx, keys [][]byte, max *[hll.Registers]uint8) (dense, ok bool) {
	for _, key := range keys {
		v := c.DB.Get(key)
		if v == nil {
			continue
		}
		s, ok := hllValue(c, v)
		if !ok {
			return false, false
		}
		dense = dense || hll.IsDense(s.B)
		if !hll.Merge(max, hllOf(s)) {
			c.Error(errHLLCorrupt)
			return false, false
		}
	}
	return dense, true
}

func pfaddCmd(c *Ctx) {
	key := c.Args[1]
	v := c.DB.GetForWrite(key)
	updated := 0
	var s *store.String
	if v == nil {
		s = store.NewRawString(hll.New())
		c.DB.Set(key, s)
		updated++
	} else {
		var ok bool
		if s, ok = hllValue(c, v); !ok {
			return
		}
		s.MarkRaw()
	}
	sparseMax := c.Store.Limits.HLLSparseMaxBytes
	h := hllOf(s)
	for _, ele := range c.Args[2:] {
		switch h.Add(ele, sparseMax) {
		case 1:
			updated++
		case -1:
			hllStore(s, h) // what the elements before it changed stays
			c.Error(errHLLCorrupt)
			return
		}
	}
	hllStore(s, h)
	if updated > 0 {
		c.Touch(key)
		c.Notify(store.NotifyString, "pfadd", key)
		c.Dirty += updated
		hll.Invalidate(s.B)
		c.W.Raw(one)
		return
	}
	c.W.Raw(zero)
}

// pfcountCmd answers one key from its cached cardinality, computing and
// storing it when stale: the change to the string is a write (the key is
// signalled and the command propagated), made even on a read-only replica.
// Several keys answer the cardinality of their union and change nothing.
func pfcountCmd(c *Ctx) {
	if len(c.Args) > 2 {
		var max [hll.Registers]uint8
		if _, ok := hllUnion(c, c.Args[1:], &max); ok {
			c.W.Int(int64(hll.CountRegisters(&max)))
		}
		return
	}
	key := c.Args[1]
	v := c.DB.Get(key)
	if v == nil {
		c.W.Raw(zero)
		return
	}
	if _, ok := hllValue(c, v); !ok {
		return
	}
	s := hllUnshare(c, key)
	card, ok := hll.Cached(s.B)
	if !ok {
		if card, ok = hll.Count(hllOf(s)); !ok {
			c.Error(errHLLCorrupt)
			return
		}
		hll.SetCached(s.B, card)
		c.Touch(key)
		c.Dirty++
	}
	c.W.Int(int64(card))
}

func pfmergeCmd(c *Ctx) {
	var max [hll.Registers]uint8
	dense, ok := hllUnion(c, c.Args[1:], &max)
	if !ok {
		return
	}
	key := c.Args[1]
	var s *store.String
	if v := c.DB.GetForWrite(key); v == nil {
		s = store.NewRawString(hll.New())
		c.DB.Set(key, s)
	} else {
		// Checked above as the first source.
		s = v.(*store.String)
		s.MarkRaw()
	}
	v := hllOf(s)
	if dense {
		d, ok := hll.ToDense(v)
		if !ok {
			c.Error(errHLLCorrupt)
			return
		}
		v = hll.Value{B: d}
	}
	v.MergeFrom(&max, c.Store.Limits.HLLSparseMaxBytes)
	hllStore(s, v)
	hll.Invalidate(s.B)
	c.Touch(key)
	// A merge is a mass add: Redis notifies it as pfadd.
	c.Notify(store.NotifyString, "pfadd", key)
	c.Dirty++
	c.W.SimpleString("OK")
}

// pfdebugCmd is PFDEBUG GETREG|DECODE|ENCODING|TODENSE key. GETREG and
// TODENSE convert a sparse value to dense, a change that is propagated.
func pfdebugCmd(c *Ctx) {
	key := c.Args[2]
	v := c.DB.GetForWrite(key)
	if v == nil {
		c.Error("ERR The specified key does not exist")
		return
	}
	s, ok := hllValue(c, v)
	if !ok {
		return
	}
	s.MarkRaw()
	sub := c.Args[1]
	switch {
	case EqualFold(sub, "getreg"):
		if !pfdebugToDense(c, s) {
			return
		}
		regs := hll.RegisterValues(s.B)
		c.W.ArrayLen(len(regs))
		for _, r := range regs {
			c.W.Int(int64(r))
		}
	case EqualFold(sub, "decode"):
		if hll.IsDense(s.B) {
			c.Error("ERR HLL encoding is not sparse")
			return
		}
		c.W.Bulk(hll.Decode(hllOf(s)))
	case EqualFold(sub, "encoding"):
		if hll.IsDense(s.B) {
			c.W.SimpleString("dense")
		} else {
			c.W.SimpleString("sparse")
		}
	case EqualFold(sub, "todense"):
		wasSparse := !hll.IsDense(s.B)
		if !pfdebugToDense(c, s) {
			return
		}
		if wasSparse {
			c.W.Raw(one)
		} else {
			c.W.Raw(zero)
		}
	default:
		c.Error("ERR Unknown PFDEBUG subcommand '" + string(sub) + "'")
	}
}

// pfdebugToDense converts s to dense if it is sparse, counting the change
// so it is propagated; it replies and reports false when s is corrupt.
func pfdebugToDense(c *Ctx, s *store.String) bool {
	if hll.IsDense(s.B) {
		return true
	}
	d, ok := hll.ToDense(hllOf(s))
	if !ok {
		c.Error(errHLLCorrupt)
		return false
	}
	hllStore(s, hll.Value{B: d})
	c.Dirty++
	return true
}

func pfselftestCmd(c *Ctx) {
	if err := hll.SelfTest(c.Rand, c.Store.Limits.HLLSparseMaxBytes); err != nil {
		c.Error("ERR " + err.Error())
		return
	}
	c.W.SimpleString("OK")
}

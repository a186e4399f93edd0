package command

import (
	"math"

	"github.com/syncscope/syncscope/core/cstr"
	"github.com/syncscope/syncscope/core/store"
)

// BITFIELD's operations and overflow behaviours.
const (
	bfGet = iota
	bfSet
	bfIncrBy
)

// OVERFLOW's behaviours, in the order bitfieldCmd names them.
const (
	bfWrap = iota
	bfSat
	bfFail
)

// bfOp is one GET, SET or INCRBY of a BITFIELD command.
type bfOp struct {
	offset   uint64
	value    int64 // SET's value or INCRBY's increment
	opcode   int
	overflow int
	width    int
	signed   bool
}

func bitfieldCmd(c *Ctx)   { bitfield(c, false) }
func bitfieldRoCmd(c *Ctx) { bitfield(c, true) }

// bitfield is bitfieldGeneric: it parses every operation first (any error
// leaves the key untouched), then runs them in order. Only an operation
// that changes the string (or the creation or growth of the key) makes the
// command dirty, so a BITFIELD that writes nothing is not propagated.
func bitfield(c *Ctx, readOnly bool) {
	var buf [8]bfOp
	ops := buf[:0]
	overflow := bfWrap
	writes := false
	var highest uint64 // the last bit a SET or INCRBY reaches
	for j := 2; j < len(c.Args); j++ {
		left := len(c.Args) - j - 1
		sub := c.Args[j]
		var op bfOp
		switch {
		case cEqualFold(sub, "get") && left >= 2:
			op.opcode = bfGet
		case cEqualFold(sub, "set") && left >= 3:
			op.opcode = bfSet
		case cEqualFold(sub, "incrby") && left >= 3:
			op.opcode = bfIncrBy
		case cEqualFold(sub, "overflow") && left >= 1:
			j++
			if overflow = oneOf(cstr.UntilNUL(c.Args[j]), "wrap", "sat", "fail"); overflow < 0 {
				c.Error(errOverflowType)
				return
			}
			continue
		default:
			c.Error(ErrSyntax)
			return
		}
		var ok bool
		if op.signed, op.width, ok = bitfieldType(c.Args[j+1]); !ok {
			c.Error(errBitfieldType)
			return
		}
		if op.offset, ok = bitOffset(c, c.Args[j+2], true, op.width); !ok {
			return
		}
		if op.opcode != bfGet {
			writes = true
			highest = max(highest, op.offset+uint64(op.width)-1)
			if op.value, ok = cstr.String2ll(c.Args[j+3]); !ok {
				c.Error(ErrNotInt)
				return
			}
			j++
		}
		op.overflow = overflow
		ops = append(ops, op)
		j += 2
	}

	key := c.Args[1]
	var s *store.String
	grown, ok := false, false
	if !writes {
		if s, ok = lookupAs[*store.String](c, key, false); !ok {
			return
		}
	} else {
		if readOnly {
			c.Error(errBitfieldRO)
			return
		}
		if s, grown, ok = stringForBits(c, key, highest); !ok {
			return
		}
	}

	c.W.ArrayLen(len(ops))
	changes := 0
	for i := range ops {
		op := &ops[i]
		if op.opcode == bfGet {
			var p []byte
			if s != nil {
				p = s.B
			}
			if op.signed {
				c.W.Int(getSigned(p, op.offset, op.width))
			} else {
				c.W.Int(int64(getUnsigned(p, op.offset, op.width)))
			}
			continue
		}
		var old, next, reply uint64
		var over bool
		if op.signed {
			o := getSigned(s.B, op.offset, op.width)
			var n int64
			if op.opcode == bfIncrBy {
				lim, ov := signedOverflow(o, op.value, op.width, op.overflow)
				n = o + op.value
				if ov != 0 {
					n = lim
				}
				over, reply = ov != 0, uint64(n)
			} else {
				lim, ov := signedOverflow(op.value, 0, op.width, op.overflow)
				n = op.value
				if ov != 0 {
					n = lim
				}
				over, reply = ov != 0, uint64(o)
			}
			old, next = uint64(o), uint64(n)
		} else {
			old = getUnsigned(s.B, op.offset, op.width)
			var ov int
			var lim uint64
			if op.opcode == bfIncrBy {
				lim, ov = unsignedOverflow(old, op.value, op.width, op.overflow)
				next = old + uint64(op.value)
				if ov != 0 {
					next = lim
				}
				reply = next
			} else {
				lim, ov = unsignedOverflow(uint64(op.value), 0, op.width, op.overflow)
				next = uint64(op.value)
				if ov != 0 {
					next = lim
				}
				reply = old
			}
			over = ov != 0
		}
		if over && op.overflow == bfFail {
			c.W.Null()
			continue
		}
		c.W.Int(int64(reply))
		setBits(s.B, op.offset, op.width, next)
		if grown || old != next {
			changes++
		}
	}
	if changes > 0 {
		c.Touch(key)
		c.Notify(store.NotifyString, "setbit", key)
		c.Dirty += changes
	}
}

// bitfieldType parses i<1-64> or u<1-63> (u64 does not fit RESP's signed
// integers). The width is read up to a NUL byte, as Redis reads it with
// strlen.
func bitfieldType(arg []byte) (signed bool, width int, ok bool) {
	if len(arg) == 0 || (arg[0] != 'i' && arg[0] != 'u') {
		return false, 0, false
	}
	signed = arg[0] == 'i'
	digits := arg[1:]
	for i, ch := range digits {
		if ch == 0 {
			digits = digits[:i]
			break
		}
	}
	n, ok := cstr.String2ll(digits)
	if !ok || n < 1 || (signed && n > 64) || (!signed && n > 63) {
		return false, 0, false
	}
	return signed, int(n), true
}

// getUnsigned reads width bits at bit offset of p, bits past its end as 0.
func getUnsigned(p []byte, offset uint64, width int) uint64 {
	var v uint64
	for j := 0; j < width; j++ {
		i := offset >> 3
		var b uint64
		if i < uint64(len(p)) {
			b = uint64(p[i]>>(7-offset&7)) & 1
		}
		v = v<<1 | b
		offset++
	}
	return v
}

// getSigned reads a two's complement integer of width bits.
func getSigned(p []byte, offset uint64, width int) int64 {
	v := getUnsigned(p, offset, width)
	if width < 64 && v&(1<<(width-1)) != 0 {
		v |= math.MaxUint64 << width
	}
	return int64(v)
}

// setBits writes the low width bits of v at bit offset of p, which is long
// enough.
func setBits(p []byte, offset uint64, width int, v uint64) {
	for j := width - 1; j >= 0; j-- {
		i, mask := offset>>3, byte(0x80)>>(offset&7)
		if v>>j&1 != 0 {
			p[i] |= mask
		} else {
			p[i] &^= mask
		}
		offset++
	}
}

// unsignedOverflow is checkUnsignedBitfieldOverflow: whether value+incr
// fits in width bits (0), overflows (1) or underflows (-1), and for WRAP and
// SAT the value to store instead.
func unsignedOverflow(value uint64, incr int64, width, how int) (limit uint64, ov int) {
	maxv := uint64(1)<<width - 1
	maxIncr := int64(maxv - value)
	minIncr := -int64(value)
	switch {
	case value > maxv || (incr > 0 && incr > maxIncr):
		ov = 1
		limit = maxv
	case incr < 0 && incr < minIncr:
		ov = -1
		limit = 0
	default:
		return 0, 0
	}
	if how == bfWrap {
		limit = (value + uint64(incr)) &^ (math.MaxUint64 << width)
	}
	return limit, ov
}

// signedOverflow is checkSignedBitfieldOverflow. Its arithmetic wraps as the
// C code's does: maxIncr and minIncr are only trusted once value is known
// to be in range.
func signedOverflow(value, incr int64, width, how int) (limit int64, ov int) {
	maxv := int64(math.MaxInt64)
	if width < 64 {
		maxv = 1<<(width-1) - 1
	}
	minv := -maxv - 1
	maxIncr := int64(uint64(maxv) - uint64(value))
	minIncr := minv - value
	switch {
	case value > maxv || (width != 64 && incr > maxIncr) || (value >= 0 && incr > 0 && incr > maxIncr):
		ov, limit = 1, maxv
	case value < minv || (width != 64 && incr < minIncr) || (value < 0 && incr < 0 && incr < minIncr):
		ov, limit = -1, minv
	default:
		return 0, 0
	}
	if how == bfWrap {
		v := uint64(value) + uint64(incr)
		if width < 64 {
			mask := uint64(math.MaxUint64) << width
			if v&(1<<(width-1)) != 0 {
				v |= mask
			} else {
				v &^= mask
			}
		}
		limit = int64(v)
	}
	return limit, ov
}

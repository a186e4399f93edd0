package hll

import "strconv"

// Decode renders a sparse value's opcodes as PFDEBUG DECODE does:
// "z:<run>" for ZERO, "Z:<run>" for XZERO, "v:<value>,<run>" for VAL,
// separated by spaces.
func Decode(v Value) []byte {
	b := v.B
	var out []byte
	for p := HeaderSize; p < len(b); {
		run, val, size := op(b, p, v.Tail)
		switch {
		case val != 0:
			out = append(out, "v:"...)
			out = strconv.AppendInt(out, int64(val), 10)
			out = append(out, ',')
		case size == 2:
			out = append(out, "Z:"...)
		default:
			out = append(out, "z:"...)
		}
		out = strconv.AppendInt(out, int64(run), 10)
		out = append(out, ' ')
		p += size
	}
	if len(out) > 0 {
		out = out[:len(out)-1]
	}
	return out
}

// RegisterValues returns a dense value's registers, one per element (PFDEBUG
// GETREG after its conversion to dense).
func RegisterValues(b []byte) []uint8 {
	out := make([]uint8, Registers)
	regs := b[HeaderSize:DenseSize]
	for i := range out {
		out[i] = denseGet(regs, i)
	}
	return out
}

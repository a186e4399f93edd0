package lua

import (
	"encoding/binary"
	"math"

	glua "github.com/yuin/gopher-lua"
)

// maxNesting is lua-cmsgpack's LUACMSGPACK_MAX_NESTING: deeper tables are
// packed as nil (so a table that refers to itself packs finitely).
const maxNesting = 16

// msgpackPack is cmsgpack.pack(...): each argument packed, concatenated.
func msgpackPack(L *glua.LState) int {
	n := L.GetTop()
	if n == 0 {
		L.RaiseError("MessagePack pack needs input.")
	}
	var b []byte
	for i := 1; i <= n; i++ {
		b = mpEncode(b, L.Get(i), 0)
	}
	L.Push(glua.LString(b))
	return 1
}

func mpEncode(b []byte, v glua.LValue, level int) []byte {
	switch x := v.(type) {
	case glua.LString:
		n := len(x)
		switch {
		case n < 32:
			b = append(b, 0xa0|byte(n))
		case n <= 0xff:
			b = append(b, 0xd9, byte(n))
		case n <= 0xffff:
			b = binary.BigEndian.AppendUint16(append(b, 0xda), uint16(n))
		default:
			b = binary.BigEndian.AppendUint32(append(b, 0xdb), uint32(n))
		}
		return append(b, x...)
	case glua.LBool:
		if x {
			return append(b, 0xc3)
		}
		return append(b, 0xc2)
	case glua.LNumber:
		f := float64(x)
		if i := int64(f); float64(i) == f && !math.IsInf(f, 0) {
			return mpInt(b, i)
		}
		if float64(float32(f)) == f {
			return binary.BigEndian.AppendUint32(append(b, 0xca), math.Float32bits(float32(f)))
		}
		return binary.BigEndian.AppendUint64(append(b, 0xcb), math.Float64bits(f))
	case *glua.LTable:
		if level == maxNesting {
			return append(b, 0xc0)
		}
		if n, ok := mpArrayLen(x); ok {
			switch {
			case n <= 15:
				b = append(b, 0x90|byte(n))
			case n <= 0xffff:
				b = binary.BigEndian.AppendUint16(append(b, 0xdc), uint16(n))
			default:
				b = binary.BigEndian.AppendUint32(append(b, 0xdd), uint32(n))
			}
			for i := 1; i <= n; i++ {
				b = mpEncode(b, x.RawGetInt(i), level+1)
			}
			return b
		}
		var kv []glua.LValue
		each(x, func(k, val glua.LValue) { kv = append(kv, k, val) })
		n := len(kv) / 2
		switch {
		case n <= 15:
			b = append(b, 0x80|byte(n))
		case n <= 0xffff:
			b = binary.BigEndian.AppendUint16(append(b, 0xde), uint16(n))
		default:
			b = binary.BigEndian.AppendUint32(append(b, 0xdf), uint32(n))
		}
		for _, e := range kv {
			b = mpEncode(b, e, level+1)
		}
		return b
	}
	return append(b, 0xc0)
}

// mpArrayLen is table_is_an_array: all keys positive integers, as many
// as the largest (an empty table is an array).
func mpArrayLen(t *glua.LTable) (int, bool) {
	max, count, ok := 0, 0, true
	each(t, func(k, _ glua.LValue) {
		n, isNum := k.(glua.LNumber)
		if !isNum || n <= 0 || float64(n) != math.Floor(float64(n)) {
			ok = false
			return
		}
		count++
		if int(n) > max {
			max = int(n)
		}
	})
	return max, ok && max == count
}

func mpInt(b []byte, n int64) []byte {
	if n >= 0 {
		switch {
		case n <= 127:
			return append(b, byte(n))
		case n <= 0xff:
			return append(b, 0xcc, byte(n))
		case n <= 0xffff:
			return binary.BigEndian.AppendUint16(append(b, 0xcd), uint16(n))
		case n <= 0xffffffff:
			return binary.BigEndian.AppendUint32(append(b, 0xce), uint32(n))
		}
		return binary.BigEndian.AppendUint64(append(b, 0xcf), uint64(n))
	}
	switch {
	case n >= -32:
		return append(b, byte(n))
	case n >= -128:
		return append(b, 0xd0, byte(n))
	case n >= -32768:
		return binary.BigEndian.AppendUint16(append(b, 0xd1), uint16(n))
	case n >= -2147483648:
		return binary.BigEndian.AppendUint32(append(b, 0xd2), uint32(n))
	}
	return binary.BigEndian.AppendUint64(append(b, 0xd3), uint64(n))
}

// msgpackUnpack is cmsgpack.unpack (limit 0: every object, returned as
// values), unpack_one (limit 1) and unpack_limit (limit from argument 2);
// the last two take an offset and return the next one first (-1 at the end).
func msgpackUnpack(limit int, withOffset bool) glua.LGFunction {
	return func(L *glua.LState) int {
		s := L.CheckString(1)
		lim, off := limit, 0
		if limit < 0 {
			lim = L.OptInt(2, 0)
			off = L.OptInt(3, 0)
		} else if withOffset {
			off = L.OptInt(2, 0)
		}
		if off < 0 || lim < 0 {
			L.RaiseError("Invalid request to unpack with offset of %d and limit of %d.", off, lim)
		}
		if off > len(s) {
			L.RaiseError("Start offset %d greater than input length %d.", off, len(s))
		}
		d := mpDecoder{L: L, s: s, i: off}
		var out []glua.LValue
		for d.i < len(s) && (lim == 0 || len(out) < lim) {
			out = append(out, d.value())
		}
		if withOffset {
			next := d.i
			if next >= len(s) {
				next = -1
			}
			L.Push(glua.LNumber(next))
		}
		for _, v := range out {
			L.Push(v)
		}
		if withOffset {
			return len(out) + 1
		}
		return len(out)
	}
}

type mpDecoder struct {
	L *glua.LState
	s string
	i int
}

func (d *mpDecoder) take(n int) string {
	if n < 0 || d.i+n > len(d.s) {
		d.L.RaiseError("Missing bytes in input.")
	}
	p := d.s[d.i : d.i+n]
	d.i += n
	return p
}

func (d *mpDecoder) uint(n int) uint64 {
	p := d.take(n)
	var u uint64
	for i := 0; i < n; i++ {
		u = u<<8 | uint64(p[i])
	}
	return u
}

func (d *mpDecoder) value() glua.LValue {
	L := d.L
	c := d.take(1)[0]
	switch {
	case c <= 0x7f:
		return glua.LNumber(c)
	case c >= 0xe0:
		return glua.LNumber(int8(c))
	case c&0xf0 == 0x80:
		return d.mapOf(int(c & 0x0f))
	case c&0xf0 == 0x90:
		return d.arrayOf(int(c & 0x0f))
	case c&0xe0 == 0xa0:
		return glua.LString(d.take(int(c & 0x1f)))
	}
	switch c {
	case 0xc0:
		return glua.LNil
	case 0xc2:
		return glua.LFalse
	case 0xc3:
		return glua.LTrue
	case 0xc4, 0xd9:
		return glua.LString(d.take(int(d.uint(1))))
	case 0xc5, 0xda:
		return glua.LString(d.take(int(d.uint(2))))
	case 0xc6, 0xdb:
		return glua.LString(d.take(int(d.uint(4))))
	case 0xca:
		return glua.LNumber(math.Float32frombits(uint32(d.uint(4))))
	case 0xcb:
		return glua.LNumber(math.Float64frombits(d.uint(8)))
	case 0xcc:
		return glua.LNumber(d.uint(1))
	case 0xcd:
		return glua.LNumber(d.uint(2))
	case 0xce:
		return glua.LNumber(d.uint(4))
	case 0xcf:
		return glua.LNumber(d.uint(8))
	case 0xd0:
		return glua.LNumber(int8(d.uint(1)))
	case 0xd1:
		return glua.LNumber(int16(d.uint(2)))
	case 0xd2:
		return glua.LNumber(int32(d.uint(4)))
	case 0xd3:
		return glua.LNumber(int64(d.uint(8)))
	case 0xdc:
		return d.arrayOf(int(d.uint(2)))
	case 0xdd:
		return d.arrayOf(int(d.uint(4)))
	case 0xde:
		return d.mapOf(int(d.uint(2)))
	case 0xdf:
		return d.mapOf(int(d.uint(4)))
	}
	L.RaiseError("Bad data format in input.")
	return glua.LNil
}

func (d *mpDecoder) arrayOf(n int) glua.LValue {
	t := d.L.CreateTable(min(n, 1024), 0)
	for i := 1; i <= n; i++ {
		t.RawSetInt(i, d.value())
	}
	return t
}

func (d *mpDecoder) mapOf(n int) glua.LValue {
	t := d.L.NewTable()
	for range n {
		k := d.value()
		v := d.value()
		if k != glua.LNil {
			t.RawSet(k, v)
		}
	}
	return t
}

package lua

import (
	"encoding/binary"
	"math"
	"strings"

	glua "github.com/yuin/gopher-lua"
)

// The struct library's limits on a 64-bit little-endian machine, as
// Redis's deps/lua/src/lua_struct.c builds.
const (
	structMaxIntSize = 32
	structMaxAlign   = 8
)

// structFormat walks a struct format: endianness, alignment, and each
// option with its size.
type structFormat struct {
	L     *glua.LState
	fmt   string
	i     int
	big   bool
	align int
}

func (f *structFormat) num(def int) int {
	if f.i >= len(f.fmt) || f.fmt[f.i] < '0' || f.fmt[f.i] > '9' {
		return def
	}
	a := 0
	for f.i < len(f.fmt) && f.fmt[f.i] >= '0' && f.fmt[f.i] <= '9' {
		if a > (math.MaxInt32-int(f.fmt[f.i]-'0'))/10 {
			f.L.RaiseError("integral size overflow")
		}
		a = a*10 + int(f.fmt[f.i]-'0')
		f.i++
	}
	return a
}

// next returns the next option and its size; ok is false at the end.
func (f *structFormat) next() (opt byte, size int, ok bool) {
	if f.i >= len(f.fmt) {
		return 0, 0, false
	}
	opt = f.fmt[f.i]
	f.i++
	switch opt {
	case 'b', 'B', 'x':
		size = 1
	case 'h', 'H':
		size = 2
	case 'f':
		size = 4
	case 'l', 'L', 'T', 'd':
		size = 8
	case 'c':
		size = f.num(1)
	case 'i', 'I':
		size = f.num(4)
		if size > structMaxIntSize {
			f.L.RaiseError("integral size %d is larger than limit of %d", size, structMaxIntSize)
		}
	}
	return opt, size, true
}

func (f *structFormat) toAlign(pos int, opt byte, size int) int {
	if size == 0 || opt == 'c' {
		return 0
	}
	if size > f.align {
		size = f.align
	}
	return (size - (pos & (size - 1))) & (size - 1)
}

// control handles the options that are not values.
func (f *structFormat) control(opt byte) {
	switch opt {
	case ' ':
	case '>':
		f.big = true
	case '<':
		f.big = false
	case '!':
		a := f.num(structMaxAlign)
		if a <= 0 || a&(a-1) != 0 {
			f.L.RaiseError("alignment %d is not a power of 2", a)
		}
		f.align = a
	default:
		f.L.ArgError(1, "invalid format option '"+string(opt)+"'")
	}
}

func (f *structFormat) putUint(b []byte, v uint64, size int) []byte {
	buf := make([]byte, size)
	for k := 0; k < size; k++ {
		idx := k
		if f.big {
			idx = size - 1 - k
		}
		buf[idx] = byte(v)
		v >>= 8
	}
	return append(b, buf...)
}

func structPack(L *glua.LState) int {
	f := &structFormat{L: L, fmt: L.CheckString(1), align: 1}
	var b []byte
	arg := 2
	for {
		opt, size, ok := f.next()
		if !ok {
			break
		}
		for n := f.toAlign(len(b), opt, size); n > 0; n-- {
			b = append(b, 0)
		}
		switch opt {
		case 'b', 'B', 'h', 'H', 'l', 'L', 'T', 'i', 'I':
			n := float64(L.CheckNumber(arg))
			arg++
			var v uint64
			if n < 0 {
				v = uint64(int64(n))
			} else {
				v = uint64(n)
			}
			b = f.putUint(b, v, size)
		case 'x':
			b = append(b, 0)
		case 'f':
			b = f.putUint(b, uint64(math.Float32bits(float32(L.CheckNumber(arg)))), 4)
			arg++
		case 'd':
			b = f.putUint(b, math.Float64bits(float64(L.CheckNumber(arg))), 8)
			arg++
		case 'c', 's':
			s := L.CheckString(arg)
			arg++
			if size == 0 || opt == 's' {
				size = len(s)
			}
			if len(s) < size {
				L.ArgError(arg, "string too short")
			}
			b = append(b, s[:size]...)
			if opt == 's' {
				b = append(b, 0)
			}
		default:
			f.control(opt)
		}
	}
	L.Push(glua.LString(b))
	return 1
}

func (f *structFormat) getUint(p string, signed bool) float64 {
	var l uint64
	size := len(p)
	for k := 0; k < size; k++ {
		idx := size - 1 - k
		if f.big {
			idx = k
		}
		l = l<<8 | uint64(p[idx])
	}
	if !signed {
		return float64(l)
	}
	if size < 8 {
		mask := ^uint64(0) << (size*8 - 1)
		if l&mask != 0 {
			l |= mask
		}
	}
	return float64(int64(l))
}

func structUnpack(L *glua.LState) int {
	f := &structFormat{L: L, fmt: L.CheckString(1), align: 1}
	data := L.CheckString(2)
	pos := L.OptInt(3, 1)
	if pos <= 0 {
		L.ArgError(3, "offset must be 1 or greater")
	}
	pos--
	var out []glua.LValue
	for {
		opt, size, ok := f.next()
		if !ok {
			break
		}
		pos += f.toAlign(pos, opt, size)
		if size > len(data) || pos > len(data)-size {
			L.ArgError(2, "data string too short")
		}
		switch opt {
		case 'b', 'B', 'h', 'H', 'l', 'L', 'T', 'i', 'I':
			out = append(out, glua.LNumber(f.getUint(data[pos:pos+size], opt >= 'a')))
		case 'x':
		case 'f':
			out = append(out, glua.LNumber(math.Float32frombits(uint32(f.getUint(data[pos:pos+4], false)))))
		case 'd':
			p := []byte(data[pos : pos+8])
			if f.big {
				out = append(out, glua.LNumber(math.Float64frombits(binary.BigEndian.Uint64(p))))
			} else {
				out = append(out, glua.LNumber(math.Float64frombits(binary.LittleEndian.Uint64(p))))
			}
		case 'c':
			if size == 0 {
				var prev glua.LNumber
				isNum := false
				if len(out) > 0 {
					prev, isNum = out[len(out)-1].(glua.LNumber)
				}
				if !isNum {
					L.RaiseError("format 'c0' needs a previous size")
				}
				size = int(prev)
				out = out[:len(out)-1]
				if size > len(data) || pos > len(data)-size {
					L.ArgError(2, "data string too short")
				}
			}
			out = append(out, glua.LString(data[pos:pos+size]))
		case 's':
			e := strings.IndexByte(data[pos:], 0)
			if e < 0 {
				L.RaiseError("unfinished string in data")
			}
			size = e + 1
			out = append(out, glua.LString(data[pos:pos+e]))
		default:
			f.control(opt)
		}
		pos += size
	}
	for _, v := range out {
		L.Push(v)
	}
	L.Push(glua.LNumber(pos + 1))
	return len(out) + 1
}

func structSize(L *glua.LState) int {
	f := &structFormat{L: L, fmt: L.CheckString(1), align: 1}
	pos := 0
	for {
		opt, size, ok := f.next()
		if !ok {
			break
		}
		pos += f.toAlign(pos, opt, size)
		if opt == 's' {
			L.ArgError(1, "option 's' has no fixed size")
		} else if opt == 'c' && size == 0 {
			L.ArgError(1, "option 'c0' has no fixed size")
		}
		if !(opt >= 'a' && opt <= 'z' || opt >= 'A' && opt <= 'Z' || opt >= '0' && opt <= '9') {
			f.control(opt)
		}
		pos += size
	}
	L.Push(glua.LNumber(pos))
	return 1
}

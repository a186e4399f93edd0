package lua

import (
	"math"
	"strconv"
	"strings"

	glua "github.com/yuin/gopher-lua"
)

// openLibs loads the libraries Redis adds to Lua, written here in Go:
// cjson (lua-cjson), bit (LuaBitOp), struct and cmsgpack (lua-cmsgpack).
func openLibs(v *vm) {
	L := v.L
	reg := func(name string, funcs map[string]glua.LGFunction) *glua.LTable {
		t := L.NewTable()
		for k, f := range funcs {
			t.RawSetString(k, L.NewFunction(f))
		}
		v.globals.RawSetString(name, t)
		return t
	}
	j := &cjson{encodeMaxDepth: 1000, decodeMaxDepth: 1000, precision: 14, sparseRatio: 2, sparseSafe: 10, decodeInvalid: true}
	cj := reg("cjson", map[string]glua.LGFunction{
		"encode": j.encode, "decode": j.decode,
		"encode_keep_buffer":      func(L *glua.LState) int { return cfgBool(L, nil) },
		"encode_max_depth":        func(L *glua.LState) int { return cfgInt(L, &j.encodeMaxDepth) },
		"decode_max_depth":        func(L *glua.LState) int { return cfgInt(L, &j.decodeMaxDepth) },
		"encode_number_precision": func(L *glua.LState) int { return cfgInt(L, &j.precision) },
		"encode_invalid_numbers":  func(L *glua.LState) int { return cfgBool(L, &j.encodeInvalid) },
		"decode_invalid_numbers":  func(L *glua.LState) int { return cfgBool(L, &j.decodeInvalid) },
		"encode_sparse_array":     j.encodeSparse,
	})
	j.null = L.NewUserData()
	cj.RawSetString("null", j.null)
	cj.RawSetString("_NAME", glua.LString("cjson"))
	cj.RawSetString("_VERSION", glua.LString("2.1.0"))
	reg("bit", map[string]glua.LGFunction{
		"tobit": bitUnary(func(x int32) int32 { return x }),
		"bnot":  bitUnary(func(x int32) int32 { return ^x }),
		"bswap": bitUnary(func(x int32) int32 {
			u := uint32(x)
			return int32(u>>24 | u>>8&0xff00 | u<<8&0xff0000 | u<<24)
		}),
		"band":    bitFold(func(a, b int32) int32 { return a & b }),
		"bor":     bitFold(func(a, b int32) int32 { return a | b }),
		"bxor":    bitFold(func(a, b int32) int32 { return a ^ b }),
		"lshift":  bitShift(func(x uint32, n uint) uint32 { return x << n }),
		"rshift":  bitShift(func(x uint32, n uint) uint32 { return x >> n }),
		"arshift": bitShift(func(x uint32, n uint) uint32 { return uint32(int32(x) >> n) }),
		"rol":     bitShift(func(x uint32, n uint) uint32 { return x<<n | x>>(32-n) }),
		"ror":     bitShift(func(x uint32, n uint) uint32 { return x>>n | x<<(32-n) }),
		"tohex":   bitTohex,
	})
	reg("struct", map[string]glua.LGFunction{"pack": structPack, "unpack": structUnpack, "size": structSize})
	reg("cmsgpack", map[string]glua.LGFunction{
		"pack": msgpackPack, "unpack": msgpackUnpack(0, false),
		"unpack_one": msgpackUnpack(1, true), "unpack_limit": msgpackUnpack(-1, true),
	})
}

func cfgInt(L *glua.LState, p *int) int {
	if L.GetTop() >= 1 && L.Get(1) != glua.LNil {
		n := L.CheckInt(1)
		if n < 1 {
			L.ArgError(1, "expected integer between 1 and 2147483647")
		}
		*p = n
	}
	L.Push(glua.LNumber(*p))
	return 1
}

func cfgBool(L *glua.LState, p *bool) int {
	if p == nil {
		p = new(bool)
		*p = true
	}
	if L.GetTop() >= 1 && L.Get(1) != glua.LNil {
		switch x := L.Get(1).(type) {
		case glua.LBool:
			*p = bool(x)
		case glua.LString:
			*p = string(x) == "on"
		default:
			*p = glua.LVAsBool(x)
		}
	}
	L.Push(glua.LBool(*p))
	return 1
}

// toBit converts a number to LuaBitOp's int32: modulo 2^32.
func toBit(L *glua.LState, i int) int32 {
	f := float64(L.CheckNumber(i))
	return int32(uint32(int64(math.Mod(math.Trunc(f), 4294967296))))
}

func bitUnary(op func(int32) int32) glua.LGFunction {
	return func(L *glua.LState) int {
		L.Push(glua.LNumber(op(toBit(L, 1))))
		return 1
	}
}

func bitFold(op func(a, b int32) int32) glua.LGFunction {
	return func(L *glua.LState) int {
		acc := toBit(L, 1)
		for i := 2; i <= L.GetTop(); i++ {
			acc = op(acc, toBit(L, i))
		}
		L.Push(glua.LNumber(acc))
		return 1
	}
}

func bitShift(op func(x uint32, n uint) uint32) glua.LGFunction {
	return func(L *glua.LState) int {
		x, n := uint32(toBit(L, 1)), uint(toBit(L, 2))&31
		L.Push(glua.LNumber(int32(op(x, n))))
		return 1
	}
}

func bitTohex(L *glua.LState) int {
	x := uint32(toBit(L, 1))
	n := int32(8)
	if L.GetTop() >= 2 && L.Get(2) != glua.LNil {
		n = toBit(L, 2)
	}
	digits := "0123456789abcdef"
	if n < 0 {
		n, digits = -n, "0123456789ABCDEF"
	}
	if n > 8 {
		n = 8
	}
	buf := make([]byte, n)
	for i := int(n) - 1; i >= 0; i-- {
		buf[i] = digits[x&15]
		x >>= 4
	}
	L.Push(glua.LString(buf))
	return 1
}

// cjson is lua-cjson 2.1.0 as Redis bundles it, with its settings.
type cjson struct {
	encodeMaxDepth, decodeMaxDepth, precision int
	encodeInvalid, decodeInvalid              bool
	sparseConvert                             bool
	sparseRatio, sparseSafe                   int
	null                                      *glua.LUserData
}

func (j *cjson) encodeSparse(L *glua.LState) int {
	if L.GetTop() >= 1 {
		j.sparseConvert = glua.LVAsBool(L.Get(1))
	}
	if L.GetTop() >= 2 {
		j.sparseRatio = L.CheckInt(2)
	}
	if L.GetTop() >= 3 {
		j.sparseSafe = L.CheckInt(3)
	}
	L.Push(glua.LBool(j.sparseConvert))
	L.Push(glua.LNumber(j.sparseRatio))
	L.Push(glua.LNumber(j.sparseSafe))
	return 3
}

func (j *cjson) encode(L *glua.LState) int {
	if L.GetTop() != 1 {
		L.ArgError(1, "expected 1 argument")
	}
	var b strings.Builder
	j.encodeValue(L, &b, L.Get(1), 0)
	L.Push(glua.LString(b.String()))
	return 1
}

func (j *cjson) number(L *glua.LState, f float64) string {
	if math.IsInf(f, 0) || math.IsNaN(f) {
		if !j.encodeInvalid {
			L.RaiseError("Cannot serialise number: must not be NaN or Inf")
		}
		switch {
		case math.IsNaN(f):
			return "nan"
		case f > 0:
			return "inf"
		}
		return "-inf"
	}
	return strconv.FormatFloat(f, 'g', j.precision, 64)
}

func (j *cjson) encodeValue(L *glua.LState, b *strings.Builder, v glua.LValue, depth int) {
	switch x := v.(type) {
	case *glua.LNilType:
		b.WriteString("null")
	case glua.LBool:
		if x {
			b.WriteString("true")
		} else {
			b.WriteString("false")
		}
	case glua.LNumber:
		b.WriteString(j.number(L, float64(x)))
	case glua.LString:
		jsonString(b, string(x))
	case *glua.LUserData:
		if x == j.null {
			b.WriteString("null")
			return
		}
		L.RaiseError("Cannot serialise userdata: type not supported")
	case *glua.LTable:
		depth++
		if depth > j.encodeMaxDepth {
			L.RaiseError("Cannot serialise, excessive nesting (%d)", depth)
		}
		if n := j.arrayLength(L, x); n > 0 {
			b.WriteByte('[')
			for i := 1; i <= n; i++ {
				if i > 1 {
					b.WriteByte(',')
				}
				j.encodeValue(L, b, x.RawGetInt(i), depth)
			}
			b.WriteByte(']')
			return
		}
		b.WriteByte('{')
		first := true
		each(x, func(k, val glua.LValue) {
			if !first {
				b.WriteByte(',')
			}
			first = false
			switch kk := k.(type) {
			case glua.LString:
				jsonString(b, string(kk))
			case glua.LNumber:
				b.WriteByte('"')
				b.WriteString(j.number(L, float64(kk)))
				b.WriteByte('"')
			default:
				L.RaiseError("Cannot serialise %s: table key must be a number or string", k.Type().String())
			}
			b.WriteByte(':')
			j.encodeValue(L, b, val, depth)
		})
		b.WriteByte('}')
	default:
		L.RaiseError("Cannot serialise %s: type not supported", v.Type().String())
	}
}

// arrayLength is lua_array_length: n > 0 when every key is a positive
// integer (and the array is not excessively sparse), 0 for an object.
func (j *cjson) arrayLength(L *glua.LState, t *glua.LTable) int {
	max, items := 0, 0
	isArray := true
	each(t, func(k, _ glua.LValue) {
		n, ok := k.(glua.LNumber)
		if !ok || float64(n) < 1 || float64(n) != math.Floor(float64(n)) {
			isArray = false
			return
		}
		if int(n) > max {
			max = int(n)
		}
		items++
	})
	if !isArray {
		return 0
	}
	if j.sparseRatio > 0 && max > items*j.sparseRatio && max > j.sparseSafe {
		if !j.sparseConvert {
			L.RaiseError("Cannot serialise table: excessively sparse array")
		}
		return 0
	}
	return max
}

func jsonString(b *strings.Builder, s string) {
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch c {
		case '"':
			b.WriteString(`\"`)
		case '\\':
			b.WriteString(`\\`)
		case '/':
			b.WriteString(`\/`)
		case '\b':
			b.WriteString(`\b`)
		case '\f':
			b.WriteString(`\f`)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '\t':
			b.WriteString(`\t`)
		default:
			if c < 0x20 || c == 0x7f {
				b.WriteString(`\u00`)
				b.WriteByte("0123456789abcdef"[c>>4])
				b.WriteByte("0123456789abcdef"[c&15])
			} else {
				b.WriteByte(c)
			}
		}
	}
	b.WriteByte('"')
}

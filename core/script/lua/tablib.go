package lua

import (
	"strings"

	glua "github.com/yuin/gopher-lua"
)

// luaStackMax is LUAI_MAXCSTACK: how many values a Go (C) function may
// have on its stack, its arguments included (lua_checkstack).
const luaStackMax = 8000

// optInt is luaL_optint: nil or none is def, else a number (a numeric
// string too) cast to a C int.
func optInt(L *glua.LState, n, def int) int {
	if L.Get(n) == glua.LNil {
		return def
	}
	return int(int32(cInt(L.CheckNumber(n), 64)))
}

// tableConcat is Lua 5.1's table.concat: the separator may be a number,
// numbers are joined as "%.14g" (gopher-lua's print them as Go does),
// and a value that is neither is named in the error.
func tableConcat(L *glua.LState) int {
	sep := ""
	if L.Get(2) != glua.LNil {
		sep = checkLString(L, 2)
	}
	t := L.CheckTable(1)
	i := optInt(L, 3, 1)
	last := optInt(L, 4, t.Len())
	var b strings.Builder
	add := func(i int) {
		switch v := t.RawGetInt(i).(type) {
		case glua.LString:
			b.WriteString(string(v))
		case glua.LNumber:
			b.WriteString(formatNumber(float64(v)))
		default:
			L.RaiseError("invalid value (%s) at index %d in table for 'concat'", v.Type().String(), i)
		}
	}
	for ; i < last; i++ {
		add(i)
		b.WriteString(sep)
	}
	if i == last {
		add(i)
	}
	L.Push(glua.LString(b.String()))
	return 1
}

// unpack is Lua 5.1's: t[i..j] as values, refused when they would not
// fit a C function's stack ("too many results to unpack"), where
// gopher-lua's fails its registry.
func unpack(L *glua.LState) int {
	t := L.CheckTable(1)
	i := optInt(L, 2, 1)
	e := optInt(L, 3, t.Len())
	if i > e {
		return 0
	}
	n := int(int32(e - i + 1)) // C's int arithmetic: an overflow is <= 0
	if n <= 0 || n > luaStackMax || L.GetTop()+n > luaStackMax {
		L.RaiseError("too many results to unpack")
	}
	for k := i; k <= e; k++ {
		L.Push(t.RawGetInt(k))
	}
	return n
}

// stringChar is Lua 5.1's string.char: each code a byte, else "invalid
// value" (gopher-lua's keeps the low bits).
func stringChar(L *glua.LState) int {
	b := make([]byte, L.GetTop())
	for i := range b {
		c := int32(cInt(L.CheckNumber(i+1), 64))
		if c < 0 || c > 255 {
			L.ArgError(i+1, "invalid value")
		}
		b[i] = byte(c)
	}
	L.Push(glua.LString(b))
	return 1
}

// maxRepLen bounds string.rep's result. Redis's Lua grows its buffer
// until malloc fails, and a failed malloc aborts redis-server (zmalloc's
// out-of-memory handler); here the script fails instead, with Lua's
// memory error, and the server stays up.
const maxRepLen = 512 << 20

// stringRep is Lua 5.1's string.rep: the count is cast to a C int as
// luaL_checkint does (2^32+3 repeats 3 times; 2^31, inf and nan none).
func stringRep(L *glua.LState) int {
	s := checkLString(L, 1)
	n := int64(int32(cInt(L.CheckNumber(2), 64)))
	if n <= 0 || s == "" {
		L.Push(glua.LString(""))
		return 1
	}
	if int64(len(s))*n > maxRepLen {
		L.RaiseError("not enough memory")
	}
	L.Push(glua.LString(strings.Repeat(s, int(n))))
	return 1
}

// checkedInsert is table.insert with Lua 5.1's count of arguments: two or
// three, else "wrong number of arguments to 'insert'".
func checkedInsert(insert glua.LValue) glua.LGFunction {
	return func(L *glua.LState) int {
		// Checked here, as the call below names no function in its errors.
		L.CheckTable(1)
		switch L.GetTop() {
		case 2:
		case 3:
			L.Replace(2, glua.LNumber(optInt(L, 2, 0))) // a numeric string too
		default:
			L.RaiseError("wrong number of arguments to 'insert'")
		}
		L.Insert(insert, 1)
		L.Call(L.GetTop()-1, 0)
		return 0
	}
}

// checkedToNumber is tonumber with Lua 5.1's check of a base other than
// 10: a string (or number) to convert, and a base from 2 to 36.
func checkedToNumber(tonumber glua.LValue) glua.LGFunction {
	return func(L *glua.LState) int {
		// Checked here, as the call below names no function in its errors.
		L.CheckAny(1)
		if base := optInt(L, 2, 10); base != 10 {
			checkLString(L, 1)
			if base < 2 || base > 36 {
				L.ArgError(2, "base out of range")
			}
		}
		L.Insert(tonumber, 1)
		L.Call(L.GetTop()-1, 1)
		return 1
	}
}

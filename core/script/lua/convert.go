package lua

// The conversions between Redis's replies and Lua values, both ways
// (script_lua.c's redisProtocolToLuaType and luaReplyToRedisReply).

import (
	"math"
	"strings"

	glua "github.com/yuin/gopher-lua"

	"github.com/syncscope/syncscope/core/cstr"
	"github.com/syncscope/syncscope/core/resp"
	"github.com/syncscope/syncscope/core/script"
)

// replyToLua converts a command's reply to Lua, and says whether it is an
// error reply; ok is false when it cannot be read.
func (v *vm) replyToLua(reply []byte) (val glua.LValue, isErr, ok bool) {
	if val, ok := v.quickReply(reply); ok {
		return val, false, true
	}
	rv, _, err := resp.ReadValue(reply)
	if err != nil {
		return nil, false, false
	}
	return v.toLua(rv), rv.Kind == resp.Error || rv.Kind == resp.BlobError, true
}

// toLua converts a command's reply to Lua (redisProtocolToLuaType).
func (v *vm) toLua(val resp.Value) glua.LValue {
	L := v.L
	switch val.Kind {
	case resp.Integer:
		return v.number(val.Int)
	case resp.BulkString:
		if val.Null {
			return glua.LFalse
		}
		return glua.LString(val.Str)
	case resp.SimpleString:
		t := L.NewTable()
		t.RawSetString("ok", glua.LString(val.Str))
		return t
	case resp.Error, resp.BlobError:
		msg := "-" + string(val.Str)
		code := "ERR"
		if i := strings.IndexByte(msg, ' '); i >= 0 {
			code, msg = msg[1:i], msg[i+1:]
		} else {
			msg = msg[1:]
		}
		t := L.NewTable()
		t.RawSetString("err", glua.LString(code+" "+strings.TrimRight(msg, "\r\n")))
		t.RawSetString("ignore_error_stats_update", glua.LTrue)
		return t
	case resp.Array, resp.Push:
		if val.Null {
			return glua.LFalse
		}
		t := L.CreateTable(len(val.Elems), 0)
		for i, e := range val.Elems {
			t.RawSetInt(i+1, v.toLua(e))
		}
		return t
	case resp.Map:
		if val.Null {
			return glua.LNil
		}
		m := L.NewTable()
		for i := 0; i+1 < len(val.Elems); i += 2 {
			m.RawSet(v.toLua(val.Elems[i]), v.toLua(val.Elems[i+1]))
		}
		t := L.NewTable()
		t.RawSetString("map", m)
		return t
	case resp.Set:
		if val.Null {
			return glua.LNil
		}
		m := L.NewTable()
		for _, e := range val.Elems {
			m.RawSet(v.toLua(e), glua.LTrue)
		}
		t := L.NewTable()
		t.RawSetString("set", m)
		return t
	case resp.Null:
		return glua.LNil
	case resp.Boolean:
		return glua.LBool(val.Int != 0)
	case resp.Double:
		t := L.NewTable()
		t.RawSetString("double", glua.LNumber(val.Float))
		return t
	case resp.BigNumber:
		t := L.NewTable()
		t.RawSetString("big_number", glua.LString(val.Str))
		return t
	case resp.Verbatim:
		if val.Null {
			return glua.LFalse
		}
		format, body := "txt", string(val.Str)
		if len(body) >= 4 && body[3] == ':' {
			format, body = body[:3], body[4:]
		}
		inner := L.NewTable()
		inner.RawSetString("string", glua.LString(body))
		inner.RawSetString("format", glua.LString(format))
		t := L.NewTable()
		t.RawSetString("verbatim_string", inner)
		return t
	case resp.Attribute:
		if len(val.Elems) > 0 {
			return v.toLua(val.Elems[len(val.Elems)-1])
		}
	}
	return glua.LNil
}

// reply writes a script's result as a Redis reply (luaReplyToRedisReply);
// proto is the script client's RESP (it decides how booleans go out).
func (v *vm) reply(w *resp.Writer, val glua.LValue, proto, depth int) {
	if depth > 1000 {
		w.Error("ERR reached lua stack limit")
		return
	}
	switch x := val.(type) {
	case glua.LString:
		w.BulkString(string(x))
	case glua.LBool:
		if proto == 2 {
			if x {
				w.Int(1)
			} else {
				w.Null()
			}
		} else {
			w.Bool(bool(x))
		}
	case glua.LNumber:
		w.Int(luaToInt64(float64(x)))
	case *glua.LTable:
		v.replyTable(w, x, proto, depth)
	default:
		w.Null()
	}
}

// formatNumber is Lua 5.1's tostring of a number ("%.14g"); gopher-lua's
// own conversion (used by ..) prints more digits.
func formatNumber(f float64) string {
	var buf [32]byte
	return string(cstr.AppendFloat(buf[:0], f, 'g', 14))
}

// luaToInt64 is C's (long long) cast of a double as x86-64 does it: out
// of range and NaN give the minimum.
func luaToInt64(f float64) int64 {
	if math.IsNaN(f) || f >= 9.223372036854775807e18 || f < -9.223372036854775808e18 {
		return math.MinInt64
	}
	return int64(f)
}

func (v *vm) replyTable(w *resp.Writer, t *glua.LTable, proto, depth int) {
	if e, ok := t.RawGetString("err").(glua.LString); ok {
		var h script.Host
		if v.run != nil {
			h = v.run.host
		}
		writeError(w, h, string(e), t)
		return
	}
	if s, ok := t.RawGetString("ok").(glua.LString); ok {
		w.SimpleString(strings.NewReplacer("\r", " ", "\n", " ").Replace(string(s)))
		return
	}
	if d, ok := t.RawGetString("double").(glua.LNumber); ok {
		w.Double(float64(d))
		return
	}
	if b, ok := t.RawGetString("big_number").(glua.LString); ok {
		s := strings.NewReplacer("\r", " ", "\n", " ").Replace(string(b))
		if w.Proto >= 3 {
			w.Raw([]byte("(" + s + "\r\n"))
		} else {
			w.BulkString(s)
		}
		return
	}
	if vs, ok := t.RawGetString("verbatim_string").(*glua.LTable); ok {
		f, fok := vs.RawGetString("format").(glua.LString)
		s, sok := vs.RawGetString("string").(glua.LString)
		if fok && sok {
			w.Verbatim(string(f), string(s))
			return
		}
	}
	if m, ok := t.RawGetString("map").(*glua.LTable); ok {
		var kv []glua.LValue
		each(m, func(k, val glua.LValue) { kv = append(kv, k, val) })
		w.MapLen(len(kv) / 2)
		for _, x := range kv {
			v.reply(w, x, proto, depth+1)
		}
		return
	}
	if s, ok := t.RawGetString("set").(*glua.LTable); ok {
		var keys []glua.LValue
		each(s, func(k, _ glua.LValue) { keys = append(keys, k) })
		w.SetLen(len(keys))
		for _, k := range keys {
			v.reply(w, k, proto, depth+1)
		}
		return
	}
	n := 0
	for t.RawGetInt(n+1) != glua.LNil {
		n++
	}
	w.ArrayLen(n)
	for i := 1; i <= n; i++ {
		v.reply(w, t.RawGetInt(i), proto, depth+1)
	}
}

package lua

import (
	"reflect"
	"strconv"
	"strings"

	glua "github.com/yuin/gopher-lua"
)

// lua51Error rewords a runtime error gopher-lua raised in the Lua function
// at level as Lua 5.1's ldebug.c words it: "attempt to call field 'x' (a
// nil value)" where gopher-lua says "attempt to call a non-function
// object". The name comes from the failing instruction, as getobjname
// finds it: a local, or the instruction that last loaded the register
// (global, field, method, upvalue). It must run before the stack unwinds:
// from an error handler. Any other message is returned as it is.
func lua51Error(L *glua.LState, level int, msg string) string {
	msg = quoteArgFunc(msg)
	dbg, ok := L.GetStack(level)
	if !ok {
		return msg
	}
	fv, err := L.GetInfo("lf", dbg, glua.LNil)
	f, isFn := fv.(*glua.LFunction)
	if err == nil && isFn && f.IsG {
		return goFuncError(L, level, dbg, noValue(L, dbg, msg))
	}
	if err != nil || !isFn || f.Proto == nil {
		return msg
	}
	prefix := f.Proto.SourceName + ":" + strconv.Itoa(dbg.CurrentLine) + ": "
	body, ok := strings.CutPrefix(msg, prefix)
	if !ok {
		return msg
	}
	if s, ok := forError(body); ok {
		return prefix + s
	}
	if t1, t2, ok := strings.Cut(strings.TrimPrefix(body, "attempt to compare "), " with "); ok && len(body) > len("attempt to compare ") && !strings.Contains(t2, " ") {
		// luaG_ordererror tells the types apart by their third letter.
		if len(t1) > 2 && len(t2) > 2 && t1[2] == t2[2] {
			return prefix + "attempt to compare two " + t1 + " values"
		}
		return msg
	}
	pc, ok := framePC(dbg)
	if !ok || pc < 0 || pc >= len(f.Proto.Code) {
		return msg
	}
	x := &failing{L: L, dbg: dbg, fn: f, pc: pc}
	if s := x.describe(body); s != "" {
		return prefix + s
	}
	return msg
}

// quoteArgFunc quotes the function a "bad argument" error names, as
// luaL_argerror does ("bad argument #1 to 'floor' (...)"); gopher-lua
// leaves it bare, and calls one it has no name for "(anonymous)" where
// Lua says '?'.
func quoteArgFunc(msg string) string {
	if head, ok := strings.CutSuffix(msg, " in table for concat"); ok {
		return head + " in table for 'concat'" // tablelib's, quoted as Lua's
	}
	i := strings.Index(msg, "bad argument #")
	if i < 0 {
		return msg
	}
	_, rest, ok := strings.Cut(msg[i:], " to ")
	if !ok || strings.HasPrefix(rest, "'") {
		return msg
	}
	name, tail, ok := strings.Cut(rest, " (")
	if !ok || name == "" {
		return msg
	}
	if name == "(anonymous)" {
		name = "?"
	}
	return msg[:len(msg)-len(rest)] + "'" + name + "' (" + tail
}

// goFuncError takes off the position gopher-lua gives an error a Go
// function raised where Lua 5.1 gives none: its comparisons (table.sort's)
// are the VM's errors raised outside a Lua function (no position at all),
// and an argument error (luaL_where(L, 1)) has its caller's position only
// when that is a Lua function. gopher-lua's is the nearest Lua caller's.
func goFuncError(L *glua.LState, level int, dbg *glua.Debug, msg string) string {
	pos, direct := "", true
	for k := level + 1; pos == ""; k++ {
		d, ok := L.GetStack(k)
		if !ok {
			return msg
		}
		if _, err := L.GetInfo("Sl", d, glua.LNil); err != nil {
			return msg
		}
		if d.What != "G" && d.CurrentLine > 0 {
			pos = d.Source + ":" + strconv.Itoa(d.CurrentLine) + ": "
		} else {
			direct = false
		}
	}
	body, ok := strings.CutPrefix(msg, pos)
	if !ok {
		return msg
	}
	if t1, t2, ok := strings.Cut(strings.TrimPrefix(body, "attempt to compare "), " with "); ok && strings.HasPrefix(body, "attempt to compare ") {
		if len(t1) > 2 && len(t2) > 2 && t1[2] == t2[2] {
			return "attempt to compare two " + t1 + " values"
		}
		return body
	}
	if !direct && strings.HasPrefix(body, "bad argument #") {
		return body
	}
	return msg
}

// noValue words a Go function's "got nil" for an argument it was not
// given as luaL_typerror does: "got no value". The frame's slots past
// its arguments hold what the error pushed (the message first), never
// the nil the check saw.
func noValue(L *glua.LState, dbg *glua.Debug, msg string) string {
	head, ok := strings.CutSuffix(msg, " expected, got nil)")
	if !ok {
		return msg
	}
	i := strings.LastIndex(head, "bad argument #")
	if i < 0 {
		return msg
	}
	num, _, _ := strings.Cut(head[i+len("bad argument #"):], " ")
	n, err := strconv.Atoi(num)
	if err != nil || n < 1 {
		return msg
	}
	if name, v := L.GetLocal(dbg, n); name != "" && v == glua.LNil {
		return msg // a nil it was given
	}
	return head + " expected, got no value)"
}

// forError maps gopher-lua's numeric-for errors to Lua 5.1's (lvm.c).
func forError(msg string) (string, bool) {
	switch msg {
	case "for statement init must be a number":
		return "'for' initial value must be a number", true
	case "for statement limit must be a number":
		return "'for' limit must be a number", true
	case "for statement step must be a number":
		return "'for' step must be a number", true
	}
	return "", false
}

// framePC is the index of the instruction the frame dbg stands for is
// executing. gopher-lua keeps it in Debug's unexported frame (its Pc is
// one past the instruction, as Lua's savedpc); reflection reads it
// without changing anything, and a gopher-lua that moves it makes this
// report false (the error keeps gopher-lua's wording; tests catch it).
func framePC(dbg *glua.Debug) (int, bool) {
	fr := frameOf(dbg)
	if !fr.IsValid() {
		return 0, false
	}
	pc := fr.Elem().FieldByName("Pc")
	if pc.Kind() != reflect.Int {
		return 0, false
	}
	return int(pc.Int()) - 1, true
}

// frameOf is Debug's frame (see framePC), invalid when it has none.
func frameOf(dbg *glua.Debug) reflect.Value {
	fr := reflect.ValueOf(dbg).Elem().FieldByName("frame")
	if fr.Kind() != reflect.Pointer || fr.IsNil() {
		return reflect.Value{}
	}
	return fr
}

// luaError is Lua 5.1's error: any value, nil too, is raised, and a
// string or number gets the position of the function level levels up
// (luaL_where; 1 is error's caller). gopher-lua's wants a value and
// counts levels from the caller (level 2 names the caller again).
func luaError(L *glua.LState) int {
	obj := L.Get(1)
	level := L.OptInt(2, 1)
	if level > 0 {
		switch v := obj.(type) {
		case glua.LString:
			obj = glua.LString(where(L, level) + string(v))
		case glua.LNumber:
			obj = glua.LString(where(L, level) + formatNumber(float64(v)))
		}
	}
	L.Error(obj, 0)
	return 0
}

// where is luaL_where: "<source>:<line>: " for the Lua function level
// levels up, "" for a Go function or a level a tail call replaced.
func where(L *glua.LState, level int) string {
	dbg, ok := L.GetStack(level)
	if !ok {
		return ""
	}
	// gopher-lua answers a level lost to a tail call with the bottom
	// frame, which the level below it reaches too: Lua has no line there.
	if below, ok := L.GetStack(level - 1); ok {
		if a, b := frameOf(dbg), frameOf(below); a.IsValid() && b.IsValid() && a.Pointer() == b.Pointer() {
			return ""
		}
	}
	if _, err := L.GetInfo("Sl", dbg, glua.LNil); err != nil || dbg.What == "G" || dbg.CurrentLine <= 0 {
		return ""
	}
	return dbg.Source + ":" + strconv.Itoa(dbg.CurrentLine) + ": "
}

// failing is the instruction a runtime error stopped at.
type failing struct {
	L   *glua.LState
	dbg *glua.Debug
	fn  *glua.LFunction
	pc  int
}

// Lua 5.1 instruction fields as gopher-lua lays them out (opcode.go).
func opOf(i uint32) int { return int(i >> 26) }
func argA(i uint32) int { return int(i>>18) & 0xff }
func argB(i uint32) int { return int(i & 0x1ff) }
func argC(i uint32) int { return int(i>>9) & 0x1ff }
func argBx(i uint32) int {
	return int(i & 0x3ffff)
}
func argSBx(i uint32) int { return argBx(i) - 0x3ffff>>1 }

// rkConst is set in an RK operand that names a constant.
const rkConst = 1 << 8

// describe is the Lua 5.1 message for body at the failing instruction,
// or "" when the instruction is not one that raises it.
func (x *failing) describe(body string) string {
	inst := x.fn.Proto.Code[x.pc]
	op := opOf(inst)
	switch {
	case body == "attempt to call a non-function object":
		switch op {
		case glua.OP_CALL, glua.OP_TAILCALL:
			return x.typeError(argA(inst), "call", "")
		case glua.OP_TFORLOOP:
			// Lua calls a copy of the generator above the loop's
			// registers, which no instruction before set: no name.
			return "attempt to call a " + x.reg(argA(inst)).Type().String() + " value"
		}
	case strings.HasPrefix(body, "attempt to index a non-table object("):
		// The object gopher-lua names may be one an __index chain
		// reached, not the register: then Lua 5.1 gives no name either.
		typ, _, _ := strings.Cut(strings.TrimPrefix(body, "attempt to index a non-table object("), ")")
		switch op {
		case glua.OP_GETTABLE, glua.OP_GETTABLEKS, glua.OP_SELF:
			return x.typeError(argB(inst), "index", typ)
		case glua.OP_SETTABLE, glua.OP_SETTABLEKS:
			return x.typeError(argA(inst), "index", typ)
		}
	case body == "__unm undefined":
		if op == glua.OP_UNM {
			return x.typeError(argB(inst), "perform arithmetic on", "")
		}
	case body == "__len undefined":
		if op == glua.OP_LEN {
			return x.typeError(argB(inst), "get length of", "")
		}
	case strings.HasPrefix(body, "cannot perform concat operation between "):
		if op == glua.OP_CONCAT {
			return x.concatError(argB(inst), argC(inst))
		}
	case strings.HasPrefix(body, "cannot perform "):
		if glua.OP_ADD <= op && op <= glua.OP_POW {
			// luaG_aritherror: the first operand when it is not a
			// number (gopher-lua names its type after converting a
			// numeric string, as Lua's tonumber does), else the second.
			_, types, _ := strings.Cut(body, " operation between ")
			if t1, _, _ := strings.Cut(types, " and "); t1 != "number" {
				return x.rkError(argB(inst))
			}
			return x.rkError(argC(inst))
		}
	}
	return ""
}

// rkError is the arithmetic error for an RK operand: a constant is not
// in the stack, so Lua names it not.
func (x *failing) rkError(rk int) string {
	if rk&rkConst != 0 {
		return "attempt to perform arithmetic on a " + x.rk(rk).Type().String() + " value"
	}
	return x.typeError(rk, "perform arithmetic on", "")
}

// concatError is luaG_concaterror for CONCAT over registers b..c: Lua
// concatenates from the right, and of the first pair that fails blames
// the left value unless it is a string or number.
func (x *failing) concatError(b, c int) string {
	rhs, rreg := x.reg(c), c
	for i := c - 1; i >= b; i-- {
		lhs := x.reg(i)
		if !stringable(lhs) || !stringable(rhs) {
			if stringable(lhs) {
				if rreg < 0 {
					break // a __concat result: not in the stack
				}
				return x.typeError(rreg, "concatenate", "")
			}
			return x.typeError(i, "concatenate", "")
		}
		rhs, rreg = glua.LString(""), -1
	}
	return ""
}

func stringable(v glua.LValue) bool {
	switch v.(type) {
	case glua.LString, glua.LNumber:
		return true
	}
	return false
}

// reg is register r of the failing frame (Lua's "(*temporary)" slots
// included), nil when the frame has no such register.
func (x *failing) reg(r int) glua.LValue {
	name, v := x.L.GetLocal(x.dbg, r+1)
	if name == "" {
		return glua.LNil
	}
	return v
}

// rk is an RK operand's value: a constant or a register.
func (x *failing) rk(rk int) glua.LValue {
	if rk&rkConst != 0 {
		k := rk &^ rkConst
		if k < len(x.fn.Proto.Constants) {
			return x.fn.Proto.Constants[k]
		}
		return glua.LNil
	}
	return x.reg(rk)
}

// typeError is luaG_typeerror for the value in register r. typ, when set,
// is the type of the value that failed: if the register holds another,
// the failing value was not in the stack and has no name.
func (x *failing) typeError(r int, op, typ string) string {
	v := x.reg(r)
	t := v.Type().String()
	if typ != "" && typ != t {
		return "attempt to " + op + " a " + typ + " value"
	}
	if kind, name := objName(x.fn.Proto, x.pc, r); kind != "" {
		return "attempt to " + op + " " + kind + " '" + name + "' (a " + t + " value)"
	}
	return "attempt to " + op + " a " + t + " value"
}

// objName is getobjname: what register r holds at pc, by name.
func objName(p *glua.FunctionProto, pc, r int) (kind, name string) {
	if name, ok := localName(p, r+1, pc); ok {
		return "local", name
	}
	i, ok := lastSet(p, pc, r)
	if !ok {
		return "", ""
	}
	switch opOf(i) {
	case glua.OP_GETGLOBAL:
		if s, ok := p.Constants[argBx(i)].(glua.LString); ok {
			return "global", string(s)
		}
	case glua.OP_MOVE, glua.OP_MOVEN:
		if b := argB(i); b < argA(i) {
			return objName(p, pc, b)
		}
	case glua.OP_GETTABLE, glua.OP_GETTABLEKS:
		return "field", constName(p, argC(i))
	case glua.OP_GETUPVAL:
		name := "?"
		if b := argB(i); b < len(p.DbgUpvalues) {
			name = p.DbgUpvalues[b]
		}
		return "upvalue", name
	case glua.OP_SELF:
		return "method", constName(p, argC(i))
	}
	return "", ""
}

// localName is luaF_getlocalname: the name of the n-th local active at
// pc. gopher-lua's LocalName starts a local one instruction late.
func localName(p *glua.FunctionProto, n, pc int) (string, bool) {
	for _, lv := range p.DbgLocals {
		if lv.StartPc > pc {
			break
		}
		if pc < lv.EndPc {
			if n--; n == 0 {
				return lv.Name, true
			}
		}
	}
	return "", false
}

// constName is kname: a string constant's text, else "?".
func constName(p *glua.FunctionProto, rk int) string {
	if rk&rkConst != 0 {
		if s, ok := p.Constants[rk&^rkConst].(glua.LString); ok {
			return string(s)
		}
	}
	return "?"
}

// lastSet is symbexec's answer: the last instruction before lastpc that
// set register r, following forward jumps that do not pass lastpc, as
// Lua 5.1 traces it.
func lastSet(p *glua.FunctionProto, lastpc, r int) (uint32, bool) {
	last := -1
	for pc := 0; pc < lastpc && pc < len(p.Code); pc++ {
		i := p.Code[pc]
		op, a := opOf(i), argA(i)
		if setsA(op) && a == r {
			last = pc
		}
		switch op {
		case glua.OP_LOADNIL:
			if a <= r && r <= argB(i) {
				last = pc
			}
		case glua.OP_SELF:
			if r == a+1 {
				last = pc
			}
		case glua.OP_TFORLOOP:
			if r >= a+2 {
				last = pc
			}
		case glua.OP_CALL, glua.OP_TAILCALL:
			if r >= a {
				last = pc
			}
		case glua.OP_FORLOOP, glua.OP_FORPREP, glua.OP_JMP:
			if dest := pc + 1 + argSBx(i); pc < dest && dest <= lastpc {
				pc += argSBx(i)
			}
		case glua.OP_SETLIST:
			if argC(i) == 0 {
				pc++ // the next word is the block number
			}
		case glua.OP_CLOSURE:
			// The upvalue pseudo-instructions after it are not run.
			if bx := argBx(i); bx < len(p.FunctionPrototypes) {
				pc += int(p.FunctionPrototypes[bx].NumUpvalues)
			}
		}
	}
	if last < 0 {
		return 0, false
	}
	return p.Code[last], true
}

// setsA reports whether an opcode writes its register A (Lua 5.1's
// testAMode, with gopher-lua's MOVEN and GETTABLEKS).
func setsA(op int) bool {
	switch op {
	case glua.OP_SETGLOBAL, glua.OP_SETUPVAL, glua.OP_SETTABLE, glua.OP_SETTABLEKS,
		glua.OP_JMP, glua.OP_EQ, glua.OP_LT, glua.OP_LE, glua.OP_RETURN,
		glua.OP_TFORLOOP, glua.OP_SETLIST, glua.OP_CLOSE, glua.OP_NOP:
		return false
	}
	return true
}

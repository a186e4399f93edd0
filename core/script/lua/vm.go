package lua

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	glua "github.com/yuin/gopher-lua"

	"github.com/syncscope/syncscope/core/script"
)

// Redis's version as scripts see it (redis.REDIS_VERSION, _NUM).
const (
	redisVersion    = "7.0.15"
	redisVersionNum = 0x0007000f
)

// allowedGlobals are the globals a script may see (script_lua.c's allow
// lists); the Lua libraries' others (print, dofile, loadfile, require,
// module...) are removed.
func allowedGlobal(name string) bool {
	switch name {
	case "string", "cjson", "bit", "cmsgpack", "math", "table", "struct",
		"redis", "xpcall", "tostring", "getfenv", "setmetatable", "next", "assert",
		"tonumber", "rawequal", "collectgarbage", "getmetatable", "rawset", "pcall",
		"coroutine", "type", "_G", "select", "unpack", "gcinfo", "pairs", "rawget",
		"loadstring", "ipairs", "_VERSION", "setfenv", "load", "error", "newproxy":
		return true
	}
	return false
}

// newVM starts an interpreter with Redis's libraries and API. eval says it
// runs EVAL scripts (redis.breakpoint, debug, replicate_commands exist).
func newVM(eval bool) *vm {
	// Lua 5.1 lets a C function push about 8000 values (LUAI_MAXCSTACK):
	// unpack of a 7999-element table into redis.call must fit.
	L := glua.NewState(glua.Options{SkipOpenLibs: true, RegistrySize: 1024 * 4, RegistryMaxSize: 1024 * 1024, RegistryGrowStep: 1024})
	v := &vm{L: L, proxies: make(map[*glua.LTable]bool), small: newSmallInts()}
	v.rand.seed48(0x1234abcd330e)
	for _, lib := range []struct {
		name string
		open glua.LGFunction
	}{
		{glua.BaseLibName, glua.OpenBase},
		{glua.TabLibName, glua.OpenTable},
		{glua.StringLibName, glua.OpenString},
		{glua.MathLibName, glua.OpenMath},
	} {
		L.Push(L.NewFunction(lib.open))
		L.Push(glua.LString(lib.name))
		L.Call(1, 0)
	}
	openCoroutine(L)
	g := L.G.Global
	v.globals = g
	openLibs(v)

	reraise := L.NewFunction(reraise51)
	g.RawSetString("pcall", L.NewFunction(func(L *glua.LState) int { return luaPcall(L, reraise) }))
	g.RawSetString("xpcall", L.NewFunction(xpcall))
	g.RawSetString("setmetatable", L.NewFunction(v.setmetatable))
	g.RawSetString("rawset", L.NewFunction(v.rawset))
	tostring := g.RawGetString("tostring")
	g.RawSetString("tostring", L.NewFunction(func(L *glua.LState) int {
		if n, ok := L.Get(1).(glua.LNumber); ok {
			L.Push(glua.LString(formatNumber(float64(n))))
			return 1
		}
		v := L.CheckAny(1) // before pushing: the push would be argument 1
		L.Push(tostring)
		L.Push(v)
		L.Call(1, 1)
		return 1
	}))
	g.RawSetString("gcinfo", L.NewFunction(func(L *glua.LState) int { L.Push(glua.LNumber(0)); return 1 }))

	redis := L.NewTable()
	set := func(name string, f glua.LGFunction) { redis.RawSetString(name, L.NewFunction(f)) }
	set("call", func(L *glua.LState) int { return v.redisCall(L, true) })
	set("pcall", func(L *glua.LState) int { return v.redisCall(L, false) })
	set("log", v.log)
	set("setresp", v.setresp)
	set("sha1hex", sha1hex)
	set("error_reply", errorReply)
	set("status_reply", statusReply)
	set("set_repl", v.setRepl)
	set("acl_check_cmd", v.aclCheckCmd)
	if eval {
		set("breakpoint", v.breakpoint)
		set("debug", v.debug)
		set("replicate_commands", func(L *glua.LState) int { L.Push(glua.LTrue); return 1 })
	}
	for name, n := range map[string]int{
		"LOG_DEBUG": 0, "LOG_VERBOSE": 1, "LOG_NOTICE": 2, "LOG_WARNING": 3,
		"REPL_NONE": 0, "REPL_AOF": script.ReplAOF, "REPL_SLAVE": script.ReplReplica,
		"REPL_REPLICA": script.ReplReplica, "REPL_ALL": script.ReplAOF | script.ReplReplica,
		"REDIS_VERSION_NUM": redisVersionNum,
	} {
		redis.RawSetString(name, glua.LNumber(n))
	}
	redis.RawSetString("REDIS_VERSION", glua.LString(redisVersion))
	g.RawSetString("redis", redis)

	str := g.RawGetString("string").(*glua.LTable)
	str.RawSetString("dump", L.NewFunction(stringDump))
	str.RawSetString("format", L.NewFunction(stringFormat))
	str.RawSetString("char", L.NewFunction(stringChar))
	str.RawSetString("rep", L.NewFunction(stringRep))
	tab := g.RawGetString("table").(*glua.LTable)
	tab.RawSetString("concat", L.NewFunction(tableConcat))
	tab.RawSetString("insert", L.NewFunction(checkedInsert(tab.RawGetString("insert"))))
	g.RawSetString("unpack", L.NewFunction(unpack))
	g.RawSetString("tonumber", L.NewFunction(checkedToNumber(g.RawGetString("tonumber"))))
	g.RawSetString("loadstring", L.NewFunction(loadstring))
	g.RawSetString("error", L.NewFunction(luaError))
	g.RawSetString("assert", L.NewFunction(luaAssert))
	math := g.RawGetString("math").(*glua.LTable)
	math.RawSetString("max", L.NewFunction(mathMinMax(true)))
	math.RawSetString("min", L.NewFunction(mathMinMax(false)))
	math.RawSetString("random", L.NewFunction(v.random))
	math.RawSetString("randomseed", L.NewFunction(v.randomseed))

	var drop []string
	each(g, func(k, _ glua.LValue) {
		if s, ok := k.(glua.LString); ok && !allowedGlobal(string(s)) {
			drop = append(drop, string(s))
		}
	})
	for _, k := range drop {
		g.RawSetString(k, glua.LNil)
	}
	v.protect()
	return v
}

// protect locks the globals as Redis 7.0 does: the scripts' global table
// becomes an empty proxy whose reads fall through to the real one (a
// missing name is an error) and whose writes fail, and each library table
// is replaced by such a proxy too. gopher-lua has no read-only tables, so
// the proxies stand in for them.
func (v *vm) protect() {
	L := v.L
	g := v.globals
	var libs []string
	each(g, func(k, val glua.LValue) {
		if _, ok := val.(*glua.LTable); ok && k.String() != "_G" {
			libs = append(libs, k.String())
		}
	})
	for _, name := range libs {
		g.RawSetString(name, v.readOnly(g.RawGetString(name).(*glua.LTable)))
	}
	missing := missingGlobals(L)
	L.SetMetatable(g, missing)
	proxy := v.readOnly(g)
	v.globalsMT = proxy.Metatable.(*glua.LTable)
	g.RawSetString("_G", proxy)
	L.G.Global = proxy
	L.Env = proxy
}

// missingGlobals is a metatable whose __index raises Redis's error for a
// name no global holds (the globals', and a function library's API's).
func missingGlobals(L *glua.LState) *glua.LTable {
	mt := L.NewTable()
	mt.RawSetString("__index", L.NewFunction(func(L *glua.LState) int {
		L.RaiseError("Script attempted to access nonexistent global variable '%s'", L.ToStringMeta(L.Get(2)).String())
		return 0
	}))
	return mt
}

// readOnly is an empty table reading through to t and refusing writes.
// getmetatable shows a read-only stand-in, and setmetatable and rawset
// refuse the proxies (see setmetatable, rawset).
func (v *vm) readOnly(t *glua.LTable) *glua.LTable {
	L := v.L
	refuse := L.NewFunction(readonlyError)
	hidden := L.NewTable()
	hmt := L.NewTable()
	hmt.RawSetString("__newindex", refuse)
	L.SetMetatable(hidden, hmt)
	mt := L.NewTable()
	mt.RawSetString("__index", t)
	mt.RawSetString("__newindex", refuse)
	mt.RawSetString("__metatable", hidden)
	p := L.NewTable()
	L.SetMetatable(p, mt)
	v.proxies[p] = true
	v.proxies[hidden] = true
	return p
}

func readonlyError(L *glua.LState) int {
	L.RaiseError("Attempt to modify a readonly table")
	return 0
}

// setmetatable is Lua's, refusing the read-only proxies.
func (v *vm) setmetatable(L *glua.LState) int {
	t := L.CheckTable(1)
	if v.proxies[t] {
		return readonlyError(L)
	}
	mt := L.Get(2)
	switch mt.(type) {
	case *glua.LNilType, *glua.LTable:
	default:
		L.ArgError(2, "nil or table expected")
	}
	if L.GetMetaField(t, "__metatable") != glua.LNil {
		L.RaiseError("cannot change a protected metatable")
	}
	L.SetMetatable(t, mt)
	L.Push(t)
	return 1
}

// rawset is Lua's, refusing the read-only proxies.
func (v *vm) rawset(L *glua.LState) int {
	t := L.CheckTable(1)
	if v.proxies[t] {
		return readonlyError(L)
	}
	t.RawSet(L.CheckAny(2), L.CheckAny(3))
	L.Push(t)
	return 1
}

// luaPcall is Redis's pcall: an error that is a table with an err field
// (redis.call's) is returned as that string, as Redis 6 returned it.
func luaPcall(L *glua.LState, handler *glua.LFunction) int {
	if L.GetTop() == 0 {
		// Redis's pcall (luaRedisPcall) then calls its own result
		// placeholder, true.
		L.Push(glua.LFalse)
		L.Push(glua.LString("attempt to call a boolean value"))
		return 2
	}
	fn := L.Get(1)
	if _, ok := fn.(*glua.LFunction); !ok && L.GetMetaField(fn, "__call") == glua.LNil {
		// Lua 5.1 fails the call in pcall's own C frame: no position.
		L.Push(glua.LFalse)
		L.Push(glua.LString("attempt to call a " + fn.Type().String() + " value"))
		return 2
	}
	top := L.GetTop()
	err := L.PCall(top-1, glua.MultRet, handler)
	if err != nil {
		var obj glua.LValue = glua.LString(err.Error())
		if ae, ok := err.(*glua.ApiError); ok && ae.Object != nil {
			obj = ae.Object
		}
		if t, ok := obj.(*glua.LTable); ok {
			if s, ok := t.RawGetString("err").(glua.LString); ok {
				obj = s
			}
		}
		L.Push(glua.LFalse)
		L.Push(obj)
		return 2
	}
	L.Insert(glua.LTrue, 1)
	return L.GetTop()
}

// reraise51 is pcall's error handler: it rewords a runtime error as Lua
// 5.1 does while the failing frame is still there (lua51Error), and
// raises it again: raising from the handler closes the upvalues, as an
// error raised without a handler does (gopher-lua leaves them open when
// there is one).
func reraise51(L *glua.LState) int {
	errv := L.Get(1)
	if s, ok := errv.(glua.LString); ok {
		errv = glua.LString(lua51Error(L, 1, string(s)))
	}
	L.Error(errv, 0)
	return 0
}

// xpcall is Lua 5.1's: any handler value (one that is not a function
// makes every error "error in error handling"), a function that cannot
// be called handed to the handler as the error it raises, and the
// message reworded as Lua 5.1 words it (lua51Error) before the handler
// sees it. gopher-lua's wants two functions.
func xpcall(L *glua.LState) int {
	L.CheckAny(2)
	fn, h := L.Get(1), L.Get(2)
	hf, _ := h.(*glua.LFunction)
	handle := func(L *glua.LState, errv glua.LValue) glua.LValue {
		if hf == nil {
			return glua.LString("error in error handling")
		}
		L.Push(hf)
		L.Push(errv)
		L.Call(1, 1)
		return L.Get(-1)
	}
	L.SetTop(0)
	if _, ok := fn.(*glua.LFunction); !ok && L.GetMetaField(fn, "__call") == glua.LNil {
		// Lua fails the call in xpcall's own C frame: no position.
		res := handle(L, glua.LString("attempt to call a "+fn.Type().String()+" value"))
		L.SetTop(0)
		L.Push(glua.LFalse)
		L.Push(res)
		return 2
	}
	L.Push(fn)
	err := L.PCall(0, glua.MultRet, L.NewFunction(func(L *glua.LState) int {
		errv := L.Get(1)
		if s, ok := errv.(glua.LString); ok {
			errv = glua.LString(lua51Error(L, 1, string(s)))
		}
		L.Push(handle(L, errv))
		return 1
	}))
	if err != nil {
		L.SetTop(0)
		L.Push(glua.LFalse)
		var ae *glua.ApiError
		if errors.As(err, &ae) {
			L.Push(ae.Object)
		} else {
			L.Push(glua.LString(err.Error()))
		}
		return 2
	}
	L.Insert(glua.LTrue, 1)
	return L.GetTop()
}

// luaAssert is Lua 5.1's assert: a value is required, and the message
// may be a number.
func luaAssert(L *glua.LState) int {
	if !glua.LVAsBool(L.CheckAny(1)) {
		msg := "assertion failed!"
		if L.Get(2) != glua.LNil {
			msg = checkLString(L, 2)
		}
		L.RaiseError("%s", msg)
	}
	return L.GetTop()
}

// mathMinMax is Lua 5.1's math.max (max) or math.min: at least one
// number, compared as C compares them.
func mathMinMax(max bool) glua.LGFunction {
	return func(L *glua.LState) int {
		m := L.CheckNumber(1)
		for i := 2; i <= L.GetTop(); i++ {
			if d := L.CheckNumber(i); max && d > m || !max && d < m {
				m = d
			}
		}
		L.Push(m)
		return 1
	}
}

// pushError pushes the table redis.pcall returns for an error
// (luaPushErrorBuff): "-CODE msg" keeps its code, a bare msg gets ERR.
func pushError(L *glua.LState, msg string) *glua.LTable {
	code := "ERR"
	if strings.HasPrefix(msg, "-") {
		if i := strings.IndexByte(msg, ' '); i >= 0 {
			code, msg = msg[1:i], msg[i+1:]
		} else {
			msg = msg[1:]
		}
	}
	msg = strings.TrimRight(msg, "\r\n")
	t := L.NewTable()
	t.RawSetString("err", glua.LString(code+" "+msg))
	L.Push(t)
	return t
}

// raise raises a Redis error table (luaPushError then lua_error).
func raise(L *glua.LState, msg string) int {
	t := pushError(L, msg)
	L.Error(t, 1)
	return 0
}

func (v *vm) current(L *glua.LState, what string) *run {
	if v.run == nil {
		raise(L, what+" can only be called inside a script invocation")
	}
	return v.run
}

// redisCall is redis.call (raise) and redis.pcall (luaRedisGenericCommand).
func (v *vm) redisCall(L *glua.LState, raiseErr bool) int {
	r := v.current(L, "redis.call/pcall")
	argv, bad := v.luaArgs(L)
	if bad != "" {
		if v.dbg.enabled() {
			v.dbg.log("<error> " + bad)
		}
		L.SetTop(0)
		pushError(L, bad)
		return v.fail(L, raiseErr)
	}
	if v.dbg.enabled() {
		v.dbg.logCommand(argv)
	}
	reply, rejected := r.host.Call(argv, r.proto)
	if rejected != "" {
		if v.dbg.enabled() {
			v.dbg.log("<error> " + rejected)
		}
		t := pushError(L, rejected)
		t.RawSetString("ignore_error_stats_update", glua.LTrue)
		return v.fail(L, raiseErr)
	}
	val, isErr, ok := v.replyToLua(reply)
	if !ok {
		pushError(L, "reply could not be parsed")
		return v.fail(L, raiseErr)
	}
	L.Push(val)
	if v.dbg.enabled() {
		v.dbg.logReply(reply)
	}
	if raiseErr && isErr {
		L.Error(L.Get(-1), 1)
	}
	return 1
}

func (v *vm) fail(L *glua.LState, raiseErr bool) int {
	if raiseErr {
		L.Error(L.Get(-1), 1)
	}
	return 1
}

// log is redis.log(level, msg...).
func (v *vm) log(L *glua.LState) int {
	n := L.GetTop()
	if n < 2 {
		return raise(L, "redis.log() requires two arguments or more.")
	}
	lv, ok := L.Get(1).(glua.LNumber)
	if !ok {
		if s, isStr := L.Get(1).(glua.LString); isStr {
			if f, err := strconv.ParseFloat(strings.TrimSpace(string(s)), 64); err == nil {
				lv, ok = glua.LNumber(f), true
			}
		}
	}
	if !ok {
		return raise(L, "First argument must be a number (log level).")
	}
	level := int(lv)
	if level < 0 || level > 3 {
		return raise(L, "Invalid debug level.")
	}
	var parts []string
	for i := 2; i <= n; i++ {
		switch s := L.Get(i).(type) {
		case glua.LString:
			parts = append(parts, string(s))
		case glua.LNumber:
			parts = append(parts, s.String())
		}
	}
	if v.run != nil {
		v.run.host.Log(level, strings.Join(parts, " "))
	}
	return 0
}

// setresp is redis.setresp(2|3).
func (v *vm) setresp(L *glua.LState) int {
	r := v.current(L, "redis.setresp")
	if L.GetTop() != 1 {
		return raise(L, "redis.setresp() requires one argument.")
	}
	n := int(L.ToNumber(1))
	if n != 2 && n != 3 {
		return raise(L, "RESP version must be 2 or 3.")
	}
	r.proto = n
	return 0
}

// aclCheckCmd is redis.acl_check_cmd(command, args...).
func (v *vm) aclCheckCmd(L *glua.LState) int {
	r := v.current(L, "redis.acl_check_cmd")
	argv, bad := v.luaArgs(L)
	if bad != "" {
		return raise(L, bad)
	}
	allowed, known := r.host.ACLCheck(argv)
	if !known {
		return raise(L, "Invalid command passed to redis.acl_check_cmd()")
	}
	L.Push(glua.LBool(allowed))
	return 1
}

// luaArgs converts the call's arguments to a command's argv
// (luaArgsToRedisArgv): numbers as "%.17g"; bad is the error otherwise.
// The argv and its strings are carved out of v.args, so a call costs no
// allocation of its own.
func (v *vm) luaArgs(L *glua.LState) (argv [][]byte, bad string) {
	n := L.GetTop()
	if n == 0 {
		return nil, "Please specify at least one argument for this redis lib call"
	}
	argv = v.args.argv(n)
	for i := 1; i <= n; i++ {
		switch a := L.Get(i).(type) {
		case glua.LNumber:
			argv[i-1] = v.args.number(float64(a))
		case glua.LString:
			argv[i-1] = v.args.str(string(a))
		default:
			return nil, "Lua redis lib command arguments must be strings or integers"
		}
	}
	L.SetTop(0)
	return argv, ""
}

// setRepl is redis.set_repl(flags).
func (v *vm) setRepl(L *glua.LState) int {
	r := v.current(L, "redis.set_repl")
	if L.GetTop() != 1 {
		return raise(L, "redis.set_repl() requires two arguments.")
	}
	flags := int(L.ToNumber(1))
	if flags&^(script.ReplAOF|script.ReplReplica) != 0 {
		return raise(L, "Invalid replication flags. Use REPL_AOF, REPL_REPLICA, REPL_ALL or REPL_NONE.")
	}
	r.host.SetRepl(flags)
	return 0
}

func sha1hex(L *glua.LState) int {
	if L.GetTop() != 1 {
		return raise(L, "wrong number of arguments")
	}
	s := L.ToStringMeta(L.Get(1))
	if _, ok := L.Get(1).(glua.LString); !ok {
		if _, ok := L.Get(1).(glua.LNumber); !ok {
			s = glua.LString("")
		}
	}
	L.Push(glua.LString(SHA1Hex([]byte(s.String()))))
	return 1
}

// errorReply is redis.error_reply(msg): {err=msg}, "-" and code handled
// as luaPushErrorBuff does.
func errorReply(L *glua.LState) int {
	s, ok := replyArg(L)
	if !ok {
		return 1
	}
	msg := string(s)
	if !strings.HasPrefix(msg, "-") {
		msg = "-" + msg
	}
	pushError(L, msg)
	return 1
}

func statusReply(L *glua.LState) int {
	s, ok := replyArg(L)
	if !ok {
		return 1
	}
	t := L.NewTable()
	t.RawSetString("ok", s)
	L.Push(t)
	return 1
}

// replyArg is error_reply's and status_reply's one string argument; false,
// with the error pushed as their result, for any other arguments.
func replyArg(L *glua.LState) (glua.LString, bool) {
	s, ok := L.Get(-1).(glua.LString)
	if L.GetTop() != 1 || !ok {
		pushError(L, "wrong number or type of arguments")
		return "", false
	}
	return s, true
}

// random is Redis's math.random over redisLrand48, so a seed gives the
// same sequence on every platform.
func (v *vm) random(L *glua.LState) int {
	v.current(L, "math.random")
	r := float64(v.rand.next()%math.MaxInt32) / float64(math.MaxInt32)
	switch L.GetTop() {
	case 0:
		L.Push(glua.LNumber(r))
	case 1:
		u := checkInt(L, 1)
		if u < 1 {
			L.ArgError(1, "interval is empty")
		}
		L.Push(glua.LNumber(math.Floor(r*float64(u)) + 1))
	case 2:
		l, u := checkInt(L, 1), checkInt(L, 2)
		if l > u {
			L.ArgError(2, "interval is empty")
		}
		L.Push(glua.LNumber(math.Floor(r*float64(u-l+1)) + float64(l)))
	default:
		L.RaiseError("wrong number of arguments")
	}
	return 1
}

func (v *vm) randomseed(L *glua.LState) int {
	v.current(L, "math.randomseed")
	seed := int32(checkInt(L, 1))
	v.rand.seed48(uint64(uint32(seed))<<16 | 0x330e)
	return 0
}

// checkInt is luaL_checkint: a number, or a string that reads as one.
func checkInt(L *glua.LState, i int) int {
	switch v := L.Get(i).(type) {
	case glua.LNumber:
		return int(v)
	case glua.LString:
		if f, err := strconv.ParseFloat(strings.TrimSpace(string(v)), 64); err == nil {
			return int(f)
		}
	}
	L.TypeError(i, glua.LTNumber)
	return 0
}

// lrand48 is the 48-bit generator of Redis's rand.c (drand48's).
type lrand48 struct{ x uint64 }

func (r *lrand48) seed48(x uint64) { r.x = x & (1<<48 - 1) }

func (r *lrand48) next() int32 {
	r.x = (0x5DEECE66D*r.x + 0xB) & (1<<48 - 1)
	return int32(r.x >> 17)
}

// breakpoint is redis.breakpoint(): during a debugger session the script
// stops at its next line.
func (v *vm) breakpoint(L *glua.LState) int {
	if v.dbg == nil {
		L.Push(glua.LFalse)
		return 1
	}
	v.dbg.luabp = true
	L.Push(glua.LTrue)
	return 1
}

// debug is redis.debug(...): during a debugger session its arguments are
// logged to the debugging client, with the line that logged them.
func (v *vm) debug(L *glua.LState) int {
	if v.dbg == nil {
		return 0
	}
	parts := make([]string, L.GetTop())
	for i := range parts {
		parts[i] = catValue(L.Get(i+1), 0)
	}
	v.dbg.log(fmt.Sprintf("<debug> line %d: %s", v.dbg.current, strings.Join(parts, ", ")))
	return 0
}

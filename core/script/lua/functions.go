package lua

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	glua "github.com/yuin/gopher-lua"

	"github.com/syncscope/syncscope/core/resp"
	"github.com/syncscope/syncscope/core/script"
)

// loadBudget bounds the instructions a library's load may run: Redis
// gives FUNCTION LOAD 500 ms; an instruction count keeps the engine
// deterministic (at gopher-lua's pace it is of that order).
const loadBudget = 50_000_000

type library struct {
	name  string
	code  []byte
	funcs map[string]*function
}

type function struct {
	name, desc string
	flags      script.Flags
	fn         *glua.LFunction
	lib        *library
}

// FlushFunctions removes every library and starts the functions'
// interpreter afresh.
func (e *Engine) FlushFunctions() {
	e.fn = newVM(false)
	e.libs = make(map[string]*library)
	e.funcs = make(map[string]*function)
}

// validName is functionsVerifyName: letters, digits and underscores.
func validName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_') {
			return false
		}
	}
	return true
}

// libraryHeader reads "#!<engine> name=<name>" (functionExtractLibMetaData)
// and returns the engine, the name and the code after the line (its
// newline kept).
func libraryHeader(code []byte) (engine, name string, body []byte, err error) {
	if len(code) < 2 || code[0] != '#' || code[1] != '!' {
		return "", "", nil, errors.New("Missing library metadata")
	}
	end := strings.IndexByte(string(code), '\n')
	if end < 0 {
		return "", "", nil, errors.New("Invalid library metadata")
	}
	parts, ok := resp.SplitArgs(code[:end], nil)
	if !ok || len(parts) == 0 {
		return "", "", nil, errors.New("Invalid library metadata")
	}
	engine = string(parts[0][2:])
	named := false
	for _, p := range parts[1:] {
		if len(p) >= 5 && strings.EqualFold(string(p[:5]), "name=") {
			if named {
				return "", "", nil, errors.New("Invalid metadata value, name argument was given multiple times")
			}
			name, named = string(p[5:]), true
			continue
		}
		return "", "", nil, fmt.Errorf("Invalid metadata value given: %s", p)
	}
	if !named {
		return "", "", nil, errors.New("Library name was not given")
	}
	return engine, name, code[end:], nil
}

// LoadLibrary is FUNCTION LOAD (functionsCreateWithLibraryCtx).
func (e *Engine) LoadLibrary(code []byte, replace bool) (string, error) {
	engine, name, body, err := libraryHeader(code)
	if err != nil {
		return "", err
	}
	if !validName(name) {
		return "", errors.New("Library names can only contain letters, numbers, or underscores(_) and must be at least one character long")
	}
	if !strings.EqualFold(engine, "lua") {
		return "", fmt.Errorf("Engine '%s' not found", engine)
	}
	old := e.libs[strings.ToLower(name)]
	if old != nil && !replace {
		return "", fmt.Errorf("Library '%s' already exists", name)
	}
	lib := &library{name: name, code: append([]byte(nil), code...), funcs: make(map[string]*function)}
	if err := e.fn.loadLibrary(lib, body); err != nil {
		return "", err
	}
	if len(lib.funcs) == 0 {
		return "", errors.New("No functions registered")
	}
	for _, f := range sortedFuncs(lib) {
		if g, ok := e.funcs[strings.ToLower(f.name)]; ok && g.lib != old {
			return "", fmt.Errorf("Function %s already exists", f.name)
		}
	}
	if old != nil {
		e.unlink(old)
	}
	e.libs[strings.ToLower(name)] = lib
	for fname, f := range lib.funcs {
		e.funcs[fname] = f // lib.funcs is keyed in lower case too
	}
	return name, nil
}

func sortedFuncs(lib *library) []*function {
	out := make([]*function, 0, len(lib.funcs))
	for _, f := range lib.funcs {
		out = append(out, f)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].name < out[j].name })
	return out
}

func (e *Engine) unlink(lib *library) {
	delete(e.libs, strings.ToLower(lib.name))
	for fname := range lib.funcs {
		delete(e.funcs, fname)
	}
}

// DeleteLibrary is FUNCTION DELETE.
func (e *Engine) DeleteLibrary(name string) bool {
	lib, ok := e.libs[strings.ToLower(name)]
	if ok {
		e.unlink(lib)
	}
	return ok
}

// Libraries lists the libraries sorted by name.
func (e *Engine) Libraries() []script.Library {
	out := make([]script.Library, 0, len(e.libs))
	for _, lib := range e.libs {
		l := script.Library{Name: lib.name, Engine: "LUA", Code: lib.code}
		for _, f := range sortedFuncs(lib) {
			l.Functions = append(l.Functions, script.Function{Name: f.name, Description: f.desc, Flags: f.flags})
		}
		out = append(out, l)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// Function finds a function: its library and flags.
func (e *Engine) Function(name string) (string, script.Flags, bool) {
	f, ok := e.funcs[strings.ToLower(name)]
	if !ok {
		return "", 0, false
	}
	return f.lib.name, f.flags, true
}

// RunFunction is FCALL's run: the callback gets KEYS and ARGV as arguments.
func (e *Engine) RunFunction(name string, keys, args [][]byte, h script.Host, w *resp.Writer) {
	f, ok := e.funcs[strings.ToLower(name)]
	if !ok {
		w.Error("ERR Function not found")
		return
	}
	v := e.fn
	v.call(v.newRun(h, name), f.fn, []glua.LValue{v.array(keys), v.array(args)}, w)
}

// loadLibrary runs a library's code with only the load API visible
// (redis.register_function, redis.log, the version): luaEngineCreate.
func (v *vm) loadLibrary(lib *library, body []byte) error {
	L := v.L
	fn, err := compile(L, body, "user_function")
	if err != nil {
		return errors.New("Error compiling function: " + err.Error())
	}
	mt := v.globalsMT
	real := mt.RawGetString("__index")
	mt.RawSetString("__index", v.loadAPI(lib))
	v.ictx = interruptCtx{budget: loadBudget, why: "FUNCTION LOAD timeout"}
	L.SetContext(&v.ictx)
	v.loading = lib
	defer func() {
		v.loading = nil
		mt.RawSetString("__index", real)
		L.RemoveContext()
		L.SetTop(0)
	}()
	L.Push(fn)
	if err := L.PCall(0, 0, nil); err != nil {
		if v.ictx.stopped != nil {
			return errors.New("Error registering functions: " + v.ictx.why)
		}
		msg := err.Error()
		var ae *glua.ApiError
		if errors.As(err, &ae) && ae.Object != nil {
			msg = "ERR " + ae.Object.String()
			if t, ok := ae.Object.(*glua.LTable); ok {
				msg = t.RawGetString("err").String()
			}
		}
		return errors.New("Error registering functions: " + msg)
	}
	return nil
}

// loadAPI is the globals a library sees while it loads: a redis table
// with register_function, log and the version, read-only, and nothing else.
func (v *vm) loadAPI(lib *library) *glua.LTable {
	L := v.L
	redis := L.NewTable()
	redis.RawSetString("register_function", L.NewFunction(func(L *glua.LState) int {
		if v.loading != lib {
			return raise(L, "redis.register_function can only be called on FUNCTION LOAD command")
		}
		return registerFunction(L, lib)
	}))
	redis.RawSetString("log", L.NewFunction(v.log))
	for name, n := range map[string]int{"LOG_DEBUG": 0, "LOG_VERBOSE": 1, "LOG_NOTICE": 2, "LOG_WARNING": 3, "REDIS_VERSION_NUM": redisVersionNum} {
		redis.RawSetString(name, glua.LNumber(n))
	}
	redis.RawSetString("REDIS_VERSION", glua.LString(redisVersion))
	missing := missingGlobals(L)
	L.SetMetatable(redis, missing)
	api := L.NewTable()
	api.RawSetString("redis", v.readOnly(redis))
	L.SetMetatable(api, missing)
	return api
}

// registerFunction is redis.register_function, positional (name,
// callback) or named ({function_name=, callback=, flags=, description=}).
func registerFunction(L *glua.LState, lib *library) int {
	var f function
	switch L.GetTop() {
	case 1:
		t, ok := L.Get(1).(*glua.LTable)
		if !ok {
			return raise(L, "calling redis.register_function with a single argument is only applicable to Lua table (representing named arguments).")
		}
		var bad string
		named := false
		each(t, func(k, val glua.LValue) {
			if bad != "" {
				return
			}
			key, ok := k.(glua.LString)
			if !ok {
				if _, isNum := k.(glua.LNumber); !isNum {
					bad = "named argument key given to redis.register_function is not a string"
					return
				}
				key = glua.LString(k.String())
			}
			switch strings.ToLower(string(key)) {
			case "function_name":
				f.name, bad = namedString(val, "function_name")
				named = bad == ""
			case "description":
				f.desc, bad = namedString(val, "description")
			case "callback":
				fn, ok := val.(*glua.LFunction)
				if !ok {
					bad = "callback argument given to redis.register_function must be a function"
					return
				}
				f.fn = fn
			case "flags":
				ft, ok := val.(*glua.LTable)
				if !ok {
					bad = "flags argument to redis.register_function must be a table representing function flags"
					return
				}
				for i := 1; ; i++ {
					fv := ft.RawGetInt(i)
					if fv == glua.LNil {
						break
					}
					s, ok := luaString(fv)
					flag, known := script.ParseFlag(strings.ToLower(s))
					if !ok || !known {
						bad = "unknown flag given"
						return
					}
					f.flags |= flag
				}
			default:
				bad = "unknown argument given to redis.register_function"
			}
		})
		if bad != "" {
			return raise(L, bad)
		}
		if !named {
			return raise(L, "redis.register_function must get a function name argument")
		}
		if f.fn == nil {
			return raise(L, "redis.register_function must get a callback argument")
		}
	case 2:
		s, ok := luaString(L.Get(1))
		if !ok {
			return raise(L, "first argument to redis.register_function must be a string")
		}
		fn, ok := L.Get(2).(*glua.LFunction)
		if !ok {
			return raise(L, "second argument to redis.register_function must be a function")
		}
		f.name, f.fn = s, fn
	default:
		return raise(L, "wrong number of arguments to redis.register_function")
	}
	if !validName(f.name) {
		return raise(L, "Library names can only contain letters, numbers, or underscores(_) and must be at least one character long")
	}
	if _, dup := lib.funcs[strings.ToLower(f.name)]; dup {
		return raise(L, "Function already exists in the library")
	}
	f.lib = lib
	lib.funcs[strings.ToLower(f.name)] = &f
	return 0
}

// namedString is the value of register_function's named argument key,
// which must be a string (or a number), or the error it raises.
func namedString(val glua.LValue, key string) (string, string) {
	s, ok := luaString(val)
	if !ok {
		return "", key + " argument given to redis.register_function must be a string"
	}
	return s, ""
}

// luaString is lua_isstring then lua_tostring: strings and numbers.
func luaString(v glua.LValue) (string, bool) {
	switch s := v.(type) {
	case glua.LString:
		return string(s), true
	case glua.LNumber:
		return s.String(), true
	}
	return "", false
}

// RestoreLibraries is FUNCTION RESTORE's libraryJoin: every library is
// compiled aside first, so a failure changes nothing.
func (e *Engine) RestoreLibraries(codes [][]byte, policy script.RestorePolicy) error {
	aside := New()
	for _, code := range codes {
		if _, err := aside.LoadLibrary(code, false); err != nil {
			return err
		}
	}
	if policy != script.RestoreFlush {
		for _, lib := range aside.Libraries() {
			if _, ok := e.libs[strings.ToLower(lib.Name)]; ok && policy == script.RestoreAppend {
				return fmt.Errorf("Library %s already exists", lib.Name)
			}
			for _, f := range lib.Functions {
				if g, ok := e.funcs[strings.ToLower(f.Name)]; ok && !strings.EqualFold(g.lib.name, lib.Name) {
					return fmt.Errorf("Function %s already exists", f.Name)
				}
			}
		}
	} else {
		e.FlushFunctions()
	}
	for _, code := range codes {
		if _, err := e.LoadLibrary(code, true); err != nil {
			return err
		}
	}
	return nil
}

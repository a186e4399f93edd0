// Package lua is the Lua 5.1 scripting engine Redis 7.0 has, over
// github.com/yuin/gopher-lua: EVAL scripts and FUNCTION libraries, the
// redis.* API, Redis's reply conversions both ways (script_lua.c), and the
// protected globals. It implements script.Engine; the node is its Host.
package lua

import (
	"context"
	"crypto/sha1"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	glua "github.com/yuin/gopher-lua"

	"github.com/syncscope/syncscope/core/resp"
	"github.com/syncscope/syncscope/core/script"
)

// checkEvery is how many Lua instructions run between two polls of
// Host.Interrupted (Redis's count hook runs every 100000).
const checkEvery = 100000

// Engine is one node's scripting engine: an interpreter for EVAL scripts
// and one for FUNCTION libraries, as Redis keeps them apart.
type Engine struct {
	eval   *vm
	fn     *vm
	cached map[string]*cachedScript
	// libs and funcs are keyed by lower-case name: Redis compares library
	// and function names without case.
	libs  map[string]*library
	funcs map[string]*function
}

type cachedScript struct {
	flags script.Flags
	fn    *glua.LFunction
}

var _ script.Engine = (*Engine)(nil)

// New returns an engine with empty caches.
func New() *Engine {
	e := &Engine{}
	e.FlushScripts()
	e.FlushFunctions()
	return e
}

// vm is one interpreter and the run in progress on it.
type vm struct {
	L *glua.LState
	// globals is the real global table; L's globals are a read-only proxy
	// of it (Redis locks the global table).
	globals *glua.LTable
	proxies map[*glua.LTable]bool // the read-only stand-ins (see readOnly)
	// globalsMT is the globals proxy's metatable: FUNCTION LOAD points its
	// __index at the load API while a library loads.
	globalsMT *glua.LTable
	run       *run
	loading   *library // the library FUNCTION LOAD is running
	// errHandler is Redis's __redis__err__handler, made once.
	errHandler *glua.LFunction
	ictx       interruptCtx
	dbg        *ldb // the Lua debugger session of the run, nil when none
	rand       lrand48
	args       argArena // redis.call's argv
	small      *smallInts
	idle       run // the record newRun gives a run when none is in progress
}

// run is one script or function invocation.
type run struct {
	host  script.Host
	name  string // the sha or function name errors cite
	proto int    // RESP version of redis.call's replies (redis.setresp)
}

// FlushScripts drops the script cache and starts a fresh interpreter
// (SCRIPT FLUSH, scriptingReset).
func (e *Engine) FlushScripts() {
	e.eval = newVM(true)
	e.cached = make(map[string]*cachedScript)
}

// Scripts is the number of cached scripts.
func (e *Engine) Scripts() int { return len(e.cached) }

// Script reports a cached script's flags.
func (e *Engine) Script(sha string) (script.Flags, bool) {
	s, ok := e.cached[sha]
	if !ok {
		return 0, false
	}
	return s.flags, true
}

// SHA1Hex is the lower-case hex SHA1 of b (redis.sha1hex, script names).
func SHA1Hex(b []byte) string {
	sum := sha1.Sum(b)
	return hex.EncodeToString(sum[:])
}

// LoadScript compiles body into the cache (luaCreateFunction).
func (e *Engine) LoadScript(body []byte) (string, error) {
	sha := SHA1Hex(body)
	if _, ok := e.cached[sha]; ok {
		return sha, nil
	}
	flags, n, err := script.Shebang(body)
	if err != nil {
		return "", err
	}
	// Keep the shebang's newline so line numbers are the user's.
	fn, err := compile(e.eval.L, body[n:], "user_script")
	if err != nil {
		return "", errors.New("Error compiling script (new function): " + err.Error())
	}
	// gopher-lua gives a main chunk, as any vararg function, a Lua 5.0
	// "arg" table on every call, but declares no local that could reach it
	// (Lua 5.1's main chunk has none either): skip building it.
	fn.Proto.IsVarArg &^= glua.VarArgNeedsArg
	e.cached[sha] = &cachedScript{flags: flags, fn: fn}
	return sha, nil
}

// compileError words a gopher-lua syntax error in Lua 5.1's shape,
// "<chunk>:<line>: unexpected symbol near '<token>'": gopher-lua says
// "<chunk> line:1(column:5) near 'x':   syntax error" or "<chunk> at EOF:
// parse error", and does not tell which token Lua 5.1 would have expected.
func compileError(err error, chunk string, body []byte) string {
	msg := err.Error()
	var ae *glua.ApiError
	if errors.As(err, &ae) && ae.Object != nil {
		msg = ae.Object.String()
	}
	msg = strings.TrimSpace(msg)
	if rest, ok := strings.CutPrefix(msg, chunk+" line:"); ok {
		line, after, _ := strings.Cut(rest, "(")
		if col, near, ok := strings.Cut(after, ") near "); ok {
			token, _, _ := strings.Cut(near, ":   ")
			token = luaToken(token, body, line, col)
			what := "unexpected symbol"
			// A name alone before the token starts an assignment.
			ln, _ := strconv.Atoi(line)
			c, _ := strconv.Atoi(strings.TrimPrefix(col, "column:"))
			if lines := strings.Split(string(body), "\n"); ln >= 1 && ln <= len(lines) && c >= 1 {
				if text := lines[ln-1]; c-1 <= len(text) && bareName(strings.TrimSpace(text[:c-1])) {
					what = "'=' expected"
				}
			}
			if strings.IndexByte(token, 0) >= 0 {
				return chunk + ":" + line + ": " + what // Lua's C string ends at the NUL
			}
			return chunk + ":" + line + ": " + what + " near " + token
		}
	}
	if strings.HasPrefix(msg, chunk+" at EOF:") {
		lines := 1 + strings.Count(string(body), "\n")
		what := "unexpected symbol"
		if bareName(strings.TrimSpace(string(body))) {
			what = "'=' expected" // a name alone starts an assignment
		} else if open, line, ended := openBracket(body); open != 0 && ended {
			// An expression ended inside an open bracket: Lua 5.1's
			// check_match wants its match, naming the opening line when
			// it is not the line the parser stopped on.
			what = "'" + string(closer(open)) + "' expected"
			if open != '[' && line != lines {
				what += " (to close '" + string(open) + "' at line " + strconv.Itoa(line) + ")"
			}
		}
		return chunk + ":" + strconv.Itoa(lines) + ": " + what + " near '<eof>'"
	}
	return msg
}

// luaToken is the token Lua 5.1 reads where gopher-lua's error points
// (quoted, its last character at line:col): the same, but for a numeral,
// which Lua reads further ("0x1p3" where gopher-lua stops at "0x1").
func luaToken(quoted string, body []byte, line, col string) string {
	tok := strings.Trim(quoted, "'")
	if len(tok) == 1 && (tok[0] > 0 && tok[0] < ' ' || tok[0] == 0x7f) {
		return "'char(" + strconv.Itoa(int(tok[0])) + ")'" // luaX_token2str
	}
	if tok == "" || !(isDigit(tok[0]) || tok[0] == '.' && len(tok) > 1 && isDigit(tok[1])) {
		return quoted
	}
	ln, _ := strconv.Atoi(line)
	c, _ := strconv.Atoi(strings.TrimPrefix(col, "column:"))
	lines := strings.Split(string(body), "\n")
	start := c - len(tok)
	if ln < 1 || ln > len(lines) || start < 0 || start+len(tok) > len(lines[ln-1]) || lines[ln-1][start:start+len(tok)] != tok {
		return quoted
	}
	text := []byte(lines[ln-1][start:])
	return "'" + string(text[:readNumeral(text)]) + "'"
}

// closer is the bracket that closes open.
func closer(open byte) byte {
	switch open {
	case '(':
		return ')'
	case '[':
		return ']'
	}
	return '}'
}

// openBracket reads body as Lua's lexer does (strings, long strings and
// comments skipped) and returns the innermost bracket left open at its end
// (0 if none), the line it opened on, and whether the last token can end
// an expression: a name, number, string, '...', or a closing bracket.
func openBracket(body []byte) (open byte, line int, ended bool) {
	type opened struct {
		b    byte
		line int
	}
	var stack []opened
	ln := 1
	for i := 0; i < len(body); {
		if end, isString := skipLiteral(body, i); end > i {
			ln += strings.Count(string(body[i:end]), "\n")
			i = end
			ended = ended || isString // a comment leaves it as it was
			continue
		}
		c := body[i]
		switch {
		case c == '\n':
			ln++
			i++
		case c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v':
			i++
		case c == '(' || c == '[' || c == '{':
			stack = append(stack, opened{c, ln})
			i, ended = i+1, false
		case c == ')' || c == ']' || c == '}':
			if len(stack) > 0 {
				stack = stack[:len(stack)-1]
			}
			i, ended = i+1, true
		case c == '_' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '.' && i+1 < len(body) && '0' <= body[i+1] && body[i+1] <= '9':
			j := i
			for j < len(body) && (body[j] == '_' || body[j] == '.' || 'a' <= body[j] && body[j] <= 'z' || 'A' <= body[j] && body[j] <= 'Z' || '0' <= body[j] && body[j] <= '9') {
				j++
			}
			word := string(body[i:j])
			switch word {
			case "and", "break", "do", "else", "elseif", "for", "function", "if", "in", "local",
				"not", "or", "repeat", "return", "then", "until", "while":
				ended = false // a keyword that cannot end an expression
			default:
				ended = true // a name, a number, nil, true, false or end
			}
			i = j
		case c == '.' && strings.HasPrefix(string(body[i:]), "..."):
			i, ended = i+3, true
		default:
			i, ended = i+1, false
		}
	}
	if len(stack) == 0 {
		return 0, 0, ended
	}
	top := stack[len(stack)-1]
	return top.b, top.line, ended
}

// bareName reports whether s is one Lua name (or a dotted chain of them).
func bareName(s string) bool {
	if s == "" {
		return false
	}
	for i, part := range strings.Split(s, ".") {
		if part == "" || i == 0 && part[0] >= '0' && part[0] <= '9' {
			return false
		}
		for j := 0; j < len(part); j++ {
			c := part[j]
			if !(c == '_' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || j > 0 && '0' <= c && c <= '9') {
				return false
			}
		}
	}
	return true
}

// RunScript runs a cached script with KEYS and ARGV set (evalGenericCommand).
func (e *Engine) RunScript(sha string, keys, args [][]byte, h script.Host, w *resp.Writer) {
	s := e.cached[sha]
	if s == nil {
		w.Error("NOSCRIPT No matching script. Please use EVAL.")
		return
	}
	v := e.eval
	v.globals.RawSetString("KEYS", v.array(keys))
	v.globals.RawSetString("ARGV", v.array(args))
	v.call(v.newRun(h, sha), s.fn, nil, w)
}

// newRun is the record of a run about to start: the vm's own when none is
// in progress (the usual case, no allocation), a new one for a script
// inside a script.
func (v *vm) newRun(h script.Host, name string) *run {
	r := &v.idle
	if v.run != nil {
		r = new(run)
	}
	*r = run{host: h, name: name, proto: 2}
	return r
}

// array is a Lua array of strings.
func (v *vm) array(items [][]byte) *glua.LTable {
	t := v.L.CreateTable(len(items), 0)
	for i, it := range items {
		t.RawSetInt(i+1, glua.LString(it))
	}
	return t
}

// call runs fn with args under the error handler and writes its result,
// converted, to w (luaCallFunction).
func (v *vm) call(r *run, fn *glua.LFunction, args []glua.LValue, w *resp.Writer) {
	L := v.L
	prev := v.run // a script may run inside another (DEBUG SET-DISABLE-DENY-SCRIPTS)
	outer := v.ictx
	v.run = r
	v.ictx = interruptCtx{host: r.host, L: L, dbg: v.dbg}
	L.SetContext(&v.ictx)
	defer func() {
		v.run = prev
		if prev == nil {
			L.RemoveContext()
			L.SetTop(0)
			return
		}
		// The outer script's instruction loop goes on polling the
		// context: it gets its own hook back, not none.
		v.ictx = outer
		L.SetContext(&v.ictx)
	}()
	// gopher-lua can panic past PCall (a registry overflow while the error
	// handler runs): the script fails, the server stays up.
	defer func() {
		if p := recover(); p != nil {
			w.Error(fmt.Sprintf("ERR Error running script %s, %v", r.name, p))
		}
	}()
	L.Push(fn)
	for _, a := range args {
		L.Push(a)
	}
	if v.errHandler == nil {
		v.errHandler = L.NewFunction(errHandler)
	}
	err := L.PCall(len(args), 1, v.errHandler)
	if err != nil {
		var ae *glua.ApiError
		var obj glua.LValue = glua.LString(err.Error())
		if errors.As(err, &ae) && ae.Object != nil {
			obj = ae.Object
		}
		writeRunError(w, r.host, r.name, obj)
		return
	}
	v.reply(w, L.Get(-1), r.proto, 0)
}

// errHandler is Redis's __redis__err__handler: a non-table error becomes
// {err='ERR ' .. msg}, and the source and line of the Lua function that
// raised it (the caller, when a Go function raised it) are added.
func errHandler(L *glua.LState) int {
	errv := L.Get(1)
	t, ok := errv.(*glua.LTable)
	if !ok {
		msg := glua.LVAsString(L.ToStringMeta(errv))
		if s, ok := errv.(glua.LString); ok {
			msg = lua51Error(L, 1, string(s))
		}
		t = L.NewTable()
		t.RawSetString("err", glua.LString("ERR "+msg))
	}
	for level := 1; ; level++ {
		dbg, ok := L.GetStack(level)
		if !ok {
			break
		}
		if _, err := L.GetInfo("Sl", dbg, glua.LNil); err != nil {
			break
		}
		if dbg.What == "G" || dbg.CurrentLine < 0 {
			continue
		}
		t.RawSetString("source", glua.LString("@"+dbg.Source))
		t.RawSetString("line", glua.LNumber(dbg.CurrentLine))
		break
	}
	L.Push(t)
	return 1
}

// writeRunError replies with a script's uncaught error, as luaCallFunction
// words it: "<err> script: <name>, on <source>:<line>.".
func writeRunError(w *resp.Writer, h script.Host, name string, obj glua.LValue) {
	t, ok := obj.(*glua.LTable)
	if !ok {
		msg := "execution failure"
		if s, ok := obj.(glua.LString); ok {
			msg = string(s)
		}
		if len(msg) > 100 {
			msg = msg[:100]
		}
		w.Error("ERR Error running script " + name + ", " + msg)
		return
	}
	msg := ""
	if s, ok := t.RawGetString("err").(glua.LString); ok {
		msg = string(s)
	}
	src, srcOK := t.RawGetString("source").(glua.LString)
	line := t.RawGetString("line")
	if srcOK && line != glua.LNil {
		msg += " script: " + name + ", on " + string(src) + ":" + glua.LVAsString(line) + "."
	}
	writeError(w, h, msg, t)
}

// interruptCtx lets the interpreter poll the host: gopher-lua asks a
// context's Done on every instruction, and this one asks the host every
// checkEvery instructions, and the debugger (when a session is active)
// on every one. Done is nil (never ready) unless FUNCTION LOAD's budget
// ran out, so context.WithCancel in coroutines starts no goroutine.
type interruptCtx struct {
	host    script.Host
	L       *glua.LState
	dbg     *ldb // the debugger session, nil when none
	budget  int  // when set, stop after this many instructions (FUNCTION LOAD)
	n       int
	stopped chan struct{}
	why     string
}

func (c *interruptCtx) Deadline() (time.Time, bool) { return time.Time{}, false }
func (c *interruptCtx) Value(any) any               { return nil }

func (c *interruptCtx) Err() error {
	if c.stopped == nil {
		return nil
	}
	return errors.New(c.why)
}

func (c *interruptCtx) Done() <-chan struct{} {
	if c.stopped != nil {
		return c.stopped // raise again at every instruction: pcall cannot hold it
	}
	if c.why != "" && c.budget == 0 {
		raise(c.L, c.why) // the host stopped the script: raised again at every instruction
	}
	c.n++
	if c.budget > 0 {
		if c.n < c.budget {
			return nil
		}
		c.stopped = make(chan struct{})
		close(c.stopped)
		return c.stopped
	}
	count := c.n >= checkEvery
	if count {
		c.n = 0
	}
	if c.dbg != nil {
		// The debugger polls the host itself (its timeout), as Redis's
		// line hook replaces the count hook during a session.
		c.dbg.hook(c.L, count)
		return nil
	}
	if !count || c.host == nil {
		return nil
	}
	if stop, why := c.host.Interrupted(); stop {
		c.why = "-" + strings.TrimPrefix(why, "-") // keeps its error code
		raise(c.L, c.why)
	}
	return nil
}

var _ context.Context = (*interruptCtx)(nil)

// each calls fn for each pair of t in next()'s order: gopher-lua's
// ForEach ranges over Go maps, whose order changes from run to run, and
// replies (maps, sets, JSON, MessagePack) must not.
func each(t *glua.LTable, fn func(k, v glua.LValue)) {
	for k, v := t.Next(glua.LNil); k != glua.LNil; k, v = t.Next(k) {
		fn(k, v)
	}
}

// writeError replies with an error, leaving it out of the error statistics
// when the table says they counted it already.
func writeError(w *resp.Writer, h script.Host, msg string, t *glua.LTable) {
	if t.RawGetString("ignore_error_stats_update") != glua.LTrue || h == nil {
		w.Error(msg)
		return
	}
	tally := w.Errors
	w.Errors = nil
	w.Error(msg)
	w.Errors = tally
	h.ErrorNotCounted()
}

package lua

import (
	"fmt"
	"strconv"
	"strings"

	glua "github.com/yuin/gopher-lua"

	"github.com/syncscope/syncscope/core/cstr"
	"github.com/syncscope/syncscope/core/resp"
	"github.com/syncscope/syncscope/core/script"
)

// Redis's ldb limits (eval.c).
const (
	ldbBreakpointsMax = 64
	ldbMaxLenDefault  = 256
	ldbMaxValuesDepth = 10 // LUA_MINSTACK/2
	ldbMaxInput       = 1 << 20
)

// ldb is one Lua debugger session (Redis's ldbState for SCRIPT DEBUG
// SYNC): it stops the script at its first line, at breakpoints and after
// redis.breakpoint(), and then reads the debugging client's commands until
// one lets the script go on.
type ldb struct {
	host     script.DebugHost
	globals  *glua.LTable // the real globals (the script sees a read-only proxy)
	logs     []string
	bp       []int
	step     bool // stop at the next line whatever the breakpoints
	luabp    bool // stop at the next line: redis.breakpoint() was called
	src      []string
	current  int
	cbuf     []byte
	maxlen   int
	hintSent bool
	// lines is the line each function last ran, to tell a new line (the
	// one Lua's line hook fires for) from the next instruction of the same.
	lines map[*glua.FunctionProto]int
}

// newLDB starts a session on src (ldbEnable, ldbStartSession): the
// source split in lines, its trailing newlines dropped.
func newLDB(h script.DebugHost, src []byte) *ldb {
	text := strings.TrimRight(string(src), "\r\n")
	return &ldb{
		host:   h,
		step:   true,
		src:    strings.Split(text, "\n"),
		maxlen: ldbMaxLenDefault,
		lines:  make(map[*glua.FunctionProto]int),
	}
}

// DebugScript runs a cached script under a debugger session
// (evalGenericCommandWithDebugging): the session's last logs and its
// "<endsession>" mark go to the client before the script's reply.
func (e *Engine) DebugScript(sha string, src []byte, keys, args [][]byte, h script.DebugHost, w *resp.Writer) {
	d := newLDB(h, src)
	d.globals = e.eval.globals
	e.eval.dbg = d
	defer func() { e.eval.dbg = nil }()
	e.RunScript(sha, keys, args, h, w)
	d.log("<endsession>")
	d.send()
}

func (d *ldb) log(s string) { d.logs = append(d.logs, s) }

// logMaxLen is ldbLogWithMaxLen: an entry past maxlen is cut, with a
// hint the first time.
func (d *ldb) logMaxLen(s string) {
	if d.maxlen > 0 && len(s) > d.maxlen {
		d.log(s[:d.maxlen] + " ...")
		if !d.hintSent {
			d.hintSent = true
			d.log("<hint> The above reply was trimmed. Use 'maxlen 0' to disable trimming.")
		}
		return
	}
	d.log(s)
}

// send writes the logs as an array of status replies, their newlines
// made spaces (ldbSendLogs).
func (d *ldb) send() {
	w := resp.Writer{}
	w.ArrayLen(len(d.logs))
	for _, l := range d.logs {
		w.Raw([]byte("+" + strings.NewReplacer("\r", " ", "\n", " ").Replace(l) + "\r\n"))
	}
	d.logs = d.logs[:0]
	d.host.DebugWrite(w.Buf)
}

// enabled is ldbIsEnabled: the script's commands and errors are logged
// only while stepping.
func (d *ldb) enabled() bool { return d != nil && d.step }

func (d *ldb) sourceLine(line int) string {
	if line < 1 || line > len(d.src) {
		return "<out of range source code line>"
	}
	return d.src[line-1]
}

func (d *ldb) isBreakpoint(line int) bool {
	for _, b := range d.bp {
		if b == line {
			return true
		}
	}
	return false
}

// logSourceLine is ldbLogSourceLine: "->" marks the current line, "#" a
// breakpoint.
func (d *ldb) logSourceLine(line int) {
	prefix := "   "
	switch cur, bp := line == d.current, d.isBreakpoint(line); {
	case cur && bp:
		prefix = "->#"
	case cur:
		prefix = "-> "
	case bp:
		prefix = "  #"
	}
	d.log(fmt.Sprintf("%s%-3d %s", prefix, line, d.sourceLine(line)))
}

// list is ldbList: the whole source when around is 0, else context lines
// either side of it.
func (d *ldb) list(around, context int) {
	for j := 1; j <= len(d.src); j++ {
		if around != 0 && abs(around-j) > context {
			continue
		}
		d.logSourceLine(j)
	}
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// hook is luaLdbLineHook, run before each instruction: on a new line of
// the script (or a count event, every checkEvery instructions) it decides
// whether to stop, and if so reports why and serves the debugger.
func (d *ldb) hook(L *glua.LState, count bool) {
	dbg, ok := L.GetStack(0)
	if !ok {
		return
	}
	fn, err := L.GetInfo("Slf", dbg, glua.LNil)
	if err != nil || dbg.Source != "user_script" {
		return // events outside the script are not interesting
	}
	f, ok := fn.(*glua.LFunction)
	if !ok || f.Proto == nil {
		return
	}
	line := dbg.CurrentLine
	newLine := d.lines[f.Proto] != line
	d.lines[f.Proto] = line
	if !newLine && !count {
		return
	}
	d.current = line
	bp := newLine && d.isBreakpoint(line) || d.luabp
	timeout := false
	if !newLine && !d.step && !bp {
		if !d.host.TimedOut() {
			return
		}
		timeout, d.step = true, true
	}
	if !d.step && !bp {
		return
	}
	reason := "step over"
	switch {
	case bp && d.luabp:
		reason = "redis.breakpoint() called"
	case bp:
		reason = "break point"
	case timeout:
		reason = "timeout reached, infinite loop?"
	}
	d.step, d.luabp = false, false
	d.log(fmt.Sprintf("* Stopped at %d, stop reason = %s", line, reason))
	d.logSourceLine(line)
	d.send()
	if !d.repl(L) && timeout {
		// The client is gone: kill a script that would otherwise hold the
		// server for ever.
		raise(L, "timeout during Lua debugging with client closing connection")
	}
}

// parseCommand is ldbReplParseCommand, Redis's forgiving parser of one
// multi-bulk command: nil and no error while more input is needed.
func (d *ldb) parseCommand() ([]string, error) {
	b := d.cbuf
	if len(b) == 0 {
		return nil, nil
	}
	protoErr := fmt.Errorf("protocol error")
	star := strings.IndexByte(string(b), '*')
	if star < 0 {
		return nil, protoErr
	}
	p := b[star+1:]
	crlf := strings.Index(string(p), "\r\n")
	if crlf < 0 {
		return nil, nil
	}
	argc := atoi(p[:crlf])
	if argc <= 0 || argc > 1024 {
		return nil, protoErr
	}
	p = p[crlf+2:]
	argv := make([]string, 0, argc)
	for len(argv) < argc {
		if len(p) == 0 {
			return nil, nil
		}
		if p[0] != '$' {
			return nil, protoErr
		}
		crlf := strings.Index(string(p), "\r\n")
		if crlf < 0 {
			return nil, nil
		}
		n := atoi(p[1:crlf])
		if n <= 0 || n > 1024 {
			return nil, protoErr
		}
		p = p[crlf+2:]
		if len(p) < n+2 {
			return nil, nil
		}
		argv = append(argv, string(p[:n]))
		if p[n] != '\r' || p[n+1] != '\n' {
			return nil, protoErr
		}
		p = p[n+2:]
	}
	return argv, nil
}

// atoi is C's atoi: leading digits (after a sign), 0 when none.
func atoi(b []byte) int {
	i, neg, n := 0, false, 0
	if i < len(b) && (b[i] == '-' || b[i] == '+') {
		neg = b[i] == '-'
		i++
	}
	for ; i < len(b) && b[i] >= '0' && b[i] <= '9' && n < 1<<31; i++ {
		n = n*10 + int(b[i]-'0')
	}
	if neg {
		return -n
	}
	return n
}

// repl is ldbRepl: it serves debugger commands until one lets the script
// go on (step, continue) and reports false when the client went away.
func (d *ldb) repl(L *glua.LState) bool {
	for {
		var argv []string
		for {
			var err error
			if argv, err = d.parseCommand(); err != nil {
				raise(L, err.Error())
			}
			if argv != nil {
				break
			}
			in, ok := d.host.DebugRead()
			if !ok {
				// Run on without user input: the client is gone.
				d.step, d.bp = false, nil
				return false
			}
			d.cbuf = append(d.cbuf, in...)
			if len(d.cbuf) > ldbMaxInput {
				d.cbuf = nil
				raise(L, "max client buffer reached")
			}
		}
		d.cbuf = d.cbuf[:0]
		switch cmd := strings.ToLower(argv[0]); {
		case cmd == "h" || cmd == "help":
			d.logs = append(d.logs, strings.Split(ldbHelp, "\n")...)
		case cmd == "s" || cmd == "step" || cmd == "n" || cmd == "next":
			d.step = true
			return true
		case cmd == "c" || cmd == "continue":
			return true
		case cmd == "t" || cmd == "trace":
			d.trace(L)
		case cmd == "m" || cmd == "maxlen":
			d.setMaxlen(argv)
		case cmd == "b" || cmd == "break":
			d.breakCmd(argv)
		case cmd == "e" || cmd == "eval":
			d.eval(L, argv)
		case cmd == "a" || cmd == "abort":
			raise(L, "script aborted for user request")
		case len(argv) > 1 && (cmd == "r" || cmd == "redis"):
			d.redis(L, argv)
		case cmd == "p" || cmd == "print":
			if len(argv) == 2 {
				d.print(L, argv[1])
			} else {
				d.printAll(L)
			}
		case cmd == "l" || cmd == "list":
			around, ctx := d.current, 5
			if len(argv) > 1 {
				if n := atoi([]byte(argv[1])); n > 0 {
					around = n
				}
			}
			if len(argv) > 2 {
				ctx = atoi([]byte(argv[2]))
			}
			d.list(around, ctx)
		case cmd == "w" || cmd == "whole":
			d.list(1, 1000000)
		default:
			d.log("<error> Unknown Redis Lua debugger command or wrong number of arguments.")
		}
		d.send()
	}
}

// ldbHelp is the debugger's "help", one log line per line.
const ldbHelp = `Redis Lua debugger help:
[h]elp               Show this help.
[s]tep               Run current line and stop again.
[n]ext               Alias for step.
[c]ontinue           Run till next breakpoint.
[l]ist               List source code around current line.
[l]ist [line]        List source code around [line].
                     line = 0 means: current position.
[l]ist [line] [ctx]  In this form [ctx] specifies how many lines
                     to show before/after [line].
[w]hole              List all source code. Alias for 'list 1 1000000'.
[p]rint              Show all the local variables.
[p]rint <var>        Show the value of the specified variable.
                     Can also show global vars KEYS and ARGV.
[b]reak              Show all breakpoints.
[b]reak <line>       Add a breakpoint to the specified line.
[b]reak -<line>      Remove breakpoint from the specified line.
[b]reak 0            Remove all breakpoints.
[t]race              Show a backtrace.
[e]val <code>        Execute some Lua code (in a different callframe).
[r]edis <cmd>        Execute a Redis command.
[m]axlen [len]       Trim logged Redis replies and Lua var dumps to len.
                     Specifying zero as <len> means unlimited.
[a]bort              Stop the execution of the script. In sync
                     mode dataset changes will be retained.

Debugger functions you can call from Lua scripts:
redis.debug()        Produce logs in the debugger console.
redis.breakpoint()   Stop execution like if there was a breakpoint in the
                     next line of code.`

// breakCmd is ldbBreak: list, add (n), remove (-n) or clear (0) breakpoints.
func (d *ldb) breakCmd(argv []string) {
	if len(argv) == 1 {
		if len(d.bp) == 0 {
			d.log("No breakpoints set. Use 'b <line>' to add one.")
			return
		}
		d.log(fmt.Sprintf("%d breakpoints set:", len(d.bp)))
		for _, b := range d.bp {
			d.logSourceLine(b)
		}
		return
	}
	for _, arg := range argv[1:] {
		line, ok := cstr.String2ll([]byte(arg))
		switch {
		case !ok || line != int64(int32(line)):
			d.log("Invalid argument:'" + arg + "'")
		case line == 0:
			d.bp = nil
			d.log("All breakpoints removed.")
		case line > 0 && len(d.bp) == ldbBreakpointsMax:
			d.log("Too many breakpoints set.")
		case line > 0:
			if l := int(line); l <= len(d.src) && !d.isBreakpoint(l) {
				d.bp = append(d.bp, l)
				d.list(l, 1)
			} else {
				d.log("Wrong line number.")
			}
		default:
			removed := false
			for i, b := range d.bp {
				if b == int(-line) {
					d.bp = append(d.bp[:i], d.bp[i+1:]...)
					removed = true
					break
				}
			}
			if removed {
				d.log("Breakpoint removed.")
			} else {
				d.log("No breakpoint in the specified line.")
			}
		}
	}
}

// setMaxlen is ldbMaxlen.
func (d *ldb) setMaxlen(argv []string) {
	if len(argv) == 2 {
		n := atoi([]byte(argv[1]))
		d.hintSent = true // the user knows about this command
		if n != 0 && n <= 60 {
			n = 60
		}
		d.maxlen = n
	}
	if d.maxlen > 0 {
		d.log(fmt.Sprintf("<value> replies are truncated at %d bytes.", d.maxlen))
	} else {
		d.log("<value> replies are unlimited.")
	}
}

// thread runs fn(args...) on a thread of L's (a different callframe, as
// the debugger's eval and redis commands run), returning its result.
func thread(L *glua.LState, fn glua.LValue, args ...glua.LValue) (glua.LValue, error) {
	co, cancel := L.NewThread()
	if cancel != nil {
		defer cancel()
	}
	co.Push(fn)
	for _, a := range args {
		co.Push(a)
	}
	if err := co.PCall(len(args), 1, nil); err != nil {
		return nil, err
	}
	return co.Get(-1), nil
}

// eval is ldbEval: the code as an expression ("return " prepended) if it
// compiles so, else as statements; its result or error is logged.
func (d *ldb) eval(L *glua.LState, argv []string) {
	code := strings.Join(argv[1:], " ")
	fn, err := compile(L, []byte("return "+code), "ldb_eval")
	if err != nil {
		if fn, err = compile(L, []byte(code), "ldb_eval"); err != nil {
			d.log("<error> " + err.Error())
			return
		}
	}
	v, err := thread(L, fn)
	if err != nil {
		d.log("<error> " + errorText(err))
		return
	}
	d.logMaxLen("<retval> " + catValue(v, 0))
}

// errorText is what lua_tostring shows of a raised error: its message, or
// for a table nil (Redis's error tables are not strings).
func errorText(err error) string {
	if ae, ok := err.(*glua.ApiError); ok && ae.Object != nil {
		if s, ok := ae.Object.(glua.LString); ok {
			return string(s)
		}
		if _, ok := ae.Object.(glua.LNumber); ok {
			return ae.Object.String()
		}
		return "(null)"
	}
	return err.Error()
}

// redis is ldbRedis: redis.call with the arguments, stepping so that the
// command and its reply are logged.
func (d *ldb) redis(L *glua.LState, argv []string) {
	call := L.GetField(d.globals.RawGetString("redis"), "call") // through the read-only proxy
	args := make([]glua.LValue, 0, len(argv)-1)
	for _, a := range argv[1:] {
		args = append(args, glua.LString(a))
	}
	d.step = true
	_, _ = thread(L, call, args...)
	d.step = false
}

// logCommand logs a command the script runs while stepping: "<redis>"
// and its first ten arguments.
func (d *ldb) logCommand(argv [][]byte) {
	var b strings.Builder
	b.WriteString("<redis>")
	for j, a := range argv {
		if j == 10 {
			fmt.Fprintf(&b, " ... (%d more)", len(argv)-j-1)
			break
		}
		b.WriteByte(' ')
		b.Write(a)
	}
	d.log(b.String())
}

// logReply is ldbLogRedisReply.
func (d *ldb) logReply(reply []byte) {
	var b []byte
	humanReply(&b, reply)
	d.logMaxLen("<reply> " + string(b))
}

// humanReply appends reply in the debugger's human form
// (ldbRedisProtocolToHuman) and returns what follows it.
func humanReply(o *[]byte, reply []byte) []byte {
	if len(reply) == 0 {
		return reply
	}
	end := strings.Index(string(reply), "\r")
	if end < 0 {
		return nil
	}
	head, rest := reply[1:end], reply[min(end+2, len(reply)):]
	items := func(open, sep, closing string, pairs bool) []byte {
		n := atoi(head)
		*o = append(*o, open...)
		for j := 0; j < n; j++ {
			rest = humanReply(o, rest)
			if pairs {
				*o = append(*o, " => "...)
				rest = humanReply(o, rest)
			}
			if j != n-1 {
				*o = append(*o, sep...)
			}
		}
		*o = append(*o, closing...)
		return rest
	}
	switch reply[0] {
	case ':':
		*o = append(*o, head...)
	case '$':
		n := atoi(head)
		if n < 0 {
			*o = append(*o, "NULL"...)
			return rest
		}
		if n > len(rest) {
			n = len(rest)
		}
		*o = cstr.AppendRepr(*o, rest[:n])
		return rest[min(n+2, len(rest)):]
	case '+', '-':
		*o = cstr.AppendRepr(*o, reply[:end])
	case '*':
		if atoi(head) < 0 {
			*o = append(*o, "NULL"...)
			return rest
		}
		return items("[", ",", "]", false)
	case '~':
		return items("~(", ",", ")", false)
	case '%':
		return items("{", ",", "}", true)
	case '_':
		*o = append(*o, "(null)"...)
	case '#':
		if len(head) > 0 && head[0] == 't' {
			*o = append(*o, "#true"...)
		} else {
			*o = append(*o, "#false"...)
		}
	case ',':
		*o = append(*o, "(double) "...)
		*o = append(*o, head...)
	default:
		return reply // a type the debugger does not render
	}
	return rest
}

// local is one of a frame's active local variables.
type local struct {
	name string
	v    glua.LValue
}

// locals lists the active locals of the frame at level, as Lua 5.1's
// lua_getlocal does. gopher-lua counts a local active from the
// instruction after the one it starts at; Lua from that one, which is
// where the debugger stops (a line's first instruction): at level 0 the
// names are Lua's, for the first instruction of the current line.
func locals(L *glua.LState, level int) ([]local, bool) {
	dbg, ok := L.GetStack(level)
	if !ok {
		return nil, false
	}
	var out []local
	fv, err := L.GetInfo("lf", dbg, glua.LNil)
	if f, isFn := fv.(*glua.LFunction); err == nil && isFn && level == 0 && !f.IsG && f.Proto != nil {
		p := f.Proto
		pc := 0
		for pc < len(p.DbgSourcePositions) && p.DbgSourcePositions[pc] != dbg.CurrentLine {
			pc++
		}
		reg := 0
		for _, lv := range p.DbgLocals {
			if lv.StartPc > pc {
				break
			}
			if pc < lv.EndPc {
				reg++
				_, v := L.GetLocal(dbg, reg)
				out = append(out, local{lv.Name, v})
			}
		}
		return out, true
	}
	for i := 1; ; i++ {
		n, v := L.GetLocal(dbg, i)
		if n == "" {
			return out, true
		}
		out = append(out, local{n, v})
	}
}

// print is ldbPrint: the first local called name from the current frame
// outwards, else KEYS or ARGV.
func (d *ldb) print(L *glua.LState, name string) {
	for level := 0; ; level++ {
		vars, ok := locals(L, level)
		if !ok {
			break
		}
		for _, lv := range vars {
			if lv.name == name {
				d.logMaxLen("<value> " + catValue(lv.v, 0))
				return
			}
		}
	}
	if name == "ARGV" || name == "KEYS" {
		d.logMaxLen("<value> " + catValue(d.globals.RawGetString(name), 0))
		return
	}
	d.log("No such variable.")
}

// printAll is ldbPrintAll: the current frame's locals.
func (d *ldb) printAll(L *glua.LState) {
	vars, _ := locals(L, 0)
	n := 0
	for _, lv := range vars {
		if !strings.Contains(lv.name, "(*temporary)") {
			d.logMaxLen("<value> " + lv.name + " = " + catValue(lv.v, 0))
			n++
		}
	}
	if n == 0 {
		d.log("No local variables in the current context.")
	}
}

// trace is ldbTrace: the script's frames from the current one outwards.
func (d *ldb) trace(L *glua.LState) {
	level := 0
	for ; ; level++ {
		dbg, ok := L.GetStack(level)
		if !ok {
			break
		}
		if _, err := L.GetInfo("Snl", dbg, glua.LNil); err != nil {
			continue
		}
		if strings.Contains(dbg.Source, "user_script") {
			where := "From"
			if level == 0 {
				where = "In"
			}
			name := dbg.Name
			if name == "" || name == "?" || name == "main chunk" {
				name = "top level"
			}
			d.log(where + " " + name + ":")
			d.logSourceLine(dbg.CurrentLine)
		}
	}
	if level == 0 {
		d.log("<error> Can't retrieve Lua stack.")
	}
}

// catValue is ldbCatStackValue: a Lua value as the debugger shows it.
func catValue(v glua.LValue, level int) string {
	if level == ldbMaxValuesDepth {
		return "<max recursion level reached! Nested table?>"
	}
	level++
	switch x := v.(type) {
	case glua.LString:
		return cstr.Repr(string(x))
	case glua.LBool:
		if x {
			return "true"
		}
		return "false"
	case glua.LNumber:
		return strconv.FormatFloat(float64(x), 'g', 6, 64)
	case *glua.LNilType:
		return "nil"
	case *glua.LTable:
		var arr, full []string
		isArray, expected := true, 1
		each(x, func(k, val glua.LValue) {
			if n, ok := k.(glua.LNumber); isArray && (!ok || float64(n) != float64(expected)) {
				isArray = false
			}
			arr = append(arr, catValue(val, level))
			full = append(full, "["+catValue(k, level)+"]="+catValue(val, level))
			expected++
		})
		if isArray {
			return "{" + strings.Join(arr, "; ") + "}"
		}
		return "{" + strings.Join(full, "; ") + "}"
	case *glua.LFunction:
		return fmt.Sprintf("\"function@%p\"", x)
	case *glua.LUserData:
		return fmt.Sprintf("\"userdata@%p\"", x)
	case *glua.LState:
		return fmt.Sprintf("\"thread@%p\"", x)
	}
	return "\"<unknown-lua-type>\""
}

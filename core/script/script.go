// Package script is what the node needs to know of a scripting engine:
// the Engine it drives for EVAL, SCRIPT, FUNCTION and FCALL, the Host a
// running script calls back into (the node, running commands as the
// script's client), and the script flags Redis 7.0 declares in a shebang
// or at register_function. It holds no interpreter: core/script/lua is the
// Lua 5.1 engine, and a driver chooses whether to link it (native/server
// and the browser's wasm do, see Env.Scripting in core/node).
package script

import (
	"fmt"
	"strings"

	"github.com/syncscope/syncscope/core/resp"
)

// Flags are a script's or a function's declared flags (SCRIPT_FLAG_*).
type Flags uint8

// The flags, as Redis 7.0 names them in scripts_flags_def.
const (
	NoWrites Flags = 1 << iota
	AllowOOM
	AllowStale
	NoCluster
	AllowCrossSlot
	// EvalCompat marks an EVAL script without a shebang: it runs as
	// Redis 6 ran scripts (the flags of the command it calls decide).
	EvalCompat
)

// flagName is the name of one declared flag ("" for EvalCompat).
func flagName(f Flags) string {
	switch f {
	case NoWrites:
		return "no-writes"
	case AllowOOM:
		return "allow-oom"
	case AllowStale:
		return "allow-stale"
	case NoCluster:
		return "no-cluster"
	case AllowCrossSlot:
		return "allow-cross-slot-keys"
	}
	return ""
}

// ParseFlag is the flag called name, and false when there is none.
func ParseFlag(name string) (Flags, bool) {
	for f := NoWrites; f < EvalCompat; f <<= 1 {
		if flagName(f) == name {
			return f, true
		}
	}
	return 0, false
}

// Names lists the declared flags in Redis's order (FUNCTION LIST).
func (f Flags) Names() []string {
	var out []string
	for b := NoWrites; b < EvalCompat; b <<= 1 {
		if f&b != 0 {
			out = append(out, flagName(b))
		}
	}
	return out
}

// Shebang reads the "#!lua flags=..." line an EVAL script may start with
// (evalExtractShebangFlags): the flags, and the length of the line (the
// engine compiles the rest, keeping the newline so line numbers hold).
// Without a shebang the flags are EvalCompat.
func Shebang(body []byte) (flags Flags, n int, err error) {
	if len(body) < 2 || body[0] != '#' || body[1] != '!' {
		return EvalCompat, 0, nil
	}
	end := strings.IndexByte(string(body), '\n')
	if end < 0 {
		return 0, 0, fmt.Errorf("Invalid script shebang")
	}
	parts, ok := resp.SplitArgs(body[:end], nil)
	if !ok || len(parts) == 0 {
		return 0, 0, fmt.Errorf("Invalid engine in script shebang")
	}
	if string(parts[0]) != "#!lua" {
		return 0, 0, fmt.Errorf("Unexpected engine in script shebang: %s", parts[0])
	}
	for _, p := range parts[1:] {
		list, ok := strings.CutPrefix(string(p), "flags=")
		if !ok {
			return 0, 0, fmt.Errorf("Unknown lua shebang option: %s", p)
		}
		for _, name := range strings.Split(list, ",") {
			if name == "" && list == "" {
				break // "flags=" declares none
			}
			f, ok := ParseFlag(name)
			if !ok {
				return 0, 0, fmt.Errorf("Unexpected flag in script shebang: %s", name)
			}
			flags |= f
		}
	}
	return flags, end, nil
}

// Host is the node as a running script sees it.
type Host interface {
	// Call runs argv as the script's client and returns its reply in
	// RESP proto (2 or 3), valid until the next Call; rejected is set
	// instead when the command may not run from this script (scriptCall's
	// err).
	Call(argv [][]byte, proto int) (reply []byte, rejected string)
	// ACLCheck is redis.acl_check_cmd: whether the caller's user may run
	// argv; known is false for a command that does not exist.
	ACLCheck(argv [][]byte) (allowed, known bool)
	// SetRepl is redis.set_repl: flags is a mix of ReplAOF and ReplReplica.
	SetRepl(flags int)
	// Log is redis.log at a Redis log level (0 debug .. 3 warning).
	Log(level int, msg string)
	// ErrorNotCounted says the script's reply is an error the error
	// statistics already counted (a command's, relayed): the script's
	// command fails without counting it again (ERR_REPLY_FLAG_NO_STATS_UPDATE).
	ErrorNotCounted()
	// Interrupted is polled every 100000 Lua instructions while the
	// script runs: true stops it with the error given (SCRIPT KILL, or a
	// limit the node enforces), raised where the script stands, so the
	// reply names its line as any other uncaught error does.
	Interrupted() (stop bool, why string)
}

// DebugHost is the node as a script under the Lua debugger (SCRIPT DEBUG
// SYNC, Redis's ldb) sees it: besides Host, the debugging client's
// connection, which the debugger reads and writes directly while the
// script is suspended in the middle of its command.
type DebugHost interface {
	Host
	// DebugRead waits for the debugging client's next input; false when
	// the client is gone.
	DebugRead() ([]byte, bool)
	// DebugWrite sends b to the debugging client ahead of any reply.
	DebugWrite(b []byte)
	// TimedOut reports whether the script has run for longer than
	// busy-reply-threshold since it started or last stopped (the debugger
	// then stops it: "timeout reached, infinite loop?").
	TimedOut() bool
}

// The redis.REPL_* flags.
const (
	ReplAOF     = 1
	ReplReplica = 2
)

// Library is one FUNCTION library as FUNCTION LIST shows it.
type Library struct {
	Name      string
	Engine    string // "LUA"
	Code      []byte
	Functions []Function // sorted by name
}

// Function is one function a library registered.
type Function struct {
	Name        string
	Description string // "" when none was given (a null in FUNCTION LIST)
	Flags       Flags
}

// Engine runs EVAL scripts and FUNCTION libraries.
type Engine interface {
	// LoadScript compiles body into the script cache (SCRIPT LOAD and
	// EVAL's first run) and returns its lower-case SHA1; err is the
	// error reply's text.
	LoadScript(body []byte) (sha string, err error)
	// Script reports a cached script's flags.
	Script(sha string) (flags Flags, ok bool)
	// Scripts is the number of cached scripts.
	Scripts() int
	// FlushScripts empties the cache and resets the interpreter.
	FlushScripts()
	// RunScript runs a cached script, writing its reply to w.
	RunScript(sha string, keys, args [][]byte, h Host, w *resp.Writer)
	// DebugScript runs a cached script as RunScript does, under a Lua
	// debugger session: src is the script's text as EVAL received it
	// (what the debugger lists). The session stops at the first line and
	// ends with an "<endsession>" mark written before the reply.
	DebugScript(sha string, src []byte, keys, args [][]byte, h DebugHost, w *resp.Writer)

	// LoadLibrary loads (or with replace, replaces) a library from its
	// code ("#!lua name=..." first) and returns its name.
	LoadLibrary(code []byte, replace bool) (name string, err error)
	// DeleteLibrary removes a library; false when there is none.
	DeleteLibrary(name string) bool
	// Libraries lists the libraries by name.
	Libraries() []Library
	// Function finds a function by name: its library and flags.
	Function(name string) (lib string, flags Flags, ok bool)
	// RunFunction runs a function, writing its reply to w.
	RunFunction(name string, keys, args [][]byte, h Host, w *resp.Writer)
	// FlushFunctions removes every library.
	FlushFunctions()
	// RestoreLibraries loads libraries from their code (FUNCTION RESTORE,
	// an RDB's functions) under policy: all of them or none.
	RestoreLibraries(codes [][]byte, policy RestorePolicy) error
}

// RestorePolicy is FUNCTION RESTORE's handling of existing libraries.
type RestorePolicy int

// The FUNCTION RESTORE policies.
const (
	RestoreAppend  RestorePolicy = iota // a library that exists already is an error
	RestoreReplace                      // it is replaced
	RestoreFlush                        // every library is dropped first
)

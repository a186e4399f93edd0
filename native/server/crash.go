package server

import (
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"strings"
	"syscall"
	"time"

	"github.com/syncscope/syncscope/core/node"
)

// A panic that escapes the node is a bug: like Redis's serverPanic and
// sigsegvHandler, the server writes a bug report to its log (what failed,
// the stack, INFO, the clients and the command being run) before it dies,
// so no crash is silent. It then dies as Redis does after abort(): by
// SIGABRT (Go's own trace of it goes to /dev/null on Linux: the report has
// the stack).

const (
	bugReportStart = "\n\n=== REDIS BUG REPORT START: Cut & paste starting from here ==="
	bugReportEnd   = "\n=== REDIS BUG REPORT END. Make sure to include from START to END. ===\n\n" +
		"       Please report the crash by opening an issue on github:\n\n" +
		"           http://github.com/redis/redis/issues\n\n" +
		"  If a Redis module was involved, please open in the module's repo instead.\n\n" +
		"  Suspect RAM error? Use redis-server --test-memory to verify it.\n\n" +
		"  Some other issues could be detected by redis-server --check-system"
)

// signalCrash is the panic of a fatal signal (SIGABRT) the loop received.
type signalCrash int

// signal steps a signal the loop received.
func (s *Server) signal(now time.Time, sig string) {
	if sig == "SIGABRT" {
		panic(signalCrash(syscall.SIGABRT)) // the report is crashOnPanic's
	}
	s.step(now, node.Shutdown{Signal: sig})
}

// crashOnPanic is deferred by the goroutines that may panic: the loop
// (which owns the node, so its report includes the node's state) and the
// snapshot encoders.
func (s *Server) crashOnPanic(withNode bool) {
	v := recover()
	if v == nil {
		return
	}
	s.bugReport(v, debug.Stack(), withNode)
	quietStderr()
	debug.SetTraceback("crash") // re-panicking now ends in SIGABRT
	panic(v)
}

// bugReport writes the report for the panic v raised with stack.
func (s *Server) bugReport(v any, stack []byte, withNode bool) {
	raw := func(text string) { s.log.write([]node.LogLine{{Text: text}}, s.pid) }
	if withNode {
		// What the node logged before it failed comes first, as in Redis.
		func() {
			defer func() { recover() }()
			if logs := s.n.Ready().Logs; len(logs) > 0 {
				s.log.write(logs, s.pid)
			}
		}()
	}
	raw(bugReportStart)
	if sig, ok := v.(signalCrash); ok {
		// Go does not tell who sent it: no "Killed by PID" line.
		s.logf('#', "Redis %s crashed by signal: %d, si_code: 0", node.Version, int(sig))
	} else if addr, ok := memoryFault(v); ok {
		// A fault Go turned into a panic: sigsegvHandler's header.
		s.logf('#', "Redis %s crashed by signal: 11, si_code: 1", node.Version)
		s.logf('#', "Accessing address: %#x", addr)
	} else {
		s.logf('#', "------------------------------------------------")
		s.logf('#', "!!! Software Failure. Press left mouse button to continue")
		s.logf('#', "Guru Meditation: %v #%s", v, panicSite(stack))
	}
	raw("\n------ STACK TRACE ------\n\nBacktrace:\n" + panicStack(stack))
	if withNode {
		func() {
			defer func() {
				if r := recover(); r != nil {
					raw(fmt.Sprintf("(the server's state could not be rendered: %v)", r))
				}
			}()
			raw(strings.TrimRight(s.n.CrashReport(), "\n"))
		}()
	}
	raw(bugReportEnd)
	if s.pidf != "" {
		os.Remove(s.pidf)
	}
}

// memoryFault reports whether v is the runtime's panic for an invalid
// memory access (SIGSEGV), with the faulting address when Go knows it.
func memoryFault(v any) (uintptr, bool) {
	err, ok := v.(runtime.Error)
	if !ok || !strings.Contains(err.Error(), "invalid memory address") {
		return 0, false
	}
	if a, ok := err.(interface{ Addr() uintptr }); ok {
		return a.Addr(), true
	}
	return 0, true
}

// panicStack is the goroutine's trace from the function that panicked
// down: the frames of the recovery (debug.Stack, crashOnPanic, panic) go.
func panicStack(stack []byte) string {
	lines := strings.Split(strings.TrimRight(string(stack), "\n"), "\n")
	for i := 1; i+1 < len(lines); i++ {
		if strings.HasPrefix(lines[i], "panic(") {
			return lines[0] + "\n" + strings.Join(lines[i+2:], "\n")
		}
	}
	return strings.Join(lines, "\n")
}

// panicSite is "file.go:line" of the function that panicked, the frame
// after the runtime's own in a debug.Stack trace (Redis names file:line).
func panicSite(stack []byte) string {
	lines := strings.Split(string(stack), "\n")
	for i := 0; i+1 < len(lines); i++ {
		if strings.HasPrefix(lines[i], "panic(") {
			// the next function's location line follows its name line
			for j := i + 2; j+1 < len(lines); j += 2 {
				if strings.HasPrefix(lines[j], "runtime.") {
					continue // runtime.panicmem and the like
				}
				loc := strings.TrimSpace(lines[j+1])
				if k := strings.LastIndexByte(loc, ' '); k > 0 {
					loc = loc[:k] // drop the +0x offset
				}
				if k := strings.LastIndexByte(loc, '/'); k >= 0 {
					loc = loc[k+1:]
				}
				return loc
			}
		}
	}
	return "?"
}

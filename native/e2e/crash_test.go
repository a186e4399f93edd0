//go:build !js

package e2e

import (
	"regexp"
	"strings"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/syncscope/syncscope/core/resp"
)

// Inputs that once killed syncscope-server, answered as redis-server does.
func dCrashSteps() []dstep {
	return []dstep{
		// off+len overflowed int64 and passed the size check: makeslice panic.
		dcmd("SETRANGE", "k", "9223372036854775807", "x"), dcmd("SETRANGE", "k", "9223372036854775806", "xy"),
		dcmd("SET", "k", "v"), dcmd("SETRANGE", "k", "9223372036854775807", "x"), dcmd("SETRANGE", "k", "536870911", "xy"),
		dcmd("SETRANGE", "k", "536870911", ""), dcmd("GET", "k"),
		// count*2 overflowed for the WITHSCORES reply length.
		dcmd("ZADD", "z", "0", "a"), dcmd("ZRANDMEMBER", "z", "-9223372036854770000", "WITHSCORES"),
		dcmd("ZRANDMEMBER", "z", "4611686018427387904", "WITHSCORES"), dcmd("ZRANDMEMBER", "z", "-4611686018427387904", "WITHSCORES"),
		dcmd("ZRANDMEMBER", "z", "4611686018427387903", "WITHSCORES"), dcmd("ZRANDMEMBER", "z", "-9223372036854775808", "WITHSCORES"),
		dcmd("ZRANDMEMBER", "nokey", "-9223372036854770000", "WITHSCORES"),
		dcmd("HSET", "h", "f", "v"), dcmd("HRANDFIELD", "h", "-9223372036854770000", "WITHVALUES"),
		dcmd("HRANDFIELD", "h", "4611686018427387904", "WITHVALUES"), dcmd("HRANDFIELD", "h", "4611686018427387903", "WITHVALUES"),
		dcmd("PING"),
	}
}

func TestDiffCrashInputs(t *testing.T) {
	startDiffPair(t, "").run(t, dCrashSteps())
}

// A panic is never silent: DEBUG PANIC and DEBUG SEGFAULT write Redis's bug
// report (the failure, the stack, INFO, the clients, the command's argv) to
// the log before the process dies, as redis-server does.
func TestCrashReport(t *testing.T) {
	for _, sub := range []string{"PANIC", "SEGFAULT"} {
		for _, redis := range []bool{true, false} {
			s := Start(t, Options{Redis: redis, Config: "enable-debug-command yes\ncrash-memcheck-enabled no"})
			c := s.Client()
			require.Equal(t, "OK", c.CLI("SET", "foo", "bar"))
			c.Send("DEBUG", sub, "extra\n")
			_, err := c.read()
			require.Error(t, err, "DEBUG %s must end the connection", sub)
			code, err := s.Proc.Wait(Timeout)
			require.NoError(t, err)
			assert.Equal(t, -1, code, "killed by a signal (redis: %v)", redis)
			ws := s.Proc.Cmd.ProcessState.Sys().(syscall.WaitStatus)
			if redis && sub == "SEGFAULT" {
				assert.Equal(t, syscall.SIGSEGV, ws.Signal())
			} else {
				assert.Equal(t, syscall.SIGABRT, ws.Signal(), "redis: %v", redis)
			}
			log := s.Log()
			for _, want := range []string{
				"\n\n=== REDIS BUG REPORT START: Cut & paste starting from here ===\n",
				"\n------ STACK TRACE ------\n", "\nBacktrace:\n",
				"\n------ INFO OUTPUT ------\n# Server\r\nredis_version:7.0.15\r\n",
				"\n------ CLIENT LIST OUTPUT ------\nid=",
				"\n------ CURRENT CLIENT INFO ------\nid=",
				"cmd=debug user=default",
				"argv[0]: '\"DEBUG\"'\nargv[1]: '\"" + sub + "\"'\nargv[2]: '\"extra\\n\"'\n",
				"\n=== REDIS BUG REPORT END. Make sure to include from START to END. ===\n\n       Please report the crash by opening an issue on github:\n",
			} {
				assert.Contains(t, log, want, "redis: %v", redis)
			}
			header := `# !!! Software Failure. Press left mouse button to continue\n\d+:M .* # Guru Meditation: DEBUG PANIC called at Unix time \d+ #\S+:\d+\n`
			if sub == "SEGFAULT" {
				header = `# Redis 7.0.15 crashed by signal: 11, si_code: \d+\n\d+:M .* # Accessing address: 0x[0-9a-f]+\n`
			}
			assert.Regexp(t, regexp.MustCompile(header), log, "redis: %v", redis)
			// Nothing on standard error: Redis's harness reads a "runtime
			// error" there as a sanitizer report.
			assert.NotContains(t, s.read("stdout.log"), "runtime error", "redis: %v", redis)
			assert.NotContains(t, s.read("stdout.log"), "goroutine ", "redis: %v", redis)
		}
	}
}

// An inline request past 64 KB that arrives at once: Redis reads 16 KB,
// then as much as its grown query buffer holds, and refuses the line only
// when a read leaves more than 64 KB with no newline. So on a fresh
// connection a 70 KB line is served and a 100 KB one is not. (The exact
// edge is Redis's allocator's: 81910 bytes on a fresh connection; syncscope
// reads 16 KB at a time, which puts it at 81920.)
func TestDiffLongInline(t *testing.T) {
	startDiffPair(t, "").run(t, []dstep{
		dinline(strings.Repeat("A", 70000) + "\r\n"),
		dinline("SET k " + strings.Repeat("v", 70000) + "\r\n").on(1), dcmd("STRLEN", "k").on(1),
		dinline("ECHO " + strings.Repeat("e", 75000) + "\r\n").on(2),
		dinline(strings.Repeat("B", 100000) + "\r\n").on(3),
	})
}

// What the boundary fuzzer found, answered as redis-server answers.
func TestDiffBoundaryFinds(t *testing.T) {
	startDiffPair(t, "").run(t, []dstep{
		dcmd("ZADD", "z", "1", "a"), dcmd("RPUSH", "l", "x"), dcmd("SET", "s", "v"),
		// COMMAND alone once panicked.
		dcmd("COMMAND").with(func(v resp.Value) string { return string(v.Kind) }),
		dcmd("COMMAND", "LIST", "FILTERBY", "PATTERN", "client|l*").set(), dcmd("COMMAND", "LIST", "FILTERBY", "ACLCAT", "nosuch"),
		dcmd("COMMAND", "LIST", "FILTERBY", "BOGUS", "x"), dcmd("COMMAND", "LIST", "x"),
		// Number parsing with C's rules.
		dcmd("HELLO", "-0"), dcmd("WAIT", "-2", "1"), dcmd("WAIT", "0", "x"), dcmd("WAIT", "0", "-1"),
		dcmd("SELECT", "-4611686018427387904"), dcmd("SELECT", "2147483648"), dcmd("SELECT", "99"),
		dcmd("ZCOUNT", "z", "\x00", ""), dcmd("ZCOUNT", "z", "\r\n", "1"), dcmd("ZCOUNT", "z", " 1", "2"), dcmd("ZCOUNT", "l", "\x00", "1"),
		dcmd("ZRANGE", "z", "\x00", "", "BYSCORE"), dcmd("SCAN", "\x00").with(scanSorted), dcmd("SSCAN", "s", "\x00"), dcmd("SCAN", " 0"),
		dcmd("BZPOPMIN", "z", "0x10"), dcmd("BLPOP", "nokey", "0.0001"), dcmd("BLPOP", "l", "1\x00"), dcmd("BLPOP", "l", "inf"),
		// A reply from the skiplist Redis computed into keeps -0's sign.
		dcmd("ZADD", "z0", "0", "m0", "1", "m1"), dcmd("ZUNION", "1", "z0", "WEIGHTS", "-1", "WITHSCORES"),
		dcmd("ZINTER", "1", "z0", "WEIGHTS", "-1", "WITHSCORES"), dcmd("ZUNIONSTORE", "z1", "1", "z0", "WEIGHTS", "-1"),
		dcmd("ZRANGE", "z1", "0", "-1", "WITHSCORES"),
		// Error texts printed as Redis's %s and addReplyErrorFormat print them.
		dcmd("EXPIRE", "s", "10", "\x00"), dcmd("PEXPIREAT", "s", "1", "NX", "\r\n"), dcmd("EXPIRE", "s", "1", "a\r\nb"),
		dcmd("CLIENT", "LIST", "ID", "0", "-2"), dcmd("CLIENT", "LIST", "TYPE", "normal", "ID", "1"), dcmd("CLIENT", "NO-EVICT", "maybe"),
		dcmd("CLIENT", "NO-EVICT", "on"), dcmd("CLIENT", "UNBLOCK", "1", "2", "3"), dcmd("CLIENT", "NO-TOUCH", "on"),
		// RESET leaves pub/sub, MULTI, the db, the name and RESP3.
		dcmd("SUBSCRIBE", "ch").on(1), dcmd("RESET").on(1), dcmd("PING").on(1),
		dcmd("CLIENT", "SETNAME", "n").on(1), dcmd("SELECT", "3").on(1), dcmd("MULTI").on(1), dcmd("RESET").on(1),
		dcmd("CLIENT", "GETNAME").on(1), dcmd("GET", "s").on(1), dcmd("EXEC").on(1), dcmd("RESET", "x").on(1),
	})
}

// scanSorted renders a SCAN reply with its keys sorted (hash table order).
func scanSorted(v resp.Value) string {
	if len(v.Elems) != 2 {
		return drender(v)
	}
	return drender(v.Elems[0]) + " " + dsorted(1)(v.Elems[1])
}

// kill -ABRT: Redis's sigsegvHandler writes the bug report, then the
// process dies by the signal (integration/logging.tcl checks the report).
func TestCrashReportOnSIGABRT(t *testing.T) {
	for _, redis := range []bool{true, false} {
		s := Start(t, Options{Redis: redis, Config: "crash-memcheck-enabled no"})
		require.Equal(t, "PONG", s.Client().CLI("PING"))
		s.Signal(syscall.SIGABRT)
		code, err := s.Proc.Wait(Timeout)
		require.NoError(t, err)
		assert.Equal(t, -1, code, "redis: %v", redis)
		assert.Equal(t, syscall.SIGABRT, s.Proc.Cmd.ProcessState.Sys().(syscall.WaitStatus).Signal(), "redis: %v", redis)
		log := s.Log()
		for _, want := range []string{"=== REDIS BUG REPORT START: Cut & paste starting from here ===",
			"# Redis 7.0.15 crashed by signal: 6, si_code: 0\n", "\n------ STACK TRACE ------\n",
			"\n------ INFO OUTPUT ------\n", "=== REDIS BUG REPORT END. Make sure to include from START to END. ==="} {
			assert.Contains(t, log, want, "redis: %v", redis)
		}
	}
}

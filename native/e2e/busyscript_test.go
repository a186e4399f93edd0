package e2e

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/syncscope/syncscope/core/resp"
)

// waitBusy waits until c's PING is answered BUSY: the slow script has
// passed busy-reply-threshold.
func waitBusy(t *testing.T, c *Client) string {
	t.Helper()
	deadline := time.Now().Add(Timeout)
	for {
		got := c.CLI("PING")
		if strings.Contains(got, "BUSY") || time.Now().After(deadline) {
			return got
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestSlowScriptSideBySide: a script past busy-reply-threshold on
// syncscope-server and on redis-server: the same BUSY replies, FUNCTION
// KILL refused for an EVAL, SCRIPT KILL stopping a read-only script (the
// script's error), UNKILLABLE once it wrote, SHUTDOWN refused and SHUTDOWN
// NOSAVE ending the process.
func TestSlowScriptSideBySide(t *testing.T) {
	t.Parallel()
	run := func(s *Server) []string {
		c := s.Client()
		mustDo(t, c, "CONFIG", "SET", "busy-reply-threshold", "20")
		slow := s.Client()
		slow.Send("EVAL", "local i = 0\nwhile true do i = i + 1 end", "0")
		got := []string{waitBusy(t, c), c.CLI("FUNCTION", "KILL"), c.CLI("SCRIPT", "KILL"), resp.FormatCLI(slow.Read()), c.CLI("PING")}
		slow.Send("EVAL", "redis.call('set', KEYS[1], 'v') while true do end", "1", "k")
		got = append(got, waitBusy(t, c), c.CLI("SCRIPT", "KILL"), c.CLI("SHUTDOWN"), c.CLI("GET", "k"))
		c.Send("SHUTDOWN", "NOSAVE")
		require.True(t, c.Closed(), "SHUTDOWN NOSAVE closes the connection")
		require.True(t, slow.Closed(), "and the script's")
		require.Equal(t, 0, s.Wait(), "the process exits")
		return got
	}
	theirs := run(Start(t, Options{Redis: true}))
	ours := run(Start(t, Options{}))
	require.Equal(t, theirs, ours)
	require.Contains(t, ours[3], "Script killed by user with SCRIPT KILL")
	require.Contains(t, ours[6], "UNKILLABLE")
}

// TestLuaDebuggerSideBySide: a SCRIPT DEBUG SYNC session (what redis-cli
// --ldb-sync-mode sends) answers as redis-server's does, line by line,
// and ends with the reply and the connection.
func TestLuaDebuggerSideBySide(t *testing.T) {
	t.Parallel()
	src := "local a = KEYS[1]\nlocal t = {1, 'x', {y = true}}\nredis.call('set', a, ARGV[1])\nredis.debug('t is', t)\nredis.breakpoint()\nreturn redis.call('get', a)\n"
	run := func(s *Server) []string {
		c := s.Client()
		mustDo(t, c, "SCRIPT", "DEBUG", "SYNC")
		var got []string
		read := func() { got = append(got, resp.FormatCLI(c.Read())) }
		c.Send("EVAL", src, "1", "k", "v")
		read()
		for _, cmd := range [][]string{
			{"list"}, {"step"}, {"print"}, {"print", "t"}, {"print", "KEYS"}, {"break", "3"}, {"break"},
			{"whole"}, {"maxlen", "5"}, {"eval", "1+"}, {"eval", "'long', 'result', 'string'"}, {"maxlen", "0"},
			{"redis", "incr", "n"}, {"trace"}, {"help"}, {"nope"}, {"break", "-3", "x", "99"}, {"continue"},
		} {
			c.Send(cmd...)
			read()
		}
		c.Send("continue")
		read() // "<endsession>" and what came before it
		read() // the script's reply
		require.True(t, c.Closed(), "the session ends with the connection")
		return got
	}
	theirs := run(Start(t, Options{Redis: true}))
	ours := run(Start(t, Options{}))
	require.Equal(t, theirs, ours)
	require.Contains(t, strings.Join(ours, "\n"), "<endsession>")
}

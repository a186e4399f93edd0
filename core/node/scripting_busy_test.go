package node_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/syncscope/syncscope/core/config"
	"github.com/syncscope/syncscope/core/node"
	"github.com/syncscope/syncscope/core/resp"
	"github.com/syncscope/syncscope/core/script"
	"github.com/syncscope/syncscope/core/script/lua"
)

// busyDriver is a driver with node.Busy: its clock moves a millisecond at
// every look, and each Poll hands the node the next batch of events a
// test queued, collecting what the node wrote meanwhile.
type busyDriver struct {
	now     time.Time
	batches [][]node.Event
	polls   int
	out     map[node.ConnID]*strings.Builder
	closed  map[node.ConnID]bool
	exited  bool
}

func (d *busyDriver) Now() time.Time {
	d.now = d.now.Add(time.Millisecond)
	return d.now
}

func (d *busyDriver) Poll(rd node.Ready, wait bool) []node.Event {
	d.polls++
	if rd.Apply(d) {
		return nil
	}
	if len(d.batches) == 0 {
		if wait {
			panic("the node waits for input the test did not queue")
		}
		return nil
	}
	b := d.batches[0]
	d.batches = d.batches[1:]
	return b
}

func (d *busyDriver) Write(w node.Write) {
	if d.out[w.Conn] == nil {
		d.out[w.Conn] = &strings.Builder{}
	}
	d.out[w.Conn].Write(w.Data)
}
func (d *busyDriver) Close(c node.ConnID)      { d.closed[c] = true }
func (d *busyDriver) Drop(c node.ConnID)       { d.closed[c] = true }
func (d *busyDriver) Log([]node.LogLine)       {}
func (d *busyDriver) Dial(node.Dial)           {}
func (d *busyDriver) Snapshot(s node.Snapshot) { s.Snap.Release() }
func (d *busyDriver) RewriteFile(node.File)    {}
func (d *busyDriver) WakeAt(time.Time)         {}
func (d *busyDriver) Exit(int)                 { d.exited = true }

// taken returns what conn got so far and forgets it.
func (d *busyDriver) taken(conn node.ConnID) string {
	b := d.out[conn]
	if b == nil {
		return ""
	}
	s := b.String()
	b.Reset()
	return s
}

func cmd(args ...string) []byte {
	bargs := make([][]byte, len(args))
	for i, a := range args {
		bargs[i] = []byte(a)
	}
	return resp.AppendCommand(nil, bargs...)
}

// newBusyNode starts a node with Lua and, unless noBusy, the driver's Busy,
// and connects clients 1..clients.
func newBusyNode(t *testing.T, noBusy bool, clients int) (*node.Node, *busyDriver) {
	t.Helper()
	cfg, _, err := config.Parse("port 6379\nsave \"\"\nbusy-reply-threshold 20\n", nil)
	require.NoError(t, err)
	d := &busyDriver{now: time.Date(2026, 12, 6, 0, 0, 0, 0, time.UTC), out: map[node.ConnID]*strings.Builder{}, closed: map[node.ConnID]bool{}}
	env := node.Env{Now: d.now, Seed: [2]uint64{1, 2}, Pid: 1, Scripting: func() script.Engine { return lua.New() }}
	if !noBusy {
		env.Busy = d
	}
	n, err := node.New(cfg, env)
	require.NoError(t, err)
	for c := 1; c <= clients; c++ {
		require.NoError(t, n.Step(d.now, node.Accepted{Conn: node.ConnID(c), Peer: fmt.Sprintf("127.0.0.1:%d", 50000+c), Local: "127.0.0.1:6379"}))
	}
	n.Ready().Apply(d)
	return n, d
}

// recv steps data from conn and applies what the node did.
func recv(t *testing.T, n *node.Node, d *busyDriver, conn node.ConnID, data []byte) {
	t.Helper()
	require.NoError(t, n.Step(d.now, node.Received{Conn: conn, Data: data}))
	n.Ready().Apply(d)
}

const (
	busyEval = "-BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.\r\n"
	busyFunc = "-BUSY Redis is busy running a script. You can only call FUNCTION KILL or SHUTDOWN NOSAVE.\r\n"
)

// A script past busy-reply-threshold serves the other clients between its
// instructions: BUSY to what is not allow-busy, FUNCTION KILL refused for
// an EVAL, SCRIPT KILL stops it; the caller's pipelined PING waits for the
// script's end, and the killed script's error names where it stood.
func TestSlowScriptKilled(t *testing.T) {
	n, d := newBusyNode(t, false, 2)
	d.batches = [][]node.Event{
		{node.Received{Conn: 2, Data: append(cmd("PING"), cmd("FUNCTION", "STATS")...)}},
		{node.Received{Conn: 1, Data: cmd("PING")}},
		{node.Received{Conn: 2, Data: append(cmd("FUNCTION", "KILL"), cmd("SCRIPT", "KILL")...)}},
	}
	body := "local i = 0\nwhile true do i = i + 1 end"
	recv(t, n, d, 1, cmd("EVAL", body, "0"))
	assert.Equal(t, busyEval+busyEval+busyEval+"+OK\r\n", d.taken(2))
	assert.Equal(t, "-ERR Script killed by user with SCRIPT KILL... script: "+lua.SHA1Hex([]byte(body))+", on @user_script:2.\r\n+PONG\r\n", d.taken(1))
	recv(t, n, d, 2, cmd("PING"))
	assert.Equal(t, "+PONG\r\n", d.taken(2), "served as usual once the script is gone")
}

// A script that wrote cannot be killed (UNKILLABLE); SHUTDOWN without
// NOSAVE is BUSY; SHUTDOWN NOSAVE ends the process in the middle of it.
func TestSlowScriptUnkillableShutdownNosave(t *testing.T) {
	n, d := newBusyNode(t, false, 2)
	d.batches = [][]node.Event{
		{node.Received{Conn: 2, Data: append(cmd("SCRIPT", "KILL"), cmd("SHUTDOWN")...)}},
		{node.Received{Conn: 2, Data: cmd("SHUTDOWN", "NOSAVE")}},
	}
	recv(t, n, d, 1, cmd("EVAL", "redis.call('set', KEYS[1], 'v') while true do end", "1", "k"))
	assert.Equal(t, "-UNKILLABLE Sorry the script already executed write commands against the dataset. You can either wait the script termination or kill the server in a hard way using the SHUTDOWN NOSAVE command.\r\n"+busyEval, d.taken(2))
	assert.True(t, d.exited, "SHUTDOWN NOSAVE exits while the script runs")
	assert.Equal(t, 3, d.polls, "no poll after the exit")
}

// FCALL's slow function: BUSY names FUNCTION KILL, SCRIPT KILL is refused,
// FUNCTION STATS shows it running, FUNCTION KILL stops it.
func TestSlowFunctionKilled(t *testing.T) {
	n, d := newBusyNode(t, false, 2)
	recv(t, n, d, 2, cmd("FUNCTION", "LOAD", "#!lua name=lib\nredis.register_function('spin', function() while true do end end)"))
	require.Equal(t, "$3\r\nlib\r\n", d.taken(2))
	d.batches = [][]node.Event{
		{node.Received{Conn: 2, Data: append(append(cmd("GET", "x"), cmd("SCRIPT", "KILL")...), cmd("FUNCTION", "STATS")...)}},
		{node.Received{Conn: 2, Data: cmd("FUNCTION", "KILL")}},
	}
	recv(t, n, d, 1, cmd("FCALL", "spin", "0"))
	got := d.taken(2)
	assert.True(t, strings.HasPrefix(got, busyFunc+busyFunc+"*4\r\n$14\r\nrunning_script\r\n*6\r\n$4\r\nname\r\n$4\r\nspin\r\n$7\r\ncommand\r\n*3\r\n$5\r\nFCALL\r\n$4\r\nspin\r\n$1\r\n0\r\n$11\r\nduration_ms\r\n:"), "%q", got)
	assert.True(t, strings.HasSuffix(got, "+OK\r\n"), "%q", got)
	assert.Equal(t, "-ERR Script killed by user with SCRIPT KILL... script: spin, on @user_function:2.\r\n", d.taken(1))
}

// Without the driver's Busy (the simulator, the browser) the node stops a
// slow script itself, and SCRIPT DEBUG is refused.
func TestSlowScriptWithoutBusy(t *testing.T) {
	n, d := newBusyNode(t, true, 1)
	recv(t, n, d, 1, cmd("EVAL", "while true do end", "0"))
	assert.Contains(t, d.taken(1), "-ERR Script ran past busy-reply-threshold")
	recv(t, n, d, 1, cmd("SCRIPT", "DEBUG", "SYNC"))
	assert.Equal(t, "-ERR SCRIPT DEBUG is not available here: this driver cannot suspend a script to read the debugger's commands\r\n", d.taken(1))
}

// status is the debugger's reply: its lines as status replies.
func status(lines ...string) string {
	var w resp.Writer
	w.ArrayLen(len(lines))
	for _, l := range lines {
		w.SimpleString(l)
	}
	return string(w.Buf)
}

// A SCRIPT DEBUG SYNC session: the script stops at its first line, the
// debugger's commands are read while it is suspended, other clients wait
// for its end, and the connection closes after the reply.
func TestLuaDebuggerSession(t *testing.T) {
	n, d := newBusyNode(t, false, 2)
	recv(t, n, d, 1, cmd("SCRIPT", "DEBUG", "SYNC"))
	require.Equal(t, "+OK\r\n", d.taken(1))
	d.batches = [][]node.Event{
		{node.Received{Conn: 2, Data: cmd("PING")}, node.Received{Conn: 1, Data: cmd("print")}},
		{node.Received{Conn: 1, Data: cmd("b", "3")}},
		{node.Received{Conn: 1, Data: cmd("c")}},
		{node.Received{Conn: 1, Data: cmd("r", "get", "k")}},
		{node.Received{Conn: 1, Data: cmd("bogus")}},
		{node.Received{Conn: 1, Data: cmd("c")}},
	}
	src := "local a = KEYS[1]\nredis.call('set', a, ARGV[1])\nredis.debug('set', a)\nreturn redis.call('get', a)\n"
	recv(t, n, d, 1, cmd("EVAL", src, "1", "k", "v"))
	assert.Equal(t, status("* Stopped at 1, stop reason = step over", "-> 1   local a = KEYS[1]")+
		status("No local variables in the current context.")+
		status("   2   redis.call('set', a, ARGV[1])", "  #3   redis.debug('set', a)", "   4   return redis.call('get', a)")+
		status("* Stopped at 3, stop reason = break point", "->#3   redis.debug('set', a)")+
		status("<redis> get k", "<reply> \"v\"")+
		status("<error> Unknown Redis Lua debugger command or wrong number of arguments.")+
		status("<debug> line 3: \"set\", \"k\"", "<endsession>")+
		"$1\r\nv\r\n", d.taken(1))
	assert.True(t, d.closed[1], "the session ends with the connection")
	assert.Equal(t, "+PONG\r\n", d.taken(2), "served after the session")
}

package playground

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/syncscope/syncscope/core/script"
	"github.com/syncscope/syncscope/core/script/lua"
)

// exec runs a line and waits (in virtual time, bounded) for its output.
func exec(t *testing.T, p *Page, port int, line string) string {
	t.Helper()
	var out *string
	p.Exec(port, line, func(s string) { out = &s })
	for i := 0; out == nil && i < 100; i++ {
		p.Advance(100 * time.Millisecond)
	}
	require.NotNil(t, out, "no reply to %q on %d", line, port)
	return *out
}

func logText(p *Page, port int) string { return strings.Join(p.Logs(port, 0), "\n") }

// The walkthrough, 0x001 to 0x005, through the page's API: what each
// terminal prints and what each log and panel shows.
func TestWalkthrough(t *testing.T) {
	p := New(1)
	// 0x001 configure, 0x002 sync.
	require.NoError(t, p.StartNode(6379, "", false))
	require.NoError(t, p.StartNode(6378, "port 6378\nslaveof 127.0.0.1 6379\n", false))
	require.NoError(t, p.StartNode(6377, "port 6377\nslaveof 127.0.0.1 6378\n", false))
	// Redis 7's masters wait repl-diskless-sync-delay (5 s) for more
	// replicas; 6378 serves 6377 only once it has synced itself.
	p.Advance(13 * time.Second)
	for _, port := range []int{6378, 6377} {
		st := p.State(port)
		require.Equal(t, "slave", st.Role, "%d", port)
		require.NotNil(t, st.Master)
		assert.Equal(t, "up", st.Master.Status, "%d", port)
	}
	assert.Contains(t, logText(p, 6378), "Partial resynchronization not possible (no cached master)")
	assert.Contains(t, logText(p, 6378), "Full resync from master: ")
	assert.Contains(t, logText(p, 6378), "MASTER <-> REPLICA sync: Finished with success")
	assert.Contains(t, logText(p, 6379), "Replica 127.0.0.1:6378 asks for synchronization")
	assert.Contains(t, logText(p, 6379), "Synchronization with replica 127.0.0.1:6378 succeeded")
	assert.Equal(t, "master", p.State(6379).Role)
	assert.Len(t, p.State(6379).Replicas, 1)
	assert.NotNil(t, p.RDB(6378), "the full sync's snapshot is kept for the page")
	assert.True(t, strings.HasPrefix(string(p.RDB(6378)), "REDIS0010"), "%q", p.RDB(6378))

	// 0x003 write.
	assert.Equal(t, "OK", exec(t, p, 6379, "set name redis"))
	p.Advance(100 * time.Millisecond)
	assert.Equal(t, `"redis"`, exec(t, p, 6378, "get name"))
	assert.Equal(t, `"redis"`, exec(t, p, 6377, "get name"))
	assert.Equal(t, "(error) READONLY You can't write against a read only replica.", exec(t, p, 6378, "set name redis-cli"))
	m, r, s := p.State(6379), p.State(6378), p.State(6377)
	assert.Equal(t, m.ReplID, r.ReplID, "the chain shares one history")
	assert.Equal(t, m.ReplID, s.ReplID)
	assert.Equal(t, m.Offset, s.Offset)

	// 0x004 disconnect.
	assert.Equal(t, "", exec(t, p, 6378, "shutdown"), "redis-cli prints nothing after a shutdown")
	assert.Equal(t, "Could not connect to Redis at 127.0.0.1:6378: Connection refused", exec(t, p, 6378, "get name"))
	p.Advance(3 * time.Second)
	assert.Contains(t, logText(p, 6378), "User requested shutdown...")
	assert.Contains(t, logText(p, 6378), "Saving the final RDB snapshot before exiting.")
	assert.Contains(t, logText(p, 6378), "DB saved on disk")
	assert.Contains(t, logText(p, 6379), "Connection with replica 127.0.0.1:6378 lost.")
	assert.GreaterOrEqual(t, strings.Count(logText(p, 6377), "Error condition on socket for SYNC: Connection refused"), 2)
	assert.Equal(t, `"redis"`, exec(t, p, 6377, "get name"), "6377 keeps serving its data")
	assert.Equal(t, "down", p.State(6377).Master.Status)
	assert.False(t, p.State(6378).Running)

	// 0x005 writable replica: restarted with its dump, it continues by
	// partial resync.
	require.NoError(t, p.StartNode(6378, "port 6378\nslaveof 127.0.0.1 6379\nreplica-read-only no\n", false))
	p.Advance(3 * time.Second)
	assert.Contains(t, logText(p, 6378), "Successful partial resynchronization with master.")
	assert.Equal(t, "OK", exec(t, p, 6378, "set name redis-cli"))
	p.Advance(time.Second)
	assert.Equal(t, `"redis-cli"`, exec(t, p, 6378, "get name"))
	assert.Equal(t, `"redis"`, exec(t, p, 6377, "get name"))
	assert.Equal(t, `"redis"`, exec(t, p, 6379, "get name"))
	assert.Empty(t, p.Err())
}

func TestExecFormatting(t *testing.T) {
	p := New(2)
	require.NoError(t, p.StartNode(6379, "", false))
	for _, tc := range []struct{ line, want string }{
		{"", ""},
		{"   ", ""},
		{`set "a b`, "Invalid argument(s)"},
		{"0 incr x", "Invalid redis-cli repeat command option value."},
		{"3 incr x", "(integer) 1\n(integer) 2\n(integer) 3"},
		{"get nosuchkey", "(nil)"},
		{"rpush l a b", "(integer) 2"},
		{"lrange l 0 -1", "1) \"a\"\n2) \"b\""},
		{`set "a b" "c\nd"`, "OK"},
		{`get "a b"`, `"c\nd"`},
		{"nosuchcommand x", "(error) ERR unknown command 'nosuchcommand', with args beginning with: 'x' "},
	} {
		assert.Equal(t, tc.want, exec(t, p, 6379, tc.line), tc.line)
	}
}

// Typing into a paused world still gets a reply; a command that waits for
// time (WAIT with a timeout and no replicas) waits until time runs.
func TestPausedExec(t *testing.T) {
	p := New(3)
	require.NoError(t, p.StartNode(6379, "", false))
	before := p.Now()
	var got string
	p.Exec(6379, "ping", func(s string) { got = s })
	assert.Equal(t, "PONG", got)
	assert.Less(t, p.Now()-before, 1.0, "answering moved the clock by less than a millisecond")

	var waited *string
	p.Exec(6379, "wait 1 500", func(s string) { waited = &s })
	assert.Nil(t, waited)
	p.Play(1)
	for i := 0; waited == nil && i < 10; i++ {
		p.Tick(100 * time.Millisecond)
	}
	require.NotNil(t, waited)
	assert.Equal(t, "(integer) 0", *waited)
	paused, speed := p.Clock()
	assert.False(t, paused)
	assert.Equal(t, 1.0, speed)
}

func TestClock(t *testing.T) {
	p := New(4)
	p.Tick(time.Second)
	assert.Equal(t, 0.0, p.Now(), "paused: a tick does nothing")
	p.Play(4)
	p.Tick(100 * time.Millisecond)
	assert.InDelta(t, 400, p.Now(), 0.001)
	p.Tick(10 * time.Second) // a throttled tab: bounded
	assert.InDelta(t, 400+4*float64(maxTick/time.Millisecond), p.Now(), 0.001)
	p.Pause()
	p.Advance(2 * time.Second)
	assert.InDelta(t, 2400+4*float64(maxTick/time.Millisecond), p.Now(), 0.001)
	assert.False(t, p.Step(), "an empty world has nothing to run")
	require.NoError(t, p.StartNode(6379, "", false))
	assert.True(t, p.Step(), "a node has its cron scheduled")
}

func TestStartErrors(t *testing.T) {
	p := New(5)
	err := p.StartNode(6378, "port 6300\n", false)
	require.Error(t, err)
	assert.Equal(t, "node 6378: its config says port 6300", err.Error())
	err = p.StartNode(6378, "no-such-directive yes\n", false)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "Bad directive or wrong number of arguments")
	require.NoError(t, p.StartNode(6379, "", false))
	assert.Error(t, p.StartNode(6379, "", false), "already running")
	assert.Error(t, p.StopNode(6000, true), "no such node")
	assert.Equal(t, []NodeInfo{{Port: 6378}, {Port: 6379, Running: true}}, p.Nodes())
}

// The messages on the links name what crosses them.
func TestMessages(t *testing.T) {
	p := New(6)
	require.NoError(t, p.StartNode(6379, "", false))
	require.NoError(t, p.StartNode(6378, "replicaof 127.0.0.1 6379", false))
	p.Advance(7 * time.Second)
	exec(t, p, 6379, "set name redis")
	p.Advance(1500 * time.Millisecond)
	var parts []string
	kinds := map[string]bool{}
	for _, m := range p.TakeMessages() {
		kinds[m.Kind] = true
		for _, part := range m.Parts {
			parts = append(parts, m.Kind+" "+itoa(m.From)+">"+itoa(m.To)+" "+part)
		}
	}
	all := strings.Join(parts, "\n")
	for _, want := range []string{
		"ctl 6378>6379 PING",
		"ctl 6379>6378 +PONG",
		"ctl 6378>6379 REPLCONF listening-port 6378",
		"ctl 6378>6379 PSYNC ? -1",
		"ctl 6379>6378 +FULLRESYNC ",
		"rdb 6379>6378 $",
		"rdb 6379>6378 RDB complete (",
		"cmd 6379>6378 SELECT 0",
		"cmd 6379>6378 SET name redis",
		"ctl 6378>6379 REPLCONF ACK ",
	} {
		assert.Contains(t, all, want)
	}
	assert.True(t, kinds[KindRDB] && kinds[KindCommand] && kinds[KindControl], "%v", kinds)
	assert.Empty(t, p.TakeMessages(), "taken")
}

func TestReset(t *testing.T) {
	p := New(7)
	require.NoError(t, p.StartNode(6379, "", false))
	var got *string
	p.Play(1)
	p.Exec(6379, "wait 1 0", func(s string) { got = &s }) // blocks forever
	p.Reset(8)
	require.NotNil(t, got)
	assert.Equal(t, "(error) the world was reset", *got)
	assert.Equal(t, uint64(8), p.Seed())
	assert.Empty(t, p.Nodes())
	paused, _ := p.Clock()
	assert.True(t, paused)
}

func itoa(i int) string { return strconv.Itoa(i) }

// The same seed and the same actions give the same run, byte for byte:
// what Back, jump-to-step and a shared link rely on.
func TestDeterministic(t *testing.T) {
	run := func() (string, State) {
		p := New(42)
		require.NoError(t, p.StartNode(6379, "", false))
		require.NoError(t, p.StartNode(6378, "replicaof 127.0.0.1 6379", false))
		p.Advance(7 * time.Second)
		exec(t, p, 6379, "set name redis")
		exec(t, p, 6379, "spop nosuchset")
		p.Cut(6379, 6378)
		p.Advance(2 * time.Second)
		p.Heal(6379, 6378)
		p.Advance(2 * time.Second)
		return logText(p, 6378) + logText(p, 6379), p.State(6378)
	}
	logs1, st1 := run()
	logs2, st2 := run()
	assert.Equal(t, logs1, logs2)
	assert.Equal(t, st1, st2)
	assert.Len(t, New(42).Actions(), 0)
}

// A journal replays the run exactly: Goto each action's position, Apply it.
// The run mixes real-time ticks of odd lengths, typing while paused and
// while playing, single steps, faults and restarts.
func TestJournalReplay(t *testing.T) {
	p := New(77)
	var outs []string
	keep := func(s string) { outs = append(outs, s) }
	require.NoError(t, p.StartNode(6379, "", false))
	require.NoError(t, p.StartNode(6378, "replicaof 127.0.0.1 6379", false))
	p.Play(3)
	for i := 0; i < 200; i++ {
		p.Tick(time.Duration(7+i%13) * time.Millisecond)
	}
	p.Exec(6379, "set name redis", keep)
	p.Exec(6379, "wait 1 300", keep)
	p.Tick(40 * time.Millisecond)
	p.Pause()
	p.Exec(6378, "get name", keep)
	p.Step()
	p.Step()
	p.Latency(6379, 6378, 300*time.Millisecond)
	p.Cut(6379, 6378)
	p.Exec(6379, "3 incr n", keep)
	p.Advance(1234 * time.Millisecond)
	p.Heal(6379, 6378)
	p.Play(0.5)
	for i := 0; i < 50; i++ {
		p.Tick(33 * time.Millisecond)
	}
	require.NoError(t, p.StopNode(6378, true))
	p.Advance(1500 * time.Millisecond)
	require.NoError(t, p.StartNode(6378, "", true))
	p.CrashNode(6379, false)
	p.Advance(2 * time.Second)
	end := p.Position()
	journal := p.Actions()
	require.Len(t, journal, 12)

	q := New(77)
	var replayed []string
	q.Hold(true)
	for _, a := range journal {
		require.NoError(t, q.Goto(a.Steps, a.T, a.Paused))
		q.Tick(time.Second) // held: real time does not move the world
		require.NoError(t, q.Apply(a, func(s string) { replayed = append(replayed, s) }))
	}
	q.Hold(false)
	require.NoError(t, q.Goto(end.Steps, end.T, end.Paused))
	assert.Equal(t, journal, q.Actions(), "the replay's own journal is the same")
	assert.Equal(t, outs, replayed)
	for _, port := range []int{6379, 6378} {
		assert.Equal(t, logText(p, port), logText(q, port), "%d", port)
		assert.Equal(t, p.State(port), q.State(port), "%d", port)
	}
	assert.Equal(t, p.Now(), q.Now())

	// A journal that is not this run's is refused, not half-applied.
	r := New(78)
	err := r.Goto(end.Steps, end.T, false)
	assert.ErrorContains(t, err, "not the same run")
	assert.Error(t, r.Apply(Action{Op: "teleport"}, nil))
}

// With the Lua engine (as the wasm driver sets it), a script runs on the
// page's master and its effects reach the replica; without one, EVAL
// says no engine is linked.
func TestPageScripting(t *testing.T) {
	p := New(3)
	require.NoError(t, p.StartNode(6379, "", false))
	assert.Contains(t, exec(t, p, 6379, `eval "return 1" 0`), "no Lua engine linked")

	p.SetScripting(func() script.Engine { return lua.New() })
	assert.Empty(t, p.Nodes(), "the world starts again with the engine")
	require.NoError(t, p.StartNode(6379, "", false))
	require.NoError(t, p.StartNode(6378, "port 6378\nslaveof 127.0.0.1 6379\n", false))
	p.Advance(8 * time.Second)
	require.Equal(t, "up", p.State(6378).Master.Status)
	assert.Equal(t, "OK", exec(t, p, 6379, `EVAL "return redis.call('SET',KEYS[1],ARGV[1])" 1 k v`))
	p.Advance(100 * time.Millisecond)
	afterEval := p.Position()
	assert.Equal(t, `"greet"`, exec(t, p, 6379, `FUNCTION LOAD "#!lua name=greet\nredis.register_function{function_name='hi', callback=function(keys, args) return 'hi ' .. args[1] end, flags={'no-writes'}}"`))
	p.Advance(100 * time.Millisecond)
	assert.Equal(t, `"v"`, exec(t, p, 6378, "get k"))
	assert.Equal(t, `"hi you"`, exec(t, p, 6378, "fcall_ro hi 0 you"))
	// Back in time, the replay ran the EVAL with the engine too; the
	// library is not loaded yet there, and scripts run on.
	require.NoError(t, p.Seek(Pos{Steps: afterEval.Steps, T: afterEval.T}))
	assert.Equal(t, `"v"`, exec(t, p, 6378, "get k"))
	assert.Equal(t, "(error) ERR Function not found", exec(t, p, 6378, "fcall_ro hi 0 you"))
	assert.Equal(t, "(integer) 3", exec(t, p, 6379, `eval "return 1+2" 0`))
}

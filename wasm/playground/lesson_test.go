package playground

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// ticks lists the goals of a lesson that are met.
func ticks(pr Progress) []bool {
	out := make([]bool, len(pr.Goals))
	for i, g := range pr.Goals {
		out[i] = g.Done
	}
	return out
}

// until runs the world in steps of 100 ms until lesson id is done, at most
// max of virtual time.
func until(t *testing.T, p *Page, id string, confs map[int]string, max time.Duration) Progress {
	t.Helper()
	for d := time.Duration(0); d < max; d += 100 * time.Millisecond {
		if pr := p.Lesson(id, confs); pr.Done {
			return pr
		}
		p.Advance(100 * time.Millisecond)
	}
	pr := p.Lesson(id, confs)
	require.True(t, pr.Done, "lesson %s not done after %s: %+v", id, max, pr)
	return pr
}

// The walkthrough's lessons, done as a learner does them: each goal ticks
// when the state says so, and "why not yet" follows the state.
func TestLessonsWalkthrough(t *testing.T) {
	p := New(1)
	require.NoError(t, p.StartNode(6379, "", false)) // the live landing
	p.MarkLesson()

	confs := map[int]string{6378: "port 6378\n", 6377: "port 6377\n"}
	pr := p.Lesson("configure", confs)
	assert.Equal(t, []bool{false, false, false}, ticks(pr))
	assert.Contains(t, pr.Why, "type ping")
	assert.Equal(t, "PONG", exec(t, p, 6379, "ping"))
	pr = p.Lesson("configure", confs)
	assert.Equal(t, []bool{true, false, false}, ticks(pr))
	assert.Equal(t, "6378.conf has no replicaof line yet: add slaveof 127.0.0.1 6379", pr.Why)
	confs[6378] += "slaveof 127.0.0.1 6380\n"
	assert.Equal(t, "6378.conf says replicaof 127.0.0.1 6380: its master is 127.0.0.1 6379", p.Lesson("configure", confs).Why)
	confs[6378] = "port 6378\nslaveof 127.0.0.1 6379\n"
	confs[6377] = "port 6377\nreplicaof localhost 6378\n"
	assert.True(t, p.Lesson("configure", confs).Done)

	p.MarkLesson()
	pr = p.Lesson("sync", nil)
	assert.Equal(t, "6378 isn't running: press Start 6378.", pr.Why)
	require.NoError(t, p.StartNode(6378, confs[6378], false))
	p.Advance(1500 * time.Millisecond)
	pr = p.Lesson("sync", nil)
	assert.Regexp(t, `^6379 waits repl-diskless-sync-delay for more replicas to share one RDB: the transfer starts in [34]\.\d s\.$`, pr.Why)
	p.Advance(time.Second)
	left := p.SyncDelay(6379)
	assert.InDelta(t, 2.5, left, 1, "the countdown moves")
	assert.Equal(t, -1.0, p.SyncDelay(6378))
	for p.SyncDelay(6379) >= 0 {
		p.Advance(100 * time.Millisecond)
	}
	p.Advance(500 * time.Millisecond)
	assert.Equal(t, "6378 is synced. Now press Start 6377.", p.Lesson("sync", nil).Why)
	require.NoError(t, p.StartNode(6377, confs[6377], false))
	until(t, p, "sync", nil, 20*time.Second)

	p.MarkLesson()
	assert.Equal(t, `(nil)`, exec(t, p, 6378, "get name"))
	assert.Equal(t, "6378 answered (nil): nothing was written yet. Type set name redis on 6379 first.", p.Lesson("write", nil).Why)
	exec(t, p, 6379, "set name redis")
	p.Advance(100 * time.Millisecond)
	exec(t, p, 6378, "get name")
	exec(t, p, 6377, "get name")
	pr = p.Lesson("write", nil)
	assert.Equal(t, []bool{true, true, true, false}, ticks(pr))
	assert.Equal(t, "Try set name redis-cli in 6378's terminal.", pr.Why)
	exec(t, p, 6378, "set name redis-cli")
	assert.True(t, p.Lesson("write", nil).Done)

	p.MarkLesson()
	exec(t, p, 6377, "get name") // before the shutdown: does not count
	exec(t, p, 6378, "shutdown")
	p.Advance(300 * time.Millisecond)
	pr = p.Lesson("disconnect", nil)
	assert.Equal(t, []bool{true, true, false, false}, ticks(pr))
	assert.Regexp(t, `^6377 has retried [01] time\(s\)`, pr.Why)
	p.Advance(2 * time.Second)
	assert.False(t, p.Lesson("disconnect", nil).Done)
	exec(t, p, 6377, "get name")
	assert.True(t, p.Lesson("disconnect", nil).Done)

	p.MarkLesson()
	confs[6378] += "slave-read-only no\n"
	pr = p.Lesson("writable", confs)
	assert.Equal(t, []bool{true, false, false, false, false}, ticks(pr))
	require.NoError(t, p.StartNode(6378, confs[6378], false))
	p.Advance(2 * time.Second)
	exec(t, p, 6378, "set name redis-cli")
	exec(t, p, 6378, "get name")
	exec(t, p, 6377, "get name")
	exec(t, p, 6379, "get name")
	assert.True(t, p.Lesson("writable", confs).Done, "%+v", p.Lesson("writable", confs))

	// The recap's moments: each lesson's, in time order.
	var lessons []string
	last := -1.0
	for _, m := range p.Moments() {
		lessons = append(lessons, m.Lesson)
		assert.GreaterOrEqual(t, m.At, last)
		last = m.At
	}
	assert.Equal(t, []string{"0x002", "0x002", "0x002", "0x003", "0x003", "0x003", "0x004", "0x004", "0x005", "0x005"}, lessons)
}

// The backlog lesson: the why says how much more to write, and the line it
// suggests is enough.
func TestLessonBacklog(t *testing.T) {
	p := New(5)
	require.NoError(t, p.StartNode(6379, "repl-backlog-size 16kb\nrepl-timeout 5\n", false))
	require.NoError(t, p.StartNode(6378, "replicaof 127.0.0.1 6379\nrepl-timeout 5\n", false))
	p.Advance(8 * time.Second)
	exec(t, p, 6379, "set name redis")
	p.Advance(200 * time.Millisecond)
	p.MarkLesson()

	assert.Equal(t, "Click the 6379–6378 link in the topology, then Cut.", p.Lesson("backlog", nil).Why)
	p.Cut(6379, 6378)
	p.Advance(2 * time.Second)
	assert.Contains(t, p.Lesson("backlog", nil).Why, "after repl-timeout (5 s) it gives up")
	p.Advance(5 * time.Second)
	pr := p.Lesson("backlog", nil)
	assert.Equal(t, []bool{true, true, false, false, false, false}, ticks(pr))
	assert.Regexp(t, `^The backlog still holds offset \d+ \(6378's next byte\), so a partial resync would succeed: write more than [23]\d{4} bytes on 6379, e.g. 600 rpush big x+$`, pr.Why)
	// What the issue saw: 120 short pushes are not enough.
	exec(t, p, 6379, "120 rpush big xxxxxxxxxxxx")
	assert.Contains(t, p.Lesson("backlog", nil).Why, "The backlog still holds offset")
	exec(t, p, 6379, backlogFiller)
	pr = p.Lesson("backlog", nil)
	assert.Equal(t, []bool{true, true, true, false, false, false}, ticks(pr))
	assert.Regexp(t, `^Offset \d+ has left the backlog \(it starts at \d+ now\)\. Heal the link\.$`, pr.Why)
	p.Heal(6379, 6378)
	until(t, p, "backlog", nil, 10*time.Second)
}

// The kill lesson at the rate the page gives the link: the transfer lasts
// seconds, the why says how far it is, and killing the master then starting
// it again completes the lesson; too late, the why says so.
func TestLessonKill(t *testing.T) {
	base := func() *Page {
		p := New(9)
		require.NoError(t, p.StartNode(6379, "repl-diskless-sync no\nrdbcompression no\n", false))
		exec(t, p, 6379, "set name redis")
		exec(t, p, 6379, "setrange big 40000 end")
		p.Rate(6379, 6378, 8000)
		p.MarkLesson()
		return p
	}
	p := base()
	require.NoError(t, p.StartNode(6378, "replicaof 127.0.0.1 6379\n", false))
	var seen []string
	for i := 0; i < 100 && len(seen) < 3; i++ {
		p.Advance(500 * time.Millisecond)
		if why := p.Lesson("kill", nil).Why; strings.HasPrefix(why, "6378 has read") {
			seen = append(seen, why)
		}
	}
	require.Len(t, seen, 3, "the transfer lasts more than a second")
	assert.Regexp(t, `^6378 has read \d+\.\d KB of 39\.\d KB: press Kill on 6379's card now!$`, seen[0])
	assert.NotEqual(t, seen[0], seen[2], "the progress moves")
	p.CrashNode(6379, false)
	p.Advance(1500 * time.Millisecond)
	pr := p.Lesson("kill", nil)
	assert.Equal(t, []bool{true, true, true, false, false}, ticks(pr))
	require.NoError(t, p.StartNode(6379, "", true))
	for i := 0; i < 30 && !strings.HasPrefix(p.Lesson("kill", nil).Why, "6378 is receiving the RDB: "); i++ {
		p.Advance(100 * time.Millisecond)
	}
	assert.Regexp(t, `^6378 is receiving the RDB: (\d+ bytes|\d+\.\d KB) of 39\.\d KB\.$`, p.Lesson("kill", nil).Why)
	until(t, p, "kill", nil, 15*time.Second)
	assert.Equal(t, `"redis"`, exec(t, p, 6378, "get name"))

	p = base()
	require.NoError(t, p.StartNode(6378, "replicaof 127.0.0.1 6379\n", false))
	p.Advance(10 * time.Second)
	assert.Equal(t, "The transfer finished before the kill. Press Reset step and press Kill on 6379 while the bar moves.", p.Lesson("kill", nil).Why)
}

// Promote and WAIT, through their goals.
func TestLessonPromoteAndWait(t *testing.T) {
	p := New(2)
	require.NoError(t, p.StartNode(6379, "", false))
	require.NoError(t, p.StartNode(6378, "replicaof 127.0.0.1 6379\n", false))
	require.NoError(t, p.StartNode(6377, "replicaof 127.0.0.1 6378\n", false))
	p.Advance(15 * time.Second)
	exec(t, p, 6379, "set name redis")
	p.Advance(200 * time.Millisecond)
	p.MarkLesson()
	assert.Equal(t, "Type replicaof no one in 6378's terminal.", p.Lesson("promote", nil).Why)
	exec(t, p, 6378, "replicaof no one")
	p.Advance(2 * time.Second)
	exec(t, p, 6379, "replicaof 127.0.0.1 6378")
	until(t, p, "promote", nil, 5*time.Second)

	p.MarkLesson()
	exec(t, p, 6378, "set k v")
	exec(t, p, 6378, "wait 1 100")
	assert.False(t, p.Lesson("wait", nil).Done, "on 6379, not 6378")
	assert.Empty(t, p.Lesson("nonesuch", nil).Goals)
}

// A removed node is gone from the page; its port can hold a fresh node.
func TestRemoveNode(t *testing.T) {
	p := New(4)
	require.NoError(t, p.StartNode(7001, "", false))
	exec(t, p, 7001, "set a 1")
	p.RemoveNode(7001)
	assert.Empty(t, p.Nodes())
	require.NoError(t, p.StartNode(7001, "", false))
	assert.Equal(t, []NodeInfo{{Port: 7001, Running: true}}, p.Nodes())
	assert.Equal(t, "(nil)", exec(t, p, 7001, "get a"), "a fresh node: the disk went with the old one")
	assert.Equal(t, "port 7001\n", p.Conf(7001))
}

// A past moment's goals count from where the lesson opened too: seeking
// back before a goal was met shows it unmet, and the live run shows it met.
func TestLessonGoalsAtAPastMoment(t *testing.T) {
	p := New(6)
	require.NoError(t, p.StartNode(6379, "", false))
	exec(t, p, 6379, "ping") // before the lesson: does not count
	p.Advance(time.Second)
	p.MarkLesson()
	pr := p.Lesson("configure", map[int]string{6378: "port 6378\n", 6377: "port 6377\n"})
	require.False(t, pr.Goals[0].Done, "the ping before the lesson opened")
	p.Advance(time.Second)
	before := p.Position()
	p.Advance(time.Second)
	exec(t, p, 6379, "ping")
	confs := map[int]string{6378: "port 6378\n", 6377: "port 6377\n"}
	require.True(t, p.Lesson("configure", confs).Goals[0].Done)
	require.NoError(t, p.Seek(Pos{Steps: before.Steps, T: before.T}))
	assert.False(t, p.Lesson("configure", confs).Goals[0].Done, "not yet at that moment")
	p.Live()
	assert.True(t, p.Lesson("configure", confs).Goals[0].Done)
}

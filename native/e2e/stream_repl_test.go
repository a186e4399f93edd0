//go:build !js

package e2e

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/syncscope/syncscope/core/resp"
)

// streamSetup writes streams with consumer groups and pending entries
// before a replica attaches: they reach it in the full sync's RDB.
var streamSetup = [][]string{
	{"CONFIG", "SET", "stream-node-max-entries", "4"},
	{"XADD", "old", "1-1", "f", "v"}, {"XADD", "old", "2-1", "f", "v", "g", "w"}, {"XADD", "old", "3-1", "f", "x"},
	{"XADD", "old", "4-1", "f", "x"}, {"XADD", "old", "5-1", "f", "x"}, {"XDEL", "old", "2-1"},
	{"XGROUP", "CREATE", "old", "g", "0"}, {"XREADGROUP", "GROUP", "g", "alice", "COUNT", "2", "STREAMS", "old", ">"},
	{"XGROUP", "CREATE", "empty", "g", "$", "MKSTREAM"},
}

// streamScript writes with every stream command, including those Redis
// propagates as other commands (XREADGROUP as XCLAIM and XGROUP SETID, an
// approximate trim as the exact one it came to) or not at all.
var streamScript = [][]string{
	{"XADD", "s", "1-1", "a", "1"}, {"XADD", "s", "1-*", "a", "2"}, {"XADD", "s", "2", "b", "3", "c", "4"},
	{"XADD", "s", "MAXLEN", "~", "2", "10-1", "a", "5"}, {"XADD", "s", "11-1", "a", "6"}, {"XADD", "s", "12-1", "a", "7"},
	{"XADD", "s", "MINID", "~", "0", "13-1", "a", "8"}, {"XADD", "nomk", "NOMKSTREAM", "1-1", "a", "1"},
	{"XDEL", "s", "11-1", "99-1"}, {"XTRIM", "s", "MAXLEN", "~", "1"}, {"XTRIM", "s", "MINID", "0"},
	{"XGROUP", "CREATE", "s", "g", "0"}, {"XGROUP", "CREATE", "s", "g2", "$", "ENTRIESREAD", "3"},
	{"XREADGROUP", "GROUP", "g", "alice", "COUNT", "2", "STREAMS", "s", ">"},
	{"XREADGROUP", "GROUP", "g", "bob", "NOACK", "COUNT", "1", "STREAMS", "s", ">"},
	{"XREADGROUP", "GROUP", "g", "alice", "STREAMS", "s", "0"}, // history: nothing propagated
	{"XREADGROUP", "GROUP", "g", "carol", "STREAMS", "s", ">"},
	{"XACK", "s", "g", "1-1", "5-5"}, {"XCLAIM", "s", "g", "dave", "0", "1-2", "IDLE", "1000"},
	{"XCLAIM", "s", "g", "dave", "0", "1-2", "JUSTID", "RETRYCOUNT", "7"}, {"XCLAIM", "s", "g", "erin", "0", "4-4", "LASTID", "20-1"},
	{"XDEL", "s", "10-1"}, {"XAUTOCLAIM", "s", "g", "frank", "0", "0", "COUNT", "10"},
	{"XGROUP", "SETID", "s", "g2", "0", "ENTRIESREAD", "0"}, {"XGROUP", "CREATECONSUMER", "s", "g2", "gina"},
	{"XGROUP", "DELCONSUMER", "s", "g", "dave"}, {"XGROUP", "DESTROY", "s", "g2"}, {"XSETID", "s", "50-1", "ENTRIESADDED", "60"},
	{"XREADGROUP", "GROUP", "g", "alice", "STREAMS", "old", ">"}, {"XINFO", "STREAM", "s"}, {"XREAD", "STREAMS", "s", "0"},
}

// TestStreamReplStreamMatchesRedis compares the replication stream of the
// stream commands with redis-server's, command by command (delivery times
// normalized).
func TestStreamReplStreamMatchesRedis(t *testing.T) {
	t.Parallel()
	assertSameStream(t, streamScript)
}

// streamInfo is XINFO STREAM key FULL with the consumers' seen times
// zeroed: a replica sets them when it applies its master's XCLAIMs, on its
// own clock, as Redis's replicas do.
func streamInfo(t *testing.T, s *Server, key string) string {
	t.Helper()
	v := s.Client().Do("XINFO", "STREAM", key, "FULL")
	require.NotEqual(t, resp.Error, v.Kind, "XINFO STREAM %s FULL: %s", key, resp.FormatCLI(v))
	var mask func(v *resp.Value)
	mask = func(v *resp.Value) {
		for i := range v.Elems {
			if e := &v.Elems[i]; string(e.Str) == "seen-time" && i+1 < len(v.Elems) {
				v.Elems[i+1].Int = 0
			}
			mask(&v.Elems[i])
		}
	}
	mask(&v)
	return resp.FormatCLI(v)
}

// TestStreamReplicasMatchRedis: a redis-server replica and a syncscope-server
// replica of the same master (syncscope-server, then redis-server) end with
// the same streams, groups and pending entries, from the full sync's RDB and
// from the stream of commands. (A replica's group can differ from its
// master's: XCLAIM carries no read counter, so Redis's replicas keep their
// own; what matters is that ours keeps the same one.)
func TestStreamReplicasMatchRedis(t *testing.T) {
	t.Parallel()
	for _, redisMaster := range []bool{false, true} {
		m := startOurs(t, "")
		if redisMaster {
			m = startRedis(t, "")
		}
		c := m.Client()
		for _, cmd := range streamSetup {
			mustDo(t, c, cmd...)
		}
		theirs, ours := startRedis(t, replicaOf(m)), startOurs(t, replicaOf(m))
		theirs.WaitLog("MASTER <-> REPLICA sync: Finished with success")
		ours.WaitLog("MASTER <-> REPLICA sync: Finished with success")
		waitSameOffsets(t, m, theirs, ours)
		for _, k := range []string{"old", "empty"} {
			require.Equal(t, streamInfo(t, theirs, k), streamInfo(t, ours, k), "%s after the full sync (redis master: %v)", k, redisMaster)
		}
		for _, cmd := range streamScript {
			c.Do(cmd...)
		}
		requireSameData(t, m, theirs, ours)
		for _, k := range []string{"old", "empty", "s"} {
			require.Equal(t, streamInfo(t, theirs, k), streamInfo(t, ours, k), "%s (redis master: %v)", k, redisMaster)
		}
	}
}

// TestStreamRDBFileBothWays: a dump.rdb with streams saved by redis-server
// loads in syncscope-server, and the one syncscope-server saves loads in
// redis-server, with the same stream values (DUMP), groups included.
func TestStreamRDBFileBothWays(t *testing.T) {
	t.Parallel()
	keys := []string{"old", "empty", "s"}
	theirs := startRedis(t, "")
	c := theirs.Client()
	for _, cmd := range append(append([][]string{}, streamSetup...), streamScript...) {
		c.Do(cmd...)
	}
	mustDo(t, c, "SAVE")
	ours := Start(t, Options{Dir: copyDump(t, theirs)})
	oc := ours.Client()
	for _, k := range keys {
		require.Equal(t, c.Do("DUMP", k), oc.Do("DUMP", k), "DUMP %s after loading redis-server's dump.rdb", k)
	}
	mustDo(t, oc, "SAVE")
	back := Start(t, Options{Redis: true, Dir: copyDump(t, ours)})
	bc := back.Client()
	for _, k := range keys {
		require.Equal(t, c.Do("DUMP", k), bc.Do("DUMP", k), "DUMP %s after redis-server loaded syncscope-server's dump.rdb", k)
	}
}

// TestStreamWatchMatchesRedis: which stream commands make a WATCHed key
// dirty is Redis's (XGROUP DESTROY wakes blocked readers but does not touch
// the key; XSETID and the group commands do not either; XADD, XDEL, XTRIM do).
func TestStreamWatchMatchesRedis(t *testing.T) {
	t.Parallel()
	script := [][]string{{"XGROUP", "CREATE", "s", "g", "$", "MKSTREAM"}}
	for _, cmd := range [][]string{
		{"XGROUP", "DESTROY", "s", "g"}, {"XGROUP", "CREATE", "s", "g2", "0"}, {"XGROUP", "SETID", "s", "g2", "0"},
		{"XGROUP", "CREATECONSUMER", "s", "g2", "c"}, {"XGROUP", "DELCONSUMER", "s", "g2", "c"}, {"XSETID", "s", "5"},
		{"XADD", "s", "6", "f", "v"}, {"XREADGROUP", "GROUP", "g2", "c", "STREAMS", "s", ">"}, {"XACK", "s", "g2", "6"},
		{"XDEL", "s", "6"}, {"XDEL", "s", "7"}, {"XTRIM", "s", "MAXLEN", "0"}, {"XADD", "s", "8", "f", "v"}, {"XTRIM", "s", "MAXLEN", "0"},
	} {
		script = append(script, []string{"WATCH", "s"}, cmd, []string{"MULTI"}, []string{"PING"}, []string{"EXEC"})
	}
	assert.Equal(t, scriptReplies(startRedis(t, ""), script), scriptReplies(startOurs(t, ""), script))
}

// TestStreamNotificationsMatchRedis compares the keyspace notifications of
// the stream commands (xadd, xtrim, xdel, xgroup-*, xsetid, new, del...)
// with redis-server's.
func TestStreamNotificationsMatchRedis(t *testing.T) {
	t.Parallel()
	assertSameNotifications(t, streamScript)
}

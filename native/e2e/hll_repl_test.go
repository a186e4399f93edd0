//go:build !js

package e2e

import (
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/syncscope/syncscope/core/resp"
)

// hllScript writes with every HyperLogLog command, including the calls
// Redis does not propagate: a PFADD that changes no register, a PFCOUNT
// answered from the cache or over several keys, PFDEBUG calls that convert
// nothing.
var hllScript = [][]string{
	{"PFADD", "h", "a", "b", "c"},
	{"PFADD", "h", "a"},   // no register changes: nothing propagated
	{"PFCOUNT", "h"},      // writes the cache: propagated as is
	{"PFCOUNT", "h"},      // cached: nothing
	{"PFCOUNT", "h", "x"}, // a union writes nothing
	{"PFADD", "h2"},
	{"PFADD", "h2"}, // exists: nothing
	{"PFMERGE", "m", "h", "h2"},
	{"PFMERGE", "m"},
	{"PFDEBUG", "ENCODING", "m"},
	{"PFDEBUG", "DECODE", "m"},
	{"PFDEBUG", "GETREG", "m"}, // sparse to dense: propagated
	{"PFDEBUG", "GETREG", "m"}, // dense already: nothing
	{"PFDEBUG", "TODENSE", "h"},
	{"PFDEBUG", "TODENSE", "h"},
	{"PFCOUNT", "m"},
	{"PFADD", "m", "d", "e"},
	{"PFADD", "h3", "x", "y"},
	{"EVAL", "return redis.call('pfcount', KEYS[1])", "1", "h3"}, // the cache write, as the script's effect
	{"EVAL", "return redis.call('pfcount', KEYS[1])", "1", "h3"}, // cached: nothing
	{"SET", "s", "HYLL"},
	{"PFADD", "s", "x"}, // not an HLL: an error, nothing propagated
	{"PFCOUNT", "s"},
}

// TestHLLReplStreamMatchesRedis compares the replication stream of the
// HyperLogLog commands with redis-server's, command by command.
func TestHLLReplStreamMatchesRedis(t *testing.T) {
	t.Parallel()
	assertSameStream(t, hllScript)
}

// TestHLLNotificationsMatchRedis: PFADD notifies pfadd only when it
// changed something, PFMERGE always, PFCOUNT never.
func TestHLLNotificationsMatchRedis(t *testing.T) {
	t.Parallel()
	assertSameNotifications(t, hllScript)
}

// TestHLLRedisReplicaOfOurs: a real redis-server replicating from
// syncscope-server ends with the same HLL strings (DEBUG DIGEST), from the
// full sync's RDB and from the command stream.
func TestHLLRedisReplicaOfOurs(t *testing.T) {
	t.Parallel()
	requireReplicaMatches(t, kindPair{replicaRedis: true}, [][]string{{"PFADD", "before", "1", "2", "3"}, {"PFCOUNT", "before"}}, hllScript)
}

// TestHLLCountOnReadOnlyReplica: PFCOUNT on a read-only replica writes the
// cache into the replica's own string (and sends nothing upstream), as
// replication-3's "PFCOUNT updates cache on readonly replica" expects of
// redis-server; both kinds of replica are checked against each master.
func TestHLLCountOnReadOnlyReplica(t *testing.T) {
	eachKind(t, "master", func(t *testing.T, redis bool) {
		m := startKind(t, redis, "")
		c := m.Client()
		mustDo(t, c, "PFADD", "k", "a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m", "n", "o", "p", "q")
		master := c.Do("GET", "k")
		rc := syncedReplica(t, m, false, "").Client()
		require.Equal(t, master, rc.Do("GET", "k"))
		require.Equal(t, int64(17), rc.Do("PFCOUNT", "k").Int)
		assert.NotEqual(t, master, rc.Do("GET", "k"), "the replica's cache was written")
		assert.Equal(t, master, c.Do("GET", "k"), "the master's string is untouched")
	})
}

// TestHLLSparseMaxBytesMatchesRedis: CONFIG SET hll-sparse-max-bytes takes
// effect at once, promoting a sparse value at the same add on both servers.
func TestHLLSparseMaxBytesMatchesRedis(t *testing.T) {
	t.Parallel()
	run := func(s *Server) []string {
		c := s.Client()
		out := []string{resp.FormatCLI(c.Do("CONFIG", "SET", "hll-sparse-max-bytes", "40")),
			resp.FormatCLI(c.Do("CONFIG", "GET", "hll-sparse-max-bytes"))}
		for i := range 12 {
			c.Do("PFADD", "k", "e"+strconv.Itoa(i))
			out = append(out, resp.FormatCLI(c.Do("PFDEBUG", "ENCODING", "k")), resp.FormatCLI(c.Do("GET", "k")))
		}
		return out
	}
	want, got := run(startRedis(t, "")), run(startOurs(t, ""))
	assert.Equal(t, want, got)
	assert.Contains(t, got, "dense", "promoted within the twelve adds")
}

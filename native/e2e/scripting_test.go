package e2e

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// scriptLib is a FUNCTION library long enough that the RDB compresses its
// code (LZF over 20 bytes), with a write and a read-only function.
const scriptLib = "#!lua name=scriptlib\n" +
	"-- a counter with an expire, as rate limiters keep it; padded so that LZF has work\n" +
	"redis.register_function('bump', function(keys) local n = redis.call('incr', keys[1]) redis.call('expire', keys[1], 100) return n end)\n" +
	"redis.register_function{function_name='peek', callback=function(keys) return redis.call('get', keys[1]) end, flags={'no-writes'}}\n"

// TestScriptingReplicatedBothWays: scripts' effects and functions reach a
// replica whichever server is master: EVAL's writes as their effects, FUNCTION
// LOAD verbatim, FCALL's writes; the replica serves the library (FCALL_RO)
// and ends with the master's data.
func TestScriptingReplicatedBothWays(t *testing.T) {
	t.Parallel()
	for _, redisMaster := range []bool{true, false} {
		var m, r *Server
		if redisMaster {
			m = startRedis(t, "")
			r = startOurs(t, replicaOf(m))
		} else {
			m = startOurs(t, "")
			r = startRedis(t, replicaOf(m))
		}
		waitInfo(t, r, "replication", "master_link_status", "up")
		c := m.Client()
		mustDo(t, c, "EVAL", "redis.call('set', KEYS[1], ARGV[1]) redis.call('rpush', 'l', 1, 2) return redis.call('incr', 'n')", "1", "k", "v")
		mustDo(t, c, "FUNCTION", "LOAD", scriptLib)
		mustDo(t, c, "FCALL", "bump", "1", "counter")
		mustDo(t, c, "EVALSHA", string(mustDo(t, c, "SCRIPT", "LOAD", "return redis.call('hset', KEYS[1], 'f', ARGV[1])").Str), "1", "h", "x")
		requireSameData(t, m, r)
		require.Equal(t, "1", string(r.Client().Do("FCALL_RO", "peek", "1", "counter").Str), "redis master: %v", redisMaster)
		require.Equal(t, c.Do("FUNCTION", "DUMP"), r.Client().Do("FUNCTION", "DUMP"), "redis master: %v", redisMaster)
	}
}

// TestFunctionsRDBFileBothWays: a dump.rdb with a library saved by
// redis-server loads in syncscope-server, and the one syncscope-server saves
// loads in redis-server; FUNCTION DUMP is the same bytes on all three.
func TestFunctionsRDBFileBothWays(t *testing.T) {
	t.Parallel()
	theirs := startRedis(t, "")
	c := theirs.Client()
	mustDo(t, c, "FUNCTION", "LOAD", scriptLib)
	mustDo(t, c, "SAVE")
	ours := Start(t, Options{Dir: copyDump(t, theirs)})
	oc := ours.Client()
	require.Equal(t, c.Do("FUNCTION", "DUMP"), oc.Do("FUNCTION", "DUMP"))
	require.Equal(t, int64(1), oc.Do("FCALL", "bump", "1", "n").Int)
	mustDo(t, oc, "SAVE")
	back := Start(t, Options{Redis: true, Dir: copyDump(t, ours)})
	bc := back.Client()
	require.Equal(t, c.Do("FUNCTION", "DUMP"), bc.Do("FUNCTION", "DUMP"))
	require.Equal(t, int64(2), bc.Do("FCALL", "bump", "1", "n").Int)
}

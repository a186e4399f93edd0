//go:build !js

package e2e

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"github.com/syncscope/syncscope/core/resp"
)

// Helpers shared by the replication tests (interop_test.go, repl_*_test.go).

// replCommon is what every replication test's nodes get: a sync starts at
// once and masters PING every second, so offsets move and settle quickly.
const replCommon = "repl-diskless-sync-delay 0\nrepl-ping-replica-period 1\n"

// startRedis starts the real redis-server with DEBUG enabled (for DEBUG
// DIGEST) and the replication defaults above.
func startRedis(t *testing.T, config string) *Server {
	t.Helper()
	return Start(t, Options{Redis: true, Config: "enable-debug-command yes\n" + replCommon + config})
}

// startOurs starts syncscope-server with the replication defaults above.
func startOurs(t *testing.T, config string) *Server {
	t.Helper()
	return Start(t, Options{Config: replCommon + config})
}

func replicaOf(m *Server) string { return fmt.Sprintf("replicaof 127.0.0.1 %d\n", m.Port) }

// serverKinds names the server a subtest uses in the role under test.
var serverKinds = []struct {
	name  string
	redis bool
}{{"ours", false}, {"redis", true}}

// kindName is a server kind as subtests are named: ours or redis.
func kindName(redis bool) string {
	if redis {
		return "redis"
	}
	return "ours"
}

// startKind starts redis-server when redis, else syncscope-server.
func startKind(t *testing.T, redis bool, config string) *Server {
	t.Helper()
	if redis {
		return startRedis(t, config)
	}
	return startOurs(t, config)
}

// eachKind runs f once with each kind of server in the role under test, as
// parallel subtests named role=ours and role=redis.
func eachKind(t *testing.T, role string, f func(t *testing.T, redis bool)) {
	for _, k := range serverKinds {
		t.Run(role+"="+k.name, func(t *testing.T) {
			t.Parallel()
			f(t, k.redis)
		})
	}
}

// kindPair is a master and its replica, each of either kind.
type kindPair struct{ masterRedis, replicaRedis bool }

func (p kindPair) String() string {
	return "master=" + kindName(p.masterRedis) + ",replica=" + kindName(p.replicaRedis)
}

// eachPair runs f once per pair, as parallel subtests named for the pair.
func eachPair(t *testing.T, pairs []kindPair, f func(t *testing.T, p kindPair)) {
	for _, p := range pairs {
		t.Run(p.String(), func(t *testing.T) {
			t.Parallel()
			f(t, p)
		})
	}
}

// syncedReplica starts a replica of m (redis-server when redis) with the
// extra config, and waits until its first sync has finished.
func syncedReplica(t *testing.T, m *Server, redis bool, config string) *Server {
	t.Helper()
	r := startKind(t, redis, replicaOf(m)+config)
	r.WaitLog("MASTER <-> REPLICA sync: Finished with success")
	return r
}

// requireReplicaMatches runs setup on a master, has a replica sync from it
// (the full sync's RDB), runs script on the master (the command stream),
// and requires both to hold the same data (DEBUG DIGEST); it returns them
// for the caller's own checks.
func requireReplicaMatches(t *testing.T, p kindPair, setup, script [][]string) (m, r *Server) {
	t.Helper()
	m = startKind(t, p.masterRedis, "")
	c := m.Client()
	for _, cmd := range setup {
		mustDo(t, c, cmd...)
	}
	r = syncedReplica(t, m, p.replicaRedis, "")
	for _, cmd := range script {
		c.Do(cmd...)
	}
	requireSameData(t, m, r)
	return m, r
}

// scriptReplies runs script on s and returns the replies as redis-cli
// prints them, for comparing two servers.
func scriptReplies(s *Server, script [][]string) []string {
	c := s.Client()
	var out []string
	for _, cmd := range script {
		out = append(out, resp.FormatCLI(c.Do(cmd...)))
	}
	return out
}

// copyDump copies from's dump.rdb into a new directory, for another server
// to start from (Options.Dir).
func copyDump(t *testing.T, from *Server) string {
	t.Helper()
	dir := t.TempDir()
	data, err := os.ReadFile(from.DumpPath())
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "dump.rdb"), data, 0o644))
	return dir
}

// persistenceField reads one numeric field of INFO persistence through c:
// a client connected before a load began, which a loading redis-server
// still serves.
func persistenceField(t *testing.T, c *Client, name string) string {
	t.Helper()
	m := regexp.MustCompile(`(?m)^` + name + `:(\d+)`).FindStringSubmatch(string(c.Do("INFO", "persistence").Str))
	require.NotNil(t, m, "INFO persistence has no %s", name)
	return m[1]
}

// info returns one field of INFO section ("" when absent).
func infoField(t *testing.T, s *Server, section, field string) string {
	t.Helper()
	text := string(s.Client().Do("INFO", section).Str)
	for _, line := range strings.Split(text, "\r\n") {
		if v, ok := strings.CutPrefix(line, field+":"); ok {
			return v
		}
	}
	return ""
}

func infoInt(t *testing.T, s *Server, section, field string) int64 {
	t.Helper()
	v := infoField(t, s, section, field)
	n, err := strconv.ParseInt(v, 10, 64)
	require.NoError(t, err, "INFO %s field %s = %q on port %d", section, field, v, s.Port)
	return n
}

// waitInfo polls INFO section until field has the value want.
func waitInfo(t *testing.T, s *Server, section, field, want string) {
	t.Helper()
	deadline := time.Now().Add(Timeout)
	for {
		got := infoField(t, s, section, field)
		if got == want {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("INFO %s on port %d: %s is %q, want %q", section, s.Port, field, got, want)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// waitCond polls cond until it holds or Timeout passes.
func waitUntil(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(Timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// waitReplicasOnline waits until master lists n replicas in state online.
// A replica reports master_link_status:up as soon as it has loaded the RDB,
// but its master marks it online only when the first REPLCONF ACK arrives
// (diskless) or the bulk is written: commands that need an online replica
// (FAILOVER, WAIT) must wait for the master's view.
func waitReplicasOnline(t *testing.T, master *Server, n int) {
	t.Helper()
	waitUntil(t, fmt.Sprintf("%d replicas online at port %d", n, master.Port), func() bool {
		return strings.Count(string(master.Client().Do("INFO", "replication").Str), "state=online") == n
	})
}

// digest is DEBUG DIGEST: one hash of every key, value and expiry.
func debugDigest(t *testing.T, s *Server) string {
	t.Helper()
	v := s.Client().Do("DEBUG", "DIGEST")
	require.Equal(t, resp.SimpleString, v.Kind, "DEBUG DIGEST on port %d: %s", s.Port, resp.FormatCLI(v))
	return string(v.Str)
}

// requireSameData waits until every node has the same replid and offset,
// then checks that their DEBUG DIGESTs are equal and not the empty one.
func requireSameData(t *testing.T, nodes ...*Server) {
	t.Helper()
	waitSameOffsets(t, nodes...)
	want := debugDigest(t, nodes[0])
	require.NotEqual(t, strings.Repeat("0", 40), want, "the dataset should not be empty")
	for _, s := range nodes[1:] {
		require.Equal(t, want, debugDigest(t, s), "DEBUG DIGEST on port %d vs %d", s.Port, nodes[0].Port)
	}
}

// do runs one command and fails the test on an error reply.
func mustDo(t *testing.T, c *Client, args ...string) resp.Value {
	t.Helper()
	v := c.Do(args...)
	require.NotEqual(t, resp.Error, v.Kind, "%q: %s", args, resp.FormatCLI(v))
	return v
}

// writeAllTypes writes a bit of every type into several dbs with expiries,
// a transaction and SELECTs, as the replication stream must carry them.
func writeAllTypes(t *testing.T, s *Server, tag string) {
	t.Helper()
	c := s.Client()
	for _, db := range []string{"0", "3", "0", "9"} {
		mustDo(t, c, "SELECT", db)
		k := func(name string) string { return tag + ":" + name + ":" + db }
		mustDo(t, c, "SET", k("str"), "v"+db)
		mustDo(t, c, "APPEND", k("str"), "-more")
		mustDo(t, c, "INCRBY", k("n"), "41")
		mustDo(t, c, "MSET", k("m1"), "a", k("m2"), "b")
		mustDo(t, c, "SADD", k("set"), "a", "b", "c", "1", "2")
		mustDo(t, c, "SREM", k("set"), "b")
		mustDo(t, c, "SADD", k("intset"), "1", "2", "3")
		mustDo(t, c, "ZADD", k("zset"), "1", "a", "2.5", "b", "-3", "c")
		mustDo(t, c, "ZINCRBY", k("zset"), "10", "a")
		mustDo(t, c, "RPUSH", k("list"), "a", "b", "c")
		mustDo(t, c, "LPUSH", k("list"), "z")
		mustDo(t, c, "LPOP", k("list"))
		mustDo(t, c, "HSET", k("hash"), "f1", "v1", "f2", "v2")
		mustDo(t, c, "HINCRBY", k("hash"), "n", "7")
		mustDo(t, c, "HDEL", k("hash"), "f2")
		// Expiries: relative ones travel as absolute times (PXAT/PEXPIREAT),
		// so the digests, which include expiry times, match exactly.
		mustDo(t, c, "SET", k("ex"), "v", "EX", "1000")
		mustDo(t, c, "SET", k("px"), "v", "PX", "900000")
		mustDo(t, c, "SETEX", k("setex"), "1000", "v")
		mustDo(t, c, "EXPIRE", k("set"), "1000")
		mustDo(t, c, "PEXPIRE", k("zset"), "1000000")
		mustDo(t, c, "SET", k("persist"), "v", "EX", "100")
		mustDo(t, c, "PERSIST", k("persist"))
		mustDo(t, c, "SET", k("gone"), "v")
		mustDo(t, c, "DEL", k("gone"))
		// A transaction stays atomic in the stream.
		mustDo(t, c, "MULTI")
		c.Do("INCR", k("txn"))
		c.Do("SADD", k("txnset"), "x")
		c.Do("EXPIRE", k("txn"), "500")
		v := mustDo(t, c, "EXEC")
		require.Len(t, v.Elems, 3)
	}
	mustDo(t, c, "SELECT", "0")
}

// writeBigValues writes values past the compact encodings' limits (large
// sets and sorted sets, long strings and members, integers as strings), so
// that the RDB of a full sync carries every encoding.
func writeBigValues(t *testing.T, s *Server, tag string) {
	t.Helper()
	c := s.Client()
	big := strings.Repeat("0123456789", 10000) // 100 kB
	mustDo(t, c, "SET", tag+":big", big)
	mustDo(t, c, "SET", tag+":int", "-9223372036854775808")
	set := []string{"SADD", tag + ":bigset"}
	intset := []string{"SADD", tag + ":bigintset"}
	zset := []string{"ZADD", tag + ":bigzset"}
	hash := []string{"HSET", tag + ":bighash"}
	list := []string{"RPUSH", tag + ":biglist"}
	for i := range 600 {
		set = append(set, fmt.Sprintf("member-%d", i))
		intset = append(intset, strconv.Itoa(i*1000003))
		zset = append(zset, strconv.FormatFloat(float64(i)/7, 'g', -1, 64), fmt.Sprintf("m-%d", i))
		hash = append(hash, fmt.Sprintf("f-%d", i), strconv.Itoa(i))
		list = append(list, fmt.Sprintf("e-%d", i))
	}
	mustDo(t, c, set...)
	mustDo(t, c, intset...)
	mustDo(t, c, zset...)
	mustDo(t, c, "ZADD", tag+":longmember", "1", big[:200])
	mustDo(t, c, "SADD", tag+":longset", big[:100])
	mustDo(t, c, hash...)
	mustDo(t, c, list...)
	mustDo(t, c, "HSET", tag+":longhash", "f", big[:100])
}

// writeExpiring writes through c keys that expire in ms milliseconds, and
// returns their names. (WAIT waits for the caller's own writes: call it on
// the same c.)
func writeExpiring(t *testing.T, c *Client, tag string, n, ms int) []string {
	t.Helper()
	var keys []string
	for i := range n {
		k := fmt.Sprintf("%s:short:%d", tag, i)
		mustDo(t, c, "SET", k, "v", "PX", strconv.Itoa(ms))
		keys = append(keys, k)
	}
	return keys
}

// dbsize is DBSIZE of db 0 (a replica counts expired keys until the
// master's DEL arrives).
func dbSize(t *testing.T, s *Server) int64 {
	t.Helper()
	v := s.Client().Do("DBSIZE")
	require.Equal(t, resp.Integer, v.Kind, resp.FormatCLI(v))
	return v.Int
}

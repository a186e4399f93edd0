//go:build !js

package store

import (
	"encoding/hex"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/syncscope/syncscope/core/rdb"
	"github.com/syncscope/syncscope/native/redistest"
)

// Ports 7560-7569 of this helper's range serve the store's side-by-side tests.
const realPortBase = 7560

// realServer is a redis-server started for a test (redistest), its bulk
// replies read as strings.
type realServer struct {
	dir string
	c   *redistest.Conn
}

func startReal(t *testing.T, port int, dir string) *realServer {
	t.Helper()
	srv := redistest.Start(t, redistest.Options{Dir: dir, Port: port, Args: []string{"--enable-debug-command", "yes"}})
	return &realServer{dir: dir, c: srv.Dial(t)}
}

// do sends a command and returns the reply: string (simple or bulk), int64,
// nil, []any, or error.
func (rs *realServer) do(t *testing.T, args ...string) any {
	t.Helper()
	return bulkStrings(rs.c.DoStrings(t, args...))
}

func bulkStrings(v any) any {
	switch v := v.(type) {
	case []byte:
		if v == nil {
			return nil
		}
		return string(v)
	case []any:
		if v == nil {
			return nil
		}
		for i := range v {
			v[i] = bulkStrings(v[i])
		}
	}
	return v
}

// fillEveryType writes keys of every type and encoding to the real server
// in databases 0, 3 and 15, some with a TTL far in the future.
func fillEveryType(t *testing.T, rs *realServer) {
	for _, db := range []string{"0", "3", "15"} {
		rs.do(t, "SELECT", db)
		rs.do(t, "SET", "s:int", "12345")
		rs.do(t, "SET", "s:neg", "-9223372036854775808")
		rs.do(t, "SET", "s:emb", "hello "+db)
		rs.do(t, "SET", "s:raw", strings.Repeat("raw-value-", 30))
		rs.do(t, "SET", "s:lzf", strings.Repeat("a", 500))
		rs.do(t, "SET", "s:empty", "")
		rs.do(t, "SET", "s:bin", "\x00\x01\xff\r\n")
		rs.do(t, "SET", "s:ttl", "v", "PXAT", "4102444800000")
		rs.do(t, "INCRBYFLOAT", "s:float", "3.25")
		rs.do(t, "RPUSH", "l:small", "a", "1", "-2", "", "bb")
		for i := 0; i < 300; i++ {
			rs.do(t, "RPUSH", "l:big", strings.Repeat("x", i%70)+strconv.Itoa(i))
		}
		rs.do(t, "SADD", "set:int", "3", "1", "2", "-100", "9223372036854775807")
		rs.do(t, "SADD", "set:str", "a", "b", "c", "10")
		for i := 0; i < 600; i++ {
			rs.do(t, "SADD", "set:bigint", strconv.Itoa(i*7))
		}
		rs.do(t, "HSET", "h:small", "f1", "v1", "f2", "2", "f3", "")
		for i := 0; i < 200; i++ {
			rs.do(t, "HSET", "h:big", "field"+strconv.Itoa(i), strconv.Itoa(i*i))
		}
		rs.do(t, "HSET", "h:longval", "f", strings.Repeat("v", 100))
		rs.do(t, "ZADD", "z:small", "1", "a", "2.5", "b", "-3", "c", "1e20", "d", "0.1", "e", "inf", "f", "-inf", "g")
		for i := 0; i < 200; i++ {
			rs.do(t, "ZADD", "z:big", strconv.FormatFloat(float64(i)/3, 'g', -1, 64), "m"+strconv.Itoa(i))
		}
		rs.do(t, "ZADD", "z:tiny", "1.5e-7", "x", "123456789012345678", "y")
		rs.do(t, "EXPIRE", "h:small", "100000")
		rs.do(t, "PEXPIREAT", "z:small", "4102444800000")
	}
	rs.do(t, "SELECT", "0")
}

// redisLimits are redis-server 7.0.15's actual defaults: it starts hashes
// with hash-max-listpack-entries 512, not 128.
func redisLimits() Limits {
	lim := DefaultLimits()
	lim.HashMaxListpackEntries = 512
	return lim
}

func hexDigest(d [20]byte) string { return hex.EncodeToString(d[:]) }

// TestDigestAndRDBAgainstRedis loads the real server's RDB, requires the
// same DEBUG DIGEST and DIGEST-VALUE, then writes our RDB and requires a
// real server to load it to the same digest.
func TestDigestAndRDBAgainstRedis(t *testing.T) {
	dir := t.TempDir()
	rs := startReal(t, realPortBase, dir)
	require.Equal(t, strings.Repeat("0", 40), rs.do(t, "DEBUG", "DIGEST"))
	require.Equal(t, strings.Repeat("0", 40), hexDigest(New(16, rand.New(rand.NewPCG(1, 1))).Digest()))

	fillEveryType(t, rs)
	want := rs.do(t, "DEBUG", "DIGEST").(string)
	require.Equal(t, "OK", rs.do(t, "SAVE"))
	data, err := os.ReadFile(filepath.Join(dir, "dump.rdb"))
	require.NoError(t, err)

	st, info, err := LoadRDB(data, 16, rand.New(rand.NewPCG(1, 2)), redisLimits(), time.Now().UnixMilli(), true)
	require.NoError(t, err)
	require.Equal(t, 0, info.Expired)
	require.Equal(t, st.Len(), info.Keys)
	require.Equal(t, want, hexDigest(st.Digest()), "DEBUG DIGEST of the loaded RDB")

	for _, dbID := range []int{0, 3, 15} {
		rs.do(t, "SELECT", strconv.Itoa(dbID))
		db := st.DBs[dbID]
		for _, k := range db.Keys() {
			got := rs.do(t, "DEBUG", "DIGEST-VALUE", k).([]any)
			v := db.Peek([]byte(k))
			require.Equal(t, got[0], hexDigest(DigestValue(v, db.TTL([]byte(k)))), "DIGEST-VALUE of %q in db %d", k, dbID)
			enc := rs.do(t, "OBJECT", "ENCODING", k)
			require.Equal(t, enc, v.Encoding(), "OBJECT ENCODING of %q after load", k)
		}
	}

	// Our RDB, loaded by a real server, gives the same dataset.
	dir2 := t.TempDir()
	f, err := os.Create(filepath.Join(dir2, "dump.rdb"))
	require.NoError(t, err)
	sn := st.Snapshot()
	require.NoError(t, sn.WriteRDB(f, rdb.DefaultOptions(), []rdb.AuxField{{Key: "redis-ver", Value: "7.0.15"}}))
	sn.Release()
	require.NoError(t, f.Close())
	if check, err := exec.LookPath("redis-check-rdb"); err == nil {
		out, err := exec.Command(check, filepath.Join(dir2, "dump.rdb")).CombinedOutput()
		require.NoError(t, err, "redis-check-rdb: %s", out)
	}
	rs2 := startReal(t, realPortBase+1, dir2)
	require.Equal(t, want, rs2.do(t, "DEBUG", "DIGEST"), "DEBUG DIGEST after loading our RDB")
	require.EqualValues(t, st.DBs[3].Len(), rs2.do(t, "EVAL", "redis.call('SELECT', 3) return redis.call('DBSIZE')", "0"))

	// DUMP payloads round-trip both ways.
	rs.do(t, "SELECT", "0")
	for _, k := range st.DBs[0].Keys() {
		payload := rs.do(t, "DUMP", k).(string)
		v, err := RestoreValue([]byte(payload), redisLimits())
		require.NoError(t, err, "RESTORE of the real DUMP of %q", k)
		require.Equal(t, DigestValue(st.DBs[0].Peek([]byte(k)), -1), DigestValue(v, -1), "value of %q", k)
		ours := DumpValue(v, rdb.DefaultOptions())
		require.Equal(t, "OK", rs.do(t, "RESTORE", "copy:"+k, "0", string(ours)), "real RESTORE of our DUMP of %q", k)
		got := rs.do(t, "DEBUG", "DIGEST-VALUE", "copy:"+k).([]any)
		require.Equal(t, got[0], hexDigest(DigestValue(v, -1)))
	}
}

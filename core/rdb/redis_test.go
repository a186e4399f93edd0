//go:build !js

package rdb

import (
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/syncscope/syncscope/native/redistest"
)

// Checks against the real redis-server 7.0.15 (skipped when it is not
// installed): redis-check-rdb accepts our file, redis-server loads it with
// the same content, and our DUMP payloads match Redis's.

const redisTestPort = 7210

func requireRedis(t *testing.T) {
	redistest.Bin(t)
	if _, err := exec.LookPath("redis-check-rdb"); err != nil {
		t.Skip("redis-check-rdb not installed")
	}
}

// respConn is redistest's client under this file's names.
type respConn struct{ c *redistest.Conn }

func (rc *respConn) do(t *testing.T, args ...[]byte) any  { return rc.c.Do(t, args...) }
func (rc *respConn) cmd(t *testing.T, args ...string) any { return rc.c.DoStrings(t, args...) }

func startRedis(t *testing.T, dir string, port int, args ...string) *respConn {
	return &respConn{redistest.Start(t, redistest.Options{Dir: dir, Port: port, Args: args}).Dial(t)}
}

// readKey fetches a key's content from Redis as an Entry.
func readKey(t *testing.T, rc *respConn, db int, key []byte) *Entry {
	rc.cmd(t, "SELECT", strconv.Itoa(db))
	en := &Entry{DB: db, Key: key}
	en.ExpireMs = rc.do(t, []byte("PEXPIRETIME"), key).(int64)
	bulks := func(v any) [][]byte {
		var out [][]byte
		for _, x := range v.([]any) {
			out = append(out, x.([]byte))
		}
		return out
	}
	switch typ := rc.do(t, []byte("TYPE"), key).(string); typ {
	case "string":
		en.Kind, en.Str = KindString, rc.do(t, []byte("GET"), key).([]byte)
	case "list":
		en.Kind, en.List = KindList, bulks(rc.do(t, []byte("LRANGE"), key, []byte("0"), []byte("-1")))
	case "set":
		en.Kind, en.Set = KindSet, bulks(rc.do(t, []byte("SMEMBERS"), key))
	case "hash":
		en.Kind = KindHash
		kv := bulks(rc.do(t, []byte("HGETALL"), key))
		for i := 0; i < len(kv); i += 2 {
			en.Hash = append(en.Hash, Field{kv[i], kv[i+1]})
		}
	case "zset":
		en.Kind = KindZSet
		kv := bulks(rc.do(t, []byte("ZRANGE"), key, []byte("0"), []byte("-1"), []byte("WITHSCORES")))
		for i := 0; i < len(kv); i += 2 {
			f, err := strconv.ParseFloat(string(kv[i+1]), 64)
			require.NoError(t, err)
			en.ZSet = append(en.ZSet, ZMember{kv[i], f})
		}
	default:
		t.Fatalf("key %q has type %q", key, typ)
	}
	return en
}

// redisDataset is the fixture dataset plus values that need a fresh
// encoding check: floats, big integers, wide intsets, a list in many nodes.
func redisDataset() []*Entry {
	es := fixtureDataset()
	long := make([][]byte, 3000)
	for i := range long {
		long[i] = []byte(strings.Repeat("q", i%300))
	}
	es = append(es,
		&Entry{Key: []byte("list:wide"), ExpireMs: -1, Kind: KindList, List: long},
		&Entry{Key: []byte("zset:floats"), ExpireMs: -1, Kind: KindZSet, ZSet: []ZMember{{[]byte("a"), 0.1}, {[]byte("b"), -2.5e-7}, {[]byte("c"), 123456789012345678}, {[]byte("d"), math.Copysign(0, -1)}, {[]byte("e"), 4503599627370496}}},
		&Entry{Key: []byte("set:mixedwidth"), ExpireMs: -1, Kind: KindSet, Set: [][]byte{[]byte("-9223372036854775808"), []byte("9223372036854775807"), []byte("1")}},
		&Entry{Key: []byte("str:int64"), ExpireMs: -1, Kind: KindString, Str: []byte("-9223372036854775808")},
	)
	return es
}

func TestRedisLoadsOurFile(t *testing.T) {
	requireRedis(t)
	dir := t.TempDir()
	es := redisDataset()
	aux := []AuxField{{"redis-ver", "7.0.15"}, {"redis-bits", "64"}, {"ctime", "1764000000"}, {"used-mem", "1000000"}, {"aof-base", "0"}}
	data := encodeFile(t, DefaultOptions(), aux, es)
	file := filepath.Join(dir, "dump.rdb")
	require.NoError(t, os.WriteFile(file, data, 0o644))

	out, err := exec.Command("redis-check-rdb", file).CombinedOutput()
	require.NoError(t, err, "redis-check-rdb:\n%s", out)
	require.Contains(t, string(out), "RDB looks OK!")
	require.Contains(t, string(out), "Checksum OK")

	rc := startRedis(t, dir, redisTestPort)
	log, err := os.ReadFile(filepath.Join(dir, "redis.log"))
	require.NoError(t, err)
	require.Contains(t, string(log), "DB loaded from disk")

	var got []*Entry
	for _, en := range es {
		got = append(got, readKey(t, rc, en.DB, en.Key))
	}
	require.Equal(t, normalize(es), normalize(got))
	rc.cmd(t, "SELECT", "0")
	for key, enc := range map[string]string{
		"hash:small": "listpack", "hash:200": "listpack", "hash:600": "hashtable", "hash:bigvalue": "hashtable",
		"set:intset16": "intset", "set:strings": "hashtable", "set:600ints": "hashtable", "zset:small": "listpack",
		"zset:200": "skiplist", "zset:longmember": "skiplist", "list:10000": "quicklist", "str:int": "int",
		"str:long": "raw", "str:short": "embstr",
	} {
		require.Equal(t, []byte(enc), rc.cmd(t, "OBJECT", "ENCODING", key), key)
	}
}

// DUMP from Redis (which loaded our file) must equal DumpPayload where the
// encoding does not depend on hash-table order; where it does (hash-table
// sets and hashes) the payloads must still parse to the same content, and
// Redis must RESTORE ours.
func TestDumpMatchesRedis(t *testing.T) {
	requireRedis(t)
	dir := t.TempDir()
	es := redisDataset()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "dump.rdb"), encodeFile(t, DefaultOptions(), nil, es), 0o644))
	rc := startRedis(t, dir, redisTestPort+1)
	identical, orderOnly := 0, 0
	for _, en := range es {
		rc.cmd(t, "SELECT", strconv.Itoa(en.DB))
		theirs := rc.do(t, []byte("DUMP"), en.Key).([]byte)
		ours := DumpPayload(en, DefaultOptions())
		enc := string(rc.do(t, []byte("OBJECT"), []byte("ENCODING"), en.Key).([]byte))
		parsed, err := ParsePayload(theirs)
		require.NoError(t, err, "%s", en.Key)
		parsed.DB, parsed.Key, parsed.ExpireMs = en.DB, en.Key, en.ExpireMs
		require.Equal(t, normalize([]*Entry{en}), normalize([]*Entry{parsed}), "%s", en.Key)
		if enc == "hashtable" && en.Kind != KindString {
			orderOnly++
			restored := append([]byte("restored:"), en.Key...)
			require.Equal(t, "OK", rc.do(t, []byte("RESTORE"), restored, []byte("0"), ours))
			back := readKey(t, rc, en.DB, restored)
			back.Key, back.ExpireMs = en.Key, en.ExpireMs
			require.Equal(t, normalize([]*Entry{en}), normalize([]*Entry{back}), "%s", en.Key)
			continue
		}
		require.Equal(t, theirs, ours, "DUMP %s (%s)", en.Key, enc)
		identical++
	}
	t.Logf("%d payloads byte-identical to Redis's DUMP, %d hash-table values equal in content only", identical, orderOnly)

	bad := DumpPayload(&Entry{Kind: KindString, Str: []byte("x")}, DefaultOptions())
	bad[len(bad)-1] ^= 1
	reply := rc.do(t, []byte("RESTORE"), []byte("bad"), []byte("0"), bad)
	require.EqualError(t, reply.(error), "ERR "+ErrBadPayload.Error())
	_, err := ParsePayload(bad)
	require.ErrorIs(t, err, ErrBadPayload)
}

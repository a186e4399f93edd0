//go:build !js

package command

import (
	"encoding/hex"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/syncscope/syncscope/core/rdb"
	"github.com/syncscope/syncscope/core/store"
)

func (rr *realRedis) doLine(t *testing.T, line string) string {
	var argv [][]byte
	for _, a := range strings.Fields(line) {
		argv = append(argv, []byte(a))
	}
	return rr.Do(t, argv...)
}

// TestListHashRDBWithRedis builds lists and hashes through the commands,
// here and on redis-server, requires the same DEBUG DIGEST, then writes our
// RDB: redis-check-rdb accepts it, redis-server loads it to the same digest,
// encodings and replies, and it loads back into our store unchanged.
func TestListHashRDBWithRedis(t *testing.T) {
	var cmds []diffCase
	cmds = append(cmds,
		dc("RPUSH l:small a b c 1 2 -3 9223372036854775807"), dc("LPUSH l:small front"),
		listBig("l:big", "e", 5000), dc("LTRIM l:big 1 -2"), dc("LINSERT l:big BEFORE e100 ins"),
		dca("RPUSH", "l:long", strings.Repeat("x", 20000), "", "short", strings.Repeat("y", 70000)),
		dc("RPUSH l:popped a b c d"), dc("LPOP l:popped"), dc("RPOPLPUSH l:popped l:moved"),
		dc("HSET h:small a 1 b 2 c 3"), dc("HDEL h:small b"), dc("HSET h:small b 20 num -42"),
		dc("HINCRBYFLOAT h:small f 1.5"), dc("HINCRBY h:small n 7"),
		hashBig("h:big", "f", 600), dc("HDEL h:big f7"),
		dca("HSET", "h:longval", "f", strings.Repeat("v", 65)), dca("HSET", "h:longfield", strings.Repeat("k", 100), "v"),
		dc("HSET h:float x 1"), dc("HINCRBYFLOAT h:float x 1e70"),
		dc("HSET h:ttl a 1"), dc("PEXPIREAT h:ttl 4102444800000"), dc("RPUSH l:ttl a"), dc("PEXPIREAT l:ttl 4102444800000"),
	)
	dir := t.TempDir()
	real1 := startRealRedis(t, dir, "--enable-debug-command", "yes")
	h := newHarness(t)
	h.st.Limits.HashMaxListpackEntries = 512
	for _, c := range cmds {
		argv := bytesArgs(c.Args...)
		require.Equal(t, real1.Do(t, argv...), h.DoBytes(argv), "command %q", c.Args)
	}
	digest := func(st *store.Store) string {
		d := st.Digest()
		return "+" + hex.EncodeToString(d[:]) + "\r\n"
	}
	want := real1.doLine(t, "DEBUG DIGEST")
	require.Equal(t, want, digest(h.st), "DEBUG DIGEST of the same commands")

	// Our RDB.
	dir2 := t.TempDir()
	file := filepath.Join(dir2, "dump.rdb")
	f, err := os.Create(file)
	require.NoError(t, err)
	sn := h.st.Snapshot()
	require.NoError(t, sn.WriteRDB(f, rdb.DefaultOptions(), []rdb.AuxField{{Key: "redis-ver", Value: "7.0.15"}}))
	sn.Release()
	require.NoError(t, f.Close())
	if check, err := exec.LookPath("redis-check-rdb"); err == nil {
		out, err := exec.Command(check, file).CombinedOutput()
		require.NoError(t, err, "redis-check-rdb: %s", out)
		require.Contains(t, string(out), "RDB looks OK!")
	}
	real2 := startRealRedis(t, dir2, "--enable-debug-command", "yes")
	require.Equal(t, want, real2.doLine(t, "DEBUG DIGEST"), "DEBUG DIGEST after loading our RDB")
	keys := h.st.DBs[0].Keys()
	require.Len(t, keys, 12)
	for _, k := range keys {
		for _, q := range []string{"OBJECT ENCODING", "TYPE", "PEXPIRETIME"} {
			line := q + " " + k
			require.Equal(t, real1.doLine(t, line), real2.doLine(t, line), line)
			require.Equal(t, h.Do(strings.Fields(line)...), real2.doLine(t, line), line)
		}
		var read string
		if strings.HasPrefix(k, "l:") {
			read = "LRANGE " + k + " 0 -1"
		} else {
			read = "HGETALL " + k
		}
		if real2.doLine(t, "OBJECT ENCODING "+k) == "$9\r\nhashtable\r\n" {
			require.Equal(t, canonical(t, h.Do(strings.Fields(read)...), true), canonical(t, real2.doLine(t, read), true), read)
			continue
		}
		require.Equal(t, h.Do(strings.Fields(read)...), real2.doLine(t, read), read)
	}

	// And back into our store.
	data, err := os.ReadFile(file)
	require.NoError(t, err)
	st, info, err := store.LoadRDB(data, 16, rand.New(rand.NewPCG(3, 4)), h.st.Limits, time.Now().UnixMilli(), true)
	require.NoError(t, err)
	require.Equal(t, 12, info.Keys)
	require.Equal(t, want, digest(st), "DEBUG DIGEST after loading our RDB into our store")
	for _, k := range keys {
		require.Equal(t, h.st.DBs[0].Peek([]byte(k)).Encoding(), st.DBs[0].Peek([]byte(k)).Encoding(), k)
	}
}

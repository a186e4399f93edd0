package node_test

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/syncscope/syncscope/core/config"
	"github.com/syncscope/syncscope/core/node"
)

// A dump that fails to load is refused with Redis's line for the fault and
// one naming the offset; New still returns a node whose Ready has the logs.
func TestRefusedDumpLogs(t *testing.T) {
	cfg, _, err := config.Parse("port 6379\n", nil)
	require.NoError(t, err)
	now := time.Date(2026, 11, 24, 23, 44, 31, 0, time.UTC)
	n, err := node.New(cfg, node.Env{Now: now})
	require.NoError(t, err)
	n.Ready()
	require.NoError(t, n.Step(now, node.Accepted{Conn: 1, Peer: "127.0.0.1:1"}))
	require.NoError(t, n.Step(now, node.Received{Conn: 1, Data: []byte("SET a 1\r\nRPUSH l x y\r\n")}))
	n.Ready()
	require.NoError(t, n.Step(now, node.Received{Conn: 1, Data: []byte("SAVE\r\n")}))
	rd := n.Ready()
	require.Len(t, rd.Snapshots, 1)
	var buf bytes.Buffer
	require.NoError(t, rd.Snapshots[0].Snap.WriteRDB(&buf, rd.Snapshots[0].Opts, rd.Snapshots[0].Aux))
	good := buf.Bytes()
	bad := bytes.Clone(good)
	bad[len(bad)-1] ^= 0xff
	for _, tc := range []struct {
		name string
		dump []byte
		want []string
	}{
		{"truncated", good[:len(good)-12], []string{"Short read or OOM loading DB. Unrecoverable error, aborting now.", "Internal error in RDB reading offset "}},
		{"checksum", bad, []string{"Wrong RDB checksum expected: (", ") but got (", "). Aborting now.", "checksum mismatch"}},
		{"signature", append([]byte("RUDIS"), good[5:]...), []string{"Wrong signature trying to load DB from file", "Fatal error loading the DB: Invalid argument. Exiting."}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			n, err := node.New(cfg, node.Env{Now: now, Dump: tc.dump})
			require.Error(t, err)
			require.NotNil(t, n)
			var sb strings.Builder
			for _, l := range n.Ready().Logs {
				sb.WriteString(l.Text + "\n")
			}
			for _, w := range tc.want {
				assert.Contains(t, sb.String(), w)
			}
			assert.NotContains(t, sb.String(), "Ready to accept connections")
		})
	}
}

// A master that sends a corrupt RDB: the replica refuses it, keeps serving
// its previous dataset (never a half-loaded one), reconnects, and takes the
// next, good, full sync.
func TestCorruptRDBFromMaster(t *testing.T) {
	// A dump with one key, to start the replica from, and the RDBs its
	// master will send, made by another node.
	rdbOf := func(cmds string) []byte {
		l := newLone(t, "")
		l.step(node.Accepted{Conn: 1, Peer: "127.0.0.1:1"})
		l.step(node.Received{Conn: 1, Data: []byte(cmds + "SAVE\r\n")})
		require.Len(t, l.rd.Snapshots, 1)
		var buf bytes.Buffer
		require.NoError(t, l.rd.Snapshots[0].Snap.WriteRDB(&buf, l.rd.Snapshots[0].Opts, nil))
		return buf.Bytes()
	}
	old := rdbOf("SET old v\r\n")
	good := rdbOf("SET new 1\r\nSET other 2\r\n")
	corrupt := bytes.Clone(good)
	corrupt[len(corrupt)-12] ^= 0x5a // inside the last value: CRC64 mismatch at least

	cfg, _, err := config.Parse("port 6378\nreplicaof 127.0.0.1 6379\n", nil)
	require.NoError(t, err)
	now := time.Date(2026, 11, 24, 23, 44, 31, 0, time.UTC)
	n, err := node.New(cfg, node.Env{Now: now, Pid: 2, Dump: old})
	require.NoError(t, err)
	l := &lone{t: t, n: n, now: now}
	l.rd = n.Ready()
	l.dials = l.rd.Dials
	const id = "8fac53ef83b74f7bfeb995f6f94aa9968a060786"
	master := "+PONG\r\n+OK\r\n+OK\r\n+FULLRESYNC " + id + " 100\r\n"
	sync := func(rdb []byte) string {
		var dial node.ConnID
		for range 50 { // the replica dials within a second or two
			if len(l.dials) > 0 {
				dial = l.dials[len(l.dials)-1].Conn
				l.dials = nil
				break
			}
			l.now = l.now.Add(100 * time.Millisecond)
			l.step(node.Wake{})
		}
		require.NotZero(t, dial, "the replica dials its master")
		var logs strings.Builder
		collect := func() {
			for _, line := range l.rd.Logs {
				logs.WriteString(line.Text + "\n")
			}
		}
		l.step(node.Dialed{Conn: dial, Local: "127.0.0.1:40000"})
		collect()
		l.step(node.Received{Conn: dial, Data: fmt.Appendf(nil, "%s$%d\r\n%s", master, len(rdb), rdb)})
		collect()
		return logs.String()
	}
	get := func(key string) string {
		l.step(node.Accepted{Conn: 9, Peer: "127.0.0.1:9"})
		l.step(node.Received{Conn: 9, Data: []byte("GET " + key + "\r\n")})
		out := l.written(9)
		l.step(node.Closed{Conn: 9})
		return out
	}

	logs := sync(corrupt)
	assert.Contains(t, logs, "Failed trying to load the MASTER synchronization DB from disk")
	assert.NotContains(t, logs, "Finished with success")
	assert.Equal(t, []node.ConnID{l.rd.Closes[0]}, l.rd.Closes, "the link is closed to retry")
	assert.Equal(t, "$1\r\nv\r\n", get("old"), "the previous dataset is still served")
	assert.Equal(t, "$-1\r\n", get("new"), "nothing of the refused RDB is served")

	logs = sync(good)
	assert.Contains(t, logs, "MASTER <-> REPLICA sync: Finished with success")
	assert.Equal(t, "$-1\r\n", get("old"))
	assert.Equal(t, "$1\r\n1\r\n", get("new"))
	assert.Equal(t, "$1\r\n2\r\n", get("other"))
}

package node_test

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/syncscope/syncscope/core/node"
)

// A dump that fails to load is refused with Redis's line for the fault and
// one naming the offset; New still returns a node whose Ready has the logs.
func TestRefusedDumpLogs(t *testing.T) {
	good := dumpOf(t, "SET a 1\r\nRPUSH l x y\r\n")
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
			logs := refusedLogs(t, "port 6379\n", node.Env{Dump: tc.dump})
			for _, w := range tc.want {
				assert.Contains(t, logs, w)
			}
			assert.NotContains(t, logs, "Ready to accept connections")
		})
	}
}

// A master that sends a corrupt RDB: the replica refuses it, keeps serving
// its previous dataset (never a half-loaded one), reconnects, and takes the
// next, good, full sync.
func TestCorruptRDBFromMaster(t *testing.T) {
	// A dump with one key, to start the replica from, and the RDBs its
	// master will send, made by another node.
	old := dumpOf(t, "SET old v\r\n")
	good := dumpOf(t, "SET new 1\r\nSET other 2\r\n")
	corrupt := bytes.Clone(good)
	corrupt[len(corrupt)-12] ^= 0x5a // inside the last value: CRC64 mismatch at least

	l := newLoneEnv(t, "port 6378\nreplicaof 127.0.0.1 6379\n", node.Env{Pid: 2, Dump: old})
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

package node_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/syncscope/syncscope/core/node"
	"github.com/syncscope/syncscope/core/resp"
)

// What replicas apply of their master's stream, and when: cases core/sim
// once found wrong, each pinned by the smallest world that shows it.

// A replica applying its master's MULTI must not answer +QUEUED on the
// link. When the transaction arrived in several reads, the master got the
// +QUEUED, ran it as a command and streamed its error back: the replica's
// offset and history forked from its master's.
func TestReplicaDoesNotAnswerQueuedToItsMaster(t *testing.T) {
	w := synced(t, "", "")
	r := w.Node(6378)
	link := r.LinkConn()
	for _, cmd := range [][]string{{"MULTI"}, {"SET", "a", "1"}, {"INCR", "n"}, {"EXEC"}} {
		// One read per command, as TCP may deliver them; the effects are
		// looked at, not applied.
		require.NoError(t, r.Step(w.Now(), node.Received{Conn: link, Data: resp.AppendCommandStrings(nil, cmd...)}))
		for _, wr := range r.Ready().Writes {
			assert.NotEqual(t, link, wr.Conn, "the replica wrote %q to its master after %v", wr.Data, cmd)
		}
	}
	assert.Equal(t, `"1"`, w.do(6378, "GET", "a"))
}

// WAIT after MULTI/EXEC waits for the transaction's offset: EXEC's
// propagation is the client's write (c->woff), although the queued commands
// ran through nested calls.
func TestWaitAfterExecWaitsForTheTransaction(t *testing.T) {
	w := synced(t, "", "")
	w.Advance(1500 * time.Millisecond) // the replica has acknowledged everything so far
	w.Cut(6379, 6378)                  // and stops reading and acknowledging
	c := w.conn(6379)
	c.send([]string{"MULTI"}, []string{"SET", "a", "1"}, []string{"EXEC"}, []string{"WAIT", "1", "100"})
	w.Advance(200 * time.Millisecond)
	assert.Equal(t, "+OK\r\n+QUEUED\r\n*1\r\n+OK\r\n:0\r\n", c.pending(), "the replica never acknowledged the transaction")
}

// A master restarted from its dump drops the keys that expired meanwhile and
// streams their DELs from the saved history, as Redis 7.0.15 does
// (RDBFLAGS_FEED_REPL: offset + 43 bytes for "SELECT 0" and "DEL k"). A
// replica continuing by partial resync then deletes them too; without the
// DELs it kept them forever and diverged from its master.
func TestMasterRestartStreamsDelsOfKeysExpiredInItsDump(t *testing.T) {
	w := synced(t, "", "")
	assert.Equal(t, "OK", w.do(6379, "SET", "k", "v", "PX", "500"))
	assert.Equal(t, "OK", w.do(6379, "SET", "j", "v"))
	w.Advance(100 * time.Millisecond)
	w.Exec(6379, "SHUTDOWN")
	w.Advance(2 * time.Second)
	require.Nil(t, w.Node(6379))
	require.NoError(t, w.Restart(6379))
	require.Contains(t, w.log(6379), "keys loaded: 1, keys expired: 1.")
	h := w.Node(6379).Replication()
	assert.Equal(t, h.Offset2-1+43, h.Offset, "SELECT 0 and DEL k follow the saved history")
	w.Advance(3 * time.Second)
	require.Contains(t, w.log(6378), "Successful partial resynchronization with master.")
	assert.Nil(t, w.Node(6378).Store().DBs[0].Peek([]byte("k")), "the replica deleted the expired key")
	assert.Equal(t, w.Node(6379).Replication().Offset, w.Node(6378).Replication().Offset)
}

// A replica counts its master's transaction as applied at EXEC only, as
// Redis does: when the link drops between MULTI and EXEC, its offset (what
// it PSYNCs from and forwards to sub-replicas) stays before the MULTI, so
// the whole transaction is streamed again. Counting each queued command made
// it resume after them, and the commands were lost with the dropped MULTI.
func TestReplicaAppliesAMastersTransactionAtExec(t *testing.T) {
	w := synced(t, "", "")
	r := w.Node(6378)
	offset := func() (int64, int64) {
		ri := r.Replication()
		return ri.Offset, ri.Master.Offset
	}
	link, before := r.LinkConn(), r.Replication().Offset
	multi := resp.AppendCommandStrings(nil, "MULTI")
	set := resp.AppendCommandStrings(nil, "SET", "a", "1")
	exec := resp.AppendCommandStrings(nil, "EXEC")
	// Reads on the link, as the master would stream them; the effects are
	// looked at, not applied.
	require.NoError(t, r.Step(w.Now(), node.Received{Conn: link, Data: append(append([]byte(nil), multi...), set...)}))
	r.Ready()
	hist, linkOff := offset()
	assert.Equal(t, before, hist, "an open transaction is not applied yet")
	assert.Equal(t, before, linkOff)
	require.NoError(t, r.Step(w.Now(), node.Received{Conn: link, Data: exec}))
	r.Ready()
	hist, linkOff = offset()
	assert.Equal(t, before+int64(len(multi)+len(set)+len(exec)), hist)
	assert.Equal(t, hist, linkOff)
	assert.Equal(t, `"1"`, w.do(6378, "GET", "a"))

	// The link drops inside the next transaction: the replica resumes
	// before its MULTI.
	before = r.Replication().Offset
	require.NoError(t, r.Step(w.Now(), node.Received{Conn: link, Data: append(append([]byte(nil), multi...), set...)}))
	require.NoError(t, r.Step(w.Now(), node.Closed{Conn: link}))
	r.Ready()
	_, cached, ok := r.CachedMaster()
	require.True(t, ok)
	assert.Equal(t, before, cached)
}

// A replica restarted from its dump keeps the keys whose TTL passed
// meanwhile, as Redis does (only a master drops them while loading): its
// master decides. Dropping them lost the key when the master had persisted
// it in the meantime.
func TestReplicaRestartKeepsExpiredKeysForItsMaster(t *testing.T) {
	w := synced(t, "", "")
	assert.Equal(t, "OK", w.do(6379, "SET", "k", "v", "PX", "1500"))
	w.Advance(100 * time.Millisecond)
	w.Exec(6378, "SHUTDOWN")
	w.Advance(200 * time.Millisecond)
	require.Nil(t, w.Node(6378))
	assert.Equal(t, "(integer) 1", w.do(6379, "PERSIST", "k"), "the master keeps k")
	w.Advance(2 * time.Second) // k's old TTL passes while the replica is down
	require.NoError(t, w.Restart(6378))
	assert.Contains(t, w.log(6378), "keys loaded: 1, keys expired: 0.")
	w.Advance(2 * time.Second)
	require.Contains(t, w.log(6378), "Successful partial resynchronization with master.")
	assert.Equal(t, `"v"`, w.do(6378, "GET", "k"))
	assert.Equal(t, "(integer) -1", w.do(6378, "PTTL", "k"))
}

// A master sends a newline every second to a replica waiting for its
// snapshot, as Redis does, so a replica whose repl-timeout is shorter than
// repl-diskless-sync-delay still syncs instead of timing out forever.
func TestPresyncNewlinesKeepAWaitingReplica(t *testing.T) {
	w := startWorld(t, 6379, "repl-diskless-sync yes\nrepl-diskless-sync-delay 5")
	w.start(6378, "slaveof 127.0.0.1 6379\nrepl-timeout 2")
	w.Advance(8 * time.Second)
	assert.NotContains(t, w.log(6378), "Timeout connecting to the MASTER")
	assert.Contains(t, w.log(6378), "MASTER <-> REPLICA sync: Finished with success")
}

// A master turned replica unblocks its blocked clients with -UNBLOCKED and
// closes them, as Redis 7.0.15 does: a BLPOP left blocked was served by the
// new master's LPUSH and popped on the replica alone.
func TestBecomingAReplicaUnblocksClients(t *testing.T) {
	w := startWorld(t, 6379, "")
	w.start(6378, "")
	c := w.conn(6378)
	c.send([]string{"BLPOP", "l", "0"})
	assert.Equal(t, "OK", w.do(6378, "REPLICAOF", "127.0.0.1", "6379"))
	assert.Equal(t, "-UNBLOCKED force unblock from blocking operation, instance state changed (master -> replica?)\r\n", c.pending())
	assert.True(t, c.closed)
	w.Advance(2 * time.Second)
	assert.Equal(t, "(integer) 1", w.do(6379, "LPUSH", "l", "x"))
	w.Advance(100 * time.Millisecond)
	assert.Equal(t, "(integer) 1", w.do(6378, "LLEN", "l"), "the replica keeps what its master pushed")
}

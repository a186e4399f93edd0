package node_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/syncscope/syncscope/core/sim"
)

// synced starts master 6379 and replica 6378 (after the conf lines given)
// and waits for the first sync.
func synced(t *testing.T, masterConf, replicaConf string) *world {
	t.Helper()
	w := startWorld(t, 6379, masterConf)
	w.start(6378, "slaveof 127.0.0.1 6379\n"+replicaConf)
	w.Advance(2 * time.Second)
	require.Contains(t, w.log(6378), "MASTER <-> REPLICA sync: Finished with success")
	return w
}

// sameHistory requires nodes a and b to share replid, replid2 and offsets.
func sameHistory(t *testing.T, w *world, a, b int) {
	t.Helper()
	ra, rb := w.Node(a).Replication(), w.Node(b).Replication()
	assert.Equal(t, [4]any{ra.ReplID, ra.Offset, ra.ReplID2, ra.Offset2}, [4]any{rb.ReplID, rb.Offset, rb.ReplID2, rb.Offset2})
}

func TestReplicationFullAndPartial(t *testing.T) {
	w := synced(t, "", "")
	assert.Equal(t, "OK", w.do(6379, "SET", "name", "redis"))
	w.Advance(10 * time.Millisecond)
	assert.Equal(t, `"redis"`, w.do(6378, "GET", "name"))
	assert.Equal(t, "(error) READONLY You can't write against a read only replica.", w.do(6378, "SET", "x", "1"))
	sameHistory(t, w, 6379, 6378)

	// The replica restarts from its dump and continues by partial resync.
	w.Exec(6378, "SHUTDOWN")
	w.Advance(3 * time.Second)
	assert.Contains(t, w.log(6378), "DB saved on disk")
	assert.Nil(t, w.Node(6378))
	assert.Equal(t, "OK", w.do(6379, "SET", "name", "again"))
	require.NoError(t, w.Restart(6378))
	w.Advance(2 * time.Second)
	assert.Contains(t, w.log(6378), "Successful partial resynchronization with master.")
	assert.Equal(t, `"again"`, w.do(6378, "GET", "name"))
	assert.Equal(t, w.Node(6379).Replication().Offset, w.Node(6378).Replication().Offset)
}

func TestPromotionKeepsReplid2(t *testing.T) {
	w := startWorld(t, 6379, "")
	w.start(6378, "slaveof 127.0.0.1 6379")
	w.start(6377, "slaveof 127.0.0.1 6379")
	w.Advance(2 * time.Second)
	w.do(6379, "SET", "k", "v")
	w.Advance(100 * time.Millisecond)
	old := w.Node(6379).Replication().ReplID
	assert.Equal(t, "OK", w.do(6378, "REPLICAOF", "NO", "ONE"))
	assert.Equal(t, old, w.Node(6378).Replication().ReplID2)
	assert.Equal(t, "OK", w.do(6377, "REPLICAOF", "127.0.0.1", "6378"))
	w.Advance(2 * time.Second)
	assert.Contains(t, w.log(6377), "Successful partial resynchronization with master.")
	assert.Equal(t, 1, strings.Count(w.log(6377), "Full resync from master"), "the sibling continued on the promoted node")
	assert.Equal(t, `"v"`, w.do(6377, "GET", "k"))
}

// WAIT waits for the calling client's own last write (Redis's c->woff): a
// client that wrote nothing is answered at once even while a replica lags.
func TestWaitUsesTheClientsWriteOffset(t *testing.T) {
	w := synced(t, "", "")
	w.Cut(6379, 6378) // the replica stops reading and acknowledging
	assert.Equal(t, "OK", w.do(6379, "SET", "k", "v"))
	assert.Equal(t, "(integer) 1", w.do(6379, "WAIT", "1", "100"), "this client wrote nothing since the replica's last ACK")
}

// A replica acknowledges once a second (replicationCron's REPLCONF ACK), not
// twice.
func TestReplicaAcksOncePerSecond(t *testing.T) {
	w := synced(t, "", "")
	acks := 0
	w.OnSend(func(d sim.Delivery) {
		if d.From == 6378 {
			acks += strings.Count(string(d.Data), "REPLCONF\r\n$3\r\nACK")
		}
	})
	w.Advance(5 * time.Second)
	assert.InDelta(t, 5, acks, 1)
}

// A master restarted from its dump keeps the saved history as replid2 under
// a new replid, with a backlog from there, as Redis 7.0 does: its replica
// continues by partial resync.
func TestMasterRestartKeepsHistoryAsReplid2(t *testing.T) {
	w := synced(t, "", "")
	assert.Equal(t, "OK", w.do(6379, "SET", "k", "v"))
	w.Advance(100 * time.Millisecond)
	w.Exec(6379, "SHUTDOWN")
	w.Advance(time.Second)
	require.Nil(t, w.Node(6379))
	// The replica acknowledged the master's whole stream (its REPLCONF
	// GETACK included) before the master saved: it holds the history saved.
	old := w.Node(6378).Replication()
	require.NoError(t, w.Restart(6379))
	h := w.Node(6379).Replication()
	assert.NotEqual(t, old.ReplID, h.ReplID)
	assert.Equal(t, old.ReplID, h.ReplID2)
	assert.Equal(t, old.Offset+1, h.Offset2)
	assert.Equal(t, old.Offset, h.Offset)
	require.True(t, h.Backlog.Active)
	assert.Equal(t, old.Offset+1, h.Backlog.First)
	w.Advance(3 * time.Second)
	assert.Contains(t, w.log(6378), "Successful partial resynchronization with master.")
	assert.Contains(t, w.log(6378), "Master replication ID changed to "+h.ReplID)
	assert.Equal(t, 1, strings.Count(w.log(6378), "Full resync from master"))
	assert.Equal(t, "OK", w.do(6379, "SET", "k", "w"))
	w.Advance(100 * time.Millisecond)
	assert.Equal(t, `"w"`, w.do(6378, "GET", "k"))
}

// repl-backlog-ttl frees the backlog of a master left without replicas and
// changes its replid, but keeps master_repl_offset: the next replica's full
// sync starts there, under a new replid (Redis 7.0.15 does the same).
func TestBacklogTTLKeepsTheOffset(t *testing.T) {
	w := synced(t, "repl-backlog-ttl 1", "")
	assert.Equal(t, "OK", w.do(6379, "SET", "a", "1"))
	w.Advance(100 * time.Millisecond)
	w.Exec(6378, "SHUTDOWN", "NOSAVE")
	w.Advance(1100 * time.Millisecond)
	require.True(t, w.Node(6379).Replication().Backlog.Active, "idle for 1 s is not more than the TTL")
	w.Advance(time.Second)
	require.Contains(t, w.log(6379), "Replication backlog freed after 1 seconds without connected replicas.")
	freed := w.Node(6379).Replication()
	require.False(t, freed.Backlog.Active)
	assert.NotZero(t, freed.Offset)
	require.NoError(t, w.Restart(6378))
	w.Advance(time.Second)
	now := w.Node(6379).Replication()
	assert.NotEqual(t, freed.ReplID, now.ReplID)
	assert.Contains(t, w.log(6378), fmt.Sprintf("Full resync from master: %s:%d", now.ReplID, freed.Offset))
	sameHistory(t, w, 6379, 6378)
}

// repl-diskless-sync-delay gathers replicas into one transfer; it ends
// early once repl-diskless-sync-max-replicas are waiting. A replica without
// capa eof gets a disk snapshot at once instead of waiting.
func TestDisklessSyncDelayAndMaxReplicas(t *testing.T) {
	w := startWorld(t, 6379, "repl-diskless-sync-delay 5\nrepl-diskless-sync-max-replicas 2")
	w.start(6378, "slaveof 127.0.0.1 6379")
	w.Advance(500 * time.Millisecond)
	require.Contains(t, w.log(6379), "Delay next BGSAVE for diskless SYNC")
	require.NotContains(t, w.log(6379), "Starting BGSAVE")
	w.start(6377, "slaveof 127.0.0.1 6379")
	w.Advance(time.Second)
	assert.Equal(t, 1, strings.Count(w.log(6379), "Starting BGSAVE for SYNC with target: replicas sockets"), "one transfer for both")
	assert.Contains(t, w.log(6378), "MASTER <-> REPLICA sync: Finished with success")
	assert.Contains(t, w.log(6377), "MASTER <-> REPLICA sync: Finished with success")

	// A PSYNC without REPLCONF capa eof: no delay, a disk snapshot.
	w.conn(6379).send([]string{"PSYNC", "?", "-1"})
	assert.Contains(t, w.log(6379), "Starting BGSAVE for SYNC with target: disk")
}

// A replica moved to a sibling of its master keeps its own replicas
// attached: the sibling shares the history, so the move is a partial resync
// and the sub-replica never notices (replicationSetMaster keeps replicas).
func TestReplicaofSiblingKeepsSubReplicas(t *testing.T) {
	w := startWorld(t, 6379, "")
	w.start(6378, "slaveof 127.0.0.1 6379")
	w.start(6376, "slaveof 127.0.0.1 6379")
	w.start(6377, "slaveof 127.0.0.1 6378")
	w.Advance(3 * time.Second)
	require.Contains(t, w.log(6377), "MASTER <-> REPLICA sync: Finished with success")
	assert.Equal(t, "OK", w.do(6378, "REPLICAOF", "127.0.0.1", "6376"))
	w.Advance(2 * time.Second)
	assert.Contains(t, w.log(6378), "Successful partial resynchronization with master.")
	assert.NotContains(t, w.log(6378), "Connection with replica")
	assert.NotContains(t, w.log(6377), "Connection with master lost.")
	assert.Equal(t, "OK", w.do(6379, "SET", "k", "through c and a"))
	w.Advance(100 * time.Millisecond)
	assert.Equal(t, `"through c and a"`, w.do(6377, "GET", "k"))
	sameHistory(t, w, 6379, 6377)
}

// A replica that never synced has no backlog to keep when promoted, and a
// master without replicas creates none when it becomes a replica: the
// backlog comes with the first sync (INFO repl_backlog_active:0 meanwhile).
func TestBacklogComesWithTheFirstSync(t *testing.T) {
	w := newWorld(t)
	w.start(6378, "slaveof 127.0.0.1 6399") // nobody there
	w.Advance(time.Second)
	assert.Equal(t, "OK", w.do(6378, "REPLICAOF", "NO", "ONE"))
	assert.False(t, w.Node(6378).Replication().Backlog.Active)
	assert.Equal(t, "OK", w.do(6378, "REPLICAOF", "127.0.0.1", "6399"))
	assert.False(t, w.Node(6378).Replication().Backlog.Active)
	w.start(6399, "")
	w.Advance(2 * time.Second)
	require.Contains(t, w.log(6378), "MASTER <-> REPLICA sync: Finished with success")
	assert.True(t, w.Node(6378).Replication().Backlog.Active)
}

// Replica lag (min-replicas-max-lag, INFO's lag=, repl-timeout) counts
// whole seconds of the clock, as Redis's unixtime arithmetic does: an ACK at
// .900 is 1 second old until the clock reaches the second after next.
func TestReplicaLagInWholeSeconds(t *testing.T) {
	w := startWorld(t, 6379, "min-replicas-to-write 1\nmin-replicas-max-lag 1\nrepl-timeout 1")
	ack := time.Date(2026, 11, 24, 23, 44, 40, 900e6, time.UTC)
	for _, tc := range []struct {
		at         time.Duration // after the ACK
		good, kept int
	}{{0, 1, 1}, {1099 * time.Millisecond, 1, 1}, {1100 * time.Millisecond, 0, 0}} {
		good, kept := w.Node(6379).ReplicaLag(ack, tc.at)
		assert.Equal(t, tc.good, good, "%v after the ACK: good replicas", tc.at)
		assert.Equal(t, tc.kept, kept, "%v after the ACK: replicas kept by repl-timeout 1", tc.at)
	}
}

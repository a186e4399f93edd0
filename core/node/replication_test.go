package node

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/syncscope/syncscope/core/repl"
)

// DEBUG DIGEST and DIGEST-VALUE answer with status replies, as Redis does:
// clients (and the e2e tests) compare them with redis-server's byte for byte.
func TestDebugDigestIsStatus(t *testing.T) {
	w := newNet(t)
	m := w.start(6379, "enable-debug-command yes")
	assert.Equal(t, "0000000000000000000000000000000000000000", w.do(m, "DEBUG", "DIGEST"))
	w.do(m, "SET", "a", "1")
	assert.Regexp(t, `^[0-9a-f]{40}$`, w.do(m, "DEBUG", "DIGEST"))
	// Redis 7.0.15 prints this digest for SET a 1.
	assert.Equal(t, "1) b4fc66738120fba0b5aa500ab5c2bf89cea1c5da\n2) 0000000000000000000000000000000000000000", w.do(m, "DEBUG", "DIGEST-VALUE", "a", "missing"))
}

// WAIT waits for the calling client's own last write (Redis's c->woff): a
// client that wrote nothing is answered at once even while a replica lags.
func TestWaitUsesTheClientsWriteOffset(t *testing.T) {
	w := newNet(t)
	m := w.start(6379, "")
	r := w.start(6378, "slaveof 127.0.0.1 6379")
	w.settle(2 * time.Second)
	require.Contains(t, r.log(), "MASTER <-> REPLICA sync: Finished with success")
	r.up = false // the replica stops reading and acknowledging
	assert.Equal(t, "OK", w.do(m, "SET", "k", "v"))
	assert.Equal(t, "(integer) 1", w.do(m, "WAIT", "1", "100"), "this client wrote nothing since the replica's last ACK")
}

// A replica acknowledges once a second (replicationCron's REPLCONF ACK), not
// twice.
func TestReplicaAcksOncePerSecond(t *testing.T) {
	w := newNet(t)
	w.start(6379, "")
	r := w.start(6378, "slaveof 127.0.0.1 6379")
	w.settle(2 * time.Second)
	require.Contains(t, r.log(), "MASTER <-> REPLICA sync: Finished with success")
	acks := 0
	for range 50 { // 5 s of 100 ms wakes, the replica's output kept to itself
		w.now = w.now.Add(100 * time.Millisecond)
		require.NoError(t, r.node.Step(w.now, Wake{}))
		for _, wr := range r.node.Ready().Writes {
			acks += strings.Count(string(wr.Data), "REPLCONF\r\n$3\r\nACK")
		}
	}
	assert.InDelta(t, 5, acks, 1)
}

// A master restarted from its dump keeps the saved history as replid2 under
// a new replid, with a backlog from there, as Redis 7.0 does: its replica
// continues by partial resync.
func TestMasterRestartKeepsHistoryAsReplid2(t *testing.T) {
	w := newNet(t)
	m := w.start(6379, "")
	r := w.start(6378, "slaveof 127.0.0.1 6379")
	w.settle(2 * time.Second)
	assert.Equal(t, "OK", w.do(m, "SET", "k", "v"))
	w.settle(100 * time.Millisecond)
	old := m.node.repl.hist
	w.send(m, "SHUTDOWN")
	w.settle(time.Second)
	require.False(t, m.up)
	m = w.start(6379, "")
	h := m.node.repl.hist
	assert.NotEqual(t, old.ID, h.ID)
	assert.Equal(t, old.ID, h.ID2)
	assert.Equal(t, old.Offset+1, h.Offset2)
	assert.Equal(t, old.Offset, h.Offset)
	require.NotNil(t, m.node.repl.backlog)
	assert.Equal(t, old.Offset+1, m.node.repl.backlog.First())
	w.settle(3 * time.Second)
	assert.Contains(t, r.log(), "Successful partial resynchronization with master.")
	assert.Contains(t, r.log(), "Master replication ID changed to "+h.ID.String())
	assert.Equal(t, 1, strings.Count(r.log(), "Full resync from master"))
	assert.Equal(t, "OK", w.do(m, "SET", "k", "w"))
	w.settle(100 * time.Millisecond)
	assert.Equal(t, `"w"`, w.do(r, "GET", "k"))
}

// While its final save runs, a shutting-down master serves no sync: the
// replica finds it gone, as with Redis (which saves synchronously), instead
// of attaching to a node about to exit. Its replicas go without log lines.
func TestNoSyncWhileShuttingDown(t *testing.T) {
	w := newNet(t)
	m := w.start(6379, "")
	w.start(6378, "slaveof 127.0.0.1 6379")
	w.settle(2 * time.Second)
	w.send(m, "SHUTDOWN") // the final snapshot is now in flight
	const conn = 9999
	require.NoError(t, m.node.Step(w.now, Accepted{Conn: conn, Peer: "127.0.0.1:50001", Local: "127.0.0.1:6379"}))
	require.NoError(t, m.node.Step(w.now, Received{Conn: conn, Data: []byte("*3\r\n$5\r\nPSYNC\r\n$1\r\n?\r\n$2\r\n-1\r\n")}))
	rd := m.node.Ready()
	assert.Contains(t, rd.Closes, ConnID(conn))
	for _, wr := range rd.Writes {
		assert.NotEqual(t, ConnID(conn), wr.Conn, "no reply to the PSYNC: %q", wr.Data)
	}
	w.settle(time.Second)
	assert.False(t, m.up)
	assert.NotContains(t, m.log(), "Connection with replica")
	assert.Contains(t, m.log(), "Redis is now ready to exit, bye bye...")
}

// SHUTDOWN first lets the replicas catch up (Redis 7.0's shutdown-timeout):
// it sends REPLCONF GETACK, waits for their ACKs, logs how many are in sync,
// then saves and exits.
func TestShutdownWaitsForReplicas(t *testing.T) {
	for _, tc := range []struct {
		name    string
		args    []string
		replica bool // the replica keeps acknowledging
		want    []string
		wantNot []string
	}{
		{"in sync", []string{"SHUTDOWN"}, true,
			[]string{"User requested shutdown...", "Waiting for replicas before shutting down.", "1 of 1 replicas are in sync when shutting down.", "Saving the final RDB snapshot before exiting."}, nil},
		{"lagging", []string{"SHUTDOWN"}, false,
			[]string{"Waiting for replicas before shutting down.", "# Lagging replica 127.0.0.1:6378 reported offset 101 behind master, lag=11, state=online.", "0 of 1 replicas are in sync when shutting down."}, nil},
		{"now", []string{"SHUTDOWN", "NOW"}, false,
			[]string{"User requested shutdown...", "0 of 1 replicas are in sync when shutting down."}, []string{"Waiting for replicas"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := newNet(t)
			m := w.start(6379, "")
			r := w.start(6378, "slaveof 127.0.0.1 6379")
			w.settle(2 * time.Second)
			r.up = tc.replica
			assert.Equal(t, "OK", w.do(m, "SET", "k", "v")) // not acknowledged yet
			w.send(m, tc.args...)
			w.settle(12 * time.Second)
			assert.False(t, m.up, "the master exited")
			for _, line := range tc.want {
				assert.Contains(t, m.log(), line)
			}
			for _, line := range tc.wantNot {
				assert.NotContains(t, m.log(), line)
			}
			assert.NotContains(t, m.log(), "Connection with replica")
		})
	}
}

func TestShutdownAbort(t *testing.T) {
	w := newNet(t)
	m := w.start(6379, "")
	r := w.start(6378, "slaveof 127.0.0.1 6379")
	w.settle(2 * time.Second)
	assert.Equal(t, "(error) ERR No shutdown in progress.", w.do(m, "SHUTDOWN", "ABORT"))
	assert.Equal(t, "(error) ERR syntax error", w.do(m, "SHUTDOWN", "ABORT", "NOSAVE"))
	assert.Equal(t, "(error) ERR syntax error", w.do(m, "SHUTDOWN", "SAVE", "NOSAVE"))
	r.up = false
	assert.Equal(t, "OK", w.do(m, "SET", "k", "v"))
	w.send(m, "SHUTDOWN")
	w.settle(time.Second)
	require.Contains(t, m.log(), "Waiting for replicas before shutting down.")
	assert.Equal(t, "OK", w.do(m, "SHUTDOWN", "ABORT"))
	assert.Contains(t, m.log(), "Shutdown manually aborted.")
	w.settle(12 * time.Second)
	assert.True(t, m.up, "the shutdown was aborted")
	assert.Equal(t, "OK", w.do(m, "SET", "k", "v"))
}

// repl-backlog-ttl frees the backlog of a master left without replicas and
// changes its replid, but keeps master_repl_offset: the next replica's full
// sync starts there, under a new replid (Redis 7.0.15 does the same).
func TestBacklogTTLKeepsTheOffset(t *testing.T) {
	w := newNet(t)
	m := w.start(6379, "repl-backlog-ttl 1")
	r := w.start(6378, "slaveof 127.0.0.1 6379")
	w.settle(2 * time.Second)
	assert.Equal(t, "OK", w.do(m, "SET", "a", "1"))
	w.settle(100 * time.Millisecond)
	w.send(r, "SHUTDOWN", "NOSAVE")
	w.settle(1100 * time.Millisecond)
	require.NotNil(t, m.node.repl.backlog, "idle for 1 s is not more than the TTL")
	w.settle(time.Second)
	require.Contains(t, m.log(), "Replication backlog freed after 1 seconds without connected replicas.")
	require.Nil(t, m.node.repl.backlog)
	off := m.node.repl.hist.Offset
	assert.NotZero(t, off)
	freed := m.node.repl.hist.ID
	r = w.start(6378, "slaveof 127.0.0.1 6379")
	w.settle(time.Second)
	assert.NotEqual(t, freed, m.node.repl.hist.ID)
	assert.Contains(t, r.log(), fmt.Sprintf("Full resync from master: %s:%d", m.node.repl.hist.ID, off))
	assert.Equal(t, m.node.repl.hist, r.node.repl.hist)
}

// repl-diskless-sync-delay gathers replicas into one transfer; it ends
// early once repl-diskless-sync-max-replicas are waiting. A replica without
// capa eof gets a disk snapshot at once instead of waiting.
func TestDisklessSyncDelayAndMaxReplicas(t *testing.T) {
	w := newNet(t)
	m := w.start(6379, "repl-diskless-sync-delay 5\nrepl-diskless-sync-max-replicas 2")
	r1 := w.start(6378, "slaveof 127.0.0.1 6379")
	w.settle(500 * time.Millisecond)
	require.Contains(t, m.log(), "Delay next BGSAVE for diskless SYNC")
	require.NotContains(t, m.log(), "Starting BGSAVE")
	r2 := w.start(6377, "slaveof 127.0.0.1 6379")
	w.settle(time.Second)
	assert.Equal(t, 1, strings.Count(m.log(), "Starting BGSAVE for SYNC with target: replicas sockets"), "one transfer for both")
	assert.Contains(t, r1.log(), "MASTER <-> REPLICA sync: Finished with success")
	assert.Contains(t, r2.log(), "MASTER <-> REPLICA sync: Finished with success")

	// A PSYNC without REPLCONF capa eof: no delay, a disk snapshot.
	const conn = 9998
	w.peers[end{6379, conn}] = end{0, conn}
	require.NoError(t, m.node.Step(w.now, Accepted{Conn: conn, Peer: "127.0.0.1:50002", Local: "127.0.0.1:6379"}))
	require.NoError(t, m.node.Step(w.now, Received{Conn: conn, Data: []byte("*3\r\n$5\r\nPSYNC\r\n$1\r\n?\r\n$2\r\n-1\r\n")}))
	w.apply(m)
	assert.Contains(t, m.log(), "Starting BGSAVE for SYNC with target: disk")
}

// A replica moved to a sibling of its master keeps its own replicas
// attached: the sibling shares the history, so the move is a partial resync
// and the sub-replica never notices (replicationSetMaster keeps replicas).
func TestReplicaofSiblingKeepsSubReplicas(t *testing.T) {
	w := newNet(t)
	m := w.start(6379, "")
	a := w.start(6378, "slaveof 127.0.0.1 6379")
	w.start(6376, "slaveof 127.0.0.1 6379")
	b := w.start(6377, "slaveof 127.0.0.1 6378")
	w.settle(3 * time.Second)
	require.Contains(t, b.log(), "MASTER <-> REPLICA sync: Finished with success")
	assert.Equal(t, "OK", w.do(a, "REPLICAOF", "127.0.0.1", "6376"))
	w.settle(2 * time.Second)
	assert.Contains(t, a.log(), "Successful partial resynchronization with master.")
	assert.NotContains(t, a.log(), "Connection with replica")
	assert.NotContains(t, b.log(), "Connection with master lost.")
	assert.Equal(t, "OK", w.do(m, "SET", "k", "through c and a"))
	w.settle(100 * time.Millisecond)
	assert.Equal(t, `"through c and a"`, w.do(b, "GET", "k"))
	assert.Equal(t, m.node.repl.hist, b.node.repl.hist)
}

// A replica that never synced has no backlog to keep when promoted, and a
// master without replicas creates none when it becomes a replica: the
// backlog comes with the first sync (INFO repl_backlog_active:0 meanwhile).
func TestBacklogComesWithTheFirstSync(t *testing.T) {
	w := newNet(t)
	r := w.start(6378, "slaveof 127.0.0.1 6399") // nobody there
	w.settle(time.Second)
	assert.Equal(t, "OK", w.do(r, "REPLICAOF", "NO", "ONE"))
	assert.Nil(t, r.node.repl.backlog)
	assert.Equal(t, "OK", w.do(r, "REPLICAOF", "127.0.0.1", "6399"))
	assert.Nil(t, r.node.repl.backlog)
	w.start(6399, "")
	w.settle(2 * time.Second)
	require.Contains(t, r.log(), "MASTER <-> REPLICA sync: Finished with success")
	assert.NotNil(t, r.node.repl.backlog)
}

// Replica lag (min-replicas-max-lag, INFO's lag=, repl-timeout) counts
// whole seconds of the clock, as Redis's unixtime arithmetic does: an ACK at
// .900 is 1 second old until the clock reaches the second after next.
func TestReplicaLagInWholeSeconds(t *testing.T) {
	w := newNet(t)
	m := w.start(6379, "min-replicas-to-write 1\nmin-replicas-max-lag 1\nrepl-timeout 1")
	n := m.node
	ack := time.Date(2026, 11, 24, 23, 44, 40, 900e6, time.UTC)
	c := &client{replica: &repl.Replica{State: repl.Online, AckTime: ack, Attached: true}}
	n.repl.replicas = []*client{c}
	for _, tc := range []struct {
		at   time.Duration // after the ACK
		good int
	}{{0, 1}, {1099 * time.Millisecond, 1}, {1100 * time.Millisecond, 0}} {
		n.now = ack.Add(tc.at)
		assert.Equal(t, tc.good, n.goodReplicas(), "%v after the ACK", tc.at)
	}
	n.now = ack.Add(1099 * time.Millisecond)
	n.replicaTimeouts()
	assert.Len(t, n.repl.replicas, 1, "1 whole second is not more than repl-timeout 1")
}

//go:build !js

package e2e

import (
	"bytes"
	"fmt"
	"os"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/syncscope/syncscope/core/resp"
)

// Replication features and faults, each run with our node in the role under
// test and, where it is cheap, with the real redis-server in the same role,
// asserting the same log lines and INFO fields for both.

// stop sends SIGSTOP to s, and SIGCONT when the test ends so that it can
// be stopped normally.
func sigstop(t *testing.T, s *Server) {
	t.Helper()
	s.Signal(syscall.SIGSTOP)
	t.Cleanup(func() { s.Proc.Signal(syscall.SIGCONT) })
	// The signal is delivered asynchronously: on a loaded machine the
	// process may still answer a GETACK after kill(2) returns. Wait until
	// the kernel reports it stopped (state T in /proc/<pid>/stat).
	stat := fmt.Sprintf("/proc/%d/stat", s.Proc.Pid())
	require.Eventually(t, func() bool {
		b, err := os.ReadFile(stat)
		if err != nil {
			return false
		}
		i := bytes.LastIndexByte(b, ')') // the name in parentheses may hold spaces
		return i >= 0 && len(b) > i+2 && b[i+2] == 'T'
	}, 5*time.Second, time.Millisecond, "the process did not stop")
}

// fill writes n keys of size bytes each through one pipeline.
func fillKeys(t *testing.T, s *Server, prefix string, n, size int) {
	t.Helper()
	c := s.Client()
	val := strings.Repeat("x", size)
	var pipe []byte
	const batch = 1000
	for i := 0; i < n; i += batch {
		pipe = pipe[:0]
		m := min(batch, n-i)
		for j := range m {
			pipe = resp.AppendCommand(pipe, []byte("SET"), []byte(prefix+strconv.Itoa(i+j)), []byte(val))
		}
		c.SendRaw(pipe)
		for range m {
			v := c.Read()
			require.Equal(t, resp.SimpleString, v.Kind, resp.FormatCLI(v))
		}
	}
}

// TestReplBacklogOverflow: a replica that comes back after the master wrote
// more than its backlog holds gets a full resync, with the master's log
// line saying why.
func TestReplBacklogOverflow(t *testing.T) {
	eachKind(t, "master", func(t *testing.T, redis bool) {
		m := startKind(t, redis, "repl-backlog-size 16kb\n")
		r := syncedReplica(t, m, false, "")
		mustDo(t, m.Client(), "SET", "before", "1")
		waitSameOffsets(t, m, r)

		// The replica goes away, saving where it was.
		rc := r.Client()
		rc.Send("SHUTDOWN", "SAVE")
		require.True(t, rc.Closed())
		require.Equal(t, 0, r.Wait())
		offset := infoInt(t, m, "replication", "master_repl_offset")
		fillKeys(t, m, "overflow:", 100, 1000) // 100 kB through a 16 kB backlog
		first := infoInt(t, m, "replication", "repl_backlog_first_byte_offset")
		require.Greater(t, first, offset+1, "the backlog no longer holds the replica's offset")

		r.Restart()
		mlog := m.WaitLog("for lack of backlog")
		// The request is where the replica stopped (a PING in flight may
		// have missed it, so not necessarily offset+1).
		assert.Regexp(t, fmt.Sprintf(`Unable to partial resync with replica 127\.0\.0\.1:%d for lack of backlog \(Replica request was: \d+\)\.`, r.Port), mlog)
		waitCount(t, r, "Full resync from master", 2)
		waitCount(t, r, "MASTER <-> REPLICA sync: Finished with success", 2)
		requireSameData(t, m, r)
		assert.Equal(t, int64(101), dbSize(t, r))
	})
}

// TestReplFailoverPSYNC2: one replica is promoted with REPLICAOF NO ONE;
// its sibling follows it and continues by partial resync thanks to
// replid2, and the promoted node's INFO shows the old history.
func TestReplFailoverPSYNC2(t *testing.T) {
	for _, tc := range []struct {
		name                     string
		promoted, sibling, redis bool // redis: the old master is redis-server
	}{
		{name: "promoted=ours,sibling=ours"},
		{name: "promoted=ours,sibling=redis", sibling: true},
		{name: "promoted=redis,sibling=ours", promoted: true, redis: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			m := startKind(t, tc.redis, "")
			a := startKind(t, tc.promoted, replicaOf(m))
			b := startKind(t, tc.sibling, replicaOf(m))
			writeAllTypes(t, m, "m")
			requireSameData(t, m, a, b)
			oldID := infoField(t, m, "replication", "master_replid")
			m.Proc.Stop()
			// Where the promoted node is in the old history (a stopping
			// redis-server sends its replicas a last REPLCONF GETACK).
			oldOff := infoInt(t, a, "replication", "master_repl_offset")

			require.Equal(t, "OK", a.Client().CLI("REPLICAOF", "NO", "ONE"))
			a.WaitLog("MASTER MODE enabled (user request from ")
			assert.Contains(t, a.Log(), fmt.Sprintf("Setting secondary replication ID to %s, valid up to offset: %d. New replication ID is ", oldID, oldOff+1))
			assert.Equal(t, "master", infoField(t, a, "replication", "role"))
			assert.Equal(t, oldID, infoField(t, a, "replication", "master_replid2"))
			assert.Equal(t, fmt.Sprint(oldOff+1), infoField(t, a, "replication", "second_repl_offset"))
			newID := infoField(t, a, "replication", "master_replid")
			assert.NotEqual(t, oldID, newID)

			require.Equal(t, "OK", b.Client().CLI("REPLICAOF", "127.0.0.1", fmt.Sprint(a.Port)))
			// Redis logs the ID change right after the partial resync line:
			// wait for the later one, or the log may be read between the two.
			blog := b.WaitLog("Master replication ID changed to " + newID)
			assert.Contains(t, blog, "Successful partial resynchronization with master.")
			assert.Equal(t, 1, strings.Count(blog, "Full resync from master"), "the sibling never needed a second full sync")
			assert.Contains(t, a.Log(), fmt.Sprintf("Partial resynchronization request from 127.0.0.1:%d accepted.", b.Port))

			writeAllTypes(t, a, "a")
			requireSameData(t, a, b)
			assert.Equal(t, oldID, infoField(t, b, "replication", "master_replid2"))
		})
	}
}

// TestReplWait: WAIT counts the replicas that acknowledged the client's
// last write, returns early when enough did and at the timeout otherwise.
func TestReplWait(t *testing.T) {
	eachKind(t, "master", func(t *testing.T, redis bool) {
		m := startKind(t, redis, "")
		r1 := startOurs(t, replicaOf(m))
		r2 := startOurs(t, replicaOf(m))
		waitReplicasOnline(t, m, 2)
		c, other := m.Client(), m.Client()
		mustDo(t, c, "SET", "k", "1")
		assert.Equal(t, "(integer) 2", c.CLI("WAIT", "2", "5000"))
		// Asking for more replicas than there are waits the whole timeout.
		startAt := time.Now()
		assert.Equal(t, "(integer) 2", c.CLI("WAIT", "3", "300"))
		assert.GreaterOrEqual(t, time.Since(startAt), 300*time.Millisecond)

		sigstop(t, r2)
		mustDo(t, c, "SET", "k", "2")
		assert.Equal(t, "(integer) 1", c.CLI("WAIT", "1", "5000"))
		startAt = time.Now()
		assert.Equal(t, "(integer) 1", c.CLI("WAIT", "2", "300"), "the stopped replica does not acknowledge")
		assert.GreaterOrEqual(t, time.Since(startAt), 300*time.Millisecond)
		// WAIT is about the caller's own writes: a client that wrote
		// nothing since both replicas acknowledged is answered at once.
		startAt = time.Now()
		assert.Equal(t, "(integer) 2", other.CLI("WAIT", "2", "5000"))
		assert.Less(t, time.Since(startAt), 2*time.Second)
		assert.Equal(t, "(error) ERR timeout is negative", c.CLI("WAIT", "1", "-1"))
		assert.Equal(t, "(error) ERR value is not an integer or out of range", c.CLI("WAIT", "x", "0"))
		assert.Equal(t, "(error) ERR WAIT cannot be used with replica instances. Please also note that since Redis 4.0 if a replica is configured to be writable (which is not the default) writes to replicas are just local and are not propagated.",
			r1.Client().CLI("WAIT", "1", "0"))
	})
}

// TestReplMinReplicas: min-replicas-to-write refuses writes with NOREPLICAS
// while too few replicas acknowledged within min-replicas-max-lag.
func TestReplMinReplicas(t *testing.T) {
	eachKind(t, "master", func(t *testing.T, redis bool) {
		m := startKind(t, redis, "min-replicas-to-write 1\nmin-replicas-max-lag 1\n")
		c := m.Client()
		const refused = "(error) NOREPLICAS Not enough good replicas to write."
		assert.Equal(t, refused, c.CLI("SET", "k", "1"))
		assert.Equal(t, `(nil)`, c.CLI("GET", "k"), "reads are served")
		assert.Equal(t, "0", infoField(t, m, "replication", "min_slaves_good_slaves"))

		r := syncedReplica(t, m, false, "")
		waitInfo(t, m, "replication", "min_slaves_good_slaves", "1")
		assert.Equal(t, "OK", c.CLI("SET", "k", "1"))
		mustDo(t, c, "MULTI")
		c.Do("SET", "k", "2")
		assert.Equal(t, "1) OK", c.CLI("EXEC"))

		// A replica that stops acknowledging no longer counts.
		sigstop(t, r)
		waitInfo(t, m, "replication", "min_slaves_good_slaves", "0")
		assert.Equal(t, refused, c.CLI("SET", "k", "3"))
		mustDo(t, c, "MULTI")
		assert.Equal(t, "(error) EXECABORT Transaction discarded because of previous errors.", func() string {
			c.Do("SET", "k", "4")
			return c.CLI("EXEC")
		}())
		assert.Equal(t, `"2"`, c.CLI("GET", "k"))
	})
}

// TestReplOutputBufferLimit: a stalled replica whose pending stream passes
// client-output-buffer-limit replica is dropped with Redis's log line, and
// resyncs once it runs again.
func TestReplOutputBufferLimit(t *testing.T) {
	eachKind(t, "master", func(t *testing.T, redis bool) {
		m := startKind(t, redis, "client-output-buffer-limit replica 256kb 128kb 1\n")
		r := syncedReplica(t, m, false, "")
		waitInfo(t, m, "replication", "connected_slaves", "1")

		sigstop(t, r)
		// 20 MB: more than the loopback socket buffers and the limit.
		fillKeys(t, m, "burst:", 200, 100000)
		mlog := m.WaitLog("scheduled to be closed ASAP for overcoming of output buffer limits.")
		assert.Regexp(t, `# Client id=\d+ addr=127\.0\.0\.1:\d+ laddr=127\.0\.0\.1:\d+ fd=\d+ name= age=\d+ idle=\d+ flags=S .* scheduled to be closed ASAP for overcoming of output buffer limits\.`, mlog)
		m.WaitLog(fmt.Sprintf("Connection with replica 127.0.0.1:%d lost.", r.Port))
		waitInfo(t, m, "replication", "connected_slaves", "0")

		r.Signal(syscall.SIGCONT)
		waitCount(t, r, "MASTER <-> REPLICA sync: Finished with success", 2)
		requireSameData(t, m, r)
		assert.Equal(t, int64(200), dbSize(t, r))
	})
}

// TestReplTimeoutReplicaSide: a master that goes silent (SIGSTOP) is
// dropped by its replica after repl-timeout; the replica continues by
// partial resync when the master is back.
func TestReplTimeoutReplicaSide(t *testing.T) {
	eachKind(t, "replica", func(t *testing.T, redis bool) {
		m := startOurs(t, "")
		r := syncedReplica(t, m, redis, "repl-timeout 1\n")
		mustDo(t, m.Client(), "SET", "k", "v")
		waitSameOffsets(t, m, r)

		sigstop(t, m)
		r.WaitLog("MASTER timeout: no data nor PING received...")
		waitInfo(t, r, "replication", "master_link_status", "down")
		assert.Equal(t, `"v"`, r.Client().CLI("GET", "k"), "stale data is served")
		m.Signal(syscall.SIGCONT)
		r.WaitLog("Successful partial resynchronization with master.")
		mustDo(t, m.Client(), "SET", "k", "w")
		requireSameData(t, m, r)
	})
}

// TestReplTimeoutMasterSide: a replica that stops acknowledging is
// disconnected by its master after repl-timeout.
func TestReplTimeoutMasterSide(t *testing.T) {
	eachKind(t, "master", func(t *testing.T, redis bool) {
		m := startKind(t, redis, "repl-timeout 1\n")
		r := syncedReplica(t, m, false, "")
		waitInfo(t, m, "replication", "connected_slaves", "1")

		sigstop(t, r)
		mlog := m.WaitLog("Disconnecting timedout replica (streaming sync): ")
		assert.Contains(t, mlog, fmt.Sprintf("Disconnecting timedout replica (streaming sync): 127.0.0.1:%d", r.Port))
		m.WaitLog(fmt.Sprintf("Connection with replica 127.0.0.1:%d lost.", r.Port))
		waitInfo(t, m, "replication", "connected_slaves", "0")
		mustDo(t, m.Client(), "SET", "k", "v")
		r.Signal(syscall.SIGCONT)
		r.WaitLog("Successful partial resynchronization with master.")
		requireSameData(t, m, r)
	})
}

// TestReplMasterKilledMidTransfer: the master dies (SIGKILL) while a
// replica receives its RDB. The replica keeps serving its old dataset, never
// reports itself synced, retries, and syncs with the master once it is back.
// The master is redis-server slowed down by rdb-key-save-delay, so the
// transfer reliably lasts long enough to be cut.
func TestReplMasterKilledMidTransfer(t *testing.T) {
	eachKind(t, "replica", func(t *testing.T, redis bool) {
		m := startRedis(t, "repl-diskless-sync yes\nrdb-key-save-delay 300\n")
		mustDo(t, m.Client(), "DEBUG", "POPULATE", "10000")
		r := startKind(t, redis, "repl-timeout 5\n")
		rc := r.Client()
		for i := range 3 {
			mustDo(t, rc, "SET", fmt.Sprintf("own:%d", i), "old")
		}
		mustDo(t, rc, "REPLICAOF", "127.0.0.1", fmt.Sprint(m.Port))
		waitUntil(t, "the transfer to be under way", func() bool {
			return infoField(t, r, "replication", "master_sync_in_progress") == "1" &&
				infoInt(t, r, "replication", "master_sync_read_bytes") > 0
		})
		assert.Equal(t, "down", infoField(t, r, "replication", "master_link_status"))
		assert.Equal(t, int64(3), dbSize(t, r), "the old dataset is served during the transfer")
		// An EOF-marked transfer has no known size: total 0, left negative.
		info := string(r.Client().Do("INFO", "replication").Str)
		assert.Regexp(t, `master_sync_total_bytes:0\r\nmaster_sync_read_bytes:(\d+)\r\nmaster_sync_left_bytes:-\d+\r\nmaster_sync_perc:0\.00\r\n`, info)
		assert.Contains(t, info, "repl_backlog_active:0", "no backlog before the first sync")

		m.Signal(syscall.SIGKILL)
		m.Wait()
		r.WaitLog("I/O error trying to sync with MASTER: connection lost")
		r.WaitLog("Error condition on socket for SYNC: Connection refused")
		assert.Equal(t, "0", infoField(t, r, "replication", "master_sync_in_progress"))
		assert.Equal(t, "down", infoField(t, r, "replication", "master_link_status"))
		assert.Equal(t, int64(3), dbSize(t, r), "nothing of the cut transfer is loaded")
		assert.Equal(t, `"old"`, r.Client().CLI("GET", "own:0"))
		assert.NotContains(t, r.Log(), "MASTER <-> REPLICA sync: Finished with success")

		// The master is back, empty (it was killed, nothing saved).
		m.Restart()
		mustDo(t, m.Client(), "SET", "after", "1")
		r.WaitLog("MASTER <-> REPLICA sync: Finished with success")
		requireSameData(t, m, r)
		assert.Equal(t, int64(1), dbSize(t, r))
	})
}

// TestReplMasterRestartKeepsHistory: a master restarted from its dump keeps
// its replication ID and offset (the RDB's repl-id and repl-offset), so its
// replicas continue by partial resync.
func TestReplMasterRestartKeepsHistory(t *testing.T) {
	eachKind(t, "master", func(t *testing.T, redis bool) {
		m := startKind(t, redis, "")
		r := startOurs(t, replicaOf(m))
		rr := startRedis(t, replicaOf(m))
		writeAllTypes(t, m, "before")
		requireSameData(t, m, r, rr)
		id := infoField(t, m, "replication", "master_replid")

		mc := m.Client()
		mc.Send("SHUTDOWN", "SAVE")
		require.True(t, mc.Closed())
		require.Equal(t, 0, m.Wait())
		m.Restart()
		waitCount(t, r, "Successful partial resynchronization with master.", 1)
		waitCount(t, rr, "Successful partial resynchronization with master.", 1)
		// As Redis 7.0 does: a new replid, the saved one as replid2.
		assert.Equal(t, id, infoField(t, m, "replication", "master_replid2"))
		assert.NotEqual(t, id, infoField(t, m, "replication", "master_replid"))
		assert.Contains(t, r.Log(), "Master replication ID changed to "+infoField(t, m, "replication", "master_replid"))
		writeAllTypes(t, m, "after")
		requireSameData(t, m, r, rr)
		assert.Equal(t, 1, strings.Count(r.Log(), "Full resync from master"))
	})
}

// TestReplShutdownWaitsForReplicas: SHUTDOWN lets the replicas catch up
// first (shutdown-timeout), logging how many are in sync, so a replica has
// the master's last write; a stopped replica is reported as lagging once
// the timeout passes.
func TestReplShutdownWaitsForReplicas(t *testing.T) {
	eachKind(t, "master", func(t *testing.T, redis bool) {
		// No PINGs: they would move the offset the replicas must reach.
		m := startKind(t, redis, "shutdown-timeout 2\nrepl-ping-replica-period 60\n")
		r := startOurs(t, replicaOf(m))
		stopped := startOurs(t, replicaOf(m))
		waitReplicasOnline(t, m, 2)
		sigstop(t, stopped)
		mc := m.Client()
		mustDo(t, mc, "SET", "last", "write")
		mc.Send("SHUTDOWN", "NOSAVE")
		require.True(t, mc.Closed())
		m.Wait()
		mlog := m.Log()
		assert.Contains(t, mlog, "Waiting for replicas before shutting down.")
		assert.Regexp(t, fmt.Sprintf(`# Lagging replica 127\.0\.0\.1:%d reported offset \d+ behind master, lag=\d+, state=online\.`, stopped.Port), mlog)
		assert.Contains(t, mlog, "1 of 2 replicas are in sync when shutting down.")
		assert.Equal(t, `"write"`, r.Client().CLI("GET", "last"))
	})
}

// TestReplDisklessSyncMaxReplicas: replicas delayed for a diskless sync
// share one transfer, started as soon as repl-diskless-sync-max-replicas
// of them wait (the 60 s delay would otherwise outlast the test).
func TestReplDisklessSyncMaxReplicas(t *testing.T) {
	eachKind(t, "master", func(t *testing.T, redis bool) {
		m := startKind(t, redis, "repl-diskless-sync yes\nrepl-diskless-sync-delay 60\nrepl-diskless-sync-max-replicas 2\n")
		writeAllTypes(t, m, "d")
		r1 := startOurs(t, replicaOf(m))
		m.WaitLog("Delay next BGSAVE for diskless SYNC")
		r2 := startOurs(t, replicaOf(m))
		r1.WaitLog("MASTER <-> REPLICA sync: Finished with success")
		r2.WaitLog("MASTER <-> REPLICA sync: Finished with success")
		assert.Equal(t, 1, strings.Count(m.Log(), "Starting BGSAVE for SYNC with target: replicas sockets"), "one transfer for both")
		requireSameData(t, m, r1, r2)
	})
}

// TestReplReplicaExpiry: a replica hides keys whose time has passed but
// deletes them only on the master's DEL; with the master's active expiry
// off (DEBUG SET-ACTIVE-EXPIRE 0) they stay counted until a read on the
// master expires them. replica-serve-stale-data no refuses reads while the
// link is down.
func TestReplReplicaExpiry(t *testing.T) {
	eachKind(t, "replica", func(t *testing.T, redis bool) {
		m := startRedis(t, "")
		r := syncedReplica(t, m, redis, "replica-serve-stale-data no\n")
		mc := m.Client()
		mustDo(t, mc, "DEBUG", "SET-ACTIVE-EXPIRE", "0")
		mustDo(t, mc, "SET", "soon", "v", "PX", "100")
		mustDo(t, mc, "SET", "kept", "v")
		waitSameOffsets(t, m, r)
		time.Sleep(150 * time.Millisecond)
		rc := r.Client()
		assert.Equal(t, "(nil)", rc.CLI("GET", "soon"), "hidden once its time passed")
		assert.Equal(t, "(integer) 0", rc.CLI("EXISTS", "soon"))
		assert.Equal(t, "(integer) -2", rc.CLI("TTL", "soon"))
		assert.Equal(t, int64(2), dbSize(t, r), "still there until the master's DEL")
		assert.Equal(t, "(nil)", mc.CLI("GET", "soon")) // the master expires it: DEL
		waitUntil(t, "the master's DEL", func() bool { return dbSize(t, r) == 1 })

		m.Proc.Stop()
		waitInfo(t, r, "replication", "master_link_status", "down")
		assert.Equal(t, "(error) MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'.", rc.CLI("GET", "kept"))
		assert.Equal(t, "(error) MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'.", rc.CLI("PING"), "PING is not flagged stale")
		assert.Equal(t, "slave", infoField(t, r, "replication", "role"), "INFO is")
	})
}

// TestReplMoveToSibling: a replica with a replica of its own moves to a
// sibling (REPLICAOF another replica of its master): a partial resync, and
// its own replica stays attached throughout, as with redis-server.
func TestReplMoveToSibling(t *testing.T) {
	eachKind(t, "moved", func(t *testing.T, redis bool) {
		m := startOurs(t, "")
		a := startKind(t, redis, replicaOf(m))
		c := startOurs(t, replicaOf(m))
		b := syncedReplica(t, a, false, "")
		writeAllTypes(t, m, "m")
		requireSameData(t, m, a, b, c)
		require.Equal(t, "OK", a.Client().CLI("REPLICAOF", "127.0.0.1", fmt.Sprint(c.Port)))
		a.WaitLog("Successful partial resynchronization with master.")
		writeAllTypes(t, m, "n")
		requireSameData(t, m, c, a, b)
		assert.NotContains(t, a.Log(), "Connection with replica")
		assert.NotContains(t, b.Log(), "Connection with master lost.")
	})
}

// TestReplSharedBuffer: Redis 7's replicas and backlog share one buffer. A
// replica waiting for its snapshot holds everything streamed since, so the
// backlog outgrows repl-backlog-size (and a returning replica continues
// from there), and the replica's output buffer counts those blocks; once
// it goes, the backlog shrinks back.
func TestReplSharedBuffer(t *testing.T) {
	eachKind(t, "master", func(t *testing.T, redis bool) {
		m := startKind(t, redis, "repl-backlog-size 16kb\nrepl-diskless-sync no\nsave \"\"\n")
		r := syncedReplica(t, m, false, "")
		fillKeys(t, m, "slow:", 20, 10)
		waitSameOffsets(t, m, r)

		// A replica whose snapshot takes 20 s: it waits, holding its
		// place in the buffer.
		mc := m.Client()
		mustDo(t, mc, "CONFIG", "SET", "rdb-key-save-delay", "1000000")
		slow := m.Client()
		slow.Send("PSYNC", "?", "-1")
		require.Contains(t, resp.FormatCLI(slow.Read()), "FULLRESYNC")

		rc := r.Client()
		rc.Send("SHUTDOWN", "SAVE")
		require.True(t, rc.Closed())
		require.Equal(t, 0, r.Wait())
		fillKeys(t, m, "big:", 100, 1000) // 100 kB through a 16 kB backlog
		hist := infoInt(t, m, "replication", "repl_backlog_histlen")
		assert.Greater(t, hist, int64(100_000), "the waiting replica holds the stream")
		assert.Greater(t, infoInt(t, m, "memory", "mem_total_replication_buffers"), int64(100_000))
		omem := regexp.MustCompile(`omem=(\d+)`).FindStringSubmatch(mc.CLI("CLIENT", "LIST", "TYPE", "replica"))
		require.NotNil(t, omem)
		n, _ := strconv.ParseInt(omem[1], 10, 64)
		assert.Greater(t, n, int64(100_000), "its output buffer is the blocks from its place on")

		// The returning replica continues from beyond the backlog's size.
		r.Restart()
		m.WaitLog("Partial resynchronization request from 127.0.0.1")
		waitSameOffsets(t, m, r)
		requireSameData(t, m, r)

		require.NoError(t, slow.conn.Close())
		waitUntil(t, "the backlog shrinks back", func() bool {
			return infoInt(t, m, "replication", "repl_backlog_histlen") < 50_000
		})
	})
}

// TestReplDisklessLoadSwapdb: a replica with repl-diskless-load swapdb
// loads a diskless payload as it arrives: from the "$EOF:" header on it is
// loading (INFO loading:1, other commands refused with LOADING); when the
// master drops it mid-transfer, the load fails and its old dataset stays.
func TestReplDisklessLoadSwapdb(t *testing.T) {
	eachPair(t, []kindPair{{}, {masterRedis: true}, {replicaRedis: true}, {masterRedis: true, replicaRedis: true}}, func(t *testing.T, p kindPair) {
		m := startKind(t, p.masterRedis, "repl-diskless-sync yes\nrepl-diskless-sync-delay 0\nsave \"\"\nrdbcompression no\n")
		r := startKind(t, p.replicaRedis, "repl-diskless-load swapdb\nsave \"\"\n")
		mustDo(t, r.Client(), "SET", "mykey", "myvalue")
		// Big values: a loading redis-server answers only every 2 MB
		// it reads, here every 0.4 s.
		fillKeys(t, m, "k:", 300, 100_000)
		mc := m.Client()
		// 300 keys at 20 ms each: the payload takes 6 s.
		mustDo(t, mc, "CONFIG", "SET", "rdb-key-save-delay", "20000")

		rc := r.Client()
		mustDo(t, rc, "REPLICAOF", "127.0.0.1", strconv.Itoa(m.Port))
		// On a client connected before: a loading redis-server accepts
		// new connections but serves them only when done.
		field := func(name string) string { return persistenceField(t, rc, name) }
		waitUntil(t, "the replica loading", func() bool { return field("loading") == "1" })
		assert.Equal(t, "0", field("async_loading"), "another master's replid: not async")
		assert.Equal(t, "(error) LOADING Redis is loading the dataset in memory", rc.CLI("GET", "mykey"))
		r.WaitLog("MASTER <-> REPLICA sync: receiving streamed RDB from master with EOF to parser")

		mustDo(t, mc, "CONFIG", "SET", "repl-diskless-sync-delay", "5")
		mustDo(t, mc, "CLIENT", "KILL", "TYPE", "replica")
		waitUntil(t, "the load failed", func() bool { return field("loading") == "0" })
		assert.Equal(t, `"myvalue"`, rc.CLI("GET", "mykey"), "the old dataset stays")
		assert.Equal(t, "(integer) 1", rc.CLI("DBSIZE"))
		r.WaitLog("MASTER <-> REPLICA sync: Discarding temporary DB in background")
		mustDo(t, mc, "CONFIG", "SET", "rdb-key-save-delay", "0")
	})
}

// TestReplErrorToMaster: a command of the master's stream that fails on the
// replica (DEBUG REPLICATE of an unknown command; INCRBY of a key a writable
// replica wrote) is logged on the replica as the error it would have sent,
// with the latest backlog bytes, and replication carries on.
func TestReplErrorToMaster(t *testing.T) {
	eachPair(t, []kindPair{{}, {masterRedis: true}, {replicaRedis: true}}, func(t *testing.T, p kindPair) {
		m := startKind(t, p.masterRedis, "")
		r := syncedReplica(t, m, p.replicaRedis, "replica-read-only no\n")
		mc, rc := m.Client(), r.Client()
		mustDo(t, mc, "SET", "foo", "bar")
		mustDo(t, mc, "DEBUG", "REPLICATE", "fake-command-1")
		mustDo(t, mc, "SET", "foo", "bar2")
		waitSameOffsets(t, m, r)
		line := r.WaitLog("fake-command-1")
		assert.Regexp(t, `# == CRITICAL == This replica is sending an error to its master: 'unknown command 'fake-command-1', with args beginning with: ' after processing the command '<unknown>'`, line)
		assert.Equal(t, `"bar2"`, rc.CLI("GET", "foo"))

		mustDo(t, rc, "SET", "number2", "foo")
		mustDo(t, mc, "INCRBY", "number2", "1")
		waitSameOffsets(t, m, r)
		line = r.WaitLog("'incrby'")
		assert.Regexp(t, `# == CRITICAL == This replica is sending an error to its master: 'value is not an integer or out of range' after processing the command 'incrby'`, line)
		assert.Regexp(t, `# Latest backlog is: '".*bar2\\r\\n.*"'`, r.Log())
		assert.Equal(t, 1, strings.Count(r.Log(), "incrby"), "the backlog shown ends before the failed command")
	})
}

// TestReplDisklessLoadAsync: a swapdb replica that full syncs again under
// the replid it already follows loads asynchronously: async_loading:1,
// loading:0, its old dataset served meanwhile, and only the commands and
// configs Redis denies then refused with LOADING.
func TestReplDisklessLoadAsync(t *testing.T) {
	eachPair(t, []kindPair{{}, {masterRedis: true}, {masterRedis: true, replicaRedis: true}}, func(t *testing.T, p kindPair) {
		m := startKind(t, p.masterRedis, "repl-diskless-sync yes\nrepl-diskless-sync-delay 0\nsave \"\"\nrdbcompression no\n")
		r := syncedReplica(t, m, p.replicaRedis, "repl-diskless-load swapdb\nsave \"\"\nreplica-read-only no\n")
		fillKeys(t, m, "k:", 300, 100_000)
		waitSameOffsets(t, m, r)
		rc, mc := r.Client(), m.Client()
		mustDo(t, rc, "SET", "mykey", "myvalue")

		// A full sync under the same replid: the replica dropped while
		// the backlog overflows.
		mustDo(t, mc, "CONFIG", "SET", "rdb-key-save-delay", "20000")
		mc.Send("MULTI")
		mc.Send("CLIENT", "KILL", "TYPE", "replica")
		mc.Send("CONFIG", "SET", "repl-backlog-size", "16384")
		for i := range 10 {
			mc.Send("SET", "big:"+strconv.Itoa(i), strings.Repeat("A", 16384))
		}
		mc.Send("EXEC")
		for range 14 {
			mc.Read()
		}
		field := func(name string) string { return persistenceField(t, rc, name) }
		waitUntil(t, "the replica loading asynchronously", func() bool { return field("async_loading") == "1" })
		assert.Equal(t, "0", field("loading"))
		assert.Equal(t, `"myvalue"`, rc.CLI("GET", "mykey"), "the old dataset is served")
		assert.Equal(t, "(error) LOADING Redis is loading the dataset in memory", rc.CLI("CONFIG", "SET", "appendonly", "no"))
		assert.Equal(t, "(error) LOADING Redis is loading the dataset in memory", rc.CLI("REPLICAOF", "NO", "ONE"))
		assert.Equal(t, "OK", rc.CLI("CONFIG", "SET", "maxmemory-policy", "noeviction"), "other configs may change")
		mustDo(t, mc, "CONFIG", "SET", "rdb-key-save-delay", "0")
	})
}

// TestReplicaPauseHoldsStream: CLIENT PAUSE on a replica pauses its
// master's stream as any client: the write waits, unapplied (the offset
// stays), until CLIENT UNPAUSE.
func TestReplicaPauseHoldsStream(t *testing.T) {
	eachKind(t, "replica", func(t *testing.T, redis bool) {
		m := startOurs(t, "")
		r := syncedReplica(t, m, redis, "")
		mc, rc := m.Client(), r.Client()
		mustDo(t, mc, "SET", "k", "before")
		waitSameOffsets(t, m, r)
		off := infoInt(t, r, "replication", "slave_repl_offset")

		mustDo(t, rc, "CLIENT", "PAUSE", "100000", "WRITE")
		mustDo(t, mc, "SET", "k", "during")
		waitUntil(t, "the master's write sent", func() bool {
			return infoInt(t, m, "replication", "master_repl_offset") > off
		})
		time.Sleep(300 * time.Millisecond)
		assert.Equal(t, `"before"`, rc.CLI("GET", "k"), "held by the pause")
		assert.Equal(t, off, infoInt(t, r, "replication", "slave_repl_offset"))

		mustDo(t, rc, "CLIENT", "UNPAUSE")
		waitSameOffsets(t, m, r)
		assert.Equal(t, `"during"`, rc.CLI("GET", "k"))
	})
}

//go:build !js

package e2e

import (
	"fmt"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/syncscope/syncscope/core/resp"
)

// Side-by-side checks of what Redis's own replication units (tests/
// integration/replication*.tcl, psync2*.tcl, unit/wait.tcl) rely on.

// TestReplStreamSelectAfterAttach: a replica attaching for a full sync makes
// the master forget the stream's db, so the next command is preceded by a
// SELECT even in the db already selected (replicationSetupSlaveForFullResync
// sets slaveseldb to -1). A replica already online sees it too.
func TestReplStreamSelectAfterAttach(t *testing.T) {
	t.Parallel()
	run := func(s *Server) string {
		first := newStreamReplica(t, s)
		c := s.Client()
		mustDo(t, c, "SELECT", "5")
		mustDo(t, c, "SET", "a", "1")
		newStreamReplica(t, s)
		mustDo(t, c, "SET", "b", "2")
		mustDo(t, c, "SET", "__end", "1")
		return format(first.until("SET", "__end", "1"))
	}
	want, got := run(startRedis(t, "")), run(startOurs(t, ""))
	assert.Equal(t, want, got, "the first replica's stream on syncscope-server (actual) vs redis-server (expected)")
}

// TestClientKillMasterLink: on a replica, CLIENT KILL <master ip:port> and
// CLIENT KILL TYPE master match its connection to the master (Redis lists
// server.master among its clients); the link comes back by partial resync.
// replication-psync.tcl breaks links this way.
func TestClientKillMasterLink(t *testing.T) {
	t.Parallel()
	run := func(redis bool) []string {
		m := startKind(t, redis, "")
		r := startKind(t, redis, replicaOf(m))
		waitInfo(t, r, "replication", "master_link_status", "up")
		mustDo(t, m.Client(), "SET", "k", "v")
		waitSameOffsets(t, m, r)
		var got []string
		kill := func(args ...string) {
			got = append(got, resp.FormatCLI(r.Client().Do(append([]string{"CLIENT", "KILL"}, args...)...)))
			waitUntil(t, "the link to come back", func() bool {
				return infoField(t, r, "replication", "master_link_status") == "up"
			})
		}
		kill(fmt.Sprintf("127.0.0.1:%d", m.Port))
		kill("TYPE", "master")
		kill("ADDR", fmt.Sprintf("127.0.0.1:%d", m.Port), "TYPE", "master")
		got = append(got, resp.FormatCLI(r.Client().Do("CLIENT", "KILL", "127.0.0.1:1")))
		got = append(got, "sync_partial_ok:"+infoField(t, m, "stats", "sync_partial_ok"),
			"sync_full:"+infoField(t, m, "stats", "sync_full"))
		return got
	}
	assert.Equal(t, run(true), run(false))
}

// TestReplicaofAndWaitInMulti: REPLICAOF/SLAVEOF and WAIT are queued inside
// MULTI (Redis refuses only SYNC, PSYNC, SAVE and SHUTDOWN there); the role
// changes at EXEC with the link down (replication.tcl "SLAVEOF should start
// with link status down").
func TestReplicaofAndWaitInMulti(t *testing.T) {
	t.Parallel()
	dp := startDiffPair(t, "")
	roleAndLink := func(v resp.Value) string {
		if v.Kind != resp.Array || len(v.Elems) != 3 {
			return drender(v)
		}
		var keep []string
		for _, l := range strings.Split(string(v.Elems[2].Str), "\r\n") {
			if strings.HasPrefix(l, "role:") || strings.HasPrefix(l, "master_link_status:") || strings.HasPrefix(l, "master_host:") {
				keep = append(keep, l)
			}
		}
		return drender(v.Elems[0]) + " " + drender(v.Elems[1]) + " " + strings.Join(keep, ",")
	}
	dp.run(t, []dstep{
		dcmd("MULTI"),
		dcmd("SET", "k", "v"),
		dcmd("WAIT", "1", "0"),
		dcmd("EXEC"),
		dcmd("MULTI"),
		dcmd("SLAVEOF", "127.0.0.1", "1"),
		dcmd("REPLICAOF", "127.0.0.1", "1"),
		dcmd("INFO", "replication"),
		dcmd("EXEC").with(roleAndLink),
		dcmd("ROLE").with(func(v resp.Value) string { return drender(v.Elems[0]) + drender(v.Elems[1]) }),
		dcmd("REPLICAOF", "NO", "ONE"),
	})
}

// TestInfoCommandAndErrorStats: INFO commandstats counts calls, rejected
// and failed calls per command (subcommands as "client|setname"), INFO
// errorstats and total_error_replies count error replies by code, and
// CONFIG RESETSTAT clears them. The replication units read calls= from it.
func TestInfoCommandAndErrorStats(t *testing.T) {
	t.Parallel()
	dp := startDiffPair(t, "")
	usec := regexp.MustCompile(`usec=\d+,usec_per_call=[\d.]+`)
	// Redis lists commandstats in its hash table's order, and times them.
	stats := func(v resp.Value) string {
		var lines []string
		for _, l := range strings.Split(string(v.Str), "\r\n") {
			if strings.HasPrefix(l, "cmdstat_") || strings.HasPrefix(l, "errorstat_") || strings.HasPrefix(l, "total_error_replies:") {
				lines = append(lines, usec.ReplaceAllString(l, "usec=_"))
			}
		}
		sort.Strings(lines)
		return strings.Join(lines, "\n")
	}
	dp.run(t, []dstep{
		dcmd("CONFIG", "RESETSTAT"),
		dcmd("SET", "s", "v"),
		dcmd("GET", "s"),
		dcmd("LPUSH", "s", "x"),   // failed: WRONGTYPE
		dcmd("INCR", "s"),         // failed: ERR
		dcmd("GET"),               // rejected: arity
		dcmd("NOSUCHCOMMAND"),     // no command to count, one ERR
		dcmd("CLIENT", "SETNAME"), // rejected: the subcommand's arity
		dcmd("CLIENT", "SETNAME", "x"),
		dcmd("MULTI"), dcmd("SET", "t", "1"), dcmd("LPUSH", "t", "x"), dcmd("EXEC"),
		dcmd("MULTI"), dcmd("GET"), dcmd("EXEC"), // EXECABORT: exec rejected
		dcmd("INFO", "commandstats").with(stats),
		dcmd("INFO", "errorstats").with(stats),
		dcmd("INFO", "stats").with(stats),
		dcmd("CONFIG", "RESETSTAT"),
		dcmd("INFO", "commandstats").with(stats),
		dcmd("INFO", "errorstats").with(stats),
	})
}

// TestWritableReplicaExpiresOwnKeys: a writable replica deletes by itself
// the keys it gave a TTL to (Redis's slaveKeysWithExpire), counting them in
// expired_keys, while a key its master wrote with a TTL waits for the
// master's DEL (here never: the master's active expiry is off).
func TestWritableReplicaExpiresOwnKeys(t *testing.T) {
	t.Parallel()
	run := func(redis bool) []string {
		m := startKind(t, redis, "")
		r := startKind(t, redis, replicaOf(m)+"replica-read-only no\n")
		waitInfo(t, r, "replication", "master_link_status", "up")
		mc, rc := m.Client(), r.Client()
		mustDo(t, mc, "DEBUG", "SET-ACTIVE-EXPIRE", "0")
		mustDo(t, mc, "SET", "frommaster", "v", "PX", "1")
		waitSameOffsets(t, m, r)
		mustDo(t, rc, "SELECT", "3")
		mustDo(t, rc, "SET", "a", "1", "PX", "50")
		mustDo(t, rc, "SET", "b", "1")
		mustDo(t, rc, "PEXPIRE", "b", "50")
		mustDo(t, rc, "SET", "c", "1", "PX", "50")
		mustDo(t, rc, "PERSIST", "c") // no TTL left: never expires
		mustDo(t, rc, "SET", "d", "1")
		waitUntil(t, "the replica's own keys to expire", func() bool {
			return infoField(t, r, "stats", "expired_keys") == "2"
		})
		time.Sleep(300 * time.Millisecond) // nothing else expires
		return []string{
			"expired_keys:" + infoField(t, r, "stats", "expired_keys"),
			"db3:" + resp.FormatCLI(rc.Do("DBSIZE")),
			"db0:" + resp.FormatCLI(rc.Do("SELECT", "0")) + resp.FormatCLI(rc.Do("DBSIZE")),
			"get:" + resp.FormatCLI(rc.Do("GET", "frommaster")),
		}
	}
	assert.Equal(t, run(true), run(false))
}

// TestClientPause: CLIENT PAUSE WRITE postpones the commands that write or
// may propagate (even while queueing in MULTI) until CLIENT UNPAUSE, and
// lets the rest run; a pause of ALL holds every command until its timeout;
// CLIENT PAUSE inside MULTI takes effect at EXEC (unit/wait.tcl's "WAIT
// implicitly blocks on client pause").
func TestClientPause(t *testing.T) {
	t.Parallel()
	run := func(s *Server) []string {
		c0, c1 := s.Client(), s.Client()
		var got []string
		do := func(c *Client, args ...string) {
			got = append(got, strings.Join(args, " ")+" -> "+resp.FormatCLI(c.Do(args...)))
		}
		do(c0, "CLIENT", "PAUSE", "abc")
		do(c0, "CLIENT", "PAUSE", "-1")
		do(c0, "CLIENT", "PAUSE", "10", "foo")
		do(c0, "CLIENT", "PAUSE", "100000", "WRITE")
		c1.Send("SET", "k", "v")
		do(c0, "GET", "k")
		do(c0, "INFO", "keyspace")
		do(c0, "CLIENT", "UNPAUSE")
		got = append(got, "postponed SET -> "+resp.FormatCLI(c1.Read()))
		do(c0, "GET", "k")
		do(c0, "MULTI")
		do(c0, "INCR", "n")
		do(c0, "CLIENT", "PAUSE", "100000", "WRITE")
		do(c0, "EXEC")
		do(c1, "MULTI")
		c1.Send("SET", "k2", "x") // postponed, though MULTI would only queue it
		do(c0, "EXISTS", "k2")
		do(c0, "INFO", "keyspace")
		do(c0, "CLIENT", "UNPAUSE")
		got = append(got, "postponed SET in MULTI -> "+resp.FormatCLI(c1.Read()))
		do(c1, "EXEC")
		do(c0, "CLIENT", "PAUSE", "300", "ALL")
		start := time.Now()
		c1.Send("PING")
		got = append(got, "PING during ALL -> "+resp.FormatCLI(c1.Read()))
		got = append(got, fmt.Sprintf("held for the pause: %v", time.Since(start) > 200*time.Millisecond))
		return got
	}
	assert.Equal(t, run(startRedis(t, "")), run(startOurs(t, "")))
}

// TestDebugPopulate: DEBUG POPULATE count [prefix] [size] as Redis fills a
// database (replication.tcl sizes its datasets with it).
func TestDebugPopulate(t *testing.T) {
	t.Parallel()
	dp := startDiffPair(t, "enable-debug-command yes")
	dp.run(t, []dstep{
		dcmd("SET", "key:1", "mine"),
		dcmd("DEBUG", "POPULATE", "3"),
		dcmd("MGET", "key:0", "key:1", "key:2", "key:3"),
		dcmd("DEBUG", "POPULATE", "2", "p", "10"),
		dcmd("MGET", "p:0", "p:1"),
		dcmd("DEBUG", "POPULATE", "2", "q", "3"),
		dcmd("MGET", "q:0", "q:1"),
		dcmd("DEBUG", "POPULATE", "-1"),
		dcmd("DEBUG", "POPULATE", "x"),
		dcmd("DEBUG", "POPULATE", "1", "r", "-5"),
		dcmd("DBSIZE"),
		dcmd("DEBUG", "DIGEST"),
	})
}

// TestUnixSocket: with unixsocket set, the server also listens there;
// its clients are local (no protected-mode refusal), named "<path>:0" at
// both ends with the U flag. psync2-reg.tcl loads the master through it.
func TestUnixSocket(t *testing.T) {
	t.Parallel()
	run := func(redis bool) []string {
		dir := t.TempDir()
		sock := filepath.Join(dir, "socket")
		Start(t, Options{Redis: redis, Dir: dir, Config: "unixsocket " + sock + "\nunixsocketperm 700\n"})
		conn, err := net.DialTimeout("unix", sock, Timeout)
		require.NoError(t, err)
		t.Cleanup(func() { conn.Close() })
		c := &Client{t: t, replyReader: replyReader{conn: conn}}
		info := string(c.Do("CLIENT", "INFO").Str)
		var fields []string
		for _, f := range strings.Fields(info) {
			if strings.HasPrefix(f, "addr=") || strings.HasPrefix(f, "laddr=") || strings.HasPrefix(f, "flags=") {
				fields = append(fields, strings.ReplaceAll(f, sock, "<sock>"))
			}
		}
		st, err := os.Stat(sock)
		require.NoError(t, err)
		return []string{resp.FormatCLI(c.Do("PING")), strings.Join(fields, " "), st.Mode().Perm().String()}
	}
	assert.Equal(t, run(true), run(false))
}

// TestPingScheduleFromStart: a master PINGs its replicas on the
// replication cron's loops that are multiples of repl-ping-replica-period
// counted from its start, not as soon as a replica attaches: with a long
// period the stream stays still (psync2-master-restart.tcl checks the
// offset is exactly 0 after its replicas attach).
func TestPingScheduleFromStart(t *testing.T) {
	t.Parallel()
	run := func(s *Server) string {
		// Past the first cron loop (Redis's loop 0 would PING a replica
		// already there), then attach.
		time.Sleep(1200 * time.Millisecond)
		newStreamReplica(t, s)
		before := infoInt(t, s, "replication", "master_repl_offset")
		time.Sleep(1500 * time.Millisecond)
		after := infoInt(t, s, "replication", "master_repl_offset")
		return fmt.Sprintf("offset %d then %d", before, after)
	}
	conf := "repl-ping-replica-period 3600\n"
	assert.Equal(t, run(startRedis(t, conf)), run(startOurs(t, conf)))
}

// TestFailover: FAILOVER's refusals, a failover to a named replica (the
// master pauses writes, waits for the replica's ACK, becomes its replica
// with PSYNC ... FAILOVER, which promotes the replica and continues), and
// FAILOVER ABORT of one waiting for a replica that does not catch up
// (integration/failover.tcl).
func TestFailover(t *testing.T) {
	t.Parallel()
	run := func(redis bool) []string {
		m := startKind(t, redis, "")
		var got []string
		do := func(s *Server, args ...string) {
			got = append(got, strings.Join(args, " ")+" -> "+resp.FormatCLI(s.Client().Do(args...)))
		}
		do(m, "FAILOVER")
		do(m, "FAILOVER", "ABORT")
		r := startKind(t, redis, replicaOf(m))
		waitInfo(t, r, "replication", "master_link_status", "up")
		waitReplicasOnline(t, m, 1)
		to := []string{"TO", "127.0.0.1", strconv.Itoa(r.Port)}
		do(m, "FAILOVER", "FORCE", "TIMEOUT", "100")
		do(m, append(append([]string{"FAILOVER"}, to...), "FORCE")...)
		do(m, "FAILOVER", "TO", "127.0.0.1", "1")
		do(m, "FAILOVER", "TIMEOUT", "0")
		do(m, "FAILOVER", "BOGUS")
		do(r, append([]string{"FAILOVER"}, to...)...)
		mustDo(t, m.Client(), "SET", "k", "v")
		do(m, append([]string{"FAILOVER"}, to...)...)
		waitInfo(t, m, "replication", "master_failover_state", "no-failover")
		waitInfo(t, m, "replication", "master_link_status", "up")
		got = append(got, "old master: "+infoField(t, m, "replication", "role"),
			"new master: "+infoField(t, r, "replication", "role"),
			"psyncs accepted by the new master: "+infoField(t, r, "stats", "sync_partial_ok"),
			"full syncs: "+infoField(t, r, "stats", "sync_full"))
		do(m, "GET", "k")
		do(m, "REPLICAOF", "NO", "ONE") // m is a replica now: back to master
		waitInfo(t, r, "replication", "role", "master")
		do(r, "REPLICAOF", "127.0.0.1", strconv.Itoa(m.Port))
		waitInfo(t, r, "replication", "master_link_status", "up")
		waitReplicasOnline(t, m, 1)
		r.Signal(syscall.SIGSTOP)
		mustDo(t, m.Client(), "SET", "k", "w")
		do(m, append(append([]string{"FAILOVER"}, to...), "TIMEOUT", "60000")...)
		got = append(got, "state: "+infoField(t, m, "replication", "master_failover_state"))
		do(m, "GET", "k")
		do(m, "REPLICAOF", "NO", "ONE")
		do(m, "FAILOVER", "ABORT")
		got = append(got, "state: "+infoField(t, m, "replication", "master_failover_state"))
		r.Signal(syscall.SIGCONT)
		waitSameOffsets(t, m, r)
		do(m, "ROLE")
		ports := strings.NewReplacer(strconv.Itoa(m.Port), "<master>", strconv.Itoa(r.Port), "<replica>")
		for i := range got {
			got[i] = ports.Replace(got[i])
		}
		return got
	}
	want := run(true)
	// ROLE's offsets and the replica's port differ between the runs.
	want[len(want)-1] = strings.SplitN(want[len(want)-1], "\n", 2)[0]
	got := run(false)
	got[len(got)-1] = strings.SplitN(got[len(got)-1], "\n", 2)[0]
	assert.Equal(t, want, got)
}

// TestReplicaofInConfig: REPLICAOF changes what CONFIG GET replicaof shows
// and what CONFIG REWRITE writes, so a restarted replica comes back as one
// (psync2.tcl's "Partial resync after restart using RDB aux fields").
func TestReplicaofInConfig(t *testing.T) {
	t.Parallel()
	run := func(redis bool) []string {
		s := Start(t, Options{Redis: redis})
		c := s.Client()
		var got []string
		for _, args := range [][]string{
			{"CONFIG", "GET", "replicaof"},
			{"REPLICAOF", "127.0.0.1", "1"},
			{"CONFIG", "GET", "replicaof"},
			{"CONFIG", "REWRITE"},
			{"REPLICAOF", "NO", "ONE"},
			{"CONFIG", "GET", "slaveof"},
		} {
			got = append(got, resp.FormatCLI(c.Do(args...)))
		}
		conf, err := os.ReadFile(s.Conf)
		require.NoError(t, err)
		for _, l := range strings.Split(string(conf), "\n") {
			if strings.HasPrefix(l, "replicaof") {
				got = append(got, "rewritten: "+l)
			}
		}
		return got
	}
	assert.Equal(t, run(true), run(false))
}

// TestRdbKeySaveDelay: rdb-key-save-delay makes a background save last
// keys × delay µs (the replication units hold a full sync open with it);
// a save already running keeps the delay it started with.
func TestRdbKeySaveDelay(t *testing.T) {
	t.Parallel()
	run := func(s *Server) []string {
		c := s.Client()
		mustDo(t, c, "DEBUG", "POPULATE", "10")
		mustDo(t, c, "CONFIG", "SET", "rdb-key-save-delay", "100000") // 1 s for 10 keys
		start := time.Now()
		got := []string{resp.FormatCLI(c.Do("BGSAVE"))}
		time.Sleep(300 * time.Millisecond)
		got = append(got, "after 300ms in progress: "+infoField(t, s, "persistence", "rdb_bgsave_in_progress"),
			resp.FormatCLI(c.Do("BGSAVE")))
		waitInfo(t, s, "persistence", "rdb_bgsave_in_progress", "0")
		got = append(got, fmt.Sprintf("took at least 0.8 s: %v", time.Since(start) > 800*time.Millisecond))
		mustDo(t, c, "CONFIG", "SET", "rdb-key-save-delay", "30000") // 0.3 s
		got = append(got, resp.FormatCLI(c.Do("BGSAVE")))
		mustDo(t, c, "CONFIG", "SET", "rdb-key-save-delay", "0")
		time.Sleep(100 * time.Millisecond)
		got = append(got, "still in progress: "+infoField(t, s, "persistence", "rdb_bgsave_in_progress"))
		waitInfo(t, s, "persistence", "rdb_bgsave_in_progress", "0")
		got = append(got, "status: "+infoField(t, s, "persistence", "rdb_last_bgsave_status"))
		return got
	}
	assert.Equal(t, run(startRedis(t, "")), run(startOurs(t, "")))
}

// TestReplicaLinkCarriesNoReplies: an attached replica's command that would
// get a reply (PING; GET, refused as "Replica can't interact with the
// keyspace") makes the master log it and drop the replica instead of
// answering on the replication link; PSYNC with a bad offset is refused
// and logged (replication.tcl's last tests).
func TestReplicaLinkCarriesNoReplies(t *testing.T) {
	t.Parallel()
	run := func(s *Server) []string {
		got := []string{resp.FormatCLI(s.Client().Do("PSYNC", "replicationid", "offset_str"))}
		for _, args := range [][]string{{"PING"}, {"GET", "foo"}} {
			r := newStreamReplica(t, s)
			r.send(args...)
			r.conn.SetReadDeadline(time.Now().Add(Timeout))
			var rest []byte
			for {
				var tmp [512]byte
				m, err := r.conn.Read(tmp[:])
				rest = append(rest, tmp[:m]...)
				if err != nil {
					break
				}
			}
			got = append(got, fmt.Sprintf("%s: closed after %q", args[0], strings.Trim(string(rest), "\n")))
		}
		waitUntil(t, "the log lines", func() bool { return strings.Contains(s.Log(), "after processing the command 'get'") })
		log := s.Log()
		for _, l := range []string{
			"asks for synchronization but with a wrong offset",
			"Replica generated a reply to command 'ping', disconnecting it: id=",
			"Replica generated a reply to command 'get', disconnecting it: id=",
			"== CRITICAL == This master is sending an error to its replica: 'Replica can't interact with the keyspace' after processing the command 'get'",
		} {
			got = append(got, fmt.Sprintf("logged %q: %v", l, strings.Contains(log, l)))
		}
		return got
	}
	assert.Equal(t, run(startRedis(t, "")), run(startOurs(t, "")))
}

// TestReplicaOutputLimitAtLeastBacklog: a replica's hard output buffer
// limit below repl-backlog-size counts as repl-backlog-size, so a replica
// lagging by less than the backlog stays connected
// (replication-buffer.tcl).
func TestReplicaOutputLimitAtLeastBacklog(t *testing.T) {
	t.Parallel()
	conf := "client-output-buffer-limit replica 1mb 0 0\nrepl-backlog-size 64mb\n"
	run := func(s *Server) string {
		newStreamReplica(t, s) // and never reads again
		c := s.Client()
		big := strings.Repeat("x", 1<<20)
		for i := range 16 {
			mustDo(t, c, "SET", fmt.Sprint("k", i), big)
		}
		time.Sleep(200 * time.Millisecond)
		return "connected_slaves:" + infoField(t, s, "replication", "connected_slaves")
	}
	assert.Equal(t, run(startRedis(t, conf)), run(startOurs(t, conf)))
}

//go:build !js

package e2e

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// waitCount waits until text occurs at least n times in s's log (the log
// file is appended to across restarts).
func waitCount(t *testing.T, s *Server, text string, n int) string {
	t.Helper()
	deadline := time.Now().Add(Timeout)
	for {
		log := s.Log()
		if strings.Count(log, text) >= n {
			return log
		}
		if time.Now().After(deadline) {
			t.Fatalf("the log of the server on port %d has %q %d times, want %d:\n%s", s.Port, text, strings.Count(log, text), n, log)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// eventually polls cmd on c until it prints want.
func eventually(t *testing.T, s *Server, want string, args ...string) {
	t.Helper()
	c := s.Client()
	deadline := time.Now().Add(Timeout)
	for {
		got := c.CLI(args...)
		if got == want {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%v on port %d prints %s, want %s", args, s.Port, got, want)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestWalkthrough runs the seed's walkthrough (DESIGN.md steps 0x001 to
// 0x005) with real processes: 6379 <- 6378 <- 6377 become master, replica
// and sub-replica on free ports, configured by files as in the seed.
func TestWalkthrough(t *testing.T) {
	// 0x001 configure, 0x002 sync: start the master, then each replica.
	// repl-diskless-sync-delay 0 keeps the test quick; everything else is
	// Redis's default (diskless sync, save points).
	const common = "repl-diskless-sync-delay 0\nsave 3600 1 300 100 60 10000\n"
	m := Start(t, Options{Config: common})
	r1 := Start(t, Options{Config: common + fmt.Sprintf("slaveof 127.0.0.1 %d\n", m.Port)})
	r2 := Start(t, Options{Config: common + fmt.Sprintf("slaveof 127.0.0.1 %d\n", r1.Port)})
	r1log := r1.WaitLog("MASTER <-> REPLICA sync: Finished with success")
	r2log := r2.WaitLog("MASTER <-> REPLICA sync: Finished with success")
	for _, line := range []string{
		"Connecting to MASTER 127.0.0.1:" + fmt.Sprint(m.Port),
		"MASTER <-> REPLICA sync started",
		"Master replied to PING, replication can continue...",
		"Partial resynchronization not possible (no cached master)",
		"Full resync from master: ",
		"MASTER <-> REPLICA sync: Flushing old data",
		"MASTER <-> REPLICA sync: Loading DB in memory",
	} {
		assert.Contains(t, r1log, line)
	}
	assert.Contains(t, r2log, "Connecting to MASTER 127.0.0.1:"+fmt.Sprint(r1.Port))
	mlog := m.WaitLog("Synchronization with replica 127.0.0.1:" + fmt.Sprint(r1.Port) + " succeeded")
	assert.Contains(t, mlog, fmt.Sprintf("Replica 127.0.0.1:%d asks for synchronization", r1.Port))
	assert.Contains(t, mlog, "Starting BGSAVE for SYNC with target: replicas sockets")
	assert.Regexp(t, regexp.MustCompile(`\d+:M \d\d \w{3} \d{4} \d\d:\d\d:\d\d\.\d{3} \* Replication backlog created, my new replication IDs are '[0-9a-f]{40}' and '0{40}'`), mlog)

	// 0x003 write on the master; both replicas read it (6377 through 6378).
	mc := m.Client()
	require.Equal(t, "OK", mc.CLI("SET", "name", "redis"))
	eventually(t, r1, `"redis"`, "GET", "name")
	eventually(t, r2, `"redis"`, "GET", "name")
	assert.Equal(t, "(error) READONLY You can't write against a read only replica.", r1.Client().CLI("SET", "name", "x"))
	assert.Equal(t, "(error) READONLY You can't write against a read only replica.", r2.Client().CLI("SET", "name", "x"))
	// The chain shares one history: same replid, and the same offset once quiet.
	waitSameOffsets(t, m, r1, r2)

	// 0x004 disconnect: SHUTDOWN on the middle node.
	c1 := r1.Client()
	c1.Send("SHUTDOWN")
	require.True(t, c1.Closed(), "SHUTDOWN closes the connection")
	require.Equal(t, 0, r1.Wait())
	r1log = r1.Log()
	for _, line := range []string{"User requested shutdown...", "Saving the final RDB snapshot before exiting.", "DB saved on disk", "Redis is now ready to exit, bye bye..."} {
		assert.Contains(t, r1log, line)
	}
	m.WaitLog(fmt.Sprintf("Connection with replica 127.0.0.1:%d lost.", r1.Port))
	// 6377 retries every second and keeps serving its data.
	refused := "Error condition on socket for SYNC: Connection refused"
	// The first retry is immediate ("Reconnecting to MASTER"), the next
	// ones come from replicationCron, once a second.
	waitCount(t, r2, refused, 2)
	start := time.Now()
	waitCount(t, r2, refused, 3)
	assert.GreaterOrEqual(t, time.Since(start), 500*time.Millisecond, "retries are about a second apart")
	assert.Equal(t, `"redis"`, r2.Client().CLI("GET", "name"))

	// 6378 restarts from its dump and continues by partial resync, and so
	// does 6377 behind it.
	r1.Restart()
	waitCount(t, r1, "Successful partial resynchronization with master.", 1)
	assert.Contains(t, r1.Log(), "Before turning into a replica, using my own master parameters to synthesize a cached master")
	waitCount(t, r2, "Successful partial resynchronization with master.", 1)
	assert.Equal(t, 1, strings.Count(r2.Log(), "Full resync from master"), "6377 never needed a second full sync")

	// 6377 restarted from its own dump continues by partial resync too.
	c2 := r2.Client()
	c2.Send("SHUTDOWN")
	require.True(t, c2.Closed())
	require.Equal(t, 0, r2.Wait())
	r2.Restart()
	waitCount(t, r2, "Successful partial resynchronization with master.", 2)
	assert.Equal(t, 1, strings.Count(r2.Log(), "Full resync from master"))
	eventually(t, r2, `"redis"`, "GET", "name")

	// 0x005 a writable replica keeps its writes to itself.
	c1 = r1.Client()
	require.Equal(t, "OK", c1.CLI("CONFIG", "SET", "slave-read-only", "no"))
	require.Equal(t, "OK", c1.CLI("SET", "name", "redis-cli"))
	assert.Equal(t, `"redis-cli"`, c1.CLI("GET", "name"))
	require.Equal(t, "OK", mc.CLI("SET", "other", "1"))
	eventually(t, r2, `"1"`, "GET", "other")
	assert.Equal(t, `"redis"`, r2.Client().CLI("GET", "name"))
	assert.Equal(t, `"redis"`, mc.CLI("GET", "name"))
	// The next full sync drops the local write: a new history on 6378
	// (REPLICAOF NO ONE, then back) cannot continue on 6379's.
	require.Equal(t, "OK", c1.CLI("REPLICAOF", "NO", "ONE"))
	require.Equal(t, "OK", c1.CLI("REPLICAOF", "127.0.0.1", fmt.Sprint(m.Port)))
	waitCount(t, r1, "Full resync from master", 2)
	eventually(t, r1, `"redis"`, "GET", "name")
}

// waitSameOffsets waits until every node reports the same master_replid and
// master_repl_offset.
func waitSameOffsets(t *testing.T, nodes ...*Server) {
	t.Helper()
	re := regexp.MustCompile(`master_replid:(\w+)\r\n(?s:.*)master_repl_offset:(\d+)`)
	deadline := time.Now().Add(Timeout)
	for {
		var got []string
		for _, s := range nodes {
			info := string(s.Client().Do("INFO", "replication").Str)
			m := re.FindStringSubmatch(info)
			require.NotNil(t, m, info)
			got = append(got, m[1]+":"+m[2])
		}
		same := true
		for _, g := range got {
			same = same && g == got[0]
		}
		if same {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("histories differ: %v", got)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

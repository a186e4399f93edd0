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

// Interop with the real redis-server 7.0 both ways: it must accept our node
// as its master and as its replica, and both must end with the same data
// (DEBUG DIGEST) at the same offset in the same history.

func disklessName(diskless bool) string {
	if diskless {
		return "diskless"
	}
	return "disk"
}

func yesOrNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// TestInteropRedisReplicaOfOurs: redis-server syncs from syncscope-server,
// follows the stream, continues by partial resync after a link cut and
// after a restart from its dump.
func TestInteropRedisReplicaOfOurs(t *testing.T) {
	for _, diskless := range []bool{false, true} {
		t.Run(disklessName(diskless), func(t *testing.T) {
			t.Parallel()
			m := startOurs(t, "repl-diskless-sync "+yesOrNo(diskless)+"\n")
			writeAllTypes(t, m, "pre")
			writeBigValues(t, m, "pre")
			r := startRedis(t, replicaOf(m))

			rlog := r.WaitLog("MASTER <-> REPLICA sync: Finished with success")
			assert.Contains(t, rlog, "Partial resynchronization not possible (no cached master)")
			assert.Contains(t, rlog, "Full resync from master: ")
			if diskless {
				assert.Contains(t, rlog, "MASTER <-> REPLICA sync: receiving streamed RDB from master with EOF to disk")
				assert.Contains(t, m.Log(), "Starting BGSAVE for SYNC with target: replicas sockets")
			} else {
				assert.Regexp(t, `MASTER <-> REPLICA sync: receiving \d+ bytes from master to disk`, rlog)
				assert.Contains(t, m.Log(), "Starting BGSAVE for SYNC with target: disk")
			}
			m.WaitLog(fmt.Sprintf("Synchronization with replica 127.0.0.1:%d succeeded", r.Port))

			// The command stream, every type, expiries, MULTI/EXEC, SELECT.
			writeAllTypes(t, m, "stream")
			writeBigValues(t, m, "stream")
			requireSameData(t, m, r)
			assert.Equal(t, "slave", infoField(t, r, "replication", "role"))
			assert.Equal(t, "up", infoField(t, r, "replication", "master_link_status"))

			// Keys that expire on the master go away on the replica only
			// through the master's DEL (a replica never expires keys itself,
			// it hides them): DBSIZE counts them until then.
			before := dbSize(t, r)
			ec := m.Client()
			writeExpiring(t, ec, "exp", 20, 1000)
			require.Equal(t, int64(1), ec.Do("WAIT", "1", "5000").Int)
			assert.Equal(t, before+20, dbSize(t, r), "the replica has the 20 short-lived keys")
			waitUntil(t, "the master's DELs of the expired keys", func() bool { return dbSize(t, r) == before })
			requireSameData(t, m, r)

			// A link cut: the replica continues by partial resync.
			v := m.Client().Do("CLIENT", "KILL", "TYPE", "replica")
			require.Equal(t, int64(1), v.Int)
			writeAllTypes(t, m, "cut")
			r.WaitLog("Successful partial resynchronization with master.")
			assert.Contains(t, m.WaitLog("Partial resynchronization request from"),
				fmt.Sprintf("Partial resynchronization request from 127.0.0.1:%d accepted.", r.Port))
			requireSameData(t, m, r)

			// A restart from its dump: the RDB's repl-id/repl-offset let it
			// continue by partial resync as well.
			rc := r.Client()
			rc.Send("SHUTDOWN", "SAVE")
			require.True(t, rc.Closed())
			require.Equal(t, 0, r.Wait())
			writeAllTypes(t, m, "restart")
			r.Restart()
			waitCount(t, r, "Successful partial resynchronization with master.", 2)
			assert.Equal(t, 1, strings.Count(r.Log(), "Full resync from master"), "no second full sync")
			requireSameData(t, m, r)
		})
	}
}

// TestInteropOursReplicaOfRedis: syncscope-server syncs from redis-server
// by either transfer, follows the stream, and reports the same offset as
// the real master once PINGs and REPLCONF GETACK (WAIT) have flowed.
func TestInteropOursReplicaOfRedis(t *testing.T) {
	for _, diskless := range []bool{false, true} {
		t.Run(disklessName(diskless), func(t *testing.T) {
			t.Parallel()
			m := startRedis(t, "repl-diskless-sync "+yesOrNo(diskless)+"\n")
			writeAllTypes(t, m, "pre")
			writeBigValues(t, m, "pre")
			r := startOurs(t, replicaOf(m))

			rlog := r.WaitLog("MASTER <-> REPLICA sync: Finished with success")
			assert.Contains(t, rlog, "Full resync from master: ")
			if diskless {
				assert.Contains(t, rlog, "MASTER <-> REPLICA sync: receiving streamed RDB from master with EOF to disk")
			} else {
				assert.Regexp(t, `MASTER <-> REPLICA sync: receiving \d+ bytes from master to disk`, rlog)
			}
			assert.Regexp(t, `Done loading RDB, keys loaded: \d+, keys expired: 0\.`, rlog)
			m.WaitLog(fmt.Sprintf("Synchronization with replica 127.0.0.1:%d succeeded", r.Port))

			writeAllTypes(t, m, "stream")
			requireSameData(t, m, r)

			// PINGs (repl-ping-replica-period 1) move the offset; we follow.
			off := infoInt(t, m, "replication", "master_repl_offset")
			waitUntil(t, "a PING from the master", func() bool { return infoInt(t, m, "replication", "master_repl_offset") > off })
			waitSameOffsets(t, m, r)

			// WAIT sends REPLCONF GETACK *; our ACK must carry the exact offset.
			mc := m.Client()
			mustDo(t, mc, "SET", "wait", "1")
			v := mc.Do("WAIT", "1", "5000")
			require.Equal(t, int64(1), v.Int, "WAIT on the real master counts our ACK")
			slave := regexp.MustCompile(`slave0:ip=127\.0\.0\.1,port=(\d+),state=online,offset=(\d+),lag=\d+`)
			waitUntil(t, "the master to record our ACK at its offset", func() bool {
				text := string(m.Client().Do("INFO", "replication").Str)
				got := slave.FindStringSubmatch(text)
				moff := infoField(t, m, "replication", "master_repl_offset")
				return got != nil && got[1] == fmt.Sprint(r.Port) && got[2] == moff
			})
			requireSameData(t, m, r)

			// Expiries on the master reach us as DELs.
			before := dbSize(t, r)
			ec := m.Client()
			writeExpiring(t, ec, "exp", 20, 1000)
			require.Equal(t, int64(1), ec.Do("WAIT", "1", "5000").Int)
			assert.Equal(t, before+20, dbSize(t, r), "the replica has the 20 short-lived keys")
			waitUntil(t, "the master's DELs of the expired keys", func() bool { return dbSize(t, r) == before })
			requireSameData(t, m, r)

			// The master cuts the link: we continue by partial resync.
			require.Equal(t, int64(1), mc.Do("CLIENT", "KILL", "TYPE", "replica").Int)
			writeAllTypes(t, m, "cut")
			r.WaitLog("Successful partial resynchronization with master.")
			requireSameData(t, m, r)
		})
	}
}

// TestInteropChain: a chain mixing both servers shares one history; each
// link forwards the stream byte for byte, so digests and offsets agree
// along it, also after the middle node's link is cut.
func TestInteropChain(t *testing.T) {
	for _, tc := range []struct {
		name      string
		redisEnds bool // redis -> ours -> redis, else ours -> redis -> ours
	}{{"redis-ours-redis", true}, {"ours-redis-ours", false}} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			start := func(redis bool, config string) *Server {
				if redis {
					return startRedis(t, config)
				}
				return startOurs(t, config)
			}
			top := start(tc.redisEnds, "")
			mid := start(!tc.redisEnds, replicaOf(top))
			bottom := start(tc.redisEnds, replicaOf(mid))
			writeAllTypes(t, top, "a")
			bottom.WaitLog("MASTER <-> REPLICA sync: Finished with success")
			writeAllTypes(t, top, "b")
			requireSameData(t, top, mid, bottom)

			// Cut the middle node's link to the top: the middle continues by
			// partial resync, the bottom never notices.
			require.Equal(t, int64(1), top.Client().Do("CLIENT", "KILL", "TYPE", "replica").Int)
			writeAllTypes(t, top, "c")
			mid.WaitLog("Successful partial resynchronization with master.")
			requireSameData(t, top, mid, bottom)
			assert.Equal(t, 1, strings.Count(bottom.Log(), "Full resync from master"))
			waitInfo(t, bottom, "replication", "master_link_status", "up")
		})
	}
}

// TestInteropMasterAuth: masterauth against a master with requirepass both
// ways, and masteruser against redis-server's ACL user (syncscope-server has
// no ACL users of its own yet); a wrong password logs what Redis logs and
// the replica keeps retrying.
func TestInteropMasterAuth(t *testing.T) {
	for _, tc := range []struct {
		name              string
		masterRedis       bool
		masterConf, auth  string
		wrongAuth, wrongL string
	}{
		{"redis-master,requirepass", true, "requirepass s3cret\n", "masterauth s3cret\n", "masterauth nope\n",
			"Unable to AUTH to MASTER: -WRONGPASS invalid username-password pair or user is disabled."},
		{"ours-master,requirepass", false, "requirepass s3cret\n", "masterauth s3cret\n", "masterauth nope\n",
			"Unable to AUTH to MASTER: -WRONGPASS invalid username-password pair or user is disabled."},
		{"redis-master,acl-user", true, "user repl on >pw ~* &* +@all\nuser default off\n", "masteruser repl\nmasterauth pw\n", "masteruser repl\nmasterauth nope\n",
			"Unable to AUTH to MASTER: -WRONGPASS invalid username-password pair or user is disabled."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			m := startKind(t, tc.masterRedis, tc.masterConf)
			// The replica is the other kind, so each pairing crosses servers.
			syncedReplica(t, m, !tc.masterRedis, tc.auth)
			bad := startKind(t, !tc.masterRedis, replicaOf(m)+tc.wrongAuth)
			// It retries once a second (replicationCron), as Redis does.
			waitCount(t, bad, tc.wrongL, 1)
			startAt := time.Now()
			waitCount(t, bad, tc.wrongL, 2)
			assert.GreaterOrEqual(t, time.Since(startAt), 500*time.Millisecond)
			assert.Equal(t, "down", infoField(t, bad, "replication", "master_link_status"))
		})
	}
}

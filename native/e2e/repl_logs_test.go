//go:build !js

package e2e

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var (
	logPrefix = regexp.MustCompile(`^\d+:[A-Z] \d\d \w{3} \d{4} \d\d:\d\d:\d\d\.\d{3} ([*#.-]) `)
	logIDs    = regexp.MustCompile(`[0-9a-f]{40}`)
	logNums   = regexp.MustCompile(`\d+`)
)

// replLog is the replication part of a server's log, from its first
// "Connecting to MASTER" on, with the level kept and ids and numbers
// (ports, offsets, sizes, pids) masked, and lines only one server prints
// (redis-server's fork and memory notes) dropped.
func replLog(log string) []string {
	var out []string
	started := false
	for _, line := range strings.Split(log, "\n") {
		m := logPrefix.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		text := line[len(m[0]):]
		started = started || strings.HasPrefix(text, "Connecting to MASTER")
		if !started || strings.HasPrefix(text, "RDB memory usage") || strings.HasPrefix(text, "RDB age") ||
			strings.Contains(text, "Fork CoW") || strings.HasPrefix(text, "Loading RDB produced by version") {
			continue
		}
		text = logNums.ReplaceAllString(logIDs.ReplaceAllString(text, "<id>"), "N")
		out = append(out, m[1]+" "+text)
	}
	return out
}

// TestReplLogsMatchRedis: our replica logs the same lines as a redis-server
// replica through a full sync (each transfer), a link cut with partial
// resync, and a master that goes away.
func TestReplLogsMatchRedis(t *testing.T) {
	for _, diskless := range []bool{false, true} {
		t.Run(disklessName(diskless), func(t *testing.T) {
			t.Parallel()
			m := startRedis(t, "repl-diskless-sync "+yesOrNo(diskless)+"\n")
			writeAllTypes(t, m, "x")
			ours := startOurs(t, replicaOf(m))
			redis := startRedis(t, replicaOf(m))
			for _, s := range []*Server{ours, redis} {
				s.WaitLog("MASTER <-> REPLICA sync: Finished with success")
			}
			waitSameOffsets(t, m, ours, redis)
			mustDo(t, m.Client(), "CLIENT", "KILL", "TYPE", "replica")
			for _, s := range []*Server{ours, redis} {
				s.WaitLog("Successful partial resynchronization with master.")
			}
			waitSameOffsets(t, m, ours, redis)
			m.Proc.Stop()
			for _, s := range []*Server{ours, redis} {
				waitCount(t, s, "Error condition on socket for SYNC: Connection refused", 2)
			}
			cut := func(lines []string) []string {
				// Up to the second refused retry: later ones race the test.
				n := 0
				for i, l := range lines {
					if strings.Contains(l, "Connection refused") {
						if n++; n == 2 {
							return lines[:i+1]
						}
					}
				}
				return lines
			}
			want, got := cut(replLog(redis.Log())), cut(replLog(ours.Log()))
			assert.Equal(t, strings.Join(want, "\n"), strings.Join(got, "\n"), fmt.Sprintf("replica log of syncscope (actual) vs redis-server (expected), %s", disklessName(diskless)))
		})
	}
}

// masterLog is the replication part of a master's log, from the first
// replica's request on, masked as replLog does.
func masterLog(log string) []string {
	var out []string
	started := false
	for _, line := range strings.Split(log, "\n") {
		m := logPrefix.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		text := line[len(m[0]):]
		started = started || strings.Contains(text, "asks for synchronization")
		if !started || strings.Contains(text, "Fork CoW") {
			continue
		}
		text = logNums.ReplaceAllString(logIDs.ReplaceAllString(text, "<id>"), "N")
		out = append(out, m[1]+" "+text)
	}
	return out
}

// TestReplMasterLogsMatchRedis: our master logs the same lines as a
// redis-server master for the same story: a full sync (each transfer), a
// killed replica link and its partial resync, a replica that goes away.
func TestReplMasterLogsMatchRedis(t *testing.T) {
	for _, diskless := range []bool{false, true} {
		t.Run(disklessName(diskless), func(t *testing.T) {
			t.Parallel()
			var logs [2][]string
			for i, redisMaster := range []bool{true, false} {
				m := startKind(t, redisMaster, "repl-diskless-sync "+yesOrNo(diskless)+"\n")
				writeAllTypes(t, m, "x")
				r := syncedReplica(t, m, true, "")
				m.WaitLog("Synchronization with replica 127.0.0.1:" + fmt.Sprint(r.Port) + " succeeded")
				waitSameOffsets(t, m, r)
				mustDo(t, m.Client(), "CLIENT", "KILL", "TYPE", "replica")
				r.WaitLog("Successful partial resynchronization with master.")
				waitSameOffsets(t, m, r)
				r.Proc.Stop()
				waitCount(t, m, "Connection with replica 127.0.0.1:"+fmt.Sprint(r.Port)+" lost.", 2)
				m.Proc.Stop()
				logs[i] = masterLog(m.Log())
				// Up to the replica going away for good (the second "lost"):
				// the shutdown lines are another story.
				lost := 0
				for j, l := range logs[i] {
					if strings.Contains(l, "Connection with replica") {
						if lost++; lost == 2 {
							logs[i] = logs[i][:j+1]
							break
						}
					}
				}
			}
			assert.Equal(t, strings.Join(logs[0], "\n"), strings.Join(logs[1], "\n"), "master log of syncscope (actual) vs redis-server (expected)")
		})
	}
}

// TestReplPromotionLogsMatchRedis: the promoted node of a failover logs
// what redis-server logs, from REPLICAOF NO ONE to its former sibling's
// partial resync.
func TestReplPromotionLogsMatchRedis(t *testing.T) {
	t.Parallel()
	var logs [2][]string
	for i, redisPromoted := range []bool{true, false} {
		m := startOurs(t, "")
		a := startKind(t, redisPromoted, replicaOf(m))
		b := startRedis(t, replicaOf(m))
		writeAllTypes(t, m, "x")
		requireSameData(t, m, a, b)
		m.Proc.Stop()
		a.WaitLog("Connection with master lost.")
		require.Equal(t, "OK", a.Client().CLI("REPLICAOF", "NO", "ONE"))
		require.Equal(t, "OK", b.Client().CLI("REPLICAOF", "127.0.0.1", fmt.Sprint(a.Port)))
		b.WaitLog("Successful partial resynchronization with master.")
		a.WaitLog("Partial resynchronization request from")
		all := replLog(a.Log())
		for j, l := range all {
			// From the promotion on: the retries before it are timing.
			if strings.Contains(l, "Discarding previously cached master state.") {
				logs[i] = all[j:]
				break
			}
		}
		require.NotEmpty(t, logs[i], "%v", all)
	}
	assert.Equal(t, strings.Join(logs[0], "\n"), strings.Join(logs[1], "\n"), "promoted node's log of syncscope (actual) vs redis-server (expected)")
}

// TestReplNoMasterLinkLogsMatchRedis: a replica of a replica whose own
// master is gone is told -NOMASTERLINK and retries; our replica logs that
// as redis-server's does (against our middle node, and against redis's).
func TestReplNoMasterLinkLogsMatchRedis(t *testing.T) {
	for _, mk := range serverKinds {
		t.Run("middle="+mk.name, func(t *testing.T) {
			t.Parallel()
			m := startOurs(t, "")
			mid := syncedReplica(t, m, mk.redis, "")
			m.Proc.Stop()
			waitInfo(t, mid, "replication", "master_link_status", "down")
			var logs [2][]string
			for i, redis := range []bool{true, false} {
				b := startKind(t, redis, replicaOf(mid))
				waitCount(t, b, "Master is currently unable to PSYNC but should be in the future", 2)
				all := replLog(b.Log())
				n := 0
				for j, l := range all {
					if strings.Contains(l, "unable to PSYNC") {
						if n++; n == 2 {
							logs[i] = all[:j+1]
						}
					}
				}
			}
			assert.Equal(t, strings.Join(logs[0], "\n"), strings.Join(logs[1], "\n"), "sub-replica log of syncscope (actual) vs redis-server (expected)")
		})
	}
}

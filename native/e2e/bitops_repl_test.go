//go:build !js

package e2e

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// bitopsScript writes with every bit command, including the calls Redis
// does not propagate: a SETBIT that changes nothing, a BITFIELD that only
// reads, BITOP of empty sources onto a missing key.
var bitopsScript = [][]string{
	{"SETBIT", "b", "7", "1"},
	{"SETBIT", "b", "7", "1"},   // no change: nothing propagated
	{"SETBIT", "b", "100", "0"}, // grows the string: propagated
	{"SET", "n", "12"},
	{"SETBIT", "n", "0", "0"}, // no change, though the value becomes raw
	{"SETBIT", "n", "2", "1"},
	{"BITFIELD", "f", "SET", "u8", "0", "255", "GET", "u4", "0"},
	{"BITFIELD", "f", "GET", "u8", "0"},        // read only
	{"BITFIELD", "f", "SET", "u8", "0", "255"}, // same value
	{"BITFIELD", "f", "INCRBY", "i5", "#3", "100", "OVERFLOW", "SAT", "INCRBY", "u3", "0", "-100"},
	{"BITFIELD", "f", "OVERFLOW", "FAIL", "INCRBY", "u8", "0", "1"}, // fails: nothing
	{"BITOP", "AND", "dst", "b", "f", "missing"},
	{"BITOP", "NOT", "dst2", "f"},
	{"BITOP", "OR", "dst2", "missing", "missing2"}, // empty result: dst2 deleted
	{"BITOP", "OR", "dst3", "missing"},             // nothing to delete: nothing
	{"SET", "e", "v", "EX", "100"},
	{"BITOP", "XOR", "e", "b", "n"}, // the TTL goes with the old value
	{"GETBIT", "b", "7"},
	{"BITCOUNT", "b"},
	{"BITPOS", "b", "1"},
	{"BITFIELD_RO", "f", "GET", "u8", "0"},
}

// TestBitopsReplStreamMatchesRedis compares the replication stream of the
// bit commands with redis-server's, command by command.
func TestBitopsReplStreamMatchesRedis(t *testing.T) {
	t.Parallel()
	run := func(s *Server) string {
		r := newStreamReplica(t, s)
		c := s.Client()
		for _, cmd := range bitopsScript {
			c.Do(cmd...)
		}
		c.Do("SET", "__end", "1")
		return format(normalizeTimes(r.until("SET", "__end", "1")))
	}
	want, got := run(startRedis(t, "")), run(startOurs(t, ""))
	assert.Equal(t, want, got, "the replication stream of syncscope-server (actual) vs redis-server (expected)")
}

// TestBitopsRedisReplicaOfOurs: a real redis-server replicating from
// syncscope-server ends with the same bitmaps (DEBUG DIGEST), from the full
// sync's RDB and from the command stream.
func TestBitopsRedisReplicaOfOurs(t *testing.T) {
	t.Parallel()
	m := startOurs(t, "")
	c := m.Client()
	mustDo(t, c, "SETBIT", "before", "1000", "1")
	mustDo(t, c, "BITFIELD", "before2", "SET", "i64", "64", "-5")
	r := startRedis(t, replicaOf(m))
	r.WaitLog("MASTER <-> REPLICA sync: Finished with success")
	for _, cmd := range bitopsScript {
		c.Do(cmd...)
	}
	requireSameData(t, m, r)
}

//go:build !js

package e2e

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/syncscope/syncscope/core/resp"
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
	assertSameStream(t, bitopsScript)
}

// TestBitopsRedisReplicaOfOurs: a real redis-server replicating from
// syncscope-server ends with the same bitmaps (DEBUG DIGEST), from the full
// sync's RDB and from the command stream.
func TestBitopsRedisReplicaOfOurs(t *testing.T) {
	t.Parallel()
	requireReplicaMatches(t, kindPair{replicaRedis: true}, [][]string{
		{"SETBIT", "before", "1000", "1"},
		{"BITFIELD", "before2", "SET", "i64", "64", "-5"},
	}, bitopsScript)
}

// TestBitopsNotificationsMatchRedis compares the keyspace notifications of
// the bit commands (setbit, set, del, expired, new) with redis-server's.
func TestBitopsNotificationsMatchRedis(t *testing.T) {
	t.Parallel()
	assertSameNotifications(t, bitopsScript)
}

// TestBitopsProtoMaxBulkLen: bit offsets are bounded by proto-max-bulk-len
// as configured, for clients; a replica applies its master's writes past
// its own limit, as Redis does (mustObeyClient).
func TestBitopsProtoMaxBulkLen(t *testing.T) {
	t.Parallel()
	script := [][]string{
		{"CONFIG", "SET", "proto-max-bulk-len", "1048576"},
		{"SETBIT", "k", "8388608", "1"}, {"SETBIT", "k", "8388607", "1"}, {"STRLEN", "k"},
		{"GETBIT", "k", "8388608"}, {"BITFIELD", "k", "GET", "u8", "8388600", "GET", "u8", "8388608"},
		{"BITFIELD", "k", "SET", "u8", "#1048575", "1", "SET", "u8", "#1048576", "1"}, {"STRLEN", "k"},
	}
	assert.Equal(t, scriptReplies(startRedis(t, ""), script), scriptReplies(startOurs(t, ""), script))

	m := startOurs(t, "")
	limited := "proto-max-bulk-len 1mb\n" + replicaOf(m)
	ours, redis := startOurs(t, limited), startRedis(t, limited)
	waitReplicasOnline(t, m, 2)
	c := m.Client()
	mustDo(t, c, "SETBIT", "big", "16777216", "1")
	mustDo(t, c, "BITFIELD", "big2", "SET", "i16", "#1048576", "-2")
	requireSameData(t, m, ours, redis)
	assert.Equal(t, "(integer) 2097153", ours.Client().CLI("STRLEN", "big"), "the replica applied it")
	assert.Equal(t, "(integer) 1", ours.Client().CLI("BITCOUNT", "big"))
	assert.Equal(t, "(error) ERR bit offset is not an integer or out of range", ours.Client().CLI("GETBIT", "big", "16777216"),
		"its own clients are bounded by its limit")
}

// TestBitopsOursReplicaOfRedis: syncscope-server replicating from
// redis-server loads its bitmaps from the RDB (LZF-compressed runs of
// zeros) and applies the bit commands of its stream; DUMP payloads of
// bitmaps move both ways.
func TestBitopsOursReplicaOfRedis(t *testing.T) {
	t.Parallel()
	m, r := requireReplicaMatches(t, kindPair{masterRedis: true}, [][]string{
		{"SETBIT", "before", "100000", "1"},
		{"BITFIELD", "before2", "SET", "u63", "#700", "12345"},
	}, bitopsScript)
	c, rc := m.Client(), r.Client()
	for _, key := range []string{"before", "before2", "f"} {
		theirs, ours := c.Do("DUMP", key), rc.Do("DUMP", key)
		require.Equal(t, resp.FormatCLI(theirs), resp.FormatCLI(ours), "DUMP %s", key)
	}
	mustDo(t, rc, "REPLICAOF", "NO", "ONE")
	mustDo(t, rc, "RESTORE", "copy", "0", string(c.Do("DUMP", "before").Str))
	mustDo(t, c, "RESTORE", "copy2", "0", string(rc.Do("DUMP", "before2").Str))
	assert.Equal(t, resp.FormatCLI(c.Do("GET", "before")), resp.FormatCLI(rc.Do("GET", "copy")))
	assert.Equal(t, resp.FormatCLI(rc.Do("GET", "before2")), resp.FormatCLI(c.Do("GET", "copy2")))
}

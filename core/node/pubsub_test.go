package node_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestPubsubNumsubIsAnArrayInRESP3(t *testing.T) {
	w := startWorld(t, 6379, "")
	a := w.conn(6379)
	a.do("HELLO", "3")
	assert.Equal(t, "*4\r\n$1\r\na\r\n:0\r\n$1\r\nb\r\n:0\r\n", a.do("PUBSUB", "NUMSUB", "a", "b"))
	assert.Equal(t, "+    Prints this help.\r\n", lastLine(a.do("PUBSUB", "HELP")))
}

// lastLine is the last line of a reply (its last element, for a help text).
func lastLine(s string) string {
	for i := len(s) - 3; i >= 0; i-- {
		if s[i] == '\n' {
			return s[i+1:]
		}
	}
	return s
}

// TestShardPubsubDiffRedis compares sharded pub/sub (SSUBSCRIBE,
// SUNSUBSCRIBE, SPUBLISH, PUBSUB SHARDCHANNELS/SHARDNUMSUB) and its
// channel permissions with redis-server.
func TestShardPubsubDiffRedis(t *testing.T) {
	runACLDiff(t, 2, aclSteps(
		"SUNSUBSCRIBE", "1: SSUBSCRIBE a b a", "SPUBLISH a m1", "1:", "PUBLISH a m2", "SPUBLISH c m3",
		"PUBSUB SHARDCHANNELS a*", "PUBSUB SHARDNUMSUB a b c", "PUBSUB SHARDNUMSUB",
		"PUBSUB CHANNELS", "1: SUBSCRIBE a", "1: PING", "1: GET k", "1: SUNSUBSCRIBE a", "1: SUNSUBSCRIBE",
		"1: SUNSUBSCRIBE x", "1: UNSUBSCRIBE", "1: GET k", "MULTI", "SSUBSCRIBE x", "EXEC", "SPUBLISH",
		"ACL SETUSER sh on nopass +@all resetchannels &ok:*", "1: AUTH sh x", "1: SSUBSCRIBE ok:1 no",
		"1: SSUBSCRIBE ok:1", "1: SPUBLISH no m", "1: SPUBLISH ok:2 m", "1: RESET", "PUBSUB SHARDNUMSUB ok:1",
		"1: SSUBSCRIBE r3", "SPUBLISH r3 hi", "1:", "1: GET k", "1: PING",
	))
}

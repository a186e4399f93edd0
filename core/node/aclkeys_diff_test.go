package node_test

import "testing"

// TestACLKeyFlagsAsRedis checks a user's read-only, write-only and
// read-write key patterns against the keys and flags the one key walker
// (command.KeysAndFlags, also behind COMMAND GETKEYSANDFLAGS) finds, side
// by side with redis-server: variable flags (SET GET, BITFIELD), the
// getkeys_procs (SORT STORE, MIGRATE), keyword and numkeys specs, a numkeys
// the specs cannot read (the fallback's keys ask for no permission, but
// must still match a pattern), and ACL DRYRUN of commands served or not.
func TestACLKeyFlagsAsRedis(t *testing.T) {
	steps := []aclStep{
		{0, []string{"ACL", "SETUSER", "u", "on", "nopass", "+@all", "%R~r*", "%W~w*", "~rw*"}},
		{1, []string{"AUTH", "u", "x"}},
		{1, []string{"SET", "w1", "v"}},
		{1, []string{"SET", "r1", "v"}},
		{1, []string{"SET", "w1", "v", "GET"}},
		{1, []string{"SET", "rw1", "v", "GET"}},
		{1, []string{"GET", "r1"}},
		{1, []string{"GET", "w1"}},
		{1, []string{"BITFIELD", "r1", "GET", "u8", "0"}},
		{1, []string{"BITFIELD", "r1", "SET", "u8", "0", "1"}},
		{1, []string{"BITFIELD", "rw1", "INCRBY", "u8", "0", "1"}},
		{1, []string{"LMOVE", "r1", "w1", "LEFT", "RIGHT"}},
		{1, []string{"LMOVE", "rw1", "r2", "LEFT", "RIGHT"}},
		{1, []string{"SORT", "r1", "STORE", "w2"}},
		{1, []string{"SORT", "r1", "STORE", "r2"}},
		{1, []string{"SORT_RO", "w1"}},
		{1, []string{"ZUNIONSTORE", "w3", "2", "r1", "r2"}},
		{1, []string{"ZUNIONSTORE", "w3", "2", "r1", "w1"}},
		{1, []string{"ZUNIONSTORE", "w3", "1x", "r1"}},
		{1, []string{"ZUNIONSTORE", "w3", "1x", "x1"}},
		{1, []string{"XREAD", "STREAMS", "r1", "w1", "0", "0"}},
		{1, []string{"XREAD", "STREAMS", "r1", "0"}},
		{1, []string{"EVAL", "return 1", "1", "w1"}},
		{1, []string{"EVAL", "return 1", "1x", "x"}},
		{1, []string{"COPY", "r1", "w5"}},
		{0, []string{"ACL", "DRYRUN", "u", "SET", "w1", "v", "GET"}},
		{0, []string{"ACL", "DRYRUN", "u", "SET", "w1", "v"}},
		{0, []string{"ACL", "DRYRUN", "u", "MIGRATE", "h", "1", "", "0", "5", "KEYS", "rw1", "w1"}},
		{0, []string{"ACL", "DRYRUN", "u", "MIGRATE", "h", "1", "rw1", "0", "5"}},
		{0, []string{"ACL", "DRYRUN", "u", "GEORADIUS", "r1", "0", "0", "1", "km", "STORE", "w1"}},
		{0, []string{"ACL", "DRYRUN", "u", "GEORADIUS", "r1", "0", "0", "1", "km", "STORE", "r2"}},
		{0, []string{"ACL", "DRYRUN", "u", "OBJECT", "ENCODING", "w1"}},
		{0, []string{"ACL", "DRYRUN", "u", "BLMPOP", "0", "2", "rw1", "w1", "LEFT"}},
		{0, []string{"ACL", "DRYRUN", "u", "GET"}},
		{0, []string{"ACL", "DRYRUN", "u", "NOSUCH", "k"}},
	}
	runACLDiff(t, 2, steps)
}

package node_test

import (
	"strings"
	"testing"
)

// TestSwapDBServesBlockedDiffRedis runs SWAPDB with clients blocked on keys
// of the swapped databases, on redis-server and on the node side by side:
// Redis 7.0 serves a client whose key exists after the swap
// (scanDatabaseForReadyKeys), in the order the clients blocked, leaves one
// blocked when the key holds another type, and replicates the pops.
func TestSwapDBServesBlockedDiffRedis(t *testing.T) {
	st := func(c int, line string, check ...int) blockStep {
		return blockStep{c: c, args: strings.Fields(line), check: check}
	}
	steps := []blockStep{
		// A client of db 1 blocks; the list is pushed in db 0 and swapped in.
		st(0, "SELECT 1"), st(0, "BLPOP sq 0"), st(1, "RPUSH sq a"), st(1, "SWAPDB 0 1", 0),
		st(1, "SELECT 1"), st(1, "LRANGE sq 0 -1"), st(1, "SELECT 0"),
		// Two clients on one key: the first takes the only element, the
		// second stays blocked until another push.
		st(0, "BRPOP two 0"), st(2, "SELECT 1"), st(2, "BRPOP two 0"), st(1, "RPUSH two x"),
		st(1, "SWAPDB 1 0", 0, 2), st(1, "SELECT 1"), st(1, "RPUSH two y", 0, 2), st(1, "SELECT 0"),
		// A key of another type does not serve; a sorted set serves BZPOPMIN.
		st(0, "BLPOP typed 0"), st(1, "SET typed str"), st(1, "SWAPDB 0 1", 0), st(1, "DEL typed"),
		st(1, "SELECT 1"), st(1, "DEL typed"), st(1, "RPUSH typed ok", 0), st(1, "SELECT 0"),
		st(0, "BZPOPMIN zk 0"), st(1, "ZADD zk 1 m"), st(1, "SWAPDB 1 0", 0),
		// Swapping a database with itself changes nothing; inside MULTI the
		// client is served after EXEC.
		st(0, "BLPOP self 0"), st(1, "SELECT 1"), st(1, "RPUSH self z", 0), st(1, "SELECT 0"),
		st(0, "BLPOP mx 0"), st(1, "SWAPDB 1 1", 0), st(1, "MULTI"), st(1, "RPUSH mx 1 2"), st(1, "SWAPDB 0 1"),
		st(1, "EXEC", 0), st(1, "SELECT 1"), st(1, "LRANGE mx 0 -1"),
	}

	runBlockingDiff(t, steps)
}

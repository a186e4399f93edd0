//go:build !js

package e2e

import (
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/syncscope/syncscope/core/resp"
)

// What Redis's own data-type units (tests/unit/type/*, multi, pubsub,
// expire) rely on, side by side with redis-server: each step is one of the
// behaviours they found missing.
func TestDiffSuiteTypes(t *testing.T) {
	dp := startDiffPair(t, "enable-debug-command yes")
	t.Run("memory usage and debug object", func(t *testing.T) { dp.run(t, dMemorySteps()) })
	t.Run("client reply", func(t *testing.T) { dp.run(t, dClientReplySteps()) })
	t.Run("plain nodes", func(t *testing.T) { dp.run(t, dPlainNodeSteps()) })
	t.Run("client unblock", func(t *testing.T) { dp.run(t, dClientUnblockSteps()) })
	t.Run("keyspace notifications", func(t *testing.T) { dp.run(t, dNotifySteps()) })
	t.Run("maxmemory and transactions", func(t *testing.T) { dp.run(t, dMaxmemorySteps()) })
	t.Run("swapdb and watched stale keys", func(t *testing.T) { dp.run(t, dSwapdbWatchSteps()) })
	t.Run("object freq", func(t *testing.T) { dp.run(t, dObjectFreqSteps()) })
}

// debugObjectFields keeps DEBUG OBJECT's refcount, encoding and quicklist
// fields; the address, serialized length and LRU clock are the process's.
var debugObjectFields = regexp.MustCompile(`refcount:\S+ encoding:\S+|ql_nodes:\S+ ql_avg_node:\S+ ql_listpack_max:\S+ ql_compressed:\S+`)

func dDebugObject(v resp.Value) string {
	if v.Kind != resp.SimpleString {
		return drender(v)
	}
	return strings.Join(debugObjectFields.FindAllString(string(v.Str), -1), " ")
}

func dMemorySteps() []dstep {
	var steps []dstep
	setup := [][]string{
		{"SET", "s", "hello"}, {"SET", "i", "123"}, {"SET", "long", strings.Repeat("x", 100)},
		{"SADD", "si", "1", "2", "3"}, {"SADD", "ss", "a", "b", "c"}, {"HSET", "h", "a", "1", "b", "2"},
		{"ZADD", "z", "1", "a", "2.5", "b"},
	}
	for _, a := range setup {
		steps = append(steps, dcmd(a...))
	}
	// The estimate follows objectComputeSize with jemalloc's size classes,
	// so these shapes come out byte for byte as Redis's.
	for _, k := range []string{"s", "i", "long", "si", "ss", "h", "z"} {
		steps = append(steps, dcmd("MEMORY", "USAGE", k), dcmd("MEMORY", "USAGE", k, "SAMPLES", "0"))
	}
	steps = append(steps,
		dcmd("MEMORY", "USAGE", "nokey"), dcmd("MEMORY", "USAGE", "s", "SAMPLES", "x"),
		dcmd("MEMORY", "USAGE", "s", "SAMPLES", "-1"), dcmd("MEMORY", "USAGE", "s", "SAMPLES"),
		dcmd("MEMORY", "USAGE", "s", "BOGUS", "1"), dcmd("MEMORY", "USAGE"), dcmd("MEMORY", "FOO"),
		dcmd("MEMORY", "HELP"),
		dcmd("RPUSH", "l", "a", "b", "c"), dcmd("HSET", "big", "f", strings.Repeat("a", 1024)),
		dcmd("DEBUG", "OBJECT", "h").with(dDebugObject), dcmd("DEBUG", "OBJECT", "big").with(dDebugObject),
		dcmd("DEBUG", "OBJECT", "i").with(dDebugObject), dcmd("DEBUG", "OBJECT", "l").with(dDebugObject),
		dcmd("DEBUG", "OBJECT", "nokey"),
	)
	return steps
}

func dClientReplySteps() []dstep {
	return []dstep{
		// OFF: nothing comes back until ON, whose OK does.
		dcmd("CLIENT", "REPLY", "OFF").on(1).n(-1), dcmd("SET", "a", "1").on(1).n(-1), dcmd("GET", "a").on(1).n(-1),
		dcmd("CLIENT", "REPLY", "ON").on(1), dcmd("GET", "a").on(1),
		// SKIP: the next command only.
		dcmd("CLIENT", "REPLY", "SKIP").on(1).n(-1), dcmd("INCR", "a").on(1).n(-1), dcmd("GET", "a").on(1),
		dcmd("CLIENT", "REPLY", "BOGUS").on(1),
		// SKIP while OFF does nothing; pushes still go out while silenced.
		dcmd("CLIENT", "REPLY", "OFF").on(2).n(-1), dcmd("CLIENT", "REPLY", "SKIP").on(2).n(-1),
		dcmd("SUBSCRIBE", "ch", "ch2").on(2).n(2), dcmd("PUBLISH", "ch", "hi"), dread(2),
		dcmd("PSUBSCRIBE", "c*").on(2), dcmd("PUBLISH", "ch2", "yo"), dread(2), dread(2),
		dcmd("UNSUBSCRIBE", "ch").on(2), dcmd("PUNSUBSCRIBE").on(2), dcmd("UNSUBSCRIBE").on(2),
		dcmd("PING").on(2).n(-1), dcmd("CLIENT", "REPLY", "ON").on(2),
	}
}

func dPlainNodeSteps() []dstep {
	a, b := strings.Repeat("a", 500), strings.Repeat("b", 500)
	return []dstep{
		dcmd("DEBUG", "QUICKLIST-PACKED-THRESHOLD", "1b"), dcmd("LPUSH", "l", a, b, "x"), dcmd("RPUSH", "l", "9", "yy"),
		dcmd("LINSERT", "l", "AFTER", b, "c"), dcmd("LSET", "l", "0", a), dcmd("LRANGE", "l", "0", "-1"),
		dcmd("DEBUG", "OBJECT", "l").with(dDebugObject), dcmd("DUMP", "l"),
		dcmd("DEBUG", "RELOAD"), dcmd("LRANGE", "l", "0", "-1"), dcmd("DUMP", "l"),
		dcmd("DEBUG", "QUICKLIST-PACKED-THRESHOLD", "100b"), dcmd("RPUSH", "m", "x", strings.Repeat("z", 100), "y"),
		dcmd("DUMP", "m"), dcmd("DEBUG", "QUICKLIST-PACKED-THRESHOLD", "5x"), dcmd("DEBUG", "QUICKLIST-PACKED-THRESHOLD", "5gb"),
		dcmd("DEBUG", "QUICKLIST-PACKED-THRESHOLD", "0"), dcmd("RPUSH", "n", a, b), dcmd("DUMP", "n"),
	}
}

// dClientUnblockSteps unblock connection 1 from connection 2, which
// connects right after it, so its id is one more.
func dClientUnblockSteps() []dstep {
	unblock := func(how ...string) dstep {
		return dstep{custom: func(t *testing.T, c *Client) string {
			id := c.Do("CLIENT", "ID")
			return drender(c.Do(append([]string{"CLIENT", "UNBLOCK", strconv.FormatInt(id.Int-1, 10)}, how...)...))
		}}
	}
	return []dstep{
		dcmd("BLPOP", "q", "0").on(1).n(-1), unblock().on(2), dread(1), dcmd("PING").on(1),
		dcmd("BLPOP", "q", "0").on(1).n(-1), unblock("ERROR").on(2), dread(1),
		dcmd("BZPOPMIN", "z", "0").on(1).n(-1), unblock("TIMEOUT").on(2), dread(1),
		unblock("BOGUS").on(2), dcmd("CLIENT", "UNBLOCK", "x"), dcmd("CLIENT", "UNBLOCK", "999999"),
		dcmd("CLIENT", "UNBLOCK"), dcmd("RPUSH", "q", "v"), dcmd("LRANGE", "q", "0", "-1"),
	}
}

// dNotifySteps has connection 1 subscribed to every channel while commands
// of each type run: each command is followed by reading the notifications
// Redis publishes for it (events is how many), in order.
func dNotifySteps() []dstep {
	steps := []dstep{dcmd("CONFIG", "SET", "notify-keyspace-events", "KEA"), dcmd("PSUBSCRIBE", "*").on(1)}
	ev := func(events int, args ...string) {
		steps = append(steps, dcmd(args...))
		for range events {
			steps = append(steps, dread(1))
		}
	}
	// Strings and generic commands.
	ev(4, "SET", "s", "1", "EX", "100")
	ev(2, "SET", "s", "2")
	ev(2, "INCR", "s")
	ev(2, "INCRBYFLOAT", "s", "1.5")
	ev(2, "APPEND", "s", "x")
	ev(2, "SETRANGE", "r", "2", "x")
	ev(4, "MSET", "a", "1", "b", "2")
	ev(2, "GETSET", "a", "3")
	ev(2, "GETEX", "a", "PX", "100000")
	ev(2, "GETEX", "a", "PERSIST")
	ev(2, "GETDEL", "a")
	ev(2, "EXPIRE", "b", "100")
	ev(2, "PERSIST", "b")
	ev(4, "RENAME", "b", "c")
	ev(2, "COPY", "c", "d")
	ev(4, "MOVE", "d", "1")
	ev(4, "DEL", "c", "r", "nokey")
	ev(2, "EXPIRE", "s", "-1")
	// Lists.
	ev(2, "RPUSH", "l", "a", "b", "c")
	ev(2, "LPUSH", "l", "z")
	ev(2, "LSET", "l", "0", "y")
	ev(2, "LINSERT", "l", "BEFORE", "a", "q")
	ev(2, "LREM", "l", "1", "q")
	ev(2, "LTRIM", "l", "0", "2")
	ev(4, "LMOVE", "l", "l2", "LEFT", "RIGHT")
	ev(2, "RPOP", "l", "1")
	ev(4, "LPOP", "l")
	ev(4, "RPOPLPUSH", "l2", "l2")
	// Hashes, sets, sorted sets.
	ev(2, "HSET", "h", "f", "1")
	ev(2, "HINCRBY", "h", "f", "2")
	ev(2, "HINCRBYFLOAT", "h", "f", "0.5")
	ev(2, "HSETNX", "h", "g", "1")
	ev(4, "HDEL", "h", "f", "g")
	ev(2, "SADD", "s1", "a", "b", "c")
	ev(2, "SREM", "s1", "a")
	ev(4, "SMOVE", "s1", "s2", "b")
	ev(4, "SPOP", "s1")
	ev(2, "SADD", "s3", "x")
	ev(2, "SUNIONSTORE", "su", "s2", "s3")
	ev(2, "SDIFFSTORE", "su", "s2", "s3")
	ev(2, "SINTERSTORE", "su", "s2", "s3")
	ev(2, "ZADD", "z", "1", "a", "2", "b", "3", "c")
	ev(2, "ZINCRBY", "z", "1", "a")
	ev(2, "ZADD", "z", "INCR", "1", "a")
	ev(2, "ZREM", "z", "a")
	ev(2, "ZPOPMAX", "z")
	ev(2, "ZRANGESTORE", "zr", "z", "0", "-1")
	ev(2, "ZUNIONSTORE", "zu", "1", "z")
	ev(0, "ZREMRANGEBYSCORE", "zu", "0", "1")
	ev(4, "ZREMRANGEBYRANK", "zu", "0", "-1")
	ev(4, "ZPOPMIN", "z")
	// Expiry: lazily on access.
	ev(4, "SET", "e", "1", "PX", "1")
	steps = append(steps, dpause(20*time.Millisecond))
	ev(2, "GET", "e") // expired: by the cron or by this lookup
	// "new" is not among A's classes.
	steps = append(steps, dcmd("CONFIG", "SET", "notify-keyspace-events", "KEAn"))
	ev(4, "SET", "n1", "1")
	ev(6, "RENAME", "n1", "n2")
	// Classes filter: only lists, only the keyevent side.
	steps = append(steps, dcmd("CONFIG", "SET", "notify-keyspace-events", "El"))
	ev(0, "SET", "x", "1")
	ev(1, "RPUSH", "x2", "a")
	steps = append(steps, dcmd("CONFIG", "SET", "notify-keyspace-events", "En"))
	ev(1, "SET", "new", "1")
	ev(0, "SET", "new", "2")
	steps = append(steps, dcmd("CONFIG", "SET", "notify-keyspace-events", ""))
	ev(0, "SET", "y", "1")
	return append(steps, dcmd("PING"))
}

// dMaxmemorySteps: maxmemory 1 is below any server's memory, so every
// command that may grow memory is refused (noeviction) or keys are evicted;
// EXEC is judged by what it queued, and what EXEC runs is not checked again.
func dMaxmemorySteps() []dstep {
	return []dstep{
		dcmd("SET", "k", "v"), dcmd("MULTI").on(1), dcmd("SET", "a", "1").on(1),
		dcmd("CONFIG", "SET", "maxmemory", "1"),
		dcmd("LPUSH", "l", "x").on(1), dcmd("GET", "k").on(1), dcmd("EXEC").on(1), // EXECABORT: LPUSH was refused
		dcmd("MULTI").on(1), dcmd("SET", "a", "1").on(1), dcmd("DISCARD").on(1), // OOM while queueing, DISCARD fine
		dcmd("SET", "b", "1"), dcmd("GET", "k"), dcmd("PING"), dcmd("DEL", "k"), dcmd("SET", "k", "v2"),
		dcmd("CONFIG", "SET", "maxmemory", "0"),
		dcmd("MULTI").on(1), dcmd("GET", "k").on(1), dcmd("PING").on(1), dcmd("CONFIG", "SET", "maxmemory", "1"),
		dcmd("EXEC").on(1), // only reads: runs
		dcmd("CONFIG", "SET", "maxmemory", "0"), dcmd("MULTI").on(1), dcmd("GET", "k").on(1), dcmd("SET", "c", "1").on(1),
		dcmd("CONFIG", "SET", "maxmemory", "1"), dcmd("EXEC").on(1), // a write that may grow memory: EXECABORT OOM
		// Eviction: every key goes, each an "evicted" notification.
		dcmd("CONFIG", "SET", "maxmemory", "0"), dcmd("SET", "e", "1"),
		dcmd("CONFIG", "SET", "notify-keyspace-events", "Ee"), dcmd("SUBSCRIBE", "__keyevent@0__:evicted").on(2),
		dcmd("CONFIG", "SET", "maxmemory-policy", "allkeys-random"), dcmd("CONFIG", "SET", "maxmemory", "1"), dread(2),
		dcmd("DBSIZE"), dcmd("SET", "f", "1"), dcmd("DBSIZE"), // nothing left to evict: OOM
		dcmd("CONFIG", "SET", "maxmemory", "0"), dcmd("CONFIG", "SET", "maxmemory-policy", "noeviction"),
		// EXEC checked against the state when it runs.
		dcmd("MULTI").on(1), dcmd("INCR", "n").on(1), dcmd("CONFIG", "SET", "min-replicas-to-write", "2"),
		dcmd("EXEC").on(1), dcmd("CONFIG", "SET", "min-replicas-to-write", "0"), dcmd("EXISTS", "n"),
		// A command queued after REPLICAOF still runs within EXEC.
		dcmd("MULTI").on(1), dcmd("SET", "r1", "1").on(1), dcmd("REPLICAOF", "127.0.0.1", "1").on(1),
		dcmd("SET", "r2", "1").on(1), dcmd("EXEC").on(1), dcmd("SET", "r3", "1"), dcmd("REPLICAOF", "NO", "ONE"),
		dcmd("MGET", "r1", "r2", "r3"),
	}
}

// dSwapdbWatchSteps: SWAPDB dooms a WATCH only when the key logically
// changes; a missing key replaced by an expired one, or an expired one by
// another, does not (touchAllWatchedKeysInDb in Redis 7.0.15).
func dSwapdbWatchSteps() []dstep {
	return []dstep{
		dcmd("DEBUG", "SET-ACTIVE-EXPIRE", "0"),
		dcmd("SET", "x", "foo", "PX", "1"), dpause(5 * time.Millisecond),
		dcmd("SELECT", "1").on(1), dcmd("WATCH", "x").on(1), dcmd("SWAPDB", "0", "1"),
		dcmd("MULTI").on(1), dcmd("PING").on(1), dcmd("EXEC").on(1),
		dcmd("FLUSHALL"), dcmd("SELECT", "1"), dcmd("SET", "x", "foo", "PX", "1"), dcmd("SELECT", "0"),
		dcmd("SET", "x", "bar", "PX", "1"), dpause(5 * time.Millisecond),
		dcmd("WATCH", "x").on(1), dcmd("SWAPDB", "0", "1"), dcmd("MULTI").on(1), dcmd("PING").on(1), dcmd("EXEC").on(1),
		// A live key swapped in for a missing one does doom it.
		dcmd("FLUSHALL"), dcmd("SET", "x", "live"), dcmd("WATCH", "x").on(1), dcmd("SWAPDB", "0", "1"),
		dcmd("MULTI").on(1), dcmd("PING").on(1), dcmd("EXEC").on(1),
		dcmd("DEBUG", "SET-ACTIVE-EXPIRE", "1"),
	}
}

// dObjectFreqSteps: under an LFU policy a new key starts at 5, its first
// access always counts (p = 1 at the initial value), OBJECT does not count
// as an access, an overwrite keeps the counter and RESTORE ... FREQ sets it.
// Only the first access is certain (then p = 1/(1+10 per point)), so the
// steps stay where Redis is deterministic.
func dObjectFreqSteps() []dstep {
	return []dstep{
		dcmd("SET", "k", "v"), dcmd("OBJECT", "FREQ", "k"), didle("k"),
		dcmd("CONFIG", "SET", "maxmemory-policy", "allkeys-lfu"),
		// (k, from before the switch, has what Redis's LRU clock bits
		// read as a counter: not compared.)
		dcmd("SET", "n", "v"), dcmd("OBJECT", "FREQ", "n"), dcmd("OBJECT", "FREQ", "n"),
		dcmd("GET", "n"), dcmd("OBJECT", "FREQ", "n"), didle("n"), dcmd("OBJECT", "FREQ", "nokey"),
		dcmd("RPUSH", "l", "a"), dcmd("OBJECT", "FREQ", "l"), dcmd("LPUSH", "l", "b"), dcmd("OBJECT", "FREQ", "l"),
		dcmd("DEL", "r"), drestoreCopy("n", "r"), dcmd("OBJECT", "FREQ", "r"),
		drestoreWith("n", "r2", "0", "FREQ", "100"), dcmd("OBJECT", "FREQ", "r2"),
		drestoreWith("n", "r2", "0", "REPLACE"), dcmd("OBJECT", "FREQ", "r2"),
		dcmd("CONFIG", "SET", "maxmemory-policy", "noeviction"), dcmd("OBJECT", "FREQ", "n"),
	}
}

//go:build !js

package e2e

import (
	"regexp"
	"strconv"
	"strings"
	"testing"

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

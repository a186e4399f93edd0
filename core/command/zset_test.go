package command

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/syncscope/syncscope/core/store"
)

func TestSetPropagation(t *testing.T) {
	h := newHarness(t)
	h.Do("SADD", "s", "a")
	h.props = nil
	h.Do("SPOP", "s")
	require.Equal(t, []string{"SREM s a"}, propStrings(h, 0))

	// A few members out of many: one SREM each (CASE 2).
	h.Do("SADD", "s", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10")
	h.props = nil
	reply := h.Do("SPOP", "s", "3")
	require.True(t, strings.HasPrefix(reply, "*3\r\n"), reply)
	props := propStrings(h, 0)
	require.Len(t, props, 3)
	for _, p := range props {
		require.Regexp(t, `^SREM s \d+$`, p)
	}

	// Most of the set (CASE 3): the survivors are kept, the rest replicated.
	h.props = nil
	h.Do("SPOP", "s", "6")
	require.Len(t, propStrings(h, 0), 6)
	require.Equal(t, ":1\r\n", h.Do("SCARD", "s"))

	// The whole set: DEL.
	h.props = nil
	h.Do("SPOP", "s", "5")
	require.Equal(t, []string{"DEL s"}, propStrings(h, 0))
	require.Equal(t, ":0\r\n", h.Do("EXISTS", "s"))

	// Nothing changed, nothing propagated.
	h.props = nil
	h.Do("SPOP", "s", "5")
	h.Do("SADD", "x", "a")
	h.Do("SADD", "x", "a")
	h.Do("SREM", "x", "zz")
	h.Do("SINTERSTORE", "d", "nokey")
	h.Do("SMOVE", "x", "y", "zz")
	require.Equal(t, []string{"SADD x a"}, propStrings(h, 0))
}

func TestSetSPOPIsDeterministic(t *testing.T) {
	run := func() string {
		h := newHarness(t)
		h.Do("SADD", "s", "a", "b", "c", "d", "e", "f", "g", "h")
		return h.Do("SPOP", "s", "3") + h.Do("SRANDMEMBER", "s", "-5") + h.Do("SPOP", "s")
	}
	require.Equal(t, run(), run())
}

func TestZSetPropagation(t *testing.T) {
	h := newHarness(t)
	h.Do("ZADD", "z", "1", "a", "2", "b", "3", "c", "4", "d")
	h.props = nil
	h.Do("ZPOPMIN", "z")
	h.Do("ZPOPMAX", "z", "1")
	h.Do("ZADD", "z", "1", "a", "4", "d")
	h.Do("BZPOPMIN", "z", "0")
	h.Do("BZMPOP", "0", "1", "z", "MAX", "COUNT", "2")
	h.Do("ZMPOP", "2", "nokey", "z", "MIN", "COUNT", "10")
	h.Do("ZPOPMIN", "z")               // empty: nothing
	h.Do("ZADD", "z", "XX", "1", "a")  // no-op: nothing
	h.Do("ZADD", "z", "GT", "1", "zz") // added
	h.Do("ZADD", "z", "GT", "0", "zz") // not greater: nothing
	h.Do("ZADD", "z", "INCR", "+inf", "zz")
	h.Do("ZADD", "z", "INCR", "-inf", "zz") // NaN: error, nothing
	require.Equal(t, []string{
		"ZPOPMIN z", "ZPOPMAX z 1", "ZADD z 1 a 4 d",
		"ZPOPMIN z", "ZPOPMAX z 2", "ZPOPMIN z 1",
		"ZADD z GT 1 zz", "ZADD z INCR +inf zz",
	}, propStrings(h, 0))
	require.Equal(t, "-ERR resulting score is not a number (NaN)\r\n", h.Do("ZADD", "z", "INCR", "-inf", "zz"))
}

// runCtx runs one command with a hand-made context, to see Block and InMulti.
func runCtx(h *harness, inMulti bool, now int64, args ...string) *Ctx {
	argv := bytesArgs(args...)
	h.w.Reset()
	h.st.Now = now
	c := &Ctx{Args: argv, Store: h.st, DB: h.st.DBs[0], Now: now, Rand: h.st.Rand, W: &h.w, InMulti: inMulti}
	Lookup(argv[0]).Run(c)
	return c
}

func TestZSetBlocking(t *testing.T) {
	h := newHarness(t)
	const now = 1_700_000_000_000
	for _, tc := range []struct {
		args    []string
		keys    []string
		timeout int64
	}{
		{[]string{"BZPOPMIN", "a", "b", "0"}, []string{"a", "b"}, 0},
		{[]string{"BZPOPMAX", "a", "1.5"}, []string{"a"}, now + 1500},
		{[]string{"BZPOPMIN", "a", "0.0001"}, []string{"a"}, now + 1},   // ceill(0.1 ms): 1 ms, as Redis
		{[]string{"BZPOPMIN", "a", "0x10"}, []string{"a"}, now + 16000}, // strtold reads hex
		{[]string{"BZMPOP", "2", "2", "a", "b", "MIN", "COUNT", "3"}, []string{"a", "b"}, now + 2000},
	} {
		c := runCtx(h, false, now, tc.args...)
		require.Empty(t, h.w.Buf, "%v writes no reply when blocking", tc.args)
		require.NotNil(t, c.Block, "%v", tc.args)
		var keys []string
		for _, k := range c.Block.Keys {
			keys = append(keys, string(k))
		}
		require.Equal(t, tc.keys, keys)
		require.Equal(t, tc.timeout, c.Block.Timeout)
		require.Zero(t, c.Dirty)

		// Inside MULTI the command replies as if it timed out.
		c = runCtx(h, true, now, tc.args...)
		require.Nil(t, c.Block)
		require.Equal(t, "*-1\r\n", string(h.w.Buf))
	}

	// The block keys are copies: the query buffer may be reused.
	c := runCtx(h, false, now, "BZPOPMIN", "key", "0")
	c.Args[1][0] = 'X'
	require.Equal(t, "key", string(c.Block.Keys[0]))

	// With an element available it is served at once.
	h.Do("ZADD", "b", "5", "m")
	c = runCtx(h, false, now, "BZPOPMIN", "a", "b", "0")
	require.Nil(t, c.Block)
	require.Equal(t, "*3\r\n$1\r\nb\r\n$1\r\nm\r\n$1\r\n5\r\n", string(h.w.Buf))
	require.Equal(t, 1, c.Dirty)
}

func TestZSetResp3Shapes(t *testing.T) {
	h := newHarness(t)
	h.w.Proto = 3
	h.Do("ZADD", "z", "1", "a", "2.5", "b")
	h.Do("SADD", "s", "1", "2")
	for _, tc := range [][2]string{
		{"ZRANGE z 0 -1 WITHSCORES", "*2\r\n*2\r\n$1\r\na\r\n,1\r\n*2\r\n$1\r\nb\r\n,2.5\r\n"},
		{"ZRANGE z 0 -1", "*2\r\n$1\r\na\r\n$1\r\nb\r\n"},
		{"ZSCORE z b", ",2.5\r\n"},
		{"ZSCORE z nope", "_\r\n"},
		{"ZUNION 1 z WITHSCORES", "*2\r\n*2\r\n$1\r\na\r\n,1\r\n*2\r\n$1\r\nb\r\n,2.5\r\n"},
		{"ZRANDMEMBER z 5 WITHSCORES", "*2\r\n*2\r\n$1\r\nb\r\n,2.5\r\n*2\r\n$1\r\na\r\n,1\r\n"},
		{"SMEMBERS s", "~2\r\n$1\r\n1\r\n$1\r\n2\r\n"},
		{"SPOP nokey 2", "~0\r\n"},
		{"ZPOPMIN nokey", "*0\r\n"},
		{"ZMPOP 1 nokey MIN", "_\r\n"},
		{"ZPOPMIN z 1", "*1\r\n*2\r\n$1\r\na\r\n,1\r\n"},
		{"ZPOPMAX z", "*2\r\n$1\r\nb\r\n,2.5\r\n"},
	} {
		require.Equal(t, tc[1], h.Do(strings.Fields(tc[0])...), tc[0])
	}
	h.Do("ZADD", "z", "1", "a", "2", "b")
	require.Equal(t, "*2\r\n$1\r\nz\r\n*1\r\n*2\r\n$1\r\nb\r\n,2\r\n", h.Do("ZMPOP", "1", "z", "MAX"))
	require.Equal(t, "*3\r\n$1\r\nz\r\n$1\r\na\r\n,1\r\n", h.Do("BZPOPMIN", "z", "0"))
}

// TestSetZSetCopyOnWrite checks that every write path copies a value shared
// with a snapshot instead of changing it in place.
func TestSetZSetCopyOnWrite(t *testing.T) {
	h := newHarness(t)
	h.Do("SADD", "s", "1", "2", "3", "x")
	h.Do("ZADD", "z", "1", "a", "2", "b", "3", "c", "4", "d")
	db := h.st.DBs[0]
	oldS := db.Peek([]byte("s")).(*store.Set)
	oldZ := db.Peek([]byte("z")).(*store.ZSet)
	sn := h.st.Snapshot()
	defer sn.Release()
	for _, cmd := range []string{
		"SADD s 9", "SREM s 1", "SPOP s", "SPOP s 1", "SMOVE s s2 x", "SMOVE s2 s x",
		"ZADD z 9 a", "ZINCRBY z 1 b", "ZREM z c", "ZPOPMIN z", "ZPOPMAX z 1",
		"ZADD z 1 p 2 q 3 r", "ZREMRANGEBYRANK z 0 0", "ZREMRANGEBYSCORE z 2 2", "ZREMRANGEBYLEX z - +",
	} {
		h.Do(strings.Fields(cmd)...)
	}
	var members []string
	oldS.Each(func(m string) bool { members = append(members, m); return true })
	require.ElementsMatch(t, []string{"1", "2", "3", "x"}, members)
	var pairs []string
	oldZ.Each(func(m string, s float64) bool { pairs = append(pairs, m); return true })
	require.Equal(t, []string{"a", "b", "c", "d"}, pairs)
	require.Equal(t, 4, oldZ.Len())
}

func TestZSetEncodingsThroughCommands(t *testing.T) {
	h := newHarness(t)
	h.st.Limits.ZSetMaxListpackEntries = 2
	h.st.Limits.SetMaxIntsetEntries = 2
	enc := func(key string) string {
		return h.st.DBs[0].Peek([]byte(key)).Encoding()
	}
	h.Do("ZADD", "z", "1", "a", "2", "b")
	require.Equal(t, "listpack", enc("z"))
	h.Do("ZADD", "z", "3", "c")
	require.Equal(t, "skiplist", enc("z"))
	h.Do("ZREM", "z", "c")
	require.Equal(t, "skiplist", enc("z"))
	// A store builds a new value: it gets the small encoding back.
	h.Do("ZUNIONSTORE", "u", "1", "z")
	require.Equal(t, "listpack", enc("u"))
	h.Do("ZRANGESTORE", "r", "z", "0", "0")
	require.Equal(t, "listpack", enc("r"))

	h.Do("SADD", "s", "1", "2")
	require.Equal(t, "intset", enc("s"))
	h.Do("SADD", "s", "3")
	require.Equal(t, "hashtable", enc("s"))
	h.Do("SUNIONSTORE", "su", "s")
	require.Equal(t, "hashtable", enc("su"))
	h.Do("SREM", "s", "3")
	h.Do("SINTERSTORE", "si", "s")
	require.Equal(t, "intset", enc("si"))
	require.Equal(t, "hashtable", enc("s"))
}

func TestZSetScanSkiplistVisitsAll(t *testing.T) {
	h := newHarness(t)
	args := []string{"ZADD", "z"}
	for i := range 300 {
		args = append(args, "1.5", "m"+string(rune('a'+i%26))+strings.Repeat("x", i/26))
	}
	h.Do(args...)
	seen := map[string]bool{}
	cursor := "0"
	for {
		v := h.Do("ZSCAN", "z", cursor, "COUNT", "7")
		lines := strings.Split(v, "\r\n")
		cursor = lines[2]
		n := 0
		for i := 4; i+3 < len(lines); i += 4 {
			seen[lines[i+1]] = true
			require.Equal(t, "1.5", lines[i+3])
			n++
		}
		require.LessOrEqual(t, n, 7)
		if cursor == "0" {
			break
		}
	}
	require.Len(t, seen, 300)
}

func TestZSetHumanScore(t *testing.T) {
	for in, want := range map[float64]string{
		1.5: "1.5", 0.1: "0.10000000000000001", 1e20: "100000000000000000000", 1e-20: "0", -2: "-2",
	} {
		require.Equal(t, want, zsetHumanScore(in))
	}
}

package command

import (
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/syncscope/syncscope/core/resp"
	"github.com/syncscope/syncscope/core/store"
)

// runArgs runs commands given as argument lists.
func runArgs(h *harness, cmds ...[]string) {
	for _, c := range cmds {
		h.Do(c...)
	}
}

// TestKeyPropagation checks the rewrites Redis 7.0.15 applies, as seen on a
// real replica link (SYNC) for the same commands.
func TestKeyPropagation(t *testing.T) {
	payload := string(store.DumpValue(store.NewString([]byte("7")), dumpOptions(store.DefaultLimits())))
	for _, c := range []struct {
		name string
		cmds [][]string
		want [][]string
	}{
		{"EXPIRE becomes PEXPIREAT with its options",
			[][]string{{"SET", "a", "1"}, {"EXPIRE", "a", "100", "NX"}, {"EXPIRE", "a", "200", "gt"}, {"PEXPIREAT", "a", "4102444800000"}, {"EXPIREAT", "a", "4102444800", "XX"}, {"PEXPIRE", "a", "5"}},
			[][]string{{"SET", "a", "1"}, {"PEXPIREAT", "a", "1700000100000", "NX"}, {"PEXPIREAT", "a", "1700000200000", "gt"}, {"PEXPIREAT", "a", "4102444800000"}, {"PEXPIREAT", "a", "4102444800000", "XX"}, {"PEXPIREAT", "a", "1700000000005"}}},
		{"an expiry in the past deletes", [][]string{{"SET", "a", "1"}, {"EXPIRE", "a", "-1"}, {"EXPIRE", "a", "-1"}},
			[][]string{{"SET", "a", "1"}, {"DEL", "a"}}},
		{"failed conditions propagate nothing", [][]string{{"SET", "a", "1"}, {"EXPIRE", "a", "100", "XX"}, {"PERSIST", "a"}, {"EXPIRE", "b", "1"}},
			[][]string{{"SET", "a", "1"}}},
		{"PERSIST DEL RENAME MOVE COPY SWAPDB as they are",
			[][]string{{"SET", "a", "1", "PXAT", "4102444800000"}, {"PERSIST", "a"}, {"RENAME", "a", "b"}, {"MOVE", "b", "1"}, {"SET", "c", "1"}, {"COPY", "c", "d", "DB", "2"}, {"DEL", "c", "nokey"}, {"DEL", "nokey"}, {"SWAPDB", "0", "1"}},
			[][]string{{"SET", "a", "1", "PXAT", "4102444800000"}, {"PERSIST", "a"}, {"RENAME", "a", "b"}, {"MOVE", "b", "1"}, {"SET", "c", "1"}, {"COPY", "c", "d", "DB", "2"}, {"DEL", "c", "nokey"}, {"SWAPDB", "0", "1"}}},
		{"RESTORE gets an absolute TTL",
			[][]string{{"RESTORE", "r", "100000", payload}, {"RESTORE", "r", "1", payload, "ABSTTL", "REPLACE"}, {"RESTORE", "r", "0", payload}, {"RESTORE", "r2", "1", payload, "ABSTTL"}},
			[][]string{{"RESTORE", "r", "1700000100000", payload, "ABSTTL"}, {"DEL", "r"}, {"RESTORE", "r", "0", payload}}},
		{"FLUSHDB and FLUSHALL propagate even when empty", [][]string{{"FLUSHDB"}, {"FLUSHALL", "ASYNC"}},
			[][]string{{"FLUSHDB"}, {"FLUSHALL", "ASYNC"}}},
	} {
		t.Run(c.name, func(t *testing.T) {
			h := newHarness(t)
			h.now = testNow
			runArgs(h, c.cmds...)
			var got [][]string
			for _, argv := range h.props {
				var line []string
				for _, a := range argv {
					line = append(line, string(a))
				}
				got = append(got, line)
			}
			assert.Equal(t, c.want, got)
		})
	}
}

// TestExpireOnReplica checks that a replica, which must not delete keys on
// its own, keeps a key whose new deadline has passed (checkAlreadyExpired).
func TestExpireOnReplica(t *testing.T) {
	h := newHarness(t)
	h.now = testNow
	h.st.Mode = store.ExpireIgnore
	h.Do("SET", "a", "1")
	require.Equal(t, ":1\r\n", h.Do("PEXPIREAT", "a", "5"))
	assert.Equal(t, ":1\r\n", h.Do("EXISTS", "a"))
	assert.Equal(t, []byte("PEXPIREAT"), h.props[len(h.props)-1][0])
}

func TestKeysSkipsExpiredWithoutDeleting(t *testing.T) {
	h := newHarness(t)
	h.now = testNow
	h.st.Mode = store.ExpireHide
	h.Do("SET", "a", "1", "PX", "10")
	h.Do("SET", "b", "1")
	h.now = testNow + 11
	assert.Equal(t, "*1\r\n$1\r\nb\r\n", h.Do("KEYS", "*"))
	assert.Equal(t, ":2\r\n", h.Do("DBSIZE"))
}

// TestScanVisitsEveryKey walks the keyspace with SCAN while it changes and
// checks that keys present throughout are all returned.
func TestScanVisitsEveryKey(t *testing.T) {
	h := newHarness(t)
	h.now = testNow
	for i := 0; i < 500; i++ {
		h.Do("SET", "k"+strconv.Itoa(i), "v")
	}
	h.Do("SADD", "set1", "x")
	seen := map[string]bool{}
	cursor := "0"
	for step := 0; ; step++ {
		v, _, err := resp.ReadValue([]byte(h.Do("SCAN", cursor, "COUNT", "7", "MATCH", "k*")))
		require.NoError(t, err)
		require.Len(t, v.Elems, 2)
		cursor = string(v.Elems[0].Str)
		for _, e := range v.Elems[1].Elems {
			seen[string(e.Str)] = true
		}
		if step%3 == 0 { // churn: delete and add keys not in the check
			h.Do("SET", "new"+strconv.Itoa(step), "v")
			h.Do("DEL", "new"+strconv.Itoa(step-3))
		}
		if cursor == "0" {
			break
		}
		require.Less(t, step, 1000)
	}
	for i := 0; i < 500; i++ {
		require.True(t, seen["k"+strconv.Itoa(i)], "k%d missed", i)
	}
	assert.False(t, seen["set1"])

	v, _, err := resp.ReadValue([]byte(h.Do("SCAN", "0", "COUNT", "1000", "TYPE", "set")))
	require.NoError(t, err)
	var keys []string
	for _, e := range v.Elems[1].Elems {
		keys = append(keys, string(e.Str))
	}
	sort.Strings(keys)
	assert.Equal(t, []string{"set1"}, keys)
}

// TestMovedValuesStayProtected checks that RENAME and MOVE keep a value
// shared with a live snapshot protected by copy on write, and that COPY
// makes an independent value.
func TestMovedValuesStayProtected(t *testing.T) {
	h := newHarness(t)
	h.Do("SET", "a", "10")
	h.Do("SET", "b", "x")
	h.Do("SADD", "s", "1", "2")
	orig := h.st.DBs[0].Peek([]byte("a")).(*store.String)
	origB := h.st.DBs[0].Peek([]byte("b")).(*store.String)
	sn := h.st.Snapshot()
	defer sn.Release()
	h.Do("RENAME", "a", "a2")
	h.Do("INCR", "a2")
	h.Do("MOVE", "b", "1")
	h.db = 1
	h.Do("APPEND", "b", "y")
	h.db = 0
	assert.Equal(t, "10", string(orig.B))
	assert.Equal(t, "x", string(origB.B))

	h.Do("COPY", "s", "s2")
	h.Do("SREM", "s", "1")
	assert.Equal(t, ":2\r\n", h.Do("SCARD", "s2"))
}

func TestObjectRefcountAndIdle(t *testing.T) {
	h := newHarness(t)
	h.requireReplies(
		[2]string{"SET a 9999", "+OK\r\n"},
		[2]string{"OBJECT REFCOUNT a", ":2147483647\r\n"},
		[2]string{"SET a -1", "+OK\r\n"},
		[2]string{"OBJECT REFCOUNT a", ":1\r\n"},
		[2]string{"OBJECT IDLETIME a", ":0\r\n"},
	)
}

func TestSwapDB(t *testing.T) {
	h := newHarness(t)
	h.Do("SET", "a", "1")
	require.Equal(t, "+OK\r\n", h.Do("SWAPDB", "0", "3"))
	assert.Equal(t, ":0\r\n", h.Do("DBSIZE"))
	h.db = 3
	assert.Equal(t, "$1\r\n1\r\n", h.Do("GET", "a"))
}

// TestIdleTime checks which commands count as an access to a key for OBJECT
// IDLETIME: in Redis 7.0.15 TTL, TYPE, EXISTS and OBJECT look keys up with
// LOOKUP_NOTOUCH (as SCAN's TYPE filter does), while reads and writes,
// TOUCH included, set the key's LRU clock to now. Checked against
// redis-server 7.0.15 with the same commands three seconds apart.
func TestIdleTime(t *testing.T) {
	for _, c := range []struct {
		cmd  []string
		idle string
	}{
		{[]string{"TTL", "k"}, ":3\r\n"},
		{[]string{"PTTL", "k"}, ":3\r\n"},
		{[]string{"EXPIRETIME", "k"}, ":3\r\n"},
		{[]string{"PEXPIRETIME", "k"}, ":3\r\n"},
		{[]string{"TYPE", "k"}, ":3\r\n"},
		{[]string{"EXISTS", "k", "k"}, ":3\r\n"},
		{[]string{"OBJECT", "ENCODING", "k"}, ":3\r\n"},
		{[]string{"SCAN", "0", "TYPE", "string"}, ":3\r\n"},
		{[]string{"GET", "k"}, ":0\r\n"},
		{[]string{"TOUCH", "k"}, ":0\r\n"},
		{[]string{"STRLEN", "k"}, ":0\r\n"},
		{[]string{"APPEND", "k", "x"}, ":0\r\n"},
		{[]string{"EXPIRE", "k", "100"}, ":0\r\n"},
		{[]string{"PERSIST", "k"}, ":0\r\n"},
		{[]string{"SET", "k", "w", "NX"}, ":0\r\n"},
		{[]string{"SET", "k", "new"}, ":0\r\n"},
	} {
		t.Run(strings.Join(c.cmd, " "), func(t *testing.T) {
			h := newHarness(t)
			h.now = testNow
			h.Do("SET", "k", "v")
			h.now += 3000
			h.Do(c.cmd...)
			assert.Equal(t, c.idle, h.Do("OBJECT", "IDLETIME", "k"))
		})
	}
}

// TestIdleTimeMoves checks that RENAME and MOVE carry the value with the
// access their lookup of the source made, and that RESTORE ... IDLETIME
// back-dates it (under LRU; IDLETIME is ignored under an LFU policy).
func TestIdleTimeMoves(t *testing.T) {
	h := newHarness(t)
	h.now = testNow
	// Not a small integer: Redis would restore that as its shared object,
	// whose one clock every key holding it shares.
	payload := string(store.DumpValue(store.NewString([]byte("hello")), dumpOptions(store.DefaultLimits())))
	for _, step := range []struct {
		advance int64 // ms to move the clock on first
		db      int
		cmd     []string
		want    string
	}{
		{0, 0, []string{"RESTORE", "r", "0", payload, "IDLETIME", "1000"}, "+OK\r\n"},
		{0, 0, []string{"OBJECT", "IDLETIME", "r"}, ":1000\r\n"},
		{0, 0, []string{"TYPE", "r"}, "+string\r\n"},
		{0, 0, []string{"OBJECT", "IDLETIME", "r"}, ":1000\r\n"},
		{0, 0, []string{"RENAME", "r", "r2"}, "+OK\r\n"},
		{0, 0, []string{"OBJECT", "IDLETIME", "r2"}, ":0\r\n"},
		{5000, 0, []string{"OBJECT", "IDLETIME", "r2"}, ":5\r\n"},
		{0, 0, []string{"MOVE", "r2", "1"}, ":1\r\n"},
		{0, 1, []string{"OBJECT", "IDLETIME", "r2"}, ":0\r\n"},
		// An idle time past the 24-bit clock wraps as Redis's does
		// (redis-server gave the same for its clock).
		{0, 1, []string{"RESTORE", "big", "0", payload, "IDLETIME", "100000000"}, "+OK\r\n"},
		{1000, 1, []string{"OBJECT", "IDLETIME", "big"}, ":16113921\r\n"},
	} {
		h.now += step.advance
		h.db = step.db
		require.Equal(t, step.want, h.Do(step.cmd...), "%q", step.cmd)
	}
}

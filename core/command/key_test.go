package command

import (
	"sort"
	"strconv"
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

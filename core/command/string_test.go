package command

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/syncscope/syncscope/core/store"
)

const testNow = 1_700_000_000_000 // unix ms

// TestStringPropagation checks the rewrites Redis 7.0.15 applies, as seen
// on a real replica link (SYNC) for the same commands.
func TestStringPropagation(t *testing.T) {
	runPropCases(t, []propCase{
		{"SET EX becomes PXAT", []string{"SET k v EX 100"}, []string{"SET k v PXAT 1700000100000"}},
		{"SET PX NX GET", []string{"SET k v PX 5000 NX GET"}, []string{"SET k v PXAT 1700000005000"}},
		{"SET PXAT GET keeps PXAT", []string{"SET k v PXAT 4102444800000 GET"}, []string{"SET k v PXAT 4102444800000"}},
		{"SET EXAT", []string{"SET k v EXAT 4102444800"}, []string{"SET k v PXAT 4102444800000"}},
		{"SET GET drops GET", []string{"SET k v GET GET KEEPTTL"}, []string{"SET k v KEEPTTL"}},
		{"SET plain as is", []string{"SET k v XX", "SET k v NX"}, []string{"SET k v NX"}},
		{"aborted SET propagates nothing", []string{"SET k v", "SET k w NX GET"}, []string{"SET k v"}},
		{"SETEX", []string{"SETEX k 100 v"}, []string{"SET k v PXAT 1700000100000"}},
		{"PSETEX", []string{"PSETEX k 100 v"}, []string{"SET k v PXAT 1700000000100"}},
		{"SETNX", []string{"SETNX k v", "SETNX k v"}, []string{"SETNX k v"}},
		{"GETSET becomes SET", []string{"GETSET k w"}, []string{"SET k w"}},
		{"GETDEL becomes DEL", []string{"SET k v", "GETDEL k", "GETDEL k"}, []string{"SET k v", "DEL k"}},
		{"GETEX", []string{"SET k v", "GETEX k", "GETEX k EX 100", "GETEX k PXAT 4102444800000", "GETEX k PERSIST", "GETEX k PERSIST", "GETEX k EXAT 1"},
			[]string{"SET k v", "PEXPIREAT k 1700000100000", "PEXPIREAT k 4102444800000", "PERSIST k", "DEL k"}},
		{"INCRBYFLOAT becomes SET KEEPTTL", []string{"INCRBYFLOAT f 1.5", "INCRBYFLOAT f 0.1"}, []string{"SET f 1.5 KEEPTTL", "SET f 1.6 KEEPTTL"}},
		{"MSETNX", []string{"MSETNX a 1 b 2", "MSETNX a 1"}, []string{"MSETNX a 1 b 2"}},
		{"INCR APPEND SETRANGE as is", []string{"INCR n", "APPEND s x", "SETRANGE s 2 y", "SETRANGE s 2 ''"},
			[]string{"INCR n", "APPEND s x", "SETRANGE s 2 y"}},
		{"errors propagate nothing", []string{"SET k v EX 0", "INCRBYFLOAT k x", "GETEX k EX -1"}, nil},
	})
}

// Found by core/sim: INCRBYFLOAT propagated the very bytes it stored, so an
// INCR later in the same MULTI, which rewrites the value in place, changed
// what the replicas were sent (they ended one ahead of their master). What
// a command propagates must not alias the keyspace.
func TestIncrbyfloatPropagationDoesNotAliasTheValue(t *testing.T) {
	h := newHarness(t)
	h.now = 1000
	h.Do("SET", "n", "1.5")
	h.Do("INCRBYFLOAT", "n", "1.5")
	h.Do("INCR", "n")
	assert.Equal(t, []string{"SET n 1.5", "SET n 3 KEEPTTL", "INCR n"}, propStrings(h, 0))
	assert.Equal(t, "$1\r\n4\r\n", h.Do("GET", "n"))
}

func TestStringExpiryAndEncoding(t *testing.T) {
	h := newHarness(t)
	h.now = testNow
	h.requireReplies(
		[2]string{"SET k v PX 100", "+OK\r\n"},
		[2]string{"PTTL k", ":100\r\n"},
	)
	h.now = testNow + 100
	h.requireReplies([2]string{"GET k", "$1\r\nv\r\n"}) // expired only after the deadline
	h.now = testNow + 101
	h.requireReplies(
		[2]string{"GET k", "$-1\r\n"},
		[2]string{"SET n 10", "+OK\r\n"},
		[2]string{"OBJECT ENCODING n", "$3\r\nint\r\n"},
		[2]string{"APPEND n 1", ":3\r\n"},
		[2]string{"OBJECT ENCODING n", "$3\r\nraw\r\n"},
		[2]string{"INCR n", ":102\r\n"},
		[2]string{"OBJECT ENCODING n", "$3\r\nint\r\n"},
		[2]string{"INCRBYFLOAT n 1", "$3\r\n103\r\n"},
		[2]string{"OBJECT ENCODING n", "$6\r\nembstr\r\n"},
	)
}

// TestIncrCopiesSharedValue checks INCR and APPEND, which change a string
// in place, leave a value shared with a live snapshot untouched.
func TestIncrCopiesSharedValue(t *testing.T) {
	h := newHarness(t)
	h.Do("SET", "n", "10")
	h.Do("SET", "s", "ab")
	before := h.st.DBs[0].Peek([]byte("n")).(*store.String)
	beforeS := h.st.DBs[0].Peek([]byte("s")).(*store.String)
	sn := h.st.Snapshot()
	defer sn.Release()
	h.Do("INCR", "n")
	h.Do("APPEND", "s", "cd")
	h.Do("SETRANGE", "s", "0", "X")
	assert.Equal(t, "10", string(before.B))
	assert.Equal(t, "ab", string(beforeS.B))
	assert.Equal(t, "$4\r\nXbcd\r\n", h.Do("GET", "s"))
}

func TestLongDouble(t *testing.T) {
	for _, c := range []struct{ a, b, want string }{
		{"", "0.1", "0.1"}, {"0.1", "0.2", "0.3"}, {"1.1", "2.2", "3.3"}, {"10.5", "-10.5", "0"},
		{"", "-0.0", "0"}, {"", "1e17", "100000000000000000"}, {"", "0.00000000000000001", "0.00000000000000001"},
		{"", "-0.000000000000000001", "0"}, {"3", "0x10", "19"},
	} {
		got, ok := addLongDouble([]byte(c.a), c.a != "", []byte(c.b))
		require.True(t, ok, "%s + %s", c.a, c.b)
		assert.Equal(t, c.want, string(got), "%s + %s", c.a, c.b)
	}
	for _, bad := range []string{"", " 1", "1 ", "abc", "nan", "1_0", "1e5000", "1e-5000", "0b1", "--1"} {
		_, ok := addLongDouble(nil, false, []byte(bad))
		assert.False(t, ok, "%q", bad)
	}
	// An existing empty value is not a float; a missing one counts as 0.
	_, ok := addLongDouble(nil, true, []byte("1"))
	assert.False(t, ok)
	sum, ok := addLongDouble([]byte("inf"), true, []byte("1"))
	assert.True(t, ok)
	assert.Nil(t, sum)
}

package command

import (
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"
)

// XADD and XTRIM propagate what they did: the generated ID, and an
// approximate trim as the exact one it came to (streamRewriteTrimArgument),
// so that a replica ends with the same entries.
func TestStreamPropagation(t *testing.T) {
	h := newHarness(t)
	h.now = 5000
	for _, tc := range []struct{ cmd, prop string }{
		{"XADD s * a 1", "XADD s 5000-0 a 1"},
		{"XADD s 5000-* a 2", "XADD s 5000-1 a 2"},
		{"XADD s 6000-3 a 3", "XADD s 6000-3 a 3"},
		{"XADD s MAXLEN ~ 1 * a 4", "XADD s MAXLEN = 4 6000-4 a 4"},
		{"XADD s MINID ~ 0 LIMIT 5 7000 a 5", "XADD s MINID = 5000-0 LIMIT 5 7000 a 5"},
		{"XTRIM s MAXLEN 2", "XTRIM s MAXLEN 2"},
	} {
		before := len(h.props)
		h.Do(splitArgs(tc.cmd)...)
		require.Equal(t, []string{tc.prop}, propStrings(h, before), tc.cmd)
	}
	// Nothing trimmed, nothing propagated; a NOMKSTREAM miss neither.
	before := len(h.props)
	require.Equal(t, ":0\r\n", h.Do("XTRIM", "s", "MINID", "~", "0"))
	require.Equal(t, "$-1\r\n", h.Do("XADD", "none", "NOMKSTREAM", "*", "a", "b"))
	require.Len(t, h.props, before)
}

// A replica applies the master's exact trim even with LIMIT, which a
// client may only give with "~".
func TestStreamLimitFromMaster(t *testing.T) {
	h := newHarness(t)
	for i := 1; i <= 10; i++ {
		h.Do("XADD", "s", strconv.Itoa(i), "f", "v")
	}
	require.Contains(t, h.Do("XTRIM", "s", "MAXLEN", "=", "3", "LIMIT", "5"), "LIMIT cannot be used without the special ~ option")
	argv := [][]byte{[]byte("XTRIM"), []byte("s"), []byte("MAXLEN"), []byte("="), []byte("3"), []byte("LIMIT"), []byte("5")}
	h.w.Reset()
	c := &Ctx{Args: argv, Store: h.st, DB: h.st.DBs[0], Now: 1, W: &h.w, Master: true}
	Lookup(argv[0]).Run(c)
	require.Equal(t, ":7\r\n", string(h.w.Buf))
}

// XREADGROUP propagates each delivery as an idempotent XCLAIM, and with
// NOACK the consumer's creation and the group's new last ID; XPENDING
// reports idle times against the command's clock.
func TestStreamGroupPropagation(t *testing.T) {
	h := newGroupHarness(t, 10000)
	before := len(h.props)
	h.Do("XREADGROUP", "GROUP", "g", "alice", "COUNT", "1", "STREAMS", "s", ">")
	require.Equal(t, []string{
		"XCLAIM s g alice 0 1-1 TIME 10000 RETRYCOUNT 1 FORCE JUSTID LASTID 1-1",
	}, propStrings(h, before))
	before = len(h.props)
	h.Do("XREADGROUP", "GROUP", "g", "bob", "NOACK", "STREAMS", "s", ">")
	require.Equal(t, []string{
		"XGROUP CREATECONSUMER s g bob",
		"XGROUP SETID s g 2-1 ENTRIESREAD 2",
	}, propStrings(h, before))
	before = len(h.props)
	h.Do("XREADGROUP", "GROUP", "g", "alice", "STREAMS", "s", "0")
	require.Empty(t, propStrings(h, before), "reading history propagates nothing")
	h.now = 10250
	require.Equal(t, "*1\r\n*4\r\n$3\r\n1-1\r\n$5\r\nalice\r\n:250\r\n:2\r\n", h.Do("XPENDING", "s", "g", "-", "+", "10"))
	require.Equal(t, "*0\r\n", h.Do("XPENDING", "s", "g", "IDLE", "300", "-", "+", "10"))
	before = len(h.props)
	h.Do("XCLAIM", "s", "g", "carol", "100", "1-1")
	require.Equal(t, []string{
		"XCLAIM s g carol 0 1-1 TIME 10250 RETRYCOUNT 3 FORCE JUSTID LASTID 2-1",
	}, propStrings(h, before))
}

// newGroupHarness is a harness at time now (unix ms) holding stream s, with
// entries 1-1 and 2-1, and group g on it that has read nothing.
func newGroupHarness(t *testing.T, now int64) *harness {
	h := newHarness(t)
	h.now = now
	h.Do("XADD", "s", "1-1", "f", "v")
	h.Do("XADD", "s", "2-1", "f", "v")
	h.Do("XGROUP", "CREATE", "s", "g", "0")
	return h
}

// Group commands change a stream they looked up for reading: under a live
// snapshot (BGSAVE, a full sync) they must change a copy, never the value
// the snapshot is writing.
func TestStreamGroupCommandsCopyOnWrite(t *testing.T) {
	h := newGroupHarness(t, 1)
	h.Do("XREADGROUP", "GROUP", "g", "a", "COUNT", "1", "STREAMS", "s", ">")
	before := h.Do("XINFO", "STREAM", "s", "FULL")
	shared := h.st.DBs[0].Peek([]byte("s"))
	sn := h.st.Snapshot()
	defer sn.Release()
	for _, cmd := range []string{"XREADGROUP GROUP g b STREAMS s >", "XACK s g 1-1", "XCLAIM s g c 0 2-1",
		"XAUTOCLAIM s g d 0 0", "XREADGROUP GROUP g d STREAMS s 0"} {
		h.Do(splitArgs(cmd)...)
	}
	require.NotEqual(t, before, h.Do("XINFO", "STREAM", "s", "FULL"))
	h.st.DBs[0].Set([]byte("orig"), shared)
	require.Equal(t, before, h.Do("XINFO", "STREAM", "orig", "FULL"), "the snapshot's stream changed")
}

package command

import (
	"bytes"
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"
)

func joinArgs(argv [][]byte) string { return string(bytes.Join(argv, []byte(" "))) }

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
		require.Len(t, h.props, before+1, tc.cmd)
		require.Equal(t, tc.prop, joinArgs(h.props[before]), tc.cmd)
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

package node_test

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/syncscope/syncscope/core/resp"
	"github.com/syncscope/syncscope/native/redistest"
)

// startRedis starts redis-server for a differential test (native/redistest:
// a skip without one, a failure when CI is set), stopped when the test ends.
// Its clients are redistest.Raw: the bytes it sends, to compare with a
// node's in the world.
func startRedis(t *testing.T) *redistest.Server {
	return redistest.Start(t, redistest.Options{})
}

// countReplies is how many whole replies out holds.
func countReplies(t *testing.T, out string) int {
	n, whole := resp.Replies([]byte(out))
	require.True(t, whole, "an incomplete or malformed reply after %d whole ones: %q", n, out)
	return n
}

// streamLines renders replicated commands, one space-joined line each,
// leaving out PING and SELECT.
func streamLines(t *testing.T, buf []byte) []string {
	var out []string
	for len(buf) > 0 {
		if buf[0] == '\n' {
			buf = buf[1:]
			continue
		}
		v, n, err := resp.ReadValue(buf)
		require.NoError(t, err)
		require.NotZero(t, n, "partial command in the stream")
		buf = buf[n:]
		var parts [][]byte
		for _, e := range v.Elems {
			parts = append(parts, e.Str)
		}
		if !bytes.EqualFold(parts[0], []byte("ping")) && !bytes.EqualFold(parts[0], []byte("select")) {
			out = append(out, string(bytes.Join(parts, []byte(" "))))
		}
	}
	return out
}

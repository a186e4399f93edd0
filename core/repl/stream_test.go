package repl

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func args(s ...string) [][]byte {
	out := make([][]byte, len(s))
	for i, a := range s {
		out[i] = []byte(a)
	}
	return out
}

func TestStreamFeed(t *testing.T) {
	s := NewStream()
	for _, tc := range []struct {
		db   int
		argv [][]byte
		want string
	}{
		{0, args("SET", "name", "redis"), "*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n*3\r\n$3\r\nSET\r\n$4\r\nname\r\n$5\r\nredis\r\n"},
		{0, args("DEL", "name"), "*2\r\n$3\r\nDEL\r\n$4\r\nname\r\n"},
		{12, args("SET", "k", ""), "*2\r\n$6\r\nSELECT\r\n$2\r\n12\r\n*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$0\r\n\r\n"},
		{-1, args("PING"), "*1\r\n$4\r\nPING\r\n"}, // no db: no SELECT
		{12, args("PING"), "*1\r\n$4\r\nPING\r\n"},
		{3, args("SET", "bin", "a\r\nb\x00"), "*2\r\n$6\r\nSELECT\r\n$1\r\n3\r\n*3\r\n$3\r\nSET\r\n$3\r\nbin\r\n$5\r\na\r\nb\x00\r\n"},
	} {
		got := s.Feed(nil, tc.db, tc.argv...)
		require.Equal(t, tc.want, string(got))
	}
	require.Equal(t, 3, s.DB)

	// The master's PING is 14 bytes of offset.
	require.Len(t, s.Feed(nil, s.DB, []byte("PING")), 14)

	// Feed appends.
	dst := []byte("x")
	dst = s.Feed(dst, 3, []byte("INCR"), []byte("n"))
	require.Equal(t, "x*2\r\n$4\r\nINCR\r\n$1\r\nn\r\n", string(dst))
}

func BenchmarkStreamFeedSet(b *testing.B) {
	b.ReportAllocs()
	s := NewStream()
	argv := args("SET", "key:000000000042", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx")
	buf := make([]byte, 0, 256)
	for b.Loop() {
		buf = s.Feed(buf[:0], 0, argv...)
	}
	b.SetBytes(int64(len(buf)))
}

func BenchmarkBacklogAppend100(b *testing.B) {
	b.ReportAllocs()
	bl := NewBacklog(1<<20, 1)
	p := make([]byte, 100)
	b.SetBytes(100)
	for b.Loop() {
		bl.Append(p)
	}
}

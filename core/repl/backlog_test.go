package repl

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// from joins the two parts From returns.
func from(b *Backlog, off int64) string {
	h, t := b.From(off)
	return string(h) + string(t)
}

func TestBacklog(t *testing.T) {
	b := NewBacklog(8, 1)
	require.Equal(t, 8, b.Size())
	require.Equal(t, int64(1), b.First())
	require.Equal(t, int64(0), b.End())
	require.True(t, b.Covers(1), "an empty backlog serves exactly its next offset")
	require.False(t, b.Covers(0))
	require.False(t, b.Covers(2))

	b.Append([]byte("abcde")) // offsets 1..5
	require.Equal(t, 5, b.HistLen())
	require.Equal(t, int64(5), b.End())
	require.Equal(t, "abcde", from(b, 1))
	require.Equal(t, "de", from(b, 4))
	h, tail := b.From(6)
	require.Empty(t, h, "exactly at the end: 0 bytes")
	require.Empty(t, tail)
	require.True(t, b.Covers(6))
	require.False(t, b.Covers(7))

	b.Append([]byte("fghij")) // offsets 1..10, ring holds 3..10 and wraps
	require.Equal(t, 8, b.HistLen())
	require.Equal(t, int64(3), b.First())
	require.Equal(t, int64(10), b.End())
	require.False(t, b.Covers(2))
	h, tail = b.From(3)
	require.Equal(t, "cdefgh", string(h))
	require.Equal(t, "ij", string(tail))
	require.Equal(t, "hij", from(b, 8))

	b.Append([]byte("0123456789abc")) // bigger than the ring
	require.Equal(t, int64(23), b.End())
	require.Equal(t, int64(16), b.First())
	require.Equal(t, "6789abc", from(b, 17))
	require.Equal(t, "", from(b, 15))
}

func TestBacklogTable(t *testing.T) {
	// Many write sizes against a reference: the last Size() bytes of the stream.
	for size := 1; size <= 9; size++ {
		for step := 1; step <= 11; step++ {
			b := NewBacklog(size, 101)
			var all strings.Builder
			for i := 0; i < 7; i++ {
				chunk := strings.Repeat(string(rune('a'+i)), step)
				b.Append([]byte(chunk))
				all.WriteString(chunk)
				s := all.String()
				keep := s[max(0, len(s)-size):]
				require.Equal(t, int64(100+len(s)), b.End())
				require.Equal(t, len(keep), b.HistLen())
				require.Equal(t, keep, from(b, b.First()), "size %d step %d", size, step)
				require.Equal(t, keep[1:], from(b, b.First()+1))
			}
		}
	}
}

func TestBacklogResize(t *testing.T) {
	b := NewBacklog(8, 1)
	b.Append([]byte("abcdefghij"))
	first, end := b.First(), b.End()

	b.Resize(16) // grow: same bytes, more room
	require.Equal(t, first, b.First())
	require.Equal(t, end, b.End())
	require.Equal(t, "cdefghij", from(b, first))
	b.Append([]byte("klmnopqrstu"))
	require.Equal(t, "fghijklmnopqrstu", from(b, b.First()))

	b.Resize(4) // shrink: keep the newest
	require.Equal(t, 4, b.Size())
	require.Equal(t, "rstu", from(b, b.First()))
	require.Equal(t, b.End()-3, b.First())
	b.Append([]byte("vw"))
	require.Equal(t, "tuvw", from(b, b.First()))

	b.Resize(4)
	require.Equal(t, "tuvw", from(b, b.First()))
	b.Resize(0)
	require.Equal(t, 1, b.Size())
	require.Equal(t, "w", from(b, b.First()))
}

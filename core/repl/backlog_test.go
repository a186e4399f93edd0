package repl

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// from joins the parts From returns.
func from(b *Backlog, off int64) string {
	return string(bytes.Join(b.From(off), nil))
}

func TestBacklog(t *testing.T) {
	b := NewBacklog(8, 1)
	require.Equal(t, 8, b.Size())
	require.Equal(t, int64(1), b.First())
	require.Equal(t, int64(0), b.End())
	require.Zero(t, b.Mem())
	require.True(t, b.Covers(1), "an empty backlog serves exactly its next offset")
	require.False(t, b.Covers(0))
	require.False(t, b.Covers(2))

	b.Append([]byte("abcde")) // offsets 1..5, in one block of BlockSize
	require.Equal(t, 5, b.HistLen())
	require.Equal(t, int64(5), b.End())
	require.Equal(t, int64(BlockSize+blockOverhead), b.Mem())
	require.Equal(t, "abcde", from(b, 1))
	require.Equal(t, "de", from(b, 4))
	require.Empty(t, b.From(6), "exactly at the end: 0 bytes")
	require.True(t, b.Covers(6))
	require.False(t, b.Covers(7))

	// The last block always stays, whatever Size() says.
	b.Append([]byte("fghij"))
	require.Equal(t, 10, b.HistLen())
	require.Equal(t, "abcdefghij", from(b, 1))
}

// TestBacklogTrim: the backlog frees whole blocks from its head once the
// others hold more than Size(), and keeps at least one.
func TestBacklogTrim(t *testing.T) {
	b := NewBacklog(BlockSize+100, 1)
	var all []byte
	for i := range 5 * BlockSize / 1000 {
		chunk := bytes.Repeat([]byte{byte('a' + i%26)}, 1000)
		b.Append(chunk)
		all = append(all, chunk...)
		// Held: the newest bytes, from a block's start, more than Size()
		// once the stream is longer: trimmed when a block is added, to a
		// block more than Size() at most, then growing in the last block.
		h := b.HistLen()
		require.Equal(t, int64(len(all)), b.End())
		require.Equal(t, string(all[len(all)-h:]), from(b, b.First()))
		require.Zero(t, (b.First()-1)%BlockSize, "the first byte starts a block")
		if len(all) > b.Size()+BlockSize {
			require.Greater(t, h, b.Size())
			require.LessOrEqual(t, h, b.Size()+2*BlockSize)
		}
		require.Equal(t, int64(b.Blocks())*(BlockSize+blockOverhead), b.Mem())
	}
	// A block boundary read across: two parts, the stream's bytes.
	mid := b.First() + BlockSize
	parts := b.From(mid - 2)
	require.Len(t, parts, b.Blocks())
	assert.Len(t, parts[0], 2)
	assert.Equal(t, string(all[mid-3:]), from(b, mid-2))
}

// TestBacklogBlockSizes: a write bigger than a block gets a block of its
// size up to Size()/16, and is split beyond.
func TestBacklogBlockSizes(t *testing.T) {
	for _, tc := range []struct {
		size, write int
		blocks      int
	}{
		{size: 1 << 20, write: 100, blocks: 1},
		{size: 1 << 20, write: 40 << 10, blocks: 1},       // one 40 KB block (<= 64 KB)
		{size: 1 << 20, write: 100 << 10, blocks: 2},      // 64 KB + 36 KB
		{size: 16 << 10, write: 256 << 10, blocks: 16},    // limit BlockSize
		{size: 100 << 20, write: 10 << 20, blocks: 2},     // 6.25 MB + rest
		{size: 16 << 10, write: BlockSize, blocks: 1},     // exactly one
		{size: 16 << 10, write: BlockSize + 1, blocks: 2}, // one byte over
	} {
		b := NewBacklog(tc.size, 1)
		b.NewReader(1) // keeps every block
		b.Append(bytes.Repeat([]byte("x"), tc.write))
		assert.Equal(t, tc.blocks, b.Blocks(), "size %d write %d", tc.size, tc.write)
		assert.Equal(t, tc.write, b.HistLen())
	}
}

// TestBacklogReaders: a replica's reader keeps its block and every newer
// one, so the backlog outgrows Size() (and serves a PSYNC from there); once
// it moves on or closes, the backlog trims back.
func TestBacklogReaders(t *testing.T) {
	b := NewBacklog(BlockSize, 1)
	b.Append([]byte("0123456789"))
	slow := b.NewReader(b.End() + 1) // caught up: waits in the last block
	fast := b.NewReader(b.End() + 1)
	require.Equal(t, int64(11), slow.Next())
	chunk := []byte(strings.Repeat("y", 1000))
	for range 100 {
		b.Append(chunk)
		fast.MoveTo(b.End() + 1)
	}
	require.Equal(t, int64(100*1000+10), int64(b.HistLen()), "the slow reader holds everything")
	require.True(t, b.Covers(11))
	require.Equal(t, string(chunk[:5]), from(b, 11)[:5])
	// The slow reader's output buffer: all blocks from its own.
	require.Equal(t, b.Mem(), slow.Mem())
	require.Less(t, fast.Mem(), int64(2*(BlockSize+blockOverhead)))

	// Halfway: the blocks before its own go.
	slow.MoveTo(50_000)
	require.LessOrEqual(t, b.First(), int64(50_000))
	require.Greater(t, b.First(), int64(50_000-BlockSize))

	// Gone: trimmed incrementally back to about Size().
	slow.Close()
	require.LessOrEqual(t, b.HistLen(), b.Size()+BlockSize)
	require.Greater(t, b.HistLen(), b.Size())
	fast.Close()
	b.Append(chunk)
	require.Equal(t, int64(b.Blocks())*(BlockSize+blockOverhead), b.Mem())
}

// TestBacklogReaderWaits: a reader at the end of a full block waits for the
// next block, and holds it once made.
func TestBacklogReaderWaits(t *testing.T) {
	b := NewBacklog(BlockSize, 1)
	b.Append(bytes.Repeat([]byte("a"), BlockSize))
	r := b.NewReader(b.End() + 1)
	require.Zero(t, r.Mem(), "nothing to send, no block held")
	require.Equal(t, b.End()+1, b.NextBlock())
	for range 3 {
		b.Append(bytes.Repeat([]byte("b"), BlockSize))
	}
	require.Equal(t, int64(BlockSize+1), b.First(), "the block before the reader's went")
	require.Equal(t, 3*BlockSize, b.HistLen())
	r.Close()
	b.Trim(TrimPerCall)
	require.Equal(t, 2*BlockSize, b.HistLen())
}

// TestBacklogTrimIncremental: a reader's departure frees TrimPerCall
// blocks at a time; Trim frees the rest.
func TestBacklogTrimIncremental(t *testing.T) {
	b := NewBacklog(BlockSize, 1)
	r := b.NewReader(1)
	for range 200 {
		b.Append(bytes.Repeat([]byte("z"), BlockSize))
	}
	require.Equal(t, 200, b.Blocks())
	r.Close()
	require.Equal(t, 200-TrimPerCall, b.Blocks())
	b.Trim(10 * TrimPerCall)
	require.Equal(t, 2, b.Blocks(), "a block more than Size() would not hold it")
}

func TestBacklogResize(t *testing.T) {
	b := NewBacklog(1<<20, 1)
	for range 100 {
		b.Append(bytes.Repeat([]byte("r"), 1000))
	}
	first, end := b.First(), b.End()
	b.Resize(2 << 20) // grow: same bytes, more room
	require.Equal(t, first, b.First())
	require.Equal(t, end, b.End())

	b.Resize(BlockSize) // shrink: keep the newest blocks
	require.Equal(t, BlockSize, b.Size())
	require.Equal(t, end, b.End())
	require.LessOrEqual(t, b.HistLen(), 2*BlockSize)
	require.Greater(t, b.HistLen(), BlockSize)
	b.Resize(0)
	require.Equal(t, 1, b.Size())
}

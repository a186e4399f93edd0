package repl

import "sort"

// Backlog is Redis 7.0's replication buffer: the replication stream kept as
// a list of blocks that the backlog and the replicas' output share
// (replBufBlock in src/replication.c), addressed by replication offsets.
// Offsets count bytes of the stream from 1; First() is the offset of the
// oldest byte held and End() the offset of the newest.
//
// The backlog wants the last Size() bytes (repl-backlog-size). A replica
// with bytes still to send holds a Reader on the block of its next byte, and
// that block and every newer one stay. Only whole blocks leave, from the
// head, when no Reader holds them and the rest still holds more than Size();
// the last block always stays. So the backlog holds up to a block more than
// Size() in the common case, and all a slow replica has yet to send
// otherwise: memory a replica's output would hold anyway, which then also
// serves partial resyncs.
//
// Trimming is incremental, as in Redis, so that a replica's departure does
// not free thousands of blocks in one go: Append, Resize and a Reader's
// moves trim up to TrimPerCall blocks, and the node's event loop calls Trim
// for more between events (beforeSleep).
type Backlog struct {
	size     int
	blocks   []*block // oldest first
	end      int64    // offset of the newest byte; First()-1 while empty
	nextID   int64
	mem      int64     // blocks' bytes and overhead: mem_total_replication_buffers
	unpinned []*Reader // readers whose next byte goes to a block not made yet
}

// block is one replBufBlock: cap(buf) is its size, len(buf) what is used.
type block struct {
	off  int64 // offset of buf[0]
	buf  []byte
	id   int64 // creation order
	refs int   // Readers whose next byte is here
}

const (
	// BlockSize is the smallest block (PROTO_REPLY_CHUNK_BYTES). A bigger
	// write gets a bigger block, up to Size()/16.
	BlockSize = 16 << 10
	// TrimPerCall is how many blocks one trim frees at most
	// (REPL_BACKLOG_TRIM_BLOCKS_PER_CALL).
	TrimPerCall = 64
	// blockOverhead is what Redis counts per block besides its bytes: the
	// list node and the block's header.
	blockOverhead = 24 + 40
)

// NewBacklog makes an empty backlog of size bytes (at least 1) whose first
// byte will have offset firstOffset: master_repl_offset+1 at creation.
func NewBacklog(size int, firstOffset int64) *Backlog {
	return &Backlog{size: max(size, 1), end: firstOffset - 1}
}

// Append adds p to the stream: into the room left in the last block, then
// into new blocks.
func (b *Backlog) Append(p []byte) {
	added := 0
	for len(p) > 0 {
		tail := b.tail()
		if tail == nil || len(tail.buf) == cap(tail.buf) {
			tail = b.newBlock(len(p))
			added++
		}
		n := min(len(p), cap(tail.buf)-len(tail.buf))
		tail.buf = append(tail.buf, p[:n]...)
		b.end += int64(n)
		p = p[n:]
	}
	// Only when a block was added: small writes do not retry in vain.
	b.Trim(added * TrimPerCall)
}

func (b *Backlog) newBlock(want int) *block {
	size := min(max(want, BlockSize), max(b.size/16, BlockSize))
	blk := &block{off: b.end + 1, buf: make([]byte, 0, size), id: b.nextID}
	b.nextID++
	b.blocks = append(b.blocks, blk)
	b.mem += int64(size) + blockOverhead
	for _, r := range b.unpinned {
		r.pin(blk)
	}
	b.unpinned = b.unpinned[:0]
	return blk
}

func (b *Backlog) tail() *block {
	if len(b.blocks) == 0 {
		return nil
	}
	return b.blocks[len(b.blocks)-1]
}

// Trim frees up to maxBlocks blocks from the head while no Reader holds
// the first and the others still hold more than Size() bytes
// (incrementalTrimReplicationBacklog).
func (b *Backlog) Trim(maxBlocks int) {
	for ; maxBlocks > 0 && len(b.blocks) > 1; maxBlocks-- {
		first := b.blocks[0]
		if first.refs > 0 || b.HistLen()-len(first.buf) <= b.size {
			return
		}
		b.blocks[0] = nil // the array outlives the slice
		b.blocks = b.blocks[1:]
		b.mem -= int64(cap(first.buf)) + blockOverhead
	}
}

// Size is the size the backlog keeps (repl_backlog_size).
func (b *Backlog) Size() int { return b.size }

// HistLen is the number of bytes held (repl_backlog_histlen).
func (b *Backlog) HistLen() int { return int(b.end - b.First() + 1) }

// Mem is the memory of the blocks (mem_total_replication_buffers).
func (b *Backlog) Mem() int64 { return b.mem }

// Blocks is the number of blocks held.
func (b *Backlog) Blocks() int { return len(b.blocks) }

// NextBlock is the offset at which the next block will start: the byte after
// the last block's room.
func (b *Backlog) NextBlock() int64 {
	if t := b.tail(); t != nil {
		return t.off + int64(cap(t.buf))
	}
	return b.end + 1
}

// First is the offset of the oldest byte held
// (repl_backlog_first_byte_offset); End()+1 while empty.
func (b *Backlog) First() int64 {
	if len(b.blocks) == 0 {
		return b.end + 1
	}
	return b.blocks[0].off
}

// End is the offset of the newest byte held: master_repl_offset.
func (b *Backlog) End() int64 { return b.end }

// Covers reports whether a PSYNC asking for offset off (the next byte the
// replica wants) can be served: First() <= off <= End()+1. Asking for exactly
// End()+1 is served with 0 bytes.
func (b *Backlog) Covers(off int64) bool {
	return off >= b.First() && off <= b.end+1
}

// From returns the bytes from offset off to the end without copying, one
// part per block; nil when !Covers(off). The parts stay valid: blocks are
// never written where they were already used.
func (b *Backlog) From(off int64) [][]byte {
	if !b.Covers(off) {
		return nil
	}
	if plantedBacklogOffByOne && off <= b.end {
		off++
	}
	var parts [][]byte
	for i := max(b.find(off), 0); i < len(b.blocks); i++ {
		blk := b.blocks[i]
		if p := blk.buf[max(off-blk.off, 0):]; len(p) > 0 {
			parts = append(parts, p)
		}
	}
	return parts
}

// find is the index of the last block starting at or before off: the
// block holding off, or the last one when off is past the end. -1 when
// there is none.
func (b *Backlog) find(off int64) int {
	return sort.Search(len(b.blocks), func(i int) bool { return b.blocks[i].off > off }) - 1
}

// Resize changes the size kept (repl-backlog-size set at run time): a
// smaller one frees blocks, a bit at a time, as a larger one fills.
func (b *Backlog) Resize(size int) {
	b.size = max(size, 1)
	b.Trim(TrimPerCall)
}

// Reader is a replica's place in the shared stream: the offset of the next
// byte it has yet to send, and the block holding it, which it keeps, with
// every newer one, from being trimmed (ref_repl_buf_node, ref_block_pos).
type Reader struct {
	b    *Backlog
	blk  *block // nil until a block holds byte next
	next int64
}

// NewReader places a reader at offset off, which b must cover.
func (b *Backlog) NewReader(off int64) *Reader {
	r := &Reader{b: b, next: off}
	r.place()
	return r
}

// place holds the block of byte r.next, or waits for the block it will go
// to when that one is not made yet.
func (r *Reader) place() {
	b := r.b
	i := b.find(r.next)
	if i < 0 || i == len(b.blocks)-1 && r.next >= b.NextBlock() {
		b.unpinned = append(b.unpinned, r)
		return
	}
	r.pin(b.blocks[i])
}

func (r *Reader) pin(blk *block) {
	r.blk = blk
	blk.refs++
}

// unplace lets go of the block held, or of the wait for one.
func (r *Reader) unplace() {
	if r.blk != nil {
		r.blk.refs--
		r.blk = nil
		return
	}
	for i, u := range r.b.unpinned {
		if u == r {
			r.b.unpinned = append(r.b.unpinned[:i], r.b.unpinned[i+1:]...)
			return
		}
	}
}

// Next is the offset of the next byte the replica has to send.
func (r *Reader) Next() int64 { return r.next }

// MoveTo moves the reader forward to off, as the replica's bytes are sent,
// letting go of the blocks it has sent in full.
func (r *Reader) MoveTo(off int64) {
	if off <= r.next {
		return
	}
	r.next = off
	if blk := r.blk; blk != nil && off < blk.off+int64(cap(blk.buf)) {
		return // its next byte is (or will be) in the block held
	}
	r.unplace()
	r.place()
	r.b.Trim(TrimPerCall)
}

// Close lets go of the reader's blocks (freeReplicaReferencedReplBuffer).
func (r *Reader) Close() {
	r.unplace()
	r.b.Trim(TrimPerCall)
}

// Mem is the replica's output buffer as Redis counts it: every block from
// the one it holds to the last, in full (getClientOutputBufferMemoryUsage).
func (r *Reader) Mem() int64 {
	if r.blk == nil {
		return 0
	}
	last := r.b.tail()
	return last.off + int64(cap(last.buf)) - r.blk.off + blockOverhead*(last.id-r.blk.id+1)
}

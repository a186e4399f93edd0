package repl

// Backlog is the replication backlog: a ring of the last Size() bytes of the
// replication stream, addressed by replication offsets (repl_backlog).
// Offsets count bytes of the stream from 1; First() is the offset of the
// oldest byte held and End() the offset of the newest.
//
// Redis 7.0 keeps the backlog as a list of 16 KB blocks and trims whole
// blocks, so it may hold a little more than repl-backlog-size; this ring
// holds exactly Size() bytes.
type Backlog struct {
	buf     []byte
	idx     int   // where the next byte goes
	histlen int   // bytes held
	end     int64 // offset of the newest byte; First()-1 while empty
}

// NewBacklog makes an empty backlog of size bytes (at least 1) whose first
// byte will have offset firstOffset: master_repl_offset+1 at creation.
func NewBacklog(size int, firstOffset int64) *Backlog {
	return &Backlog{buf: make([]byte, max(size, 1)), end: firstOffset - 1}
}

// Append adds p to the stream, dropping the oldest bytes beyond Size().
func (b *Backlog) Append(p []byte) {
	size := len(b.buf)
	b.end += int64(len(p))
	if len(p) >= size {
		copy(b.buf, p[len(p)-size:])
		b.idx, b.histlen = 0, size
		return
	}
	n := copy(b.buf[b.idx:], p)
	copy(b.buf, p[n:])
	b.idx = (b.idx + len(p)) % size
	b.histlen = min(b.histlen+len(p), size)
}

// Size is the capacity (repl_backlog_size).
func (b *Backlog) Size() int { return len(b.buf) }

// HistLen is the number of bytes held (repl_backlog_histlen).
func (b *Backlog) HistLen() int { return b.histlen }

// First is the offset of the oldest byte held
// (repl_backlog_first_byte_offset); End()+1 while empty.
func (b *Backlog) First() int64 { return b.end - int64(b.histlen) + 1 }

// End is the offset of the newest byte held: master_repl_offset.
func (b *Backlog) End() int64 { return b.end }

// Covers reports whether a PSYNC asking for offset off (the next byte the
// replica wants) can be served: First() <= off <= End()+1. Asking for exactly
// End()+1 is served with 0 bytes.
func (b *Backlog) Covers(off int64) bool {
	return off >= b.First() && off <= b.end+1
}

// From returns the bytes from offset off to the end without copying: head,
// then tail when the ring wraps. Both are nil when !Covers(off). The slices
// are only valid until the next Append or Resize.
func (b *Backlog) From(off int64) (head, tail []byte) {
	if !b.Covers(off) {
		return nil, nil
	}
	size := len(b.buf)
	n := int(b.end + 1 - off)
	if plantedBacklogOffByOne && n > 0 {
		n--
	}
	start := (b.idx - n + size) % size
	if start+n <= size {
		return b.buf[start : start+n], nil
	}
	return b.buf[start:], b.buf[:start+n-size]
}

// Resize changes the capacity (repl-backlog-size set at runtime), keeping
// the newest bytes that fit.
func (b *Backlog) Resize(size int) {
	size = max(size, 1)
	if size == len(b.buf) {
		return
	}
	keep := min(b.histlen, size)
	head, tail := b.From(b.end + 1 - int64(keep))
	buf := make([]byte, size)
	n := copy(buf, head)
	copy(buf[n:], tail)
	b.buf, b.histlen, b.idx = buf, keep, keep%size
}

// Package hll is Redis's HyperLogLog as the bytes Redis stores in a string:
// the 16-byte HYLL header with its cached cardinality, the sparse
// (ZERO/XZERO/VAL opcodes) and dense (16384 6-bit registers) encodings,
// MurmurHash64A with Redis's seed, and the estimator of Redis 7.0
// (src/hyperloglog.c). Every change is made the way Redis makes it, so a
// sequence of adds yields the same string here as there and a value written
// by either is read alike by both.
package hll

import (
	"encoding/binary"
	"math"
	"math/bits"
)

// Layout constants (HLL_* in hyperloglog.c).
const (
	precision   = 14                         // HLL_P
	q           = 64 - precision             // HLL_Q: hash bits left for the zero run
	Registers   = 1 << precision             // HLL_REGISTERS
	regBits     = 6                          // HLL_BITS
	regMax      = 1<<regBits - 1             // HLL_REGISTER_MAX
	HeaderSize  = 16                         // HLL_HDR_SIZE: magic, encoding, 3 unused, card
	DenseSize   = HeaderSize + Registers*6/8 // HLL_DENSE_SIZE
	Dense       = 0                          // HLL_DENSE
	Sparse      = 1                          // HLL_SPARSE
	hashSeed    = 0xadc83b19                 // the seed hllPatLen passes to MurmurHash64A
	alphaInf    = 0.721347520444481703680    // HLL_ALPHA_INF, 0.5/ln(2)
	valMaxValue = 32                         // HLL_SPARSE_VAL_MAX_VALUE
	valMaxLen   = 4                          // HLL_SPARSE_VAL_MAX_LEN
	zeroMaxLen  = 64                         // HLL_SPARSE_ZERO_MAX_LEN
	xzeroMaxLen = 16384                      // HLL_SPARSE_XZERO_MAX_LEN
	encodingOff = 4                          // offset of the encoding byte
	cardOff     = 8                          // offset of the little-endian cached cardinality
	staleBit    = 0x80                       // MSB of card[7]: the cache is stale
	opXZero     = 0x40                       // 01xxxxxx
	opVal       = 0x80                       // 1vvvvvxx
	opMask      = 0xc0                       // the opcode bits
	cardOverrun = 1 << 63                    // what llroundl's overflow becomes (LLONG_MIN)
	maxLenBits  = 0x3f                       // run length bits of ZERO and XZERO's first byte
	registerLen = DenseSize - HeaderSize     // bytes of dense registers
	histoLen    = 64                         // hllCount's reghisto size
	denseMagic  = "HYLL"                     // hdr->magic
	seqMax      = 5                          // longest sequence a split writes (XZERO VAL XZERO)
)

// Value is an HLL string as Redis holds it: its bytes, and Tail, the byte
// just past them in Redis's buffer. That is sds's terminator, 0, unless a
// sparse edit of a value cut off inside an XZERO opcode wrote past the end;
// such a value's last opcode reads it.
type Value struct {
	B    []byte
	Tail byte
}

// New returns an empty HyperLogLog as createHLLObject builds it: sparse, one
// XZERO opcode covering every register, and a valid cached cardinality of 0.
func New() []byte {
	b := make([]byte, HeaderSize+2, HeaderSize+2+seqMax)
	copy(b, denseMagic)
	b[encodingOff] = Sparse
	putXZero(b[HeaderSize:], Registers)
	return b
}

// Valid reports whether b passes isHLLObjectOrReply's checks: the magic, a
// known encoding, and the exact length of a dense value. A sparse value is
// only checked opcode by opcode when it is read.
func Valid(b []byte) bool {
	if len(b) < HeaderSize || string(b[:4]) != denseMagic || b[encodingOff] > Sparse {
		return false
	}
	return b[encodingOff] != Dense || len(b) == DenseSize
}

// IsDense reports whether a valid b uses the dense encoding.
func IsDense(b []byte) bool { return b[encodingOff] == Dense }

// Cached returns the cached cardinality, and false when the cache is stale.
func Cached(b []byte) (uint64, bool) {
	if b[cardOff+7]&staleBit != 0 {
		return 0, false
	}
	return binary.LittleEndian.Uint64(b[cardOff:]), true
}

// SetCached stores card as the cached cardinality.
func SetCached(b []byte, card uint64) { binary.LittleEndian.PutUint64(b[cardOff:], card) }

// Invalidate marks the cached cardinality stale (HLL_INVALIDATE_CACHE).
func Invalidate(b []byte) { b[cardOff+7] |= staleBit }

// Hash is MurmurHash64A as Redis has it (endian neutral) with its seed.
func Hash(key []byte) uint64 {
	const m = 0xc6a4a7935bd1e995
	const r = 47
	h := uint64(hashSeed) ^ uint64(len(key))*m
	for len(key) >= 8 {
		k := binary.LittleEndian.Uint64(key)
		k *= m
		k ^= k >> r
		k *= m
		h ^= k
		h *= m
		key = key[8:]
	}
	if len(key) > 0 {
		for i := len(key) - 1; i >= 0; i-- {
			h ^= uint64(key[i]) << (8 * i)
		}
		h *= m
	}
	h ^= h >> r
	h *= m
	h ^= h >> r
	return h
}

// patLen returns the register ele hashes to and the length of its 000..1
// pattern (hllPatLen): 1 to q+1.
func patLen(ele []byte) (int, uint8) {
	h := Hash(ele)
	index := int(h & (Registers - 1))
	h = h>>precision | 1<<q
	return index, uint8(bits.TrailingZeros64(h)) + 1
}

// Add adds ele (hllAdd), changing v in place or replacing v.B (a sparse
// value may grow or be promoted to dense). It returns 1 when a register
// grew, 0 when none did, -1 when v is a corrupt sparse value. sparseMax is
// hll-sparse-max-bytes.
func (v *Value) Add(ele []byte, sparseMax int) int {
	index, count := patLen(ele)
	return v.Set(index, count, sparseMax)
}

// Set raises register index to count if it is lower (hllDenseSet /
// hllSparseSet), with Add's results.
func (v *Value) Set(index int, count uint8, sparseMax int) int {
	switch v.B[encodingOff] {
	case Dense:
		return denseRaise(v.B[HeaderSize:], index, count)
	case Sparse:
		return v.sparseSet(index, count, sparseMax)
	}
	return -1
}

// denseGet reads register i (HLL_DENSE_GET_REGISTER). The last register
// ends in the last byte, so the byte after it (sds's terminator in Redis)
// is never needed.
func denseGet(regs []byte, i int) uint8 {
	at := i * regBits / 8
	fb := uint(i * regBits & 7)
	v := uint(regs[at]) >> fb
	if at+1 < len(regs) {
		v |= uint(regs[at+1]) << (8 - fb)
	}
	return uint8(v & regMax)
}

// denseSet writes register i (HLL_DENSE_SET_REGISTER); v is at most regMax.
func denseSet(regs []byte, i int, v uint8) {
	at := i * regBits / 8
	fb := uint(i * regBits & 7)
	regs[at] &^= uint8(regMax << fb)
	regs[at] |= uint8(uint(v) << fb)
	if at+1 < len(regs) {
		regs[at+1] &^= uint8(regMax >> (8 - fb))
		regs[at+1] |= uint8(uint(v) >> (8 - fb))
	}
}

// denseRaise sets register i to v if that is higher and reports 1 if so.
func denseRaise(regs []byte, i int, v uint8) int {
	if v > denseGet(regs, i) {
		denseSet(regs, i, v)
		return 1
	}
	return 0
}

// op decodes the sparse opcode at b[i]: the registers it covers, their
// value (0 for ZERO and XZERO) and its size in bytes. An XZERO cut off at
// the end reads tail as its second byte, as Redis reads the byte past the
// end.
func op(b []byte, i int, tail byte) (run, val, size int) {
	c := b[i]
	switch {
	case c&opMask == 0:
		return int(c&maxLenBits) + 1, 0, 1
	case c&opMask == opXZero:
		lo := int(tail)
		if i+1 < len(b) {
			lo = int(b[i+1])
		}
		return (int(c&maxLenBits)<<8 | lo) + 1, 0, 2
	default:
		return int(c&3) + 1, int(c>>2&0x1f) + 1, 1
	}
}

func valOp(val, run int) byte { return byte((val-1)<<2|(run-1)) | opVal }

func putXZero(p []byte, run int) {
	p[0] = byte((run-1)>>8) | opXZero
	p[1] = byte(run - 1)
}

// appendZeros appends the shortest opcode for a run of n zero registers.
func appendZeros(seq []byte, n int) []byte {
	if n > zeroMaxLen {
		return append(seq, byte((n-1)>>8)|opXZero, byte(n-1))
	}
	return append(seq, byte(n-1))
}

// sparseSet is hllSparseSet: it finds the opcode covering index, splits it
// so the register gets its own VAL opcode, merges equal neighbours, and
// promotes the value to dense when count does not fit a VAL opcode or the
// value would outgrow sparseMax.
func (v *Value) sparseSet(index int, count uint8, sparseMax int) int {
	if count > valMaxValue {
		return v.promote(index, count)
	}
	b := v.B
	// Step 1: the opcode covering index, and the one before it.
	// The hottest loop of a sparse value: it only sizes opcodes.
	end := len(b)
	p, first, span, prev := HeaderSize, 0, 0, -1
	for p < end {
		c, size := b[p], 1
		switch {
		case c&opMask == 0:
			span = int(c&maxLenBits) + 1
		case c&opVal != 0:
			span = int(c&3) + 1
		default:
			lo := v.Tail
			if p+1 < end {
				lo = b[p+1]
			}
			span = (int(c&maxLenBits)<<8 | int(lo)) + 1
			size = 2
		}
		if index < first+span {
			break
		}
		prev = p
		p += size
		first += span
	}
	if span == 0 || p >= end {
		return -1
	}
	run, val, size := op(b, p, v.Tail)
	isXZero := size == 2
	isZero := val == 0
	// Step 2: the trivial cases.
	switch {
	case !isZero && val >= int(count):
		return 0
	case !isZero && run == 1, isZero && !isXZero && run == 1:
		b[p] = valOp(int(count), 1)
	default:
		// The general case: split the opcode around the register.
		var buf [seqMax]byte
		seq := buf[:0]
		last := first + span - 1
		if isZero {
			if index != first {
				seq = appendZeros(seq, index-first)
			}
			seq = append(seq, valOp(int(count), 1))
			if index != last {
				seq = appendZeros(seq, last-index)
			}
		} else {
			if index != first {
				seq = append(seq, valOp(val, index-first))
			}
			seq = append(seq, valOp(int(count), 1))
			if index != last {
				seq = append(seq, valOp(val, last-index))
			}
		}
		// Step 3: put the sequence in place of the opcode.
		delta := len(seq) - size
		if delta > 0 && end+delta > sparseMax {
			return v.promote(index, count)
		}
		// Redis sets the new length (and its terminator) before it copies
		// the sequence in: splitting an XZERO cut off at the end writes its
		// last byte past the new end, where the tail keeps it.
		if cap(b) < end+seqMax {
			nb := make([]byte, end, end+end/2+seqMax)
			copy(nb, b)
			b = nb
		}
		b = b[:end+seqMax]
		if next := p + size; delta != 0 && next < end {
			copy(b[next+delta:], b[next:end])
		}
		copy(b[p:], seq)
		end += delta
		v.Tail = 0
		if p+len(seq) > end {
			v.Tail = b[end]
		}
		b = b[:end]
	}
	// Step 4: merge adjacent VAL opcodes of one value, scanning up to five
	// opcodes from the previous one.
	if prev < 0 {
		prev = HeaderSize
	}
	for p, scan := prev, 5; p < len(b) && scan > 0; scan-- {
		c := b[p]
		if c&opMask == opXZero {
			p += 2
			continue
		}
		if c&opMask == 0 {
			p++
			continue
		}
		if p+1 < len(b) && b[p+1]&opVal != 0 {
			run1, v1, _ := op(b, p, 0)
			run2, v2, _ := op(b, p+1, 0)
			if v1 == v2 && run1+run2 <= valMaxLen {
				b[p+1] = valOp(v1, run1+run2)
				copy(b[p:], b[p+1:])
				b = b[:len(b)-1]
				v.Tail = 0 // the new length's terminator
				continue
			}
		}
		p++
	}
	Invalidate(b)
	v.B = b
	return 1
}

// promote converts v to dense and sets the register there.
func (v *Value) promote(index int, count uint8) int {
	d, ok := ToDense(*v)
	if !ok {
		return -1
	}
	denseRaise(d[HeaderSize:], index, count)
	*v = Value{B: d}
	return 1
}

// ToDense returns b in the dense encoding (hllSparseToDense): b itself when
// it is dense already, else a new value with b's header (cached cardinality
// included). ok is false when b's opcodes do not cover exactly every
// register: an opcode past the last register is corrupt, as in the
// redis-server 7.0.15 that Debian ships with the CVE-2025-32023 fix (the
// 7.0.15 tag stopped at such a VAL opcode and accepted the value).
func ToDense(v Value) (d []byte, ok bool) {
	b := v.B
	if b[encodingOff] == Dense {
		return b, true
	}
	d = make([]byte, DenseSize)
	copy(d, b[:HeaderSize])
	d[encodingOff] = Dense
	regs := d[HeaderSize:]
	idx := 0
	for p := HeaderSize; p < len(b); {
		run, val, size := op(b, p, v.Tail)
		p += size
		if idx+run > Registers {
			return nil, false
		}
		if val == 0 {
			idx += run
			continue
		}
		for ; run > 0; run-- {
			denseSet(regs, idx, uint8(val))
			idx++
		}
	}
	return d, idx == Registers
}

// Merge raises each of max's registers to b's where b's is higher
// (hllMerge). It reports false when b is a corrupt sparse value (see
// ToDense).
func Merge(max *[Registers]uint8, v Value) bool {
	b := v.B
	if b[encodingOff] == Dense {
		regs := b[HeaderSize:DenseSize]
		for i, j := 0, 0; j+3 <= len(regs); i, j = i+4, j+3 {
			b0, b1, b2 := regs[j], regs[j+1], regs[j+2]
			m := max[i : i+4 : i+4]
			m[0] = maxByte(m[0], b0&regMax)
			m[1] = maxByte(m[1], (b0>>6|b1<<2)&regMax)
			m[2] = maxByte(m[2], (b1>>4|b2<<4)&regMax)
			m[3] = maxByte(m[3], b2>>2)
		}
		return true
	}
	i := 0
	for p := HeaderSize; p < len(b); {
		run, val, size := op(b, p, v.Tail)
		p += size
		if i+run > Registers {
			return false
		}
		if val == 0 {
			i += run
			continue
		}
		for ; run > 0; run-- {
			if uint8(val) > max[i] {
				max[i] = uint8(val)
			}
			i++
		}
	}
	return i == Registers
}

func maxByte(a, b uint8) uint8 {
	if b > a {
		return b
	}
	return a
}

// MergeFrom raises v's registers to max's where those are higher, as
// PFMERGE writes its union into the destination (a sparse destination may
// be promoted on the way).
func (v *Value) MergeFrom(max *[Registers]uint8, sparseMax int) {
	for i, r := range max {
		if r == 0 {
			continue
		}
		// PFMERGE ignores hllSparseSet's result: the destination was
		// validated as one of the sources.
		v.Set(i, r, sparseMax)
	}
}

// Count computes the cardinality estimate of b (hllCount) without touching
// its cache. ok is false when b is a sparse value whose opcodes do not cover
// exactly every register.
func Count(v Value) (card uint64, ok bool) {
	b := v.B
	var h [histoLen]int
	if b[encodingOff] == Dense {
		denseHisto(b[HeaderSize:DenseSize], &h)
		return estimate(&h), true
	}
	idx := 0
	for p := HeaderSize; p < len(b); {
		run, val, size := op(b, p, v.Tail)
		p += size
		idx += run
		h[val] += run
	}
	return estimate(&h), idx == Registers
}

// CountRegisters is the estimate for registers given one per byte, as
// PFCOUNT computes the union of several keys.
func CountRegisters(max *[Registers]uint8) uint64 {
	var h [histoLen]int
	for _, v := range max {
		h[v&(histoLen-1)]++
	}
	return estimate(&h)
}

// denseHisto counts the registers of each value, four at a time (three
// bytes hold four registers).
func denseHisto(regs []byte, h *[histoLen]int) {
	for i := 0; i+3 <= len(regs); i += 3 {
		b0, b1, b2 := regs[i], regs[i+1], regs[i+2]
		h[b0&regMax]++
		h[(b0>>6|b1<<2)&regMax]++
		h[(b1>>4|b2<<4)&regMax]++
		h[b2>>2]++
	}
}

// estimate is the cardinality from the register histogram (Ertl's improved
// estimator, arXiv:1702.01284, as hllCount has it). Explicit float64
// conversions keep each product rounded on its own, as C's are (Go may fuse
// a multiply-add otherwise).
func estimate(h *[histoLen]int) uint64 {
	const m = float64(Registers)
	z := m * tau((m-float64(h[q+1]))/m)
	for j := q; j >= 1; j-- {
		z += float64(h[j])
		z *= 0.5
	}
	z += float64(m * sigma(float64(h[0])/m))
	e := math.Round(float64(alphaInf*m*m) / z) // llroundl: half away from zero
	if !(e < cardOverrun) {
		// llroundl of an infinite or too big value is LLONG_MIN on x86-64,
		// and Redis keeps it as the cardinality.
		return cardOverrun
	}
	return uint64(e)
}

func sigma(x float64) float64 {
	if x == 1 {
		return math.Inf(1)
	}
	y, z := 1.0, x
	for {
		x *= x
		zp := z
		z += float64(x * y)
		y += y
		if zp == z {
			return z
		}
	}
}

func tau(x float64) float64 {
	if x == 0 || x == 1 {
		return 0
	}
	y, z := 1.0, 1-x
	for {
		x = math.Sqrt(x)
		zp := z
		y *= 0.5
		d := 1 - x
		z -= float64(float64(d*d) * y)
		if zp == z {
			return z / 3
		}
	}
}

package command

import (
	"encoding/binary"
	"math"
	"math/bits"

	"github.com/syncscope/syncscope/core/cstr"
	"github.com/syncscope/syncscope/core/store"
)

// The bitmap commands (Redis's bitops.c): a string is an array of bits, bit
// 0 being the most significant bit of its first byte. They read a string's
// bytes as stored, so an int-encoded string reads as its decimal text.

const (
	errBitOffset    = "ERR bit offset is not an integer or out of range"
	errBitValue     = "ERR bit is not an integer or out of range"
	errBitposBit    = "ERR The bit argument must be 1 or 0."
	errBitopNot     = "ERR BITOP NOT must be called with a single source key."
	errBitfieldType = "ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is."
	errOverflowType = "ERR Invalid OVERFLOW type specified"
	errBitfieldRO   = "ERR BITFIELD_RO only supports the GET subcommand"
)

// cEqualFold is strcasecmp(arg, s) == 0 as Redis calls it on an argument: the
// comparison stops at a NUL byte, so "get\x00x" is GET there too.
func cEqualFold(b []byte, s string) bool {
	return EqualFold(cstr.UntilNUL(b), s)
}

// bitOffset parses a bit offset as getBitOffsetFromArgument does. With hash
// (BITFIELD), "#N" means N*width. An offset whose byte is at or past
// proto-max-bulk-len is refused, except from the master, which Redis always
// obeys (mustObeyClient).
func bitOffset(c *Ctx, arg []byte, hash bool, width int) (uint64, bool) {
	useHash := hash && width > 0 && len(arg) > 0 && arg[0] == '#'
	if useHash {
		arg = arg[1:]
	}
	off, ok := cstr.String2ll(arg)
	if !ok {
		c.Error(errBitOffset)
		return 0, false
	}
	if useHash {
		off *= int64(width) // wraps on overflow, as the C multiplication does
	}
	if off < 0 || (c.Store.Mode != store.ExpireIgnore && off>>3 >= maxBulkLen(c)) {
		c.Error(errBitOffset)
		return 0, false
	}
	return uint64(off), true
}

// maxBulkLen is proto-max-bulk-len.
func maxBulkLen(c *Ctx) int64 {
	if n := c.Store.Limits.ProtoMaxBulkLen; n > 0 {
		return n
	}
	return store.MaxStringLen
}

// stringForBits is lookupStringForBitCommand: key's string, created or
// zero-padded so that bit maxbit exists, changed in place from here on (so
// raw, as dbUnshareStringValue leaves it). grown reports a new key or a
// longer string. ok is false after a WRONGTYPE reply.
func stringForBits(c *Ctx, key []byte, maxbit uint64) (s *store.String, grown, ok bool) {
	s, ok = lookupAs[*store.String](c, key, true)
	if !ok {
		return nil, false, false
	}
	n := int(maxbit>>3) + 1
	if s == nil {
		s = store.NewRawString(make([]byte, n))
		c.DB.Set(key, s)
		return s, true, true
	}
	s.MarkRaw()
	if n > len(s.B) {
		s.B = append(s.B, make([]byte, n-len(s.B))...)
		grown = true
	}
	return s, grown, true
}

func setbitCmd(c *Ctx) {
	off, ok := bitOffset(c, c.Args[2], false, 0)
	if !ok {
		return
	}
	on, ok := cstr.String2ll(c.Args[3])
	if !ok || on&^1 != 0 {
		c.Error(errBitValue)
		return
	}
	key := c.Args[1]
	s, grown, ok := stringForBits(c, key, off)
	if !ok {
		return
	}
	i, mask := off>>3, byte(0x80)>>(off&7)
	was := s.B[i]&mask != 0
	if grown || was != (on == 1) {
		if on == 1 {
			s.B[i] |= mask
		} else {
			s.B[i] &^= mask
		}
		c.Touch(key)
		c.Notify(store.NotifyString, "setbit", key)
		c.Dirty++
	}
	if was {
		c.W.Raw(one)
	} else {
		c.W.Raw(zero)
	}
}

func getbitCmd(c *Ctx) {
	off, ok := bitOffset(c, c.Args[2], false, 0)
	if !ok {
		return
	}
	s, ok := lookupAs[*store.String](c, c.Args[1], false)
	if !ok {
		return
	}
	if s != nil && off>>3 < uint64(len(s.B)) && s.B[off>>3]&(0x80>>(off&7)) != 0 {
		c.W.Raw(one)
		return
	}
	c.W.Raw(zero)
}

// bitRange resolves BITCOUNT's and BITPOS's start and end (indexes into a
// string of n bytes, or of n*8 bits when isBit) with stringRange. In bit mode it returns byte
// indexes and the masks of the bits outside the range in the first and last
// bytes.
func bitRange(start, end, n int64, isBit bool) (s, e int64, firstMask, lastMask byte) {
	total := n
	if isBit {
		total <<= 3
	}
	start, end = stringRange(start, end, total)
	if isBit && start <= end {
		firstMask = ^byte(0xff >> (start & 7))
		lastMask = byte(1<<(7-(end&7))) - 1
		start >>= 3
		end >>= 3
	}
	return start, end, firstMask, lastMask
}

func bitcountCmd(c *Ctx) {
	s, ok := lookupOrReply[*store.String](c, c.Args[1], false, c.replyZero)
	if !ok {
		return
	}
	p := s.B
	var start, end int64
	var firstMask, lastMask byte
	switch len(c.Args) {
	case 2:
		start, end = 0, int64(len(p))-1
	case 4, 5:
		if start, end, ok = intPair(c, c.Args[2], c.Args[3]); !ok {
			return
		}
		if start < 0 && end < 0 && start > end {
			c.W.Raw(zero)
			return
		}
		isBit := false
		if len(c.Args) == 5 {
			if isBit, ok = eitherWord(c, cstr.UntilNUL(c.Args[4]), "bit", "byte"); !ok {
				return
			}
		}
		start, end, firstMask, lastMask = bitRange(start, end, int64(len(p)), isBit)
	default:
		c.Error(ErrSyntax)
		return
	}
	if start > end {
		c.W.Raw(zero)
		return
	}
	n := popcount(p[start : end+1])
	n -= int64(bits.OnesCount8(p[start]&firstMask) + bits.OnesCount8(p[end]&lastMask))
	c.W.Int(n)
}

// popcount counts the bits set in p, a word at a time.
func popcount(p []byte) int64 {
	n := 0
	for len(p) >= 32 {
		n += bits.OnesCount64(binary.LittleEndian.Uint64(p)) +
			bits.OnesCount64(binary.LittleEndian.Uint64(p[8:])) +
			bits.OnesCount64(binary.LittleEndian.Uint64(p[16:])) +
			bits.OnesCount64(binary.LittleEndian.Uint64(p[24:]))
		p = p[32:]
	}
	for len(p) >= 8 {
		n += bits.OnesCount64(binary.LittleEndian.Uint64(p))
		p = p[8:]
	}
	for _, b := range p {
		n += bits.OnesCount8(b)
	}
	return int64(n)
}

// bitpos is redisBitpos: the position of the first bit equal to bit in p.
// When looking for a 0 and finding none it returns len(p)*8, as if p were
// followed by zeros; looking for a 1 and finding none, -1.
func bitpos(p []byte, bit bool) int64 {
	skip := uint64(0) // a word with no bit we look for
	if !bit {
		skip = math.MaxUint64
	}
	i := 0
	for ; i+8 <= len(p); i += 8 {
		if binary.LittleEndian.Uint64(p[i:]) != skip {
			break
		}
	}
	for ; i < len(p); i++ {
		b := p[i]
		if !bit {
			b = ^b
		}
		if b != 0 {
			return int64(i)*8 + int64(bits.LeadingZeros8(b))
		}
	}
	if bit {
		return -1
	}
	return int64(len(p)) * 8
}

func bitposCmd(c *Ctx) {
	b, ok := intArg(c, c.Args[2])
	if !ok {
		return
	}
	if b != 0 && b != 1 {
		c.Error(errBitposBit)
		return
	}
	bit := b == 1
	s, ok := lookupAs[*store.String](c, c.Args[1], false)
	if !ok {
		return
	}
	if s == nil {
		// A missing key is an endless run of zeros.
		if bit {
			c.W.Int(-1)
		} else {
			c.W.Raw(zero)
		}
		return
	}
	p := s.B
	var start, end int64
	var firstMask, lastMask byte
	endGiven := false
	switch len(c.Args) {
	case 3:
		start, end = 0, int64(len(p))-1
	case 4, 5, 6:
		if start, ok = cstr.String2ll(c.Args[3]); !ok {
			c.Error(ErrNotInt)
			return
		}
		isBit := false
		if len(c.Args) == 6 {
			if isBit, ok = eitherWord(c, cstr.UntilNUL(c.Args[5]), "bit", "byte"); !ok {
				return
			}
		}
		if len(c.Args) >= 5 {
			if end, ok = cstr.String2ll(c.Args[4]); !ok {
				c.Error(ErrNotInt)
				return
			}
			endGiven = true
		} else {
			end = math.MaxInt64 // no end: the last byte (or bit), after clamping
		}
		start, end, firstMask, lastMask = bitRange(start, end, int64(len(p)), isBit)
	default:
		c.Error(ErrSyntax)
		return
	}
	if start > end {
		// An empty range holds neither a 0 nor a 1.
		c.W.Int(-1)
		return
	}
	pos, start, bytes := bitposIn(p, start, end, bit, firstMask, lastMask)
	// With an explicit end, the bits past it are not zero padding: no 0
	// found inside the range is -1.
	if endGiven && !bit && pos == bytes<<3 {
		c.W.Int(-1)
		return
	}
	if pos != -1 {
		pos += start << 3
	}
	c.W.Int(pos)
}

// bitposIn searches p[start..end] (bytes, end included), leaving out the
// bits of the first and last bytes in firstMask and lastMask. It returns
// what Redis's bitposCommand has when it reaches its result: the position
// relative to the byte start it stopped at, and the bytes left from there.
func bitposIn(p []byte, start, end int64, bit bool, firstMask, lastMask byte) (pos, at, bytes int64) {
	bytes = end - start + 1
	var one [1]byte
	masked := func(b, mask byte) byte {
		if bit {
			return b &^ mask
		}
		return b | mask
	}
	if firstMask != 0 {
		one[0] = masked(p[start], firstMask)
		if lastMask != 0 && bytes == 1 {
			one[0] = masked(one[0], lastMask)
		}
		pos = bitpos(one[:], bit)
		if bytes == 1 || (pos != -1 && pos != 8) {
			return pos, start, bytes
		}
		start++
		bytes--
	}
	cur := bytes
	if lastMask != 0 {
		cur--
	}
	if cur > 0 {
		pos = bitpos(p[start:start+cur], bit)
		if bytes == cur || (pos != -1 && pos != cur<<3) {
			return pos, start, bytes
		}
		start += cur
		bytes -= cur
	}
	one[0] = masked(p[end], lastMask)
	return bitpos(one[:], bit), start, bytes
}

// BITOP operations, in the order bitopCmd names them.
const (
	bitAnd = iota
	bitOr
	bitXor
	bitNot
)

func bitopCmd(c *Ctx) {
	op := oneOf(cstr.UntilNUL(c.Args[1]), "and", "or", "xor", "not")
	if op < 0 {
		c.Error(ErrSyntax)
		return
	}
	if op == bitNot && len(c.Args) != 4 {
		c.Error(errBitopNot)
		return
	}
	var buf [8][]byte
	srcs := buf[:0]
	maxLen := 0
	for _, k := range c.Args[3:] {
		b, _, ok := lookupBytes(c, k)
		if !ok {
			return
		}
		srcs = append(srcs, b)
		maxLen = max(maxLen, len(b))
	}
	target := c.Args[2]
	if maxLen == 0 {
		// Only empty or missing sources: the result is the empty string,
		// which Redis does not store.
		if c.DB.Delete(target) {
			c.Touch(target)
			c.Notify(store.NotifyGeneric, "del", target)
			c.Dirty++
		}
		c.W.Raw(zero)
		return
	}
	res := make([]byte, maxLen)
	copy(res, srcs[0]) // shorter sources read as zero-padded
	switch op {
	case bitNot:
		xorWords(res, nil, 0xff)
	case bitAnd:
		for _, s := range srcs[1:] {
			andWords(res, s)
			clear(res[len(s):])
		}
	case bitOr:
		for _, s := range srcs[1:] {
			orWords(res, s)
		}
	case bitXor:
		for _, s := range srcs[1:] {
			xorWords(res, s, 0)
		}
	}
	c.DB.Exists(target) // setKey's lookupKeyWrite: an expired target is deleted (and its DEL propagated) first
	c.DB.Set(target, store.NewRawString(res))
	c.Touch(target)
	c.Notify(store.NotifyString, "set", target)
	c.Dirty++
	c.W.Int(int64(maxLen))
}

// andWords sets dst[i] &= src[i] for every i < len(src), a word at a time.
func andWords(dst, src []byte) {
	i := 0
	for ; i+8 <= len(src); i += 8 {
		binary.LittleEndian.PutUint64(dst[i:], binary.LittleEndian.Uint64(dst[i:])&binary.LittleEndian.Uint64(src[i:]))
	}
	for ; i < len(src); i++ {
		dst[i] &= src[i]
	}
}

// orWords sets dst[i] |= src[i] for every i < len(src).
func orWords(dst, src []byte) {
	i := 0
	for ; i+8 <= len(src); i += 8 {
		binary.LittleEndian.PutUint64(dst[i:], binary.LittleEndian.Uint64(dst[i:])|binary.LittleEndian.Uint64(src[i:]))
	}
	for ; i < len(src); i++ {
		dst[i] |= src[i]
	}
}

// xorWords sets dst[i] ^= src[i] for every i < len(src); with src nil it
// xors every byte of dst with fill instead (NOT).
func xorWords(dst, src []byte, fill byte) {
	n := len(src)
	if src == nil {
		n = len(dst)
	}
	word := uint64(fill) * 0x0101010101010101
	i := 0
	for ; i+8 <= n; i += 8 {
		x := word
		if src != nil {
			x = binary.LittleEndian.Uint64(src[i:])
		}
		binary.LittleEndian.PutUint64(dst[i:], binary.LittleEndian.Uint64(dst[i:])^x)
	}
	for ; i < n; i++ {
		if src != nil {
			dst[i] ^= src[i]
		} else {
			dst[i] ^= fill
		}
	}
}

package rdb

import "errors"

// LZF as Redis uses it (lzf_c.c/lzf_d.c with HLOG 16 and VERY_FAST): the
// compressor follows the same match search so compressed strings come out
// byte-for-byte as Redis writes them.
//
// Compressed format, per control byte:
//
//	000LLLLL                    literal run of L+1 bytes follows
//	LLLooooo oooooooo           back reference of L+2 bytes, offset o+1
//	111ooooo LLLLLLLL oooooooo  back reference of L+9 bytes, offset o+1

const (
	lzfHashLog = 16
	lzfMaxLit  = 1 << 5
	lzfMaxOff  = 1 << 13
	lzfMaxRef  = 1<<8 + 1<<3
	// lzfMaxRatio bounds how much one compressed byte can expand (a 3-byte
	// back reference copies 264 bytes), so a corrupt length is caught before
	// allocating.
	lzfMaxRatio = 89
)

var errLZF = errors.New("invalid LZF data")

// lzfCompressor keeps the match hash table between calls. Entries hold
// base+position+1; anything at or below base belongs to an earlier call and
// reads as empty, which is what Redis's fresh table gives, without clearing
// 256 KB for every string.
type lzfCompressor struct {
	tab  []uint32
	base uint32
}

func lzfIndex(h uint32) uint32 {
	return (h>>(3*8-lzfHashLog) - h*5) & (1<<lzfHashLog - 1)
}

// compress appends the LZF form of in to dst if it fits in outLen bytes, as
// lzf_compress(in, len, out, outLen) does; ok is false when it does not.
func (c *lzfCompressor) compress(dst, in []byte, outLen int) (_ []byte, ok bool) {
	n := len(in)
	if n < 3 || outLen == 0 {
		return dst, false // Redis only compresses strings longer than 20 bytes
	}
	if c.tab == nil {
		c.tab = make([]uint32, 1<<lzfHashLog)
	}
	if uint64(c.base)+uint64(n)+1 >= 1<<32 {
		clear(c.tab)
		c.base = 0
	}
	base := c.base
	c.base += uint32(n) + 1
	lookup := func(slot uint32, pos int) int {
		v := c.tab[slot]
		c.tab[slot] = base + uint32(pos) + 1
		if v <= base {
			return -1
		}
		return int(v - base - 1)
	}

	start := len(dst)
	dst = append(dst, make([]byte, outLen+1)...)
	out := dst[start:]
	outEnd := outLen
	op, lit, ip := 1, 0, 0 // out[0] holds the first run's control byte
	h := uint32(in[0])<<8 | uint32(in[1])
	for ip < n-2 {
		h = h<<8 | uint32(in[ip+2])
		ref := lookup(lzfIndex(h), ip)
		off := ip - ref - 1
		if ref > 0 && ref < ip && off < lzfMaxOff &&
			in[ref] == in[ip] && in[ref+1] == in[ip+1] && in[ref+2] == in[ip+2] {
			l := 2
			maxLen := min(n-ip-l, lzfMaxRef)
			out[op-lit-1] = byte(lit - 1) // close the literal run
			if lit == 0 {
				op--
			}
			if op+3+1 >= outEnd {
				return dst[:start], false
			}
			l = lzfMatchLen(in, ref, ip, l, maxLen)
			l -= 2
			ip++
			if l < 7 {
				out[op] = byte(off>>8 + l<<5)
				op++
			} else {
				out[op] = byte(off>>8 + 7<<5)
				out[op+1] = byte(l - 7)
				op += 2
			}
			out[op] = byte(off)
			op += 2 // and open a new run
			lit = 0
			ip += l + 1
			if ip >= n-2 {
				break
			}
			// VERY_FAST: hash the last two positions of the match.
			ip -= 2
			h = uint32(in[ip])<<8 | uint32(in[ip+1])
			for range 2 {
				h = h<<8 | uint32(in[ip+2])
				c.tab[lzfIndex(h)] = base + uint32(ip) + 1
				ip++
			}
			continue
		}
		if op >= outEnd {
			return dst[:start], false
		}
		out[op] = in[ip]
		op++
		ip++
		lit++
		if lit == lzfMaxLit {
			out[op-lit-1] = byte(lit - 1)
			lit = 0
			op++
		}
	}
	if op+3 > outEnd {
		return dst[:start], false
	}
	for ip < n {
		out[op] = in[ip]
		op++
		ip++
		lit++
		if lit == lzfMaxLit {
			out[op-lit-1] = byte(lit - 1)
			lit = 0
			op++
		}
	}
	out[op-lit-1] = byte(lit - 1)
	if lit == 0 {
		op--
	}
	return dst[:start+op], true
}

// lzfMatchLen extends a 3-byte match the way lzf_c.c does: when more than 16
// bytes may match it first compares 16 bytes without looking at maxLen, which
// can make a match run up to two bytes past maxLen (still inside the input).
func lzfMatchLen(in []byte, ref, ip, l, maxLen int) int {
	if maxLen > 16 {
		for range 16 {
			l++
			if in[ref+l] != in[ip+l] {
				return l
			}
		}
	}
	for {
		l++
		if l >= maxLen || in[ref+l] != in[ip+l] {
			return l
		}
	}
}

// lzfDecompress appends exactly outLen decompressed bytes to dst.
func lzfDecompress(dst, in []byte, outLen int) ([]byte, error) {
	start := len(dst)
	dst = append(dst, make([]byte, outLen)...)
	out := dst[start:]
	op := 0
	for ip := 0; ip < len(in); {
		ctrl := int(in[ip])
		ip++
		if ctrl < 1<<5 {
			run := ctrl + 1
			if op+run > outLen || ip+run > len(in) {
				return dst[:start], errLZF
			}
			copy(out[op:], in[ip:ip+run])
			op += run
			ip += run
			continue
		}
		l := ctrl >> 5
		ref := op - (ctrl&0x1f)<<8 - 1
		if l == 7 {
			if ip >= len(in) {
				return dst[:start], errLZF
			}
			l += int(in[ip])
			ip++
		}
		if ip >= len(in) {
			return dst[:start], errLZF
		}
		ref -= int(in[ip])
		ip++
		l += 2
		if ref < 0 || op+l > outLen {
			return dst[:start], errLZF
		}
		for i := range l { // overlapping copies repeat bytes, so byte by byte
			out[op+i] = out[ref+i]
		}
		op += l
	}
	if op != outLen {
		return dst[:start], errLZF
	}
	return dst, nil
}

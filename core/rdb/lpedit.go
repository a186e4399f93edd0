package rdb

import (
	"encoding/binary"

	"github.com/syncscope/syncscope/core/cstr"
)

// The LP* functions edit and walk a listpack in place, as listpack.c's
// lpAppend, lpReplaceInteger, lpFirst/lpNext/lpPrev and lpGet do, for the
// values that keep their listpack bytes (stream nodes). Positions are byte
// offsets of an element's first byte; -1 means none. They trust the
// listpack: use them on listpacks built by LPAppend* or validated.

// LPNew returns an empty listpack.
func LPNew() []byte { return []byte{7, 0, 0, 0, 0, 0, lpEOF} }

func lpSetHeader(lp []byte, delta int) []byte {
	binary.LittleEndian.PutUint32(lp, uint32(len(lp)))
	if n := binary.LittleEndian.Uint16(lp[4:]); n != lpNumEleUnknown && delta != 0 {
		binary.LittleEndian.PutUint16(lp[4:], uint16(int(n)+delta))
	}
	return lp
}

// LPAppendInt appends the integer v.
func LPAppendInt(lp []byte, v int64) []byte {
	b := lp[:len(lp)-1]
	start := len(b)
	b = appendLPInt(b, v)
	b = appendBacklen(b, len(b)-start)
	return lpSetHeader(append(b, lpEOF), 1)
}

// LPAppend appends s, as an integer when it is one in canonical form.
func LPAppend(lp []byte, s []byte) []byte {
	if v, ok := cstr.String2ll(s); ok {
		return LPAppendInt(lp, v)
	}
	b := lp[:len(lp)-1]
	start := len(b)
	b = appendLPStr(b, s)
	b = appendBacklen(b, len(b)-start)
	return lpSetHeader(append(b, lpEOF), 1)
}

// lpEncodedSize is the size of the encoding and data of the element at p.
func lpEncodedSize(lp []byte, p int) int {
	c := lp[p]
	switch {
	case c&0x80 == 0:
		return 1
	case c&0xc0 == lpEnc6BitStrMask:
		return 1 + int(c&0x3f)
	case c&0xe0 == lpEnc13BitInt:
		return 2
	case c&0xf0 == lpEnc12BitStr:
		return 2 + (int(c&0x0f)<<8 | int(lp[p+1]))
	case c == lpEnc16BitInt:
		return 3
	case c == lpEnc24BitInt:
		return 4
	case c == lpEnc32BitInt:
		return 5
	case c == lpEnc64BitInt:
		return 9
	case c == lpEnc32BitStr:
		return 5 + int(binary.LittleEndian.Uint32(lp[p+1:]))
	}
	return 1
}

// LPFirst returns the position of the first element.
func LPFirst(lp []byte) int {
	if lp[lpHeaderSize] == lpEOF {
		return -1
	}
	return lpHeaderSize
}

// LPNext returns the position of the element after p.
func LPNext(lp []byte, p int) int {
	l := lpEncodedSize(lp, p)
	p += l + backlenSize(l)
	if lp[p] == lpEOF {
		return -1
	}
	return p
}

// LPLast returns the position of the last element.
func LPLast(lp []byte) int { return LPPrev(lp, len(lp)-1) }

// LPPrev returns the position of the element before p.
func LPPrev(lp []byte, p int) int {
	if p <= lpHeaderSize {
		return -1
	}
	// The backlen ends right before p; read it right to left.
	q := p - 1
	l, shift := 0, 0
	for {
		c := lp[q]
		l |= int(c&127) << shift
		if c&128 == 0 {
			break
		}
		shift += 7
		q--
	}
	return q - l
}

// LPGet returns the element at p: a string (s != nil) or an integer.
func LPGet(lp []byte, p int) (s []byte, v int64) {
	c := lp[p]
	d := lp[p+1:]
	switch {
	case c&0x80 == 0:
		return nil, int64(c)
	case c&0xc0 == lpEnc6BitStrMask:
		n := int(c & 0x3f)
		return d[:n:n], 0
	case c&0xe0 == lpEnc13BitInt:
		v = int64(uint64(c&0x1f)<<8 | uint64(d[0]))
		if v >= 1<<12 {
			v -= 1 << 13
		}
		return nil, v
	case c&0xf0 == lpEnc12BitStr:
		n := int(c&0x0f)<<8 | int(d[0])
		return d[1 : 1+n : 1+n], 0
	case c == lpEnc16BitInt:
		return nil, int64(int16(binary.LittleEndian.Uint16(d)))
	case c == lpEnc24BitInt:
		return nil, int64(int32(uint32(d[0])<<8|uint32(d[1])<<16|uint32(d[2])<<24) >> 8)
	case c == lpEnc32BitInt:
		return nil, int64(int32(binary.LittleEndian.Uint32(d)))
	case c == lpEnc64BitInt:
		return nil, int64(binary.LittleEndian.Uint64(d))
	case c == lpEnc32BitStr:
		n := int(binary.LittleEndian.Uint32(d))
		return d[4 : 4+n : 4+n], 0
	}
	return nil, 0
}

// LPGetInt returns the element at p as an integer (0 if it is a string that
// is not one).
func LPGetInt(lp []byte, p int) int64 {
	s, v := LPGet(lp, p)
	if s != nil {
		v, _ = cstr.String2ll(s)
	}
	return v
}

// LPReplaceInt replaces the element at p with the integer v; p stays the
// element's position.
func LPReplaceInt(lp []byte, p int, v int64) []byte {
	old := lpEncodedSize(lp, p)
	old += backlenSize(old)
	var buf [16]byte
	e := appendLPInt(buf[:0], v)
	e = appendBacklen(e, len(e))
	if len(e) == old {
		copy(lp[p:], e)
		return lp
	}
	out := make([]byte, 0, len(lp)-old+len(e))
	out = append(out, lp[:p]...)
	out = append(out, e...)
	out = append(out, lp[p+old:]...)
	return lpSetHeader(out, 0)
}

package rdb

import (
	"encoding/binary"
	"strconv"

	"github.com/syncscope/syncscope/core/cstr"
)

// Listpack (listpack.c): a 6-byte header (total bytes uint32 LE, element
// count uint16 LE, 65535 = unknown), entries, and a 0xFF terminator. An entry
// is an encoding byte with its data, then "backlen": the size of encoding and
// data in 1-5 bytes, 7 bits each, readable from the right.
const (
	lpHeaderSize     = 6
	lpEOF            = 0xff
	lpNumEleUnknown  = 65535
	lpEnc13BitInt    = 0xc0
	lpEnc12BitStr    = 0xe0
	lpEnc16BitInt    = 0xf1
	lpEnc24BitInt    = 0xf2
	lpEnc32BitInt    = 0xf3
	lpEnc64BitInt    = 0xf4
	lpEnc32BitStr    = 0xf0
	lpEnc6BitStrMask = 0x80
)

// listpack builds one listpack in a reusable buffer.
type listpack struct {
	buf   []byte
	count int
}

func (lp *listpack) reset() {
	lp.buf = append(lp.buf[:0], 0, 0, 0, 0, 0, 0, lpEOF)
	lp.count = 0
}

// size is the listpack's total size in bytes, terminator included.
func (lp *listpack) size() int { return len(lp.buf) }

// append adds s as an integer when it is a canonical integer, else as a string.
func (lp *listpack) append(s []byte) {
	b := lp.buf[:len(lp.buf)-1] // drop the terminator
	start := len(b)
	if v, ok := cstr.String2ll(s); ok {
		b = appendLPInt(b, v)
	} else {
		b = appendLPStr(b, s)
	}
	b = appendBacklen(b, len(b)-start)
	lp.buf = append(b, lpEOF)
	lp.count++
}

// bytes finalises the header and returns the encoded listpack.
func (lp *listpack) bytes() []byte {
	binary.LittleEndian.PutUint32(lp.buf, uint32(len(lp.buf)))
	binary.LittleEndian.PutUint16(lp.buf[4:], uint16(min(lp.count, lpNumEleUnknown)))
	return lp.buf
}

// ListpackEntrySize is how many bytes s takes as one listpack entry: its
// encoding, data and backlen.
func ListpackEntrySize(s []byte) int {
	var l int
	if v, ok := cstr.String2ll(s); ok {
		switch {
		case v >= 0 && v <= 127:
			l = 1
		case v >= -4096 && v <= 4095:
			l = 2
		case v >= -32768 && v <= 32767:
			l = 3
		case v >= -8388608 && v <= 8388607:
			l = 4
		case v >= -2147483648 && v <= 2147483647:
			l = 5
		default:
			l = 9
		}
	} else {
		switch n := len(s); {
		case n < 64:
			l = 1 + n
		case n < 4096:
			l = 2 + n
		default:
			l = 5 + n
		}
	}
	return l + backlenSize(l)
}

func appendLPInt(b []byte, v int64) []byte {
	switch {
	case v >= 0 && v <= 127:
		return append(b, byte(v))
	case v >= -4096 && v <= 4095:
		u := uint64(v) & (1<<13 - 1)
		return append(b, byte(u>>8)|lpEnc13BitInt, byte(u))
	case v >= -32768 && v <= 32767:
		return append(b, lpEnc16BitInt, byte(v), byte(v>>8))
	case v >= -8388608 && v <= 8388607:
		return append(b, lpEnc24BitInt, byte(v), byte(v>>8), byte(v>>16))
	case v >= -2147483648 && v <= 2147483647:
		return binary.LittleEndian.AppendUint32(append(b, lpEnc32BitInt), uint32(v))
	default:
		return binary.LittleEndian.AppendUint64(append(b, lpEnc64BitInt), uint64(v))
	}
}

func appendLPStr(b, s []byte) []byte {
	n := len(s)
	switch {
	case n < 64:
		b = append(b, byte(n)|lpEnc6BitStrMask)
	case n < 4096:
		b = append(b, byte(n>>8)|lpEnc12BitStr, byte(n))
	default:
		b = binary.LittleEndian.AppendUint32(append(b, lpEnc32BitStr), uint32(n))
	}
	return append(b, s...)
}

func appendBacklen(b []byte, l int) []byte {
	switch {
	case l <= 127:
		return append(b, byte(l))
	case l < 16383:
		return append(b, byte(l>>7), byte(l&127|128))
	case l < 2097151:
		return append(b, byte(l>>14), byte(l>>7&127|128), byte(l&127|128))
	case l < 268435455:
		return append(b, byte(l>>21), byte(l>>14&127|128), byte(l>>7&127|128), byte(l&127|128))
	default:
		return append(b, byte(l>>28), byte(l>>21&127|128), byte(l>>14&127|128), byte(l>>7&127|128), byte(l&127|128))
	}
}

// backlenSize is how many bytes appendBacklen uses for l.
func backlenSize(l int) int {
	switch {
	case l <= 127:
		return 1
	case l < 16383:
		return 2
	case l < 2097151:
		return 3
	case l < 268435455:
		return 4
	default:
		return 5
	}
}

// walkListpack validates a listpack and calls fn with each element: a string
// (s != nil) or an integer (s == nil). Strings alias lp.
func walkListpack(lp []byte, fn func(s []byte, v int64) error) error {
	if err := checkTotal("listpack", lp, lpHeaderSize+1); err != nil {
		return err
	}
	want := int(binary.LittleEndian.Uint16(lp[4:]))
	p, count := lpHeaderSize, 0
	for {
		if p >= len(lp) {
			return blobErr(p, "listpack ends without its 0xFF terminator")
		}
		c := lp[p]
		// Fast paths for the commonest entries, a 7-bit integer or a string
		// of up to 63 bytes, each followed by its one-byte backlen; anything
		// else, faults included, takes the general path below.
		if c&0x80 == 0 {
			if p+1 < len(lp) && lp[p+1] == 1 {
				p += 2
				count++
				if err := fn(nil, int64(c)); err != nil {
					return err
				}
				continue
			}
		} else if c&0xc0 == lpEnc6BitStrMask {
			n := int(c & 0x3f)
			if e := p + 1 + n; e < len(lp) && lp[e] == byte(1+n) {
				s := lp[p+1 : e : e]
				p = e + 1
				count++
				if err := fn(s, 0); err != nil {
					return err
				}
				continue
			}
		}
		if c == lpEOF {
			if p != len(lp)-1 {
				return blobErr(p, "listpack terminator before the end of the blob")
			}
			break
		}
		start := p
		var s []byte
		var v int64
		var dataLen int // bytes of data after the encoding header
		hdr := 1
		switch {
		case c&0x80 == 0:
			v = int64(c)
		case c&0xc0 == lpEnc6BitStrMask:
			dataLen = int(c & 0x3f)
		case c&0xe0 == lpEnc13BitInt:
			hdr = 2
		case c&0xf0 == lpEnc12BitStr:
			hdr = 2
		case c == lpEnc16BitInt:
			hdr = 3
		case c == lpEnc24BitInt:
			hdr = 4
		case c == lpEnc32BitInt:
			hdr = 5
		case c == lpEnc64BitInt:
			hdr = 9
		case c == lpEnc32BitStr:
			hdr = 5
		default:
			return blobErr(p, "invalid listpack entry encoding 0x"+strconv.FormatUint(uint64(c), 16))
		}
		if len(lp)-p < hdr {
			return blobErr(p, "listpack entry header runs past the end")
		}
		d := lp[p+1 : p+hdr]
		switch {
		case c&0xe0 == lpEnc13BitInt:
			v = int64(uint64(c&0x1f)<<8 | uint64(d[0]))
			if v >= 1<<12 {
				v -= 1 << 13
			}
		case c&0xf0 == lpEnc12BitStr:
			dataLen = int(c&0x0f)<<8 | int(d[0])
		case c == lpEnc16BitInt:
			v = int64(int16(binary.LittleEndian.Uint16(d)))
		case c == lpEnc24BitInt:
			v = int64(int32(uint32(d[0])<<8|uint32(d[1])<<16|uint32(d[2])<<24) >> 8)
		case c == lpEnc32BitInt:
			v = int64(int32(binary.LittleEndian.Uint32(d)))
		case c == lpEnc64BitInt:
			v = int64(binary.LittleEndian.Uint64(d))
		case c == lpEnc32BitStr:
			dataLen = int(binary.LittleEndian.Uint32(d))
		}
		p += hdr
		isStr := c&0xc0 == lpEnc6BitStrMask || c&0xf0 == lpEnc12BitStr || c == lpEnc32BitStr
		if isStr {
			if dataLen > len(lp)-p {
				return blobErr(start, "listpack string of "+strconv.Itoa(dataLen)+" bytes runs past the end")
			}
			s = lp[p : p+dataLen : p+dataLen]
			p += dataLen
		}
		entryLen := p - start
		bl := backlenSize(entryLen)
		if bl > len(lp)-p {
			return blobErr(p, "listpack entry backlen runs past the end")
		}
		if got, ok := decodeBacklen(lp[p : p+bl]); !ok || got != entryLen {
			return blobErr(p, "listpack entry backlen does not match the entry size "+strconv.Itoa(entryLen))
		}
		p += bl
		count++
		if err := fn(s, v); err != nil {
			return err
		}
	}
	if want != lpNumEleUnknown && want != count {
		return blobErr(4, "listpack header counts "+strconv.Itoa(want)+" elements, found "+strconv.Itoa(count))
	}
	return nil
}

// decodeBacklen reads a backlen written left to right by appendBacklen.
func decodeBacklen(b []byte) (int, bool) {
	v := int(b[0])
	if v&0x80 != 0 {
		return 0, false
	}
	for _, c := range b[1:] {
		if c&0x80 == 0 {
			return 0, false
		}
		v = v<<7 | int(c&127)
	}
	return v, true
}

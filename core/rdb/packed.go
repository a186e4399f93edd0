package rdb

import (
	"encoding/binary"
	"strconv"
)

// Encodings Redis 7.0 still reads but no longer writes: ziplist (ziplist.c),
// zipmap (zipmap.c); and intset (intset.c), which it still writes.

const (
	zlHeaderSize = 10
	zlEnd        = 0xff
	zlBigPrevLen = 254
	zlLenUnknown = 65535
)

// walkZiplist validates a ziplist and calls fn with each element: a string
// (s != nil, aliasing zl) or an integer (s == nil).
func walkZiplist(zl []byte, fn func(s []byte, v int64) error) error {
	if err := checkTotal("ziplist", zl, zlHeaderSize+1); err != nil {
		return err
	}
	tail := int(binary.LittleEndian.Uint32(zl[4:]))
	want := int(binary.LittleEndian.Uint16(zl[8:]))
	p, prev, last, count := zlHeaderSize, 0, zlHeaderSize, 0
	for {
		if end, err := atEnd("ziplist", zl, p); end || err != nil {
			if err != nil {
				return err
			}
			break
		}
		start := p
		prevLen := int(zl[p])
		p++
		if prevLen == zlBigPrevLen {
			if len(zl)-p < 4 {
				return blobErr(start, "ziplist prevlen runs past the end")
			}
			prevLen = int(binary.LittleEndian.Uint32(zl[p:]))
			p += 4
		}
		if prevLen != prev {
			return blobErr(start, "ziplist entry prevlen "+strconv.Itoa(prevLen)+" does not match the previous entry's "+strconv.Itoa(prev)+" bytes")
		}
		if p >= len(zl) {
			return blobErr(p, "ziplist entry encoding runs past the end")
		}
		e := zl[p]
		p++
		var s []byte
		var v int64
		strLen, intLen := -1, 0
		switch {
		case e>>6 == 0:
			strLen = int(e & 0x3f)
		case e>>6 == 1:
			if p >= len(zl) {
				return blobErr(p, "ziplist string length runs past the end")
			}
			strLen = int(e&0x3f)<<8 | int(zl[p])
			p++
		case e>>6 == 2:
			if len(zl)-p < 4 {
				return blobErr(p, "ziplist string length runs past the end")
			}
			strLen = int(binary.BigEndian.Uint32(zl[p:]))
			p += 4
		case e == 0xc0:
			intLen = 2
		case e == 0xd0:
			intLen = 4
		case e == 0xe0:
			intLen = 8
		case e == 0xf0:
			intLen = 3
		case e == 0xfe:
			intLen = 1
		case e >= 0xf1 && e <= 0xfd:
			v = int64(e&0x0f) - 1
		default:
			return blobErr(p-1, "invalid ziplist entry encoding 0x"+strconv.FormatUint(uint64(e), 16))
		}
		if strLen >= 0 {
			if strLen > len(zl)-p {
				return blobErr(start, "ziplist string of "+strconv.Itoa(strLen)+" bytes runs past the end")
			}
			s = zl[p : p+strLen : p+strLen]
			p += strLen
		} else if intLen > 0 {
			if intLen > len(zl)-p {
				return blobErr(start, "ziplist integer runs past the end")
			}
			b := zl[p : p+intLen]
			switch intLen {
			case 1:
				v = int64(int8(b[0]))
			case 2:
				v = int64(int16(binary.LittleEndian.Uint16(b)))
			case 3:
				v = int64(int32(uint32(b[0])<<8|uint32(b[1])<<16|uint32(b[2])<<24) >> 8)
			case 4:
				v = int64(int32(binary.LittleEndian.Uint32(b)))
			default:
				v = int64(binary.LittleEndian.Uint64(b))
			}
			p += intLen
		}
		prev, last = p-start, start
		count++
		if err := fn(s, v); err != nil {
			return err
		}
	}
	if tail != last {
		return blobErr(4, "ziplist tail offset "+strconv.Itoa(tail)+" is not the last entry's offset "+strconv.Itoa(last))
	}
	if want != zlLenUnknown && want != count {
		return blobErr(8, "ziplist header counts "+strconv.Itoa(want)+" entries, found "+strconv.Itoa(count))
	}
	return nil
}

const (
	zmBigLen = 254
	zmEnd    = 0xff
)

// checkTotal checks what ziplists and listpacks start with: at least minLen
// bytes, the first four of which count the blob's bytes.
func checkTotal(kind string, b []byte, minLen int) error {
	if len(b) < minLen {
		return blobErr(0, kind+" shorter than its "+strconv.Itoa(minLen)+"-byte minimum")
	}
	if total := binary.LittleEndian.Uint32(b); int64(total) != int64(len(b)) {
		return blobErr(0, kind+" header says "+strconv.FormatUint(uint64(total), 10)+" bytes, blob has "+strconv.Itoa(len(b)))
	}
	return nil
}

// atEnd reports whether p is at a ziplist's or zipmap's 0xFF terminator,
// which must be the blob's last byte.
func atEnd(kind string, b []byte, p int) (bool, error) {
	if p >= len(b) {
		return false, blobErr(p, kind+" ends without its 0xFF terminator")
	}
	if b[p] != zlEnd { // zmEnd too
		return false, nil
	}
	if p != len(b)-1 {
		return false, blobErr(p, kind+" terminator before the end of the blob")
	}
	return true, nil
}

// walkZipmap validates a zipmap (Redis < 2.6 hashes) and calls fn with each pair.
func walkZipmap(zm []byte, fn func(k, v []byte) error) error {
	if len(zm) < 2 {
		return blobErr(0, "zipmap shorter than its 2-byte minimum")
	}
	want := int(zm[0])
	p, count := 1, 0
	readLen := func(what string) (int, error) {
		if p >= len(zm) {
			return 0, blobErr(p, "zipmap "+what+" length runs past the end")
		}
		n := int(zm[p])
		switch {
		case n == zmEnd:
			return 0, blobErr(p, "zipmap ends where a "+what+" length was expected")
		case n == zmBigLen:
			if len(zm)-p < 5 {
				return 0, blobErr(p, "zipmap "+what+" length runs past the end")
			}
			n = int(binary.LittleEndian.Uint32(zm[p+1:]))
			p += 5
		default:
			p++
		}
		return n, nil
	}
	for {
		if end, err := atEnd("zipmap", zm, p); end || err != nil {
			if err != nil {
				return err
			}
			break
		}
		kl, err := readLen("key")
		if err != nil {
			return err
		}
		if kl > len(zm)-p {
			return blobErr(p, "zipmap key runs past the end")
		}
		k := zm[p : p+kl : p+kl]
		p += kl
		vl, err := readLen("value")
		if err != nil {
			return err
		}
		if p >= len(zm) {
			return blobErr(p, "zipmap free-space byte runs past the end")
		}
		free := int(zm[p])
		p++
		if vl > len(zm)-p || free > len(zm)-p-vl {
			return blobErr(p, "zipmap value runs past the end")
		}
		v := zm[p : p+vl : p+vl]
		p += vl + free
		count++
		if err := fn(k, v); err != nil {
			return err
		}
	}
	if want < zmBigLen && want != count {
		return blobErr(0, "zipmap header counts "+strconv.Itoa(want)+" pairs, found "+strconv.Itoa(count))
	}
	return nil
}

// walkIntset validates an intset (sorted, no duplicates, not empty) and calls
// fn with each member.
func walkIntset(is []byte, fn func(v int64)) error {
	if len(is) < 8 {
		return blobErr(0, "intset shorter than its 8-byte header")
	}
	enc := int(binary.LittleEndian.Uint32(is))
	if enc != 2 && enc != 4 && enc != 8 {
		return blobErr(0, "intset encoding "+strconv.Itoa(enc)+" is not 2, 4 or 8")
	}
	n := int64(binary.LittleEndian.Uint32(is[4:]))
	if 8+n*int64(enc) != int64(len(is)) {
		return blobErr(4, "intset of "+strconv.FormatInt(n, 10)+" members does not fill the "+strconv.Itoa(len(is))+"-byte blob")
	}
	if n == 0 {
		return blobErr(4, "empty intset")
	}
	var prev int64
	for i := range int(n) {
		b := is[8+i*enc:]
		var v int64
		switch enc {
		case 2:
			v = int64(int16(binary.LittleEndian.Uint16(b)))
		case 4:
			v = int64(int32(binary.LittleEndian.Uint32(b)))
		default:
			v = int64(binary.LittleEndian.Uint64(b))
		}
		if i > 0 && v <= prev {
			return blobErr(8+i*enc, "intset members are not sorted and unique")
		}
		prev = v
		fn(v)
	}
	return nil
}

func itoa(n int) string { return strconv.Itoa(n) }

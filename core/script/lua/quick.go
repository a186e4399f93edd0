package lua

import (
	"bytes"

	glua "github.com/yuin/gopher-lua"

	"github.com/syncscope/syncscope/core/cstr"
)

// smallInts are the numbers 0 to 255 as Lua values, boxed once: a
// counter's INCR and EXPIRE's 1 need no allocation (a value in an
// interface never changes, so one box serves every use).
type smallInts [256]glua.LValue

func newSmallInts() *smallInts {
	var s smallInts
	for i := range s {
		s[i] = glua.LNumber(i)
	}
	return &s
}

// number is i as a Lua number.
func (v *vm) number(i int64) glua.LValue {
	if uint64(i) < uint64(len(v.small)) {
		return v.small[i]
	}
	return glua.LNumber(i)
}

// quickReply converts the commonest replies of redis.call, an integer and
// a bulk string (or RESP2's null bulk), as toLua would, without the
// general reader and its copy of the string; ok is false for any other.
func (v *vm) quickReply(b []byte) (val glua.LValue, ok bool) {
	if len(b) < 4 || b[len(b)-2] != '\r' || b[len(b)-1] != '\n' {
		return nil, false
	}
	switch b[0] {
	case ':':
		if i, ok := cstr.String2ll(b[1 : len(b)-2]); ok {
			return v.number(i), true
		}
	case '$':
		hdr := bytes.IndexByte(b, '\n') // "$<len>\r\n"
		if hdr < 3 || b[hdr-1] != '\r' {
			return nil, false
		}
		n, ok := cstr.String2ll(b[1 : hdr-1])
		switch {
		case !ok:
		case n == -1 && hdr == len(b)-1:
			return glua.LFalse, true
		case n >= 0 && int64(len(b)) == int64(hdr+1)+n+2:
			return glua.LString(b[hdr+1 : len(b)-2]), true
		}
	}
	return nil, false
}

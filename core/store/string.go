package store

import (
	"strconv"

	"github.com/syncscope/syncscope/core/cstr"
)

// MaxStringLen is Redis's default proto-max-bulk-len: the longest string
// SETRANGE and APPEND may produce.
const MaxStringLen = 512 * 1024 * 1024

// String is a string value. B is never modified in place once a value may be
// shared: writers replace it through DB.GetForWrite.
type String struct {
	object
	B   []byte
	enc strEnc
	// tail is the byte after the string's end in Redis's buffer (sds's
	// terminator), which a HyperLogLog edit can overwrite and a cut-off
	// sparse opcode then reads. It holds only while the length is still
	// tailLen: any other change of length writes a new terminator.
	tail    byte
	tailLen uint32
}

// strEnc records how Redis built a string, which decides what OBJECT
// ENCODING reports.
type strEnc uint8

const (
	strAuto  strEnc = iota // tryObjectEncoding: int, embstr or raw by content
	strRaw                 // changed in place (APPEND, SETRANGE): raw whatever its length
	strNoInt               // built without trying int (INCRBYFLOAT): embstr or raw
)

// NewString returns a string value holding a copy of b.
func NewString(b []byte) *String { return &String{B: append([]byte(nil), b...)} }

// NewStringOwned returns a string value that takes ownership of b.
func NewStringOwned(b []byte) *String { return &String{B: b} }

// NewRawString returns a string value that takes ownership of b and reports
// the raw encoding, as a string Redis builds with createObject does (SETRANGE
// on a missing key).
func NewRawString(b []byte) *String { return &String{B: b, enc: strRaw} }

// NewFloatString returns a string value that takes ownership of b and is
// never int-encoded, as INCRBYFLOAT's result is not.
func NewFloatString(b []byte) *String { return &String{B: b, enc: strNoInt} }

func (*String) Type() Type { return TypeString }

// Encoding reports int, embstr or raw as Redis 7.0 does after tryObjectEncoding.
func (s *String) Encoding() string {
	if s.enc == strRaw {
		return "raw"
	}
	if _, isInt := cstr.String2ll(s.B); s.enc == strAuto && isInt {
		return "int"
	}
	if len(s.B) <= 44 {
		return "embstr"
	}
	return "raw"
}

// Tail returns the byte Redis holds just past the string's end: 0 unless a
// HyperLogLog edit left another there (SetTail) and the length is unchanged.
func (s *String) Tail() byte {
	if s.tail != 0 && int(s.tailLen) == len(s.B) {
		return s.tail
	}
	return 0
}

// SetTail records the byte past the string's current end.
func (s *String) SetTail(b byte) { s.tail, s.tailLen = b, uint32(len(s.B)) }

// MarkRaw records an in-place change (APPEND, SETRANGE).
func (s *String) MarkRaw() { s.enc = strRaw }

// SetInt replaces the content with n in decimal, int-encoded as INCR leaves
// it. The value must have come from DB.GetForWrite.
func (s *String) SetInt(n int64) {
	s.B = strconv.AppendInt(s.B[:0], n, 10)
	s.enc = strAuto
}

func (s *String) clone() Value {
	return &String{B: append([]byte(nil), s.B...), enc: s.enc, tail: s.tail, tailLen: s.tailLen}
}

package store

import "strconv"

// String is a string value. B is never modified in place once a value may be
// shared: writers replace it through DB.GetForWrite.
type String struct {
	object
	B []byte
	// raw marks a string changed in place (APPEND, SETRANGE), which Redis
	// stores unencoded whatever its length.
	raw bool
}

// NewString returns a string value holding a copy of b.
func NewString(b []byte) *String { return &String{B: append([]byte(nil), b...)} }

// NewStringOwned returns a string value that takes ownership of b.
func NewStringOwned(b []byte) *String { return &String{B: b} }

func (*String) Type() Type { return TypeString }

// Encoding reports int, embstr or raw as Redis 7.0 does after tryObjectEncoding.
func (s *String) Encoding() string {
	if s.raw {
		return "raw"
	}
	if len(s.B) <= 20 && IsCanonicalInt(s.B) {
		return "int"
	}
	if len(s.B) <= 44 {
		return "embstr"
	}
	return "raw"
}

// MarkRaw records an in-place change (APPEND, SETRANGE).
func (s *String) MarkRaw() { s.raw = true }

func (s *String) clone() Value {
	return &String{B: append([]byte(nil), s.B...), raw: s.raw}
}

// IsCanonicalInt reports whether b is the canonical decimal form of an int64
// (no sign on zero, no leading zeros or spaces), the strings Redis stores as
// integers.
func IsCanonicalInt(b []byte) bool {
	if len(b) == 0 || len(b) > 20 {
		return false
	}
	n, err := strconv.ParseInt(string(b), 10, 64)
	if err != nil {
		return false
	}
	var buf [20]byte
	return string(strconv.AppendInt(buf[:0], n, 10)) == string(b)
}

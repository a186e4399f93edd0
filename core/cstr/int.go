package cstr

import "math"

// String2ll is Redis's strict integer parser (util.c string2ll): an
// optional '-', then digits with no leading zero ("0" itself is fine, "-0"
// is not), no blanks, no '+', at most 20 bytes, and the value must fit in
// an int64. The strings it accepts are the ones Redis stores as integers.
func String2ll[T string | []byte](s T) (int64, bool) {
	if len(s) == 0 || len(s) > 20 {
		return 0, false
	}
	if len(s) == 1 && s[0] == '0' {
		return 0, true
	}
	p := 0
	neg := s[0] == '-'
	if neg {
		p = 1
	}
	if p == len(s) || s[p] < '1' || s[p] > '9' {
		return 0, false
	}
	var v uint64
	for ; p < len(s); p++ {
		d := uint64(s[p] - '0')
		if d > 9 {
			return 0, false
		}
		if v > math.MaxUint64/10 || v*10 > math.MaxUint64-d {
			return 0, false
		}
		v = v*10 + d
	}
	if neg {
		if v > 1<<63 {
			return 0, false
		}
		return -int64(v), true
	}
	if v > math.MaxInt64 {
		return 0, false
	}
	return int64(v), true
}

// Strtoll is libc's strtoll(s, &end, base) for bases 2 to 36: leading
// blanks and a sign are allowed, the value saturates on overflow
// (rangeErr, C's ERANGE), and rest is what follows the digits. With no
// digits at all it returns 0 and rest = s.
func Strtoll(s string, base int) (v int64, rest string, rangeErr bool) {
	p := 0
	for p < len(s) && IsSpace(s[p]) {
		p++
	}
	neg := false
	if p < len(s) && (s[p] == '+' || s[p] == '-') {
		neg = s[p] == '-'
		p++
	}
	start := p
	var u uint64
	over := false
	for ; p < len(s); p++ {
		d := digitVal(s[p])
		if d >= base {
			break
		}
		if u > (math.MaxUint64-uint64(d))/uint64(base) {
			over = true
		} else {
			u = u*uint64(base) + uint64(d)
		}
	}
	if p == start {
		return 0, s, false
	}
	switch {
	case !neg && (over || u > math.MaxInt64):
		return math.MaxInt64, s[p:], true
	case neg && (over || u > uint64(math.MaxInt64)+1):
		return math.MinInt64, s[p:], true
	case neg:
		return int64(-u), s[p:], false
	}
	return int64(u), s[p:], false
}

func digitVal(c byte) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c >= 'a' && c <= 'z':
		return int(c-'a') + 10
	case c >= 'A' && c <= 'Z':
		return int(c-'A') + 10
	}
	return 99
}

// IsSpace is C's isspace in the "C" locale.
func IsSpace(c byte) bool { return c == ' ' || (c >= '\t' && c <= '\r') }

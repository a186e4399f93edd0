package command

import (
	"math"
	"strconv"

	"github.com/syncscope/syncscope/core/cstr"
)

// ParseFloat parses b as Redis's getDoubleFromObject does (strtod on the
// whole string): no surrounding spaces, no NaN, no overflow.
func ParseFloat(b []byte) (float64, bool) {
	if len(b) == 0 || isSpace(b[0]) || isSpace(b[len(b)-1]) {
		return 0, false
	}
	s := string(b)
	if isHexFloat(s) {
		s += "p0" // strtod reads hex without a binary exponent; Go needs one
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(f) {
		return 0, false
	}
	return f, true
}

// isHexFloat reports a "0x..." number without a 'p' exponent.
func isHexFloat(s string) bool {
	t := s
	if len(t) > 0 && (t[0] == '-' || t[0] == '+') {
		t = t[1:]
	}
	if len(t) < 3 || t[0] != '0' || (t[1] != 'x' && t[1] != 'X') {
		return false
	}
	for i := 2; i < len(t); i++ {
		if t[i] == 'p' || t[i] == 'P' {
			return false
		}
	}
	return true
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'
}

// EqualFold reports whether b equals the lower-case ASCII word s, ignoring case:
// for option names such as "nx" or "withscores", without allocating.
func EqualFold(b []byte, s string) bool {
	if len(b) != len(s) {
		return false
	}
	for i := 0; i < len(b); i++ {
		c := b[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != s[i] {
			return false
		}
	}
	return true
}

// oneOf returns which of words (lower case) b is, ignoring case, or -1
// for none of them: an argument that names one of a few choices (BITOP's
// operation, a GEO unit, OVERFLOW's behaviour).
func oneOf(b []byte, words ...string) int {
	for i, w := range words {
		if EqualFold(b, w) {
			return i
		}
	}
	return -1
}

// eitherWord reads an argument that must be first or second (LEFT|RIGHT,
// BEFORE|AFTER, BIT|BYTE...), isFirst telling which; anything else is
// replied to with a syntax error.
func eitherWord(c *Ctx, b []byte, first, second string) (isFirst, ok bool) {
	i := oneOf(b, first, second)
	if i < 0 {
		c.Error(ErrSyntax)
	}
	return i == 0, i >= 0
}

// mpopArgs are the arguments of LMPOP and ZMPOP and their blocking forms.
type mpopArgs struct {
	keys    [][]byte
	isFirst bool  // LEFT or MIN
	count   int64 // 1 without COUNT
	timeout int64 // BLMPOP's and BZMPOP's, in milliseconds
}

// parseMPop parses what LMPOP and ZMPOP (and, blocking, BLMPOP and BZMPOP,
// which have the timeout first) share: numkeys, the keys, then first or
// second (LEFT|RIGHT, MIN|MAX), then [COUNT n], and last, as Redis reads
// it, the timeout. A numkeys past the arguments is a syntax error, checked
// before the sum so that a huge count cannot overflow; countErr is the
// command's word for a COUNT below 1.
func parseMPop(c *Ctx, blocking bool, first, second, countErr string) (a mpopArgs, ok bool) {
	numIdx := 1
	if blocking {
		numIdx = 2
	}
	nk, ok := cstr.String2ll(c.Args[numIdx])
	if !ok || nk < 1 {
		c.Error(errNumkeys)
		return a, false
	}
	if nk >= int64(len(c.Args)-numIdx-1) {
		c.Error(ErrSyntax)
		return a, false
	}
	whereIdx := numIdx + int(nk) + 1
	if a.isFirst, ok = eitherWord(c, c.Args[whereIdx], first, second); !ok {
		return a, false
	}
	a.count = -1
	for j := whereIdx + 1; j < len(c.Args); j++ {
		if a.count != -1 || !EqualFold(c.Args[j], "count") || j == len(c.Args)-1 {
			c.Error(ErrSyntax)
			return a, false
		}
		j++
		n, ok := cstr.String2ll(c.Args[j])
		if !ok || n < 1 {
			c.Error(countErr)
			return a, false
		}
		a.count = n
	}
	if a.count == -1 {
		a.count = 1
	}
	a.keys = c.Args[numIdx+1 : whereIdx]
	if blocking {
		a.timeout, ok = zsetParseTimeout(c, c.Args[1])
	}
	return a, ok
}

// intPair reads two integer arguments (a range's start and end, LIMIT's
// offset and count), replying ErrNotInt when either is not one.
func intPair(c *Ctx, a, b []byte) (x, y int64, ok bool) {
	if x, ok = cstr.String2ll(a); ok {
		y, ok = cstr.String2ll(b)
	}
	if !ok {
		c.Error(ErrNotInt)
	}
	return x, y, ok
}

// indexWindow is the part of n elements that LRANGE, LTRIM, ZRANGE and
// ZREMRANGEBYRANK take from an inclusive start and end: negative ones count
// from the end, start is clamped to 0 and end to n-1. ok is false when no
// element is in it.
func indexWindow(start, end int64, n int) (from, to int, ok bool) {
	l := int64(n)
	if start < 0 {
		start += l
	}
	if end < 0 {
		end += l
	}
	start = max(start, 0)
	if start > end || start >= l {
		return 0, 0, false
	}
	return int(start), int(min(end, l-1)), true
}

// stringRange resolves GETRANGE's, BITCOUNT's and BITPOS's start and end in
// a string of n bytes (or bits) as Redis does: negative ones count from the
// end, then both are clamped to 0 and end to n-1 (-1 when n is 0). Unlike
// indexWindow's, an end before the string becomes 0, so start may be past
// end.
func stringRange(start, end, n int64) (int64, int64) {
	if start < 0 {
		start += n
	}
	if end < 0 {
		end += n
	}
	start, end = max(start, 0), max(end, 0)
	return start, min(end, n-1)
}

// nonNegative reads an argument that must be a non-negative integer,
// replying notInt to what is not an integer and negative to a negative one.
func nonNegative(c *Ctx, arg []byte, notInt, negative string) (int64, bool) {
	n, ok := cstr.String2ll(arg)
	switch {
	case !ok:
		c.Error(notInt)
	case n < 0:
		c.Error(negative)
	default:
		return n, true
	}
	return 0, false
}

// positiveCount parses a count as getPositiveLongFromObjectOrReply does
// (LPOP, SPOP, ZPOPMIN...): one message for a non-integer and for a
// negative number.
func positiveCount(c *Ctx, b []byte) (int64, bool) {
	return nonNegative(c, b, errNotPositive, errNotPositive)
}

// intArg is getLongLongFromObjectOrReply: b as an int64, or ok false once
// it has replied that b is not one.
func intArg(c *Ctx, b []byte) (int64, bool) {
	n, ok := cstr.String2ll(b)
	if !ok {
		c.Error(ErrNotInt)
	}
	return n, ok
}

package command

import (
	"math"
	"math/bits"
	"strconv"
)

// Long double emulation for INCRBYFLOAT and the blocking commands'
// timeouts. Redis adds in the x86-64 long double (64-bit mantissa, 15-bit
// exponent), reads with strtold and prints with "%.17Lf", so 0.1+0.2 is
// "0.3" there. ldouble keeps a 64-bit mantissa rounded to nearest even at
// each step, as the x87 unit does; its exponent is unbounded and the
// callers check long double's range (ldMaxExp, ldMinExp). It is its own
// small arithmetic (parse, add, multiply by an integer, print) rather than
// math/big's Float, which the browser's main.wasm cannot afford.
type ldouble struct {
	mant uint64 // the top bit set, or 0 for zero
	exp  int    // x = mant/2^64 * 2^exp: big.Float's MantExp
	neg  bool
	inf  bool
}

const (
	ldMaxExp  = 16384  // |x| >= 2^16384 is infinite
	ldMinExp  = -16444 // |x| < 2^-16445 underflows to zero
	ldMaxText = 5 * 1024
)

func (x ldouble) isZero() bool { return !x.inf && x.mant == 0 }

// ldRound rounds the 128-bit mantissa hi:lo (hi's top bit set), with
// sticky for any nonzero bits below lo, to 64 bits to nearest even.
func ldRound(hi, lo uint64, sticky bool, exp int, neg bool) ldouble {
	const half = 1 << 63
	if lo > half || lo == half && (sticky || hi&1 == 1) {
		hi++
		if hi == 0 {
			hi, exp = 1<<63, exp+1
		}
	}
	return ldouble{mant: hi, exp: exp, neg: neg}
}

// add returns x + y rounded to 64 bits (finite x and y).
func (x ldouble) add(y ldouble) ldouble {
	switch {
	case x.isZero() && y.isZero():
		return ldouble{neg: x.neg && y.neg}
	case x.isZero():
		return y
	case y.isZero():
		return x
	}
	if y.exp > x.exp || y.exp == x.exp && y.mant > x.mant {
		x, y = y, x
	}
	// x's mantissa in hi, y's shifted right by d bits below it; sticky
	// when bits of y fall off the end.
	ahi, alo := x.mant, uint64(0)
	var bhi, blo uint64
	sticky := false
	switch d := x.exp - y.exp; {
	case d == 0:
		bhi = y.mant
	case d < 64:
		bhi, blo = y.mant>>d, y.mant<<(64-d)
	case d == 64:
		blo = y.mant
	case d < 128:
		blo, sticky = y.mant>>(d-64), y.mant<<(128-d) != 0
	default:
		sticky = true
	}
	exp := x.exp
	if x.neg == y.neg {
		lo, c := bits.Add64(alo, blo, 0)
		hi, c2 := bits.Add64(ahi, bhi, c)
		if c2 != 0 {
			sticky = sticky || lo&1 == 1
			lo = lo>>1 | hi<<63
			hi = hi>>1 | 1<<63
			exp++
		}
		return ldRound(hi, lo, sticky, exp, x.neg)
	}
	// |x| >= |y|: x - y, less one unit below lo when bits of y were cut
	// off (the exact difference is then just under hi:lo).
	lo, b := bits.Sub64(alo, blo, 0)
	hi, _ := bits.Sub64(ahi, bhi, b)
	if sticky {
		lo, b = bits.Sub64(lo, 1, 0)
		hi -= b
	}
	if hi == 0 && lo == 0 && !sticky {
		return ldouble{}
	}
	if n := bits.LeadingZeros64(hi); hi == 0 {
		n = 64 + bits.LeadingZeros64(lo)
		hi, lo = lo<<(n-64), 0
		exp -= n
	} else if n > 0 {
		hi, lo = hi<<n|lo>>(64-n), lo<<n
		exp -= n
	}
	return ldRound(hi, lo, sticky, exp, x.neg)
}

// mulInt returns x * m rounded to 64 bits (finite x, m > 0).
func (x ldouble) mulInt(m uint64) ldouble {
	if x.inf || x.isZero() {
		return x
	}
	hi, lo := bits.Mul64(x.mant, m)
	n := bits.LeadingZeros64(hi)
	exp := x.exp + 64 - n
	if n > 0 {
		hi, lo = hi<<n|lo>>(64-n), lo<<n
	}
	return ldRound(hi, lo, false, exp, x.neg)
}

// int64 truncates x toward zero as big.Float's Int64: acc is -1 when the
// result is below x, +1 above, 0 exact; out of range gives MaxInt64
// (below) or MinInt64 (above).
func (x ldouble) int64() (t int64, acc int) {
	switch {
	case x.inf && x.neg:
		return math.MinInt64, 1
	case x.inf:
		return math.MaxInt64, -1
	case x.mant == 0:
		return 0, 0
	case x.exp <= 0:
		if x.neg {
			return 0, 1
		}
		return 0, -1
	case x.exp > 63:
		if x.neg && x.exp == 64 && x.mant == 1<<63 {
			return math.MinInt64, 0
		}
		if x.neg {
			return math.MinInt64, 1
		}
		return math.MaxInt64, -1
	}
	whole := x.mant >> (64 - x.exp)
	exact := x.mant<<x.exp == 0
	t = int64(whole)
	switch {
	case exact:
		return setSign(t, x.neg), 0
	case x.neg:
		return -t, 1
	}
	return t, -1
}

func setSign(t int64, neg bool) int64 {
	if neg {
		return -t
	}
	return t
}

// parseLongDouble is Redis's string2ld: strtold over the whole string, no
// leading space, no NaN, no overflow or total underflow. It reads what
// big.ParseFloat reads with base 0: a decimal or 0x hexadecimal mantissa
// with an optional point, an e (decimal) or, after hex digits, p (binary)
// exponent; and inf or infinity in any case.
func parseLongDouble(b []byte) (ldouble, bool) {
	if len(b) == 0 || len(b) >= ldMaxText || isSpace(b[0]) {
		return ldouble{}, false
	}
	neg := b[0] == '-'
	body := b
	if body[0] == '+' || body[0] == '-' {
		body = body[1:]
	}
	if EqualFold(body, "inf") || EqualFold(body, "infinity") {
		return ldouble{inf: true, neg: neg}, true
	}
	hex := len(body) > 1 && body[0] == '0' && (body[1] == 'x' || body[1] == 'X')
	digitsAt := 0
	if hex {
		digitsAt = 2
	}
	// Mantissa: digits with at most one point, at least one digit.
	var digits []byte // values, not characters
	point, seenPoint := 0, false
	i := digitsAt
	for ; i < len(body); i++ {
		c := body[i]
		var v byte
		switch {
		case c >= '0' && c <= '9':
			v = c - '0'
		case hex && c >= 'a' && c <= 'f':
			v = c - 'a' + 10
		case hex && c >= 'A' && c <= 'F':
			v = c - 'A' + 10
		case c == '.' && !seenPoint:
			seenPoint, point = true, len(digits)
			continue
		default:
			goto mantissaDone
		}
		digits = append(digits, v)
	}
mantissaDone:
	if len(digits) == 0 {
		return ldouble{}, false
	}
	if !seenPoint {
		point = len(digits)
	}
	// Exponent: e for decimal digits, p for hex ones, then a signed
	// integer that fits an int64.
	var exp int64
	if i < len(body) {
		c := body[i]
		if hex && c != 'p' && c != 'P' || !hex && c != 'e' && c != 'E' {
			return ldouble{}, false
		}
		e, err := strconv.ParseInt(string(body[i+1:]), 10, 64)
		if err != nil {
			return ldouble{}, false
		}
		exp = e
	}
	var x ldouble
	if hex {
		x = hexToLD(digits, point, exp)
	} else {
		x = decToLD(digits, point, exp)
	}
	x.neg = neg
	if !x.isZero() && (x.inf || x.exp > ldMaxExp || x.exp < ldMinExp) {
		return ldouble{}, false
	}
	return x, true
}

// hexToLD is 0x0.digits * 16^point * 2^exp rounded to 64 bits.
func hexToLD(digits []byte, point int, exp int64) ldouble {
	for len(digits) > 0 && digits[0] == 0 {
		digits, point = digits[1:], point-1
	}
	if len(digits) == 0 {
		return ldouble{}
	}
	var hi, lo uint64
	sticky, n := false, 0 // n: bits taken into hi:lo
	for _, d := range digits {
		for bit := 3; bit >= 0; bit-- {
			v := uint64(d>>bit) & 1
			switch {
			case n == 0 && v == 0:
				exp-- // a leading zero bit of the first digit
				continue
			case n < 64:
				hi |= v << (63 - n)
			case n < 128:
				lo |= v << (127 - n)
			default:
				sticky = sticky || v == 1
			}
			n++
		}
	}
	e := int64(point)*4 + exp
	// big.ParseFloat's exponent bound; far out of range either way.
	if e > math.MaxInt32 {
		return ldouble{inf: true}
	}
	if e < math.MinInt32 {
		return ldouble{mant: 1 << 63, exp: ldMinExp - 100}
	}
	return ldRound(hi, lo, sticky, int(e), false)
}

// decToLD is 0.digits * 10^point * 10^exp rounded to 64 bits, or an
// infinity (or zero) far out of long double's range.
func decToLD(digits []byte, point int, exp int64) ldouble {
	for len(digits) > 0 && digits[0] == 0 {
		digits, point = digits[1:], point-1
	}
	for len(digits) > 0 && digits[len(digits)-1] == 0 {
		digits = digits[:len(digits)-1]
	}
	if len(digits) == 0 {
		return ldouble{}
	}
	dp := int64(point) + exp
	// 10^4933 > 2^16384 and 10^-4951 < 2^-16445: decided already.
	if dp > 5000 {
		return ldouble{inf: true}
	}
	if dp < -5000 {
		return ldouble{mant: 1 << 63, exp: ldMinExp - 100}
	}
	d := decimal{d: append([]byte(nil), digits...), dp: int(dp), limit: 800}
	d.cut()
	// Scale into [1/2, 1), counting the powers of two.
	e := 0
	for d.dp > 0 {
		s := 1
		if d.dp > 18 {
			s = 59
		}
		d.shiftRight(s)
		e += s
	}
	for d.dp < 0 || d.dp == 0 && d.d[0] < 5 {
		s := 1
		if d.dp < -17 {
			s = 59
		}
		d.shiftLeft(s)
		e -= s
	}
	// The mantissa is the integer part of d * 2^64, rounded.
	d.shiftLeft(64)
	var mant uint64
	for i := 0; i < d.dp; i++ {
		mant = mant*10 + uint64(d.at(i))
	}
	if d.roundsUp(d.dp) {
		mant++
		if mant == 0 {
			mant, e = 1<<63, e+1
		}
	}
	return ldouble{mant: mant, exp: e}
}

// appendFixed writes x as printf's "%.17Lf": every digit of the integer
// part, 17 after the point, rounded to nearest even (finite x).
func (x ldouble) appendFixed(b []byte) []byte {
	const prec = 17
	if x.neg {
		b = append(b, '-')
	}
	var d decimal
	if x.mant != 0 {
		d = decimal{d: []byte(strconv.FormatUint(x.mant, 10))}
		for i := range d.d {
			d.d[i] -= '0'
		}
		d.dp = len(d.d)
		d.cut()
		if s := x.exp - 64; s > 0 {
			d.shiftLeft(s)
		} else if s < 0 {
			d.limit = 1000 // the integer part is below 2^64: 20 digits
			d.shiftRight(-s)
		}
	}
	keep := d.dp + prec // digits kept
	switch {
	case len(d.d) == 0 || keep < 0:
		d = decimal{}
	case keep < len(d.d) || d.trunc:
		up := d.roundsUp(keep)
		if keep < len(d.d) {
			d.d = d.d[:keep]
		}
		d.trunc = false
		if up {
			d.increment()
		}
	}
	if d.dp <= 0 {
		b = append(b, '0')
	} else {
		for i := 0; i < d.dp; i++ {
			b = append(b, '0'+d.at(i))
		}
	}
	b = append(b, '.')
	for i := d.dp; i < d.dp+prec; i++ {
		b = append(b, '0'+d.at(i))
	}
	return b
}

// decimal is 0.d[0]d[1]... * 10^dp, digits as values without leading or
// trailing zeros. With limit > 0, shiftRight keeps that many digits and
// notes in trunc that nonzero ones were cut: rounding stays exact.
type decimal struct {
	d     []byte
	dp    int
	trunc bool
	limit int
}

// at is digit i, 0 past the end (or before the start).
func (d *decimal) at(i int) byte {
	if i < 0 || i >= len(d.d) {
		return 0
	}
	return d.d[i]
}

// cut drops digits past limit (noting trunc) and trailing zeros.
func (d *decimal) cut() {
	if d.limit > 0 && len(d.d) > d.limit {
		for _, c := range d.d[d.limit:] {
			if c != 0 {
				d.trunc = true
				break
			}
		}
		d.d = d.d[:d.limit]
	}
	for len(d.d) > 0 && d.d[len(d.d)-1] == 0 {
		d.d = d.d[:len(d.d)-1]
	}
	if len(d.d) == 0 {
		d.dp = 0
	}
}

// shiftLeft multiplies by 2^k.
func (d *decimal) shiftLeft(k int) {
	for k > 0 {
		s := min(k, 59)
		k -= s
		out := make([]byte, len(d.d)+20)
		w := len(out)
		var n uint64
		for i := len(d.d) - 1; i >= 0; i-- {
			n += uint64(d.d[i]) << s
			w--
			out[w] = byte(n % 10)
			n /= 10
		}
		for n > 0 {
			w--
			out[w] = byte(n % 10)
			n /= 10
		}
		d.dp += len(out) - w - len(d.d)
		d.d = out[w:]
		d.cut()
	}
}

// shiftRight divides by 2^k.
func (d *decimal) shiftRight(k int) {
	for k > 0 && len(d.d) > 0 {
		s := min(k, 59)
		k -= s
		mask := uint64(1)<<s - 1
		var n uint64
		r := 0
		// The first digits that make a quotient digit.
		for ; n>>s == 0; r++ {
			if r < len(d.d) {
				n = n*10 + uint64(d.d[r])
			} else {
				n *= 10
			}
		}
		d.dp -= r - 1
		out := make([]byte, 0, len(d.d)+s)
		for ; r < len(d.d); r++ {
			out = append(out, byte(n>>s))
			n = n&mask*10 + uint64(d.d[r])
		}
		for n > 0 {
			if d.limit > 0 && len(out) >= d.limit {
				d.trunc = true
				break
			}
			out = append(out, byte(n>>s))
			n = n & mask * 10
		}
		d.d = out
		d.cut()
	}
}

// roundsUp says whether rounding to the first n digits goes up: above
// half, or exactly half and the last digit kept is odd.
func (d *decimal) roundsUp(n int) bool {
	if n < 0 || n >= len(d.d) {
		return false
	}
	if d.d[n] != 5 || n+1 < len(d.d) || d.trunc {
		return d.d[n] > 5 || d.d[n] == 5 && (n+1 < len(d.d) || d.trunc)
	}
	return n > 0 && d.d[n-1]%2 == 1
}

// increment adds one unit in the last digit.
func (d *decimal) increment() {
	i := len(d.d) - 1
	for i >= 0 && d.d[i] == 9 {
		i--
	}
	if i < 0 {
		d.d = append(d.d[:0], 1)
		d.dp++
		return
	}
	d.d[i]++
	d.d = d.d[:i+1]
}

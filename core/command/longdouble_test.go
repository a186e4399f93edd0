package command

import (
	"math"
	"math/big"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// bigParse is the reference: math/big's Float with a 64-bit mantissa, as
// INCRBYFLOAT computed before ldouble (and as the tests still can).
func bigParse(b []byte) (*big.Float, bool) {
	if len(b) == 0 || len(b) >= ldMaxText || isSpace(b[0]) {
		return nil, false
	}
	body := b
	if body[0] == '+' || body[0] == '-' {
		body = body[1:]
	}
	if EqualFold(body, "inf") || EqualFold(body, "infinity") {
		return new(big.Float).SetInf(b[0] == '-'), true
	}
	hex := len(body) > 2 && body[0] == '0' && (body[1] == 'x' || body[1] == 'X')
	for i, ch := range body {
		switch {
		case ch >= '0' && ch <= '9', ch == '.':
		case hex && i > 1 && (ch >= 'a' && ch <= 'f' || ch >= 'A' && ch <= 'F' || ch == 'p' || ch == 'P'):
		case hex && i == 1:
		case !hex && (ch == 'e' || ch == 'E'):
		case ch == '+' || ch == '-':
		default:
			return nil, false
		}
	}
	f, _, err := big.ParseFloat(string(b), 0, 64, big.ToNearestEven)
	if err != nil {
		return nil, false
	}
	if f.Sign() != 0 {
		if e := f.MantExp(nil); e > ldMaxExp || e < ldMinExp {
			return nil, false
		}
	}
	return f, true
}

func bigAdd(cur []byte, exists bool, incr []byte) ([]byte, bool) {
	a := new(big.Float).SetPrec(64)
	var ok bool
	if exists {
		if a, ok = bigParse(cur); !ok {
			return nil, false
		}
	}
	b, ok := bigParse(incr)
	if !ok {
		return nil, false
	}
	if a.IsInf() || b.IsInf() {
		return nil, true
	}
	a.Add(a, b)
	if a.Sign() != 0 && a.MantExp(nil) > ldMaxExp {
		return nil, true
	}
	return trimHuman(a.Append(nil, 'f', 17)), true
}

// bigTimeout is zsetParseTimeout's arithmetic on big.Float: the ceiling
// of x*1000 as an int64, ok false when negative or out of range.
func bigTimeout(b []byte) (int64, bool, bool) {
	f, ok := bigParse(b)
	if !ok {
		return 0, false, false
	}
	ms := new(big.Float).SetPrec(64).Mul(f, big.NewFloat(1000))
	t, acc := ms.Int64()
	if acc == big.Below && t != math.MaxInt64 {
		t++
	}
	return t, true, !(ms.IsInf() || acc != big.Exact && (t == math.MaxInt64 || t == math.MinInt64) || t < 0)
}

func ldTimeout(b []byte) (int64, bool, bool) {
	f, ok := parseLongDouble(b)
	if !ok {
		return 0, false, false
	}
	ms := f.mulInt(1000)
	t, acc := ms.int64()
	if acc < 0 && t != math.MaxInt64 {
		t++
	}
	return t, true, !(ms.inf || acc != 0 && (t == math.MaxInt64 || t == math.MinInt64) || t < 0)
}

var ldCases = []string{
	"", "0", "-0", "+0", "0.1", "0.2", "0.3", "-0.1", "1.1", "2.2", "10.5", "-10.5", "1e17", "1e-17", "5e-18", "4.9e-18",
	"0.00000000000000001", "-0.000000000000000001", "0.000000000000000005", "0.000000000000000015", "0.000000000000000025",
	"3", "0x10", "0x1p-2", "0X1.8P1", "0x.8", "0x1.", "0xffffffffffffffffff", "0x1p16383", "0x1p16384", "0x1p-16445", "0x1p-16446",
	"0x.000001p-16420", "0x", "0x.", "0xp1", "0x1p", "0x1e", "0x1E+5", "1e", "1e+", "1e+-5", "1e5", "1E-5", "1e+05",
	"1.5e300", "1e4932", "1.18973149535723176502e4932", "1.2e4932", "1e-4950", "3.6e-4951", "3.7e-4951", "1e-4960",
	"1e-5000", "1e5000", "0e999999", "0e-999999", "0.0000e99999999", "1_0", " 1", "1 ", "abc", "nan", "NaN", "inf", "-inf",
	"+Infinity", "INF", "infinit", "0b1", "0o7", "--1", "+-1", "-+1", "1+2", ".", ".5", "5.", "1.2.3", "..1", "00x1",
	"9223372036854775807", "9223372036854775808", "-9223372036854775808", "-9223372036854775809", "18446744073709551615",
	"18446744073709551616", "18446744073709551617", "36893488147419103231", "36893488147419103233",
	"0.1234567890123456789012345", "123456789012345678901234567890.123456789", "9999999999999999999.5",
	"99999999999999999999999999999999999999", "1" + strings.Repeat("0", 4000), "0." + strings.Repeat("0", 4000) + "1",
	strings.Repeat("9", 5000), strings.Repeat("1", 5119), "9.223372036854775807e15", "9.223372036854775808e15",
	"-9.223372036854775808e15", "1e-3", "0.0005", "0.0015", "-0.0005", "4.5e-4", "1.7976931348623157e308",
	"4.9406564584124654e-324", "2.2250738585072014e-308", "123.456", "-123.456", "1e16", "12345678.87654321",
}

// ldouble reads, adds and prints as math/big's 64-bit Float does.
func TestLongDoubleAsBig(t *testing.T) {
	for _, a := range ldCases {
		// Every case plus each of the first ones (the short ones: the
		// long ones take milliseconds each).
		for _, b := range append(ldCases[:40:40], a) {
			requireAddAsBig(t, a, b)
		}
		requireTimeoutAsBig(t, a)
	}
}

// requireAddAsBig requires ldouble to add a (a missing key when empty) and
// b as the math/big reference does.
func requireAddAsBig(t *testing.T, a, b string) {
	t.Helper()
	want, wantOK := bigAdd([]byte(a), a != "", []byte(b))
	got, ok := addLongDouble([]byte(a), a != "", []byte(b))
	require.Equal(t, wantOK, ok, "%.40q + %.40q", a, b)
	require.Equal(t, string(want), string(got), "%.40q + %.40q", a, b)
}

// requireTimeoutAsBig requires ldouble to read a as a timeout as the
// math/big reference does.
func requireTimeoutAsBig(t *testing.T, a string) {
	t.Helper()
	wt, wok, wvalid := bigTimeout([]byte(a))
	gt, gok, gvalid := ldTimeout([]byte(a))
	require.Equal(t, []any{wt, wok, wvalid}, []any{gt, gok, gvalid}, "timeout %.40q", a)
}

// Exponents far out of long double's range are refused as strtold
// refuses them (ERANGE), where big.Float returned an infinity or zero.
func TestLongDoubleFarExponents(t *testing.T) {
	for _, s := range []string{"1e2000000000", "1e-2000000000", "1e99999999999999999999", "0x1p3000000000", "0x1p-3000000000"} {
		_, ok := parseLongDouble([]byte(s))
		assert.False(t, ok, s)
	}
	f, ok := parseLongDouble([]byte("0e2000000000"))
	require.True(t, ok)
	assert.True(t, f.isZero())
}

// farExponent says whether s has a decimal or binary exponent beyond
// a million, where big.Float and strtold disagree (see above).
func farExponent(s string) bool {
	i := strings.LastIndexAny(s, "eEpP")
	if i < 0 || (strings.ContainsAny(s, "xX") && (s[i] == 'e' || s[i] == 'E')) {
		return false
	}
	e, err := strconv.ParseInt(s[i+1:], 10, 64)
	return err != nil || e > 1e6 || e < -1e6
}

func FuzzLongDoubleAsBig(f *testing.F) {
	for i, a := range ldCases {
		f.Add(a, ldCases[(i*7+3)%len(ldCases)])
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		if farExponent(a) || farExponent(b) {
			return
		}
		requireAddAsBig(t, a, b)
		requireTimeoutAsBig(t, a)
	})
}

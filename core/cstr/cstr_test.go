package cstr

import (
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The C semantics these helpers keep, edge by edge.
func TestCSemantics(t *testing.T) {
	t.Run("string2ll", func(t *testing.T) {
		for _, tc := range []struct {
			in string
			v  int64
			ok bool
		}{
			{"0", 0, true}, {"-1", -1, true}, {"-12", -12, true}, {"10", 10, true},
			{"9223372036854775807", math.MaxInt64, true}, {"-9223372036854775808", math.MinInt64, true},
			{"9223372036854775808", 0, false}, {"-9223372036854775809", 0, false},
			{"18446744073709551616", 0, false}, {"99999999999999999999", 0, false},
			{"123456789012345678901", 0, false}, // 21 bytes: longer than any int64
			{"01", 0, false}, {"-0", 0, false}, {"+1", 0, false}, {" 1", 0, false}, {"1 ", 0, false},
			{"", 0, false}, {"-", 0, false}, {"1a", 0, false}, {"1.0", 0, false}, {"1\x00", 0, false},
		} {
			v, ok := String2ll(tc.in)
			assert.Equal(t, tc.ok, ok, "%q", tc.in)
			assert.Equal(t, tc.v, v, "%q", tc.in)
			v, ok = String2ll([]byte(tc.in))
			assert.Equal(t, tc.ok, ok, "[]byte %q", tc.in)
			assert.Equal(t, tc.v, v, "[]byte %q", tc.in)
		}
	})
	t.Run("strtoll", func(t *testing.T) {
		for _, tc := range []struct {
			in, rest string
			base     int
			v        int64
			rangeErr bool
		}{
			{"14", "", 10, 14, false}, {" \t7x", "x", 10, 7, false}, {"-5", "", 10, -5, false},
			{"+3", "", 10, 3, false}, {"", "", 10, 0, false}, {"abc", "abc", 10, 0, false},
			{"-", "-", 10, 0, false}, {" ", " ", 10, 0, false},
			{"99999999999999999999999", "", 10, math.MaxInt64, true},
			{"-99999999999999999999999", "", 10, math.MinInt64, true},
			{"9223372036854775807", "", 10, math.MaxInt64, false},
			{"9223372036854775808", "", 10, math.MaxInt64, true},
			{"-9223372036854775808", "", 10, math.MinInt64, false},
			{"0755", "", 8, 0o755, false}, {"0789", "89", 8, 0o7, false}, {"zZ", "", 36, 35*36 + 35, false},
		} {
			v, rest, rangeErr := Strtoll(tc.in, tc.base)
			assert.Equal(t, tc.v, v, "%q", tc.in)
			assert.Equal(t, tc.rest, rest, "%q", tc.in)
			assert.Equal(t, tc.rangeErr, rangeErr, "%q", tc.in)
		}
	})
	t.Run("%.17g", func(t *testing.T) {
		for _, c := range []struct {
			f    float64
			want string
		}{
			{0, "0"}, {math.Copysign(0, -1), "-0"}, {1, "1"}, {3, "3"}, {-2.5, "-2.5"}, {0.1, "0.10000000000000001"},
			{1e20, "1e+20"}, {1e16, "10000000000000000"}, {1e17, "1e+17"},
			{123456789012345678, "1.2345678901234568e+17"}, {1.5e-7, "1.4999999999999999e-07"},
			{0.0001, "0.0001"}, {1e-5, "1.0000000000000001e-05"}, {1.0 / 3, "0.33333333333333331"},
			{1e-300, "1e-300"}, {1.5e300, "1.5000000000000001e+300"}, {5e-324, "4.9406564584124654e-324"},
			{123456789.125, "123456789.125"}, {math.Inf(1), "inf"}, {math.Inf(-1), "-inf"}, {math.NaN(), "nan"},
		} {
			assert.Equal(t, c.want, string(AppendG17(nil, c.f)), "%v", c.f)
		}
	})
	t.Run("until NUL", func(t *testing.T) {
		for _, tc := range []struct{ in, want string }{
			{"", ""}, {"abc", "abc"}, {"\x00", ""}, {"a\x00b", "a"}, {"ab\x00", "ab"}, {"\x00\x00x", ""},
		} {
			assert.Equal(t, tc.want, UntilNUL(tc.in), "%q", tc.in)
			assert.Equal(t, []byte(tc.want), UntilNUL([]byte(tc.in)), "[]byte %q", tc.in)
		}
	})
	t.Run("sdssplitargs", func(t *testing.T) {
		for _, tc := range []struct {
			in   string
			want []string // nil: unbalanced quotes
		}{
			{`set "a b" 'c\'d' e`, []string{"set", "a b", "c'd", "e"}},
			{"  \t\r\n", []string{}},
			{`"\x41\x4a\x4" "\n\r\t\b\a\z\\\""`, []string{"AJx4", "\n\r\t\b\az\\\""}},
			{`'\n\x41'`, []string{`\n\x41`}},
			{`"a"b`, nil}, {`'a'b`, nil}, {`"a`, nil}, {`'a`, nil}, {`"a\`, nil},
			{"a\x00b c", []string{"a"}}, // a C string: it ends at the NUL
			{"\"a\x00\"", nil},
			{"a\vb", []string{"a\vb"}}, // \v separates no words, only leading blanks
			{`""`, []string{""}}, {`a""`, []string{"a"}}, {`a"b c"`, []string{"ab c"}},
		} {
			got, ok := SplitArgsStrings(tc.in)
			if tc.want == nil {
				assert.False(t, ok, "%q", tc.in)
				continue
			}
			require.True(t, ok, "%q", tc.in)
			assert.Equal(t, tc.want, got, "%q", tc.in)
		}
	})
	t.Run("sdscatrepr", func(t *testing.T) {
		assert.Equal(t, `"a\"b\\c\x00\xff"`, Repr("a\"b\\c\x00\xff"))
		assert.Equal(t, `"\xc3\xa9t\xc3\xa9"`, Repr("été"), "UTF-8 is bytes to Redis")
		assert.Equal(t, `"\n\r\t\a\b\x7f~ "`, Repr([]byte("\n\r\t\a\b\x7f~ ")))
		assert.Equal(t, `x\x01`, string(AppendReprBody([]byte("x"), "\x01")))
	})
	t.Run("stringmatchlen", func(t *testing.T) {
		for _, tc := range []struct {
			pattern, s   string
			nocase, want bool
		}{
			{"h?llo", "hello", false, true}, {"h*llo", "heeello", false, true}, {"h[ae]llo", "hallo", false, true},
			{"h[^e]llo", "hello", false, false}, {"h[a-b]llo", "hbllo", false, true}, {"h[b-a]llo", "hbllo", false, true},
			{`h\*llo`, "h*llo", false, true}, {`h\*llo`, "hello", false, false}, {"HELLO", "hello", true, true},
			{"HELLO", "hello", false, false}, {"[abc", "a", false, true}, {"a*a*a*a*a*a*a*a*b", strings.Repeat("a", 60), false, false},
		} {
			assert.Equal(t, tc.want, Glob(tc.pattern, tc.s, tc.nocase), "%q ~ %q", tc.pattern, tc.s)
		}
	})
}

func FuzzString2ll(f *testing.F) {
	for _, s := range []string{"0", "-0", "-9223372036854775808", "9223372036854775808", "+1", "01", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, ok := String2ll(s)
		// Accepted exactly when s is the canonical decimal form of an int64.
		n, err := strconv.ParseInt(s, 10, 64)
		canonical := err == nil && strconv.FormatInt(n, 10) == s
		if ok != canonical || ok && v != n {
			t.Fatalf("String2ll(%q) = %d, %v; canonical %v", s, v, ok, canonical)
		}
	})
}

func FuzzStrtoll(f *testing.F) {
	for _, s := range []string{" -12x", "99999999999999999999", "+", "\t0x1f"} {
		f.Add(s, uint8(10))
	}
	f.Fuzz(func(t *testing.T, s string, b uint8) {
		base := 2 + int(b%35)
		v, rest, rangeErr := Strtoll(s, base)
		if !strings.HasSuffix(s, rest) {
			t.Fatalf("rest %q is not a suffix of %q", rest, s)
		}
		digits := strings.TrimLeft(strings.TrimSuffix(s, rest), " \t\n\v\f\r")
		if rest == s {
			if v != 0 || rangeErr {
				t.Fatalf("%q: no digits but %d %v", s, v, rangeErr)
			}
			return
		}
		n, err := strconv.ParseInt(strings.TrimPrefix(digits, "+"), base, 64)
		if rangeErr != (err != nil) || n != v {
			t.Fatalf("Strtoll(%q, %d) = %d %v; strconv says %d %v", s, base, v, rangeErr, n, err)
		}
	})
}

func FuzzSplitArgs(f *testing.F) {
	for _, s := range []string{`set "a b" 'c\'d'`, `"\x41`, "a\x00b", `"a"b`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		args, ok := SplitArgsStrings(s)
		if !ok {
			return
		}
		// Quoting each argument as sdscatrepr does splits back to the same.
		var line []byte
		for _, a := range args {
			line = append(AppendRepr(line, a), ' ')
		}
		again, ok := SplitArgsStrings(string(line))
		if !ok || len(again) != len(args) || strings.Join(again, "\x00") != strings.Join(args, "\x00") {
			t.Fatalf("%q split to %q, quoted %q, split again to %q", s, args, line, again)
		}
	})
}

func FuzzRepr(f *testing.F) {
	for _, s := range []string{"été", "\x00\xff\"\\", "\n\r\t\a\b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		q := Repr(s)
		for i := 1; i < len(q)-1; i++ {
			if q[i] < ' ' || q[i] > '~' {
				t.Fatalf("Repr(%q) = %q holds an unprintable byte", s, q)
			}
		}
		args, ok := SplitArgsStrings(q)
		if !ok || len(args) != 1 || args[0] != s {
			t.Fatalf("Repr(%q) = %q splits back to %q %v", s, q, args, ok)
		}
	})
}

func FuzzGlob(f *testing.F) {
	for _, s := range []string{"h*llo", "[a-", `\`, "a*a*a*b"} {
		f.Add(s, "hello")
	}
	f.Fuzz(func(t *testing.T, pattern, s string) {
		Glob(pattern, s, false) // must end, and not panic
		var quoted strings.Builder
		for i := 0; i < len(s); i++ {
			quoted.WriteByte('\\')
			quoted.WriteByte(s[i])
		}
		// As in C, "*" does not match an empty string (KEYS and SCAN
		// special-case a lone "*" before they call stringmatchlen).
		if !Glob(quoted.String(), s, false) || s != "" && !Glob("*", s, false) || !Glob(asciiUpper(quoted.String()), s, true) {
			t.Fatalf("%q does not match itself quoted, or *", s)
		}
	})
}

func asciiUpper(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'a' && c <= 'z' {
			b[i] = c - 'a' + 'A'
		}
	}
	return string(b)
}

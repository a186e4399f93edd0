package lua

import (
	"fmt"
	"math"
	"strings"

	glua "github.com/yuin/gopher-lua"
)

// stringFormat is Lua 5.1's string.format (lstrlib.c's str_format over
// glibc's sprintf): each item takes the next argument, a missing one is
// "no value", %d %i %c %o %u %x %X %e %E %f %g %G want numbers (numeric
// strings too), %s and %q strings (numbers too, as "%.14g"), any other
// option is an error; flags "-+ #0" (5 at most), then width and precision
// of 2 digits each. An item's text ends at its first NUL, as C's strlen
// ends it, but a %s of 100 bytes or more without a precision is copied
// whole. gopher-lua's hands the format to Go's fmt.Sprintf.
func stringFormat(L *glua.LState) int {
	format := L.CheckString(1)
	top := L.GetTop()
	arg := 1
	var b strings.Builder
	for i := 0; i < len(format); i++ {
		c := format[i]
		if c != '%' {
			b.WriteByte(c)
			continue
		}
		if i+1 < len(format) && format[i+1] == '%' {
			b.WriteByte('%')
			i++
			continue
		}
		arg++
		if arg > top {
			L.ArgError(arg, "no value")
		}
		spec, verb, next := scanFormat(L, format, i+1)
		i = next
		switch verb {
		case 'c':
			c := byte(cInt(L.CheckNumber(arg), 32))
			b.WriteString(untilNUL(padC(spec, string([]byte{c}))))
		case 'd', 'i':
			b.WriteString(formatFloatOrInt(spec, 'd', L.CheckNumber(arg), true))
		case 'o', 'u', 'x', 'X':
			v := 'd'
			if verb != 'u' {
				v = rune(verb)
			}
			// C ignores the sign flags for unsigned conversions; Go's
			// fmt would print them.
			spec = strings.NewReplacer("+", "", " ", "").Replace(spec)
			b.WriteString(formatFloatOrInt(spec, v, L.CheckNumber(arg), false))
		case 'e', 'E', 'f', 'g', 'G':
			b.WriteString(formatDouble(spec, rune(verb), float64(L.CheckNumber(arg))))
		case 'q':
			quoteString(&b, checkLString(L, arg))
		case 's':
			s := checkLString(L, arg)
			if !strings.Contains(spec, ".") && len(s) >= 100 {
				b.WriteString(s) // luaL_addvalue: all of it, NULs too
				continue
			}
			b.WriteString(padC(spec, untilNUL(s)))
		default:
			L.RaiseError("invalid option '%%%s' to 'format'", untilNUL(string([]byte{verb})))
		}
	}
	L.Push(glua.LString(b.String()))
	return 1
}

// scanFormat is lstrlib.c's scanformat: the flags, width and precision
// after a '%' at i, the conversion letter, and the index of that letter.
func scanFormat(L *glua.LState, f string, i int) (spec string, verb byte, at int) {
	start := i
	for i < len(f) && strings.IndexByte("-+ #0", f[i]) >= 0 {
		i++
	}
	if i-start >= 6 {
		L.RaiseError("invalid format (repeated flags)")
	}
	digits := func() {
		for n := 0; n < 2 && i < len(f) && isDigit(f[i]); n++ {
			i++
		}
	}
	digits()
	if i < len(f) && f[i] == '.' {
		i++
		digits()
	}
	if i < len(f) && isDigit(f[i]) {
		L.RaiseError("invalid format (width or precision too long)")
	}
	if i >= len(f) {
		return f[start:i], 0, i // C reads the terminating NUL: an invalid option
	}
	return f[start:i], f[i], i
}

// checkLString is luaL_checklstring: a string, or a number as "%.14g".
func checkLString(L *glua.LState, n int) string {
	switch v := L.Get(n).(type) {
	case glua.LString:
		return string(v)
	case glua.LNumber:
		return formatNumber(float64(v))
	}
	L.TypeError(n, glua.LTString)
	return ""
}

// cInt is a C cast of f to a signed integer of bits bits as x86-64 does
// it: NaN and values out of range become the smallest integer.
func cInt(f glua.LNumber, bits uint) int64 {
	lim := math.Ldexp(1, int(bits-1))
	if x := float64(f); x != x || x >= lim || x < -lim {
		return -1 << (bits - 1)
	}
	return int64(f)
}

// cUint is a C cast of f to unsigned long as gcc does it on x86-64:
// below 2^63 through the signed conversion, else offset by 2^63.
func cUint(f glua.LNumber) uint64 {
	if float64(f) < 1<<63 {
		return uint64(cInt(f, 64))
	}
	return uint64(cInt(f-1<<63, 64)) ^ 1<<63
}

// formatFloatOrInt prints f cast to long (signed) or unsigned long with
// the C conversion verb.
func formatFloatOrInt(spec string, verb rune, f glua.LNumber, signed bool) string {
	if strings.Contains(spec, "#") && (verb == 'x' || verb == 'X') && cUint(f) == 0 {
		spec = strings.ReplaceAll(spec, "#", "") // C prints 0, not 0x0
	}
	if signed {
		return fmt.Sprintf("%"+spec+string(verb), cInt(f, 64))
	}
	return fmt.Sprintf("%"+spec+string(verb), cUint(f))
}

// formatDouble is C's %e %f %g for f: %g defaults to 6 significant digits
// (Go's to the shortest), and inf and nan are spelled as glibc does,
// padded with spaces only.
func formatDouble(spec string, verb rune, f float64) string {
	if math.IsInf(f, 0) || math.IsNaN(f) {
		s := "inf"
		if math.IsNaN(f) {
			s = "nan"
		}
		if verb == 'E' || verb == 'G' {
			s = strings.ToUpper(s)
		}
		switch {
		case math.Signbit(f):
			s = "-" + s
		case strings.Contains(spec, "+"):
			s = "+" + s
		case strings.Contains(spec, " "):
			s = " " + s
		}
		flags, width, _, _ := splitSpec(spec)
		return padC(flags+width, s)
	}
	if (verb == 'g' || verb == 'G') && !strings.Contains(spec, ".") {
		spec += ".6"
	}
	return fmt.Sprintf("%"+spec+string(verb), f)
}

// padC is sprintf's %s: precision cuts s (in bytes), width pads it with
// spaces, on the right with '-'.
func padC(spec string, s string) string {
	flags, width, prec, hasPrec := splitSpec(spec)
	if hasPrec {
		if n := atoiSmall(prec); n < len(s) {
			s = s[:n]
		}
	}
	if pad := atoiSmall(width) - len(s); pad > 0 {
		if strings.Contains(flags, "-") {
			return s + strings.Repeat(" ", pad)
		}
		return strings.Repeat(" ", pad) + s
	}
	return s
}

// splitSpec splits a conversion's flags, width and precision.
func splitSpec(spec string) (flags, width, prec string, hasPrec bool) {
	n := 0
	for n < len(spec) && strings.IndexByte("-+ #0", spec[n]) >= 0 {
		n++
	}
	flags, width = spec[:n], spec[n:]
	if w, p, ok := strings.Cut(width, "."); ok {
		width, prec, hasPrec = w, p, true
	}
	return flags, width, prec, hasPrec
}

func atoiSmall(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n
}

func untilNUL(s string) string {
	if i := strings.IndexByte(s, 0); i >= 0 {
		return s[:i]
	}
	return s
}

// quoteString is addquoted: s in double quotes, with '"', '\\' and newline
// escaped by a backslash, "\r" for CR and "\000" for NUL.
func quoteString(b *strings.Builder, s string) {
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '"', '\\', '\n':
			b.WriteByte('\\')
			b.WriteByte(c)
		case '\r':
			b.WriteString(`\r`)
		case 0:
			b.WriteString(`\000`)
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte('"')
}

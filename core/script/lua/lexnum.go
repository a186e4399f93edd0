package lua

import (
	"errors"
	"strconv"
	"strings"

	glua "github.com/yuin/gopher-lua"
)

// compile loads body as chunk, with Lua 5.1's lexical check of numerals
// on top of gopher-lua's parser: Lua reads a numeral as digits and dots,
// an optional exponent sign, then any letters, digits and underscores
// ("1e", "3.4.5", "1_0", "0xg" are one token each) and refuses one that
// strtod does not read whole ("malformed number near '1e'"), where
// gopher-lua accepts some ("return 1e") and splits others. The error is
// the first of the two in the source, as Lua's lexer would meet it.
func compile(L *glua.LState, body []byte, chunk string) (*glua.LFunction, error) {
	fn, err := L.Load(strings.NewReader(string(body)), chunk)
	if line, col, tok, bad := malformedNumber(body); bad && (err == nil || !errorBefore(err, chunk, line, col)) {
		return nil, errors.New(chunk + ":" + strconv.Itoa(line) + ": malformed number near '" + tok + "'")
	}
	if err != nil {
		return nil, errors.New(compileError(err, chunk, body))
	}
	return fn, nil
}

// errorBefore reports whether gopher-lua's syntax error is at a token
// that ends before line:col (1-based), where a malformed numeral starts.
func errorBefore(err error, chunk string, line, col int) bool {
	msg := err.Error()
	var ae *glua.ApiError
	if errors.As(err, &ae) && ae.Object != nil {
		msg = ae.Object.String()
	}
	rest, ok := strings.CutPrefix(strings.TrimSpace(msg), chunk+" line:")
	if !ok {
		return false // at EOF: after every numeral
	}
	l, after, _ := strings.Cut(rest, "(column:")
	c, _, _ := strings.Cut(after, ")")
	el, err1 := strconv.Atoi(l)
	ec, err2 := strconv.Atoi(c)
	if err1 != nil || err2 != nil {
		return false
	}
	return el < line || el == line && ec < col
}

// malformedNumber finds the first numeral Lua 5.1 would refuse, reading
// body as its lexer does (strings, long strings and comments skipped).
func malformedNumber(body []byte) (line, col int, tok string, bad bool) {
	ln, lineStart := 1, 0
	newlines := func(from, to int) {
		for k := from; k < to; k++ {
			if body[k] == '\n' {
				ln, lineStart = ln+1, k+1
			}
		}
	}
	for i := 0; i < len(body); {
		if end, _ := skipLiteral(body, i); end > i {
			newlines(i, end)
			i = end
			continue
		}
		c := body[i]
		switch {
		case c == '\n':
			newlines(i, i+1)
			i++
		case c == '_' || isAlpha(c):
			for i < len(body) && (body[i] == '_' || isAlpha(body[i]) || isDigit(body[i])) {
				i++
			}
		case isDigit(c) || c == '.' && i+1 < len(body) && isDigit(body[i+1]):
			n := readNumeral(body[i:])
			if !str2d(string(body[i : i+n])) {
				return ln, i - lineStart + 1, string(body[i : i+n]), true
			}
			i += n
		default:
			i++
		}
	}
	return 0, 0, "", false
}

// skipLiteral is where the comment, long string or quoted string starting
// at i ends, as Lua 5.1's lexer skips them (one left open runs to the end
// of body; a quoted one to the end of its line), and whether it is a
// string, which can end an expression; end is i when none starts there.
func skipLiteral(body []byte, i int) (end int, isString bool) {
	switch c := body[i]; {
	case c == '-' && i+1 < len(body) && body[i+1] == '-':
		if end := longBracketEnd(body, i+2); end >= 0 {
			return end, false
		}
		end := i + 2
		for end < len(body) && body[end] != '\n' {
			end++
		}
		return end, false
	case c == '[':
		if end := longBracketEnd(body, i); end >= 0 {
			return end, true
		}
	case c == '"' || c == '\'':
		j := i + 1
		for j < len(body) && body[j] != c && body[j] != '\n' {
			if body[j] == '\\' {
				j++
			}
			j++
		}
		return min(j+1, len(body)), true
	}
	return i, false
}

// longBracketEnd is the index past the long bracket "[=*[ ... ]=*]"
// opening at i, len(b) when it does not close, or -1 when none opens there.
func longBracketEnd(b []byte, i int) int {
	if i >= len(b) || b[i] != '[' {
		return -1
	}
	j := i + 1
	for j < len(b) && b[j] == '=' {
		j++
	}
	if j >= len(b) || b[j] != '[' {
		return -1
	}
	end := "]" + strings.Repeat("=", j-i-1) + "]"
	k := strings.Index(string(b[j+1:]), end)
	if k < 0 {
		return len(b)
	}
	return j + 1 + k + len(end)
}

// readNumeral is read_numeral: the length of the numeral b starts with.
func readNumeral(b []byte) int {
	i := 0
	for i < len(b) && (isDigit(b[i]) || b[i] == '.') {
		i++
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
	}
	for i < len(b) && (isAlpha(b[i]) || isDigit(b[i]) || b[i] == '_') {
		i++
	}
	return i
}

// str2d is luaO_str2d for a numeral: strtod reads all of it, or reads up
// to an 'x' from which strtoul (base 16) reads all of it.
func str2d(s string) bool {
	end := strtodEnd(s)
	if end == 0 {
		return false
	}
	if end < len(s) && (s[end] == 'x' || s[end] == 'X') {
		end = strtoulHexEnd(s)
	}
	return end == len(s)
}

// strtodEnd is how much of s C's strtod reads (numerals only: decimal or
// hexadecimal, with an exponent), 0 when nothing.
func strtodEnd(s string) int {
	if len(s) > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X') {
		if end := mantissaEnd(s, 2, isHex); end > 0 {
			return exponentEnd(s, end, 'p')
		}
		return 1 // "0" alone, the 'x' left
	}
	if end := mantissaEnd(s, 0, isDigit); end > 0 {
		return exponentEnd(s, end, 'e')
	}
	return 0
}

// mantissaEnd reads digits, a point and digits from i, and returns where
// they end; 0 when there is no digit.
func mantissaEnd(s string, i int, digit func(byte) bool) int {
	start := i
	for i < len(s) && digit(s[i]) {
		i++
	}
	digits := i - start
	if i < len(s) && s[i] == '.' {
		i++
		frac := i
		for i < len(s) && digit(s[i]) {
			i++
		}
		digits += i - frac
	}
	if digits == 0 {
		return 0
	}
	return i
}

// exponentEnd reads an exponent ('e' or 'p', any case, a sign, digits)
// at i, if there is a whole one.
func exponentEnd(s string, i int, mark byte) int {
	if i >= len(s) || s[i]|0x20 != mark {
		return i
	}
	j := i + 1
	if j < len(s) && (s[j] == '+' || s[j] == '-') {
		j++
	}
	if j >= len(s) || !isDigit(s[j]) {
		return i
	}
	for j < len(s) && isDigit(s[j]) {
		j++
	}
	return j
}

// strtoulHexEnd is how much of s C's strtoul reads in base 16 (an
// optional 0x, then hex digits).
func strtoulHexEnd(s string) int {
	i := 0
	if len(s) > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X') && isHex(s[2]) {
		i = 2
	}
	for i < len(s) && isHex(s[i]) {
		i++
	}
	return i
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }
func isAlpha(c byte) bool { return 'a' <= c|0x20 && c|0x20 <= 'z' }
func isHex(c byte) bool   { return isDigit(c) || 'a' <= c|0x20 && c|0x20 <= 'f' }

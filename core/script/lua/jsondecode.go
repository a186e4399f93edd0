package lua

import (
	"math"
	"strconv"
	"strings"

	glua "github.com/yuin/gopher-lua"
)

// decode is cjson.decode as lua_cjson.c does it: a tokenizer (whose
// errors are tokens: "invalid token", "invalid number", "unexpected end
// of string", "invalid escape code", "invalid unicode escape code") and a
// parser that names what it expected and the token it found ("Expected
// value but found T_ARR_END at character 4"). The text is a C string: a
// NUL ends it.
func (j *cjson) decode(L *glua.LState) int {
	if L.GetTop() != 1 {
		L.ArgError(1, "expected 1 argument")
	}
	s := L.CheckString(1)
	if len(s) >= 2 && (s[0] == 0 || s[1] == 0) {
		L.RaiseError("JSON parser does not support UTF-16 or UTF-32")
	}
	d := jsonDecoder{j: j, L: L, s: untilNUL(s)}
	v := d.value(d.next())
	if t := d.next(); t.typ != tEnd {
		d.fail("the end", t)
	}
	L.Push(v)
	return 1
}

// JSON token types, in lua_cjson's order (jsonTokenNames).
const (
	tObjBegin = iota
	tObjEnd
	tArrBegin
	tArrEnd
	tString
	tNumber
	tBoolean
	tNull
	tColon
	tComma
	tEnd
	tError
)

var jsonTokenNames = [...]string{"T_OBJ_BEGIN", "T_OBJ_END", "T_ARR_BEGIN", "T_ARR_END", "T_STRING",
	"T_NUMBER", "T_BOOLEAN", "T_NULL", "T_COLON", "T_COMMA", "T_END", "T_ERROR"}

type jsonToken struct {
	typ   int
	index int    // where it starts, or where the error is
	str   string // a string's text, an error's message
	num   float64
	b     bool
}

type jsonDecoder struct {
	j     *cjson
	L     *glua.LState
	s     string
	i     int
	depth int
}

// at is the byte at i, 0 past the end (the C string's NUL).
func (d *jsonDecoder) at(i int) byte {
	if i < len(d.s) {
		return d.s[i]
	}
	return 0
}

func (d *jsonDecoder) fail(want string, t jsonToken) {
	found := jsonTokenNames[t.typ]
	if t.typ == tError {
		found = t.str
	}
	d.L.RaiseError("Expected %s but found %s at character %d", want, found, t.index+1)
}

// tokenError is json_set_token_error: an error token where the
// tokenizer stopped.
func (d *jsonDecoder) tokenError(msg string) jsonToken {
	return jsonToken{typ: tError, index: d.i, str: msg}
}

// next is json_next_token.
func (d *jsonDecoder) next() jsonToken {
	for strings.IndexByte(" \t\n\r", d.at(d.i)) >= 0 && d.i < len(d.s) {
		d.i++
	}
	t := jsonToken{index: d.i}
	c := d.at(d.i)
	if single := strings.IndexByte("{}[]:,", c); single >= 0 && c != 0 {
		t.typ = [...]int{tObjBegin, tObjEnd, tArrBegin, tArrEnd, tColon, tComma}[single]
		d.i++
		return t
	}
	rest := d.s[d.i:]
	switch {
	case c == 0:
		t.typ = tEnd
		return t
	case strings.IndexByte("fiInNt\"+-0123456789", c) < 0:
		return d.tokenError("invalid token")
	case c == '"':
		return d.stringToken()
	case c == '-' || isDigit(c):
		if !d.j.decodeInvalid && jsonInvalidNumber(rest) {
			return d.tokenError("invalid number")
		}
		return d.numberToken()
	case strings.HasPrefix(rest, "true"):
		d.i += 4
		return jsonToken{typ: tBoolean, index: t.index, b: true}
	case strings.HasPrefix(rest, "false"):
		d.i += 5
		return jsonToken{typ: tBoolean, index: t.index}
	case strings.HasPrefix(rest, "null"):
		d.i += 4
		return jsonToken{typ: tNull, index: t.index}
	case d.j.decodeInvalid && jsonInvalidNumber(rest):
		return d.numberToken()
	}
	return d.tokenError("invalid token")
}

// jsonInvalidNumber is json_is_invalid_number: what strtod reads but
// JSON does not allow (a '+', a leading zero, hex, inf, nan).
func jsonInvalidNumber(p string) bool {
	at := func(i int) byte {
		if i < len(p) {
			return p[i]
		}
		return 0
	}
	i := 0
	if at(0) == '+' {
		return true
	}
	if at(0) == '-' {
		i++
	}
	if c := at(i); c == '0' {
		c2 := at(i + 1)
		return c2|0x20 == 'x' || isDigit(c2)
	} else if c <= '9' {
		return false
	}
	rest := strings.ToLower(p[i:])
	return strings.HasPrefix(rest, "inf") || strings.HasPrefix(rest, "nan")
}

// numberToken is json_next_number_token: strtod's reading.
func (d *jsonDecoder) numberToken() jsonToken {
	f, n := cStrtod(d.s[d.i:])
	if n == 0 {
		return d.tokenError("invalid number")
	}
	t := jsonToken{typ: tNumber, index: d.i, num: f}
	d.i += n
	return t
}

// cStrtod is glibc's strtod at the start of s: a sign, then inf,
// infinity, nan or a decimal or hexadecimal numeral; the value and how
// many bytes it read (0: none).
func cStrtod(s string) (float64, int) {
	i, neg := 0, false
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		neg = s[i] == '-'
		i++
	}
	sign := func(f float64) float64 {
		if neg {
			return -f
		}
		return f
	}
	lower := strings.ToLower(s[i:])
	switch {
	case strings.HasPrefix(lower, "infinity"):
		return sign(math.Inf(1)), i + 8
	case strings.HasPrefix(lower, "inf"):
		return sign(math.Inf(1)), i + 3
	case strings.HasPrefix(lower, "nan"):
		n := i + 3
		if j := strings.IndexByte(s[n:], ')'); n < len(s) && s[n] == '(' && j > 0 &&
			strings.Trim(s[n+1:n+j], "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") == "" {
			n += j + 1
		}
		return sign(math.NaN()), n
	}
	end := strtodEnd(s[i:])
	if end == 0 {
		return 0, 0
	}
	num := s[i : i+end]
	if len(num) > 1 && num[1]|0x20 == 'x' && !strings.ContainsAny(num, "pP") {
		num += "p0" // Go reads hex floats only with an exponent
	}
	f, _ := strconv.ParseFloat(num, 64) // out of range: ±inf or 0, as strtod
	return sign(f), i + end
}

// stringToken is json_next_string_token.
func (d *jsonDecoder) stringToken() jsonToken {
	start := d.i
	d.i++ // the quote
	var b []byte
	for {
		c := d.at(d.i)
		if c == '"' {
			break
		}
		if c == 0 {
			return d.tokenError("unexpected end of string")
		}
		if c == '\\' {
			switch e := d.at(d.i + 1); e {
			case '"', '\\', '/':
				c = e
			case 'b':
				c = '\b'
			case 't':
				c = '\t'
			case 'n':
				c = '\n'
			case 'f':
				c = '\f'
			case 'r':
				c = '\r'
			case 'u':
				var ok bool
				if b, ok = d.unicodeEscape(b); ok {
					continue
				}
				return d.tokenError("invalid unicode escape code")
			default:
				return d.tokenError("invalid escape code")
			}
			d.i++ // the backslash
		}
		b = append(b, c)
		d.i++
	}
	d.i++ // the closing quote
	return jsonToken{typ: tString, index: start, str: string(b)}
}

// unicodeEscape is json_append_unicode_escape for the \uXXXX at d.i (a
// surrogate pair takes two), appended to b as UTF-8.
func (d *jsonDecoder) unicodeEscape(b []byte) ([]byte, bool) {
	cp, n := d.hex4(d.i+2), 6
	if cp < 0 {
		return b, false
	}
	if cp&0xF800 == 0xD800 {
		if cp&0x400 != 0 || d.at(d.i+6) != '\\' || d.at(d.i+7) != 'u' {
			return b, false
		}
		lo := d.hex4(d.i + 8)
		if lo < 0 || lo&0xFC00 != 0xDC00 {
			return b, false
		}
		cp, n = ((cp&0x3FF)<<10|lo&0x3FF)+0x10000, 12
	}
	switch {
	case cp <= 0x7F:
		b = append(b, byte(cp))
	case cp <= 0x7FF:
		b = append(b, byte(cp>>6|0xC0), byte(cp&0x3F|0x80))
	case cp <= 0xFFFF:
		b = append(b, byte(cp>>12|0xE0), byte(cp>>6&0x3F|0x80), byte(cp&0x3F|0x80))
	default:
		b = append(b, byte(cp>>18|0xF0), byte(cp>>12&0x3F|0x80), byte(cp>>6&0x3F|0x80), byte(cp&0x3F|0x80))
	}
	d.i += n
	return b, true
}

// hex4 is decode_hex4: the four hex digits at i, -1 when they are not.
func (d *jsonDecoder) hex4(i int) int {
	n := 0
	for k := i; k < i+4; k++ {
		c := d.at(k)
		if !isHex(c) {
			return -1
		}
		v := int(c|0x20) - 'a' + 10
		if isDigit(c) {
			v = int(c - '0')
		}
		n = n<<4 | v
	}
	return n
}

// value is json_process_value for the token t.
func (d *jsonDecoder) value(t jsonToken) glua.LValue {
	switch t.typ {
	case tString:
		return glua.LString(t.str)
	case tNumber:
		return glua.LNumber(t.num)
	case tBoolean:
		return glua.LBool(t.b)
	case tNull:
		return d.j.null
	case tObjBegin, tArrBegin:
		d.depth++
		if d.depth > d.j.decodeMaxDepth {
			d.L.RaiseError("Found too many nested data structures (%d) at character %d", d.depth, d.i)
		}
		defer func() { d.depth-- }()
		if t.typ == tObjBegin {
			return d.object()
		}
		return d.array()
	}
	d.fail("value", t)
	return glua.LNil
}

// object is json_parse_object_context, after its '{'.
func (d *jsonDecoder) object() *glua.LTable {
	obj := d.L.NewTable()
	t := d.next()
	if t.typ == tObjEnd {
		return obj
	}
	for {
		if t.typ != tString {
			d.fail("object key string", t)
		}
		key := t.str
		if t = d.next(); t.typ != tColon {
			d.fail("colon", t)
		}
		obj.RawSetString(key, d.value(d.next()))
		if t = d.next(); t.typ == tObjEnd {
			return obj
		}
		if t.typ != tComma {
			d.fail("comma or object end", t)
		}
		t = d.next()
	}
}

// array is json_parse_array_context, after its '['.
func (d *jsonDecoder) array() *glua.LTable {
	arr := d.L.NewTable()
	t := d.next()
	if t.typ == tArrEnd {
		return arr
	}
	for i := 1; ; i++ {
		arr.RawSetInt(i, d.value(t))
		if t = d.next(); t.typ == tArrEnd {
			return arr
		}
		if t.typ != tComma {
			d.fail("comma or array end", t)
		}
		t = d.next()
	}
}

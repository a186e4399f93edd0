package resp

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"strconv"

	"github.com/syncscope/syncscope/core/cstr"
)

// Kind is a reply's RESP type byte.
type Kind byte

// The RESP2 and RESP3 reply types.
const (
	SimpleString Kind = '+'
	Error        Kind = '-'
	Integer      Kind = ':'
	BulkString   Kind = '$'
	Array        Kind = '*'
	Null         Kind = '_'
	Double       Kind = ','
	Boolean      Kind = '#'
	BigNumber    Kind = '('
	Verbatim     Kind = '='
	Map          Kind = '%'
	Set          Kind = '~'
	Push         Kind = '>'
	Attribute    Kind = '|'
	BlobError    Kind = '!'
)

// Value is one decoded reply.
//
//   - '+' '-' '!' '(': Str holds the text.
//   - ':': Int. '#': Int is 1 for true, 0 for false.
//   - ',': Float, and Str keeps the text as sent (redis-cli prints that text).
//   - '$' '=': Str is the payload; for '=' it keeps the "txt:" prefix.
//     Null is set for $-1 (and =-1, !-1).
//   - '*' '~' '>': Elems. '%': Elems alternates keys and values. Null is set
//     for *-1 (and the other aggregates with count -1).
//   - '_': Null.
//   - '|': an attribute and the reply it annotates, read as one value: Elems
//     holds the attribute's keys and values, then the reply as the last element.
type Value struct {
	Kind  Kind
	Str   []byte
	Int   int64
	Float float64
	Elems []Value
	Null  bool
}

// maxDepth bounds nesting so a hostile peer cannot exhaust the stack.
const maxDepth = 1000

// ErrMalformed is wrapped by every error ReadValue returns.
var ErrMalformed = errors.New("resp: malformed reply")

// errIncomplete unwinds the recursion when buf ends inside a reply.
var errIncomplete = errors.New("incomplete reply")

// Replies counts the whole replies at the start of buf, and says whether
// they are all of it (no reply cut short, nothing malformed after them).
func Replies(buf []byte) (n int, whole bool) {
	for len(buf) > 0 {
		_, used, err := readValue(buf, 0)
		if err != nil {
			return n, false
		}
		buf, n = buf[used:], n+1
	}
	return n, true
}

// ReadValue decodes one reply at the start of buf and returns it with the
// number of bytes it used. n == 0 with a nil error means the reply is
// incomplete: call again with the same bytes followed by more. Errors wrap
// ErrMalformed.
//
// The Str fields are copies (one allocation for the whole reply): buf may be
// reused at once.
func ReadValue(buf []byte) (v Value, n int, err error) {
	v, n, err = readValue(buf, 0)
	if errors.Is(err, errIncomplete) {
		return Value{}, 0, nil
	}
	if err != nil {
		return Value{}, 0, fmt.Errorf("%w: %w", ErrMalformed, err)
	}
	v.detach(make([]byte, 0, v.strLen()))
	return v, n, nil
}

func (v *Value) strLen() int {
	n := len(v.Str)
	for i := range v.Elems {
		n += v.Elems[i].strLen()
	}
	return n
}

// detach moves every Str into arena, whose capacity strLen ensured.
func (v *Value) detach(arena []byte) []byte {
	if v.Str != nil {
		start := len(arena)
		arena = append(arena, v.Str...)
		v.Str = arena[start:len(arena):len(arena)]
	}
	for i := range v.Elems {
		arena = v.Elems[i].detach(arena)
	}
	return arena
}

// readLine returns the line at the start of buf (without its CRLF) and the
// bytes it takes with the CRLF. A bare LF is a protocol error.
func readLine(buf []byte) (line []byte, n int, err error) {
	nl := bytes.IndexByte(buf, '\n')
	if nl < 0 {
		return nil, 0, errIncomplete
	}
	if nl == 0 || buf[nl-1] != '\r' {
		return nil, 0, errors.New("line not terminated by CRLF")
	}
	return buf[:nl-1], nl + 1, nil
}

func readValue(buf []byte, depth int) (Value, int, error) {
	if len(buf) == 0 {
		return Value{}, 0, errIncomplete
	}
	if depth > maxDepth {
		return Value{}, 0, fmt.Errorf("replies nested deeper than %d levels", maxDepth)
	}
	v := Value{Kind: Kind(buf[0])}
	line, n, err := readLine(buf[1:])
	if err != nil {
		return Value{}, 0, err
	}
	n++ // the type byte
	switch v.Kind {
	case SimpleString, Error:
		if bytes.IndexByte(line, '\r') >= 0 {
			return Value{}, 0, fmt.Errorf("bad simple string value %q", line)
		}
		v.Str = line
	case Integer:
		i, ok := cstr.String2ll(line)
		if !ok {
			return Value{}, 0, fmt.Errorf("bad integer value %q", line)
		}
		v.Int = i
	case Null:
		if len(line) != 0 {
			return Value{}, 0, fmt.Errorf("bad null value %q", line)
		}
		v.Null = true
	case Boolean:
		switch string(line) {
		case "t":
			v.Int = 1
		case "f":
		default:
			return Value{}, 0, fmt.Errorf("bad bool value %q", line)
		}
	case Double:
		f, err := parseDouble(line)
		if err != nil {
			return Value{}, 0, err
		}
		v.Str, v.Float = line, f
	case BigNumber:
		if !isBigNumber(line) {
			return Value{}, 0, fmt.Errorf("bad big number value %q", line)
		}
		v.Str = line
	case BulkString, Verbatim, BlobError:
		return readBlob(buf, v, line, n)
	case Array, Set, Push, Map, Attribute:
		return readAggregate(buf, v, line, n, depth)
	default:
		return Value{}, 0, fmt.Errorf("unknown reply type byte %q", buf[0])
	}
	return v, n, nil
}

func readBlob(buf []byte, v Value, line []byte, n int) (Value, int, error) {
	size, ok := cstr.String2ll(line)
	if !ok || size < -1 {
		return Value{}, 0, fmt.Errorf("bad bulk length %q", line)
	}
	if size == -1 {
		v.Null = true
		return v, n, nil
	}
	if int64(len(buf)-n)-2 < size {
		return Value{}, 0, errIncomplete
	}
	end := n + int(size)
	if buf[end] != '\r' || buf[end+1] != '\n' {
		return Value{}, 0, errors.New("bulk string not terminated by CRLF")
	}
	v.Str = buf[n:end:end]
	if v.Kind == Verbatim && (size < 4 || v.Str[3] != ':') {
		return Value{}, 0, fmt.Errorf("verbatim string without a format prefix: %q", v.Str)
	}
	return v, end + 2, nil
}

func readAggregate(buf []byte, v Value, line []byte, n, depth int) (Value, int, error) {
	count, ok := cstr.String2ll(line)
	if !ok || count < -1 || count > math.MaxInt32 {
		return Value{}, 0, fmt.Errorf("bad aggregate length %q", line)
	}
	if count == -1 {
		v.Null = true
		return v, n, nil
	}
	switch v.Kind {
	case Map:
		count *= 2
	case Attribute:
		count = count*2 + 1
	}
	// Every element takes at least 3 bytes: never trust count for capacity.
	v.Elems = make([]Value, 0, min(count, int64(len(buf)-n)/3+1))
	for ; count > 0; count-- {
		e, m, err := readValue(buf[n:], depth+1)
		if err != nil {
			return Value{}, 0, err
		}
		v.Elems = append(v.Elems, e)
		n += m
	}
	return v, n, nil
}

// parseDouble accepts what hiredis accepts: inf, -inf (any case) and finite
// numbers.
func parseDouble(s []byte) (float64, error) {
	switch {
	case len(s) == 3 && bytes.EqualFold(s, []byte("inf")):
		return math.Inf(1), nil
	case len(s) == 4 && bytes.EqualFold(s, []byte("-inf")):
		return math.Inf(-1), nil
	}
	f, err := strconv.ParseFloat(string(s), 64)
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
		return 0, fmt.Errorf("bad double value %q", s)
	}
	return f, nil
}

func isBigNumber(s []byte) bool {
	if len(s) > 0 && s[0] == '-' {
		s = s[1:]
	}
	if len(s) == 0 {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

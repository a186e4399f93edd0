package resp

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Kind is a reply's RESP type byte.
type Kind byte

// Reply kinds.
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

// Value is a parsed reply. Str is a copy (it does not alias the input).
// Null is set for RESP2's $-1 and *-1 and RESP3's _. Maps hold their keys and
// values alternately in Elems.
type Value struct {
	Kind  Kind
	Str   []byte
	Int   int64
	Float float64
	Elems []Value
	Null  bool
}

// ErrMalformed is wrapped by ReadValue's errors.
var ErrMalformed = errors.New("resp: malformed reply")

const maxDepth = 64

// ReadValue parses one reply at the start of buf; n == 0 with a nil error
// means it is incomplete.
func ReadValue(buf []byte) (v Value, n int, err error) {
	v, n, err = readValue(buf, 0)
	if err != nil || n == 0 {
		return Value{}, 0, err
	}
	return v, n, nil
}

func readValue(buf []byte, depth int) (Value, int, error) {
	if depth > maxDepth {
		return Value{}, 0, fmt.Errorf("%w: nested too deep", ErrMalformed)
	}
	if len(buf) == 0 {
		return Value{}, 0, nil
	}
	nl := bytes.IndexByte(buf, '\n')
	if nl < 0 {
		return Value{}, 0, nil
	}
	if nl < 1 || buf[nl-1] != '\r' {
		return Value{}, 0, fmt.Errorf("%w: line without CRLF", ErrMalformed)
	}
	kind := Kind(buf[0])
	line := buf[1 : nl-1]
	pos := nl + 1
	v := Value{Kind: kind}
	switch kind {
	case SimpleString, Error, BigNumber:
		v.Str = append([]byte{}, line...)
	case Integer:
		i, err := strconv.ParseInt(string(line), 10, 64)
		if err != nil {
			return Value{}, 0, fmt.Errorf("%w: bad integer %q", ErrMalformed, line)
		}
		v.Int = i
	case Double:
		s := string(line)
		switch s {
		case "inf":
			v.Float = math.Inf(1)
		case "-inf":
			v.Float = math.Inf(-1)
		default:
			f, err := strconv.ParseFloat(s, 64)
			if err != nil {
				return Value{}, 0, fmt.Errorf("%w: bad double %q", ErrMalformed, line)
			}
			v.Float = f
		}
		v.Str = []byte(s)
	case Boolean:
		if len(line) != 1 || line[0] != 't' && line[0] != 'f' {
			return Value{}, 0, fmt.Errorf("%w: bad boolean %q", ErrMalformed, line)
		}
		if line[0] == 't' {
			v.Int = 1
		}
	case Null:
		v.Null = true
	case BulkString, Verbatim, BlobError:
		size, err := strconv.ParseInt(string(line), 10, 64)
		if err != nil || size < -1 {
			return Value{}, 0, fmt.Errorf("%w: bad length %q", ErrMalformed, line)
		}
		if size == -1 {
			v.Null = true
			return v, pos, nil
		}
		if int64(len(buf)-pos) < size+2 {
			return Value{}, 0, nil
		}
		end := pos + int(size)
		if buf[end] != '\r' || buf[end+1] != '\n' {
			return Value{}, 0, fmt.Errorf("%w: bulk without CRLF", ErrMalformed)
		}
		v.Str = append([]byte{}, buf[pos:end]...)
		pos = end + 2
	case Array, Set, Push, Map, Attribute:
		count, err := strconv.ParseInt(string(line), 10, 64)
		if err != nil || count < -1 || count > 1<<31 {
			return Value{}, 0, fmt.Errorf("%w: bad length %q", ErrMalformed, line)
		}
		if count == -1 {
			v.Null = true
			return v, pos, nil
		}
		if kind == Map || kind == Attribute {
			count *= 2
		}
		if count > int64(len(buf)-pos) {
			// Every element takes at least 3 bytes: do not allocate for a lie.
			return Value{}, 0, nil
		}
		v.Elems = make([]Value, 0, count)
		for i := int64(0); i < count; i++ {
			e, n, err := readValue(buf[pos:], depth+1)
			if err != nil || n == 0 {
				return Value{}, 0, err
			}
			v.Elems = append(v.Elems, e)
			pos += n
		}
		if kind == Attribute {
			// Attributes annotate the reply that follows.
			next, n, err := readValue(buf[pos:], depth+1)
			if err != nil || n == 0 {
				return Value{}, 0, err
			}
			return next, pos + n, nil
		}
	default:
		return Value{}, 0, fmt.Errorf("%w: unknown type byte %q", ErrMalformed, buf[0])
	}
	return v, pos, nil
}

// FormatCLI renders a reply as redis-cli prints it to a terminal.
func FormatCLI(v Value) string {
	var sb strings.Builder
	formatCLI(&sb, v, "")
	s := sb.String()
	return strings.TrimSuffix(s, "\n")
}

func formatCLI(sb *strings.Builder, v Value, prefix string) {
	switch v.Kind {
	case Error, BlobError:
		sb.WriteString("(error) " + string(v.Str) + "\n")
	case SimpleString:
		sb.WriteString(string(v.Str) + "\n")
	case Integer:
		fmt.Fprintf(sb, "(integer) %d\n", v.Int)
	case Double:
		sb.WriteString("(double) " + string(v.Str) + "\n")
	case Boolean:
		if v.Int == 1 {
			sb.WriteString("(true)\n")
		} else {
			sb.WriteString("(false)\n")
		}
	case BigNumber:
		sb.WriteString("(big number) " + string(v.Str) + "\n")
	case Null:
		sb.WriteString("(nil)\n")
	case BulkString, Verbatim:
		if v.Null {
			sb.WriteString("(nil)\n")
			return
		}
		s := v.Str
		if v.Kind == Verbatim && len(s) >= 4 {
			sb.Write(s[4:])
			sb.WriteString("\n")
			return
		}
		sb.WriteString(QuoteCLI(s) + "\n")
	case Array, Set, Push, Map:
		if v.Null {
			sb.WriteString("(nil)\n")
			return
		}
		if len(v.Elems) == 0 {
			switch v.Kind {
			case Set:
				sb.WriteString("(empty set)\n")
			case Map:
				sb.WriteString("(empty hash)\n")
			default:
				sb.WriteString("(empty array)\n")
			}
			return
		}
		count := len(v.Elems)
		step := 1
		if v.Kind == Map {
			step = 2
			count /= 2
		}
		width := len(strconv.Itoa(count))
		for i := 0; i < count; i++ {
			if i > 0 {
				sb.WriteString(prefix)
			}
			label := fmt.Sprintf("%*d) ", width, i+1)
			if v.Kind == Map {
				label = fmt.Sprintf("%*d# ", width, i+1)
			}
			sb.WriteString(label)
			inner := prefix + strings.Repeat(" ", len(label))
			if v.Kind == Map {
				formatCLI(sb, v.Elems[2*i], inner)
				s := strings.TrimSuffix(sb.String(), "\n")
				sb.Reset()
				sb.WriteString(s + " => ")
				formatCLI(sb, v.Elems[2*i+1], inner)
				continue
			}
			formatCLI(sb, v.Elems[i*step], inner)
		}
	}
}

// QuoteCLI quotes s as redis-cli does (sdscatrepr).
func QuoteCLI(s []byte) string {
	var sb strings.Builder
	sb.WriteByte('"')
	for _, c := range s {
		switch c {
		case '\\', '"':
			sb.WriteByte('\\')
			sb.WriteByte(c)
		case '\n':
			sb.WriteString(`\n`)
		case '\r':
			sb.WriteString(`\r`)
		case '\t':
			sb.WriteString(`\t`)
		case '\a':
			sb.WriteString(`\a`)
		case '\b':
			sb.WriteString(`\b`)
		default:
			if c >= 32 && c < 127 {
				sb.WriteByte(c)
			} else {
				fmt.Fprintf(&sb, `\x%02x`, c)
			}
		}
	}
	sb.WriteByte('"')
	return sb.String()
}

package resp

import (
	"bytes"
	"strconv"
	"strings"

	"github.com/syncscope/syncscope/core/cstr"
)

// FormatCLI renders a reply exactly as redis-cli 7.0.15 prints it on a
// terminal, without the final newline: OK, "redis", (integer) 1, (nil),
// (error) ERR ..., numbered and nested lists, RESP3 maps, sets, doubles,
// booleans and verbatim strings.
//
// redis-cli 7.0.15 cannot show big numbers, blob errors or attributes; for
// those it prints an error (and exits), and so does FormatCLI.
func FormatCLI(v Value) string {
	// hiredis rejects blob errors and attributes while reading, before
	// anything is printed; redis-cli rejects big numbers while printing.
	if k, ok := find(v, func(k Kind) bool { return k != BigNumber && !cliKnows(k) }); ok {
		return "Error: Protocol error, got " + string(cstr.AppendRepr(nil, []byte{byte(k)})) + " as reply type byte"
	}
	if _, ok := find(v, func(k Kind) bool { return k == BigNumber }); ok {
		return "Unknown reply type: 13" // hiredis's REDIS_REPLY_BIGNUM
	}
	out := formatTTY(nil, v, "")
	return string(bytes.TrimSuffix(out, []byte{'\n'}))
}

// FormatCLIRaw renders a reply as redis-cli 7.0.15 prints the replies it
// shows raw even on a terminal (INFO, CLIENT LIST and the others its
// cliSendCommand names): cliFormatReplyRaw, which prints strings as they
// are, errors without "(error) " and followed by a newline, nil as
// nothing, and an aggregate's elements one per line (a map's as "key
// value").
func FormatCLIRaw(v Value) string {
	if k, ok := find(v, func(k Kind) bool { return k != BigNumber && !cliKnows(k) }); ok {
		return "Error: Protocol error, got " + string(cstr.AppendRepr(nil, []byte{byte(k)})) + " as reply type byte"
	}
	if _, ok := find(v, func(k Kind) bool { return k == BigNumber }); ok {
		return "Unknown reply type: 13"
	}
	return string(formatRaw(nil, v))
}

func formatRaw(out []byte, v Value) []byte {
	switch v.Kind {
	case Error:
		out = append(out, v.Str...)
		return append(out, '\n')
	case SimpleString, BulkString:
		return append(out, v.Str...)
	case Verbatim:
		if len(v.Str) >= 4 {
			return append(out, v.Str[4:]...)
		}
		return append(out, v.Str...)
	case Integer:
		return strconv.AppendInt(out, v.Int, 10)
	case Double:
		if v.Str != nil {
			return append(out, v.Str...)
		}
		return FormatDouble(out, v.Float)
	case Boolean:
		if v.Int != 0 {
			return append(out, "(true)"...)
		}
		return append(out, "(false)"...)
	case Array, Set, Push:
		for i, e := range v.Elems {
			if i > 0 {
				out = append(out, '\n')
			}
			out = formatRaw(out, e)
		}
	case Map:
		for i := 0; i+1 < len(v.Elems); i += 2 {
			if i > 0 {
				out = append(out, '\n')
			}
			out = formatRaw(out, v.Elems[i])
			out = append(out, ' ')
			out = formatRaw(out, v.Elems[i+1])
		}
	}
	return out // Null and null strings and arrays print nothing
}

// cliKnows reports whether redis-cli 7.0.15 (hiredis) can show k.
func cliKnows(k Kind) bool {
	switch k {
	case SimpleString, Error, Integer, BulkString, Array, Null, Double, Boolean, Verbatim, Map, Set, Push:
		return true
	}
	return false
}

// find returns the first kind in wire order that matches.
func find(v Value, match func(Kind) bool) (Kind, bool) {
	if match(v.Kind) {
		return v.Kind, true
	}
	for _, e := range v.Elems {
		if k, ok := find(e, match); ok {
			return k, true
		}
	}
	return 0, false
}

// formatTTY is redis-cli's cliFormatReplyTTY: prefix indents every line of a
// nested aggregate but its first, which follows its parent's index.
func formatTTY(out []byte, v Value, prefix string) []byte {
	switch v.Kind {
	case Error:
		out = append(out, "(error) "...)
		out = append(out, cstr.UntilNUL(v.Str)...)
	case SimpleString:
		out = append(out, cstr.UntilNUL(v.Str)...)
	case Integer:
		out = append(out, "(integer) "...)
		out = strconv.AppendInt(out, v.Int, 10)
	case Double:
		out = append(out, "(double) "...)
		if v.Str != nil {
			out = append(out, v.Str...)
		} else {
			out = FormatDouble(out, v.Float)
		}
	case Boolean:
		if v.Int != 0 {
			out = append(out, "(true)"...)
		} else {
			out = append(out, "(false)"...)
		}
	case Null:
		out = append(out, "(nil)"...)
	case BulkString:
		if v.Null {
			out = append(out, "(nil)"...)
		} else {
			out = cstr.AppendRepr(out, v.Str)
		}
	case Verbatim:
		switch {
		case v.Null:
			out = append(out, "(nil)"...)
		case len(v.Str) >= 4:
			out = append(out, v.Str[4:]...) // printed raw, without "txt:"
		default:
			out = append(out, v.Str...)
		}
	case Array, Set, Map, Push:
		return formatAggregate(out, v, prefix)
	}
	return append(out, '\n')
}

func formatAggregate(out []byte, v Value, prefix string) []byte {
	if v.Null {
		return append(out, "(nil)\n"...)
	}
	if len(v.Elems) == 0 {
		switch v.Kind {
		case Map:
			return append(out, "(empty hash)\n"...)
		case Set:
			return append(out, "(empty set)\n"...)
		case Push:
			return append(out, "(empty push)\n"...)
		}
		return append(out, "(empty array)\n"...)
	}
	count, sep := len(v.Elems), byte(')')
	switch v.Kind {
	case Map:
		count, sep = count/2, '#'
	case Set:
		sep = '~'
	}
	width := len(strconv.Itoa(count))
	inner := prefix + strings.Repeat(" ", width+2)
	for i := 0; i < len(v.Elems); i++ {
		if i > 0 {
			out = append(out, prefix...)
		}
		index := i + 1
		if v.Kind == Map {
			index = i/2 + 1
		}
		out = appendPadded(out, index, width)
		out = append(out, sep, ' ')
		out = formatTTY(out, v.Elems[i], inner)
		if v.Kind != Map || i+1 == len(v.Elems) {
			continue
		}
		i++
		out = append(out[:len(out)-1], " => "...)
		// A value that spans lines starts on its own line, indented.
		val := formatTTY(nil, v.Elems[i], inner)
		if isAggregate(v.Elems[i].Kind) && bytes.IndexByte(val[:len(val)-1], '\n') >= 0 {
			out = append(out, '\n')
			out = append(out, inner...)
		}
		out = append(out, val...)
	}
	return out
}

func isAggregate(k Kind) bool { return k == Array || k == Set || k == Map || k == Push }

// appendPadded is printf("%*d", width, n).
func appendPadded(out []byte, n, width int) []byte {
	for pad := width - len(strconv.Itoa(n)); pad > 0; pad-- {
		out = append(out, ' ')
	}
	return strconv.AppendInt(out, int64(n), 10)
}

// QuoteCLI quotes s as redis-cli prints a bulk string (sdscatrepr).
func QuoteCLI(s []byte) string { return string(cstr.AppendRepr(nil, s)) }

package resp

import (
	"strconv"
	"strings"

	"github.com/syncscope/syncscope/core/cstr"
)

// AppendCommand appends args as a multibulk request: what a master
// propagates and what a replica sends during its handshake.
func AppendCommand(dst []byte, args ...[]byte) []byte { return appendCommand(dst, args) }

// AppendCommandStrings is AppendCommand for string arguments.
func AppendCommandStrings(dst []byte, args ...string) []byte { return appendCommand(dst, args) }

func appendCommand[T []byte | string](dst []byte, args []T) []byte {
	dst = appendPrefix(dst, '*', int64(len(args)))
	for _, a := range args {
		dst = appendPrefix(dst, '$', int64(len(a)))
		dst = append(dst, a...)
		dst = append(dst, '\r', '\n')
	}
	return dst
}

// appendPrefix appends "<kind><n>\r\n"; most are short lengths, hence
// the one- and two-digit fast paths.
func appendPrefix(dst []byte, kind byte, n int64) []byte {
	switch {
	case n >= 0 && n < 10:
		return append(dst, kind, byte('0'+n), '\r', '\n')
	case n >= 10 && n < 100:
		return append(dst, kind, byte('0'+n/10), byte('0'+n%10), '\r', '\n')
	}
	dst = append(dst, kind)
	dst = strconv.AppendInt(dst, n, 10)
	return append(dst, '\r', '\n')
}

// Writer appends replies to Buf in the client's protocol: RESP2 when Proto is
// 0 or 2, RESP3 when it is 3 (after HELLO 3). Types RESP2 lacks degrade as
// Redis 7.0.15 degrades them.
type Writer struct {
	Buf   []byte
	Proto int
	// Errors, when set, counts every error reply appended (a server's
	// total_error_replies and errorstats).
	Errors *ErrorTally
}

// ErrorTally counts error replies in total and by code, as Redis's INFO
// stats and errorstats do.
type ErrorTally struct {
	Total  int64
	ByCode map[string]int64
}

// maxErrorCodes bounds the codes tallied (Redis's ERROR_STATS_NUMBER).
const maxErrorCodes = 128

// count tallies one error reply by its code: the first word when it ends
// within 32 bytes, else ERR (afterErrorReply).
func (t *ErrorTally) count(msg string) {
	t.Total++
	code := "ERR"
	if i := strings.IndexByte(msg[:min(len(msg), 31)], ' '); i > 0 {
		code = msg[:i]
	}
	if _, ok := t.ByCode[code]; !ok {
		if t.ByCode == nil {
			t.ByCode = make(map[string]int64)
		}
		if len(t.ByCode) >= maxErrorCodes {
			return
		}
	}
	t.ByCode[code]++
}

func (w *Writer) resp3() bool { return w.Proto >= 3 }

// Reset empties Buf and keeps its capacity.
func (w *Writer) Reset() { w.Buf = w.Buf[:0] }

// Raw appends bytes that are already encoded.
func (w *Writer) Raw(b []byte) { w.Buf = append(w.Buf, b...) }

// SimpleString appends +s.
func (w *Writer) SimpleString(s string) {
	w.Buf = append(w.Buf, '+')
	w.Buf = append(w.Buf, s...)
	w.Buf = append(w.Buf, '\r', '\n')
}

// Error appends -msg. msg starts with the error code ("ERR ...",
// "WRONGTYPE ..."). As addReplyErrorFormat does, CR and LF at either end are
// dropped and the others become spaces, so the reply stays one line.
func (w *Writer) Error(msg string) {
	start, end := 0, len(msg)
	for start < end && (msg[start] == '\r' || msg[start] == '\n') {
		start++
	}
	for end > start && (msg[end-1] == '\r' || msg[end-1] == '\n') {
		end--
	}
	if w.Errors != nil {
		w.Errors.count(msg[start:end])
	}
	w.Buf = append(w.Buf, '-')
	for i := start; i < end; i++ {
		c := msg[i]
		if c == '\r' || c == '\n' {
			c = ' '
		}
		w.Buf = append(w.Buf, c)
	}
	w.Buf = append(w.Buf, '\r', '\n')
}

// Int appends :n.
func (w *Writer) Int(n int64) { w.Buf = appendPrefix(w.Buf, ':', n) }

// Bulk appends a bulk string.
func (w *Writer) Bulk(b []byte) {
	w.Buf = appendPrefix(w.Buf, '$', int64(len(b)))
	w.Buf = append(w.Buf, b...)
	w.Buf = append(w.Buf, '\r', '\n')
}

// BulkString appends a bulk string.
func (w *Writer) BulkString(s string) {
	w.Buf = appendPrefix(w.Buf, '$', int64(len(s)))
	w.Buf = append(w.Buf, s...)
	w.Buf = append(w.Buf, '\r', '\n')
}

// Null appends the null bulk string ($-1 in RESP2).
func (w *Writer) Null() {
	if w.resp3() {
		w.Buf = append(w.Buf, "_\r\n"...)
		return
	}
	w.Buf = append(w.Buf, "$-1\r\n"...)
}

// NullArray appends the null array (*-1 in RESP2).
func (w *Writer) NullArray() {
	if w.resp3() {
		w.Buf = append(w.Buf, "_\r\n"...)
		return
	}
	w.Buf = append(w.Buf, "*-1\r\n"...)
}

// ArrayLen starts an array of n elements.
func (w *Writer) ArrayLen(n int) { w.Buf = appendPrefix(w.Buf, '*', int64(n)) }

// MapLen starts a map of n key/value pairs (an array of 2n in RESP2).
func (w *Writer) MapLen(n int) {
	if w.resp3() {
		w.Buf = appendPrefix(w.Buf, '%', int64(n))
		return
	}
	w.Buf = appendPrefix(w.Buf, '*', 2*int64(n))
}

// Deferred marks where a length not yet known goes (addReplyDeferredLen);
// InsertArrayLen or InsertMapLen puts it there once the elements are written.
func (w *Writer) Deferred() int { return len(w.Buf) }

// InsertArrayLen inserts an array length of n at mark.
func (w *Writer) InsertArrayLen(mark, n int) { w.insertPrefix(mark, '*', int64(n)) }

// InsertMapLen inserts a map length of n pairs at mark (an array in RESP2).
func (w *Writer) InsertMapLen(mark, n int) {
	if w.resp3() {
		w.insertPrefix(mark, '%', int64(n))
		return
	}
	w.insertPrefix(mark, '*', 2*int64(n))
}

func (w *Writer) insertPrefix(mark int, kind byte, n int64) {
	var hdr [24]byte
	h := appendPrefix(hdr[:0], kind, n)
	w.Buf = append(w.Buf, h...)
	copy(w.Buf[mark+len(h):], w.Buf[mark:len(w.Buf)-len(h)])
	copy(w.Buf[mark:], h)
}

// SetLen starts a set of n elements (an array in RESP2).
func (w *Writer) SetLen(n int) { w.aggregateLen('~', n) }

// PushLen starts a push message of n elements (an array in RESP2, as pub/sub
// messages are).
func (w *Writer) PushLen(n int) { w.aggregateLen('>', n) }

// aggregateLen starts a RESP3 aggregate of type kind and n elements, an
// array in RESP2.
func (w *Writer) aggregateLen(kind byte, n int) {
	if !w.resp3() {
		kind = '*'
	}
	w.Buf = appendPrefix(w.Buf, kind, int64(n))
}

// Double appends f as addReplyDouble does in Redis 7.0.15: "%.17g" (inf and
// -inf spelled out), as a bulk string in RESP2 and a ',' double in RESP3.
// ZSCORE, ZINCRBY and the WITHSCORES replies use it; INCRBYFLOAT and
// HINCRBYFLOAT do not (they reply a bulk string in both protocols).
func (w *Writer) Double(f float64) {
	var num [32]byte
	text := FormatDouble(num[:0], f)
	if w.resp3() {
		w.Buf = append(w.Buf, ',')
		w.Buf = append(w.Buf, text...)
		w.Buf = append(w.Buf, '\r', '\n')
		return
	}
	w.Bulk(text)
}

// FormatDouble appends f as C's printf("%.17g") with glibc's spelling of
// infinities and NaN: the text of addReplyDouble, which prints a NaN with
// its sign bit (Lua's {double=0/0}) as -nan, where d2string's AppendG17
// prints nan.
func FormatDouble(dst []byte, f float64) []byte { return cstr.AppendFloat(dst, f, 'g', 17) }

// Bool appends a RESP3 boolean; RESP2 gets :1 or :0.
func (w *Writer) Bool(b bool) {
	switch {
	case !w.resp3() && b:
		w.Buf = append(w.Buf, ":1\r\n"...)
	case !w.resp3():
		w.Buf = append(w.Buf, ":0\r\n"...)
	case b:
		w.Buf = append(w.Buf, "#t\r\n"...)
	default:
		w.Buf = append(w.Buf, "#f\r\n"...)
	}
}

// Verbatim appends a RESP3 verbatim string whose format ("txt", "mkd") is
// padded with spaces or cut to three bytes; RESP2 gets a bulk string of s.
func (w *Writer) Verbatim(format, s string) {
	if !w.resp3() {
		w.BulkString(s)
		return
	}
	w.Buf = appendPrefix(w.Buf, '=', int64(len(s))+4)
	for i := 0; i < 3; i++ {
		c := byte(' ')
		if i < len(format) {
			c = format[i]
		}
		w.Buf = append(w.Buf, c)
	}
	w.Buf = append(w.Buf, ':')
	w.Buf = append(w.Buf, s...)
	w.Buf = append(w.Buf, '\r', '\n')
}

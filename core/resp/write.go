package resp

import (
	"math"
	"strconv"
)

// Writer appends replies to Buf in RESP2 (Proto 0 or 2) or RESP3 (Proto 3).
type Writer struct {
	Buf   []byte
	Proto int
}

// Reset empties Buf, keeping its capacity.
func (w *Writer) Reset() { w.Buf = w.Buf[:0] }

func (w *Writer) resp3() bool { return w.Proto == 3 }

// SimpleString writes +s.
func (w *Writer) SimpleString(s string) {
	w.Buf = append(w.Buf, '+')
	w.Buf = append(w.Buf, s...)
	w.Buf = append(w.Buf, '\r', '\n')
}

// Error writes -msg; CR and LF in msg become spaces, as Redis does.
func (w *Writer) Error(msg string) {
	w.Buf = append(w.Buf, '-')
	for i := 0; i < len(msg); i++ {
		c := msg[i]
		if c == '\r' || c == '\n' {
			c = ' '
		}
		w.Buf = append(w.Buf, c)
	}
	w.Buf = append(w.Buf, '\r', '\n')
}

// Int writes :n.
func (w *Writer) Int(n int64) {
	w.Buf = append(w.Buf, ':')
	w.Buf = strconv.AppendInt(w.Buf, n, 10)
	w.Buf = append(w.Buf, '\r', '\n')
}

func (w *Writer) header(kind byte, n int) {
	w.Buf = append(w.Buf, kind)
	w.Buf = strconv.AppendInt(w.Buf, int64(n), 10)
	w.Buf = append(w.Buf, '\r', '\n')
}

// Bulk writes a bulk string.
func (w *Writer) Bulk(b []byte) {
	w.header('$', len(b))
	w.Buf = append(w.Buf, b...)
	w.Buf = append(w.Buf, '\r', '\n')
}

// BulkString writes a bulk string.
func (w *Writer) BulkString(s string) {
	w.header('$', len(s))
	w.Buf = append(w.Buf, s...)
	w.Buf = append(w.Buf, '\r', '\n')
}

// Null writes a null bulk string ($-1, or _ in RESP3).
func (w *Writer) Null() {
	if w.resp3() {
		w.Buf = append(w.Buf, "_\r\n"...)
		return
	}
	w.Buf = append(w.Buf, "$-1\r\n"...)
}

// NullArray writes a null array (*-1, or _ in RESP3).
func (w *Writer) NullArray() {
	if w.resp3() {
		w.Buf = append(w.Buf, "_\r\n"...)
		return
	}
	w.Buf = append(w.Buf, "*-1\r\n"...)
}

// ArrayLen starts an array of n elements.
func (w *Writer) ArrayLen(n int) { w.header('*', n) }

// MapLen starts a map of n pairs (an array of 2n elements in RESP2).
func (w *Writer) MapLen(n int) {
	if w.resp3() {
		w.header('%', n)
		return
	}
	w.header('*', 2*n)
}

// SetLen starts a set of n elements (an array in RESP2).
func (w *Writer) SetLen(n int) {
	if w.resp3() {
		w.header('~', n)
		return
	}
	w.header('*', n)
}

// PushLen starts a push message of n elements (an array in RESP2).
func (w *Writer) PushLen(n int) {
	if w.resp3() {
		w.header('>', n)
		return
	}
	w.header('*', n)
}

// Double writes a double as Redis 7.0's addReplyDouble: a bulk string of
// "%.17g" in RESP2, a ',' double in RESP3; infinities as inf and -inf.
func (w *Writer) Double(f float64) {
	var tmp [32]byte
	var s []byte
	switch {
	case math.IsInf(f, 1):
		s = append(tmp[:0], "inf"...)
	case math.IsInf(f, -1):
		s = append(tmp[:0], "-inf"...)
	default:
		s = FormatDouble(tmp[:0], f)
	}
	if w.resp3() {
		w.Buf = append(w.Buf, ',')
		w.Buf = append(w.Buf, s...)
		w.Buf = append(w.Buf, '\r', '\n')
		return
	}
	w.Bulk(s)
}

// FormatDouble appends f as C's printf("%.17g").
func FormatDouble(dst []byte, f float64) []byte {
	if f == 0 {
		if math.Signbit(f) {
			return append(dst, "-0"...)
		}
		return append(dst, '0')
	}
	exp := int(math.Floor(math.Log10(math.Abs(f))))
	// %g uses scientific notation when exp < -4 or exp >= precision.
	s := strconv.FormatFloat(f, 'e', 16, 64)
	if mant, e, ok := splitExp(s); ok {
		exp = e
		if exp < -4 || exp >= 17 {
			mant = trimZeros(mant)
			dst = append(dst, mant...)
			dst = append(dst, 'e')
			if exp < 0 {
				dst = append(dst, '-')
				exp = -exp
			} else {
				dst = append(dst, '+')
			}
			if exp < 10 {
				dst = append(dst, '0')
			}
			return strconv.AppendInt(dst, int64(exp), 10)
		}
	}
	fixed := strconv.FormatFloat(f, 'f', max(16-exp, 0), 64)
	return append(dst, trimZeros(fixed)...)
}

func splitExp(s string) (mant string, exp int, ok bool) {
	for i := len(s) - 1; i >= 0; i-- {
		if s[i] == 'e' {
			e, err := strconv.Atoi(s[i+1:])
			return s[:i], e, err == nil
		}
	}
	return s, 0, false
}

// trimZeros drops a fraction's trailing zeros and a dangling point.
func trimZeros(s string) string {
	dot := -1
	for i := 0; i < len(s); i++ {
		if s[i] == '.' {
			dot = i
			break
		}
	}
	if dot < 0 {
		return s
	}
	end := len(s)
	for end > dot+1 && s[end-1] == '0' {
		end--
	}
	if end == dot+1 {
		end = dot
	}
	return s[:end]
}

// Bool writes #t/#f in RESP3, :1/:0 in RESP2.
func (w *Writer) Bool(b bool) {
	if w.resp3() {
		if b {
			w.Buf = append(w.Buf, "#t\r\n"...)
		} else {
			w.Buf = append(w.Buf, "#f\r\n"...)
		}
		return
	}
	if b {
		w.Int(1)
	} else {
		w.Int(0)
	}
}

// Verbatim writes a verbatim string (=len\r\nfmt:s) in RESP3, a bulk string in RESP2.
func (w *Writer) Verbatim(format, s string) {
	if !w.resp3() {
		w.BulkString(s)
		return
	}
	w.header('=', len(s)+4)
	w.Buf = append(w.Buf, format...)
	w.Buf = append(w.Buf, ':')
	w.Buf = append(w.Buf, s...)
	w.Buf = append(w.Buf, '\r', '\n')
}

// Raw appends bytes as they are.
func (w *Writer) Raw(b []byte) { w.Buf = append(w.Buf, b...) }

// AppendCommand appends argv as a multibulk request.
func AppendCommand(dst []byte, args ...[]byte) []byte {
	dst = append(dst, '*')
	dst = strconv.AppendInt(dst, int64(len(args)), 10)
	dst = append(dst, '\r', '\n')
	for _, a := range args {
		dst = append(dst, '$')
		dst = strconv.AppendInt(dst, int64(len(a)), 10)
		dst = append(dst, '\r', '\n')
		dst = append(dst, a...)
		dst = append(dst, '\r', '\n')
	}
	return dst
}

// AppendCommandStrings is AppendCommand for string arguments.
func AppendCommandStrings(dst []byte, args ...string) []byte {
	dst = append(dst, '*')
	dst = strconv.AppendInt(dst, int64(len(args)), 10)
	dst = append(dst, '\r', '\n')
	for _, a := range args {
		dst = append(dst, '$')
		dst = strconv.AppendInt(dst, int64(len(a)), 10)
		dst = append(dst, '\r', '\n')
		dst = append(dst, a...)
		dst = append(dst, '\r', '\n')
	}
	return dst
}

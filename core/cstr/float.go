package cstr

import (
	"math"
	"strconv"
)

// AppendG17 appends f as C's printf("%.17g") prints it, with glibc's "inf",
// "-inf" and "nan": the text of Redis's addReplyDouble, of a score in a
// DEBUG DIGEST and of a non-integral score in a listpack. Go's 'g' format
// with 17 digits is the same text (trailing zeros dropped, exponent form
// below 1e-4 and from 1e17, a two-digit exponent at least).
func AppendG17(dst []byte, f float64) []byte {
	switch {
	case math.IsInf(f, 1):
		return append(dst, "inf"...)
	case math.IsInf(f, -1):
		return append(dst, "-inf"...)
	case math.IsNaN(f):
		return append(dst, "nan"...)
	}
	return strconv.AppendFloat(dst, f, 'g', 17, 64)
}

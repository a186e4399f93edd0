package cstr

import (
	"math"
	"strconv"
)

// AppendFloat appends f as glibc's printf prints it with the conversion
// verb ('e', 'f' or 'g') and precision prec: "inf" and "-inf" for the
// infinities, "nan" for NaN, or "-nan" when its sign bit is set (the NaN
// x86 makes of 0/0 has it), and otherwise strconv's text, which is C's
// for these verbs (for 'g': trailing zeros dropped, exponent form below
// 1e-4 and from 10^prec, a two-digit exponent at least).
func AppendFloat(dst []byte, f float64, verb byte, prec int) []byte {
	switch {
	case math.IsInf(f, 1):
		return append(dst, "inf"...)
	case math.IsInf(f, -1):
		return append(dst, "-inf"...)
	case math.IsNaN(f) && math.Signbit(f):
		return append(dst, "-nan"...)
	case math.IsNaN(f):
		return append(dst, "nan"...)
	}
	return strconv.AppendFloat(dst, f, verb, prec, 64)
}

// AppendG17 appends f as C's printf("%.17g") prints it, but "nan" for any
// NaN, as Redis's d2string spells it: the text of a score in a DEBUG DIGEST
// and of a non-integral score in a listpack.
func AppendG17(dst []byte, f float64) []byte {
	if math.IsNaN(f) {
		return append(dst, "nan"...)
	}
	return AppendFloat(dst, f, 'g', 17)
}

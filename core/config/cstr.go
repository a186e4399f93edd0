package config

import (
	"math"
	"strconv"
	"strings"
)

// The config's own C-flavoured helpers; the general ones (string2ll,
// strtoll, sdssplitargs, sdscatrepr) are in core/cstr.

// memtoull parses a memory amount like util.c memtoull: digits then an
// optional unit b, k (1000), kb (1024), m, mb, g, gb, case-insensitive.
// Quirks kept: "" and a bare unit are 0, and a unit-less overflow saturates.
func memtoull(s string) (uint64, bool) { return Memtoull(s) }

// Memtoull is memtoull for the node (DEBUG's memory arguments).
func Memtoull(s string) (uint64, bool) {
	if strings.HasPrefix(s, "-") {
		return 0, false
	}
	u := 0
	for u < len(s) && s[u] >= '0' && s[u] <= '9' {
		u++
	}
	var mul uint64
	switch strings.ToLower(s[u:]) {
	case "", "b":
		mul = 1
	case "k":
		mul = 1000
	case "kb":
		mul = 1024
	case "m":
		mul = 1000 * 1000
	case "mb":
		mul = 1024 * 1024
	case "g":
		mul = 1000 * 1000 * 1000
	case "gb":
		mul = 1024 * 1024 * 1024
	default:
		return 0, false
	}
	if u >= 128 {
		return 0, false
	}
	var v uint64
	for _, c := range s[:u] {
		d := uint64(c - '0')
		if v > (math.MaxUint64-d)/10 {
			v = math.MaxUint64 // strtoull saturates; Redis does not check ERANGE
			break
		}
		v = v*10 + d
	}
	if v > math.MaxUint64/mul {
		return 0, false
	}
	return v * mul, true
}

// formatMemory writes bytes the way CONFIG REWRITE does: gb, mb or kb when
// the value is an exact multiple, plain bytes otherwise.
func formatMemory(v int64) string {
	const kb, mb, gb = 1024, 1024 * 1024, 1024 * 1024 * 1024
	switch {
	case v != 0 && v%gb == 0:
		return strconv.FormatInt(v/gb, 10) + "gb"
	case v != 0 && v%mb == 0:
		return strconv.FormatInt(v/mb, 10) + "mb"
	case v != 0 && v%kb == 0:
		return strconv.FormatInt(v/kb, 10) + "kb"
	}
	return strconv.FormatInt(v, 10)
}

// formatPercentile prints a float like "%f" followed by Redis's
// trimDoubleString: 99.900000 becomes 99.9 and 50.000000 becomes 50.
func formatPercentile(f float64) string {
	s := strconv.FormatFloat(f, 'f', 6, 64)
	if strings.IndexByte(s, '.') >= 0 {
		s = strings.TrimRight(s, "0")
		s = strings.TrimSuffix(s, ".")
	}
	return s
}

// trimLine is sdstrim(line, " \t\r\n").
func trimLine(s string) string { return strings.Trim(s, " \t\r\n") }

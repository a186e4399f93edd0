package lua

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestStringFormat: Lua 5.1's string.format over glibc's sprintf
// (redis-server's replies; TestStringFormatDiff runs many more).
func TestStringFormat(t *testing.T) {
	e := New()
	for body, want := range map[string]string{
		"return string.format('%u', -1)":                             "$20\r\n18446744073709551615\r\n",
		"return string.format('%d', 0/0)":                            "$20\r\n-9223372036854775808\r\n",
		"return string.format('%u', 2^64)":                           "$1\r\n0\r\n",
		"return string.format('%g', 123456789)":                      "$11\r\n1.23457e+08\r\n",
		"return string.format('%#x', 0)":                             "$1\r\n0\r\n",
		"return string.format('%5.3s|', 'a\\0bc')":                   "$6\r\n    a|\r\n",
		"return string.format('%05.1f|', -1/0)":                      "$6\r\n -inf|\r\n",
		"return string.format('%q', 'a\\nb\\0c\"\\r')":               "$15\r\n\"a\\\nb\\000c\\\"\\r\"\r\n",
		"return string.format('%s', 1/3)":                            "$16\r\n0.33333333333333\r\n",
		"return tostring(0/0)":                                       "$4\r\n-nan\r\n",
		"return string.format('%s', nil)":                            "-ERR user_script:1: bad argument #2 to 'format' (string expected, got nil)",
		"return string.format('%x')":                                 "-ERR user_script:1: bad argument #2 to 'format' (no value)",
		"return string.format('%y', 1)":                              "-ERR user_script:1: invalid option '%y' to 'format'",
		"return string.format('%------5d|', 1)":                      "-ERR user_script:1: invalid format (repeated flags)",
		"return string.format('%123d', 1)":                           "-ERR user_script:1: invalid format (width or precision too long)",
		"return string.format()":                                     "-ERR user_script:1: bad argument #1 to 'format' (string expected, got no value)",
		"return string.format('%5.3d|%-8.3x|%+.2e', 7, 255, 1234.5)": "$24\r\n  007|0ff     |+1.23e+03\r\n",
	} {
		got := evalBody(t, e, body)
		if want[0] == '-' {
			got, _, _ = strings.Cut(got, " script:")
		}
		assert.Equal(t, want, got, body)
	}
}

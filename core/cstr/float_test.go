package cstr

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestAppendFloat: glibc's printf text for the verbs Redis and Lua use
// (the finite values checked against C's printf through Python's % operator).
func TestAppendFloat(t *testing.T) {
	negNaN := math.Copysign(math.NaN(), -1)
	for _, c := range []struct {
		f    float64
		verb byte
		prec int
		want string
	}{
		{0.1, 'g', 14, "0.1"}, {1.0 / 3, 'g', 14, "0.33333333333333"}, {1e14, 'g', 14, "1e+14"},
		{123456789012345, 'g', 14, "1.2345678901234e+14"}, {1.5e-5, 'g', 14, "1.5e-05"},
		{1e15, 'g', 17, "1000000000000000"}, {1.0 / 3, 'g', 17, "0.33333333333333331"},
		{0.1, 'f', 6, "0.100000"}, {1e-300, 'f', 6, "0.000000"}, {1e14, 'f', 6, "100000000000000.000000"},
		{math.Inf(1), 'g', 14, "inf"}, {math.Inf(-1), 'f', 6, "-inf"},
		{math.NaN(), 'g', 17, "nan"}, {negNaN, 'g', 14, "-nan"},
	} {
		assert.Equal(t, c.want, string(AppendFloat([]byte("x"), c.f, c.verb, c.prec))[1:], "%v %%.%d%c", c.f, c.prec, c.verb)
	}
	assert.Equal(t, "nan", string(AppendG17(nil, negNaN)), "d2string spells every NaN nan")
}

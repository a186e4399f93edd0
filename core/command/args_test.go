package command

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestParseNumbers(t *testing.T) {
	for in, want := range map[string]float64{"1.5": 1.5, "0x10": 16, "-0x1p1": -2, "inf": math.Inf(1), "-inf": math.Inf(-1), "1e3": 1000} {
		got, ok := ParseFloat([]byte(in))
		assert.True(t, ok, in)
		assert.Equal(t, want, got, in)
	}
	for _, in := range []string{"nan", " 1", "1 ", "", "abc", "1e400"} {
		_, ok := ParseFloat([]byte(in))
		assert.False(t, ok, in)
	}
}

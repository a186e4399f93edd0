package lua

import (
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestArgArenaNumber checks the integer shortcut against "%.17g" itself.
func TestArgArenaNumber(t *testing.T) {
	var a argArena
	for _, f := range []float64{
		0, math.Copysign(0, -1), 1, -1, 60, 1e15 - 1, -(1e15 - 1), 1e15, -1e15, 1e16, 1e17, 1e18,
		1 << 53, 1<<53 + 1, 1 << 62, -1 << 63, math.MaxInt64, 0.5, -0.1, 1e-5, 3.99, 123456789.125,
		math.Inf(1), math.Inf(-1), math.NaN(), math.MaxFloat64, math.SmallestNonzeroFloat64,
	} {
		want := strconv.FormatFloat(f, 'g', 17, 64)
		assert.Equal(t, want, string(a.number(f)), "%v", f)
	}
}

// TestArgArenaNoOverlap checks that argv handed out earlier keep their
// contents while later calls fill the chunks, and that appending to one
// argument cannot overwrite the next.
func TestArgArenaNoOverlap(t *testing.T) {
	var a argArena
	var kept [][][]byte
	var want [][]string
	for i := range 3000 {
		argv := a.argv(3)
		argv[0] = a.str("set")
		argv[1] = a.str("key:" + strconv.Itoa(i))
		argv[2] = a.number(float64(i))
		if i%7 == 0 {
			argv[2] = a.str(strings.Repeat("v", bigArg+i%3))
		}
		_ = append(argv[1], "clobber"...)
		_ = append(argv, []byte("clobber"))
		kept = append(kept, argv)
		want = append(want, []string{string(argv[0]), string(argv[1]), string(argv[2])})
	}
	for i, argv := range kept {
		require.Len(t, argv, 3)
		assert.Equal(t, want[i], []string{string(argv[0]), string(argv[1]), string(argv[2])})
		assert.Equal(t, "key:"+strconv.Itoa(i), string(argv[1]))
	}
	big := a.argv(slotsChunk)
	assert.Len(t, big, slotsChunk)
}

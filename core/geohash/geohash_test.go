package geohash

import (
	"bufio"
	"math"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestTrigMatchesGlibc compares sin, cos and asin with glibc's on the
// samples of testdata/glibc-trig.txt (made by testdata/glibc-trig.c).
// glibc itself misrounds about 0.15% of arguments, those whose value is
// within a few thousandths of an ulp of a midpoint; Go's math package
// differs on about 25%.
func TestTrigMatchesGlibc(t *testing.T) {
	f, err := os.Open("testdata/glibc-trig.txt")
	require.NoError(t, err)
	defer f.Close()
	sc := bufio.NewScanner(f)
	n, diff, goDiff := 0, 0, 0
	for sc.Scan() {
		var v [5]float64
		for i, h := range strings.Fields(sc.Text()) {
			u, err := strconv.ParseUint(h, 16, 64)
			require.NoError(t, err)
			v[i] = math.Float64frombits(u)
		}
		n++
		for _, c := range []struct{ ours, gos, want float64 }{
			{sin(v[0]), math.Sin(v[0]), v[1]},
			{cos(v[0]), math.Cos(v[0]), v[2]},
			{asin(v[3]), math.Asin(v[3]), v[4]},
		} {
			if c.ours != c.want {
				diff++
				assert.InDelta(t, c.want, c.ours, math.Abs(c.want)*0x1p-52, "one ulp at most")
			}
			if c.gos != c.want {
				goDiff++
			}
		}
	}
	require.Equal(t, 1000, n)
	t.Logf("%d of %d results differ from glibc (Go's math: %d)", diff, 3*n, goDiff)
	assert.LessOrEqual(t, diff, 3*n/200, "more than 0.5% differ from glibc")
	assert.Greater(t, goDiff, 3*n/10, "the samples no longer tell correctly rounded results from Go's")
}

func TestEncodeDecode(t *testing.T) {
	// GEOADD Sicily 13.361389 38.115556 Palermo: ZSCORE 3479099956230698.
	h, ok := EncodeWGS84(13.361389, 38.115556, StepMax)
	require.True(t, ok)
	assert.Equal(t, uint64(3479099956230698), Align52(h))
	lon, lat := DecodeScore(3479099956230698)
	assert.Equal(t, "13.36138933897018433", strconv.FormatFloat(lon, 'f', 17, 64))
	assert.Equal(t, "38.11555639549629859", strconv.FormatFloat(lat, 'f', 17, 64))
	_, ok = EncodeWGS84(181, 0, StepMax)
	assert.False(t, ok)
	// GEODIST Sicily Palermo Catania: 166274.1516 m.
	lon2, lat2 := DecodeScore(3479447370796909)
	assert.Equal(t, "166274.15156960033", strconv.FormatFloat(Distance(lon, lat, lon2, lat2), 'f', -1, 64))
}

func TestDoubleToUint64(t *testing.T) {
	for _, c := range []struct {
		in   float64
		want uint64
	}{
		{0, 0}, {1.9, 1}, {-1, math.MaxUint64}, {0x1p63, 1 << 63}, {0x1p64, 0}, {math.Inf(1), 0},
		{math.Inf(-1), 1 << 63}, {math.NaN(), 1 << 63}, {-0x1p63, 1 << 63},
	} {
		assert.Equal(t, c.want, DoubleToUint64(c.in), "%v", c.in)
	}
}

func BenchmarkDistance(b *testing.B) {
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		Distance(13.361389, 38.115556, 15.087269+float64(i%7), 37.502669)
	}
}

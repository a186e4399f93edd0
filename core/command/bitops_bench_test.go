package command

import (
	"strconv"
	"testing"
)

// The bit commands a feature-flag or presence tracker runs: each should
// allocate nothing once the bitmap exists (the browser runs them too).

func BenchmarkSetbit(b *testing.B) {
	c, w := newBenchCtx()
	offsets := make([][]byte, 4096)
	for i := range offsets {
		offsets[i] = []byte(strconv.Itoa(i * 7919 % (1 << 20)))
	}
	argv := [][]byte{[]byte("SETBIT"), []byte("presence"), nil, []byte("1")}
	benchRun(c, w, [][]byte{[]byte("SETBIT"), []byte("presence"), []byte("1048575"), []byte("0")})
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		argv[2] = offsets[i%len(offsets)]
		argv[3][0] = '0' + byte(i/len(offsets)&1)
		i++
		benchRun(c, w, argv)
	}
}

func benchBitcount(b *testing.B, size int, args ...string) {
	c, w := newBenchCtx()
	benchRun(c, w, [][]byte{[]byte("SETBIT"), []byte("bm"), []byte(strconv.Itoa(size*8 - 1)), []byte("1")})
	for i := 0; i < size*8; i += 3 {
		benchRun(c, w, [][]byte{[]byte("SETBIT"), []byte("bm"), []byte(strconv.Itoa(i)), []byte("1")})
	}
	b.SetBytes(int64(size))
	benchRepeat(b, c, w, append([]string{"BITCOUNT", "bm"}, args...)...)
}

func BenchmarkBitcount(b *testing.B)      { benchBitcount(b, 1<<16) }
func BenchmarkBitcountRange(b *testing.B) { benchBitcount(b, 1<<16, "3", "-5", "BIT") }

func BenchmarkBitposRange(b *testing.B) {
	c, w := newBenchCtx()
	benchRun(c, w, [][]byte{[]byte("SETBIT"), []byte("bm"), []byte(strconv.Itoa(1<<19 - 1)), []byte("1")})
	b.SetBytes(1 << 16)
	benchRepeat(b, c, w, "BITPOS", "bm", "1", "5", "-1", "BIT")
}

func BenchmarkBitfield(b *testing.B) {
	c, w := newBenchCtx()
	benchRepeat(b, c, w, "BITFIELD", "counters", "OVERFLOW", "SAT", "INCRBY", "u12", "#37", "1", "GET", "i5", "100")
}

package command

import (
	"strconv"
	"testing"
)

// hllBenchKey fills key with n elements through PFADD.
func hllBenchKey(c *Ctx, key string, n int) {
	w := c.W
	for i := range n {
		benchRun(c, w, [][]byte{[]byte("PFADD"), []byte(key), []byte(key + ":" + strconv.Itoa(i))})
	}
}

func BenchmarkPFADD(b *testing.B) {
	for _, tc := range []struct {
		name string
		n    int
	}{{"sparse", 500}, {"dense", 20000}} {
		b.Run(tc.name, func(b *testing.B) {
			c, w := newBenchCtx()
			hllBenchKey(c, "h", tc.n)
			ele := []byte("element:000000000")
			argv := [][]byte{[]byte("PFADD"), []byte("h"), ele}
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				// Elements repeat every 1000 so a sparse key stays sparse.
				argv[2] = strconv.AppendInt(ele[:8], int64(i%1000), 10)
				benchRun(c, w, argv)
				i++
			}
		})
	}
}

func BenchmarkPFCOUNT(b *testing.B) {
	c, w := newBenchCtx()
	hllBenchKey(c, "a", 20000)
	hllBenchKey(c, "b", 300)
	hllBenchKey(c, "c", 5000)
	count := [][]byte{[]byte("PFCOUNT"), []byte("a")}
	stale := [][]byte{[]byte("SETRANGE"), []byte("a"), []byte("15"), []byte("\x80")}
	b.Run("cached", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			benchRun(c, w, count)
		}
	})
	b.Run("stale-dense", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			benchRun(c, w, stale) // mark the cached cardinality stale
			benchRun(c, w, count)
		}
	})
	union := [][]byte{[]byte("PFCOUNT"), []byte("a"), []byte("b"), []byte("c")}
	b.Run("union-3", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			benchRun(c, w, union)
		}
	})
}

package command

import (
	"testing"
)

// BenchmarkLPush pushes onto one list that keeps growing, as
// redis-benchmark's LPUSH does.
func BenchmarkLPush(b *testing.B) {
	c, w := newBenchCtx()
	benchRepeat(b, c, w, "LPUSH", "mylist", "xxx")
}

// BenchmarkLPop pops from a list refilled when it runs dry, outside the timer.
func BenchmarkLPop(b *testing.B) {
	c, w := newBenchCtx()
	fill := [][]byte{[]byte("RPUSH"), []byte("mylist")}
	for range 10000 {
		fill = append(fill, []byte("xxx"))
	}
	argv := [][]byte{[]byte("LPOP"), []byte("mylist")}
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		if n == 0 {
			b.StopTimer()
			benchRun(c, w, fill)
			n = len(fill) - 2
			b.StartTimer()
		}
		benchRun(c, w, argv)
		n--
	}
}

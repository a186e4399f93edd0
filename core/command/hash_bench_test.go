package command

import (
	"strconv"
	"testing"
)

// BenchmarkHSet sets fields of one hash, cycling through 100 fields (the
// listpack encoding) as redis-benchmark's HSET sets one field repeatedly.
func BenchmarkHSet(b *testing.B) { benchHSet(b, 100, false) }

// BenchmarkHSetHashtable is HSET on a hash past the listpack limits.
func BenchmarkHSetHashtable(b *testing.B) { benchHSet(b, 1000, true) }

// benchHSet sets n fields in turn, on a hash that has them all first when
// full (a hashtable past the listpack limits at 1000).
func benchHSet(b *testing.B, n int, full bool) {
	c, w := newBenchCtx()
	fields := make([][]byte, n)
	for i := range fields {
		fields[i] = []byte("element:" + strconv.Itoa(i))
	}
	argv := [][]byte{[]byte("HSET"), []byte("myhash"), nil, []byte("xxx")}
	if full {
		for _, f := range fields {
			argv[2] = f
			benchRun(c, w, argv)
		}
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		argv[2] = fields[i%len(fields)]
		i++
		benchRun(c, w, argv)
	}
}

func BenchmarkHGet(b *testing.B) {
	c, w := newBenchCtx()
	for i := range 100 {
		benchRun(c, w, [][]byte{[]byte("HSET"), []byte("myhash"), []byte("element:" + strconv.Itoa(i)), []byte("xxx")})
	}
	benchRepeat(b, c, w, "HGET", "myhash", "element:50")
}

package command

import (
	"strconv"
	"testing"
)

// BenchmarkHSet sets fields of one hash, cycling through 100 fields (the
// listpack encoding) as redis-benchmark's HSET sets one field repeatedly.
func BenchmarkHSet(b *testing.B) {
	c, w := newBenchCtx()
	fields := make([][]byte, 100)
	for i := range fields {
		fields[i] = []byte("element:" + strconv.Itoa(i))
	}
	argv := [][]byte{[]byte("HSET"), []byte("myhash"), nil, []byte("xxx")}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		argv[2] = fields[i%len(fields)]
		i++
		benchRun(c, w, argv)
	}
}

// BenchmarkHSetHashtable is HSET on a hash past the listpack limits.
func BenchmarkHSetHashtable(b *testing.B) {
	c, w := newBenchCtx()
	fields := make([][]byte, 1000)
	for i := range fields {
		fields[i] = []byte("element:" + strconv.Itoa(i))
	}
	argv := [][]byte{[]byte("HSET"), []byte("myhash"), nil, []byte("xxx")}
	for _, f := range fields {
		argv[2] = f
		benchRun(c, w, argv)
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
	argv := [][]byte{[]byte("HGET"), []byte("myhash"), []byte("element:50")}
	b.ReportAllocs()
	for b.Loop() {
		benchRun(c, w, argv)
	}
}

package rdb

import (
	"bytes"
	"os"
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"
)

func benchStrings(n int) []*Entry {
	es := make([]*Entry, n)
	for i := range es {
		es[i] = &Entry{Key: []byte("key:" + strconv.Itoa(i)), ExpireMs: -1, Kind: KindString, Str: []byte("value:" + strconv.Itoa(i*7))}
	}
	return es
}

func benchList(n int) []*Entry {
	l := make([][]byte, n)
	for i := range l {
		l[i] = []byte("element-" + strconv.Itoa(i))
	}
	return []*Entry{{Key: []byte("list"), ExpireMs: -1, Kind: KindList, List: l}}
}

func benchHash(n int) []*Entry {
	h := make([]Field, n)
	for i := range h {
		h[i] = Field{[]byte("field:" + strconv.Itoa(i)), []byte("value-" + strconv.Itoa(i*3))}
	}
	return []*Entry{{Key: []byte("hash"), ExpireMs: -1, Kind: KindHash, Hash: h}}
}

var benchSets = []struct {
	name string
	es   func() []*Entry
}{
	{"100kStrings", func() []*Entry { return benchStrings(100000) }},
	{"List10k", func() []*Entry { return benchList(10000) }},
	{"Hash100k", func() []*Entry { return benchHash(100000) }},
}

func BenchmarkEncode(b *testing.B) {
	for _, bs := range benchSets {
		es := bs.es()
		b.Run(bs.name, func(b *testing.B) {
			b.ReportAllocs()
			var buf bytes.Buffer
			for b.Loop() {
				buf.Reset()
				e := NewEncoder(&buf, DefaultOptions())
				_ = e.Header()
				_ = e.SelectDB(0, uint64(len(es)), 0)
				for _, en := range es {
					if err := e.Entry(en); err != nil {
						b.Fatal(err)
					}
				}
				if err := e.Finish(); err != nil {
					b.Fatal(err)
				}
			}
			b.SetBytes(int64(buf.Len()))
		})
	}
}

func BenchmarkLoad(b *testing.B) {
	load := func(name string, data []byte) {
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				if _, err := Load(data, nop); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	for _, bs := range benchSets {
		load(bs.name, encodeFile(b, DefaultOptions(), nil, bs.es()))
	}
	data, err := os.ReadFile("testdata/redis-7.0.15-compressed.rdb")
	require.NoError(b, err)
	load("RedisFixture", data)
}

package resp

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestWriter(t *testing.T) {
	tests := []struct {
		name       string
		write      func(w *Writer)
		resp2, rsp string // rsp: RESP3
	}{
		{"simple", func(w *Writer) { w.SimpleString("OK") }, "+OK\r\n", "+OK\r\n"},
		{"error", func(w *Writer) { w.Error("ERR bad") }, "-ERR bad\r\n", "-ERR bad\r\n"},
		{"error one line", func(w *Writer) { w.Error("\r\nERR a\r\nb\n") }, "-ERR a  b\r\n", "-ERR a  b\r\n"},
		{"int", func(w *Writer) { w.Int(math.MinInt64) }, ":-9223372036854775808\r\n", ":-9223372036854775808\r\n"},
		{"bulk", func(w *Writer) { w.Bulk([]byte("a\r\nb")) }, "$4\r\na\r\nb\r\n", "$4\r\na\r\nb\r\n"},
		{"empty bulk", func(w *Writer) { w.BulkString("") }, "$0\r\n\r\n", "$0\r\n\r\n"},
		{"null", func(w *Writer) { w.Null() }, "$-1\r\n", "_\r\n"},
		{"null array", func(w *Writer) { w.NullArray() }, "*-1\r\n", "_\r\n"},
		{"array", func(w *Writer) { w.ArrayLen(2) }, "*2\r\n", "*2\r\n"},
		{"map", func(w *Writer) { w.MapLen(2) }, "*4\r\n", "%2\r\n"},
		{"set", func(w *Writer) { w.SetLen(3) }, "*3\r\n", "~3\r\n"},
		{"push", func(w *Writer) { w.PushLen(3) }, "*3\r\n", ">3\r\n"},
		{"true", func(w *Writer) { w.Bool(true) }, ":1\r\n", "#t\r\n"},
		{"false", func(w *Writer) { w.Bool(false) }, ":0\r\n", "#f\r\n"},
		// DEBUG PROTOCOL verbatim on redis-server 7.0.15.
		{"verbatim", func(w *Writer) { w.Verbatim("txt", "This is a verbatim\nstring") },
			"$25\r\nThis is a verbatim\nstring\r\n", "=29\r\ntxt:This is a verbatim\nstring\r\n"},
		{"verbatim short format", func(w *Writer) { w.Verbatim("md", "x") }, "$1\r\nx\r\n", "=5\r\nmd :x\r\n"},
		{"verbatim long format", func(w *Writer) { w.Verbatim("markdown", "x") }, "$1\r\nx\r\n", "=5\r\nmar:x\r\n"},
		{"raw", func(w *Writer) { w.Raw([]byte("+PONG\r\n")) }, "+PONG\r\n", "+PONG\r\n"},
	}
	for _, tc := range tests {
		for _, proto := range []int{0, 2, 3} {
			w := Writer{Proto: proto}
			tc.write(&w)
			want := tc.resp2
			if proto == 3 {
				want = tc.rsp
			}
			assert.Equal(t, want, string(w.Buf), "%s in RESP%d", tc.name, proto)
		}
	}
}

// doubleCases are what redis-server 7.0.15 replied to ZSCORE after
// ZADD z <score> m, in RESP2 and RESP3 (HELLO 3).
var doubleCases = []struct {
	score      string
	f          float64
	resp2, rsp string
}{
	{"1.1", 1.1, "$18\r\n1.1000000000000001\r\n", ",1.1000000000000001\r\n"},
	{"0.1", 0.1, "$19\r\n0.10000000000000001\r\n", ",0.10000000000000001\r\n"},
	{"1", 1, "$1\r\n1\r\n", ",1\r\n"},
	{"0", 0, "$1\r\n0\r\n", ",0\r\n"},
	{"1e21", 1e21, "$5\r\n1e+21\r\n", ",1e+21\r\n"},
	{"1e20", 1e20, "$5\r\n1e+20\r\n", ",1e+20\r\n"},
	{"123456789012345678", 123456789012345678, "$22\r\n1.2345678901234568e+17\r\n", ",1.2345678901234568e+17\r\n"},
	{"1e-5", 1e-5, "$22\r\n1.0000000000000001e-05\r\n", ",1.0000000000000001e-05\r\n"},
	{"0.0001", 0.0001, "$6\r\n0.0001\r\n", ",0.0001\r\n"},
	{"1.5e300", 1.5e300, "$23\r\n1.5000000000000001e+300\r\n", ",1.5000000000000001e+300\r\n"},
	{"inf", math.Inf(1), "$3\r\ninf\r\n", ",inf\r\n"},
	{"-inf", math.Inf(-1), "$4\r\n-inf\r\n", ",-inf\r\n"},
	{"3.0000000000000004", 3.0000000000000004, "$18\r\n3.0000000000000004\r\n", ",3.0000000000000004\r\n"},
	{"1e-320", 1e-320, "$23\r\n9.9998886718268301e-321\r\n", ",9.9998886718268301e-321\r\n"},
	{"100", 100, "$3\r\n100\r\n", ",100\r\n"},
	{"1e16", 1e16, "$17\r\n10000000000000000\r\n", ",10000000000000000\r\n"},
	{"1e17", 1e17, "$5\r\n1e+17\r\n", ",1e+17\r\n"},
	{"1.5", 1.5, "$3\r\n1.5\r\n", ",1.5\r\n"},
}

func TestWriterDouble(t *testing.T) {
	for _, tc := range doubleCases {
		w2, w3 := Writer{}, Writer{Proto: 3}
		w2.Double(tc.f)
		w3.Double(tc.f)
		assert.Equal(t, tc.resp2, string(w2.Buf), tc.score)
		assert.Equal(t, tc.rsp, string(w3.Buf), tc.score)
	}
	// C's printf spelling for what ZSCORE never shows.
	assert.Equal(t, "-0", string(FormatDouble(nil, math.Copysign(0, -1))))
	assert.Equal(t, "nan", string(FormatDouble(nil, math.NaN())))
}

func TestWriterReset(t *testing.T) {
	w := Writer{Proto: 3}
	w.BulkString("hello")
	c := cap(w.Buf)
	w.Reset()
	assert.Empty(t, w.Buf)
	assert.Equal(t, c, cap(w.Buf))
	w.Null()
	assert.Equal(t, "_\r\n", string(w.Buf))
}

func TestWriterNoAllocs(t *testing.T) {
	w := Writer{Buf: make([]byte, 0, 256)}
	allocs := testing.AllocsPerRun(100, func() {
		w.Reset()
		w.ArrayLen(3)
		w.BulkString("redis")
		w.Int(42)
		w.Double(1.1)
	})
	assert.Zero(t, allocs)
}

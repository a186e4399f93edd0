package resp

import (
	"bytes"
	"testing"
)

var benchSet = []byte("*3\r\n$3\r\nSET\r\n$16\r\nkey:000000012345\r\n$3\r\nxxx\r\n")

func BenchmarkParseSet(b *testing.B) {
	b.ReportAllocs()
	b.SetBytes(int64(len(benchSet)))
	p := Parser{Limits: DefaultLimits()}
	for b.Loop() {
		if _, n, err := p.Next(benchSet); err != nil || n != len(benchSet) {
			b.Fatal(n, err)
		}
	}
}

func BenchmarkParsePipeline16(b *testing.B) {
	pipeline := bytes.Repeat(benchSet, 16)
	b.ReportAllocs()
	b.SetBytes(int64(len(pipeline)))
	p := Parser{Limits: DefaultLimits()}
	for b.Loop() {
		buf := pipeline
		for len(buf) > 0 {
			_, n, err := p.Next(buf)
			if err != nil || n == 0 {
				b.Fatal(n, err)
			}
			buf = buf[n:]
		}
	}
}

func BenchmarkParseInline(b *testing.B) {
	in := []byte("SET key:000000012345 \"xxx\"\r\n")
	b.ReportAllocs()
	p := Parser{Limits: DefaultLimits()}
	for b.Loop() {
		if _, _, err := p.Next(in); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkWriteBulk(b *testing.B) {
	value := bytes.Repeat([]byte("x"), 64)
	w := Writer{}
	b.ReportAllocs()
	b.SetBytes(int64(len(value)))
	for b.Loop() {
		w.Reset()
		w.Bulk(value)
	}
}

func BenchmarkReadValue(b *testing.B) {
	reply := []byte("*3\r\n$5\r\nredis\r\n:42\r\n,1.5\r\n")
	b.ReportAllocs()
	for b.Loop() {
		if _, n, err := ReadValue(reply); err != nil || n != len(reply) {
			b.Fatal(n, err)
		}
	}
}

// A request of many arguments arriving in 16 KB reads (Redis's read size):
// resuming where the last read stopped keeps this linear in its size.
func BenchmarkParseBigMultibulkInReads(b *testing.B) {
	const args = 100000
	req := []byte("*100000\r\n")
	req = append(req, bytes.Repeat([]byte("$5\r\nvalue\r\n"), args)...)
	b.ReportAllocs()
	b.SetBytes(int64(len(req)))
	p := Parser{Limits: DefaultLimits()}
	for b.Loop() {
		got := 0
		for end := min(16<<10, len(req)); ; end = min(end+16<<10, len(req)) {
			a, n, err := p.Next(req[:end])
			if err != nil {
				b.Fatal(err)
			}
			if n > 0 {
				got = len(a)
				break
			}
		}
		if got != args {
			b.Fatal(got)
		}
	}
}

package resp

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParserNext(t *testing.T) {
	tests := []struct {
		in   string
		args []string
		n    int
		err  string
	}{
		{in: "*2\r\n$3\r\nGET\r\n$1\r\na\r\n", args: []string{"GET", "a"}, n: 20},
		{in: "*2\r\n$3\r\nGET\r\n$1\r\n", n: 0},
		{in: "*2\r\n$3\r\nGET\r\n$1\r\na", n: 0},
		{in: "*0\r\n", args: []string{}, n: 4},
		{in: "*-1\r\n", args: []string{}, n: 5},
		{in: "PING\r\n", args: []string{"PING"}, n: 6},
		{in: "PING\n", args: []string{"PING"}, n: 5},
		{in: "\r\n", args: []string{}, n: 2},
		{in: `set "a b" 'c\'d' "\x41\n"` + "\r\n", args: []string{"set", "a b", "c'd", "A\n"}, n: 27},
		{in: "set \"a\r\n", err: "Protocol error: unbalanced quotes in request"},
		{in: "set \"a\"b\r\n", err: "Protocol error: unbalanced quotes in request"},
		{in: "*x\r\n", err: "Protocol error: invalid multibulk length"},
		{in: "*3000000000\r\n", err: "Protocol error: invalid multibulk length"},
		{in: "*1\r\n+foo\r\n", err: "Protocol error: expected '$', got '+'"},
		{in: "*1\r\n$-5\r\n", err: "Protocol error: invalid bulk length"},
		{in: "*1\r\n$1099511627776\r\n", err: "Protocol error: invalid bulk length"},
	}
	for _, tt := range tests {
		var p Parser
		args, n, err := p.Next([]byte(tt.in))
		if tt.err != "" {
			require.Error(t, err, tt.in)
			assert.Equal(t, tt.err, err.Error(), tt.in)
			continue
		}
		require.NoError(t, err, tt.in)
		assert.Equal(t, tt.n, n, tt.in)
		if tt.args != nil {
			got := []string{}
			for _, a := range args {
				got = append(got, string(a))
			}
			assert.Equal(t, tt.args, got, tt.in)
		}
	}
}

func TestParserLimits(t *testing.T) {
	p := Parser{Limits: DefaultLimits()}
	big := make([]byte, 70*1024)
	for i := range big {
		big[i] = 'a'
	}
	_, _, err := p.Next(big)
	require.EqualError(t, err, "Protocol error: too big inline request")
	p.Limits.Unauthenticated = true
	_, _, err = p.Next([]byte("*11\r\n"))
	require.EqualError(t, err, "Protocol error: unauthenticated multibulk length")
	_, _, err = p.Next([]byte("*1\r\n$20000\r\n"))
	require.EqualError(t, err, "Protocol error: unauthenticated bulk length")
}

func TestWriter(t *testing.T) {
	var w Writer
	w.SimpleString("OK")
	w.Error("ERR bad\r\nthing")
	w.Int(-3)
	w.BulkString("hi")
	w.Null()
	w.NullArray()
	w.MapLen(1)
	w.Double(1.1)
	w.Double(math.Inf(-1))
	assert.Equal(t, "+OK\r\n-ERR bad  thing\r\n:-3\r\n$2\r\nhi\r\n$-1\r\n*-1\r\n*2\r\n$18\r\n1.1000000000000001\r\n$4\r\n-inf\r\n", string(w.Buf))
	w = Writer{Proto: 3}
	w.Null()
	w.MapLen(2)
	w.Double(2.5)
	w.Bool(true)
	w.Verbatim("txt", "x")
	assert.Equal(t, "_\r\n%2\r\n,2.5\r\n#t\r\n=5\r\ntxt:x\r\n", string(w.Buf))
}

func TestFormatDouble(t *testing.T) {
	for f, want := range map[float64]string{
		1: "1", 1.5: "1.5", 0.1: "0.10000000000000001", 1e20: "1e+20", 123456789012345678: "1.2345678901234568e+17",
		1e-5: "1.0000000000000001e-05", -2.25: "-2.25", 3e16: "30000000000000000", 0.0001: "0.0001",
	} {
		assert.Equal(t, want, string(FormatDouble(nil, f)), "%v", f)
	}
}

func TestReadValueAndFormatCLI(t *testing.T) {
	tests := []struct{ in, cli string }{
		{"+OK\r\n", "OK"},
		{"-ERR x\r\n", "(error) ERR x"},
		{":5\r\n", "(integer) 5"},
		{"$5\r\nredis\r\n", `"redis"`},
		{"$-1\r\n", "(nil)"},
		{"*0\r\n", "(empty array)"},
		{"*2\r\n$1\r\na\r\n*2\r\n:1\r\n$1\r\nb\r\n", "1) \"a\"\n2) 1) (integer) 1\n   2) \"b\""},
		{"$3\r\na\"\n\r\n", `"a\"\n"`},
	}
	for _, tt := range tests {
		v, n, err := ReadValue([]byte(tt.in))
		require.NoError(t, err)
		require.Equal(t, len(tt.in), n)
		assert.Equal(t, tt.cli, FormatCLI(v))
		_, n, err = ReadValue([]byte(tt.in[:len(tt.in)-1]))
		require.NoError(t, err)
		assert.Zero(t, n, "incomplete %q", tt.in)
	}
}

func FuzzParserNext(f *testing.F) {
	for _, s := range []string{"*2\r\n$3\r\nGET\r\n$1\r\na\r\n", "PING\r\n", `set "a b" 'c'` + "\n", "*1\r\n$-1\r\n", "*a\r\n"} {
		f.Add([]byte(s), 3)
	}
	f.Fuzz(func(t *testing.T, data []byte, split int) {
		whole := parseAll(data)
		if split < 0 || split > len(data) {
			split = len(data) / 2
		}
		// Feeding the bytes in two pieces must give the same requests.
		var p Parser
		var buf []byte
		var got []string
		for _, piece := range [][]byte{data[:split], data[split:]} {
			buf = append(buf, piece...)
			for {
				args, n, err := p.Next(buf)
				if err != nil {
					got = append(got, "ERR "+err.Error())
					buf = nil
					break
				}
				if n == 0 {
					break
				}
				if n > len(buf) {
					t.Fatalf("consumed %d of %d", n, len(buf))
				}
				got = append(got, join(args))
				buf = buf[n:]
			}
			if buf == nil {
				break
			}
		}
		if len(got) > len(whole) || !equalPrefix(whole, got) {
			t.Fatalf("split %d: %q vs whole %q", split, got, whole)
		}
	})
}

func parseAll(data []byte) []string {
	var p Parser
	var out []string
	for {
		args, n, err := p.Next(data)
		if err != nil {
			return append(out, "ERR "+err.Error())
		}
		if n == 0 {
			return out
		}
		out = append(out, join(args))
		data = data[n:]
	}
}

func join(args [][]byte) string {
	s := ""
	for _, a := range args {
		s += string(a) + "\x00"
	}
	return s
}

func equalPrefix(whole, got []string) bool {
	for i := range got {
		if got[i] != whole[i] {
			// A "too big" error may depend on how much was buffered.
			return len(got[i]) > 4 && got[i][:4] == "ERR " && len(whole[i]) > 4 && whole[i][:4] == "ERR "
		}
	}
	return true
}

func FuzzReadValue(f *testing.F) {
	for _, s := range []string{"+OK\r\n", "*2\r\n$1\r\na\r\n:1\r\n", "%1\r\n+a\r\n,1.5\r\n", "$-1\r\n"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		v, n, err := ReadValue(data)
		if err == nil && n > 0 {
			_ = FormatCLI(v)
			if n > len(data) {
				t.Fatalf("consumed %d of %d", n, len(data))
			}
		}
	})
}

func BenchmarkParserNextSet(b *testing.B) {
	b.ReportAllocs()
	buf := []byte("*3\r\n$3\r\nSET\r\n$16\r\nkey:000000000001\r\n$3\r\nxxx\r\n")
	var p Parser
	for b.Loop() {
		if _, n, err := p.Next(buf); n == 0 || err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkWriterBulk(b *testing.B) {
	b.ReportAllocs()
	w := Writer{Buf: make([]byte, 0, 64)}
	v := []byte("value-of-some-size")
	for b.Loop() {
		w.Reset()
		w.Bulk(v)
	}
}

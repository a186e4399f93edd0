package resp

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// parserCases were checked against redis-server 7.0.15 by writing the bytes
// to a socket: errors are its replies without "-ERR ", args are what ECHO
// and the commands showed it had received. The bulk headers among them take
// the fast path (plainBulkHeader) or, when not plain or not within the
// limits, the general one: both must come to Redis's outcome.
var parserCases = []struct {
	name   string
	in     string
	limits Limits   // zero: Redis's defaults
	args   []string // nil with err == "": incomplete
	n      int      // 0: all of in
	err    string
}{
	{name: "set", in: "*3\r\n$3\r\nSET\r\n$4\r\nname\r\n$5\r\nredis\r\n", args: []string{"SET", "name", "redis"}},
	{name: "pipelined", in: "*1\r\n$4\r\nPING\r\n*1\r\n", args: []string{"PING"}, n: 14},
	{name: "empty argument", in: "*2\r\n$4\r\nECHO\r\n$0\r\n\r\n", args: []string{"ECHO", ""}},
	{name: "binary argument", in: "*1\r\n$3\r\n\x00\r\n\r\n", args: []string{"\x00\r\n"}},
	{name: "no count line", in: "*2", args: nil},
	{name: "count without LF", in: "*2\r", args: nil},
	{name: "no bulk header", in: "*2\r\n$3\r\nGET\r\n", args: nil},
	{name: "bulk incomplete", in: "*2\r\n$3\r\nGET\r\n$1\r\na", args: nil},
	{name: "bulk without CRLF", in: "*2\r\n$3\r\nGET\r\n$1\r\na\r", args: nil},
	{name: "bytes after a bulk are not checked", in: "*1\r\n$4\r\nPINGxxECHO\r\n", args: []string{"PING"}, n: 14},
	{name: "byte after count CR is not checked", in: "*1\rX$4\r\nPING\r\n", args: []string{"PING"}, n: 14},
	{name: "byte after bulk count CR is not checked", in: "*1\r\n$4\rXPINGab", args: []string{"PING"}, n: 14},
	{name: "zero count", in: "*0\r\nPING\r\n", args: []string{}, n: 4},
	{name: "null count", in: "*-1\r\nPING\r\n", args: []string{}, n: 5},
	{name: "negative count", in: "*-5\r\nPING\r\n", args: []string{}, n: 5},
	{name: "NUL in count line", in: "*1\x00\r\n$4\r\nPING\r\n", args: nil},
	{name: "largest count", in: "*2147483647\r\n", args: nil},
	{name: "largest bulk", in: "*1\r\n$536870912\r\n", args: nil},
	{name: "two-digit bulk length", in: "*2\r\n$1\r\na\r\n$12\r\nhello world!\r\n", args: []string{"a", "hello world!"}},
	{name: "bulk count without LF", in: "*1\r\n$3\r", args: nil},
	{name: "bulk count CR then any byte", in: "*1\r\n$3\rX", args: nil},

	{name: "inline", in: "PING\r\n", args: []string{"PING"}},
	{name: "inline LF", in: "PING\n", args: []string{"PING"}},
	{name: "inline incomplete", in: "PING\r", args: nil},
	{name: "inline NUL hides the LF", in: "PING\x00\r\n", args: nil},
	{name: "blank line", in: "\r\n\nPING\n", args: []string{}, n: 2},
	{name: "LF alone", in: "\nPING\n", args: []string{}, n: 1},
	{name: "spaces only", in: "   \r\nPING\r\n", args: []string{}, n: 5},
	{name: "CR inside a line separates", in: "ECHO a\rb\n", args: []string{"ECHO", "a", "b"}},
	{name: "blanks", in: " \t\vSET\f a  b \r\n", args: []string{"SET\f", "a", "b"}}, // \f and \v are blanks only between words
	{name: "vertical tab inside a word", in: "a\vb\n", args: []string{"a\vb"}},
	{name: "double quotes", in: `ECHO "a\x41\n" "\"\\\r\t\b\a\q"` + "\r\n", args: []string{"ECHO", "aA\n", "\"\\\r\t\b\aq"}},
	{name: "bad hex escape", in: `ECHO "\x4g"` + "\n", args: []string{"ECHO", "x4g"}},
	{name: "single quotes", in: `ECHO 'a\'b\n"'` + "\n", args: []string{"ECHO", `a'b\n"`}},
	{name: "quote inside a word", in: `ab"c d"` + "\n", args: []string{"abc d"}},
	{name: "empty quotes", in: `ECHO "" ''` + "\n", args: []string{"ECHO", "", ""}},
	{name: "closing quote then blank", in: "\"a\"\vb\n", args: []string{"a", "b"}},

	{name: "count not a number", in: "*x\r\nPING\r\n", err: "Protocol error: invalid multibulk length"},
	{name: "empty count", in: "*\r\nPING\r\n", err: "Protocol error: invalid multibulk length"},
	{name: "count with leading zero", in: "*01\r\n$4\r\nPING\r\n", err: "Protocol error: invalid multibulk length"},
	{name: "count with plus", in: "*+1\r\n", err: "Protocol error: invalid multibulk length"},
	{name: "count above INT_MAX", in: "*2147483648\r\n", err: "Protocol error: invalid multibulk length"},
	{name: "count LF without CR", in: "*1\n$4\r\nPING\r\n", err: "Protocol error: invalid multibulk length"},
	{name: "simple string for bulk", in: "*1\r\n+PING\r\n", err: "Protocol error: expected '$', got '+'"},
	{name: "CR for bulk", in: "*1\r\n\r\n", err: "Protocol error: expected '$', got ' '"},
	{name: "bulk length not a number", in: "*1\r\n$x\r\nPING\r\n", err: "Protocol error: invalid bulk length"},
	{name: "bulk length -1", in: "*1\r\n$-1\r\n", err: "Protocol error: invalid bulk length"},
	{name: "bulk length -0", in: "*1\r\n$-0\r\n", err: "Protocol error: invalid bulk length"},
	{name: "bulk length with leading zero", in: "*1\r\n$04\r\nPING\r\n", err: "Protocol error: invalid bulk length"},
	{name: "bulk above proto-max-bulk-len", in: "*1\r\n$536870913\r\n", err: "Protocol error: invalid bulk length"},
	{name: "bulk above a lower proto-max-bulk-len", in: "*1\r\n$3\r\nabc\r\n", limits: Limits{MaxBulkLen: 2}, err: "Protocol error: invalid bulk length"},
	{name: "bulk length then a letter", in: "*1\r\n$3x\r\nabc\r\n", err: "Protocol error: invalid bulk length"},
	{name: "bulk length of 19 digits", in: "*1\r\n$1234567890123456789\r\n", err: "Protocol error: invalid bulk length"},
	{name: "letter for bulk", in: "*1\r\nx3\r\n", err: "Protocol error: expected '$', got 'x'"},
	{name: "unbalanced double quote", in: "\"a\"b\r\n", err: "Protocol error: unbalanced quotes in request"},
	{name: "unterminated single quote", in: "'a\r\n", err: "Protocol error: unbalanced quotes in request"},
	{name: "unterminated escape", in: `"a\` + "\n", err: "Protocol error: unbalanced quotes in request"},
	{name: "inline too long", in: strings.Repeat("a", 64*1024+1), err: "Protocol error: too big inline request"},
	{name: "inline too long with NUL", in: "PING\x00" + strings.Repeat("a", 64*1024) + "\r\n", err: "Protocol error: too big inline request"},
	{name: "line past 64 KB, whole", in: "ECHO " + strings.Repeat("a", 64*1024) + "\r\n", args: []string{"ECHO", strings.Repeat("a", 64*1024)}},
	{name: "count line past 64 KB, whole", in: "*" + strings.Repeat("1", 64*1024) + "\r\n", err: "Protocol error: invalid multibulk length"},
	{name: "count line too long", in: "*" + strings.Repeat("1", 64*1024+1), err: "Protocol error: too big mbulk count string"},
	{name: "bulk count line too long", in: "*1\r\n$" + strings.Repeat("1", 64*1024+1), err: "Protocol error: too big bulk count string"},
}

func TestParserNext(t *testing.T) {
	for _, tc := range parserCases {
		t.Run(tc.name, func(t *testing.T) {
			p := Parser{Limits: tc.limits}
			args, n, err := p.Next([]byte(tc.in))
			if tc.err != "" {
				require.Error(t, err)
				var perr *ProtocolError
				require.ErrorAs(t, err, &perr)
				assert.Equal(t, tc.err, err.Error())
				assert.Zero(t, n)
				return
			}
			require.NoError(t, err)
			if tc.args == nil {
				assert.Nil(t, args)
				assert.Zero(t, n)
				return
			}
			if tc.n == 0 {
				tc.n = len(tc.in)
			}
			assert.Equal(t, tc.n, n)
			require.NotNil(t, args)
			assert.Equal(t, tc.args, strs(args))
		})
	}
}

func TestParserSplitAnywhere(t *testing.T) {
	for _, tc := range parserCases {
		whole := runParser(t, tc.limits, []byte(tc.in))
		for cut := 0; cut <= len(tc.in) && cut < 200; cut++ {
			got := runParser(t, tc.limits, []byte(tc.in[:cut]), []byte(tc.in[cut:]))
			require.Equal(t, whole, got, "%s split at %d", tc.name, cut)
		}
	}
}

func TestParserUnauthenticated(t *testing.T) {
	tests := []struct{ in, err string }{
		{"*11\r\n", "Protocol error: unauthenticated multibulk length"},
		{"*1\r\n$16385\r\n", "Protocol error: unauthenticated bulk length"},
		{"*1\r\n$536870913\r\n", "Protocol error: invalid bulk length"},
		{"*2147483648\r\n", "Protocol error: invalid multibulk length"},
		{"*10\r\n", ""},
		{"*1\r\n$16384\r\n", ""},
		{"ECHO " + strings.Repeat("a", 20000) + "\r\n", ""}, // inline requests have no such limit
	}
	for _, tc := range tests {
		p := Parser{Limits: DefaultLimits()}
		p.Limits.Unauthenticated = true
		_, _, err := p.Next([]byte(tc.in))
		if tc.err == "" {
			assert.NoError(t, err, tc.in)
		} else {
			assert.EqualError(t, err, tc.err, tc.in)
		}
	}
}

func TestParserZeroLimitsAreDefaults(t *testing.T) {
	var p Parser
	_, _, err := p.Next([]byte("*1\r\n$536870913\r\n"))
	assert.EqualError(t, err, "Protocol error: invalid bulk length")
	_, _, err = p.Next([]byte("*1\r\n$536870912\r\n"))
	assert.NoError(t, err)

	p = Parser{Limits: Limits{MaxBulkLen: 5}}
	_, _, err = p.Next([]byte("*1\r\n$6\r\n"))
	assert.EqualError(t, err, "Protocol error: invalid bulk length")
}

func TestParserReusesArgs(t *testing.T) {
	p := Parser{Limits: DefaultLimits()}
	args, _, err := p.Next([]byte("ECHO \"a\"\r\n"))
	require.NoError(t, err)
	first := &args[0]
	args, _, err = p.Next([]byte("*1\r\n$4\r\nPING\r\n"))
	require.NoError(t, err)
	assert.Same(t, first, &args[0])
	assert.Equal(t, []string{"PING"}, strs(args))
}

func TestParserNoAllocs(t *testing.T) {
	set := []byte("*3\r\n$3\r\nSET\r\n$4\r\nname\r\n$5\r\nredis\r\n")
	inline := []byte("SET name \"redis\"\r\n")
	p := Parser{Limits: DefaultLimits()}
	for _, in := range [][]byte{set, inline} {
		_, _, _ = p.Next(in) // warm the scratch space
		allocs := testing.AllocsPerRun(100, func() {
			if _, _, err := p.Next(in); err != nil {
				t.Fatal(err)
			}
		})
		assert.Zero(t, allocs, "%q", in)
	}
}

func TestSplitArgs(t *testing.T) {
	args, ok := SplitArgs([]byte(`set "a b" 'c\'d' e`), nil)
	require.True(t, ok)
	assert.Equal(t, []string{"set", "a b", "c'd", "e"}, strs(args))
	_, ok = SplitArgs([]byte(`set "a`), nil)
	assert.False(t, ok)
	args, ok = SplitArgs([]byte("  "), nil)
	assert.True(t, ok)
	assert.Empty(t, args)
}

func TestAppendCommand(t *testing.T) {
	want := "*3\r\n$3\r\nSET\r\n$4\r\nname\r\n$0\r\n\r\n"
	assert.Equal(t, want, string(AppendCommand([]byte{}, []byte("SET"), []byte("name"), []byte{})))
	assert.Equal(t, "x"+want, string(AppendCommandStrings([]byte("x"), "SET", "name", "")))
	assert.Equal(t, "*0\r\n", string(AppendCommandStrings(nil)))

	p := Parser{Limits: DefaultLimits()}
	args, n, err := p.Next(AppendCommandStrings(nil, "REPLCONF", "listening-port", "6378"))
	require.NoError(t, err)
	assert.Equal(t, 49, n)
	assert.Equal(t, []string{"REPLCONF", "listening-port", "6378"}, strs(args))
}

// runParser feeds chunks one after the other, as a connection delivers
// them, and records every command, empty request and error it yields, then
// how many bytes were left waiting; it checks the bounds of every call.
func runParser(t *testing.T, lim Limits, chunks ...[]byte) []string {
	p := Parser{Limits: lim}
	var events []string
	var pending []byte
	for _, c := range chunks {
		pending = append(pending, c...)
		for {
			args, n, err := p.Next(pending)
			if err != nil {
				require.Zero(t, n)
				return append(events, "error: "+err.Error())
			}
			require.LessOrEqual(t, n, len(pending))
			if n == 0 {
				require.Nil(t, args)
				break
			}
			events = append(events, fmt.Sprintf("%q", strs(args)))
			pending = pending[n:]
		}
	}
	return append(events, fmt.Sprintf("waiting for more after %d bytes", len(pending)))
}

func strs(args [][]byte) []string {
	out := make([]string, len(args))
	for i, a := range args {
		out[i] = string(a)
	}
	return out
}

package resp

import (
	"math"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func str(k Kind, s string) Value { return Value{Kind: k, Str: []byte(s)} }

func TestReadValue(t *testing.T) {
	tests := []struct {
		in   string
		want Value
	}{
		{"+OK\r\n", str(SimpleString, "OK")},
		{"+\r\n", str(SimpleString, "")},
		{"-ERR bad\r\n", str(Error, "ERR bad")},
		{":-12\r\n", Value{Kind: Integer, Int: -12}},
		{"$5\r\nre\r\ns\r\n", str(BulkString, "re\r\ns")},
		{"$0\r\n\r\n", str(BulkString, "")},
		{"$-1\r\n", Value{Kind: BulkString, Null: true}},
		{"*-1\r\n", Value{Kind: Array, Null: true}},
		{"*0\r\n", Value{Kind: Array, Elems: []Value{}}},
		{"_\r\n", Value{Kind: Null, Null: true}},
		{",1.5\r\n", Value{Kind: Double, Str: []byte("1.5"), Float: 1.5}},
		{",-inf\r\n", Value{Kind: Double, Str: []byte("-inf"), Float: math.Inf(-1)}},
		{",INF\r\n", Value{Kind: Double, Str: []byte("INF"), Float: math.Inf(1)}},
		{"#t\r\n", Value{Kind: Boolean, Int: 1}},
		{"#f\r\n", Value{Kind: Boolean}},
		{"(-123456789012345678901234567890\r\n", str(BigNumber, "-123456789012345678901234567890")},
		{"=7\r\ntxt:a\nb\r\n", str(Verbatim, "txt:a\nb")},
		{"!7\r\nERR x y\r\n", str(BlobError, "ERR x y")},
		{"*2\r\n:1\r\n*1\r\n$1\r\na\r\n", Value{Kind: Array, Elems: []Value{
			{Kind: Integer, Int: 1},
			{Kind: Array, Elems: []Value{str(BulkString, "a")}},
		}}},
		{"%1\r\n+k\r\n~1\r\n#t\r\n", Value{Kind: Map, Elems: []Value{
			str(SimpleString, "k"),
			{Kind: Set, Elems: []Value{{Kind: Boolean, Int: 1}}},
		}}},
		{">2\r\n$7\r\nmessage\r\n:1\r\n", Value{Kind: Push, Elems: []Value{str(BulkString, "message"), {Kind: Integer, Int: 1}}}},
		// An attribute and the reply it annotates (DEBUG PROTOCOL attrib).
		{"|1\r\n+key\r\n:90\r\n+reply\r\n", Value{Kind: Attribute, Elems: []Value{
			str(SimpleString, "key"), {Kind: Integer, Int: 90}, str(SimpleString, "reply"),
		}}},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			in := tc.in + "+next\r\n"
			v, n, err := ReadValue([]byte(in))
			require.NoError(t, err)
			assert.Equal(t, len(tc.in), n)
			assert.Equal(t, tc.want, v)
			for cut := range len(tc.in) {
				v, n, err := ReadValue([]byte(tc.in[:cut]))
				require.NoError(t, err, "cut at %d", cut)
				require.Zero(t, n, "cut at %d", cut)
				require.Zero(t, v.Kind)
			}
		})
	}
}

func TestReadValueErrors(t *testing.T) {
	tests := []string{
		"?x\r\n",
		"+a\rb\r\n",
		"+a\n",
		":12x\r\n",
		":01\r\n",
		":\r\n",
		"_x\r\n",
		"#x\r\n",
		",nan\r\n",
		",1e400\r\n",
		",\r\n",
		"(12a\r\n",
		"(-\r\n",
		"$-2\r\n",
		"$x\r\n",
		"$1\r\nab\r\n",
		"=3\r\ntxt\r\n",
		"=4\r\ntxt-\r\n",
		"*-2\r\n",
		"*2147483648\r\n",
		"*1\r\n+a\n",
		strings.Repeat("*1\r\n", maxDepth+2) + ":1\r\n",
	}
	for _, in := range tests {
		_, n, err := ReadValue([]byte(in))
		require.ErrorIs(t, err, ErrMalformed, "%q", in)
		assert.Zero(t, n)
	}
}

func TestReadValueCopies(t *testing.T) {
	buf := []byte("*2\r\n$5\r\nredis\r\n+OK\r\n")
	v, _, err := ReadValue(buf)
	require.NoError(t, err)
	for i := range buf {
		buf[i] = 'x'
	}
	assert.Equal(t, "redis", string(v.Elems[0].Str))
	assert.Equal(t, "OK", string(v.Elems[1].Str))
}

func TestReadValueHugeCount(t *testing.T) {
	// A count the bytes cannot hold is incomplete, without allocating for it.
	v, n, err := ReadValue([]byte("*2147483647\r\n:1\r\n"))
	require.NoError(t, err)
	assert.Zero(t, n)
	assert.Zero(t, v.Kind)
}

func TestReplies(t *testing.T) {
	for _, tc := range []struct {
		in    string
		n     int
		whole bool
	}{
		{"", 0, true},
		{"+OK\r\n", 1, true},
		{"+OK\r\n:1\r\n*2\r\n$1\r\na\r\n_\r\n", 3, true},
		{"+OK\r\n*2\r\n$1\r\na\r\n", 1, false}, // the array is cut short
		{"+OK\r\n$3\r\nab", 1, false},
		{":1\r\n+OK\n", 1, false}, // a bare LF is malformed
		{"?\r\n", 0, false},
	} {
		n, whole := Replies([]byte(tc.in))
		assert.Equal(t, tc.n, n, "%q", tc.in)
		assert.Equal(t, tc.whole, whole, "%q", tc.in)
	}
}

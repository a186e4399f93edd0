package resp

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The fast path for bulk headers must give the general path's outcome for
// every header, plain or not.
func TestBulkHeaderFastPathAgreesWithRedis(t *testing.T) {
	for _, tc := range []struct {
		in     string
		limits Limits
		args   []string
		err    string
	}{
		{in: "*1\r\n$3\r\nabc\r\n", args: []string{"abc"}},
		{in: "*1\r\n$0\r\n\r\n", args: []string{""}},
		{in: "*2\r\n$1\r\na\r\n$12\r\nhello world!\r\n", args: []string{"a", "hello world!"}},
		{in: "*1\r\n$03\r\nabc\r\n", err: "Protocol error: invalid bulk length"},
		{in: "*1\r\n$-1\r\n", err: "Protocol error: invalid bulk length"},
		{in: "*1\r\n$3x\r\nabc\r\n", err: "Protocol error: invalid bulk length"},
		{in: "*1\r\n$1234567890123456789\r\n", err: "Protocol error: invalid bulk length"},
		{in: "*1\r\n$3\r\nabc\r\n", limits: Limits{MaxBulkLen: 2}, err: "Protocol error: invalid bulk length"},
		{in: "*1\r\n$16385\r\n", limits: Limits{Unauthenticated: true}, err: "Protocol error: unauthenticated bulk length"},
		{in: "*1\r\n$16384\r\n", limits: Limits{Unauthenticated: true}}, // incomplete, not refused
		{in: "*1\r\n$3\r"},  // incomplete: the byte after '\r' is missing
		{in: "*1\r\n$3\rX"}, // Redis does not check that it is '\n'
		{in: "*1\r\nx3\r\n", err: "Protocol error: expected '$', got 'x'"},
	} {
		p := Parser{Limits: tc.limits}
		args, n, err := p.Next([]byte(tc.in))
		if tc.err != "" {
			require.Error(t, err, "%q", tc.in)
			assert.Equal(t, tc.err, err.Error(), "%q", tc.in)
			continue
		}
		require.NoError(t, err, "%q", tc.in)
		if tc.args == nil {
			assert.Zero(t, n, "%q is incomplete", tc.in)
			continue
		}
		assert.Equal(t, len(tc.in), n)
		var got []string
		for _, a := range args {
			got = append(got, string(a))
		}
		assert.Equal(t, tc.args, got, "%q", tc.in)
	}
}

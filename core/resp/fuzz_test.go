package resp

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// FuzzParserNext checks that Next never panics, never claims more bytes than
// it was given, and yields the same commands and errors whether the stream
// arrives whole, cut in two anywhere, or in small chunks — except that, as
// in Redis, a line past the limit is refused ("too big") only when the
// bytes so far end before it does: up to that, the runs agree. small
// shrinks the limits so that short inputs reach the "too big" paths.
func FuzzParserNext(f *testing.F) {
	for _, tc := range parserCases {
		if len(tc.in) < 1000 {
			f.Add([]byte(tc.in), uint(len(tc.in)/2), false, false)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte, cut uint, small, unauth bool) {
		lim := Limits{Unauthenticated: unauth}
		if small {
			lim.MaxInlineLen, lim.MaxBulkLen = 16, 20
		}
		c := int(cut % uint(len(data)+1))
		whole := runParser(t, lim, data)
		split := runParser(t, lim, data[:c], data[c:])
		sameUpToTooBig(t, whole, split, "cut at %d", c)
		// Many small reads: the parser resumes a multibulk where it stopped.
		step := int(cut%7) + 1
		var chunks [][]byte
		for i := 0; i < len(data); i += step {
			chunks = append(chunks, data[i:min(i+step, len(data))])
		}
		sameUpToTooBig(t, whole, runParser(t, lim, chunks...), "in chunks of %d", step)
	})
}

// sameUpToTooBig requires a and b equal, or, when either ends in a "too big"
// error, equal up to the shorter one's last event before it.
func sameUpToTooBig(t *testing.T, a, b []string, msg string, arg int) {
	t.Helper()
	tooBig := func(ev []string) bool { return len(ev) > 0 && strings.Contains(ev[len(ev)-1], "too big") }
	if !tooBig(a) && !tooBig(b) {
		require.Equal(t, a, b, msg, arg)
		return
	}
	n := min(len(a), len(b)) - 1
	require.Equal(t, a[:n], b[:n], msg, arg)
}

// FuzzReadValue checks that ReadValue never panics, that a reply reads the
// same from a buffer cut right after it, that every shorter prefix is
// incomplete rather than an error, and that FormatCLI accepts what it reads.
func FuzzReadValue(f *testing.F) {
	for _, tc := range cliCases {
		f.Add([]byte(tc.reply), uint(len(tc.reply)/2))
	}
	f.Fuzz(func(t *testing.T, data []byte, cut uint) {
		v, n, err := ReadValue(data)
		if err != nil || n == 0 {
			require.Zero(t, n)
			return
		}
		require.LessOrEqual(t, n, len(data))
		again, m, err := ReadValue(data[:n])
		require.NoError(t, err)
		require.Equal(t, n, m)
		require.Equal(t, v, again)

		c := int(cut % uint(n))
		part, m, err := ReadValue(data[:c])
		require.NoError(t, err, "prefix of %d bytes", c)
		require.Zero(t, m)
		require.Zero(t, part.Kind)

		_ = FormatCLI(v)
	})
}

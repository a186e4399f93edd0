package repl

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestNewID(t *testing.T) {
	id, err := NewID(bytes.NewReader(bytes.Repeat([]byte{0xab, 0x01}, 10)))
	require.NoError(t, err)
	require.Equal(t, strings.Repeat("ab01", 10), id.String())

	_, err = NewID(bytes.NewReader([]byte{1, 2, 3}))
	require.ErrorContains(t, err, "drawing a new replication ID")

	zero, err := NewID(bytes.NewReader(make([]byte, 20)))
	require.NoError(t, err)
	require.Equal(t, NoID, zero)
}

func TestParseID(t *testing.T) {
	for _, tc := range []struct {
		in   string
		ok   bool
		want string
	}{
		{"fb06f43d9db47e77eafb003c6ca8044b156037f2", true, "fb06f43d9db47e77eafb003c6ca8044b156037f2"},
		{"FB06F43D9DB47E77EAFB003C6CA8044B156037F2", true, "fb06f43d9db47e77eafb003c6ca8044b156037f2"},
		{"0000000000000000000000000000000000000000", true, "0000000000000000000000000000000000000000"},
		{"fb06f43d9db47e77eafb003c6ca8044b156037f", false, ""},
		{"fb06f43d9db47e77eafb003c6ca8044b156037f2a", false, ""},
		{"gb06f43d9db47e77eafb003c6ca8044b156037f2", false, ""},
		{"?", false, ""},
	} {
		id, ok := ParseID(tc.in)
		require.Equal(t, tc.ok, ok, tc.in)
		if ok {
			require.Equal(t, tc.want, id.String())
		}
	}
	zeros, _ := ParseID(strings.Repeat("0", 40))
	require.Equal(t, NoID, zeros, "forty zeros is NoID")
	require.Equal(t, strings.Repeat("0", 40), NoID.String())
}

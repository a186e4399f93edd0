package rdb

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// TestSmallDupFingerprints: strings that share length, first and last byte
// are compared in full, so they are not taken for duplicates, and a real
// duplicate among them is found, the smallest when there are several.
func TestSmallDupFingerprints(t *testing.T) {
	for _, tc := range []struct {
		in   []string
		want string // "" for none
	}{
		{[]string{"a1b", "a2b", "a3b"}, ""},
		{[]string{"", "x", "xx"}, ""},
		{[]string{"", "x", ""}, "\x00"},
		{[]string{"a2b", "a1b", "zz", "a2b"}, "a2b"},
		{[]string{"m:9", "m:1", "m:9", "m:1"}, "m:1"},
	} {
		bs := make([][]byte, len(tc.in))
		for i, s := range tc.in {
			bs[i] = []byte(s)
		}
		dup, found := smallDup(len(bs), func(i int) []byte { return bs[i] })
		if tc.want == "" {
			require.False(t, found, "%q", tc.in)
			continue
		}
		require.True(t, found, "%q", tc.in)
		if tc.want == "\x00" {
			require.Empty(t, dup)
		} else {
			require.Equal(t, tc.want, string(dup), "%q", tc.in)
		}
	}
}

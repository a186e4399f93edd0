package script

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestShebang(t *testing.T) {
	for _, tc := range []struct {
		body  string
		flags Flags
		n     int
		err   string
	}{
		{"return 1", EvalCompat, 0, ""},
		{"#!lua\nreturn 1", 0, 5, ""},
		{"#!lua flags=no-writes,allow-oom\nreturn 1", NoWrites | AllowOOM, 31, ""},
		{"#!lua flags=\nreturn 1", 0, 12, ""},
		{"#!lua", 0, 0, "Invalid script shebang"},
		{"#!js\n", 0, 0, "Unexpected engine in script shebang: #!js"},
		{"#!lua flags=bogus\n", 0, 0, "Unexpected flag in script shebang: bogus"},
		{"#!lua name=x\n", 0, 0, "Unknown lua shebang option: name=x"},
	} {
		flags, n, err := Shebang([]byte(tc.body))
		if tc.err != "" {
			require.EqualError(t, err, tc.err, tc.body)
			continue
		}
		require.NoError(t, err, tc.body)
		require.Equal(t, tc.flags, flags, tc.body)
		require.Equal(t, tc.n, n, tc.body)
	}
	require.Equal(t, []string{"no-writes", "allow-stale"}, (NoWrites | AllowStale).Names())
}

package lua

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/syncscope/syncscope/core/resp"
)

// TestQuickReply: the shortcut converts what the general reader and toLua
// convert to the same value, and leaves every other reply to them.
func TestQuickReply(t *testing.T) {
	v := newVM(true)
	for _, tc := range []struct {
		reply string
		quick bool
	}{
		{":0\r\n", true},
		{":1\r\n", true},
		{":255\r\n", true},
		{":256\r\n", true},
		{":-5\r\n", true},
		{":9223372036854775807\r\n", true},
		{":-9223372036854775808\r\n", true},
		{"$-1\r\n", true},
		{"$0\r\n\r\n", true},
		{"$3\r\nabc\r\n", true},
		{"$6\r\na\r\nb\r\n\r\n", true}, // CR LF inside the string
		{"$2\r\nabc\r\n", false},       // length and body disagree
		{"$4\r\nabc\r\n", false},
		{"$x\r\nabc\r\n", false},
		{"$-2\r\n", false},
		{":+1\r\n", false},
		{":1.5\r\n", false},
		{":\r\n", false},
		{"+OK\r\n", false},
		{"-ERR x\r\n", false},
		{"*1\r\n:1\r\n", false},
		{"_\r\n", false},
		{"#t\r\n", false},
	} {
		got, ok := v.quickReply([]byte(tc.reply))
		require.Equal(t, tc.quick, ok, "%q", tc.reply)
		if !ok {
			continue
		}
		val, _, err := resp.ReadValue([]byte(tc.reply))
		require.NoError(t, err, "%q", tc.reply)
		assert.Equal(t, v.toLua(val), got, "%q", tc.reply)
	}
}

package node_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestPubsubNumsubIsAnArrayInRESP3(t *testing.T) {
	w := newWorld(t)
	w.start(6379, "")
	a := w.conn(6379)
	a.do("HELLO", "3")
	assert.Equal(t, "*4\r\n$1\r\na\r\n:0\r\n$1\r\nb\r\n:0\r\n", a.do("PUBSUB", "NUMSUB", "a", "b"))
	assert.Equal(t, "+    Prints this help.\r\n", lastLine(a.do("PUBSUB", "HELP")))
}

// lastLine is the last line of a reply (its last element, for a help text).
func lastLine(s string) string {
	for i := len(s) - 3; i >= 0; i-- {
		if s[i] == '\n' {
			return s[i+1:]
		}
	}
	return s
}

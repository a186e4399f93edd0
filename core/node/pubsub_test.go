package node

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestPubsubNumsubIsAnArrayInRESP3(t *testing.T) {
	w := newNet(t)
	a := w.client(w.start(6379, ""))
	a("HELLO", "3")
	assert.Equal(t, "*4\r\n$1\r\na\r\n:0\r\n$1\r\nb\r\n:0\r\n", a("PUBSUB", "NUMSUB", "a", "b"))
	assert.Equal(t, "+    Prints this help.\r\n", lastLine(a("PUBSUB", "HELP")))
}

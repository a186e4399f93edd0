package node_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestCommandsThroughStep(t *testing.T) {
	w := startWorld(t, 6379, "")
	assert.Equal(t, "PONG", w.do(6379, "PING"))
	assert.Equal(t, "OK", w.do(6379, "SET", "name", "redis"))
	assert.Equal(t, `"redis"`, w.do(6379, "GET", "name"))
	assert.Equal(t, "(error) ERR unknown command 'NOPE', with args beginning with: 'a' ", w.do(6379, "NOPE", "a"))
	assert.Equal(t, "(error) ERR wrong number of arguments for 'get' command", w.do(6379, "GET"))
	assert.Contains(t, w.log(6379), "6379:M 24 Nov 2026 23:44:31.000 * Ready to accept connections")
}

func TestInlineAndProtocolError(t *testing.T) {
	w := startWorld(t, 6379, "")
	c := w.conn(6379)
	c.write([]byte("set a \"b c\"\r\nget a\r\n*1\r\n$x\r\n"))
	assert.Equal(t, "+OK\r\n$3\r\nb c\r\n-ERR Protocol error: invalid bulk length\r\n", c.pending())
	assert.True(t, c.closed, "the client is closed after the protocol error reply")
}

package node_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/syncscope/syncscope/core/node"
	"github.com/syncscope/syncscope/core/resp"
)

// A normal client that reads nothing while its replies pile up is closed
// at the hard limit, or past the soft limit for longer than its seconds,
// with Redis's log line; its pending output is dropped, not flushed.
func TestNormalOutputBufferLimit(t *testing.T) {
	get := []byte("GET big\r\n")
	t.Run("hard", func(t *testing.T) {
		l := bigValue(t, "client-output-buffer-limit normal 1mb 0 0")
		for i := 0; i < 10; i++ {
			l.step(node.Received{Conn: 1, Data: get}) // never Written: the client reads nothing
			require.Len(t, l.rd.Writes, 1, "reply %d", i)
		}
		l.step(node.Received{Conn: 1, Data: get})
		assert.Empty(t, l.rd.Writes, "the reply that crosses the limit is not sent")
		assert.Equal(t, []node.ConnID{1}, l.rd.Drops)
		assert.Empty(t, l.rd.Closes)
		assert.Regexp(t, `Client id=1 addr=127\.0\.0\.1:1 .* scheduled to be closed ASAP for overcoming of output buffer limits\.`, l.logs())
		assert.False(t, l.n.HasClient(1))
	})
	t.Run("written bytes do not count", func(t *testing.T) {
		l := bigValue(t, "client-output-buffer-limit normal 1mb 0 0")
		for range 50 {
			l.step(node.Received{Conn: 1, Data: get})
			require.Len(t, l.rd.Writes, 1)
			l.step(node.Written{Conn: 1, N: len(l.rd.Writes[0].Data)})
		}
		assert.True(t, l.n.HasClient(1))
	})
	t.Run("soft", func(t *testing.T) {
		l := bigValue(t, "client-output-buffer-limit normal 0 300kb 2")
		for range 5 {
			l.step(node.Received{Conn: 1, Data: get})
		}
		l.now = l.now.Add(2 * time.Second) // not more than 2 s yet
		l.step(node.Received{Conn: 1, Data: get})
		require.Len(t, l.rd.Writes, 1)
		l.now = l.now.Add(time.Second)
		l.step(node.Received{Conn: 1, Data: get})
		assert.Equal(t, []node.ConnID{1}, l.rd.Drops)
		assert.Contains(t, l.logs(), "scheduled to be closed ASAP for overcoming of output buffer limits.")
	})
	t.Run("soft without new output", func(t *testing.T) {
		// clientsCron checks too: no new reply is needed once the seconds pass.
		l := bigValue(t, "client-output-buffer-limit normal 0 300kb 2")
		for range 5 {
			l.step(node.Received{Conn: 1, Data: get})
		}
		l.now = l.now.Add(2 * time.Second)
		l.step(node.Wake{})
		assert.Empty(t, l.rd.Drops)
		l.now = l.now.Add(time.Second)
		l.step(node.Wake{})
		assert.Equal(t, []node.ConnID{1}, l.rd.Drops)
		assert.Regexp(t, `Client id=1 .* closed for overcoming of output buffer limits\.`, l.logs())
	})
	t.Run("soft resets when drained", func(t *testing.T) {
		l := bigValue(t, "client-output-buffer-limit normal 0 300kb 2")
		total := 0
		for range 4 {
			l.step(node.Received{Conn: 1, Data: get})
			total += len(l.rd.Writes[0].Data)
		}
		l.step(node.Written{Conn: 1, N: total})
		l.now = l.now.Add(5 * time.Second)
		l.step(node.Received{Conn: 1, Data: get})
		require.Len(t, l.rd.Writes, 1)
		assert.Empty(t, l.rd.Drops)
	})
}

// A subscriber that does not read is dropped at the pubsub class's limit;
// the publisher and the other subscribers carry on.
func TestPubsubOutputBufferLimit(t *testing.T) {
	l := newLone(t, "client-output-buffer-limit pubsub 1mb 256kb 60")
	l.step(node.Accepted{Conn: 1, Peer: "127.0.0.1:1"}) // slow subscriber
	l.step(node.Accepted{Conn: 2, Peer: "127.0.0.1:2"}) // fast subscriber
	l.step(node.Accepted{Conn: 3, Peer: "127.0.0.1:3"}) // publisher
	l.step(node.Received{Conn: 1, Data: []byte("SUBSCRIBE news\r\n")})
	l.step(node.Received{Conn: 2, Data: []byte("SUBSCRIBE news\r\n")})
	l.step(node.Written{Conn: 2, N: len(l.written(2))})
	msg := resp.AppendCommand(nil, []byte("PUBLISH"), []byte("news"), bytes.Repeat([]byte("m"), 64<<10))
	dropped := -1
	for i := range 40 {
		l.step(node.Received{Conn: 3, Data: msg})
		l.step(node.Written{Conn: 2, N: len(l.written(2))})
		if len(l.rd.Drops) > 0 || !l.n.HasClient(1) {
			dropped = i
			break
		}
	}
	require.NotEqual(t, -1, dropped, "the slow subscriber was never dropped")
	assert.Equal(t, 15, dropped, "dropped when its pending output reached 1mb")
	assert.Equal(t, ":1\r\n", l.do(3, "PUBLISH news x\r\n"))
	assert.Equal(t, "*3\r\n$7\r\nmessage\r\n$4\r\nnews\r\n$1\r\nx\r\n", l.written(2))
}

// bigValue is a lone node (conf: its output limits) whose client 1 has
// just SET big to 100 kB: each GET big then adds 100 kB to its output.
func bigValue(t *testing.T, conf string) *lone {
	l := newLone(t, conf)
	l.step(node.Accepted{Conn: 1, Peer: "127.0.0.1:1"})
	l.step(node.Received{Conn: 1, Data: resp.AppendCommandStrings(nil, "SET", "big", strings.Repeat("v", 100<<10))})
	return l
}

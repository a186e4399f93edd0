package node_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/syncscope/syncscope/core/node"
	"github.com/syncscope/syncscope/core/resp"
)

func TestRecycledBufferCarriesTheNextReply(t *testing.T) {
	l := newLone(t, "")
	n := l.n
	reply := func(args ...string) []byte {
		require.NoError(t, n.Step(l.now, node.Received{Conn: 7, Data: resp.AppendCommandStrings(nil, args...)}))
		rd := n.Ready()
		require.Len(t, rd.Writes, 1)
		return rd.Writes[0].Data
	}
	require.NoError(t, n.Step(l.now, node.Accepted{Conn: 7, Peer: "127.0.0.1:50003"}))
	first := reply("PING")
	assert.Equal(t, "+PONG\r\n", string(first))
	n.Recycle(7, first)
	second := reply("ECHO", "hi")
	assert.Equal(t, "$2\r\nhi\r\n", string(second))
	assert.Same(t, &first[:1][0], &second[:1][0], "the reply was built in the recycled buffer")
	third := reply("PING")
	assert.NotSame(t, &second[:1][0], &third[:1][0], "without a Recycle the node takes a new buffer")

	n.Recycle(7, make([]byte, 0, node.MaxRecycled+1))
	require.True(t, n.HasClient(7))
	assert.Zero(t, n.OutCap(7), "a big buffer is not kept")
	n.Recycle(99, first) // an unknown connection: ignored
}

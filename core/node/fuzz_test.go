package node_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/syncscope/syncscope/core/resp"
	"github.com/syncscope/syncscope/core/sim"
)

// FuzzNode sends arbitrary bytes from one client, split into chunks of
// chunk%97+1 bytes, to a node in a world (with requirepass when chunk%5 ==
// 0; the client may make itself a replica with PSYNC, the node may dial
// itself or nowhere) that carries out every effect the node asks for. The
// node must never panic nor refuse an event of the world's, and must then
// serve a new client: its PING gets exactly one complete reply.
func FuzzNode(f *testing.F) {
	f.Add([]byte("PING\r\n*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\nGET k\r\n"), uint16(5))
	f.Add([]byte("*1\r\n$x\r\n"), uint16(0))
	f.Fuzz(fuzzNodeOnce)
}

// fuzzNodeOnce is one FuzzNode input.
func fuzzNodeOnce(t *testing.T, data []byte, chunk uint16) {
	conf := "save 1 1\nclient-output-buffer-limit normal 1mb 256kb 1\n"
	if chunk%5 == 0 {
		conf += "requirepass pw\n" // the limits before AUTH
	}
	w := startWorld(t, 6379, conf)
	running := func() bool { return w.Node(6379) != nil }
	bad := w.conn(6379)
	size := int(chunk%97) + 1
	for i := 0; i < len(data) && !bad.closed && running(); i += size {
		bad.x.Deliver(data[i:min(i+size, len(data))])
		w.Advance(sim.DefaultLatency + time.Duration(chunk%7)*100*time.Millisecond)
	}
	bad.x.Close()
	w.Advance(2 * time.Second)
	require.NoError(t, w.Err())
	if !running() {
		return // SHUTDOWN: nothing left to serve
	}
	good := w.conn(6379)
	good.write([]byte("*1\r\n$4\r\nPING\r\n"))
	w.until(func() bool { return len(good.in) > 0 && complete(good.in) || !running() })
	require.NoError(t, w.Err())
	if !running() {
		return
	}
	out := []byte(good.pending())
	v, used, err := resp.ReadValue(out)
	require.NoError(t, err, "reply %q", out)
	require.NotZero(t, used, "no complete reply to PING: %q", out)
	require.Equal(t, len(out), used, "one reply to PING: %q", out)
	if v.Kind != resp.Error {
		require.Equal(t, "PONG", string(v.Str), "reply %q", out)
	}
}

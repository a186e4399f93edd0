package node

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// DEBUG DIGEST and DIGEST-VALUE answer with status replies, as Redis does:
// clients (and the e2e tests) compare them with redis-server's byte for byte.
func TestDebugDigestIsStatus(t *testing.T) {
	w := newNet(t)
	m := w.start(6379, "")
	assert.Equal(t, "0000000000000000000000000000000000000000", w.do(m, "DEBUG", "DIGEST"))
	w.do(m, "SET", "a", "1")
	assert.Regexp(t, `^[0-9a-f]{40}$`, w.do(m, "DEBUG", "DIGEST"))
	// Redis 7.0.15 prints this digest for SET a 1.
	assert.Equal(t, "1) b4fc66738120fba0b5aa500ab5c2bf89cea1c5da\n2) 0000000000000000000000000000000000000000", w.do(m, "DEBUG", "DIGEST-VALUE", "a", "missing"))
}

// WAIT waits for the calling client's own last write (Redis's c->woff): a
// client that wrote nothing is answered at once even while a replica lags.
func TestWaitUsesTheClientsWriteOffset(t *testing.T) {
	w := newNet(t)
	m := w.start(6379, "")
	r := w.start(6378, "slaveof 127.0.0.1 6379")
	w.settle(2 * time.Second)
	require.Contains(t, r.log(), "MASTER <-> REPLICA sync: Finished with success")
	r.up = false // the replica stops reading and acknowledging
	assert.Equal(t, "OK", w.do(m, "SET", "k", "v"))
	assert.Equal(t, "(integer) 1", w.do(m, "WAIT", "1", "100"), "this client wrote nothing since the replica's last ACK")
}

// A replica acknowledges once a second (replicationCron's REPLCONF ACK), not
// twice.
func TestReplicaAcksOncePerSecond(t *testing.T) {
	w := newNet(t)
	w.start(6379, "")
	r := w.start(6378, "slaveof 127.0.0.1 6379")
	w.settle(2 * time.Second)
	require.Contains(t, r.log(), "MASTER <-> REPLICA sync: Finished with success")
	acks := 0
	for range 50 { // 5 s of 100 ms wakes, the replica's output kept to itself
		w.now = w.now.Add(100 * time.Millisecond)
		require.NoError(t, r.node.Step(w.now, Wake{}))
		for _, wr := range r.node.Ready().Writes {
			acks += strings.Count(string(wr.Data), "REPLCONF\r\n$3\r\nACK")
		}
	}
	assert.InDelta(t, 5, acks, 1)
}

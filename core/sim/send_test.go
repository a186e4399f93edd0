package sim

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Every byte written on a node-to-node link is reported once by OnSend and
// then once by OnDeliver or OnLost, in order, through cuts, heals and a
// crash with bytes in flight.
func TestSendDeliverLostAccounting(t *testing.T) {
	w := New(3)
	type dir struct {
		conn     uint64
		from, to int
	}
	sent := map[dir][]byte{}
	done := map[dir]int{}
	lost := 0
	w.OnSend(func(d Delivery) {
		k := dir{d.Conn, d.From, d.To}
		sent[k] = append(sent[k], d.Data...)
		assert.Equal(t, w.Now(), d.Sent)
		assert.False(t, d.At.Before(d.Sent), "due before it was sent")
	})
	w.OnDeliver(func(d Delivery) {
		k := dir{d.Conn, d.From, d.To}
		have := sent[k]
		require.LessOrEqual(t, done[k]+len(d.Data), len(have), "delivered more than was sent")
		assert.Equal(t, have[done[k]:done[k]+len(d.Data)], d.Data, "delivered out of order")
		done[k] += len(d.Data)
	})
	w.OnLost(func(d Delivery) {
		k := dir{d.Conn, d.From, d.To}
		assert.Equal(t, sent[k][done[k]:done[k]+len(d.Data)], d.Data)
		done[k] += len(d.Data)
		lost += len(d.Data)
	})
	require.NoError(t, w.Start(6379, ""))
	require.NoError(t, w.Start(6378, "replicaof 127.0.0.1 6379"))
	w.Latency(6379, 6378, 50*time.Millisecond)
	w.Advance(8 * time.Second)
	require.Contains(t, logText(w, 6378), "MASTER <-> REPLICA sync: Finished with success")
	w.Cut(6379, 6378)
	w.Exec(6379, "SET", "a", "1")
	w.Advance(time.Second)
	w.Heal(6379, 6378)
	w.Exec(6379, "SET", "b", "2")
	w.Advance(10 * time.Millisecond) // the SET is on its way when 6379 dies
	w.Crash(6379, false)
	w.Advance(3 * time.Second)
	assert.NotZero(t, lost, "the bytes in flight at the crash are lost")
	for k, b := range sent {
		assert.Equal(t, len(b), done[k], "%v: every byte sent is delivered or lost", k)
	}
}

package sim

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func logText(w *World, port int) string {
	var b strings.Builder
	for _, l := range w.Logs(port) {
		b.WriteString(l.Format(port))
		b.WriteByte('\n')
	}
	return b.String()
}

func TestWalkthrough(t *testing.T) {
	w := New(1)
	require.NoError(t, w.Start(6379, ""))
	require.NoError(t, w.Start(6378, "replicaof 127.0.0.1 6379"))
	require.NoError(t, w.Start(6377, "replicaof 127.0.0.1 6378"))
	w.Advance(15 * time.Second)
	assert.Contains(t, logText(w, 6377), "MASTER <-> REPLICA sync: Finished with success")
	set := w.Exec(6379, "SET", "name", "redis")
	w.Advance(100 * time.Millisecond)
	require.True(t, set.Done())
	assert.Equal(t, "+OK\r\n", string(set.Reply()))
	g1, g2 := w.Exec(6378, "GET", "name"), w.Exec(6377, "GET", "name")
	ro := w.Exec(6378, "SET", "name", "x")
	w.Advance(100 * time.Millisecond)
	assert.Equal(t, `"redis"`, g1.Text())
	assert.Equal(t, `"redis"`, g2.Text())
	assert.Equal(t, "(error) READONLY You can't write against a read only replica.", ro.Text())

	require.NoError(t, w.Stop(6378, true))
	assert.Nil(t, w.Node(6378))
	assert.NotNil(t, w.Dump(6378))
	w.Advance(3 * time.Second)
	assert.Contains(t, logText(w, 6377), "Connecting to MASTER 127.0.0.1:6378")
	assert.Contains(t, logText(w, 6377), "Error condition on socket for SYNC: Connection refused")
	assert.Contains(t, logText(w, 6379), "Connection with replica 127.0.0.1:6378 lost.")
	require.NoError(t, w.Restart(6378))
	w.Advance(5 * time.Second)
	assert.Contains(t, logText(w, 6378), "Successful partial resynchronization with master.")
	g2 = w.Exec(6377, "GET", "name")
	w.Advance(time.Second)
	assert.Equal(t, `"redis"`, g2.Text())
}

func TestCutHealCrashAndDeliveries(t *testing.T) {
	w := New(2)
	var seen int
	w.OnDeliver(func(d Delivery) {
		if d.From == 6379 && d.To == 6378 {
			seen += len(d.Data)
		}
	})
	require.NoError(t, w.Start(6379, "repl-diskless-sync no"))
	require.NoError(t, w.Start(6378, "replicaof 127.0.0.1 6379"))
	w.Advance(2 * time.Second)
	require.Contains(t, logText(w, 6378), "MASTER <-> REPLICA sync: Finished with success")
	require.NotZero(t, seen)

	w.Cut(6379, 6378)
	before := seen
	w.Exec(6379, "SET", "k", "v")
	w.Advance(time.Second)
	assert.Equal(t, before, seen, "nothing crosses a cut")
	assert.Equal(t, "(nil)", execWait(w, 6378, "GET", "k"))
	w.Heal(6379, 6378)
	w.Advance(100 * time.Millisecond)
	assert.Equal(t, `"v"`, execWait(w, 6378, "GET", "k"), "the bytes that waited arrive")

	w.Crash(6379, true)
	assert.Nil(t, w.Node(6379))
	w.Advance(2 * time.Second)
	assert.Contains(t, logText(w, 6378), "Connection with master lost.")
	assert.Contains(t, logText(w, 6378), "Error condition on socket for SYNC: Connection refused")
	assert.Equal(t, "(error) Could not connect to Redis at 127.0.0.1:6379: Connection refused", w.Exec(6379, "PING").Text())
	require.NoError(t, w.Restart(6379))
	w.Advance(3 * time.Second)
	assert.Equal(t, "(nil)", execWait(w, 6378, "GET", "k"), "a master without its disk restarts empty and its replica follows")
}

// execWait runs a command and advances the world until its reply.
func execWait(w *World, port int, args ...string) string {
	c := w.Exec(port, args...)
	for i := 0; i < 10000 && !c.Done() && w.Step(); i++ {
	}
	return c.Text()
}

func TestExternalConnections(t *testing.T) {
	w := New(3)
	var got []byte
	dialed := ""
	w.Dialer = func(from int, addr string) *External {
		dialed = addr
		x := NewExternal()
		x.OnData = func(p []byte) { got = append(got, p...) }
		return x
	}
	require.NoError(t, w.Start(6378, "replicaof 10.0.0.7 7000"))
	w.Advance(10 * time.Millisecond)
	assert.Equal(t, "10.0.0.7:7000", dialed)
	assert.Equal(t, "*1\r\n$4\r\nPING\r\n", string(got), "the replica's handshake reached the outside")

	// A connection from the outside into a sim node, as a client.
	x, err := w.Accept(6378, "127.0.0.1:51000") // protected mode refuses others
	require.NoError(t, err)
	var reply []byte
	x.OnData = func(p []byte) { reply = append(reply, p...) }
	x.Deliver([]byte("*1\r\n$4\r\nPING\r\n"))
	w.Advance(10 * time.Millisecond)
	assert.Equal(t, "+PONG\r\n", string(reply))
	closed := false
	x.OnClose = func() { closed = true }
	x.Deliver([]byte("*1\r\n$4\r\nQUIT\r\n"))
	w.Advance(10 * time.Millisecond)
	assert.True(t, closed, "the node closed the connection after QUIT")

	// Without a Dialer, addresses outside the world refuse.
	w2 := New(3)
	require.NoError(t, w2.Start(6378, "replicaof 10.0.0.7 7000"))
	w2.Advance(10 * time.Millisecond)
	assert.Contains(t, logText(w2, 6378), "Error condition on socket for SYNC: Connection refused")
}

// A rate-limited link carries a full sync's RDB over seconds, in parts the
// replica reads as they come (master_sync_read_bytes grows), and the
// default (no rate) is as fast as before.
func TestRate(t *testing.T) {
	transfer := func(rate int) (first, last time.Time, progress []int64) {
		w := New(3)
		// No PING in the stream (its first is due 10 s after start): only
		// the transfer is timed.
		require.NoError(t, w.Start(6379, "repl-diskless-sync no\nrepl-ping-replica-period 3600"))
		// Values LZF cannot shrink: 40 KB of RDB.
		var big strings.Builder
		x := uint32(1)
		for range 40000 {
			x = x*1664525 + 1013904223
			big.WriteByte(byte('a' + (x>>24)%26))
		}
		for i := range 40 {
			w.Exec(6379, "SET", "k"+strings.Repeat("0", i), big.String()[i*1000:(i+1)*1000])
		}
		w.Advance(100 * time.Millisecond)
		w.Rate(6379, 6378, rate)
		w.OnDeliver(func(d Delivery) {
			if d.From == 6379 && len(d.Data) > 0 {
				if first.IsZero() {
					first = d.At
				}
				last = d.At
			}
		})
		require.NoError(t, w.Start(6378, "replicaof 127.0.0.1 6379"))
		for range 100 {
			w.Advance(100 * time.Millisecond)
			if m := w.Node(6378).Replication().Master; m.Syncing {
				progress = append(progress, m.SyncRead)
			}
		}
		assert.Contains(t, logText(w, 6378), "MASTER <-> REPLICA sync: Finished with success")
		return first, last, progress
	}
	first, last, progress := transfer(10000) // 40 KB at 10 KB/s
	assert.Greater(t, last.Sub(first), 4*time.Second, "the RDB took its size over the rate")
	assert.Greater(t, len(progress), 10, "the replica read the RDB part by part: %v", progress)
	first, last, _ = transfer(0)
	assert.Less(t, last.Sub(first), 100*time.Millisecond, "no rate: unlimited")
}

package playground

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The panel's state through a sync, a link up and a link down.
func TestStateThroughASync(t *testing.T) {
	p := New(7)
	require.NoError(t, p.StartNode(6379, "repl-diskless-sync-delay 0\n", false))
	for i := range 20 {
		exec(t, p, 6379, "set k"+strings.Repeat("x", i)+" "+strings.Repeat("v", 1000))
	}
	p.Rate(6379, 6378, 4000) // about 20 KB of RDB at 4 KB/s
	require.NoError(t, p.StartNode(6378, "port 6378\nslaveof 127.0.0.1 6379\n", false))
	var syncing State
	for range 100 {
		p.Advance(100 * time.Millisecond)
		if st := p.State(6378); st.Master != nil && st.Master.Syncing {
			syncing = st
			break
		}
	}
	require.NotNil(t, syncing.Master, "the replica was seen syncing")
	assert.Equal(t, "down", syncing.Master.Status)
	assert.Equal(t, int64(-1), syncing.Master.SyncTotal, "diskless: EOF-marked, size unknown")

	// Past the master's first PING (10 s after its start) and the ACK of it.
	p.Advance(12 * time.Second)
	m, r := p.State(6379), p.State(6378)
	assert.Equal(t, "master", m.Role)
	assert.Nil(t, m.Master)
	require.Len(t, m.Replicas, 1)
	assert.Equal(t, Replica{IP: "127.0.0.1", Port: 6378, State: "online", Offset: r.Offset, Lag: m.Replicas[0].Lag}, m.Replicas[0])
	assert.Equal(t, Backlog{Active: true, Size: 1 << 20, First: 1, HistLen: m.Offset}, m.Backlog)
	assert.Equal(t, "slave", r.Role)
	assert.True(t, r.ReadOnly)
	assert.Equal(t, m.ReplID, r.ReplID)
	assert.Equal(t, int64(-1), r.Offset2)
	assert.Equal(t, &MasterLink{Host: "127.0.0.1", Port: 6379, Status: "up", LastIO: r.Master.LastIO, ReplOffset: r.Offset}, r.Master)

	require.NoError(t, p.StopNode(6379, false))
	p.Advance(3 * time.Second)
	r = p.State(6378)
	assert.Equal(t, "down", r.Master.Status)
	assert.Equal(t, int64(-1), r.Master.LastIO)
	assert.GreaterOrEqual(t, r.Master.DownSince, int64(2))
}

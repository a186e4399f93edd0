package repl

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// After Start's dial fails, the link retries at the next replicationCron, a
// second later, as Redis does (REPLICAOF, or replicaof in the config, then
// a refused connection or a wrong masterauth), not at once.
func TestLinkRetryAfterStartWaitsForCron(t *testing.T) {
	l := NewLink(master, LinkConfig{ListeningPort: 6378}, nil)
	require.Equal(t, []Action{
		notice("Connecting to MASTER 127.0.0.1:6379"),
		notice("MASTER <-> REPLICA sync started"),
		ActDial{Addr: "127.0.0.1:6379"},
	}, l.Start(t0))
	acts := l.Dialed(t0.Add(time.Millisecond), "Connection refused")
	require.Contains(t, acts, Action(warning("Error condition on socket for SYNC: Connection refused")))
	require.Equal(t, Connect, l.State)
	assert.Empty(t, l.Tick(t0.Add(100*time.Millisecond)), "no retry before the next cron")
	assert.Equal(t, t0.Add(time.Second), l.NextTick())
	assert.Contains(t, l.Tick(t0.Add(time.Second)), Action(ActDial{Addr: "127.0.0.1:6379"}))
}

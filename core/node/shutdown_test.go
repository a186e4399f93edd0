package node_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/syncscope/syncscope/core/node"
	"github.com/syncscope/syncscope/core/sim"
)

// The signal handler's line is logged as Redis writes it, with no prefix.
func TestSignalLineFormat(t *testing.T) {
	l := newLone(t, "")
	l.step(node.Shutdown{Signal: "SIGTERM"})
	require.NotEmpty(t, l.rd.Logs)
	assert.Equal(t, "1:signal-handler (1795563871) Received SIGTERM scheduling shutdown...", l.rd.Logs[0].Format(1))
	assert.Equal(t, "1:M 24 Nov 2026 23:44:31.000 # User requested shutdown...", l.rd.Logs[1].Format(1))
}

// While its final save runs, a shutting-down master serves no sync: the
// replica finds it gone, as with Redis (which saves synchronously), instead
// of attaching to a node about to exit. Its replicas go without log lines.
func TestNoSyncWhileShuttingDown(t *testing.T) {
	w := synced(t, "", "")
	w.Exec(6379, "SHUTDOWN")
	w.Advance(sim.ClientLatency) // the final snapshot is now in flight
	require.Contains(t, w.log(6379), "Saving the final RDB snapshot before exiting.")
	require.NotContains(t, w.log(6379), "bye bye")
	c := w.conn(6379)
	c.send([]string{"PSYNC", "?", "-1"})
	assert.Empty(t, c.pending(), "no reply to the PSYNC")
	assert.True(t, c.closed, "the would-be replica is closed")
	w.Advance(time.Second)
	assert.Nil(t, w.Node(6379))
	assert.NotContains(t, w.log(6379), "Connection with replica")
	assert.Contains(t, w.log(6379), "Redis is now ready to exit, bye bye...")
}

// SHUTDOWN first lets the replicas catch up (Redis 7.0's shutdown-timeout):
// it sends REPLCONF GETACK, waits for their ACKs, logs how many are in sync,
// then saves and exits.
func TestShutdownWaitsForReplicas(t *testing.T) {
	for _, tc := range []struct {
		name    string
		args    []string
		replica bool // the replica keeps acknowledging
		want    []string
		wantNot []string
	}{
		{"in sync", []string{"SHUTDOWN"}, true,
			[]string{"User requested shutdown...", "Waiting for replicas before shutting down.", "1 of 1 replicas are in sync when shutting down.", "Saving the final RDB snapshot before exiting."}, nil},
		{"lagging", []string{"SHUTDOWN"}, false,
			[]string{"Waiting for replicas before shutting down.", "# Lagging replica 127.0.0.1:6378 reported offset 101 behind master, lag=11, state=online.", "0 of 1 replicas are in sync when shutting down."}, nil},
		{"now", []string{"SHUTDOWN", "NOW"}, false,
			[]string{"User requested shutdown...", "0 of 1 replicas are in sync when shutting down."}, []string{"Waiting for replicas"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := synced(t, "", "")
			if !tc.replica {
				w.Cut(6379, 6378)
			}
			assert.Equal(t, "OK", w.do(6379, "SET", "k", "v")) // not acknowledged yet
			w.Exec(6379, tc.args...)
			w.Advance(12 * time.Second)
			assert.Nil(t, w.Node(6379), "the master exited")
			for _, line := range tc.want {
				assert.Contains(t, w.log(6379), line)
			}
			for _, line := range tc.wantNot {
				assert.NotContains(t, w.log(6379), line)
			}
			assert.NotContains(t, w.log(6379), "Connection with replica")
		})
	}
}

func TestShutdownAbort(t *testing.T) {
	w := synced(t, "", "")
	assert.Equal(t, "(error) ERR No shutdown in progress.", w.do(6379, "SHUTDOWN", "ABORT"))
	assert.Equal(t, "(error) ERR syntax error", w.do(6379, "SHUTDOWN", "ABORT", "NOSAVE"))
	assert.Equal(t, "(error) ERR syntax error", w.do(6379, "SHUTDOWN", "SAVE", "NOSAVE"))
	w.Cut(6379, 6378)
	assert.Equal(t, "OK", w.do(6379, "SET", "k", "v"))
	w.Exec(6379, "SHUTDOWN")
	w.Advance(time.Second)
	require.Contains(t, w.log(6379), "Waiting for replicas before shutting down.")
	assert.Equal(t, "OK", w.do(6379, "SHUTDOWN", "ABORT"))
	assert.Contains(t, w.log(6379), "Shutdown manually aborted.")
	w.Advance(12 * time.Second)
	assert.NotNil(t, w.Node(6379), "the shutdown was aborted")
	assert.Equal(t, "OK", w.do(6379, "SET", "k", "v"))
}

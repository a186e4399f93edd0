//go:build !js

package e2e

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// Side-by-side checks of what Redis's own replication units (tests/
// integration/replication*.tcl, psync2*.tcl, unit/wait.tcl) rely on.

// TestReplStreamSelectAfterAttach: a replica attaching for a full sync makes
// the master forget the stream's db, so the next command is preceded by a
// SELECT even in the db already selected (replicationSetupSlaveForFullResync
// sets slaveseldb to -1). A replica already online sees it too.
func TestReplStreamSelectAfterAttach(t *testing.T) {
	t.Parallel()
	run := func(s *Server) string {
		first := newStreamReplica(t, s)
		c := s.Client()
		mustDo(t, c, "SELECT", "5")
		mustDo(t, c, "SET", "a", "1")
		newStreamReplica(t, s)
		mustDo(t, c, "SET", "b", "2")
		mustDo(t, c, "SET", "__end", "1")
		return format(first.until("SET", "__end", "1"))
	}
	want, got := run(startRedis(t, "")), run(startOurs(t, ""))
	assert.Equal(t, want, got, "the first replica's stream on syncscope-server (actual) vs redis-server (expected)")
}

package node_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/syncscope/syncscope/core/node"
)

// TestStartupLoadingUnderKeyLoadDelay: with key-load-delay a node started
// from a dump stays loading for the modelled time (4 keys at 0.5 s each),
// as Redis's unit/introspection "config during loading" and
// integration/rdb "client freed during loading" see it: INFO loading:1,
// LOADING for keyspace commands and CONFIG SET dir, CONFIG SET loglevel
// and DEBUG LOG allowed; then it logs the load's end and is ready.
func TestStartupLoadingUnderKeyLoadDelay(t *testing.T) {
	dump := dumpOf(t, "MSET a 1 b 2 c 3 d 4\r\n")
	l := newLoneEnv(t, "key-load-delay 500000\nenable-debug-command yes", node.Env{Pid: 1, ConfigFile: "redis.conf", Dump: dump})
	assert.NotContains(t, l.logs(), "Ready to accept connections")
	assert.NotContains(t, l.logs(), "Done loading RDB")
	assert.Equal(t, loneStart.Add(2*time.Second), l.rd.WakeAt)

	l.step(node.Accepted{Conn: 1, Peer: "127.0.0.1:1"})
	assert.Contains(t, l.do(1, "INFO persistence\r\n"), "\r\nloading:1\r\n")
	assert.Equal(t, "-LOADING Redis is loading the dataset in memory\r\n", l.do(1, "GET a\r\n"))
	assert.Equal(t, "+OK\r\n", l.do(1, "CONFIG SET loglevel debug\r\n"))
	assert.Equal(t, "-LOADING Redis is loading the dataset in memory\r\n", l.do(1, "CONFIG SET dir /tmp\r\n"))
	assert.Equal(t, "+OK\r\n", l.do(1, "DEBUG LOG bla\r\n"))
	assert.Equal(t, "DEBUG LOG: bla\n", l.logs())

	l.now = loneStart.Add(time.Second)
	l.step(node.Wake{})
	assert.Contains(t, l.do(1, "INFO persistence\r\n"), "\r\nloading:1\r\n")

	l.now = loneStart.Add(2 * time.Second)
	l.step(node.Wake{})
	logs := l.logs()
	assert.Contains(t, logs, "Done loading RDB, keys loaded: 4, keys expired: 0.\n")
	assert.Contains(t, logs, "DB loaded from disk: 2.000 seconds\n")
	assert.Contains(t, logs, "Ready to accept connections\n")
	assert.Equal(t, "$1\r\n1\r\n", l.do(1, "GET a\r\n"))
	assert.Contains(t, l.do(1, "INFO persistence\r\n"), "\r\nloading:0\r\n")
}

// A negative key-load-delay -N sleeps a microsecond for one key in N
// (debugDelay); a shutdown while loading never saves the partial dataset.
func TestStartupLoadingNegativeDelayAndShutdown(t *testing.T) {
	dump := dumpOf(t, "MSET a 1 b 2 c 3 d 4\r\n")
	l := newLoneEnv(t, "key-load-delay -2", node.Env{Pid: 1, ConfigFile: "redis.conf", Dump: dump})
	assert.Equal(t, loneStart.Add(2*time.Microsecond), l.rd.WakeAt)

	l = newLoneEnv(t, "key-load-delay 500000", node.Env{Pid: 1, ConfigFile: "redis.conf", Dump: dump})
	l.step(node.Shutdown{Signal: "SIGTERM"})
	require.True(t, l.rd.Exit)
	assert.Empty(t, l.rd.Snapshots)
	assert.NotContains(t, l.logs(), "Saving the final RDB snapshot")
}

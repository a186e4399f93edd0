package node

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

// CONFIG SET repl-backlog-size raises a new size below 16kb to 16kb, as
// Redis 7.0.15 does; a config file's value, or a SET to the same value,
// stands as written.
func TestConfigSetReplBacklogSizeMinimum(t *testing.T) {
	w := newNet(t)
	m := w.start(6379, "repl-backlog-size 100")
	assert.Equal(t, "1) \"repl-backlog-size\"\n2) \"100\"", w.do(m, "CONFIG", "GET", "repl-backlog-size"))
	assert.Equal(t, "OK", w.do(m, "CONFIG", "SET", "repl-backlog-size", "100"))
	assert.Equal(t, "1) \"repl-backlog-size\"\n2) \"100\"", w.do(m, "CONFIG", "GET", "repl-backlog-size"))
	assert.Equal(t, "OK", w.do(m, "CONFIG", "SET", "repl-backlog-size", "200"))
	assert.Equal(t, "1) \"repl-backlog-size\"\n2) \"16384\"", w.do(m, "CONFIG", "GET", "repl-backlog-size"))
	assert.Contains(t, w.do(m, "INFO", "replication"), "repl_backlog_size:16384")
}

// CONFIG SET repl-timeout reaches a link that is already up: a replica
// whose master stays silent times out after the new value, not the old.
func TestConfigSetReplTimeoutReachesTheLink(t *testing.T) {
	w := newNet(t)
	w.start(6379, "repl-ping-replica-period 3600")
	r := w.start(6378, "slaveof 127.0.0.1 6379")
	w.settle(2 * time.Second)
	assert.Contains(t, r.log(), "MASTER <-> REPLICA sync: Finished with success")
	assert.Equal(t, "OK", w.do(r, "CONFIG", "SET", "repl-timeout", "2"))
	w.settle(4 * time.Second)
	assert.Contains(t, r.log(), "MASTER timeout: no data nor PING received...")
}

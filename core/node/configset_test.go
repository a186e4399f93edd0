package node

import (
	"strings"
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

// A replica that sends the old SYNC gets the RDB bulk with no +FULLRESYNC
// line before it, as Redis answers a pre-PSYNC replica; PSYNC gets the line.
func TestSyncGetsNoFullResyncLine(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"SYNC"}, "$"},
		{[]string{"PSYNC", "?", "-1"}, "+FULLRESYNC "},
	} {
		w := newNet(t)
		m := w.start(6379, "")
		w.send(m, tc.args...)
		conn := w.next - 1
		w.settle(time.Second)
		out := m.out[conn]
		if assert.NotNil(t, out, "%v", tc.args) {
			assert.True(t, strings.HasPrefix(out.String(), tc.want), "%v: %.40q", tc.args, out.String())
			assert.Contains(t, out.String(), "REDIS0010", "%v", tc.args)
		}
	}
}

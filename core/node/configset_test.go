package node_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/syncscope/syncscope/core/node"
)

// CONFIG SET repl-backlog-size raises a new size below 16kb to 16kb, as
// Redis 7.0.15 does; a config file's value, or a SET to the same value,
// stands as written.
func TestConfigSetReplBacklogSizeMinimum(t *testing.T) {
	w := startWorld(t, 6379, "repl-backlog-size 100")
	assert.Equal(t, "1) \"repl-backlog-size\"\n2) \"100\"", w.do(6379, "CONFIG", "GET", "repl-backlog-size"))
	assert.Equal(t, "OK", w.do(6379, "CONFIG", "SET", "repl-backlog-size", "100"))
	assert.Equal(t, "1) \"repl-backlog-size\"\n2) \"100\"", w.do(6379, "CONFIG", "GET", "repl-backlog-size"))
	assert.Equal(t, "OK", w.do(6379, "CONFIG", "SET", "repl-backlog-size", "200"))
	assert.Equal(t, "1) \"repl-backlog-size\"\n2) \"16384\"", w.do(6379, "CONFIG", "GET", "repl-backlog-size"))
	assert.Contains(t, w.do(6379, "INFO", "replication"), "repl_backlog_size:16384")
}

// CONFIG SET repl-timeout reaches a link that is already up: a replica
// whose master stays silent times out after the new value, not the old.
func TestConfigSetReplTimeoutReachesTheLink(t *testing.T) {
	w := synced(t, "repl-ping-replica-period 3600", "")
	assert.Equal(t, "OK", w.do(6378, "CONFIG", "SET", "repl-timeout", "2"))
	w.Advance(4 * time.Second)
	assert.Contains(t, w.log(6378), "MASTER timeout: no data nor PING received...")
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
		w := startWorld(t, 6379, "")
		c := w.conn(6379)
		c.send(tc.args)
		w.Advance(time.Second)
		out := c.pending()
		assert.True(t, strings.HasPrefix(out, tc.want), "%v: %.40q", tc.args, out)
		assert.Contains(t, out, "REDIS0010", "%v", tc.args)
	}
}

// CONFIG REWRITE writes the ACL users so that the rewritten file starts a
// node with the same users: selectors, patterns with quotes, an empty name.
func TestConfigRewriteKeepsUsers(t *testing.T) {
	w := startWorld(t, 6379, "")
	for _, args := range [][]string{
		{"ACL", "SETUSER", "bob", "on", ">pw", "~set*", "+@set", "(~k* +get)"},
		{"ACL", "SETUSER", "zed", `%R~a"b`, "+@hash"},
		{"ACL", "SETUSER", ""},
	} {
		assert.Equal(t, "OK", w.do(6379, args...), "%q", args)
	}
	before := w.do(6379, "ACL", "LIST")
	assert.Equal(t, "OK", w.do(6379, "CONFIG", "REWRITE"))
	assert.Contains(t, w.Config(6379), "\nuser bob on #", "plain words are written as Redis writes them")
	require.NoError(t, w.Stop(6379, false))
	require.NoError(t, w.Restart(6379))
	// The default user's line resets it first, which sets sanitize-payload:
	// redis-server 7.0.15 lists it the same after a restart from the file.
	assert.Equal(t, strings.Replace(before, "nopass ~*", "nopass sanitize-payload ~*", 1), w.do(6379, "ACL", "LIST"))
}

// DEBUG CONFIG-REWRITE-FORCE-ALL writes every directive, defaults included
// (core/config's TestRewriteAllLikeRedis has the lines), and the node
// restarts from the file with the same configuration, as Redis's "CONFIG
// REWRITE sanity" checks; without a config file it fails as Redis's
// fopen(NULL) does.
func TestDebugConfigRewriteForceAll(t *testing.T) {
	w := startWorld(t, 6379, "enable-debug-command yes")
	before := w.do(6379, "CONFIG", "GET", "*")
	assert.NotContains(t, w.Config(6379), "\nhz 10\n")
	assert.Equal(t, "OK", w.do(6379, "DEBUG", "CONFIG-REWRITE-FORCE-ALL"))
	assert.Contains(t, w.Config(6379), "\nhz 10\n")
	require.NoError(t, w.Stop(6379, false))
	require.NoError(t, w.Restart(6379))
	assert.Equal(t, before, w.do(6379, "CONFIG", "GET", "*"))

	l := newLoneEnv(t, "enable-debug-command yes", node.Env{Pid: 1})
	l.step(node.Accepted{Conn: 1, Peer: "127.0.0.1:5000"})
	assert.Equal(t, "-ERR The server is running without a config file\r\n", l.do(1, "CONFIG REWRITE\r\n"))
	assert.Equal(t, "-ERR CONFIG-REWRITE-FORCE-ALL failed: Bad address\r\n", l.do(1, "DEBUG CONFIG-REWRITE-FORCE-ALL\r\n"))
}

// CONFIG SET port asks the driver to listen there (Env.Listen) only when
// the port changes; when it cannot, every config of the CONFIG SET is
// rolled back, as Redis does after a failed apply.
func TestConfigSetPortRollsBack(t *testing.T) {
	var asked []int
	busy := 7000
	l := newLoneEnv(t, "", node.Env{Pid: 1, Listen: func(port int) error {
		asked = append(asked, port)
		if port == busy {
			return errors.New("bind: Address already in use")
		}
		return nil
	}})
	l.step(node.Accepted{Conn: 1, Peer: "127.0.0.1:1"})
	assert.Equal(t, "-ERR CONFIG SET failed (possibly related to argument 'port') - Unable to listen on this port. Check server logs.\r\n",
		l.do(1, "CONFIG SET maxmemory 10000001 port 7000 client-query-buffer-limit 10m\r\n"))
	assert.Contains(t, l.logs(), "Failed applying new configuration. Possibly related to new port setting. Restoring previous settings.")
	for conf, want := range map[string]string{"maxmemory": "0", "port": "6379", "client-query-buffer-limit": "1073741824"} {
		assert.Equal(t, fmt.Sprintf("*2\r\n$%d\r\n%s\r\n$%d\r\n%s\r\n", len(conf), conf, len(want), want),
			l.do(1, "CONFIG GET "+conf+"\r\n"))
	}
	assert.Equal(t, "+OK\r\n", l.do(1, "CONFIG SET port 6379 maxmemory 5\r\n"))
	assert.Equal(t, "+OK\r\n", l.do(1, "CONFIG SET port 7001\r\n"))
	assert.Equal(t, []int{7000, 7001}, asked, "asked only for a new port")
}

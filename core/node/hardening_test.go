package node_test

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/syncscope/syncscope/core/config"
	"github.com/syncscope/syncscope/core/node"
	"github.com/syncscope/syncscope/core/resp"
)

// Protected mode (the default) turns away a non-loopback client with
// Redis's DENIED text while no password is set; loopback clients, a set
// requirepass or protected-mode no let it in.
func TestProtectedMode(t *testing.T) {
	for _, tc := range []struct {
		name, conf, peer string
		denied           bool
	}{
		{"loopback v4", "", "127.0.0.1:5000", false},
		{"loopback 127/8", "", "127.3.4.5:5000", false},
		{"loopback v6", "", "[::1]:5000", false},
		{"remote v4", "", "10.1.2.3:5000", true},
		{"remote v6", "", "[2001:db8::1]:5000", true},
		{"remote with requirepass", "requirepass pw", "10.1.2.3:5000", false},
		{"remote with protected-mode no", "protected-mode no", "10.1.2.3:5000", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l := newLone(t, tc.conf)
			l.step(node.Accepted{Conn: 1, Peer: tc.peer, Local: "10.0.0.1:6379"})
			if !tc.denied {
				assert.Empty(t, l.rd.Writes)
				l.step(node.Received{Conn: 1, Data: []byte("PING\r\n")})
				want := "+PONG\r\n"
				if tc.conf == "requirepass pw" {
					want = "-NOAUTH Authentication required.\r\n"
				}
				assert.Equal(t, want, l.written(1))
				return
			}
			assert.Equal(t, node.DeniedMsg, l.written(1))
			assert.True(t, strings.HasPrefix(node.DeniedMsg, "-DENIED Redis is running in protected mode because protected mode is enabled and no password is set for the default user."))
			assert.Equal(t, []node.ConnID{1}, l.rd.Closes)
			l.step(node.Accepted{Conn: 9, Peer: "127.0.0.1:5009"})
			l.step(node.Received{Conn: 9, Data: []byte("INFO stats\r\n")})
			assert.Contains(t, l.written(9), "\r\nrejected_connections:1\r\n")
			// A loopback client can still lift protected mode.
			l.step(node.Accepted{Conn: 2, Peer: "127.0.0.1:5001"})
			l.step(node.Received{Conn: 2, Data: []byte("CONFIG SET protected-mode no\r\n")})
			assert.Equal(t, "+OK\r\n", l.written(2))
			l.step(node.Accepted{Conn: 3, Peer: tc.peer})
			assert.Empty(t, l.rd.Writes)
			l.step(node.Received{Conn: 3, Data: []byte("PING\r\n")})
			assert.Equal(t, "+PONG\r\n", l.written(3))
		})
	}
}

// requirepass and AUTH, including CONFIG SET/GET requirepass.
func TestRequirepassAndAuth(t *testing.T) {
	l := newLone(t, "requirepass s3cret")
	l.step(node.Accepted{Conn: 1, Peer: "127.0.0.1:1"})
	for _, tc := range []struct{ in, want string }{
		{"GET k\r\n", "-NOAUTH Authentication required.\r\n"},
		{"NOPE\r\n", "-ERR unknown command 'NOPE', with args beginning with: \r\n"},
		{"AUTH wrong\r\n", "-WRONGPASS invalid username-password pair or user is disabled.\r\n"},
		{"AUTH default wrong\r\n", "-WRONGPASS invalid username-password pair or user is disabled.\r\n"},
		{"AUTH other s3cret\r\n", "-WRONGPASS invalid username-password pair or user is disabled.\r\n"},
		{"AUTH a b c\r\n", "-ERR syntax error\r\n"},
		{"AUTH s3cret\r\n", "+OK\r\n"},
		{"GET k\r\n", "$-1\r\n"},
		{"CONFIG GET requirepass\r\n", "*2\r\n$11\r\nrequirepass\r\n$6\r\ns3cret\r\n"},
		{"CONFIG SET requirepass n3w\r\n", "+OK\r\n"},
	} {
		l.step(node.Received{Conn: 1, Data: []byte(tc.in)})
		assert.Equal(t, tc.want, l.written(1), "%q", tc.in)
	}
	// An authenticated client stays so; a new one needs the new password.
	l.step(node.Received{Conn: 1, Data: []byte("PING\r\n")})
	assert.Equal(t, "+PONG\r\n", l.written(1))
	l.step(node.Accepted{Conn: 2, Peer: "127.0.0.1:2"})
	l.step(node.Received{Conn: 2, Data: []byte("AUTH s3cret\r\nAUTH default n3w\r\nPING\r\n")})
	assert.Equal(t, "-WRONGPASS invalid username-password pair or user is disabled.\r\n+OK\r\n+PONG\r\n", l.written(2))
	// Clearing the password lets everyone in.
	l.step(node.Accepted{Conn: 3, Peer: "127.0.0.1:3"})
	l.step(node.Received{Conn: 3, Data: []byte("PING\r\n")})
	assert.Equal(t, "-NOAUTH Authentication required.\r\n", l.written(3))
	l.step(node.Received{Conn: 1, Data: []byte("CONFIG SET requirepass \"\"\r\n")})
	assert.Equal(t, "+OK\r\n", l.written(1))
	l.step(node.Received{Conn: 3, Data: []byte("PING\r\nAUTH x\r\n")})
	assert.Equal(t, "+PONG\r\n-ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?\r\n", l.written(3))
}

// rename-command renames a command (the old name is unknown) or, renamed
// to "", disables it.
func TestRenameCommand(t *testing.T) {
	l := newLone(t, "rename-command SET put\nrename-command flushall \"\"\nrename-command config cfg\n")
	l.step(node.Accepted{Conn: 1, Peer: "127.0.0.1:1"})
	for _, tc := range []struct{ in, want string }{
		{"SET k v\r\n", "-ERR unknown command 'SET', with args beginning with: 'k' 'v' \r\n"},
		{"PUT k v\r\n", "+OK\r\n"},
		{"put k\r\n", "-ERR wrong number of arguments for 'set' command\r\n"},
		{"GET k\r\n", "$1\r\nv\r\n"},
		{"FLUSHALL\r\n", "-ERR unknown command 'FLUSHALL', with args beginning with: \r\n"},
		{"CONFIG GET port\r\n", "-ERR unknown command 'CONFIG', with args beginning with: 'GET' 'port' \r\n"},
		{"CFG GET port\r\n", "*2\r\n$4\r\nport\r\n$4\r\n6379\r\n"},
		{"DBSIZE\r\n", ":1\r\n"},
	} {
		l.step(node.Received{Conn: 1, Data: []byte(tc.in)})
		assert.Equal(t, tc.want, l.written(1), "%q", tc.in)
	}
}

// A normal client that reads nothing while its replies pile up is closed
// at the hard limit, or past the soft limit for longer than its seconds,
// with Redis's log line; its pending output is dropped, not flushed.
func TestNormalOutputBufferLimit(t *testing.T) {
	value := strings.Repeat("v", 100<<10)
	get := []byte("GET big\r\n")
	t.Run("hard", func(t *testing.T) {
		l := newLone(t, "client-output-buffer-limit normal 1mb 0 0")
		l.step(node.Accepted{Conn: 1, Peer: "127.0.0.1:1"})
		l.step(node.Received{Conn: 1, Data: resp.AppendCommand(nil, []byte("SET"), []byte("big"), []byte(value))})
		for i := 0; i < 10; i++ {
			l.step(node.Received{Conn: 1, Data: get}) // never Written: the client reads nothing
			require.Len(t, l.rd.Writes, 1, "reply %d", i)
		}
		l.step(node.Received{Conn: 1, Data: get})
		assert.Empty(t, l.rd.Writes, "the reply that crosses the limit is not sent")
		assert.Equal(t, []node.ConnID{1}, l.rd.Drops)
		assert.Empty(t, l.rd.Closes)
		assert.Regexp(t, `Client id=1 addr=127\.0\.0\.1:1 .* scheduled to be closed ASAP for overcoming of output buffer limits\.`, l.logs())
		assert.False(t, l.n.HasClient(1))
	})
	t.Run("written bytes do not count", func(t *testing.T) {
		l := newLone(t, "client-output-buffer-limit normal 1mb 0 0")
		l.step(node.Accepted{Conn: 1, Peer: "127.0.0.1:1"})
		l.step(node.Received{Conn: 1, Data: resp.AppendCommand(nil, []byte("SET"), []byte("big"), []byte(value))})
		for range 50 {
			l.step(node.Received{Conn: 1, Data: get})
			require.Len(t, l.rd.Writes, 1)
			l.step(node.Written{Conn: 1, N: len(l.rd.Writes[0].Data)})
		}
		assert.True(t, l.n.HasClient(1))
	})
	t.Run("soft", func(t *testing.T) {
		l := newLone(t, "client-output-buffer-limit normal 0 300kb 2")
		l.step(node.Accepted{Conn: 1, Peer: "127.0.0.1:1"})
		l.step(node.Received{Conn: 1, Data: resp.AppendCommand(nil, []byte("SET"), []byte("big"), []byte(value))})
		for range 5 {
			l.step(node.Received{Conn: 1, Data: get})
		}
		l.now = l.now.Add(2 * time.Second) // not more than 2 s yet
		l.step(node.Received{Conn: 1, Data: get})
		require.Len(t, l.rd.Writes, 1)
		l.now = l.now.Add(time.Second)
		l.step(node.Received{Conn: 1, Data: get})
		assert.Equal(t, []node.ConnID{1}, l.rd.Drops)
		assert.Contains(t, l.logs(), "scheduled to be closed ASAP for overcoming of output buffer limits.")
	})
	t.Run("soft without new output", func(t *testing.T) {
		// clientsCron checks too: no new reply is needed once the seconds pass.
		l := newLone(t, "client-output-buffer-limit normal 0 300kb 2")
		l.step(node.Accepted{Conn: 1, Peer: "127.0.0.1:1"})
		l.step(node.Received{Conn: 1, Data: resp.AppendCommand(nil, []byte("SET"), []byte("big"), []byte(value))})
		for range 5 {
			l.step(node.Received{Conn: 1, Data: get})
		}
		l.now = l.now.Add(2 * time.Second)
		l.step(node.Wake{})
		assert.Empty(t, l.rd.Drops)
		l.now = l.now.Add(time.Second)
		l.step(node.Wake{})
		assert.Equal(t, []node.ConnID{1}, l.rd.Drops)
		assert.Regexp(t, `Client id=1 .* closed for overcoming of output buffer limits\.`, l.logs())
	})
	t.Run("soft resets when drained", func(t *testing.T) {
		l := newLone(t, "client-output-buffer-limit normal 0 300kb 2")
		l.step(node.Accepted{Conn: 1, Peer: "127.0.0.1:1"})
		l.step(node.Received{Conn: 1, Data: resp.AppendCommand(nil, []byte("SET"), []byte("big"), []byte(value))})
		total := 0
		for range 4 {
			l.step(node.Received{Conn: 1, Data: get})
			total += len(l.rd.Writes[0].Data)
		}
		l.step(node.Written{Conn: 1, N: total})
		l.now = l.now.Add(5 * time.Second)
		l.step(node.Received{Conn: 1, Data: get})
		require.Len(t, l.rd.Writes, 1)
		assert.Empty(t, l.rd.Drops)
	})
}

// A subscriber that does not read is dropped at the pubsub class's limit;
// the publisher and the other subscribers carry on.
func TestPubsubOutputBufferLimit(t *testing.T) {
	l := newLone(t, "client-output-buffer-limit pubsub 1mb 256kb 60")
	l.step(node.Accepted{Conn: 1, Peer: "127.0.0.1:1"}) // slow subscriber
	l.step(node.Accepted{Conn: 2, Peer: "127.0.0.1:2"}) // fast subscriber
	l.step(node.Accepted{Conn: 3, Peer: "127.0.0.1:3"}) // publisher
	l.step(node.Received{Conn: 1, Data: []byte("SUBSCRIBE news\r\n")})
	l.step(node.Received{Conn: 2, Data: []byte("SUBSCRIBE news\r\n")})
	l.step(node.Written{Conn: 2, N: len(l.written(2))})
	msg := resp.AppendCommand(nil, []byte("PUBLISH"), []byte("news"), bytes.Repeat([]byte("m"), 64<<10))
	dropped := -1
	for i := range 40 {
		l.step(node.Received{Conn: 3, Data: msg})
		l.step(node.Written{Conn: 2, N: len(l.written(2))})
		if len(l.rd.Drops) > 0 || !l.n.HasClient(1) {
			dropped = i
			break
		}
	}
	require.NotEqual(t, -1, dropped, "the slow subscriber was never dropped")
	assert.Equal(t, 15, dropped, "dropped when its pending output reached 1mb")
	l.step(node.Received{Conn: 3, Data: []byte("PUBLISH news x\r\n")})
	assert.Equal(t, ":1\r\n", l.written(3))
	assert.Equal(t, "*3\r\n$7\r\nmessage\r\n$4\r\nnews\r\n$1\r\nx\r\n", l.written(2))
}

// A dump that fails to load is refused with Redis's line for the fault and
// one naming the offset; New still returns a node whose Ready has the logs.
func TestRefusedDumpLogs(t *testing.T) {
	cfg, _, err := config.Parse("port 6379\n", nil)
	require.NoError(t, err)
	now := time.Date(2026, 11, 24, 23, 44, 31, 0, time.UTC)
	n, err := node.New(cfg, node.Env{Now: now})
	require.NoError(t, err)
	n.Ready()
	require.NoError(t, n.Step(now, node.Accepted{Conn: 1, Peer: "127.0.0.1:1"}))
	require.NoError(t, n.Step(now, node.Received{Conn: 1, Data: []byte("SET a 1\r\nRPUSH l x y\r\n")}))
	n.Ready()
	require.NoError(t, n.Step(now, node.Received{Conn: 1, Data: []byte("SAVE\r\n")}))
	rd := n.Ready()
	require.Len(t, rd.Snapshots, 1)
	var buf bytes.Buffer
	require.NoError(t, rd.Snapshots[0].Snap.WriteRDB(&buf, rd.Snapshots[0].Opts, rd.Snapshots[0].Aux))
	good := buf.Bytes()
	bad := bytes.Clone(good)
	bad[len(bad)-1] ^= 0xff
	for _, tc := range []struct {
		name string
		dump []byte
		want []string
	}{
		{"truncated", good[:len(good)-12], []string{"Short read or OOM loading DB. Unrecoverable error, aborting now.", "Internal error in RDB reading offset "}},
		{"checksum", bad, []string{"Wrong RDB checksum expected: (", ") but got (", "). Aborting now.", "checksum mismatch"}},
		{"signature", append([]byte("RUDIS"), good[5:]...), []string{"Wrong signature trying to load DB from file", "Fatal error loading the DB: Invalid argument. Exiting."}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			n, err := node.New(cfg, node.Env{Now: now, Dump: tc.dump})
			require.Error(t, err)
			require.NotNil(t, n)
			var sb strings.Builder
			for _, l := range n.Ready().Logs {
				sb.WriteString(l.Text + "\n")
			}
			for _, w := range tc.want {
				assert.Contains(t, sb.String(), w)
			}
			assert.NotContains(t, sb.String(), "Ready to accept connections")
		})
	}
}

// The signal handler's line is logged as Redis writes it, with no prefix.
func TestSignalLineFormat(t *testing.T) {
	l := newLone(t, "")
	l.step(node.Shutdown{Signal: "SIGTERM"})
	require.NotEmpty(t, l.rd.Logs)
	assert.Equal(t, "1:signal-handler (1795563871) Received SIGTERM scheduling shutdown...", l.rd.Logs[0].Format(1))
	assert.Equal(t, "1:M 24 Nov 2026 23:44:31.000 # User requested shutdown...", l.rd.Logs[1].Format(1))
}

// A master that sends a corrupt RDB: the replica refuses it, keeps serving
// its previous dataset (never a half-loaded one), reconnects, and takes the
// next, good, full sync.
func TestCorruptRDBFromMaster(t *testing.T) {
	// A dump with one key, to start the replica from, and the RDBs its
	// master will send, made by another node.
	rdbOf := func(cmds string) []byte {
		l := newLone(t, "")
		l.step(node.Accepted{Conn: 1, Peer: "127.0.0.1:1"})
		l.step(node.Received{Conn: 1, Data: []byte(cmds + "SAVE\r\n")})
		require.Len(t, l.rd.Snapshots, 1)
		var buf bytes.Buffer
		require.NoError(t, l.rd.Snapshots[0].Snap.WriteRDB(&buf, l.rd.Snapshots[0].Opts, nil))
		return buf.Bytes()
	}
	old := rdbOf("SET old v\r\n")
	good := rdbOf("SET new 1\r\nSET other 2\r\n")
	corrupt := bytes.Clone(good)
	corrupt[len(corrupt)-12] ^= 0x5a // inside the last value: CRC64 mismatch at least

	cfg, _, err := config.Parse("port 6378\nreplicaof 127.0.0.1 6379\n", nil)
	require.NoError(t, err)
	now := time.Date(2026, 11, 24, 23, 44, 31, 0, time.UTC)
	n, err := node.New(cfg, node.Env{Now: now, Pid: 2, Dump: old})
	require.NoError(t, err)
	l := &lone{t: t, n: n, now: now}
	l.rd = n.Ready()
	l.dials = l.rd.Dials
	const id = "8fac53ef83b74f7bfeb995f6f94aa9968a060786"
	master := "+PONG\r\n+OK\r\n+OK\r\n+FULLRESYNC " + id + " 100\r\n"
	sync := func(rdb []byte) string {
		var dial node.ConnID
		for range 50 { // the replica dials within a second or two
			if len(l.dials) > 0 {
				dial = l.dials[len(l.dials)-1].Conn
				l.dials = nil
				break
			}
			l.now = l.now.Add(100 * time.Millisecond)
			l.step(node.Wake{})
		}
		require.NotZero(t, dial, "the replica dials its master")
		var logs strings.Builder
		collect := func() {
			for _, line := range l.rd.Logs {
				logs.WriteString(line.Text + "\n")
			}
		}
		l.step(node.Dialed{Conn: dial, Local: "127.0.0.1:40000"})
		collect()
		l.step(node.Received{Conn: dial, Data: fmt.Appendf(nil, "%s$%d\r\n%s", master, len(rdb), rdb)})
		collect()
		return logs.String()
	}
	get := func(key string) string {
		l.step(node.Accepted{Conn: 9, Peer: "127.0.0.1:9"})
		l.step(node.Received{Conn: 9, Data: []byte("GET " + key + "\r\n")})
		out := l.written(9)
		l.step(node.Closed{Conn: 9})
		return out
	}

	logs := sync(corrupt)
	assert.Contains(t, logs, "Failed trying to load the MASTER synchronization DB from disk")
	assert.NotContains(t, logs, "Finished with success")
	assert.Equal(t, []node.ConnID{l.rd.Closes[0]}, l.rd.Closes, "the link is closed to retry")
	assert.Equal(t, "$1\r\nv\r\n", get("old"), "the previous dataset is still served")
	assert.Equal(t, "$-1\r\n", get("new"), "nothing of the refused RDB is served")

	logs = sync(good)
	assert.Contains(t, logs, "MASTER <-> REPLICA sync: Finished with success")
	assert.Equal(t, "$-1\r\n", get("old"))
	assert.Equal(t, "$1\r\n1\r\n", get("new"))
	assert.Equal(t, "$1\r\n2\r\n", get("other"))
}

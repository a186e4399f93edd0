package node_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/syncscope/syncscope/core/node"
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
			assert.Equal(t, "+OK\r\n", l.do(2, "CONFIG SET protected-mode no\r\n"))
			l.step(node.Accepted{Conn: 3, Peer: tc.peer})
			assert.Empty(t, l.rd.Writes)
			assert.Equal(t, "+PONG\r\n", l.do(3, "PING\r\n"))
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
		assert.Equal(t, tc.want, l.do(1, tc.in), "%q", tc.in)
	}
	// An authenticated client stays so; a new one needs the new password.
	assert.Equal(t, "+PONG\r\n", l.do(1, "PING\r\n"))
	l.step(node.Accepted{Conn: 2, Peer: "127.0.0.1:2"})
	assert.Equal(t, "-WRONGPASS invalid username-password pair or user is disabled.\r\n+OK\r\n+PONG\r\n", l.do(2, "AUTH s3cret\r\nAUTH default n3w\r\nPING\r\n"))
	// Clearing the password lets everyone in.
	l.step(node.Accepted{Conn: 3, Peer: "127.0.0.1:3"})
	assert.Equal(t, "-NOAUTH Authentication required.\r\n", l.do(3, "PING\r\n"))
	assert.Equal(t, "+OK\r\n", l.do(1, "CONFIG SET requirepass \"\"\r\n"))
	assert.Equal(t, "+PONG\r\n-ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?\r\n", l.do(3, "PING\r\nAUTH x\r\n"))
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
		assert.Equal(t, tc.want, l.do(1, tc.in), "%q", tc.in)
	}
}

// TestProtectedConfigsLocal: with enable-protected-configs and
// enable-debug-command "local", a loopback client may set dir or dbfilename
// and run DEBUG, a remote one gets Redis's errors (allowProtectedAction).
func TestProtectedConfigsLocal(t *testing.T) {
	l := newLone(t, "protected-mode no\nenable-protected-configs local\nenable-debug-command local")
	l.step(node.Accepted{Conn: 1, Peer: "127.0.0.1:5000"})
	l.step(node.Accepted{Conn: 2, Peer: "10.1.2.3:5000"})
	assert.Equal(t, "+OK\r\n", l.do(1, "CONFIG SET dbfilename somename.rdb\r\n"))
	assert.Equal(t, "-ERR CONFIG SET failed (possibly related to argument 'dbfilename') - can't set protected config\r\n",
		l.do(2, "CONFIG SET dbfilename other.rdb\r\n"))
	assert.Contains(t, l.do(1, "CONFIG GET dbfilename\r\n"), "somename.rdb")
	assert.Contains(t, l.do(1, "DEBUG HELP\r\n"), "DEBUG <subcommand>")
	assert.Contains(t, l.do(2, "DEBUG HELP\r\n"), "-ERR DEBUG command not allowed.")
}

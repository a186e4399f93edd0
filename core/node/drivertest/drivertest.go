// Package drivertest is a conformance script for node drivers: it makes
// nodes produce every kind of effect a node.Ready carries (a write, a close
// after the reply, a drop over the output limit, a dial refused and one
// that connects, a snapshot, a config file rewrite, an exit) and checks
// from the outside, as a client sees it, that the driver carried each out.
// The simulator and the native server run it; so does redis-server, which
// keeps the script honest.
package drivertest

import (
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/syncscope/syncscope/core/resp"
)

// Target is a driver under test, with nodes it starts on demand.
type Target interface {
	// Start starts a node with extra redis.conf lines and returns its port.
	Start(conf string) (port int, err error)
	// UnusedPort is a port where nothing listens.
	UnusedPort() int
	// Connect opens a client connection to node port.
	Connect(port int) (Conn, error)
	// Until runs the driver (letting time pass) until cond holds, and
	// reports false if it still does not after a generous limit.
	Until(cond func() bool) bool
	// Log is node port's log so far.
	Log(port int) string
	// Dump is node port's dump file (dbfilename) as it is now.
	Dump(port int) []byte
	// ConfigFile is node port's config file as it is now.
	ConfigFile(port int) string
	// Running reports whether node port's process is still up.
	Running(port int) bool
}

// Conn is a client connection; the driver fills it as it runs.
type Conn interface {
	Send(data []byte)
	// Received is every byte received so far.
	Received() []byte
	// Closed reports that the server closed the connection.
	Closed() bool
}

// client reads a Conn's replies in order.
type client struct {
	t    testing.TB
	tg   Target
	c    Conn
	read int // bytes of Received already parsed
}

func connect(t testing.TB, tg Target, port int) *client {
	t.Helper()
	c, err := tg.Connect(port)
	require.NoError(t, err)
	return &client{t: t, tg: tg, c: c}
}

func (c *client) send(args ...string) {
	argv := make([][]byte, len(args))
	for i, a := range args {
		argv[i] = []byte(a)
	}
	c.c.Send(resp.AppendCommand(nil, argv...))
}

// reply waits for the next reply and returns it as redis-cli prints it,
// or "(closed)" when the connection closed first.
func (c *client) reply() string {
	c.t.Helper()
	var v resp.Value
	var n int
	next := func() bool {
		var err error
		v, n, err = resp.ReadValue(c.c.Received()[c.read:])
		require.NoError(c.t, err)
		return n > 0 || c.c.Closed()
	}
	require.True(c.t, c.tg.Until(next), "no reply")
	if n == 0 {
		return "(closed)"
	}
	c.read += n
	return resp.FormatCLI(v)
}

func (c *client) do(args ...string) string {
	c.t.Helper()
	c.send(args...)
	return c.reply()
}

// untilLog waits for text in node port's log.
func untilLog(t testing.TB, tg Target, port int, text string) {
	t.Helper()
	assert.True(t, tg.Until(func() bool { return strings.Contains(tg.Log(port), text) }), "node %d never logged %q; its log:\n%s", port, text, tg.Log(port))
}

// Run runs the script against tg.
func Run(t *testing.T, tg Target) {
	// The master starts a sync at once rather than wait for more replicas.
	a, err := tg.Start("repl-diskless-sync-delay 0\n")
	require.NoError(t, err)

	t.Run("write", func(t *testing.T) {
		c := connect(t, tg, a)
		assert.Equal(t, "PONG", c.do("PING"))
		assert.Equal(t, "OK", c.do("SET", "k", "v"))
	})

	t.Run("close after the reply", func(t *testing.T) {
		c := connect(t, tg, a)
		c.send("GET", "k")
		c.send("QUIT")
		assert.Equal(t, `"v"`, c.reply())
		assert.Equal(t, "OK", c.reply())
		assert.True(t, tg.Until(c.c.Closed), "the connection is closed after QUIT's reply")
	})

	t.Run("drop over the output limit", func(t *testing.T) {
		c := connect(t, tg, a)
		assert.Equal(t, "OK", c.do("CONFIG", "SET", "client-output-buffer-limit", "normal 1024 0 0"))
		assert.Equal(t, "OK", c.do("SET", "big", strings.Repeat("x", 64<<10)))
		c.send("GET", "big")
		assert.True(t, tg.Until(c.c.Closed), "the client is dropped")
		assert.Less(t, len(c.c.Received())-c.read, 64<<10, "the big reply was discarded")
		untilLog(t, tg, a, "scheduled to be closed ASAP for overcoming of output buffer limits.")
		assert.Equal(t, "OK", connect(t, tg, a).do("CONFIG", "SET", "client-output-buffer-limit", "normal 0 0 0"))
	})

	t.Run("dial refused", func(t *testing.T) {
		c := connect(t, tg, a)
		assert.Equal(t, "OK", c.do("REPLICAOF", "127.0.0.1", strconv.Itoa(tg.UnusedPort())))
		untilLog(t, tg, a, "Error condition on socket for SYNC: Connection refused")
		assert.Equal(t, "OK", c.do("REPLICAOF", "NO", "ONE"))
	})

	var b int
	t.Run("dial and sync", func(t *testing.T) {
		b, err = tg.Start("replicaof 127.0.0.1 " + strconv.Itoa(a) + "\n")
		require.NoError(t, err)
		untilLog(t, tg, b, "MASTER <-> REPLICA sync: Finished with success")
		// The sync's child is done too (BGSAVE would be refused while it runs).
		untilLog(t, tg, a, "Background RDB transfer terminated with success")
		assert.Equal(t, `"v"`, connect(t, tg, b).do("GET", "k"))
	})

	t.Run("snapshot", func(t *testing.T) {
		c := connect(t, tg, a)
		assert.Equal(t, "Background saving started", c.do("BGSAVE"))
		untilLog(t, tg, a, "Background saving terminated with success")
		dump := tg.Dump(a)
		assert.True(t, strings.HasPrefix(string(dump), "REDIS0010"), "the dump file: %q", dump[:min(len(dump), 16)])
		assert.Contains(t, string(dump), "big", "the dump holds the data")
	})

	t.Run("config rewrite", func(t *testing.T) {
		c := connect(t, tg, a)
		assert.Equal(t, "OK", c.do("CONFIG", "SET", "maxmemory", "3mb"))
		assert.Equal(t, "OK", c.do("CONFIG", "REWRITE"))
		assert.Contains(t, tg.ConfigFile(a), "\nmaxmemory 3mb\n")
		untilLog(t, tg, a, "CONFIG REWRITE executed with success.")
	})

	t.Run("exit", func(t *testing.T) {
		c := connect(t, tg, a)
		c.send("SHUTDOWN", "NOSAVE")
		assert.Equal(t, "(closed)", c.reply())
		assert.True(t, tg.Until(func() bool { return !tg.Running(a) }), "the process exits")
		assert.Contains(t, tg.Log(a), "Redis is now ready to exit, bye bye...")
		if b != 0 {
			untilLog(t, tg, b, "Connection with master lost.")
		}
	})
}

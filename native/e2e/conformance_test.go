//go:build !js

package e2e

import (
	"net"
	"os"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/syncscope/syncscope/core/node/drivertest"
	"github.com/syncscope/syncscope/native/internal/proc"
)

// nativeTarget runs the driver conformance script on server processes:
// syncscope-server, or redis-server to check the script itself.
type nativeTarget struct {
	t       *testing.T
	redis   bool
	servers map[int]*Server
}

func (n *nativeTarget) Start(conf string) (int, error) {
	s := Start(n.t, Options{Redis: n.redis, Config: "enable-debug-command yes\n" + conf})
	n.servers[s.Port] = s
	return s.Port, nil
}

func (n *nativeTarget) UnusedPort() int {
	port, err := proc.FreePort()
	if err != nil {
		n.t.Fatal(err)
	}
	return port
}

func (n *nativeTarget) Connect(port int) (drivertest.Conn, error) {
	nc, err := net.Dial("tcp", "127.0.0.1:"+strconv.Itoa(port))
	if err != nil {
		return nil, err
	}
	n.t.Cleanup(func() { nc.Close() })
	c := &nativeConn{nc: nc}
	go c.read()
	return c, nil
}

// Until polls cond for up to Timeout.
func (n *nativeTarget) Until(cond func() bool) bool {
	deadline := time.Now().Add(Timeout)
	for !cond() {
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(2 * time.Millisecond)
	}
	return true
}

func (n *nativeTarget) Log(port int) string { return n.servers[port].Log() }

func (n *nativeTarget) Dump(port int) []byte {
	b, _ := os.ReadFile(n.servers[port].DumpPath())
	return b
}

func (n *nativeTarget) ConfigFile(port int) string { return n.servers[port].read("server.conf") }

func (n *nativeTarget) Running(port int) bool { return !n.servers[port].Proc.Exited() }

// nativeConn collects what a TCP connection receives.
type nativeConn struct {
	nc     net.Conn
	mu     sync.Mutex
	in     []byte
	closed bool
}

func (c *nativeConn) read() {
	buf := make([]byte, 64<<10)
	for {
		n, err := c.nc.Read(buf)
		c.mu.Lock()
		c.in = append(c.in, buf[:n]...)
		if err != nil {
			c.closed = true
		}
		c.mu.Unlock()
		if err != nil {
			return
		}
	}
}

func (c *nativeConn) Send(p []byte) { c.nc.Write(p) }

func (c *nativeConn) Received() []byte {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.in
}

func (c *nativeConn) Closed() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.closed
}

// TestDriverConformance runs the script on syncscope-server's driver, and
// on redis-server, whose behaviour the script describes.
func TestDriverConformance(t *testing.T) {
	for _, redis := range []bool{false, true} {
		name := map[bool]string{false: "syncscope-server", true: "redis-server"}[redis]
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			drivertest.Run(t, &nativeTarget{t: t, redis: redis, servers: map[int]*Server{}})
		})
	}
}

//go:build !js

package playground

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/syncscope/syncscope/core/config"
	"github.com/syncscope/syncscope/native/server"
)

// tcpRemote is a Remote over plain TCP: what the browser's websocket and
// the playground server's bridge do together, without the browser.
type tcpRemote struct{}

type tcpConn struct {
	mu     sync.Mutex
	nc     net.Conn
	queued [][]byte
	closed bool
}

func (tcpRemote) Open(port int, onData func([]byte), onClose func(string)) RemoteConn {
	c := &tcpConn{}
	go func() {
		nc, err := net.Dial("tcp", "127.0.0.1:"+strconv.Itoa(port))
		if err != nil {
			onClose("Connection refused")
			return
		}
		c.mu.Lock()
		c.nc = nc
		for _, b := range c.queued {
			nc.Write(b)
		}
		c.queued = nil
		if c.closed {
			nc.Close()
		}
		c.mu.Unlock()
		buf := make([]byte, 32<<10)
		for {
			n, err := nc.Read(buf)
			if n > 0 {
				onData(buf[:n])
			}
			if err != nil {
				onClose("Connection reset by peer")
				return
			}
		}
	}()
	return c
}

func (c *tcpConn) Send(p []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.nc == nil {
		c.queued = append(c.queued, append([]byte(nil), p...))
		return
	}
	c.nc.Write(p)
}

func (c *tcpConn) Close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.closed = true
	if c.nc != nil {
		c.nc.Close()
	}
}

// native runs a native node for the test and returns its port and a
// client connection to it.
func native(t *testing.T) (int, *server.Server, func(args ...string) string) {
	t.Helper()
	ln, err := net.Listen("tcp4", "127.0.0.1:0") // a free port
	require.NoError(t, err)
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	cfg, _, err := config.Parse(fmt.Sprintf("port %d\nbind 127.0.0.1\nsave \"\"\nrepl-diskless-sync-delay 0\ndir %s\n", port, t.TempDir()), nil)
	require.NoError(t, err)
	srv, err := server.Start(cfg, server.Options{Stdout: io.Discard})
	require.NoError(t, err)
	t.Cleanup(func() {
		srv.Signal("SIGTERM")
		srv.Wait()
	})
	nc, err := net.Dial("tcp", "127.0.0.1:"+strconv.Itoa(port))
	require.NoError(t, err)
	t.Cleanup(func() { nc.Close() })
	rd := bufio.NewReader(nc)
	call := func(args ...string) string {
		fmt.Fprintf(nc, "*%d\r\n", len(args))
		for _, a := range args {
			fmt.Fprintf(nc, "$%d\r\n%s\r\n", len(a), a)
		}
		line, err := rd.ReadString('\n')
		require.NoError(t, err)
		return strings.TrimRight(line, "\r\n")
	}
	return port, srv, call
}

// runUntil plays the page at 5x real time until cond holds (bounded).
func runUntil(t *testing.T, p *Page, cond func() bool, what string) {
	t.Helper()
	p.Play(5)
	last := time.Now()
	for deadline := time.Now().Add(15 * time.Second); !cond(); {
		require.True(t, time.Now().Before(deadline), "waiting for %s", what)
		time.Sleep(10 * time.Millisecond)
		now := time.Now()
		p.Tick(now.Sub(last))
		last = now
	}
}

// A page node replicates from a native node through a Remote, sees its
// writes, and notices when it goes away.
func TestRemote(t *testing.T) {
	port, srv, call := native(t)
	require.Equal(t, "+OK", call("SET", "name", "redis"))
	p := New(9)
	p.SetRemote(tcpRemote{}, []int{port})
	require.NoError(t, p.StartNode(7000, fmt.Sprintf("replicaof 127.0.0.1 %d\n", port), false))
	runUntil(t, p, func() bool { m := p.State(7000).Master; return m != nil && m.Status == "up" }, "the link to the native node")
	log := logText(p, 7000)
	assert.Contains(t, log, fmt.Sprintf("Connecting to MASTER 127.0.0.1:%d", port))
	assert.Contains(t, log, "MASTER <-> REPLICA sync: Finished with success")

	var got *string
	p.Exec(7000, "get name", func(s string) { got = &s })
	runUntil(t, p, func() bool { return got != nil }, "get name")
	assert.Equal(t, `"redis"`, *got)

	require.Equal(t, "+OK", call("SET", "color", "blue"))
	runUntil(t, p, func() bool {
		var out *string
		p.Exec(7000, "get color", func(s string) { out = &s })
		for i := 0; out == nil && i < 100; i++ {
			p.Tick(time.Millisecond)
		}
		return out != nil && *out == `"blue"`
	}, "the native node's write to reach the page")

	var parts []string
	for _, m := range p.TakeMessages() {
		parts = append(parts, fmt.Sprintf("%d>%d %s", m.From, m.To, strings.Join(m.Parts, " | ")))
	}
	all := strings.Join(parts, "\n")
	assert.Contains(t, all, fmt.Sprintf("7000>%d PING", port))
	assert.Contains(t, all, fmt.Sprintf("%d>7000 +FULLRESYNC ", port))
	assert.Contains(t, all, "RDB complete (")
	assert.Contains(t, all, "SET color blue")
	assert.NotNil(t, p.RDB(7000))

	// The native node goes away: the page's node loses its master.
	srv.Signal("SIGTERM")
	srv.Wait()
	runUntil(t, p, func() bool { return strings.Contains(logText(p, 7000), "Connection with master lost.") }, "the lost link")
	// It retries every second. The bridge accepts the link before it knows
	// the native node is gone, as a TCP proxy would, so each retry fails in
	// the handshake rather than with "Connection refused".
	runUntil(t, p, func() bool { return strings.Count(logText(p, 7000), "MASTER <-> REPLICA sync started") >= 4 }, "retries")
	assert.Contains(t, logText(p, 7000), "Master did not respond to command during SYNC handshake")
	assert.Empty(t, p.Err())
}

// Only the listed native ports are reached; other addresses are refused.
func TestRemoteRefused(t *testing.T) {
	port, _, _ := native(t)
	p := New(10)
	p.SetRemote(tcpRemote{}, []int{port})
	require.NoError(t, p.StartNode(7001, fmt.Sprintf("replicaof 127.0.0.1 %d\n", port+1), false))
	require.NoError(t, p.StartNode(7002, fmt.Sprintf("replicaof 10.1.2.3 %d\n", port), false))
	p.Advance(1500 * time.Millisecond)
	assert.Contains(t, logText(p, 7001), "Error condition on socket for SYNC: Connection refused")
	assert.Contains(t, logText(p, 7002), "Error condition on socket for SYNC: Connection refused")
}

package server

import (
	"bytes"
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/syncscope/syncscope/core/resp"
)

// engines runs test against each connection engine this system has: the
// poller (Linux) and the goroutine pair per connection.
func engines(t *testing.T, test func(t *testing.T, opts Options)) {
	t.Run("goroutines", func(t *testing.T) { test(t, Options{goroutineIO: true}) })
	if p := newPoller(); p != nil {
		p.close()
		t.Run("poller", func(t *testing.T) { test(t, Options{}) })
	}
}

func command(args ...string) []byte {
	b := make([][]byte, len(args))
	for i, a := range args {
		b[i] = []byte(a)
	}
	return resp.AppendCommand(nil, b...)
}

// readAll reads until the server closes the connection.
func readAll(t *testing.T, c net.Conn) []byte {
	t.Helper()
	c.SetReadDeadline(time.Now().Add(10 * time.Second))
	b, err := io.ReadAll(c)
	require.NoError(t, err, "the server closes the connection")
	return b
}

func TestEnginePipelinedClients(t *testing.T) {
	engines(t, func(t *testing.T, opts Options) {
		srv, _, _ := startWith(t, "", opts)
		addr := srv.Addrs()[0].String()
		var wg sync.WaitGroup
		for i := range 30 {
			wg.Go(func() {
				c := dial(t, addr)
				var out []byte
				for j := range 200 {
					out = append(out, command("RPUSH", fmt.Sprintf("l%d", i), fmt.Sprint(j))...)
				}
				_, err := c.Write(out)
				assert.NoError(t, err)
				for j := range 200 {
					assert.Equal(t, fmt.Sprintf("(integer) %d", j+1), resp.FormatCLI(readValue(t, c)))
				}
			})
		}
		wg.Wait()
		c := dial(t, addr)
		c.Write(command("DBSIZE"))
		assert.Equal(t, "(integer) 30", resp.FormatCLI(readValue(t, c)))
	})
}

// A client that sends its last request and shuts its side (nc -N, a
// script's pipe) gets the reply, then the server closes, as Redis does:
// the end of input and the request arrive together.
func TestEngineHalfClosedClientIsAnsweredAndClosed(t *testing.T) {
	engines(t, func(t *testing.T, opts Options) {
		srv, _, _ := startWith(t, "", opts)
		c := dial(t, srv.Addrs()[0].String())
		_, err := c.Write([]byte("PING\r\nECHO hi\r\n"))
		require.NoError(t, err)
		require.NoError(t, c.(*net.TCPConn).CloseWrite())
		assert.Equal(t, "+PONG\r\n$2\r\nhi\r\n", string(readAll(t, c)))
	})
}

func TestEngineQuitRepliesThenCloses(t *testing.T) {
	engines(t, func(t *testing.T, opts Options) {
		srv, _, _ := startWith(t, "", opts)
		c := dial(t, srv.Addrs()[0].String())
		c.Write([]byte("QUIT\r\nPING\r\n"))
		assert.Equal(t, "+OK\r\n", string(readAll(t, c)))
	})
}

// A reply far bigger than the socket buffers reaches a slow reader whole
// and in order, behind and ahead of small ones.
func TestEngineBigReplyToASlowReader(t *testing.T) {
	engines(t, func(t *testing.T, opts Options) {
		srv, _, _ := startWith(t, "", opts)
		c := dial(t, srv.Addrs()[0].String())
		big := strings.Repeat("0123456789abcdef", 1<<19) // 8 MB
		c.Write(command("SET", "big", big))
		assert.Equal(t, "OK", resp.FormatCLI(readValue(t, c)))
		c.Write(append(append(command("PING"), command("GET", "big")...), command("ECHO", "after")...))
		time.Sleep(100 * time.Millisecond) // let the server fill the socket and queue the rest
		want := "+PONG\r\n" + fmt.Sprintf("$%d\r\n%s\r\n", len(big), big) + "$5\r\nafter\r\n"
		got := make([]byte, len(want))
		c.SetReadDeadline(time.Now().Add(20 * time.Second))
		for off := 0; off < len(got); {
			n, err := c.Read(got[off:min(len(got), off+4096)])
			require.NoError(t, err)
			off += n
		}
		assert.True(t, bytes.Equal([]byte(want), got), "the replies arrive whole and in order")
	})
}

// A client that vanishes with unread replies does not disturb the others.
func TestEngineClientResetWhileReplying(t *testing.T) {
	engines(t, func(t *testing.T, opts Options) {
		srv, _, _ := startWith(t, "", opts)
		addr := srv.Addrs()[0].String()
		c := dial(t, addr)
		c.Write(command("SET", "v", strings.Repeat("x", 1<<20)))
		readValue(t, c)
		var out []byte
		for range 50 {
			out = append(out, command("GET", "v")...)
		}
		c.Write(out)
		c.(*net.TCPConn).SetLinger(0)
		c.Close() // RST with 50 MB of replies to come
		other := dial(t, addr)
		other.Write(command("PING"))
		assert.Equal(t, "PONG", resp.FormatCLI(readValue(t, other)))
		other.Write(command("CLIENT", "LIST"))
		assert.Equal(t, 1, strings.Count(string(readValue(t, other).Str), "id="), "the reset client is gone")
	})
}

// A replica's link to its master is a dialed connection: it is served by
// the same engine.
func TestEngineReplication(t *testing.T) {
	engines(t, func(t *testing.T, opts Options) {
		master, _, _ := startWith(t, "repl-diskless-sync-delay 0", opts)
		maddr := master.Addrs()[0].(*net.TCPAddr)
		replica, _, _ := startWith(t, fmt.Sprintf("replicaof 127.0.0.1 %d", maddr.Port), opts)
		m := dial(t, maddr.String())
		for i := range 100 {
			m.Write(command("SET", fmt.Sprint("k", i), strings.Repeat("v", i*100)))
			readValue(t, m)
		}
		r := dial(t, replica.Addrs()[0].String())
		deadline := time.Now().Add(10 * time.Second)
		for {
			r.Write(command("DBSIZE"))
			if resp.FormatCLI(readValue(t, r)) == "(integer) 100" {
				break
			}
			require.True(t, time.Now().Before(deadline), "the replica did not sync")
			time.Sleep(5 * time.Millisecond)
		}
		r.Write(command("GET", "k99"))
		assert.Equal(t, strings.Repeat("v", 9900), string(readValue(t, r).Str))
	})
}

// CONFIG SET rewrites the config the loop owns while connections keep
// arriving: the accept goroutine must not read it (tcp-keepalive is set
// when the loop adopts a connection). The race detector checks this test.
func TestEngineConfigSetWhileAccepting(t *testing.T) {
	engines(t, func(t *testing.T, opts Options) {
		srv, _, _ := startWith(t, "", opts)
		addr := srv.Addrs()[0].String()
		admin := dial(t, addr)
		for i := range 20 {
			_, err := admin.Write(command("CONFIG", "SET", "tcp-keepalive", fmt.Sprint(100+i)))
			require.NoError(t, err)
			require.Equal(t, "OK", string(readValue(t, admin).Str))
			c := dial(t, addr)
			_, err = c.Write(command("PING"))
			require.NoError(t, err)
			require.Equal(t, "PONG", string(readValue(t, c).Str))
			c.Close()
		}
	})
}

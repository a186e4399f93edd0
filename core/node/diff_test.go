package node_test

import (
	"bytes"
	gonet "net"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/syncscope/syncscope/core/resp"
	"github.com/syncscope/syncscope/native/redistest"
)

// The differential tests' side of redis-server: native/redistest starts
// it (a skip without one, a failure under CI), realConn speaks to it in
// raw bytes, to compare with what a node in the world writes.

// redisServer is a real redis-server for one test.
type redisServer struct {
	t    *testing.T
	addr string
}

// startRedis starts redis-server, stopped when the test ends.
func startRedis(t *testing.T) *redisServer {
	return &redisServer{t: t, addr: redistest.Start(t, redistest.Options{}).Addr}
}

// dial opens a client connection, closed when the test ends.
func (s *redisServer) dial() *realConn {
	conn, err := gonet.Dial("tcp", s.addr)
	require.NoError(s.t, err)
	s.t.Cleanup(func() { conn.Close() })
	return &realConn{t: s.t, conn: conn}
}

// realConn is a raw connection to a real redis-server.
type realConn struct {
	t    *testing.T
	conn gonet.Conn
	buf  []byte
}

func (rc *realConn) send(args ...string) {
	_, err := rc.conn.Write(resp.AppendCommandStrings(nil, args...))
	require.NoError(rc.t, err)
}

// pending reads what arrives within a short while: complete replies, or
// nothing from a blocked client.
func (rc *realConn) pending(wait time.Duration) string {
	chunk := make([]byte, 64*1024)
	deadline := time.Now().Add(wait)
	for {
		require.NoError(rc.t, rc.conn.SetReadDeadline(deadline))
		n, err := rc.conn.Read(chunk)
		rc.buf = append(rc.buf, chunk[:n]...)
		if err != nil {
			if ne, ok := err.(gonet.Error); ok && ne.Timeout() {
				break
			}
			require.NoError(rc.t, err)
		}
		if complete(rc.buf) {
			deadline = time.Now().Add(20 * time.Millisecond) // anything right behind it
		}
	}
	out := string(rc.buf)
	rc.buf = rc.buf[:0]
	return out
}

// reply reads one whole reply, however long the server takes (up to 10 s):
// a step that expects one reply must not depend on how loaded the machine is.
func (rc *realConn) reply() string {
	chunk := make([]byte, 64*1024)
	require.NoError(rc.t, rc.conn.SetReadDeadline(time.Now().Add(10*time.Second)))
	for {
		if _, n, err := resp.ReadValue(rc.buf); err == nil && n > 0 {
			out := string(rc.buf[:n])
			rc.buf = append(rc.buf[:0], rc.buf[n:]...)
			return out
		}
		n, err := rc.conn.Read(chunk)
		rc.buf = append(rc.buf, chunk[:n]...)
		require.NoError(rc.t, err, "waiting for a reply from redis-server")
	}
}

// snapshot reads the RDB that answers SYNC ("$<len>\r\n" and the bytes,
// after any newlines the master sends while it saves), however long the
// save takes (up to 10 s); what follows it is the replication stream.
func (rc *realConn) snapshot() {
	chunk := make([]byte, 64*1024)
	require.NoError(rc.t, rc.conn.SetReadDeadline(time.Now().Add(10*time.Second)))
	for {
		b := bytes.TrimLeft(rc.buf, "\n")
		if i := bytes.Index(b, []byte("\r\n")); len(b) > 0 && b[0] == '$' && i > 0 {
			size, err := strconv.Atoi(string(b[1:i]))
			require.NoError(rc.t, err, "the SYNC payload's header %q", b[:i])
			if len(b) >= i+2+size {
				rc.buf = append(rc.buf[:0], b[i+2+size:]...)
				return
			}
		}
		n, err := rc.conn.Read(chunk)
		rc.buf = append(rc.buf, chunk[:n]...)
		require.NoError(rc.t, err, "waiting for the RDB from redis-server")
	}
}

// countReplies is how many whole replies out holds.
func countReplies(t *testing.T, out string) int {
	n, buf := 0, []byte(out)
	for len(buf) > 0 {
		_, used, err := resp.ReadValue(buf)
		require.NoError(t, err)
		require.NotZero(t, used, "an incomplete reply: %q", buf)
		buf, n = buf[used:], n+1
	}
	return n
}

// streamLines renders replicated commands, one space-joined line each,
// leaving out PING and SELECT.
func streamLines(t *testing.T, buf []byte) []string {
	var out []string
	for len(buf) > 0 {
		if buf[0] == '\n' {
			buf = buf[1:]
			continue
		}
		v, n, err := resp.ReadValue(buf)
		require.NoError(t, err)
		require.NotZero(t, n, "partial command in the stream")
		buf = buf[n:]
		var parts [][]byte
		for _, e := range v.Elems {
			parts = append(parts, e.Str)
		}
		if !bytes.EqualFold(parts[0], []byte("ping")) && !bytes.EqualFold(parts[0], []byte("select")) {
			out = append(out, string(bytes.Join(parts, []byte(" "))))
		}
	}
	return out
}

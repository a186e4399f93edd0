package redistest

import (
	"bytes"
	"errors"
	"net"
	"strconv"
	"testing"
	"time"

	"github.com/syncscope/syncscope/core/resp"
)

// Raw is a client connection that hands back what the server sends as
// bytes, for tests that compare bytes with syncscope's: replies in RESP2
// or RESP3, pushes, a blocked client's late reply, a replication stream.
type Raw struct {
	t    testing.TB
	conn net.Conn
	buf  []byte
}

// DialRaw connects a Raw client, closed when the test ends.
func (s *Server) DialRaw(t testing.TB) *Raw {
	t.Helper()
	c, err := net.Dial("tcp", s.Addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return &Raw{t: t, conn: c}
}

// Send writes a command without reading anything.
func (c *Raw) Send(args ...string) {
	c.t.Helper()
	if _, err := c.conn.Write(resp.AppendCommandStrings(nil, args...)); err != nil {
		c.t.Fatal(err)
	}
}

// Do sends a command and returns its reply's bytes.
func (c *Raw) Do(args ...string) string {
	c.t.Helper()
	c.Send(args...)
	return c.Reply()
}

// Reply reads one whole reply, however long the server takes (up to 10 s):
// a step that expects a reply must not depend on how loaded the machine is.
func (c *Raw) Reply() string {
	c.t.Helper()
	c.readUntil(10*time.Second, "a reply", func() int {
		if _, n, err := resp.ReadValue(c.buf); err == nil {
			return n
		}
		return 0
	})
	_, n, _ := resp.ReadValue(c.buf)
	out := string(c.buf[:n])
	c.buf = append(c.buf[:0], c.buf[n:]...)
	return out
}

// Pending reads what arrives within wait and returns it: whole replies, or
// nothing from a blocked client. Once what arrived is whole, it waits 20 ms
// more for anything right behind.
func (c *Raw) Pending(wait time.Duration) string {
	c.t.Helper()
	chunk := make([]byte, 64*1024)
	deadline := time.Now().Add(wait)
	for {
		if err := c.conn.SetReadDeadline(deadline); err != nil {
			c.t.Fatal(err)
		}
		n, err := c.conn.Read(chunk)
		c.buf = append(c.buf, chunk[:n]...)
		var ne net.Error
		if errors.As(err, &ne) && ne.Timeout() {
			break
		}
		if err != nil {
			c.t.Fatal(err)
		}
		if _, whole := resp.Replies(c.buf); whole {
			deadline = time.Now().Add(20 * time.Millisecond)
		}
	}
	out := string(c.buf)
	c.buf = c.buf[:0]
	return out
}

// SkipRDB reads the RDB that answers SYNC ("$<len>\r\n" and the bytes,
// after the newlines a master sends while it saves), however long the save
// takes (up to 10 s): what follows is the replication stream.
func (c *Raw) SkipRDB() {
	c.t.Helper()
	end := 0
	c.readUntil(10*time.Second, "the RDB", func() int {
		b := bytes.TrimLeft(c.buf, "\n")
		i := bytes.Index(b, []byte("\r\n"))
		if len(b) == 0 || b[0] != '$' || i < 0 {
			return 0
		}
		size, err := strconv.Atoi(string(b[1:i]))
		if err != nil {
			c.t.Fatalf("the SYNC payload's header %q", b[:i])
		}
		if len(b) < i+2+size {
			return 0
		}
		end = len(c.buf) - len(b) + i + 2 + size
		return end
	})
	c.buf = append(c.buf[:0], c.buf[end:]...)
}

// readUntil reads until done reports a length > 0, for at most d.
func (c *Raw) readUntil(d time.Duration, what string, done func() int) {
	c.t.Helper()
	if err := c.conn.SetReadDeadline(time.Now().Add(d)); err != nil {
		c.t.Fatal(err)
	}
	chunk := make([]byte, 64*1024)
	for done() == 0 {
		n, err := c.conn.Read(chunk)
		c.buf = append(c.buf, chunk[:n]...)
		if err != nil {
			c.t.Fatalf("waiting for %s from redis-server: %v", what, err)
		}
	}
}

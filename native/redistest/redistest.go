// Package redistest starts the real redis-server for differential tests:
// the one harness the core's side-by-side tests share. Without
// redis-server a test is skipped, except when CI is set: there a missing
// server is a failure, not a silent pass.
package redistest

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"
)

// Bin returns redis-server's path; without one it skips the test, or fails
// it when the CI environment variable is set. Under js/wasm (make wasm-test
// runs the core's tests in node) no process can be started: always a skip.
func Bin(t testing.TB) string {
	t.Helper()
	if runtime.GOOS == "js" {
		t.Skip("no redis-server under js/wasm: the differential tests run natively")
	}
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("redis-server is not installed, and CI is set: the differential tests must run (apt-get install redis-server)")
		}
		t.Skip("redis-server is not installed")
	}
	return bin
}

// Options describe a server to start.
type Options struct {
	// Dir is its directory (dir, logfile redis.log); "" makes a new one.
	Dir string
	// Port; 0 picks a free one (and checks the server answering there is
	// the one started, so another test's is never used).
	Port int
	// Args are more command-line options ("--name", "value"...).
	Args []string
}

// Server is a running redis-server, stopped when the test ends.
type Server struct {
	Port int
	Addr string // "127.0.0.1:port"
	Dir  string
	Pid  int
}

// Log is the server's log so far.
func (s *Server) Log() string {
	b, _ := os.ReadFile(filepath.Join(s.Dir, "redis.log"))
	return string(b)
}

// Start starts redis-server as opts say and returns once it answers PING
// (its dataset loaded).
func Start(t testing.TB, opts Options) *Server {
	t.Helper()
	bin := Bin(t)
	if opts.Dir == "" {
		opts.Dir = t.TempDir()
	}
	for range 5 {
		port := opts.Port
		if port == 0 {
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			port = ln.Addr().(*net.TCPAddr).Port
			ln.Close()
		}
		args := append([]string{"--port", strconv.Itoa(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
			"--daemonize", "no", "--dir", opts.Dir, "--logfile", "redis.log"}, opts.Args...)
		cmd := exec.Command(bin, args...)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		exited := make(chan struct{})
		go func() { _ = cmd.Wait(); close(exited) }()
		stop := func() { _ = cmd.Process.Kill(); <-exited }
		s := &Server{Port: port, Addr: net.JoinHostPort("127.0.0.1", strconv.Itoa(port)), Dir: opts.Dir, Pid: cmd.Process.Pid}
		if s.ready(exited) {
			t.Cleanup(func() {
				stop()
				if t.Failed() {
					t.Logf("log of redis-server on port %d:\n%s", port, s.Log())
				}
			})
			return s
		}
		stop()
		if opts.Port != 0 {
			t.Fatalf("redis-server did not start on port %d:\n%s", port, s.Log())
		}
	}
	t.Fatal("could not start redis-server on a free port")
	return nil
}

// ready waits until the server answers as the process started: its INFO
// shows our pid, and it is not loading.
func (s *Server) ready(exited <-chan struct{}) bool {
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case <-exited:
			return false
		default:
		}
		conn, err := net.Dial("tcp", s.Addr)
		if err != nil {
			time.Sleep(10 * time.Millisecond)
			continue
		}
		info, err := infoServer(conn)
		conn.Close()
		switch {
		case err != nil || strings.HasPrefix(info, "-LOADING"):
			time.Sleep(10 * time.Millisecond)
		case strings.Contains(info, "\r\nprocess_id:"+strconv.Itoa(s.Pid)+"\r\n"):
			return true
		default:
			return false // another server has the port
		}
	}
	return false
}

// infoServer sends INFO server and returns the reply's text.
func infoServer(conn net.Conn) (string, error) {
	conn.SetDeadline(time.Now().Add(2 * time.Second))
	if _, err := conn.Write([]byte("*2\r\n$4\r\nINFO\r\n$6\r\nserver\r\n")); err != nil {
		return "", err
	}
	r := bufio.NewReader(conn)
	line, err := r.ReadString('\n')
	if err != nil || !strings.HasPrefix(line, "$") {
		return line, err
	}
	n, err := strconv.Atoi(strings.TrimSpace(line[1:]))
	if err != nil {
		return "", fmt.Errorf("bad INFO reply %q", line)
	}
	buf := make([]byte, n+2)
	_, err = io.ReadFull(r, buf)
	return string(buf), err
}

// Conn is the smallest RESP2 client that does for these tests.
type Conn struct {
	c net.Conn
	r *bufio.Reader
}

// Dial connects a client, closed when the test ends.
func (s *Server) Dial(t testing.TB) *Conn {
	t.Helper()
	c, err := net.Dial("tcp", s.Addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return &Conn{c, bufio.NewReader(c)}
}

// Do sends a command and returns the reply: string (simple), error, int64,
// []byte (bulk; nil for the null bulk) or []any (nil for the null array).
func (c *Conn) Do(t testing.TB, args ...[]byte) any {
	t.Helper()
	b := fmt.Appendf(nil, "*%d\r\n", len(args))
	for _, a := range args {
		b = fmt.Appendf(b, "$%d\r\n%s\r\n", len(a), a)
	}
	c.c.SetDeadline(time.Now().Add(10 * time.Second))
	if _, err := c.c.Write(b); err != nil {
		t.Fatal(err)
	}
	v, err := c.read()
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// DoStrings is Do with string arguments.
func (c *Conn) DoStrings(t testing.TB, args ...string) any {
	t.Helper()
	bs := make([][]byte, len(args))
	for i, a := range args {
		bs[i] = []byte(a)
	}
	return c.Do(t, bs...)
}

func (c *Conn) read() (any, error) {
	line, err := c.r.ReadString('\n')
	if err != nil {
		return nil, err
	}
	line = strings.TrimSuffix(line, "\r\n")
	if line == "" {
		return nil, fmt.Errorf("empty reply line")
	}
	switch line[0] {
	case '+':
		return line[1:], nil
	case '-':
		return fmt.Errorf("%s", line[1:]), nil
	case ':':
		return strconv.ParseInt(line[1:], 10, 64)
	case '$':
		n, _ := strconv.Atoi(line[1:])
		if n < 0 {
			return []byte(nil), nil
		}
		b := make([]byte, n+2)
		_, err := io.ReadFull(c.r, b)
		return b[:n], err
	case '*':
		n, _ := strconv.Atoi(line[1:])
		if n < 0 {
			return []any(nil), nil
		}
		out := make([]any, n)
		for i := range out {
			if out[i], err = c.read(); err != nil {
				return nil, err
			}
		}
		return out, nil
	}
	return nil, fmt.Errorf("unexpected reply %q", line)
}

//go:build !js

// Package e2e holds syncscope's end-to-end tests and their harness: it
// builds bin/syncscope-server once, starts it (or the real redis-server) as
// a process on a free port with a config file, and talks RESP to it. The
// tests are how the whole project proves itself against real clients.
package e2e

import (
	"bytes"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/syncscope/syncscope/core/resp"
	"github.com/syncscope/syncscope/native/internal/proc"
	"github.com/syncscope/syncscope/native/redistest"
)

// Timeout bounds every wait in the harness: start-up, replies, exits.
const Timeout = 20 * time.Second

var (
	buildOnce sync.Once
	buildDir  string
	buildPath string
	buildErr  error
)

// Build compiles syncscope-server once per test process (with -race when
// the tests run with it) and returns its path. Call Cleanup from TestMain.
func Build() (string, error) {
	buildOnce.Do(func() {
		buildDir, buildErr = os.MkdirTemp("", "syncscope-e2e-")
		if buildErr != nil {
			return
		}
		buildPath = filepath.Join(buildDir, "syncscope-server")
		args := []string{"build", "-o", buildPath}
		if raceEnabled {
			args = append(args, "-race")
		}
		args = append(args, "github.com/syncscope/syncscope/native/cmd/syncscope-server")
		out, err := exec.Command("go", args...).CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("go build syncscope-server: %w\n%s", err, out)
		}
	})
	return buildPath, buildErr
}

// Cleanup removes what Build made.
func Cleanup() {
	if buildDir != "" {
		os.RemoveAll(buildDir)
	}
}

// Options describe a server to start.
type Options struct {
	// Redis starts the real redis-server instead of syncscope-server (the
	// test is skipped when it is not installed, or fails when CI is set).
	Redis bool
	// Config is extra redis.conf lines; port, bind, dir, logfile and
	// "save ''" come first, so these lines can override them.
	Config string
	// Dir is the data directory; "" makes a new one. Restart reuses it.
	Dir string
	// Port; 0 picks a free one.
	Port int
}

// Server is a server process under test.
type Server struct {
	t    testing.TB
	opts Options
	bin  string
	Proc *proc.Process
	Port int
	Dir  string
	Conf string // the config file
}

// Start starts a server with opts and waits until it accepts connections.
// It is stopped (SIGTERM, then SIGKILL) when the test ends.
func Start(t testing.TB, opts Options) *Server {
	t.Helper()
	bin := "redis-server"
	if opts.Redis {
		bin = redistest.Bin(t)
	} else {
		var err error
		if bin, err = Build(); err != nil {
			t.Fatal(err)
		}
	}
	if opts.Dir == "" {
		opts.Dir = t.TempDir()
	}
	if opts.Port == 0 {
		port, err := proc.FreePort()
		if err != nil {
			t.Fatal(err)
		}
		opts.Port = port
	}
	s := &Server{t: t, opts: opts, bin: bin, Port: opts.Port, Dir: opts.Dir, Conf: filepath.Join(opts.Dir, "server.conf")}
	conf := fmt.Sprintf("port %d\nbind 127.0.0.1\ndir %s\nlogfile server.log\nsave \"\"\n%s\n", opts.Port, opts.Dir, opts.Config)
	if !opts.Redis && !strings.Contains(opts.Config, "enable-debug-command") {
		// Tests compare datasets with DEBUG DIGEST, which our server, as
		// Redis, refuses by default; they connect over loopback.
		conf += "enable-debug-command local\n"
	}
	if err := os.WriteFile(s.Conf, []byte(conf), 0o644); err != nil {
		t.Fatal(err)
	}
	s.start()
	t.Cleanup(func() {
		s.Proc.Stop()
		if t.Failed() {
			t.Logf("log of the server on port %d:\n%s", s.Port, s.Log())
		}
	})
	return s
}

func (s *Server) start() {
	s.t.Helper()
	out, err := os.OpenFile(filepath.Join(s.Dir, "stdout.log"), os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
	if err != nil {
		s.t.Fatal(err)
	}
	defer out.Close()
	if s.Proc, err = proc.Start(s.bin, s.Port, out, s.Conf); err != nil {
		s.t.Fatal(err)
	}
	if err := s.Proc.WaitPort(Timeout); err != nil {
		s.t.Fatalf("%v\nlog:\n%s\nstdout:\n%s", err, s.Log(), s.read("stdout.log"))
	}
}

// Restart starts the server again in the same dir on the same port, after
// it has exited (see Wait).
func (s *Server) Restart() {
	s.t.Helper()
	if !s.Proc.Exited() {
		s.t.Fatalf("Restart: the server on port %d is still running", s.Port)
	}
	s.start()
}

// Wait waits for the server to exit and returns its exit code.
func (s *Server) Wait() int {
	s.t.Helper()
	code, err := s.Proc.Wait(Timeout)
	if err != nil {
		s.t.Fatal(err)
	}
	return code
}

// Signal sends sig to the server.
func (s *Server) Signal(sig syscall.Signal) {
	s.t.Helper()
	if err := s.Proc.Signal(sig); err != nil {
		s.t.Fatal(err)
	}
}

// Log returns the server's log file so far.
func (s *Server) Log() string { return s.read("server.log") }

func (s *Server) read(name string) string {
	b, _ := os.ReadFile(filepath.Join(s.Dir, name))
	return string(b)
}

// WaitLog waits until the log contains text and returns the log.
func (s *Server) WaitLog(text string) string {
	s.t.Helper()
	deadline := time.Now().Add(Timeout)
	for {
		log := s.Log()
		if strings.Contains(log, text) {
			return log
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("the log of the server on port %d has no %q after %v:\n%s", s.Port, text, Timeout, log)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// DumpPath is dir/dump.rdb.
func (s *Server) DumpPath() string { return filepath.Join(s.Dir, "dump.rdb") }

// Client connects a new client to the server, closed when the test ends.
func (s *Server) Client() *Client {
	s.t.Helper()
	c, err := Dial(s.t, net.JoinHostPort("127.0.0.1", strconv.Itoa(s.Port)))
	if err != nil {
		s.t.Fatal(err)
	}
	return c
}

// Client is a raw RESP client: it sends commands built with
// resp.AppendCommand and reads replies with resp.ReadValue.
type Client struct {
	t testing.TB
	replyReader
	out []byte
}

// replyReader reads RESP replies from a connection, keeping what it read
// past the last one: the tests' Client and the boundary fuzzer's
// connections share it.
type replyReader struct {
	conn net.Conn
	buf  []byte // buf[r:] is read but not yet parsed
	r    int
}

// Dial connects to addr ("host:port").
func Dial(t testing.TB, addr string) (*Client, error) {
	conn, err := net.DialTimeout("tcp", addr, Timeout)
	if err != nil {
		return nil, err
	}
	c := &Client{t: t, replyReader: replyReader{conn: conn}}
	t.Cleanup(func() { conn.Close() })
	return c, nil
}

// Send writes one command without waiting for its reply (pipelining).
func (c *Client) Send(args ...string) {
	c.t.Helper()
	bargs := make([][]byte, len(args))
	for i, a := range args {
		bargs[i] = []byte(a)
	}
	c.out = resp.AppendCommand(c.out[:0], bargs...)
	c.conn.SetWriteDeadline(time.Now().Add(Timeout))
	if _, err := c.conn.Write(c.out); err != nil {
		c.t.Fatalf("sending %q: %v", args, err)
	}
}

// SendRaw writes bytes as they are (inline commands, bad input, pipelines).
func (c *Client) SendRaw(b []byte) {
	c.t.Helper()
	c.conn.SetWriteDeadline(time.Now().Add(Timeout))
	if _, err := c.conn.Write(b); err != nil {
		c.t.Fatalf("sending: %v", err)
	}
}

// Read reads one reply.
func (c *Client) Read() resp.Value {
	c.t.Helper()
	v, err := c.read()
	if err != nil {
		c.t.Fatalf("reading a reply: %v", err)
	}
	return v
}

func (c *Client) read() (resp.Value, error) {
	v, _, err := c.readRaw()
	return v, err
}

// readRaw returns the next reply decoded and as raw bytes (a copy).
func (c *Client) readRaw() (resp.Value, []byte, error) { return c.next(Timeout) }

// next returns the next reply decoded and as raw bytes (a copy), waiting
// at most timeout for it.
func (c *replyReader) next(timeout time.Duration) (resp.Value, []byte, error) {
	c.conn.SetReadDeadline(time.Now().Add(timeout))
	for {
		if c.r < len(c.buf) {
			v, n, err := resp.ReadValue(c.buf[c.r:])
			if err != nil {
				return resp.Value{}, nil, fmt.Errorf("bad reply %q: %w", trim(c.buf[c.r:]), err)
			}
			if n > 0 {
				raw := bytes.Clone(c.buf[c.r : c.r+n])
				c.r += n
				return v, raw, nil
			}
		}
		if c.r == len(c.buf) {
			c.buf, c.r = c.buf[:0], 0
		}
		if cap(c.buf)-len(c.buf) < 16<<10 {
			grown := make([]byte, len(c.buf)-c.r, 2*(len(c.buf)-c.r)+64<<10)
			copy(grown, c.buf[c.r:])
			c.buf, c.r = grown, 0
		}
		n, err := c.conn.Read(c.buf[len(c.buf):cap(c.buf)])
		c.buf = c.buf[:len(c.buf)+n]
		if err != nil {
			return resp.Value{}, nil, err
		}
	}
}

// Do sends a command and returns its reply.
func (c *Client) Do(args ...string) resp.Value {
	c.t.Helper()
	c.Send(args...)
	return c.Read()
}

// CLI sends a command and returns its reply as redis-cli prints it, e.g.
// `"redis"`, `(integer) 1`, `(error) ERR ...`, `(nil)`.
func (c *Client) CLI(args ...string) string {
	c.t.Helper()
	return resp.FormatCLI(c.Do(args...))
}

// Closed waits until the server closes the connection and reports whether it
// did so (rather than sending more data).
func (c *Client) Closed() bool {
	c.t.Helper()
	c.conn.SetReadDeadline(time.Now().Add(Timeout))
	var b [1]byte
	_, err := c.conn.Read(b[:])
	return err != nil && !errors.Is(err, os.ErrDeadlineExceeded)
}

func trim(b []byte) []byte {
	if len(b) > 200 {
		return append(bytes.Clone(b[:200]), "..."...)
	}
	return b
}

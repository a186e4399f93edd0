package server

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/syncscope/syncscope/core/config"
	"github.com/syncscope/syncscope/core/resp"
	"github.com/syncscope/syncscope/native/internal/proc"
)

func TestErrText(t *testing.T) {
	refused := &net.OpError{Op: "dial", Net: "tcp", Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)}
	tests := []struct {
		err  error
		want string
	}{
		{nil, ""},
		{io.EOF, ""},
		{fmt.Errorf("read: %w", io.EOF), ""},
		{refused, "Connection refused"},
		{&net.OpError{Op: "read", Net: "tcp", Err: os.NewSyscallError("read", syscall.ECONNRESET)}, "Connection reset by peer"},
		{&net.OpError{Op: "dial", Net: "tcp", Err: os.NewSyscallError("connect", syscall.EHOSTUNREACH)}, "No route to host"},
		{&net.OpError{Op: "dial", Net: "tcp", Err: os.NewSyscallError("connect", syscall.ETIMEDOUT)}, "Connection timed out"},
		{&net.OpError{Op: "write", Net: "tcp", Err: os.NewSyscallError("write", syscall.EPIPE)}, "Broken pipe"},
		{context.DeadlineExceeded, "Connection timed out"},
		{&net.DNSError{Err: "no such host", Name: "nowhere.invalid", IsNotFound: true}, "Name or service not known"},
		{&os.PathError{Op: "open", Path: "/x", Err: syscall.ENOENT}, "No such file or directory"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, ErrText(tt.err), "%v", tt.err)
	}
}

// A real dial to a closed port and one that times out are worded as strerror.
func TestErrTextFromRealDials(t *testing.T) {
	port := freePort(t)
	_, err := net.Dial("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)))
	require.Error(t, err)
	assert.Equal(t, "Connection refused", ErrText(err))

	ln := listen(t) // never accepts: the read below times out
	conn, err := net.Dial("tcp", ln.Addr().String())
	require.NoError(t, err)
	defer conn.Close()
	conn.SetReadDeadline(time.Now().Add(time.Millisecond))
	_, err = conn.Read(make([]byte, 1))
	assert.Equal(t, "Connection timed out", ErrText(err))
}

func TestListenErrText(t *testing.T) {
	ln := listen(t)
	_, err := net.Listen("tcp4", ln.Addr().String())
	require.Error(t, err)
	assert.Equal(t, "bind: Address already in use", listenErrText(err))
}

func TestWriteRDBFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "dump.rdb")
	require.NoError(t, writeRDBFile(path, []byte("first"), 42))
	require.NoError(t, writeRDBFile(path, []byte("second"), 42))
	got, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, "second", string(got))
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	require.Len(t, entries, 1, "the temp file is renamed, not left behind")

	missing := filepath.Join(dir, "missing")
	err = writeRDBFile(filepath.Join(missing, "dump.rdb"), []byte("x"), 42)
	require.Error(t, err)
	assert.Equal(t, "Failed opening the temp RDB file temp-42.rdb (in server root dir unknown) for saving: No such file or directory", err.Error(), "Redis's getcwd() fails for a directory that is gone")

	// A temp file that cannot be opened for writing, and a full disk.
	require.NoError(t, os.Mkdir(filepath.Join(dir, "temp-43.rdb"), 0o755))
	err = writeRDBFile(path, []byte("x"), 43)
	assert.Equal(t, "Failed opening the temp RDB file temp-43.rdb (in server root dir "+dir+") for saving: Is a directory", err.Error())
	if _, err := os.Stat("/dev/full"); err == nil {
		require.NoError(t, os.Symlink("/dev/full", filepath.Join(dir, "temp-44.rdb")))
		err = writeRDBFile(path, []byte("x"), 44)
		assert.Equal(t, "Write error saving DB on disk(fflush): No space left on device", err.Error())
		assert.NoFileExists(t, filepath.Join(dir, "temp-44.rdb"), "the temp file is removed")
	}
	got, err = os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, "second", string(got), "a failed save leaves the previous dump")
}

// The server runs in-process here, so the race detector sees the driver's
// goroutines under load.
func TestServeManyClientsThenSigterm(t *testing.T) {
	srv, cfg, log := start(t, "save 3600 1")
	addr := srv.Addrs()[0].String()
	var wg sync.WaitGroup
	for i := range 20 {
		wg.Go(func() {
			c := dial(t, addr)
			defer c.Close()
			var out []byte
			for j := range 50 {
				out = resp.AppendCommand(out, []byte("SET"), fmt.Appendf(nil, "k%d-%d", i, j), []byte("v"))
			}
			_, err := c.Write(out)
			assert.NoError(t, err)
			for range 50 {
				assert.Equal(t, "OK", resp.FormatCLI(readValue(t, c)))
			}
		})
	}
	wg.Wait()
	c := dial(t, addr)
	_, err := c.Write(resp.AppendCommand(nil, []byte("DBSIZE")))
	require.NoError(t, err)
	assert.Equal(t, "(integer) 1000", resp.FormatCLI(readValue(t, c)))

	srv.Signal("SIGTERM")
	assert.Equal(t, 0, srv.Wait())
	assert.Contains(t, log.String(), "Received SIGTERM scheduling shutdown...")
	assert.Contains(t, log.String(), "DB saved on disk")
	assert.FileExists(t, filepath.Join(cfg.Dir, "dump.rdb"))
	_, err = net.Dial("tcp", addr)
	assert.Error(t, err, "the listener is closed at exit")
}

// doCLI sends one command on c and returns its reply as redis-cli prints it.
func doCLI(t *testing.T, c net.Conn, args ...string) string {
	t.Helper()
	var b [][]byte
	for _, a := range args {
		b = append(b, []byte(a))
	}
	_, err := c.Write(resp.AppendCommand(nil, b...))
	require.NoError(t, err)
	return resp.FormatCLI(readValue(t, c))
}

func TestBackgroundSaveWhileWriting(t *testing.T) {
	srv, cfg, _ := start(t, "")
	c := dial(t, srv.Addrs()[0].String())
	do := func(args ...string) string { return doCLI(t, c, args...) }
	for i := range 2000 {
		do("SET", "k"+strconv.Itoa(i), strings.Repeat("v", 50))
	}
	require.Equal(t, "Background saving started", do("BGSAVE"))
	// Writes keep being served while the snapshot is encoded: copy on write.
	for i := range 2000 {
		do("SET", "k"+strconv.Itoa(i), "changed")
	}
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(do("INFO", "persistence"), "rdb_bgsave_in_progress:0") {
		require.True(t, time.Now().Before(deadline), "BGSAVE did not finish")
		time.Sleep(time.Millisecond)
	}
	assert.FileExists(t, filepath.Join(cfg.Dir, "dump.rdb"))
	c.Write(resp.AppendCommand(nil, []byte("SHUTDOWN"), []byte("NOSAVE")))
	assert.Equal(t, 0, srv.Wait())
}

func TestStartFailsOnBusyPort(t *testing.T) {
	ln := listen(t)
	port := ln.Addr().(*net.TCPAddr).Port
	cfg, _, err := config.Load([]string{"--port", strconv.Itoa(port), "--bind", "127.0.0.1", "--dir", t.TempDir()}, nil)
	require.NoError(t, err)
	var log syncBuffer
	_, err = Start(cfg, Options{Stdout: &log})
	require.ErrorIs(t, err, ErrStartup)
	assert.Contains(t, log.String(), fmt.Sprintf("# Warning: Could not create server TCP listening socket 127.0.0.1:%d: bind: Address already in use\n", port))
	assert.Contains(t, log.String(), fmt.Sprintf("# Failed listening on port %d (TCP), aborting.\n", port))
}

func TestStartFailsOnUnreadableDump(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.Mkdir(filepath.Join(dir, "dump.rdb"), 0o755)) // reading a directory fails
	cfg, _, err := config.Load([]string{"--port", strconv.Itoa(freePort(t)), "--bind", "127.0.0.1", "--dir", dir}, nil)
	require.NoError(t, err)
	var log syncBuffer
	_, err = Start(cfg, Options{Stdout: &log})
	require.ErrorIs(t, err, ErrStartup)
	assert.Contains(t, log.String(), "# Fatal error loading the DB: Is a directory. Exiting.")
}

func TestOptionalBindAddressIsSkipped(t *testing.T) {
	// 192.0.2.1 (TEST-NET-1) is not on this host: optional, so skipped.
	cfg, _, err := config.Load([]string{"--port", strconv.Itoa(freePort(t)), "--bind", "-192.0.2.1", "127.0.0.1", "--dir", t.TempDir(), "--save", ""}, nil)
	require.NoError(t, err)
	var log syncBuffer
	srv, err := Start(cfg, Options{Stdout: &log})
	require.NoError(t, err, log.String())
	require.Len(t, srv.Addrs(), 1)
	srv.Signal("SIGINT")
	assert.Equal(t, 0, srv.Wait())
}

func start(t *testing.T, extra string) (*Server, *config.Config, *syncBuffer) {
	t.Helper()
	return startWith(t, extra, Options{})
}

// startWith is start with opts (its Stdout is replaced by the log buffer).
func startWith(t *testing.T, extra string, opts Options) (*Server, *config.Config, *syncBuffer) {
	t.Helper()
	text := fmt.Sprintf("port %d\nbind 127.0.0.1\ndir %s\nsave \"\"\n%s\n", freePort(t), t.TempDir(), extra)
	cfg, _, err := config.Parse(text, nil)
	require.NoError(t, err)
	log := &syncBuffer{}
	opts.Stdout = log
	srv, err := Start(cfg, opts)
	require.NoError(t, err, log.String())
	t.Cleanup(func() {
		srv.Signal("SIGTERM")
		srv.Wait()
		if t.Failed() {
			t.Logf("server log:\n%s", log.String())
		}
	})
	return srv, cfg, log
}

func freePort(t *testing.T) int {
	t.Helper()
	port, err := proc.FreePort()
	require.NoError(t, err)
	return port
}

func listen(t *testing.T) net.Listener {
	t.Helper()
	ln, err := net.Listen("tcp4", net.JoinHostPort("127.0.0.1", strconv.Itoa(freePort(t))))
	require.NoError(t, err)
	t.Cleanup(func() { ln.Close() })
	return ln
}

func dial(t *testing.T, addr string) net.Conn {
	t.Helper()
	c, err := net.DialTimeout("tcp", addr, 5*time.Second)
	require.NoError(t, err)
	t.Cleanup(func() { c.Close() })
	return c
}

// readValue reads exactly one reply (the test protocol is request/reply, so
// nothing is read past it).
func readValue(t *testing.T, c net.Conn) resp.Value {
	t.Helper()
	c.SetReadDeadline(time.Now().Add(10 * time.Second))
	var buf []byte
	b := make([]byte, 1)
	for {
		if len(buf) > 0 {
			v, n, err := resp.ReadValue(buf)
			require.NoError(t, err)
			if n > 0 {
				return v
			}
		}
		_, err := c.Read(b)
		require.NoError(t, err)
		buf = append(buf, b[0])
	}
}

// syncBuffer is a log the test reads while the server writes it.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// CONFIG SET port moves the TCP listener (changeListenPort), and a port
// the server cannot listen on undoes the whole CONFIG SET with Redis's
// error and log lines, checked against redis-server 7.0.15: the server
// stays on its old port.
func TestConfigSetPortMovesListener(t *testing.T) {
	srv, _, log := start(t, "")
	c := dial(t, srv.Addrs()[0].String())
	do := func(c net.Conn, args ...string) string { return doCLI(t, c, args...) }
	old := srv.Addrs()[0].(*net.TCPAddr).Port
	busy := listen(t).Addr().(*net.TCPAddr).Port
	assert.Equal(t, "(error) ERR CONFIG SET failed (possibly related to argument 'port') - Unable to listen on this port. Check server logs.",
		do(c, "CONFIG", "SET", "maxmemory", "10000001", "port", strconv.Itoa(busy)))
	assert.Contains(t, log.String(), fmt.Sprintf("# Warning: Could not create server TCP listening socket 127.0.0.1:%d: bind: Address already in use\n", busy))
	assert.Contains(t, log.String(), "# Failed applying new configuration. Possibly related to new port setting. Restoring previous settings.\n")
	assert.Equal(t, "1) \"maxmemory\"\n2) \"0\"", do(c, "CONFIG", "GET", "maxmemory"))
	assert.Equal(t, "PONG", do(dial(t, srv.Addrs()[0].String()), "PING"))

	port := freePort(t)
	assert.Equal(t, "OK", do(c, "CONFIG", "SET", "port", strconv.Itoa(port)))
	assert.Equal(t, "PONG", do(dial(t, net.JoinHostPort("127.0.0.1", strconv.Itoa(port))), "PING"))
	assert.Equal(t, "PONG", do(c, "PING"), "connected clients stay")
	_, err := net.Dial("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(old)))
	assert.Error(t, err, "the old port is closed")
	assert.Equal(t, port, srv.Addrs()[0].(*net.TCPAddr).Port)
}

//go:build !js

package command

import (
	"bufio"
	"fmt"
	"net"
	"os/exec"
	"sort"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/syncscope/syncscope/core/resp"
)

// realRedis is a redis-server started for a side-by-side test.
type realRedis struct {
	conn net.Conn
	r    *bufio.Reader
	buf  []byte
}

// startRealRedis starts redis-server on port (each test file picks its own)
// and returns a client; the test skips when redis-server is not installed.
func startRealRedis(t *testing.T, port int) *realRedis {
	t.Helper()
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		t.Skip("redis-server not installed")
	}
	cmd := exec.Command(bin, "--port", strconv.Itoa(port), "--bind", "127.0.0.1", "--save", "",
		"--appendonly", "no", "--dir", t.TempDir(), "--daemonize", "no")
	require.NoError(t, cmd.Start())
	t.Cleanup(func() { _ = cmd.Process.Kill(); _, _ = cmd.Process.Wait() })
	var conn net.Conn
	for i := 0; i < 100; i++ {
		conn, err = net.Dial("tcp", fmt.Sprintf("127.0.0.1:%d", port))
		if err == nil {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	require.NoError(t, err, "redis-server did not start on port %d", port)
	t.Cleanup(func() { conn.Close() })
	return &realRedis{conn: conn, r: bufio.NewReader(conn)}
}

// Do sends one command and returns the raw reply bytes.
func (rr *realRedis) Do(t *testing.T, args ...[]byte) string {
	t.Helper()
	_, err := rr.conn.Write(resp.AppendCommand(nil, args...))
	require.NoError(t, err)
	rr.conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	for {
		if len(rr.buf) > 0 {
			_, n, err := resp.ReadValue(rr.buf)
			require.NoError(t, err)
			if n > 0 {
				out := string(rr.buf[:n])
				rr.buf = rr.buf[n:]
				return out
			}
		}
		chunk := make([]byte, 64*1024)
		m, err := rr.r.Read(chunk)
		require.NoError(t, err)
		rr.buf = append(rr.buf, chunk[:m]...)
	}
}

// Unordered marks a differential case whose reply is a collection in no
// defined order (SMEMBERS, HGETALL on a hashtable, KEYS): both replies are
// compared with their top-level elements sorted (pairs kept together for maps).
type diffCase struct {
	Args      []string
	Unordered bool
	Pairs     bool // with Unordered: elements come in pairs (HGETALL)
}

// runDiff runs every case against real redis-server and the harness, in the
// same order, and requires identical raw replies.
func runDiff(t *testing.T, port int, cases []diffCase) {
	t.Helper()
	rr := startRealRedis(t, port)
	h := newHarness(t)
	for _, c := range cases {
		argv := make([][]byte, len(c.Args))
		for i, a := range c.Args {
			argv[i] = []byte(a)
		}
		want := rr.Do(t, argv...)
		got := h.DoBytes(argv)
		if c.Unordered {
			want, got = canonical(t, want, c.Pairs), canonical(t, got, c.Pairs)
		}
		require.Equal(t, want, got, "command %q", c.Args)
	}
}

// canonical renders a reply with its top-level elements sorted.
func canonical(t *testing.T, raw string, pairs bool) string {
	v, _, err := resp.ReadValue([]byte(raw))
	require.NoError(t, err)
	if len(v.Elems) == 0 {
		return raw
	}
	var items []string
	step := 1
	if pairs {
		step = 2
	}
	for i := 0; i+step <= len(v.Elems); i += step {
		s := ""
		for _, e := range v.Elems[i : i+step] {
			s += fmt.Sprintf("%c%q%d|", e.Kind, e.Str, e.Int)
		}
		items = append(items, s)
	}
	sort.Strings(items)
	return fmt.Sprint(v.Kind, len(v.Elems), items)
}

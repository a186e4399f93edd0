//go:build !js

package command

import (
	"bufio"
	"fmt"
	"net"
	"os/exec"
	"sort"
	"strconv"
	"strings"
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

// startRealRedis starts redis-server on a free port of 127.0.0.1 with dir as
// its directory (a new temporary one when empty) and extra arguments, and
// returns a client once it has loaded its dataset. A port free when picked
// may be taken before redis-server binds it, so the server answering must
// report the process id of the one started; otherwise another port is
// tried, and no other test's server is ever written to.
func startRealRedis(t *testing.T, dir string, extra ...string) *realRedis {
	t.Helper()
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		t.Skip("redis-server not installed")
	}
	if dir == "" {
		dir = t.TempDir()
	}
	for range 5 {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		require.NoError(t, err)
		port := ln.Addr().(*net.TCPAddr).Port
		require.NoError(t, ln.Close())
		args := append([]string{"--port", strconv.Itoa(port), "--bind", "127.0.0.1", "--save", "",
			"--appendonly", "no", "--dir", dir, "--daemonize", "no"}, extra...)
		cmd := exec.Command(bin, args...)
		require.NoError(t, cmd.Start())
		exited := make(chan struct{})
		go func() { _ = cmd.Wait(); close(exited) }()
		stop := func() { _ = cmd.Process.Kill(); <-exited }
		if rr := dialRealRedis(t, port, cmd.Process.Pid, exited); rr != nil {
			t.Cleanup(func() { rr.conn.Close(); stop() })
			return rr
		}
		stop()
	}
	t.Fatal("could not start redis-server on a free port")
	return nil
}

// dialRealRedis connects to port until the server there reports pid and has
// loaded its data; nil when the process exited or another one answers.
func dialRealRedis(t *testing.T, port, pid int, exited <-chan struct{}) *realRedis {
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case <-exited:
			return nil
		default:
		}
		conn, err := net.Dial("tcp", fmt.Sprintf("127.0.0.1:%d", port))
		if err != nil {
			time.Sleep(20 * time.Millisecond)
			continue
		}
		rr := &realRedis{conn: conn, r: bufio.NewReader(conn)}
		for time.Now().Before(deadline) {
			info := rr.Do(t, []byte("INFO"), []byte("server"))
			if strings.HasPrefix(info, "-LOADING") {
				time.Sleep(20 * time.Millisecond)
				continue
			}
			if !strings.Contains(info, "\r\nprocess_id:"+strconv.Itoa(pid)+"\r\n") {
				conn.Close()
				return nil
			}
			return rr
		}
		conn.Close()
	}
	return nil
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
func runDiff(t *testing.T, cases []diffCase) {
	t.Helper()
	rr := startRealRedis(t, "")
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

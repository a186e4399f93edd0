//go:build !js

package command

import (
	"bufio"
	"bytes"
	"fmt"
	"net"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/syncscope/syncscope/core/resp"
	"github.com/syncscope/syncscope/native/redistest"
)

// realRedis is a redis-server started for a side-by-side test.
type realRedis struct {
	conn net.Conn
	r    *bufio.Reader
	buf  []byte
}

// startRealRedis starts redis-server (redistest) with dir as its directory
// (a new temporary one when empty) and extra arguments, and returns a client.
func startRealRedis(t *testing.T, dir string, extra ...string) *realRedis {
	t.Helper()
	srv := redistest.Start(t, redistest.Options{Dir: dir, Args: extra})
	conn, err := net.Dial("tcp", srv.Addr)
	require.NoError(t, err)
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

// dc builds a diff case from a space-separated command line.
func dc(line string) diffCase { return diffCase{Args: strings.Fields(line)} }

// dcu is dc for a reply in no defined order.
func dcu(line string) diffCase { return diffCase{Args: strings.Fields(line), Unordered: true} }

// dca builds a diff case from explicit arguments (spaces, empty strings).
func dca(args ...string) diffCase { return diffCase{Args: args} }

// sideBySide runs commands on a real redis-server and on the harness, each
// on both in turn, and requires the same raw replies.
type sideBySide struct {
	t  *testing.T
	rr *realRedis
	h  *harness
	// state, when set, says in a failure's message what led to it (the
	// values the failing command read, say).
	state func() string
}

// startSideBySide starts redis-server with extra arguments and a harness.
func startSideBySide(t *testing.T, extra ...string) *sideBySide {
	return &sideBySide{t: t, rr: startRealRedis(t, "", extra...), h: newHarness(t)}
}

// Do runs one command on both and returns redis-server's reply.
func (s *sideBySide) Do(args ...string) string {
	s.t.Helper()
	argv := bytesArgs(args...)
	want := s.rr.Do(s.t, argv...)
	if got := s.h.DoBytes(argv); got != want {
		var state string
		if s.state != nil {
			state = "; " + s.state()
		}
		require.Equal(s.t, want, got, "command %q%s", args, state)
	}
	return want
}

// Redis runs one command on redis-server only and returns its reply.
func (s *sideBySide) Redis(args ...string) string {
	s.t.Helper()
	return s.rr.Do(s.t, bytesArgs(args...)...)
}

// run runs every case, in order; an unordered one's replies are compared
// with their elements sorted.
func (s *sideBySide) run(cases []diffCase) {
	s.t.Helper()
	for _, c := range cases {
		if !c.Unordered {
			s.Do(c.Args...)
			continue
		}
		argv := bytesArgs(c.Args...)
		want, got := s.rr.Do(s.t, argv...), s.h.DoBytes(argv)
		require.Equal(s.t, canonical(s.t, want, c.Pairs), canonical(s.t, got, c.Pairs), "command %q", c.Args)
	}
}

// resp3 switches both sides to RESP3: the real server's connection by
// HELLO 3, skipping its reply by reading up to the PONG sent after it.
func (s *sideBySide) resp3() {
	s.t.Helper()
	_, err := s.rr.conn.Write([]byte("HELLO 3\r\nPING\r\n"))
	require.NoError(s.t, err)
	var got []byte
	buf := make([]byte, 4096)
	for !bytes.HasSuffix(got, []byte("+PONG\r\n")) {
		n, err := s.rr.r.Read(buf)
		require.NoError(s.t, err)
		got = append(got, buf[:n]...)
	}
	s.h.w.Proto = 3
}

// runDiff runs every case against real redis-server and the harness, in the
// same order, and requires identical raw replies.
func runDiff(t *testing.T, cases []diffCase) {
	t.Helper()
	startSideBySide(t).run(cases)
}

// runResp3Diff is runDiff in RESP3 (after HELLO 3).
func runResp3Diff(t *testing.T, cases []diffCase) {
	t.Helper()
	s := startSideBySide(t)
	s.resp3()
	s.run(cases)
}

// bulkPayload returns the content of a raw bulk-string reply.
func bulkPayload(t *testing.T, raw string) string {
	t.Helper()
	require.True(t, strings.HasPrefix(raw, "$"), raw)
	i := strings.Index(raw, "\r\n")
	n, err := strconv.Atoi(raw[1:i])
	require.NoError(t, err)
	return raw[i+2 : i+2+n]
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

// bigCase is "cmd key" then the elements of 0 to n-1 (made from the
// number as a string): a large value in one command (hashBig, listBig...).
func bigCase(cmd, key string, n int, elems func(i string) []string) diffCase {
	args := []string{cmd, key}
	for i := range n {
		args = append(args, elems(strconv.Itoa(i))...)
	}
	return diffCase{Args: args}
}

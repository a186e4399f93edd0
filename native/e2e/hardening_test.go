//go:build !js

package e2e

import (
	"bytes"
	"errors"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/syncscope/syncscope/native/internal/proc"
	"github.com/syncscope/syncscope/native/redistest"
)

// quiet is how long a connection must stay silent for a probe to decide the
// server is waiting for more input rather than about to reply or close.
const quiet = 300 * time.Millisecond

// probeResult is what one connection saw after sending a bad input.
type probeResult struct {
	Reply  string // every byte the server sent
	Closed bool   // the server closed the connection
}

// probe sends input on a new connection to addr and collects the reply until
// the server closes the connection or stays quiet. With closeAfter, the
// client closes its side once the input is sent (half a command, then gone).
func probe(t *testing.T, addr string, input []byte, closeAfter bool) probeResult {
	t.Helper()
	conn, err := net.DialTimeout("tcp", addr, Timeout)
	require.NoError(t, err)
	defer conn.Close()
	// Write in a goroutine: a server that closes early would block a big write.
	go func() {
		conn.SetWriteDeadline(time.Now().Add(Timeout))
		conn.Write(input)
		if closeAfter {
			conn.(*net.TCPConn).CloseWrite()
		}
	}()
	var got bytes.Buffer
	buf := make([]byte, 64<<10)
	deadline := time.Now().Add(Timeout)
	for {
		wait := quiet
		if got.Len() == 0 && !closeAfter {
			wait = 2 * quiet // the first byte may take a while under -race
		}
		conn.SetReadDeadline(time.Now().Add(wait))
		n, err := conn.Read(buf)
		got.Write(buf[:n])
		switch {
		case errors.Is(err, os.ErrDeadlineExceeded):
			return probeResult{Reply: got.String()}
		case err != nil: // EOF or reset: closed by the server
			return probeResult{Reply: got.String(), Closed: true}
		case time.Now().After(deadline):
			t.Fatalf("the server at %s kept sending", addr)
		}
	}
}

// pair is a redis-server and a syncscope-server started with the same config.
type pair struct{ redis, ours *Server }

func startPair(t *testing.T, config string) pair {
	t.Helper()
	var p pair
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done(); p.redis = Start(t, Options{Redis: true, Config: config}) }()
	p.ours = Start(t, Options{Config: config})
	wg.Wait()
	if p.redis == nil {
		t.SkipNow()
	}
	return p
}

func addr(s *Server) string { return net.JoinHostPort("127.0.0.1", strconv.Itoa(s.Port)) }

// compare probes both servers with input and requires the same bytes and the
// same close/no-close behaviour; then both must still serve a new client.
func (p pair) compare(t *testing.T, input []byte, closeAfter bool) probeResult {
	t.Helper()
	var want probeResult
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done(); want = probe(t, addr(p.redis), input, closeAfter) }()
	got := probe(t, addr(p.ours), input, closeAfter)
	wg.Wait()
	assert.Equal(t, want.Reply, got.Reply, "reply bytes")
	assert.Equal(t, want.Closed, got.Closed, "closed by the server (redis-server: %v)", want.Closed)
	// Another client is still served (NOAUTH is an answer too).
	assert.Equal(t, p.redis.Client().CLI("PING"), p.ours.Client().CLI("PING"), "another client is served")
	return want
}

// Every bad input gets the same bytes back from syncscope as from
// redis-server 7.0.15, and the connection is closed exactly when Redis
// closes it.
func TestProtocolAbuseMatchesRedis(t *testing.T) {
	p := startPair(t, "")
	big := func(n int, c byte) string { return strings.Repeat(string(c), n) }
	cases := []struct {
		name       string
		input      string
		closeAfter bool
	}{
		{"garbage bytes with a newline", "\x00\x01\x02\xff\xfegarbage\r\n", false},
		{"binary garbage", "\xde\xad\xbe\xef\x80\x81 \x7f\r\n", false},
		{"garbage with no newline waits", "\x01\x02\x03\x04", false},
		{"bare CRLFs are skipped", "\r\n\r\n\n", false},
		{"unbalanced double quote", "SET \"foo bar\r\n", false},
		{"unbalanced single quote", "SET 'foo bar\r\n", false},
		{"closing quote followed by a char", "SET \"foo\"bar baz\r\n", false},
		{"valid quotes", "ECHO \"a\\x41\\n\" 'b\\'c'\r\n", false},
		{"invalid multibulk length", "*abc\r\n", false},
		{"multibulk count with plus", "*+1\r\n$4\r\nPING\r\n", false},
		{"negative multibulk is empty", "*-5\r\nPING\r\n", false},
		{"multibulk zero is empty", "*0\r\n*1\r\n$4\r\nPING\r\n", false},
		{"multibulk count over INT_MAX", "*3000000000\r\n", false},
		{"multibulk count in the billions waits", "*2000000000\r\n$3\r\nSET\r\n", false},
		{"too big mbulk count string", "*" + big(70000, '1'), false},
		{"expected dollar", "*1\r\nPING\r\n", false},
		{"expected dollar got CR", "*1\r\n\r\n\r\n", false},
		{"invalid bulk length", "*1\r\n$abc\r\n", false},
		{"negative bulk length", "*1\r\n$-1\r\n", false},
		{"bulk length 2^40", "*1\r\n$1099511627776\r\n", false},
		{"bulk length over proto-max-bulk-len", "*2\r\n$3\r\nSET\r\n$536870913\r\n", false},
		{"too big bulk count string", "*1\r\n$" + big(70000, '1'), false},
		{"inline line over 64KB without newline", big(100000, 'A'), false},
		{"inline line over 64KB with newline", big(100000, 'A') + "\r\n", false},
		{"unknown command", "FOO bar baz\r\n", false},
		{"wrong arity", "*1\r\n$3\r\nGET\r\n", false},
		{"HTTP GET", "GET / HTTP/1.1\r\nHost: example.com\r\nUser-Agent: curl/8.0\r\n\r\n", false},
		{"HTTP POST", "POST /x HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello", false},
		{"Host line alone", "Host: 127.0.0.1\r\n", false},
		{"Host line lower case", "host: 127.0.0.1\r\nPING\r\n", false},
		{"POST as multibulk", "*1\r\n$4\r\npost\r\n", false},
		{"good then bad then good", "PING\r\n*1\r\n$x\r\nPING\r\n", false},
		{"half a multibulk then close", "*3\r\n$3\r\nSET\r\n$4\r\nhalf\r\n$5\r\nva", true},
		{"half an inline then close", "SET half val", true},
		{"half a bulk count then close", "*2\r\n$3", true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := p.compare(t, []byte(tc.input), tc.closeAfter)
			t.Logf("redis-server: closed=%v reply=%.120q", r.Closed, r.Reply)
		})
	}
	// Half a SET then a close sets nothing.
	for _, s := range []*Server{p.redis, p.ours} {
		assert.Equal(t, "(nil)", s.Client().CLI("GET", "half"))
	}
	assert.Contains(t, p.ours.Log(), "Possible SECURITY ATTACK detected. It looks like somebody is sending POST or Host: commands to Redis. This is likely due to an attacker attempting to use Cross Protocol Scripting to compromise your Redis instance. Connection aborted.")
	assert.Contains(t, p.redis.Log(), "Possible SECURITY ATTACK detected.")
}

// The limits that keep memory bounded, side by side with redis-server.
func TestLimitsMatchRedis(t *testing.T) {
	t.Run("requirepass before AUTH", func(t *testing.T) {
		p := startPair(t, "requirepass s3cret")
		for _, in := range []string{
			"*11\r\n",                       // unauthenticated multibulk length
			"*2\r\n$3\r\nGET\r\n$16385\r\n", // unauthenticated bulk length
			"*2\r\n$3\r\nGET\r\n$16384\r\n" + strings.Repeat("k", 16384) + "\r\n",
			"GET k\r\n",
			"AUTH wrong\r\n",
			"AUTH default wrong\r\n",
			"AUTH nobody s3cret\r\n",
			"AUTH s3cret\r\nGET k\r\n",
			"AUTH default s3cret\r\n*11\r\n$4\r\nMGET\r\n",
			"HELLO 3\r\n",
			"HELLO 3 AUTH default wrong\r\n",
			"PING\r\nQUIT\r\n",
		} {
			p.compare(t, []byte(in), false)
		}
	})
	t.Run("CONFIG SET requirepass", func(t *testing.T) {
		p := startPair(t, "")
		for _, in := range []string{
			"CONFIG SET requirepass pw\r\nPING\r\n", // this client stays authenticated
			"PING\r\n",
			"AUTH pw\r\nCONFIG GET requirepass\r\n",
			"AUTH default pw\r\nCONFIG SET requirepass \"\"\r\n",
			"PING\r\nAUTH pw\r\n",
		} {
			p.compare(t, []byte(in), false)
		}
	})
	t.Run("proto-max-bulk-len", func(t *testing.T) {
		p := startPair(t, "proto-max-bulk-len 1mb")
		p.compare(t, []byte("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1048577\r\n"), false)
		p.compare(t, []byte("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1048576\r\n"), false) // waits for the value
	})
	t.Run("client-query-buffer-limit", func(t *testing.T) {
		p := startPair(t, "client-query-buffer-limit 1mb")
		// A bulk announced within proto-max-bulk-len, whose bytes overflow the
		// query buffer limit before it is complete.
		in := append([]byte("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$3000000\r\n"), bytes.Repeat([]byte("v"), 2<<20)...)
		r := p.compare(t, in, false)
		assert.True(t, r.Closed)
		for _, s := range []*Server{p.redis, p.ours} {
			assert.Contains(t, s.WaitLog("Closing client that reached max query buffer length"), "qbuf initial bytes:")
		}
	})
	t.Run("maxclients", func(t *testing.T) {
		p := startPair(t, "maxclients 3")
		for _, s := range []*Server{p.redis, p.ours} {
			a, b := s.Client(), s.Client()
			require.Equal(t, "PONG", a.CLI("PING"))
			require.Equal(t, "PONG", b.CLI("PING"))
			third := s.Client()
			assert.Equal(t, "PONG", third.CLI("PING"))
			over := probe(t, addr(s), []byte("PING\r\n"), false)
			assert.Equal(t, probeResult{Reply: "-ERR max number of clients reached\r\n", Closed: true}, over, "server on %d", s.Port)
			third.conn.Close()
			// Once one leaves, a new client is accepted again.
			require.Eventually(t, func() bool {
				r := probe(t, addr(s), []byte("PING\r\n"), false)
				return r.Reply == "+PONG\r\n"
			}, Timeout, 50*time.Millisecond)
			assert.Equal(t, "PONG", a.CLI("PING"))
		}
	})
}

// A flood of large inputs that are each refused leaves the server's memory
// bounded: RSS after many closed abusive clients stays near the start.
func TestAbuseKeepsMemoryBounded(t *testing.T) {
	s := Start(t, Options{Config: "client-query-buffer-limit 1mb"})
	rss := func() int64 {
		b, err := os.ReadFile("/proc/" + strconv.Itoa(s.Proc.Pid()) + "/statm")
		if err != nil {
			t.Skip("no /proc")
		}
		f := strings.Fields(string(b))
		pages, _ := strconv.ParseInt(f[1], 10, 64)
		return pages * int64(os.Getpagesize())
	}
	before := rss()
	chunk := bytes.Repeat([]byte("v"), 4<<20)
	for range 20 {
		conn, err := net.DialTimeout("tcp", addr(s), Timeout)
		require.NoError(t, err)
		conn.SetDeadline(time.Now().Add(Timeout))
		conn.Write([]byte("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$400000000\r\n"))
		conn.Write(chunk) // fails part way once the server closes
		io.Copy(io.Discard, conn)
		conn.Close()
	}
	c := s.Client()
	assert.Equal(t, "PONG", c.CLI("PING"))
	assert.Equal(t, "(nil)", c.CLI("GET", "k"))
	after := rss()
	t.Logf("RSS before %d KB, after 20 refused 400 MB bulks %d KB", before>>10, after>>10)
	assert.Less(t, after-before, int64(64<<20), "memory grew by more than 64 MB")
}

// Slow consumers: a client that stops reading while its replies or
// messages pile up is dropped at client-output-buffer-limit, with Redis's
// log line, and everyone else keeps being served; side by side with
// redis-server.
func TestOutputBufferLimitsMatchRedis(t *testing.T) {
	logLine := `Client id=\d+ addr=127\.0\.0\.1:\d+ laddr=127\.0\.0\.1:\d+ .* (scheduled to be closed ASAP|closed) for overcoming of output buffer limits\.`
	// how is the log's wording: Redis says "scheduled to be closed ASAP"
	// when a new reply crossed the limit, "closed" when clientsCron did.
	how := func(log string) string {
		m := regexp.MustCompile(logLine).FindStringSubmatch(log)
		if m == nil {
			return ""
		}
		return m[1]
	}
	value := strings.Repeat("v", 100<<10)
	// slowGets pipelines n GETs of the big value on c without reading.
	slowGets := func(c *Client, n int) {
		c.SendRaw(bytes.Repeat([]byte("GET big\r\n"), n))
	}
	// dropped reports whether the server closed c (after what it had sent).
	dropped := func(c *Client) bool {
		c.conn.SetReadDeadline(time.Now().Add(Timeout))
		_, err := io.Copy(io.Discard, c.conn)
		return err == nil || !errors.Is(err, os.ErrDeadlineExceeded)
	}
	t.Run("normal hard", func(t *testing.T) {
		p := startPair(t, "client-output-buffer-limit normal 1mb 0 0")
		for _, s := range []*Server{p.redis, p.ours} {
			c := s.Client()
			require.Equal(t, "OK", c.CLI("SET", "big", value))
			slowGets(c, 400) // 40 MB of replies, far more than socket buffers hold
			assert.Equal(t, "scheduled to be closed ASAP", how(s.WaitLog("for overcoming of output buffer limits")), "server on %d", s.Port)
			assert.True(t, dropped(c), "server on %d", s.Port)
			assert.Equal(t, "PONG", s.Client().CLI("PING"))
		}
	})
	t.Run("normal soft", func(t *testing.T) {
		p := startPair(t, "client-output-buffer-limit normal 0 1mb 1")
		for _, s := range []*Server{p.redis, p.ours} {
			c := s.Client()
			require.Equal(t, "OK", c.CLI("SET", "big", value))
			slowGets(c, 200)
			// Past the soft limit for more than 1 s (in whole seconds), the
			// client is dropped without needing more output.
			assert.Equal(t, "closed", how(s.WaitLog("for overcoming of output buffer limits")), "server on %d", s.Port)
			assert.True(t, dropped(c), "server on %d", s.Port)
		}
	})
	t.Run("pubsub", func(t *testing.T) {
		p := startPair(t, "client-output-buffer-limit pubsub 1mb 512kb 60")
		for _, s := range []*Server{p.redis, p.ours} {
			sub, pub := s.Client(), s.Client()
			require.Equal(t, "subscribe", string(sub.Do("SUBSCRIBE", "news").Elems[0].Str))
			msg := strings.Repeat("m", 64<<10)
			assert.EqualValues(t, 1, pub.Do("PUBLISH", "news", msg).Int)
			for range 400 { // 25 MB to a subscriber that reads nothing
				pub.Do("PUBLISH", "news", msg)
			}
			assert.Equal(t, "scheduled to be closed ASAP", how(s.WaitLog("for overcoming of output buffer limits")), "server on %d", s.Port)
			// The publisher is still served, and a new subscriber gets messages.
			late := s.Client()
			require.Equal(t, "subscribe", string(late.Do("SUBSCRIBE", "news").Elems[0].Str))
			assert.EqualValues(t, 1, pub.Do("PUBLISH", "news", "x").Int, "server on %d: only the new subscriber", s.Port)
			assert.Equal(t, "x", string(late.Read().Elems[2].Str))
			assert.True(t, dropped(sub), "server on %d", s.Port)
		}
	})
}

// A save that cannot be written (the temp file cannot be opened, the disk
// is full, the directory is gone) is logged as Redis logs it, leaves the
// previous dump intact, and, for BGSAVE, stops writes with MISCONF until a
// save succeeds or stop-writes-on-bgsave-error is turned off; side by side
// with redis-server.
func TestSaveFaultsMatchRedis(t *testing.T) {
	if _, err := os.Stat("/dev/full"); err != nil {
		t.Skip("no /dev/full to fill the disk with")
	}
	start := func(redis bool) *Server {
		dir := t.TempDir()
		// An absolute log file: Redis reopens a relative one in the new dir.
		return Start(t, Options{Redis: redis, Dir: dir, Config: "save 3600 1\nenable-protected-configs yes\nlogfile " + filepath.Join(dir, "server.log")})
	}
	var servers [2]*Server
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done(); servers[0] = start(true) }()
	servers[1] = start(false)
	wg.Wait()
	if servers[0] == nil {
		t.SkipNow()
	}
	type outcome struct{ Replies, Logs []string }
	lineRE := regexp.MustCompile(`^\d+:([MC]) \d\d \w{3} \d{4} [\d:.]+ (.) (.*)$`)
	var got [2]outcome
	for i, s := range servers {
		pid := strconv.Itoa(s.Proc.Pid())
		tmp := filepath.Join(s.Dir, "temp-"+pid+".rdb")
		c := s.Client()
		var o outcome
		do := func(args ...string) {
			o.Replies = append(o.Replies, strings.ReplaceAll(strings.Join(args, " "), s.Dir, "<dir>")+" -> "+c.CLI(args...))
		}
		status := func() {
			v := c.Do("INFO", "persistence")
			for _, line := range strings.Split(string(v.Str), "\r\n") {
				if strings.HasPrefix(line, "rdb_last_bgsave_status:") {
					o.Replies = append(o.Replies, line)
				}
			}
		}
		logs := func(from int) int {
			log := s.Log()
			for _, line := range strings.Split(log[from:], "\n") {
				m := lineRE.FindStringSubmatch(line)
				if m == nil || m[2] != "#" {
					continue
				}
				text := strings.ReplaceAll(m[3], s.Dir, "<dir>")
				text = regexp.MustCompile(`temp-\d+\.rdb`).ReplaceAllString(text, "temp-<pid>.rdb")
				o.Logs = append(o.Logs, m[1]+" "+text)
			}
			return len(log)
		}
		// Redis listens before it logs its start-up warnings: skip them
		// only once they are all written.
		s.WaitLog("Ready to accept connections")
		mark := logs(0)
		o.Logs = nil

		do("SET", "k", "v1")
		do("SAVE")
		before, err := os.ReadFile(s.DumpPath())
		require.NoError(t, err)

		// SAVE with a temp file that cannot be opened, then with a full disk.
		require.NoError(t, os.Mkdir(tmp, 0o755))
		do("SET", "k", "v2")
		do("SAVE")
		require.NoError(t, os.Remove(tmp))
		require.NoError(t, os.Symlink("/dev/full", tmp))
		do("SAVE")
		assert.NoFileExists(t, tmp, "the failed temp file is removed (server on %d)", s.Port)
		os.Remove(tmp)
		status()
		do("SET", "k", "v3") // a failed SAVE does not stop writes
		mark = logs(mark)

		// BGSAVE into a directory that is gone.
		gone := filepath.Join(s.Dir, "gone")
		require.NoError(t, os.Mkdir(gone, 0o755))
		do("CONFIG", "SET", "dir", gone)
		require.NoError(t, os.Remove(gone))
		do("BGSAVE")
		s.WaitLog("Background saving error")
		status()
		do("SET", "k", "v4")
		do("SHUTDOWN", "SAVE")
		do("CONFIG", "SET", "stop-writes-on-bgsave-error", "no")
		do("SET", "k", "v5")
		do("CONFIG", "SET", "stop-writes-on-bgsave-error", "yes")
		do("SET", "k", "v6")
		after, err := os.ReadFile(s.DumpPath())
		require.NoError(t, err)
		assert.Equal(t, before, after, "the failed saves left the previous dump (server on %d)", s.Port)

		// A successful BGSAVE lifts MISCONF.
		do("CONFIG", "SET", "dir", s.Dir)
		do("BGSAVE")
		s.WaitLog("Background saving terminated with success")
		status()
		do("SET", "k", "v7")
		logs(mark)
		got[i] = o
	}
	assert.Equal(t, got[0].Replies, got[1].Replies, "replies: redis-server, then syncscope")
	assert.Equal(t, got[0].Logs, got[1].Logs, "warning log lines: redis-server, then syncscope")
	t.Logf("replies:\n%s\nwarnings:\n%s", strings.Join(got[0].Replies, "\n"), strings.Join(got[0].Logs, "\n"))
}

// A truncated or corrupted dump.rdb is refused at start (exit 1, the file
// left as it was) with Redis's line for that kind of fault, plus one that
// names the offset and what was expected there; side by side with what
// redis-server prints for the same file.
func TestCorruptDumpRefusedLikeRedis(t *testing.T) {
	redistest.Bin(t)
	bin, err := Build()
	require.NoError(t, err)
	// A dump written by redis-server itself.
	s := Start(t, Options{Redis: true})
	c := s.Client()
	require.Equal(t, "OK", c.CLI("MSET", "a", "1", "b", "hello", "c", "3.5"))
	require.Equal(t, "(integer) 3", c.CLI("RPUSH", "l", "x", "y", "z"))
	require.Equal(t, "OK", c.CLI("SAVE"))
	good, err := os.ReadFile(s.DumpPath())
	require.NoError(t, err)
	crcAt := len(good) - 8
	flip := func(at int, b byte) []byte { d := bytes.Clone(good); d[at] = b; return d }
	cases := []struct {
		name  string
		data  []byte
		redis string // redis-server's line for this fault
		ours  string // where and what, in syncscope's detail line
	}{
		{"empty", []byte{}, "Short read or OOM loading DB. Unrecoverable error, aborting now.", `offset 0 -> .*expected the 9-byte header`},
		{"header only", good[:9], "Short read or OOM loading DB. Unrecoverable error, aborting now.", `offset 9 -> .*expected an opcode or value type`},
		// redis-server orders keys by its randomly seeded hash, so the cut
		// falls in a key or in a value, whichever entry comes last.
		{"cut in an entry", good[:len(good)-20], "Short read or OOM loading DB. Unrecoverable error, aborting now.", `offset \d+ -> rdb: at byte \d+.*: unexpected end of data: expected `},
		{"no checksum", good[:crcAt], "Short read or OOM loading DB. Unrecoverable error, aborting now.", `offset \d+ -> .*expected the 8-byte CRC64`},
		{"checksum", flip(len(good)-1, good[len(good)-1]^0xff), "Wrong RDB checksum expected: ", `offset \d+ -> .*checksum mismatch`},
		{"signature", flip(4, 'X'), "Wrong signature trying to load DB from file", `offset 0 -> .*expected the signature "REDIS"`},
		{"version", append([]byte("REDIS0099"), good[9:]...), "Can't handle RDB format version 99", `offset 5 -> .*RDB version 99`},
	}
	run := func(server, dir string) (string, int) {
		port, err := proc.FreePort()
		require.NoError(t, err)
		cmd := exec.Command(server, "--port", strconv.Itoa(port), "--bind", "127.0.0.1", "--dir", dir, "--save", "")
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		require.NoError(t, cmd.Start())
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case <-done:
		case <-time.After(Timeout):
			cmd.Process.Kill()
			<-done
			t.Fatalf("%s kept running with a bad dump:\n%s", server, out.String())
		}
		return out.String(), cmd.ProcessState.ExitCode()
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var logs [2]string
			for i, server := range []string{"redis-server", bin} {
				dir := t.TempDir()
				dump := filepath.Join(dir, "dump.rdb")
				require.NoError(t, os.WriteFile(dump, tc.data, 0o644))
				log, code := run(server, dir)
				logs[i] = log
				assert.Equal(t, 1, code, "%s exits 1:\n%s", server, log)
				assert.Contains(t, log, "# "+tc.redis, server)
				assert.NotContains(t, log, "Ready to accept connections", server)
				after, err := os.ReadFile(dump)
				require.NoError(t, err)
				assert.Equal(t, tc.data, after, "%s leaves the file as it was", server)
			}
			assert.Regexp(t, `# Internal error in RDB reading `+tc.ours, logs[1])
			t.Logf("redis-server:\n%s\nsyncscope-server:\n%s", tail(logs[0], "Server initialized"), tail(logs[1], "Server initialized"))
		})
	}
}

// tail returns log from the line after the first containing mark.
func tail(log, mark string) string {
	if i := strings.Index(log, mark); i >= 0 {
		if j := strings.IndexByte(log[i:], '\n'); j >= 0 {
			return log[i+j+1:]
		}
	}
	return log
}

// rename-command: a renamed command answers only to its new name, one
// renamed to "" is gone, and a config naming a command that does not exist
// is refused as redis-server refuses it.
func TestRenameCommandMatchesRedis(t *testing.T) {
	p := startPair(t, "rename-command SET put\nrename-command FLUSHALL \"\"\nrename-command config cfg\nrename-command put store")
	for _, in := range []string{
		"SET k v\r\n", "PUT k v\r\n", "STORE k v\r\n", "store k\r\n", "GET k\r\n",
		"FLUSHALL\r\n", "CONFIG GET maxclients\r\n", "CFG GET maxclients\r\n", "DBSIZE\r\n",
	} {
		p.compare(t, []byte(in), false)
	}
	bin, err := Build()
	require.NoError(t, err)
	for _, conf := range []string{"rename-command nosuch x\n", "rename-command get set\n", "rename-command get\n"} {
		var outs [2]string
		var codes [2]int
		for i, server := range []string{"redis-server", bin} {
			dir := t.TempDir()
			file := filepath.Join(dir, "bad.conf")
			require.NoError(t, os.WriteFile(file, []byte("port 0\n"+conf), 0o644))
			cmd := exec.Command(server, file)
			cmd.Dir = dir
			out, err := cmd.CombinedOutput()
			var exit *exec.ExitError
			require.ErrorAs(t, err, &exit, "%s should refuse %q", server, conf)
			outs[i], codes[i] = strings.ReplaceAll(string(out), file, "<file>"), exit.ExitCode()
		}
		assert.Equal(t, outs[0], outs[1], "refusing %q", conf)
		assert.Equal(t, codes[0], codes[1], "exit code for %q", conf)
	}
}

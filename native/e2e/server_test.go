//go:build !js

package e2e

import (
	"bytes"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/syncscope/syncscope/core/resp"
	"github.com/syncscope/syncscope/native/internal/proc"
	"github.com/syncscope/syncscope/native/redistest"
)

func TestMain(m *testing.M) {
	code := m.Run()
	Cleanup()
	os.Exit(code)
}

func TestPingSetGet(t *testing.T) {
	s := Start(t, Options{})
	log := s.WaitLog("Ready to accept connections")
	assert.Contains(t, log, "Server initialized")
	c := s.Client()
	assert.Equal(t, "PONG", c.CLI("PING"))
	assert.Equal(t, "OK", c.CLI("SET", "name", "redis"))
	assert.Equal(t, `"redis"`, c.CLI("GET", "name"))
	assert.Equal(t, "(nil)", c.CLI("GET", "missing"))
}

func TestPipelineRepliesInOrder(t *testing.T) {
	s := Start(t, Options{})
	c := s.Client()
	var pipe bytes.Buffer
	const n = 2000
	for range n {
		pipe.WriteString("*2\r\n$4\r\nINCR\r\n$1\r\nn\r\n")
	}
	c.SendRaw(pipe.Bytes())
	for i := range n {
		require.Equal(t, fmt.Sprintf("(integer) %d", i+1), resp.FormatCLI(c.Read()))
	}
	assert.Equal(t, `"2000"`, c.CLI("GET", "n"))
}

func TestManyClients(t *testing.T) {
	s := Start(t, Options{})
	clients := make([]*Client, 50)
	for i := range clients {
		clients[i] = s.Client()
		clients[i].Send("SET", "k"+strconv.Itoa(i), strconv.Itoa(i))
	}
	for i, c := range clients {
		assert.Equal(t, "OK", resp.FormatCLI(c.Read()))
		assert.Equal(t, strconv.Quote(strconv.Itoa(i)), c.CLI("GET", "k"+strconv.Itoa(i)))
	}
}

// A protocol error closes that client only.
func TestProtocolErrorClosesOnlyThatClient(t *testing.T) {
	s := Start(t, Options{})
	good, bad := s.Client(), s.Client()
	bad.SendRaw([]byte("*1\r\n$x\r\n"))
	v := bad.Read()
	assert.Contains(t, resp.FormatCLI(v), "Protocol error")
	assert.True(t, bad.Closed(), "the server should close a client after a protocol error")
	assert.Equal(t, "PONG", good.CLI("PING"))
}

// SAVE writes dump.rdb and a restart (after kill -9, so no final save)
// loads it; SHUTDOWN saves the final snapshot too.
func TestRestartKeepsData(t *testing.T) {
	s := Start(t, Options{})
	c := s.Client()
	require.Equal(t, "OK", c.CLI("SET", "saved", "by-save"))
	require.Equal(t, "OK", c.CLI("SAVE"))
	require.Equal(t, "OK", c.CLI("SET", "lost", "after-save"))
	s.Signal(syscall.SIGKILL)
	s.Wait()

	s.Restart()
	log := s.WaitLog("DB loaded from disk")
	assert.Contains(t, log, "Done loading RDB, keys loaded: 1, keys expired: 0.")
	c = s.Client()
	assert.Equal(t, `"by-save"`, c.CLI("GET", "saved"))
	assert.Equal(t, "(nil)", c.CLI("GET", "lost"))

	require.Equal(t, "OK", c.CLI("SET", "final", "by-shutdown"))
	c.Send("SHUTDOWN", "SAVE")
	assert.True(t, c.Closed(), "SHUTDOWN closes the connection")
	assert.Equal(t, 0, s.Wait())
	log = s.Log()
	assert.Contains(t, log, "User requested shutdown...")
	assert.Contains(t, log, "Saving the final RDB snapshot before exiting.")
	assert.Contains(t, log, "Redis is now ready to exit, bye bye...")

	s.Restart()
	c = s.Client()
	assert.Equal(t, `"by-shutdown"`, c.CLI("GET", "final"))
	assert.Equal(t, `"by-save"`, c.CLI("GET", "saved"))
}

// SIGTERM makes the server save (with save points configured) and exit 0.
func TestSigtermSaves(t *testing.T) {
	s := Start(t, Options{Config: "save 3600 1\npidfile server.pid"})
	c := s.Client()
	require.Equal(t, "OK", c.CLI("SET", "k", "v"))
	pidfile := filepath.Join(s.Dir, "server.pid")
	pid, err := os.ReadFile(pidfile)
	require.NoError(t, err, "the pidfile is written at start")
	assert.Equal(t, strconv.Itoa(s.Proc.Pid())+"\n", string(pid))

	s.Signal(syscall.SIGTERM)
	assert.Equal(t, 0, s.Wait())
	log := s.Log()
	assert.Contains(t, log, "Received SIGTERM scheduling shutdown...")
	assert.Contains(t, log, "DB saved on disk")
	assert.NoFileExists(t, pidfile, "the pidfile is removed at exit")

	s.Restart()
	assert.Equal(t, `"v"`, s.Client().CLI("GET", "k"))
}

// kill -9 while a BGSAVE of a big dataset is being written leaves either
// the previous dump or the complete new one, never a torn file.
func TestKillDuringBgsaveKeepsPreviousDump(t *testing.T) {
	s := Start(t, Options{})
	c := s.Client()
	require.Equal(t, "OK", c.CLI("SET", "old", "1"))
	require.Equal(t, "OK", c.CLI("SAVE"))
	before, err := os.ReadFile(s.DumpPath())
	require.NoError(t, err)

	const keys = 100000
	var pipe bytes.Buffer
	value := strings.Repeat("x", 200)
	for i := range keys {
		k := "key:" + strconv.Itoa(i)
		fmt.Fprintf(&pipe, "*3\r\n$3\r\nSET\r\n$%d\r\n%s\r\n$%d\r\n%s\r\n", len(k), k, len(value), value)
	}
	c.SendRaw(pipe.Bytes())
	for range keys {
		require.Equal(t, "OK", resp.FormatCLI(c.Read()))
	}
	require.Equal(t, "Background saving started", c.CLI("BGSAVE"))
	s.Signal(syscall.SIGKILL)
	s.Wait()

	after, err := os.ReadFile(s.DumpPath())
	require.NoError(t, err)
	s.Restart()
	c = s.Client()
	n := c.CLI("DBSIZE")
	if bytes.Equal(before, after) {
		assert.Equal(t, "(integer) 1", n)
	} else {
		t.Log("the BGSAVE finished before the kill: checking the new dump is whole")
		assert.Equal(t, fmt.Sprintf("(integer) %d", keys+1), n)
	}
	assert.Equal(t, `"1"`, c.CLI("GET", "old"))
}

// The real redis-cli talks to the server.
func TestRedisCLI(t *testing.T) {
	cli, err := exec.LookPath("redis-cli")
	if err != nil {
		t.Skip("redis-cli is not installed")
	}
	s := Start(t, Options{})
	run := func(args ...string) string {
		out, err := exec.Command(cli, append([]string{"-p", strconv.Itoa(s.Port)}, args...)...).CombinedOutput()
		require.NoError(t, err, "redis-cli %v: %s", args, out)
		return strings.TrimRight(string(out), "\n")
	}
	assert.Equal(t, "PONG", run("ping"))
	assert.Equal(t, "OK", run("set", "name", "redis"))
	assert.Equal(t, "redis", run("get", "name"))
	assert.Equal(t, "OK", run("mset", "a", "1", "b", "2"))
	assert.Equal(t, "1\n2", run("mget", "a", "b", "c")) // and an empty line for c
	assert.Contains(t, run("info", "server"), "redis_version:7.0.15")
}

// A port in use: Redis's two log lines and exit code 1, as redis-server.
func TestPortInUse(t *testing.T) {
	port, err := proc.FreePort()
	require.NoError(t, err)
	ln, err := net.Listen("tcp4", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)))
	require.NoError(t, err)
	defer ln.Close()
	bin, err := Build()
	require.NoError(t, err)

	want := []string{
		fmt.Sprintf("# Warning: Could not create server TCP listening socket 127.0.0.1:%d: bind: Address already in use", port),
		fmt.Sprintf("# Failed listening on port %d (TCP), aborting.", port),
	}
	for _, server := range []string{bin, "redis-server"} {
		if _, err := exec.LookPath(server); err != nil {
			continue
		}
		cmd := exec.Command(server, "--port", strconv.Itoa(port), "--bind", "127.0.0.1", "--save", "", "--dir", t.TempDir())
		out, err := cmd.Output()
		var exit *exec.ExitError
		require.ErrorAs(t, err, &exit, "%s: %s", server, out)
		assert.Equal(t, 1, exit.ExitCode(), server)
		for _, w := range want {
			assert.Contains(t, string(out), w, server)
		}
	}
}

// Config errors are reported on stderr exactly as redis-server reports them.
func TestConfigErrorsMatchRedis(t *testing.T) {
	redistest.Bin(t)
	bin, err := Build()
	require.NoError(t, err)
	dir := t.TempDir()
	conf := filepath.Join(dir, "bad.conf")
	require.NoError(t, os.WriteFile(conf, []byte("port 7000\nbogus-directive 1\n"), 0o644))
	for _, args := range [][]string{
		{conf},
		{"--port", "notanumber"},
		{"--maxmemory-policy", "sometimes"},
		{"--logfile", filepath.Join(dir, "missing", "x.log")},
		{"--dir", filepath.Join(dir, "missing")},
	} {
		run := func(server string) (string, int) {
			cmd := exec.Command(server, args...)
			cmd.Dir = dir
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			err := cmd.Run()
			var exit *exec.ExitError
			require.ErrorAs(t, err, &exit, "%s %v should fail", server, args)
			return stderr.String(), exit.ExitCode()
		}
		want, wantCode := run("redis-server")
		got, code := run(bin)
		assert.Equal(t, want, got, "stderr for %v", args)
		assert.Equal(t, wantCode, code, "exit code for %v", args)
	}
}

func TestVersionAndHelp(t *testing.T) {
	bin, err := Build()
	require.NoError(t, err)
	for _, flag := range []string{"-v", "--version"} {
		out, err := exec.Command(bin, flag).Output()
		require.NoError(t, err)
		assert.Regexp(t, `^syncscope server v=7\.0\.15 sha=[0-9a-f]{8}:[01] malloc=go bits=64 build=go`, string(out))
	}
	out, err := exec.Command(bin, "--help").CombinedOutput()
	assert.Error(t, err, "--help exits 1, as redis-server's does")
	assert.Contains(t, string(out), "Usage: syncscope-server [/path/to/redis.conf] [options] [-]")
}

func TestDaemonizeRefused(t *testing.T) {
	bin, err := Build()
	require.NoError(t, err)
	out, err := exec.Command(bin, "--daemonize", "yes", "--port", "0", "--dir", t.TempDir()).CombinedOutput()
	var exit *exec.ExitError
	require.ErrorAs(t, err, &exit)
	assert.Equal(t, 1, exit.ExitCode())
	assert.Contains(t, string(out), "daemonize yes is not supported")
}

// TestConfigGetDirAbsolute: with no dir directive, CONFIG GET dir is the
// working directory's absolute path, as Redis's getcwd().
func TestConfigGetDirAbsolute(t *testing.T) {
	wd, err := os.Getwd()
	require.NoError(t, err)
	for _, k := range []struct {
		name  string
		redis bool
	}{{"ours", false}, {"redis", true}} {
		t.Run(k.name, func(t *testing.T) {
			bin := redistest.Bin(t)
			if !k.redis {
				bin, err = Build()
				require.NoError(t, err)
			}
			port, err := proc.FreePort()
			require.NoError(t, err)
			conf := filepath.Join(t.TempDir(), "nodir.conf")
			require.NoError(t, os.WriteFile(conf, []byte(fmt.Sprintf("port %d\nbind 127.0.0.1\nsave \"\"\nlogfile \"\"\n", port)), 0o644))
			p, err := proc.Start(bin, port, nil, conf)
			require.NoError(t, err)
			t.Cleanup(p.Stop)
			require.NoError(t, p.WaitPort(Timeout))
			c, err := Dial(t, p.Addr())
			require.NoError(t, err)
			assert.Equal(t, "1) \"dir\"\n2) \""+wd+"\"", c.CLI("CONFIG", "GET", "dir"))
		})
	}
}

// TestSlowlogAsRedis: SLOWLOG side by side with redis-server, with every
// command logged (slowlog-log-slower-than 0): entries newest first, the
// argument vector cut at 32 arguments and 128 bytes each, the client's name,
// slowlog-max-len, GET's count, LEN, RESET and the errors. Durations and
// times are not compared (syncscope times only the modelled holds: DEBUG
// SLEEP, scripts; see TestCommandDurationsAsRedis).
func TestSlowlogAsRedis(t *testing.T) {
	run := func(s *Server) []string {
		c := s.Client()
		var out []string
		do := func(args ...string) { out = append(out, c.CLI(args...)) }
		do("CONFIG", "SET", "slowlog-log-slower-than", "0")
		do("SLOWLOG", "RESET")
		do("CLIENT", "SETNAME", "logger")
		do("SET", "k", strings.Repeat("v", 200))
		many := []string{"MSET"}
		for i := range 20 {
			many = append(many, "k"+strconv.Itoa(i), "v")
		}
		do(many...)
		do("AUTH", "secret") // logged with its argument redacted
		do("CONFIG", "SET", "masterauth", "secret", "maxmemory-clients", "0")
		c.Do("HELLO", "2", "AUTH", "default", "secret") // its reply holds the client id
		do("SLOWLOG", "LEN")
		get := c.Do("SLOWLOG", "GET", "-1")
		for _, e := range get.Elems {
			// id, argv and name; not the time, the duration or the port.
			out = append(out, fmt.Sprint(e.Elems[0].Int), resp.FormatCLI(e.Elems[3]), string(e.Elems[5].Str))
		}
		do("CONFIG", "SET", "slowlog-max-len", "2")
		do("CONFIG", "SET", "masterauth", "")
		do("SLOWLOG", "LEN")
		out = append(out, fmt.Sprint(len(c.Do("SLOWLOG", "GET", "1").Elems)))
		do("SLOWLOG", "GET", "-2")
		do("SLOWLOG", "GET", "x")
		do("SLOWLOG", "LEN", "x")
		do("CONFIG", "SET", "slowlog-log-slower-than", "-1")
		do("SLOWLOG", "RESET")
		do("PING")
		do("SLOWLOG", "LEN")
		return out
	}
	want := run(startRedis(t, ""))
	got := run(startOurs(t, ""))
	assert.Equal(t, want, got)
}

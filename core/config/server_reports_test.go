//go:build !js

package config

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/syncscope/syncscope/native/redistest"
)

// Ports 7390-7399 of this package's range are for these tests.
const realPort = 7390

func needRedis(t *testing.T) string {
	t.Helper()
	return redistest.Bin(t)
}

// TestRealServerReports runs redis-server on each bad config file and
// compares its stderr with Error().
func TestRealServerReports(t *testing.T) {
	bin := needRedis(t)
	dir := t.TempDir()
	for i, tt := range badConfigs {
		file := filepath.Join(dir, "bad"+strconv.Itoa(i)+".conf")
		require.NoError(t, os.WriteFile(file, []byte(tt.text), 0o644))
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		cmd := exec.CommandContext(ctx, bin, file)
		cmd.Dir = dir
		var stderr strings.Builder
		cmd.Stderr = &stderr
		err := cmd.Run()
		cancel()
		require.Error(t, err, "%s: redis-server accepted it", tt.name)

		_, _, ours := Parse(tt.text, nil)
		require.Error(t, ours, tt.name)
		assert.Equal(t, stderr.String(), ours.Error(), tt.name)
	}

	// A missing include is logged, not reported.
	file := filepath.Join(dir, "inc.conf")
	require.NoError(t, os.WriteFile(file, []byte("include /nonexistent/x.conf\n"), 0o644))
	out, _ := exec.Command(bin, file).CombinedOutput()
	_, _, ours := Parse("include /nonexistent/x.conf\n", func(string) ([]byte, error) { return nil, errString("No such file or directory") })
	require.Error(t, ours)
	assert.True(t, strings.HasSuffix(strings.TrimSpace(string(out)), "# "+ours.Error()), "%q", out)
}

// TestRealServerConfig starts redis-server and compares CONFIG GET * and
// the CONFIG SET error replies with ours.
func TestRealServerConfig(t *testing.T) {
	bin := needRedis(t)
	cli, err := exec.LookPath("redis-cli")
	if err != nil {
		t.Skip("redis-cli not installed")
	}
	dir := t.TempDir()
	port := strconv.Itoa(realPort + 1)
	srv := exec.Command(bin, "--port", port, "--dir", dir)
	srv.Dir = dir
	require.NoError(t, srv.Start())
	defer func() {
		_ = srv.Process.Kill()
		_ = srv.Wait()
	}()
	callRaw := func(args ...string) string {
		// redis-cli exits non-zero for error replies and refused connections.
		out, _ := exec.Command(cli, append([]string{"-p", port, "--raw"}, args...)...).CombinedOutput()
		return string(out)
	}
	call := func(args ...string) string { return strings.TrimRight(callRaw(args...), "\n") }
	for i := 0; call("ping") != "PONG"; i++ {
		require.Less(t, i, 100, "redis-server did not start")
		time.Sleep(50 * time.Millisecond)
	}

	// One newline ends each element: the last value may be empty (the
	// order is the server's hash table's, new at each start).
	lines := strings.Split(strings.TrimSuffix(callRaw("config", "get", "*"), "\n"), "\n")
	require.Zero(t, len(lines)%2)
	real := map[string]string{}
	for i := 0; i < len(lines); i += 2 {
		real[lines[i]] = lines[i+1]
	}
	c, _, err := Load([]string{"--port", port, "--dir", dir}, nil)
	require.NoError(t, err)
	ours := map[string]string{}
	for _, kv := range c.Get("*") {
		ours[kv[0]] = kv[1]
	}
	assert.Equal(t, real, ours)

	for _, args := range [][]string{
		{"foo", "bar"}, {"port", "1", "2"}, {"port", "abc"}, {"maxmemory", "1x"},
		{"loglevel", "loud"}, {"daemonize", "no"}, {"dir", "/"}, {"save", "1 2 3"},
		{"maxmemory-clients", "101%"}, {"hz", "5", "hz", "6"}, {"slave-read-only", "maybe"},
		{"SLAVEOF", "no one"}, {"unixsocketperm", "1"}, {"client-output-buffer-limit", "x 1 2 3"},
	} {
		err := c.Set(args...)
		require.Error(t, err, args)
		assert.Equal(t, call(append([]string{"config", "set"}, args...)...), err.Error(), args)
	}
}

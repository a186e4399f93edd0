//go:build !js

package repl

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// redisLog reads the log lines a redis-server wrote after the first line
// containing from, as ActLogs, with replication IDs replaced by <id> and the
// RDB loader's lines (which the node logs) left out.
func redisLog(t *testing.T, file, from string) []ActLog {
	t.Helper()
	b, err := os.ReadFile(file)
	require.NoError(t, err)
	var out []ActLog
	started := false
	for _, line := range strings.Split(string(b), "\n") {
		f := strings.SplitN(line, " ", 7) // pid:role dd Mon yyyy hh:mm:ss.ms level text
		if len(f) < 7 || len(f[5]) != 1 {
			continue
		}
		started = started || strings.Contains(f[6], from)
		if started && !isLoaderLine(f[6]) {
			out = append(out, ActLog{Level: f[5][0], Text: f[6]})
		}
	}
	return normalizeIDs(out)
}

func isLoaderLine(s string) bool {
	for _, p := range []string{"Loading RDB produced", "RDB age", "RDB memory usage", "Done loading RDB"} {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}

var hexID = regexp.MustCompile(`[0-9a-f]{40}`)

func normalizeIDs(logs []ActLog) []ActLog {
	out := make([]ActLog, len(logs))
	for i, l := range logs {
		out[i] = ActLog{Level: l.Level, Text: hexID.ReplaceAllString(l.Text, "<id>")}
	}
	return out
}

// TestRealReplicaLogsMatch runs a real redis-server replica and a Link against
// real masters through the same steps (full sync, then the master link
// dropped and resumed by PSYNC) and compares what they log, level and text.
func TestRealReplicaLogsMatch(t *testing.T) {
	for _, diskless := range []string{"no", "yes"} {
		t.Run("diskless="+diskless, func(t *testing.T) {
			base := 7420
			if diskless == "yes" {
				base = 7430
			}
			opts := []string{"--repl-diskless-sync", diskless, "--repl-diskless-sync-delay", "0"}
			// The real replica.
			startRedis(t, base, opts...)
			dir := t.TempDir()
			rep := startRedisIn(t, dir, base+1, "--replicaof", "127.0.0.1", strconv.Itoa(base))
			logFile := filepath.Join(dir, "redis.log")
			waitLog(t, logFile, "Finished with success")
			require.Equal(t, ":1\r\n", call(t, rep, "CLIENT", "KILL", "TYPE", "master"))
			waitLog(t, logFile, "Master accepted a Partial Resynchronization")
			want := redisLog(t, logFile, "Connecting to MASTER")

			// The Link.
			startRedis(t, base+2, opts...)
			x := dialLink(t, base+2, LinkConfig{ListeningPort: base + 3})
			x.until(func() bool { return x.l.State == Connected })
			x.conn.Close()
			<-x.dead
			x.apply(x.l.Closed(time.Now(), ""))
			x.until(func() bool { return x.l.State == Connected })
			got := normalizeIDs(x.logs)
			for i := range got { // the ports differ
				got[i].Text = strings.ReplaceAll(got[i].Text, strconv.Itoa(base+2), strconv.Itoa(base))
			}
			require.Equal(t, want, got)
		})
	}
}

func waitLog(t *testing.T, file, s string) {
	t.Helper()
	require.Eventually(t, func() bool {
		b, _ := os.ReadFile(file)
		return strings.Contains(string(b), s)
	}, 10*time.Second, 20*time.Millisecond, "waiting for %q in the redis log", s)
}

//go:build !js

package e2e

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/syncscope/syncscope/core/resp"
)

// TestCommandDurationsAsRedis: a command's duration side by side with
// redis-server, where syncscope models one (DEBUG SLEEP holds the node for
// its time): SLOWLOG's entries and durations (EXEC not logged, the commands
// it ran are), INFO commandstats' usec and usec_per_call, and INFO
// latencystats' percentiles, which Redis reads from an HdrHistogram with two
// significant digits: a sleep of 150 ms and Redis's real one of 150.0x ms
// fall in the same bucket (149946.368 to 150994.943 µs), so the printed
// value is the same. Durations are compared in 10 ms units, for the real
// server's overshoot.
func TestCommandDurationsAsRedis(t *testing.T) {
	run := func(s *Server) []string {
		c := s.Client()
		var out []string
		do := func(args ...string) { out = append(out, c.CLI(args...)) }
		do("CONFIG", "SET", "slowlog-log-slower-than", "100000")
		do("CONFIG", "SET", "latency-tracking-info-percentiles", "50")
		do("CONFIG", "RESETSTAT")
		do("SLOWLOG", "RESET")
		do("PING")
		do("DEBUG", "SLEEP", "0.2")
		do("MULTI")
		do("DEBUG", "SLEEP", "0.1")
		do("DEBUG", "SLEEP", "0.15")
		do("EXEC")
		for _, e := range c.Do("SLOWLOG", "GET").Elems {
			out = append(out, fmt.Sprintf("%d %s (%d0 ms)", e.Elems[0].Int, resp.FormatCLI(e.Elems[3]), e.Elems[2].Int/10000))
		}
		stats := string(c.Do("INFO", "commandstats").Str)
		for _, cmd := range []string{"debug", "exec"} {
			m := regexp.MustCompile(`cmdstat_` + cmd + `:calls=(\d+),usec=(\d+),usec_per_call=(\d+)\.\d\d,`).FindStringSubmatch(stats)
			require.NotNil(t, m, "no %s in %q", cmd, stats)
			usec, _ := strconv.Atoi(m[2])
			perCall, _ := strconv.Atoi(m[3])
			out = append(out, fmt.Sprintf("%s calls=%s usec=%d0ms per_call=%d0ms", cmd, m[1], usec/10000, perCall/10000))
		}
		lat := string(c.Do("INFO", "latencystats").Str)
		m := regexp.MustCompile(`latency_percentiles_usec_debug:.*`).FindString(lat)
		out = append(out, strings.TrimSpace(m))
		do("CONFIG", "SET", "latency-tracking", "no")
		out = append(out, strings.TrimSpace(string(c.Do("INFO", "latencystats").Str)))
		return out
	}
	want := run(startRedis(t, ""))
	got := run(startOurs(t, "enable-debug-command yes"))
	assert.Equal(t, want, got)
	assert.Contains(t, got, "latency_percentiles_usec_debug:p50=150994.943", "the median sleep's bucket")
}

// TestBlockedCommandDurationsAsRedis: a blocked command is timed and logged
// when it is served, as the client sent it (BLPOP, not the LPOP it runs
// as), and CLIENT UNBLOCK ends it failed, timed, with a slow log entry that
// has no arguments (Redis has freed them by then), side by side with
// redis-server.
func TestBlockedCommandDurationsAsRedis(t *testing.T) {
	run := func(s *Server) []string {
		c := s.Client()
		var out []string
		do := func(args ...string) { out = append(out, c.CLI(args...)) }
		do("CONFIG", "SET", "slowlog-log-slower-than", "0")
		do("CONFIG", "RESETSTAT")
		blocked := s.Client()
		blockOn := func(args ...string) {
			blocked.Send(args...)
			waitUntil(t, "the client to block", func() bool {
				return strings.Contains(string(s.Client().Do("INFO", "clients").Str), "blocked_clients:1")
			})
		}
		blockOn("BLPOP", "l", "0")
		do("SLOWLOG", "RESET")
		do("LPUSH", "l", "a")
		out = append(out, resp.FormatCLI(blocked.Read()))
		blockOn("BLMOVE", "l", "m", "LEFT", "RIGHT", "0")
		do("MULTI")
		do("LPUSH", "l", "b")
		do("EXEC")
		out = append(out, resp.FormatCLI(blocked.Read()))
		id := strconv.FormatInt(blocked.Do("CLIENT", "ID").Int, 10)
		blockOn("BRPOP", "nokey", "0")
		do("CLIENT", "UNBLOCK", id, "TIMEOUT")
		out = append(out, resp.FormatCLI(blocked.Read()))
		blockOn("BZPOPMIN", "nokey", "0")
		do("CLIENT", "UNBLOCK", id, "ERROR")
		out = append(out, resp.FormatCLI(blocked.Read()))
		do("CONFIG", "SET", "slowlog-log-slower-than", "-1")
		for _, e := range c.Do("SLOWLOG", "GET", "-1").Elems {
			// The client ids differ (the harness's connections).
			out = append(out, strings.ReplaceAll(resp.FormatCLI(e.Elems[3]), `3) "`+id+`"`, `3) "<id>"`))
		}
		stats := string(c.Do("INFO", "commandstats").Str)
		lat := string(c.Do("INFO", "latencystats").Str)
		for _, cmd := range []string{"blpop", "blmove", "brpop", "bzpopmin"} {
			m := regexp.MustCompile(`cmdstat_` + cmd + `:calls=\d+,.*`).FindString(stats)
			out = append(out, regexp.MustCompile(`usec=\d+,usec_per_call=[\d.]+`).ReplaceAllString(strings.TrimSpace(m), "usec"))
			out = append(out, regexp.MustCompile(`=[\d.]+`).ReplaceAllString(strings.TrimSpace(regexp.MustCompile(`latency_percentiles_usec_`+cmd+`:.*`).FindString(lat)), "="))
		}
		return out
	}
	want := run(startRedis(t, ""))
	got := run(startOurs(t, ""))
	assert.Equal(t, want, got)
}

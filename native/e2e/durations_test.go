//go:build !js

package e2e

import (
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/syncscope/syncscope/core/resp"
)

// TestCommandDurationsAsRedis: a command's duration side by side with
// redis-server, where syncscope models one (DEBUG SLEEP holds the node for
// its time): SLOWLOG's entries and durations (EXEC not logged, the commands
// it ran are), INFO commandstats' usec and usec_per_call, and INFO
// latencystats' percentiles, which Redis reads from an HdrHistogram with two
// significant digits (syncscope's exact value is checked on its own).
// Durations are compared in 10 ms units, for the real server's overshoot
// on a loaded machine.
func TestCommandDurationsAsRedis(t *testing.T) {
	var p50 string // the last run's
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
		m := regexp.MustCompile(`latency_percentiles_usec_debug:p50=(\d+)\.\d{3}\r\n`).FindStringSubmatch(lat)
		require.NotNil(t, m, lat)
		p50 = m[0]
		usec, _ := strconv.Atoi(m[1])
		out = append(out, fmt.Sprintf("debug p50 %d0 ms", usec/10000))
		do("CONFIG", "SET", "latency-tracking", "no")
		out = append(out, strings.TrimSpace(string(c.Do("INFO", "latencystats").Str)))
		return out
	}
	want := run(startRedis(t, ""))
	got := run(startOurs(t, "enable-debug-command yes"))
	assert.Equal(t, want, got)
	assert.Equal(t, "latency_percentiles_usec_debug:p50=150994.943\r\n", p50, "the median sleep's bucket")
}

// TestBlockedCommandDurationsAsRedis: a blocked command is timed and logged
// when it is served, as the client sent it (BLPOP, not the LPOP it runs
// as), and CLIENT UNBLOCK ends it (a WAIT too) failed, timed, with a slow
// log entry that has no arguments (Redis has freed them by then), side by
// side with redis-server.
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
		blockOn("WAIT", "1", "0") // no replica: it blocks
		do("CLIENT", "UNBLOCK", id)
		out = append(out, resp.FormatCLI(blocked.Read()))
		do("CONFIG", "SET", "slowlog-log-slower-than", "-1")
		for _, e := range c.Do("SLOWLOG", "GET", "-1").Elems {
			// The client ids differ (the harness's connections).
			out = append(out, strings.ReplaceAll(resp.FormatCLI(e.Elems[3]), `3) "`+id+`"`, `3) "<id>"`))
		}
		stats := string(c.Do("INFO", "commandstats").Str)
		lat := string(c.Do("INFO", "latencystats").Str)
		for _, cmd := range []string{"blpop", "blmove", "brpop", "bzpopmin", "wait"} {
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

// TestLatencyAsRedis: LATENCY side by side with redis-server after DEBUG
// SLEEPs, the one kind of command syncscope gives a duration: HISTOGRAM's
// cumulative distribution (the bucket a 200 ms and a 30 ms sleep reach,
// stepping by powers of two from 1024 ns, is the same for Redis's real
// sleep), only the histograms asked for, LATEST and HISTORY's "command"
// event at latency-monitor-threshold, RESET by name in any case, and the
// errors.
func TestLatencyAsRedis(t *testing.T) {
	// times: what the real server measured, compared below with a margin
	// for its sleeps' overshoot on a loaded machine (ours are exact).
	run := func(s *Server) (out []string, times []int64) {
		c := s.Client()
		do := func(args ...string) { out = append(out, c.CLI(args...)) }
		do("CONFIG", "SET", "latency-monitor-threshold", "50")
		do("CONFIG", "RESETSTAT")
		// Commands' names and calls; not the real server's measured times.
		calls := func(args ...string) {
			h := c.Do(args...)
			for i := 0; i+1 < len(h.Elems); i += 2 {
				out = append(out, fmt.Sprintf("%s %s=%d", h.Elems[i].Str, h.Elems[i+1].Elems[0].Str, h.Elems[i+1].Elems[1].Int))
			}
		}
		do("DEBUG", "SLEEP", "0.2")
		do("DEBUG", "SLEEP", "0.03") // below the threshold: no event
		// The debug histogram: its shape, then each sleep's bucket (the
		// bucket's upper bound in µs, once per call in it) as a time.
		h := c.Do("LATENCY", "HISTOGRAM", "debug", "nosuch", "client|nosuch", "config|get")
		require.Len(t, h.Elems, 2)
		hist := h.Elems[1].Elems
		require.Len(t, hist, 4)
		out = append(out, fmt.Sprintf("%s %s=%d %s", h.Elems[0].Str, hist[0].Str, hist[1].Int, hist[2].Str))
		for i := 0; i+1 < len(hist[3].Elems); i += 2 {
			for range hist[3].Elems[i+1].Int - int64(len(times)) {
				times = append(times, hist[3].Elems[i].Int)
			}
		}
		calls("LATENCY", "HISTOGRAM", "config")
		n := len(out)
		calls("LATENCY", "HISTOGRAM")
		sort.Strings(out[n:]) // Redis: its hash table's order
		latest := c.Do("LATENCY", "LATEST")
		require.Len(t, latest.Elems, 1)
		e := latest.Elems[0].Elems
		out = append(out, string(e[0].Str))
		times = append(times, e[2].Int*1000, e[3].Int*1000)
		history := c.Do("LATENCY", "HISTORY", "command")
		require.Len(t, history.Elems, 1)
		out = append(out, fmt.Sprint(history.Elems[0].Elems[0].Int == e[1].Int))
		times = append(times, history.Elems[0].Elems[1].Int*1000)
		do("LATENCY", "HISTORY", "nosuch")
		do("LATENCY", "RESET", "nosuch")
		do("LATENCY", "RESET", "COMMAND", "command")
		do("LATENCY", "LATEST")
		do("LATENCY", "HISTORY")
		do("LATENCY", "HELP", "x")
		do("LATENCY", "NOSUCH")
		return out, times
	}
	want, redisTimes := run(startRedis(t, ""))
	got, ours := run(startOurs(t, "enable-debug-command yes"))
	assert.Equal(t, want, got)
	// Ours are the sleeps' times: 0.03 s in the bucket up to 33816 µs,
	// 0.2 s up to 270532 µs, and 200 ms in LATEST and HISTORY.
	assert.Equal(t, []int64{33816, 270532, 200000, 200000, 200000}, ours)
	require.Len(t, redisTimes, len(ours))
	for i := range ours {
		// A real sleep overshoots; a bucket doubles per step.
		assert.True(t, redisTimes[i] >= ours[i] && redisTimes[i] <= 4*ours[i], "redis-server's time %d: %d µs, ours %d µs", i, redisTimes[i], ours[i])
	}
}

// TestLatencyDoctorAsRedis: LATENCY DOCTOR's report side by side with
// redis-server: monitoring off, on without events, and a DEBUG SLEEP's
// "command" event with the slow log on, tuned too high, and off (its
// advice). The sleep's ms are compared in 10 ms units (the real server's
// overshoot).
func TestLatencyDoctorAsRedis(t *testing.T) {
	run := func(s *Server) []string {
		c := s.Client()
		var out []string
		doctor := func() { out = append(out, msInTens(string(c.Do("LATENCY", "DOCTOR").Str))) }
		doctor()
		c.Do("CONFIG", "SET", "latency-monitor-threshold", "100")
		doctor()
		c.Do("DEBUG", "SLEEP", "0.2")
		doctor()
		c.Do("CONFIG", "SET", "slowlog-log-slower-than", "200000")
		doctor()
		c.Do("CONFIG", "SET", "slowlog-log-slower-than", "-1")
		doctor()
		return out
	}
	want := run(startRedis(t, ""))
	got := run(startOurs(t, "enable-debug-command yes"))
	assert.Equal(t, want, got)
}

// TestLatencyGraphAsRedis: LATENCY GRAPH side by side with redis-server
// after two DEBUG SLEEPs a second apart: the header (ms in 10 ms units),
// the rule, the sparkline's four rows and its blank margin; the labels
// (seconds ago, written downwards) only in shape, as they depend on where
// the seconds fell. And the error for an event without samples.
func TestLatencyGraphAsRedis(t *testing.T) {
	run := func(s *Server) []string {
		c := s.Client()
		var out []string
		out = append(out, c.CLI("LATENCY", "GRAPH", "command"))
		c.Do("CONFIG", "SET", "latency-monitor-threshold", "100")
		c.Do("DEBUG", "SLEEP", "0.2")
		time.Sleep(1100 * time.Millisecond)
		c.Do("DEBUG", "SLEEP", "0.15")
		lines := strings.Split(string(c.Do("LATENCY", "GRAPH", "command").Str), "\n")
		require.Len(t, lines, 10, lines)
		out = append(out, msInTens(lines[0]))
		out = append(out, lines[1:7]...)
		assert.Regexp(t, `^\d\d$`, lines[7])
		assert.Equal(t, "ss", lines[8])
		out = append(out, c.CLI("LATENCY", "GRAPH", "COMMAND"))
		return out
	}
	want := run(startRedis(t, ""))
	got := run(startOurs(t, "enable-debug-command yes"))
	assert.Equal(t, want, got)
}

// msInTens rounds the milliseconds in a LATENCY report ("200ms", "203 ms")
// down to tens, for the real server's overshoot.
func msInTens(s string) string {
	return regexp.MustCompile(`\d+( ?ms)`).ReplaceAllStringFunc(s, func(m string) string {
		unit := strings.TrimLeft(m, "0123456789")
		v, _ := strconv.Atoi(strings.TrimSuffix(m, unit))
		return fmt.Sprintf("%d0%s", v/10, unit)
	})
}

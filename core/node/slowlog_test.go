package node_test

import (
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// infoLine is the line of INFO section on node port that starts with
// prefix ("" when none does).
func (w *world) infoLine(port int, section, prefix string) string {
	w.t.Helper()
	// As redis-cli prints it: one quoted string, lines joined by \r\n.
	for _, l := range strings.Split(w.do(port, "INFO", section), `\r\n`) {
		if strings.HasPrefix(l, prefix) {
			return l
		}
	}
	return ""
}

// TestDurationIsTheModelledTime: a command's duration is the time it held
// the node. DEBUG SLEEP's time goes to SLOWLOG, INFO commandstats (usec,
// usec_per_call) and latencystats (the HdrHistogram's bucket, as
// redis-server prints it for a real 200 ms sleep); sleeps in one EXEC add
// up, in EXEC's usec and in the node's hold, and EXEC itself is not
// logged; any other command takes 0 µs.
func TestDurationIsTheModelledTime(t *testing.T) {
	w := startWorld(t, 6000, debugOK+"slowlog-log-slower-than 100000\n")
	c := w.conn(6000)
	c.do("CLIENT", "SETNAME", "sleeper")
	c.do("PING")
	// Sleep across a second: the entry has the time it ended, as Redis's.
	w.Advance(time.Second - w.Now().Sub(w.Now().Truncate(time.Second)) - 100*time.Millisecond)
	began := w.Now().Unix()
	c.do("DEBUG", "SLEEP", "0.2")
	require.Equal(t, began+1, w.Now().Unix())
	assert.Equal(t, "1) 1) (integer) 0\n   2) (integer) "+strconv.FormatInt(began+1, 10)+"\n   3) (integer) 200000\n   4) 1) \"DEBUG\"\n      2) \"SLEEP\"\n      3) \"0.2\"\n   5) \"127.0.0.1:50000\"\n   6) \"sleeper\"",
		w.do(6000, "SLOWLOG", "GET"))

	c.send([]string{"MULTI"}, []string{"DEBUG", "SLEEP", "0.1"}, []string{"DEBUG", "SLEEP", "0.15"}, []string{"EXEC"})
	w.Advance(200 * time.Millisecond)
	assert.Empty(t, c.replies(), "the two sleeps hold the node for 250 ms")
	w.Advance(100 * time.Millisecond)
	assert.Equal(t, []string{"OK", "QUEUED", "QUEUED", "1) OK\n2) OK"}, c.replies())
	log := w.do(6000, "SLOWLOG", "GET")
	assert.Regexp(t, `^1\) 1\) \(integer\) 2\n.*\n   3\) \(integer\) 150000\n   4\) 1\) "DEBUG"\n      2\) "SLEEP"\n      3\) "0.15"`, log)
	assert.NotContains(t, log, "EXEC")
	assert.Equal(t, "3", w.do(6000, "SLOWLOG", "LEN")[len("(integer) "):])

	assert.Equal(t, "cmdstat_debug:calls=3,usec=450000,usec_per_call=150000.00,rejected_calls=0,failed_calls=0", w.infoLine(6000, "commandstats", "cmdstat_debug:"))
	assert.Equal(t, "cmdstat_exec:calls=1,usec=250000,usec_per_call=250000.00,rejected_calls=0,failed_calls=0", w.infoLine(6000, "commandstats", "cmdstat_exec:"))
	assert.Equal(t, "cmdstat_ping:calls=1,usec=0,usec_per_call=0.00,rejected_calls=0,failed_calls=0", w.infoLine(6000, "commandstats", "cmdstat_ping:"))
	w.do(6000, "CONFIG", "SET", "latency-tracking-info-percentiles", "0 50 100")
	assert.Equal(t, "latency_percentiles_usec_debug:p0=99614.720,p50=150994.943,p100=200278.015", w.infoLine(6000, "latencystats", "latency_percentiles_usec_debug:"))
	assert.Equal(t, "latency_percentiles_usec_ping:p0=0.001,p50=0.001,p100=0.001", w.infoLine(6000, "latencystats", "latency_percentiles_usec_ping:"))

	w.do(6000, "CONFIG", "SET", "latency-tracking", "no")
	assert.Empty(t, w.infoLine(6000, "latencystats", "latency_"), "nothing shown while tracking is off")
	w.do(6000, "CONFIG", "SET", "latency-tracking", "yes")
	w.do(6000, "CONFIG", "RESETSTAT")
	assert.Equal(t, []string{"latency_percentiles_usec_config|resetstat"}, regexp.MustCompile(`latency_percentiles_usec_[^:]+`).FindAllString(w.do(6000, "INFO", "latencystats"), -1))
}

// TestScriptDurationIsItsInstructions: without a driver's Busy a script's
// run time is its Lua instructions, counted as Interrupted counts them
// (100000 for 5 ms): a long loop is logged with its time, EVAL's usec has
// it, and a short script takes 0 µs.
func TestScriptDurationIsItsInstructions(t *testing.T) {
	w := startWorld(t, 6000, "slowlog-log-slower-than 1000\n")
	w.do(6000, "EVAL", "return 1", "0")
	w.do(6000, "EVAL", "local x = 0 for i = 1, 1000000 do x = x + i end return x", "0")
	log := w.do(6000, "SLOWLOG", "GET")
	m := regexp.MustCompile(`^1\) 1\) \(integer\) 0\n.*\n   3\) \(integer\) (\d+)\n   4\) 1\) "EVAL"`).FindStringSubmatch(log)
	require.NotNil(t, m, log)
	assert.Equal(t, "1", w.do(6000, "SLOWLOG", "LEN")[len("(integer) "):], "the short script is not logged")
	assert.Regexp(t, `^cmdstat_eval:calls=2,usec=`+m[1]+`,`, w.infoLine(6000, "commandstats", "cmdstat_eval:"))
	assert.True(t, strings.HasSuffix(m[1], "000") && m[1] != "0", "whole 5 ms ticks: %s", m[1])
}

// TestBlockedCommandIsLoggedWhenServed: a blocked BLPOP is timed and logged
// once served, as the client sent it (it runs as a pop of the key that got
// ready), with the time it held the node when it blocked; CLIENT UNBLOCK
// ends one failed, with an entry without arguments, as redis-server 7.0.15
// (native/e2e's TestBlockedCommandDurationsAsRedis compares them).
func TestBlockedCommandIsLoggedWhenServed(t *testing.T) {
	w := startWorld(t, 6000, "slowlog-log-slower-than 0\n")
	b := w.conn(6000)
	b.send([]string{"BLPOP", "l", "0"})
	w.do(6000, "SLOWLOG", "RESET")
	w.do(6000, "RPUSH", "l", "a")
	assert.Equal(t, []string{"1) \"l\"\n2) \"a\""}, b.replies())
	log := w.do(6000, "SLOWLOG", "GET", "1")
	assert.Contains(t, log, "4) 1) \"BLPOP\"\n      2) \"l\"\n      3) \"0\"", log)

	id := strings.TrimPrefix(strings.TrimSpace(b.do("CLIENT", "ID")), ":")
	b.send([]string{"BRPOP", "m", "0"})
	assert.Equal(t, "(integer) 1", w.do(6000, "CLIENT", "UNBLOCK", id, "TIMEOUT"))
	assert.Equal(t, []string{"(nil)"}, b.replies())
	all := w.do(6000, "SLOWLOG", "GET", "2")
	assert.Contains(t, all, "4) (empty array)")
	assert.Equal(t, "cmdstat_brpop:calls=1,usec=0,usec_per_call=0.00,rejected_calls=0,failed_calls=1", w.infoLine(6000, "commandstats", "cmdstat_brpop:"))
	assert.NotEmpty(t, w.infoLine(6000, "latencystats", "latency_percentiles_usec_blpop:"))
}

// TestLatencyEvents: LATENCY's "command" and "fast-command" events are the
// commands whose modelled duration reached latency-monitor-threshold, one
// sample a second (its worst), with the worst ever; RESET drops them;
// HISTOGRAM reads the commands' histograms; DOCTOR reports on them, GRAPH
// draws them.
func TestLatencyEvents(t *testing.T) {
	w := startWorld(t, 6000, debugOK+"latency-monitor-threshold 100\n")
	w.do(6000, "DEBUG", "SLEEP", "0.05") // below the threshold
	assert.Equal(t, "(empty array)", w.do(6000, "LATENCY", "LATEST"))
	w.Advance(time.Second - w.Now().Sub(w.Now().Truncate(time.Second))) // the start of a second
	first := w.Now().Unix()
	w.do(6000, "DEBUG", "SLEEP", "0.3")
	w.do(6000, "DEBUG", "SLEEP", "0.4") // the same second: the worst stays
	w.Advance(time.Second)
	w.do(6000, "DEBUG", "SLEEP", "0.2")
	second := w.Now().Add(-200 * time.Millisecond).Unix()
	assert.Equal(t, "1) 1) (integer) "+strconv.FormatInt(first, 10)+"\n   2) (integer) 400\n2) 1) (integer) "+strconv.FormatInt(second, 10)+"\n   2) (integer) 200",
		w.do(6000, "LATENCY", "HISTORY", "command"))
	assert.Equal(t, "1) 1) \"command\"\n   2) (integer) "+strconv.FormatInt(second, 10)+"\n   3) (integer) 200\n   4) (integer) 400",
		w.do(6000, "LATENCY", "LATEST"))
	assert.Equal(t, "1) \"debug\"\n2) 1) \"calls\"\n   2) (integer) 4\n   3) \"histogram_usec\"\n   4) 1) (integer) 67633\n      2) (integer) 1\n      3) (integer) 270532\n      4) (integer) 2\n      5) (integer) 541065\n      6) (integer) 4",
		w.do(6000, "LATENCY", "HISTOGRAM", "DEBUG"))
	assert.Contains(t, w.do(6000, "LATENCY", "DOCTOR"), `1. command: 2 latency spikes (average 300ms, mean deviation 100ms, period 0.50 sec). Worst all time event 400ms.\n\nI have a few advices for you:\n\n- Check your Slow Log`)
	w.Advance(90 * time.Second)
	assert.Equal(t, `"command - high 400 ms, low 200 ms (all time high 400 ms)\n`+strings.Repeat("-", 80)+`\n# \n| \n| \n|_\n  \n11\nmm\n"`,
		w.do(6000, "LATENCY", "GRAPH", "command"), "400 ms: full; 200 ms: the lowest step; labels 1m (91 s ago) and 1m")
	assert.Equal(t, w.do(6000, "LATENCY", "HISTORY", "command"), w.do(6000, "LATENCY", "HISTORY", "command\x00x"), "a C string")
	assert.Equal(t, "(integer) 1", w.do(6000, "LATENCY", "RESET", "Command\x00", "nosuch"))
	assert.Contains(t, w.do(6000, "LATENCY", "DOCTOR"), "Dave, no latency spike was observed")
	assert.Equal(t, "(empty array)", w.do(6000, "LATENCY", "LATEST"))
}

package node

import (
	"bytes"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/syncscope/syncscope/core/command"
)

// The latency monitor (src/latency.c): for each event, the worst latency
// of each second in which it reached latency-monitor-threshold, the last
// latencyTSLen of them, and the worst ever. The events recorded here are
// "command" and "fast-command": a command's modelled duration (see
// Node.held).
type latencySeries struct {
	samples [latencyTSLen]latencySample // a ring; time 0: unused
	idx     int                         // where the next second goes
	max     int64
}

type latencySample struct {
	time, latency int64 // Unix seconds, ms
}

const latencyTSLen = 160 // LATENCY_TS_LEN

// latencyEvent is latencyAddSampleIfNeeded for event, which took d.
func (n *Node) latencyEvent(event string, d time.Duration) {
	ms := d.Milliseconds()
	if thr := n.cfg.LatencyMonitorThreshold; thr == 0 || ms < thr {
		return
	}
	ts := n.latency[event]
	if ts == nil {
		if n.latency == nil {
			n.latency = make(map[string]*latencySeries)
		}
		ts = new(latencySeries)
		n.latency[event] = ts
	}
	ts.max = max(ts.max, ms)
	now := n.heldUntil().Unix()
	// One sample a second: the worst.
	if prev := &ts.samples[(ts.idx+latencyTSLen-1)%latencyTSLen]; prev.time == now {
		prev.latency = max(prev.latency, ms)
		return
	}
	ts.samples[ts.idx] = latencySample{time: now, latency: ms}
	ts.idx = (ts.idx + 1) % latencyTSLen
}

// commandLatency records a completed command's duration as its event:
// "fast-command" for the commands flagged fast.
func (n *Node) commandLatency(cmd *command.Command, d time.Duration) {
	if cmd.Flags&command.Fast != 0 {
		n.latencyEvent("fast-command", d)
	} else {
		n.latencyEvent("command", d)
	}
}

// latencyEvents are the recorded events' names, sorted (Redis: its dict's
// order).
func (n *Node) latencyEvents() []string {
	names := make([]string, 0, len(n.latency))
	for name := range n.latency {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}

// eventName is an event named in a command, as Redis reads it: a C string,
// up to a NUL.
func eventName(arg []byte) string {
	if i := bytes.IndexByte(arg, 0); i >= 0 {
		arg = arg[:i]
	}
	return string(arg)
}

var latencyHelp = []string{
	"DOCTOR",
	"    Return a human readable latency analysis report.",
	"GRAPH <event>",
	"    Return an ASCII latency graph for the <event> class.",
	"HISTORY <event>",
	"    Return time-latency samples for the <event> class.",
	"LATEST",
	"    Return the latest latency samples for all events.",
	"RESET [<event> ...]",
	"    Reset latency data of one or more <event> classes.",
	"    (default: reset all data for all event classes)",
	"HISTOGRAM [COMMAND ...]",
	"    Return a cumulative distribution of latencies in the format of a histogram for the specified command names.",
	"    If no commands are specified then all histograms are replied.",
}

// cmdLatencyHistory is LATENCY HISTORY event: its samples, oldest first.
func cmdLatencyHistory(n *Node, c *client, args [][]byte) {
	ts := n.latency[eventName(args[2])]
	if ts == nil {
		c.out.ArrayLen(0)
		return
	}
	var samples []latencySample
	for j := range latencyTSLen {
		if s := ts.samples[(ts.idx+j)%latencyTSLen]; s.time != 0 {
			samples = append(samples, s)
		}
	}
	c.out.ArrayLen(len(samples))
	for _, s := range samples {
		c.out.ArrayLen(2)
		c.out.Int(s.time)
		c.out.Int(s.latency)
	}
}

// cmdLatencyLatest is LATENCY LATEST: each event's last sample and worst.
func cmdLatencyLatest(n *Node, c *client, args [][]byte) {
	c.out.ArrayLen(len(n.latency))
	for _, name := range n.latencyEvents() {
		ts := n.latency[name]
		last := ts.samples[(ts.idx+latencyTSLen-1)%latencyTSLen]
		c.out.ArrayLen(4)
		c.out.BulkString(name)
		c.out.Int(last.time)
		c.out.Int(last.latency)
		c.out.Int(ts.max)
	}
}

// cmdLatencyReset is LATENCY RESET [event ...]: how many events it
// dropped (names in any case; unknown ones count 0).
func cmdLatencyReset(n *Node, c *client, args [][]byte) {
	resets := 0
	for _, name := range n.latencyEvents() {
		drop := len(args) == 2
		for _, a := range args[2:] {
			drop = drop || strings.EqualFold(eventName(a), name)
		}
		if drop {
			delete(n.latency, name)
			resets++
		}
	}
	c.out.Int(int64(resets))
}

// cmdLatencyHistogram is LATENCY HISTOGRAM [command ...]: the cumulative
// distribution of each command's latencies (all that have one, or the
// named ones and their subcommands, unknown names skipped).
func cmdLatencyHistogram(n *Node, c *client, args [][]byte) {
	var names []string
	if len(args) == 2 {
		names = n.statNames(func(st *cmdStat) bool { return st.hist != nil })
	} else {
		for _, a := range args[2:] {
			cmd := command.LookupFull(string(a))
			if cmd == nil {
				continue
			}
			if st := n.stats.cmds[cmd.Name]; st != nil && st.hist != nil {
				names = append(names, cmd.Name)
			}
			var subs []string
			for _, s := range cmd.Subcommands {
				if st := n.stats.cmds[s.Name]; st != nil && st.hist != nil {
					subs = append(subs, s.Name)
				}
			}
			sort.Strings(subs)
			names = append(names, subs...)
		}
	}
	c.out.MapLen(len(names))
	for _, name := range names {
		h := n.stats.cmds[name].hist
		c.out.BulkString(name)
		c.out.MapLen(2)
		c.out.BulkString("calls")
		c.out.Int(h.total)
		c.out.BulkString("histogram_usec")
		var cdf []int64
		h.cdf(func(usec, cum int64) { cdf = append(cdf, usec, cum) })
		c.out.MapLen(len(cdf) / 2)
		for _, v := range cdf {
			c.out.Int(v)
		}
	}
}

// cmdLatencyDoctor is LATENCY DOCTOR: createLatencyReport's analysis of
// the events recorded (here "command" and "fast-command", the only ones
// syncscope records) and its advice for them.
func cmdLatencyDoctor(n *Node, c *client, args [][]byte) {
	c.out.Verbatim("txt", n.latencyReport())
}

func (n *Node) latencyReport() string {
	if len(n.latency) == 0 && n.cfg.LatencyMonitorThreshold == 0 {
		return "I'm sorry, Dave, I can't do that. Latency monitoring is disabled in this Redis instance. You may use \"CONFIG SET latency-monitor-threshold <milliseconds>.\" in order to enable it. If we weren't in a deep space mission I'd suggest to take a look at https://redis.io/topics/latency-monitor.\n"
	}
	var sb strings.Builder
	var slowlogEnable, slowlogTune, scheduler bool
	advices := 0
	for i, name := range n.latencyEvents() {
		if i == 0 {
			sb.WriteString("Dave, I have observed latency spikes in this Redis instance. You don't mind talking about it, do you Dave?\n\n")
		}
		ts := n.latency[name]
		samples, avg, mad, period := ts.analyze(n.now.Unix())
		fmt.Fprintf(&sb, "%d. %s: %d latency spikes (average %dms, mean deviation %dms, period %.2f sec). Worst all time event %dms.",
			i+1, name, samples, avg, mad, float64(period)/float64(samples), ts.max)
		switch strings.ToLower(name) {
		case "command":
			if n.cfg.SlowlogLogSlowerThan < 0 {
				slowlogEnable = true
				advices++
			} else if n.cfg.SlowlogLogSlowerThan/1000 > n.cfg.LatencyMonitorThreshold {
				slowlogTune = true
				advices++
			}
			advices += 2 // inspect the slow log; large objects
		case "fast-command":
			scheduler = true
			advices++
		}
		sb.WriteByte('\n')
	}
	switch {
	case len(n.latency) == 0 && advices == 0:
		sb.WriteString("Dave, no latency spike was observed during the lifetime of this Redis instance, not in the slightest bit. I honestly think you ought to sit down calmly, take a stress pill, and think things over.\n")
	case advices == 0:
		sb.WriteString("\nWhile there are latency events logged, I'm not able to suggest any easy fix. Please use the Redis community to get some help, providing this report in your help request.\n")
	default:
		sb.WriteString("\nI have a few advices for you:\n\n")
		thr := n.cfg.LatencyMonitorThreshold * 1000
		if slowlogEnable {
			fmt.Fprintf(&sb, "- There are latency issues with potentially slow commands you are using. Try to enable the Slow Log Redis feature using the command 'CONFIG SET slowlog-log-slower-than %d'. If the Slow log is disabled Redis is not able to log slow commands execution for you.\n", thr)
		}
		if slowlogTune {
			fmt.Fprintf(&sb, "- Your current Slow Log configuration only logs events that are slower than your configured latency monitor threshold. Please use 'CONFIG SET slowlog-log-slower-than %d'.\n", thr)
		}
		if n.latency["command"] != nil {
			sb.WriteString("- Check your Slow Log to understand what are the commands you are running which are too slow to execute. Please check https://redis.io/commands/slowlog for more information.\n")
		}
		if scheduler {
			sb.WriteString("- The system is slow to execute Redis code paths not containing system calls. This usually means the system does not provide Redis CPU time to run for long periods. You should try to:\n" +
				"  1) Lower the system load.\n" +
				"  2) Use a computer / VM just for Redis if you are running other software in the same system.\n" +
				"  3) Check if you have a \"noisy neighbour\" problem.\n" +
				"  4) Check with 'redis-cli --intrinsic-latency 100' what is the intrinsic latency in your system.\n" +
				"  5) Check if the problem is allocator-related by recompiling Redis with MALLOC=libc, if you are using Jemalloc. However this may create fragmentation problems.\n")
		}
		if n.latency["command"] != nil {
			sb.WriteString("- Deleting, expiring or evicting (because of maxmemory policy) large objects is a blocking operation. If you have very large objects that are often deleted, expired, or evicted, try to fragment those objects into multiple smaller objects.\n")
		}
	}
	return sb.String()
}

// analyze is analyzeLatencyForEvent: the number of samples, their average
// and mean absolute deviation (ms, in integers), and the seconds since the
// oldest (at least 1).
func (ts *latencySeries) analyze(now int64) (samples, avg, mad, period int64) {
	var sum, oldest int64
	for _, s := range ts.samples {
		if s.time == 0 {
			continue
		}
		samples++
		sum += s.latency
		if oldest == 0 || s.time < oldest {
			oldest = s.time
		}
	}
	if samples == 0 {
		return 0, 0, 0, 0
	}
	avg = sum / samples
	period = max(now-oldest, 1)
	var dev int64
	for _, s := range ts.samples {
		if s.time != 0 {
			dev += max(avg-s.latency, s.latency-avg)
		}
	}
	return samples, avg, dev / samples, period
}

// cmdLatencyGraph is LATENCY GRAPH event: latencyCommandGenSparkeline, the
// event's samples as an ASCII sparkline, each labelled with how long ago
// it was.
func cmdLatencyGraph(n *Node, c *client, args [][]byte) {
	name := eventName(args[2])
	ts := n.latency[name]
	if ts == nil {
		c.out.Error(fmt.Sprintf("ERR No samples available for event '%s'", name))
		return
	}
	var values []int64
	var labels []string
	var lo, hi int64
	for j := range latencyTSLen {
		s := ts.samples[(ts.idx+j)%latencyTSLen]
		if s.time == 0 {
			continue
		}
		if len(values) == 0 {
			lo, hi = s.latency, s.latency
		}
		lo, hi = min(lo, s.latency), max(hi, s.latency)
		values = append(values, s.latency)
		labels = append(labels, agoLabel(n.now.Unix()-s.time))
	}
	var sb strings.Builder
	fmt.Fprintf(&sb, "%s - high %d ms, low %d ms (all time high %d ms)\n", name, hi, lo, ts.max)
	sb.WriteString(strings.Repeat("-", latencyGraphCols))
	sb.WriteByte('\n')
	for j := 0; j < len(values); j += latencyGraphCols {
		if j != 0 {
			sb.WriteByte('\n')
		}
		end := min(j+latencyGraphCols, len(values))
		sparkline(&sb, values[j:end], labels[j:end], lo, hi)
	}
	c.out.Verbatim("txt", sb.String())
}

const (
	latencyGraphCols = 80 // LATENCY_GRAPH_COLS
	sparklineRows    = 4
)

// agoLabel is a sample's label: the seconds, minutes, hours or days since.
func agoLabel(elapsed int64) string {
	switch {
	case elapsed < 60:
		return fmt.Sprintf("%ds", elapsed)
	case elapsed < 3600:
		return fmt.Sprintf("%dm", elapsed/60)
	case elapsed < 3600*24:
		return fmt.Sprintf("%dh", elapsed/3600)
	}
	return fmt.Sprintf("%dd", elapsed/(3600*24))
}

// sparkline is sparklineRenderRange with SPARKLINE_FILL: sparklineRows rows
// of "_o#" (three steps a row, '|' below the top), a blank line, then each
// sample's label written downwards. lo and hi are the whole sequence's.
func sparkline(sb *strings.Builder, values []int64, labels []string, lo, hi int64) {
	const charset = "_o#"
	relmax := float64(hi - lo)
	if relmax == 0 {
		relmax = 1
	}
	steps := len(charset) * sparklineRows
	chars := make([]byte, len(values))
	for row := 0; ; row++ {
		more := false
		for j := range chars {
			chars[j] = ' '
		}
		for j, v := range values {
			if row < sparklineRows {
				// C's (int)(relval*steps)/relmax, truncated again.
				step := int(float64(int(float64(v-lo)*float64(steps))) / relmax)
				step = min(max(step, 0), steps-1)
				more = true
				switch idx := step - (sparklineRows-row-1)*len(charset); {
				case idx >= 0 && idx < len(charset):
					chars[j] = charset[idx]
				case idx >= len(charset):
					chars[j] = '|'
				}
				continue
			}
			if row == sparklineRows { // the labels' top margin
				more = true
				break
			}
			if at := row - sparklineRows - 1; at < len(labels[j]) {
				more = true
				chars[j] = labels[j][at]
			}
		}
		if !more {
			return
		}
		sb.Write(chars)
		sb.WriteByte('\n')
	}
}

package node

import (
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
	now := n.now.Unix()
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

// latencyHelp is Redis's, DOCTOR and GRAPH included (not built here yet:
// they answer unknown subcommand).
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
	ts := n.latency[string(args[2])]
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
			drop = drop || strings.EqualFold(string(a), name)
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

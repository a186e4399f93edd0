package sim

import (
	"flag"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
)

var (
	seedFlag    = flag.Uint64("seed", 0, "TestSeed: the seed to replay, with its trace")
	seedsFlag   = flag.Int("seeds", 0, "TestSweep: how many seeds to run")
	fromFlag    = flag.Uint64("from", 1, "TestSweep: the first seed")
	workersFlag = flag.Int("workers", runtime.NumCPU(), "TestSweep: worlds run at once")
)

// defaultSeeds is the fixed set go test runs.
// Every boundaryEvery-th is a boundary seed: 40 random scenarios and 8
// boundary scripts.
const defaultSeeds = 48

// report renders a failed run: the seed, the replay command, the knobs and
// a per-node trace (replayed with tracing on).
func report(res Result) string {
	var b strings.Builder
	fmt.Fprintf(&b, "seed %d failed: %v\nreplay: go test ./core/sim -run TestSeed -seed=%d -v\nknobs: %s\n", res.Seed, res.Err, res.Seed, res.Knobs)
	traced := res
	if !res.World.tracing {
		traced = Run(res.Seed, Options{Trace: true})
	}
	b.WriteString(FormatTrace(traced.World, 400))
	return b.String()
}

func TestSeeds(t *testing.T) {
	var total Stats
	for seed := uint64(1); seed <= defaultSeeds; seed++ {
		res := Run(seed, Options{})
		if res.Err != nil {
			t.Fatal(report(res))
		}
		total = total.Add(res.Stats)
	}
	t.Logf("exercised: %+v", total)
	// The fixed set must keep covering what the invariants are about.
	if total.PsyncContinue == 0 || total.PsyncFull == 0 || total.Promotions == 0 || total.Waits == 0 || total.Replays == 0 || total.NoLnk == 0 {
		t.Errorf("the default seeds no longer exercise every invariant: %+v", total)
	}
	if total.ResentBytes == 0 {
		t.Errorf("no byte a partial resync resent was compared with the stream: %+v", total)
	}
	for i, n := range total.Edges {
		if n == 0 {
			t.Errorf("the default seeds no longer reach the boundary %s: %v", edgeNames[i], total.Edges)
		}
	}
}

func TestSeed(t *testing.T) {
	if *seedFlag == 0 {
		t.Skip("replays one seed: -seed=N")
	}
	res := Run(*seedFlag, Options{Trace: true})
	t.Logf("knobs: %s\nstats: %+v\nsimulated %s, %.1f node-seconds", res.Knobs, res.Stats, res.SimTime, res.NodeSeconds)
	if testing.Verbose() || res.Err != nil {
		t.Log("\n" + FormatTrace(res.World, 0))
	}
	if res.Err != nil {
		t.Fatal(report(res))
	}
}

func TestSweep(t *testing.T) {
	if *seedsFlag == 0 {
		t.Skip("runs a sweep: -seeds=N [-from=S] [-workers=W]")
	}
	// Worlds share nothing: run them on every core, report in seed order.
	results := make([]Result, *seedsFlag)
	next := make(chan int)
	var wg sync.WaitGroup
	start := time.Now()
	for range max(*workersFlag, 1) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				res := Run(*fromFlag+uint64(i), Options{})
				res.World = nil // keep the memory of thousands of runs small
				results[i] = res
			}
		}()
	}
	for i := range *seedsFlag {
		next <- i
	}
	close(next)
	wg.Wait()
	el := time.Since(start)
	var nodeSecs float64
	var failed []uint64
	var total Stats
	for _, res := range results {
		nodeSecs += res.NodeSeconds
		total = total.Add(res.Stats)
		if res.Err != nil {
			failed = append(failed, res.Seed)
			t.Errorf("seed %d: %v\nreplay: go test ./core/sim -run TestSeed -seed=%d -v", res.Seed, firstLine(res.Err.Error()), res.Seed)
		}
	}
	t.Logf("sweep: %d seeds from %d, %d failed %v; %.0f simulated node-seconds in %s on %d workers: %.0f node-seconds per second",
		*seedsFlag, *fromFlag, len(failed), failed, nodeSecs, el.Round(time.Millisecond), *workersFlag, nodeSecs/el.Seconds())
	t.Logf("exercised: %+v", total)
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

// A seed replays exactly: the same trace (events, log lines, state changes
// on every node), the same data, with or without tracing.
func TestReplayIsIdentical(t *testing.T) {
	for _, seed := range []uint64{3, 7, 12} {
		a := Run(seed, Options{Trace: true})
		b := Run(seed, Options{Trace: true})
		c := Run(seed, Options{})
		ta, tb := FormatTrace(a.World, 0), FormatTrace(b.World, 0)
		if ta != tb {
			t.Fatalf("seed %d: two runs differ:\n%s", seed, firstDiff(ta, tb))
		}
		if len(a.World.TraceLines()) < 100 {
			t.Fatalf("seed %d: a trace of %d lines shows nothing", seed, len(a.World.TraceLines()))
		}
		if a.Stats != c.Stats || a.SimTime != c.SimTime || a.NodeSeconds != c.NodeSeconds {
			t.Fatalf("seed %d: tracing changed the run: %+v %s vs %+v %s", seed, a.Stats, a.SimTime, c.Stats, c.SimTime)
		}
		for _, p := range a.World.Ports() {
			na, nc := a.World.Node(p), c.World.Node(p)
			if digest(na.Store()) != digest(nc.Store()) || na.Info("replication") != nc.Info("replication") {
				t.Fatalf("seed %d: node %d ends differently", seed, p)
			}
		}
	}
}

func firstDiff(a, b string) string {
	la, lb := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := range min(len(la), len(lb)) {
		if la[i] != lb[i] {
			return fmt.Sprintf("line %d:\n  %s\n  %s", i+1, la[i], lb[i])
		}
	}
	return fmt.Sprintf("%d lines vs %d", len(la), len(lb))
}

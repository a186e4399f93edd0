package sim

import (
	"flag"
	"fmt"
	"strings"
	"testing"
	"time"
)

var (
	seedFlag  = flag.Uint64("seed", 0, "TestSeed: the seed to replay, with its trace")
	seedsFlag = flag.Int("seeds", 0, "TestSweep: how many seeds to run")
	fromFlag  = flag.Uint64("from", 1, "TestSweep: the first seed")
)

// defaultSeeds is the fixed set go test runs.
const defaultSeeds = 40

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
	for seed := uint64(1); seed <= defaultSeeds; seed++ {
		res := Run(seed, Options{})
		if res.Err != nil {
			t.Fatal(report(res))
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
		t.Skip("runs a sweep: -seeds=N [-from=S]")
	}
	start := time.Now()
	var nodeSecs float64
	var failed []uint64
	for i := 0; i < *seedsFlag; i++ {
		seed := *fromFlag + uint64(i)
		res := Run(seed, Options{})
		nodeSecs += res.NodeSeconds
		if res.Err != nil {
			failed = append(failed, seed)
			t.Errorf("seed %d: %v\nreplay: go test ./core/sim -run TestSeed -seed=%d -v", seed, firstLine(res.Err.Error()), seed)
		}
	}
	el := time.Since(start)
	t.Logf("sweep: %d seeds from %d, %d failed %v; %.0f simulated node-seconds in %s: %.0f node-seconds per second",
		*seedsFlag, *fromFlag, len(failed), failed, nodeSecs, el.Round(time.Millisecond), nodeSecs/el.Seconds())
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

//go:build simbugs

package sim

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/syncscope/syncscope/core/node"
	"github.com/syncscope/syncscope/core/repl"
)

// TestPlantedBugs plants each bug in turn (go test -tags simbugs) and checks
// that the default seed set catches it: at least one seed fails, and the
// report names the seed and the replay command.
func TestPlantedBugs(t *testing.T) {
	for _, bug := range []string{"backlog-off-by-one", "replid2-mixup", "chain-drops-ping"} {
		t.Run(bug, func(t *testing.T) {
			plant := func(on bool) {
				if !repl.Plant(bug, on) && !node.Plant(bug, on) {
					t.Fatalf("no planted bug %q", bug)
				}
			}
			plant(true)
			defer plant(false)
			caught := 0
			for seed := uint64(1); seed <= defaultSeeds; seed++ {
				if res := Run(seed, Options{}); res.Err != nil {
					if caught == 0 {
						t.Logf("seed %d caught it: %s\nreplay: go test -tags simbugs ./core/sim -run TestSeed -seed=%d", seed, firstLine(res.Err.Error()), seed)
					}
					caught++
				}
			}
			t.Logf("%d of %d default seeds fail", caught, defaultSeeds)
			assert.NotZero(t, caught, "the default seed set misses the planted bug %s", bug)
		})
	}
}

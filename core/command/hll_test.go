package command

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// TestHLLPropagation: PFCOUNT propagates itself only when it wrote the
// cache; PFDEBUG GETREG and TODENSE only when they converted (checked
// against redis-server's replication stream by hand: redis-cli --replica).
func TestHLLPropagation(t *testing.T) {
	h := newHarness(t)
	h.now = 1
	h.Do("PFADD", "k", "a", "b")
	h.Do("PFCOUNT", "k")
	h.Do("PFCOUNT", "k")
	h.Do("PFCOUNT", "k", "k")
	h.Do("PFADD", "k", "a")
	h.Do("PFMERGE", "m", "k")
	h.Do("PFDEBUG", "ENCODING", "m")
	h.Do("PFDEBUG", "GETREG", "m")
	h.Do("PFDEBUG", "GETREG", "m")
	h.Do("PFDEBUG", "TODENSE", "k")
	h.Do("PFDEBUG", "TODENSE", "k")
	require.Equal(t, []string{"PFADD k a b", "PFCOUNT k", "PFMERGE m k", "PFDEBUG GETREG m", "PFDEBUG TODENSE k"}, propStrings(h, 0))
}

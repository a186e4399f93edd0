package node_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/syncscope/syncscope/core/node"
	"github.com/syncscope/syncscope/core/resp"
)

// TestEvictionCreditsWhatWasEvicted: with maxmemory over the memory the
// driver reports, keys are evicted until their estimated size covers the
// excess; the next command does not evict again for the same excess while
// the reported memory has not dropped (Go's heap shrinks at the next
// collection), and the credit ends once it drops.
func TestEvictionCreditsWhatWasEvicted(t *testing.T) {
	mem := int64(0)
	l := newLoneEnv(t, "maxmemory 100000\nmaxmemory-policy allkeys-random\n", node.Env{Seed: [2]uint64{1, 1}, Pid: 1, MemoryUsed: func() int64 { return mem }})
	l.step(node.Accepted{Conn: 1, Peer: "127.0.0.1:50001"})
	c := func(args ...string) string {
		l.step(node.Received{Conn: 1, Data: resp.AppendCommandStrings(nil, args...)})
		return l.written(1)
	}
	for i := range 100 {
		c("SET", fmt.Sprintf("key:%d", i), "value")
	}
	mem = 100000 + 500 // over by 500 bytes: about ten keys of ~56 bytes
	c("PING")
	after := c("DBSIZE")
	require.Regexp(t, `^:9[0-2]\r\n$`, after) // 8 to 10 of 100 keys evicted
	c("PING")
	c("PING")
	assert.Equal(t, after, c("DBSIZE"), "no eviction again for the same excess")
	mem = 90000 // the collector ran
	c("PING")
	mem = 100000 + 500
	c("PING")
	assert.NotEqual(t, after, c("DBSIZE"), "a new excess evicts again")
	assert.Contains(t, c("INFO", "stats"), "evicted_keys:")
}

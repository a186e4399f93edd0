package node_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

// TestLazyExpireOfArbitraryKeys: SCAN deletes the expired keys it meets and
// RANDOMKEY those it draws, and their DELs go to replicas one by one, not
// wrapped in MULTI/EXEC (Redis's CMD_TOUCHES_ARBITRARY_KEYS; unit/expire
// "SCAN/RANDOMKEY: Lazy-expire should not be wrapped in MULTI/EXEC").
func TestLazyExpireOfArbitraryKeys(t *testing.T) {
	for _, cmd := range [][]string{{"SCAN", "0"}, {"RANDOMKEY"}} {
		t.Run(cmd[0], func(t *testing.T) {
			w := startWorld(t, 6379, "enable-debug-command yes")
			r := w.conn(6379)
			r.do("DEBUG", "SET-ACTIVE-EXPIRE", "0")
			r.do("SET", "foo1", "bar", "PX", "1")
			r.do("SET", "foo2", "bar", "PX", "1")
			w.Advance(5 * time.Millisecond)
			stream := replStream(t, w, 6379)
			r.do(cmd...)
			assert.ElementsMatch(t, []string{"DEL foo1", "DEL foo2"}, stream())
		})
	}
}

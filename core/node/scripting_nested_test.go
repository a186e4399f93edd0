package node_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// A script inside a script (DEBUG SET-DISABLE-DENY-SCRIPTS 1) hands the
// outer script its instruction hook back: the outer one goes on running
// after the inner one returns, and is still stopped at the threshold.
func TestScriptInsideScript(t *testing.T) {
	w := startWorld(t, 6379, "enable-debug-command yes")
	assert.Equal(t, "OK", w.do(6379, "DEBUG", "SET-DISABLE-DENY-SCRIPTS", "1"))
	assert.Equal(t, "(integer) 45000150000", w.do(6379, "EVAL",
		"redis.call('eval', 'return 1', 0) local x = 0 for i = 1, 300000 do x = x + i end return x", "0"))
	assert.Equal(t, "(integer) 2", w.do(6379, "EVAL",
		"redis.call('eval', 'return redis.call(\"incr\", \"c\")', 0) return redis.call('incr', 'c')", "0"))
	assert.Equal(t, "OK", w.do(6379, "CONFIG", "SET", "busy-reply-threshold", "10"))
	assert.Contains(t, w.do(6379, "EVAL", "redis.call('eval', 'return 1', 0) while true do end", "0"),
		"busy-reply-threshold", "the outer script is stopped by its own hook")
}

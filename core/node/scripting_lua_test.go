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

// Coroutines (Lua 5.1's base library has them, and so does Redis's Lua):
// a command called from one runs and is replicated like any other, and a
// busy loop inside one is stopped by the script's threshold, as the
// script's own would be.
func TestScriptCoroutines(t *testing.T) {
	w := startWorld(t, 6379, "")
	assert.Equal(t, "1) (integer) 1\n2) \"OK\"\n3) \"v\"", w.do(6379, "EVAL",
		"local co = coroutine.create(function(k) redis.call('set', k, 'v') coroutine.yield('OK') return redis.call('get', k) end) "+
			"local _, a = coroutine.resume(co, KEYS[1]) local ok, b = coroutine.resume(co) return {ok, a, b}", "1", "k"))
	assert.Equal(t, "OK", w.do(6379, "CONFIG", "SET", "busy-reply-threshold", "10"))
	assert.Contains(t, w.do(6379, "EVAL", "local co = coroutine.create(function() while true do end end) return coroutine.resume(co)", "0"),
		"busy-reply-threshold", "the loop in the coroutine is stopped")
	assert.Equal(t, "\"v\"", w.do(6379, "GET", "k"))
}

package command

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
)

// Found by core/sim: INCRBYFLOAT propagated the very bytes it stored, so an
// INCR later in the same MULTI, which rewrites the value in place, changed
// what the replicas were sent (they ended one ahead of their master). What
// a command propagates must not alias the keyspace.
func TestIncrbyfloatPropagationDoesNotAliasTheValue(t *testing.T) {
	h := newHarness(t)
	h.now = 1000
	h.Do("SET", "n", "1.5")
	h.Do("INCRBYFLOAT", "n", "1.5")
	h.Do("INCR", "n")
	assert.Equal(t, "SET n 3 KEEPTTL", string(bytes.Join(h.props[1], []byte(" "))))
	assert.Equal(t, "$1\r\n4\r\n", h.Do("GET", "n"))
}

package command

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestEveryBindingHasARecord requires each handler bound in bind.go, and
// each command named as the node's, to have Redis's metadata, and to be
// bound only once (keyspace or node, not both).
func TestEveryBindingHasARecord(t *testing.T) {
	known := map[string]bool{}
	for i := range metadata {
		known[metadata[i].Name] = true
		for _, s := range metadata[i].Subcommands {
			known[s.Name] = true
		}
	}
	seen := map[string]bool{}
	for _, name := range nodeCommands {
		assert.True(t, known[name], "node command %q is not a Redis 7.0.15 command", name)
		assert.False(t, seen[name], "node command %q named twice", name)
		seen[name] = true
		assert.Nil(t, keyspaceHandlers[name], "%q is bound both as a keyspace and a node command", name)
	}
	for name := range keyspaceHandlers {
		assert.True(t, known[name], "keyspace handler %q is not a Redis 7.0.15 command", name)
	}
}

// TestEveryRecordHasOneHandler requires every served command and
// subcommand to have exactly one handler, a subcommand only under a served
// command, and IDs numbering them all once.
func TestEveryRecordHasOneHandler(t *testing.T) {
	ids := make([]bool, Count())
	check := func(c *Command) {
		assert.True(t, (c.Run != nil) != c.Node, "%s: a keyspace Run xor the node", c.Name)
		require.Less(t, c.ID, len(ids))
		assert.False(t, ids[c.ID], "%s: ID %d taken", c.Name, c.ID)
		ids[c.ID] = true
		assert.Same(t, c, LookupFull(strings.ToUpper(c.Name)))
	}
	for _, c := range All() {
		check(c)
		for _, s := range c.Subcommands {
			check(s)
			assert.True(t, strings.HasPrefix(s.Name, c.Name+"|"), s.Name)
			assert.Equal(t, c.Node, s.Node, "%s: served by the same side as %s", s.Name, c.Name)
		}
	}
	for id, ok := range ids {
		assert.True(t, ok, "ID %d unused", id)
	}
	for name := range keyspaceHandlers {
		assert.NotNil(t, LookupFull(name), "%s is bound but not served (its command is not bound)", name)
	}
	for _, name := range nodeCommands {
		assert.NotNil(t, LookupFull(name), "%s is named but not served (its command is not named)", name)
	}
}

package node

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/syncscope/syncscope/core/command"
)

// TestEveryNodeCommandHasOneHandler requires every command the table marks
// as the node's to be bound here exactly once, and every binding to be such
// a command (a keyspace one has its Run in core/command instead).
func TestEveryNodeCommandHasOneHandler(t *testing.T) {
	bound := nodeHandlers()
	hs := bindHandlers()
	for _, cmd := range command.All() {
		_, ok := bound[cmd.Name]
		assert.Equal(t, cmd.Node, ok, "%s: node command %v, bound in nodeHandlers %v", cmd.Name, cmd.Node, ok)
		for _, sub := range cmd.Subcommands {
			assert.Equal(t, cmd.Node, hs[sub.ID] != nil, "%s: runs on its command's handler", sub.Name)
		}
	}
	for name := range bound {
		cmd := command.Lookup([]byte(name))
		if assert.NotNil(t, cmd, "%s is bound but not in the table (add it to command's nodeCommands)", name) {
			assert.True(t, cmd.Node, "%s is bound here but is a keyspace command", name)
		}
	}
}

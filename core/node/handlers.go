package node

import (
	"fmt"
	"strings"

	"github.com/syncscope/syncscope/core/command"
)

// nodeHandler runs a command the node serves (command.Command.Node).
type nodeHandler func(n *Node, c *client, args [][]byte)

// nodeHandlers binds the node's commands to their handlers: the one place
// they are bound (their metadata is command's). A container's handler runs
// its subcommands too. A function, not a table: the handlers call back into
// dispatch, which reads the table (an initialization cycle otherwise).
func nodeHandlers() map[string]nodeHandler {
	return map[string]nodeHandler{
		"acl": cmdACL, "auth": cmdAuth, "bgsave": cmdBgsave, "client": cmdClient, "command": cmdCommand,
		"config": cmdConfig, "debug": cmdDebug, "discard": cmdDiscard, "echo": cmdEcho, "eval": cmdEval, "eval_ro": cmdEvalRO, "evalsha": cmdEvalsha, "evalsha_ro": cmdEvalshaRO,
		"fcall": cmdFcall, "fcall_ro": cmdFcallRO, "function": cmdFunction, "script": cmdScript,
		"exec": cmdExec, "failover": cmdFailover, "hello": cmdHello, "info": cmdInfo,
		"lastsave": cmdLastsave, "memory": cmdMemory, "slowlog": cmdSlowlog, "monitor": cmdMonitor, "multi": cmdMulti, "ping": cmdPing,
		"psubscribe": cmdPsubscribe, "psync": cmdSync, "publish": cmdPublish, "pubsub": cmdPubsub,
		"punsubscribe": cmdPunsubscribe, "quit": cmdQuit, "replconf": cmdReplconf,
		"replicaof": cmdReplicaof, "reset": cmdReset, "role": cmdRole, "save": cmdSave,
		"select": cmdSelect, "shutdown": cmdShutdown, "slaveof": cmdReplicaof,
		"subscribe": cmdSubscribe, "ssubscribe": cmdSsubscribe, "sunsubscribe": cmdSunsubscribe, "spublish": cmdSpublish, "sync": cmdSync, "time": cmdTime, "unsubscribe": cmdUnsubscribe,
		"unwatch": cmdUnwatch, "wait": cmdWait, "watch": cmdWatch,
	}
}

// bindHandlers lays the node's handlers out by command ID, for dispatch's
// one lookup.
func bindHandlers() []nodeHandler {
	byName := nodeHandlers()
	hs := make([]nodeHandler, command.Count())
	for _, cmd := range command.All() {
		h := byName[cmd.Name]
		if h == nil {
			continue
		}
		hs[cmd.ID] = h
		for _, sub := range cmd.Subcommands {
			hs[sub.ID] = h
		}
	}
	return hs
}

// help writes Redis's addReplyHelp format.
func help(c *client, cmd string, lines []string) {
	c.out.ArrayLen(len(lines) + 3)
	c.out.SimpleString(fmt.Sprintf("%s <subcommand> [<arg> [value] [opt] ...]. Subcommands are:", cmd))
	for _, l := range lines {
		c.out.SimpleString(l)
	}
	c.out.SimpleString("HELP")
	c.out.SimpleString("    Prints this help.")
}

// subcommandError answers a subcommand with arguments it does not take
// (addReplySubcommandSyntaxError); dispatch refused the unknown ones.
func subcommandError(c *client, args [][]byte) {
	c.out.Error(fmt.Sprintf("ERR unknown subcommand or wrong number of arguments for '%s'. Try %s HELP.", subcommandName(args), strings.ToUpper(string(args[0]))))
}

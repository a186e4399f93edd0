package node

import (
	"fmt"
	"strings"

	"github.com/syncscope/syncscope/core/command"
	"github.com/syncscope/syncscope/core/cstr"
)

// nodeHandler runs a command the node serves (command.Command.Node).
type nodeHandler func(n *Node, c *client, args [][]byte)

// nodeHandlers binds the node's commands to their handlers: the one place
// they are bound (their metadata is command's). A container's handler runs
// its subcommands too. A function, not a table: the handlers call back into
// dispatch, which reads the table (an initialization cycle otherwise).
func nodeHandlers() map[string]nodeHandler {
	return map[string]nodeHandler{
		"acl": runsSubcommands, "auth": cmdAuth, "bgsave": cmdBgsave, "client": runsSubcommands, "command": cmdCommand,
		"config": runsSubcommands, "debug": cmdDebug, "discard": cmdDiscard, "echo": cmdEcho, "eval": cmdEval, "eval_ro": cmdEvalRO, "evalsha": cmdEvalsha, "evalsha_ro": cmdEvalshaRO,
		"fcall": cmdFcall, "fcall_ro": cmdFcallRO, "function": cmdFunction, "script": cmdScript,
		"exec": cmdExec, "failover": cmdFailover, "hello": cmdHello, "info": cmdInfo,
		"lastsave": cmdLastsave, "latency": runsSubcommands, "memory": runsSubcommands, "slowlog": runsSubcommands, "monitor": cmdMonitor, "multi": cmdMulti, "ping": cmdPing,
		"psubscribe": cmdPsubscribe, "psync": cmdSync, "publish": cmdPublish, "pubsub": runsSubcommands,
		"punsubscribe": cmdPunsubscribe, "quit": cmdQuit, "replconf": cmdReplconf,
		"replicaof": cmdReplicaof, "reset": cmdReset, "role": cmdRole, "save": cmdSave,
		"select": cmdSelect, "shutdown": cmdShutdown, "slaveof": cmdReplicaof,
		"subscribe": cmdSubscribe, "ssubscribe": cmdSsubscribe, "sunsubscribe": cmdSunsubscribe, "spublish": cmdSpublish, "sync": cmdSync, "time": cmdTime, "unsubscribe": cmdUnsubscribe,
		"unwatch": cmdUnwatch, "wait": cmdWait, "watch": cmdWatch,
	}
}

// subcommandHandlers binds the subcommands that have a handler of their
// own: dispatch finds the subcommand's record and runs it, so these need no
// switch on the subcommand's name. The others run on their command's
// handler.
func subcommandHandlers() map[string]nodeHandler {
	return map[string]nodeHandler{
		"acl|cat": cmdACLCat, "acl|deluser": cmdACLDeluser, "acl|dryrun": (*Node).aclDryRun, "acl|genpass": cmdACLGenpass,
		"acl|getuser": cmdACLGetuser, "acl|help": helpHandler("ACL", aclHelp), "acl|list": cmdACLList(false),
		"acl|load": cmdACLFile(false), "acl|log": (*Node).aclLogCommand, "acl|save": cmdACLFile(true),
		"acl|setuser": (*Node).aclSetUser, "acl|users": cmdACLList(true), "acl|whoami": cmdACLWhoami,

		"client|getname": cmdClientGetname, "client|help": helpHandler("CLIENT", clientHelp), "client|id": cmdClientID,
		"client|info": cmdClientInfo, "client|kill": (*Node).clientKill, "client|list": cmdClientList,
		"client|no-evict": cmdClientNoEvict, "client|pause": cmdClientPause, "client|reply": cmdClientReply,
		"client|setname": cmdClientSetname, "client|unblock": cmdClientUnblock, "client|unpause": cmdClientUnpause,

		"config|get": cmdConfigGet, "config|help": helpHandler("CONFIG", configHelp), "config|resetstat": cmdConfigResetstat,
		"config|rewrite": cmdConfigRewrite, "config|set": cmdConfigSet,

		"memory|doctor": cmdMemoryDoctor, "memory|help": helpHandler("MEMORY", memoryHelp), "memory|malloc-stats": cmdMemoryMallocStats,
		"memory|purge": cmdMemoryPurge, "memory|stats": cmdMemoryStats, "memory|usage": memoryUsage,

		"pubsub|channels": pubsubChannels(false), "pubsub|help": helpHandler("PUBSUB", pubsubHelp), "pubsub|numpat": cmdPubsubNumpat,
		"pubsub|numsub": pubsubNumsub(false), "pubsub|shardchannels": pubsubChannels(true), "pubsub|shardnumsub": pubsubNumsub(true),

		"slowlog|get": cmdSlowlogGet, "slowlog|help": helpHandler("SLOWLOG", slowlogHelp), "slowlog|len": cmdSlowlogLen,
		"slowlog|reset":  cmdSlowlogReset,
		"latency|doctor": cmdLatencyDoctor, "latency|graph": cmdLatencyGraph, "latency|help": helpHandler("LATENCY", latencyHelp), "latency|histogram": cmdLatencyHistogram, "latency|history": cmdLatencyHistory,
		"latency|latest": cmdLatencyLatest, "latency|reset": cmdLatencyReset,
	}
}

// runsSubcommands is the handler of a command whose subcommands all have
// their own: dispatch never runs it (the command takes a subcommand, and
// refuses an unknown one), but every record has a handler.
func runsSubcommands(n *Node, c *client, args [][]byte) { subcommandError(c, args) }

// bindHandlers lays the node's handlers out by command ID, for dispatch's
// one lookup.
func bindHandlers() []nodeHandler {
	byName, subs := nodeHandlers(), subcommandHandlers()
	hs := make([]nodeHandler, command.Count())
	for _, cmd := range command.All() {
		h := byName[cmd.Name]
		if h == nil {
			continue
		}
		hs[cmd.ID] = h
		for _, sub := range cmd.Subcommands {
			hs[sub.ID] = h
			if own := subs[sub.Name]; own != nil {
				hs[sub.ID] = own
			}
		}
	}
	for name := range subs {
		// A binding the table does not serve is a programming error.
		if cmd := command.LookupFull(name); cmd == nil || !cmd.Node || !strings.Contains(name, "|") {
			panic(fmt.Sprintf("node: %s is bound as a subcommand but is not one of the node's", name))
		}
	}
	return hs
}

// help writes Redis's addReplyHelp format.
func help(c *client, cmd string, lines []string) { command.WriteHelp(&c.out, cmd, lines) }

// helpHandler is a HELP subcommand's handler: cmd's help lines.
func helpHandler(cmd string, lines []string) nodeHandler {
	return func(n *Node, c *client, args [][]byte) { help(c, cmd, lines) }
}

// subcommandError answers a subcommand with arguments it does not take
// (addReplySubcommandSyntaxError); dispatch refused the unknown ones.
func subcommandError(c *client, args [][]byte) { c.out.Error(command.SubcommandSyntaxError(args)) }

// optionArg reads the optional word at args[at], the last argument a
// subcommand takes (CLIENT PAUSE's mode, CLIENT UNBLOCK's reason): its
// index in words (lowercase; args[at] matches in any case), -1 when it is
// absent, or false once it has replied, with the syntax error for more
// arguments or with msg for another word.
func optionArg(c *client, args [][]byte, at int, msg string, words ...string) (int, bool) {
	switch {
	case len(args) > at+1:
		subcommandError(c, args)
		return 0, false
	case len(args) <= at:
		return -1, true
	}
	for i, w := range words {
		if command.EqualFold(args[at], w) {
			return i, true
		}
	}
	c.out.Error(msg)
	return 0, false
}

// intArg is getLongLongFromObjectOrReply: arg as an int64, or false once
// it has replied that it is not one.
func intArg(c *client, arg []byte) (int64, bool) {
	v, ok := cstr.String2ll(arg)
	if !ok {
		c.out.Error(command.ErrNotInt)
	}
	return v, ok
}

// timeoutArg is getTimeoutFromObjectOrReply in milliseconds (CLIENT PAUSE,
// WAIT): a timeout that is an integer and not negative.
func timeoutArg(c *client, arg []byte) (int64, bool) {
	ms, ok := cstr.String2ll(arg)
	switch {
	case !ok:
		c.out.Error("ERR timeout is not an integer or out of range")
	case ms < 0:
		c.out.Error("ERR timeout is negative")
	default:
		return ms, true
	}
	return 0, false
}

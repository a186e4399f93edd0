package node

import (
	"fmt"
	"strings"

	"github.com/syncscope/syncscope/core/command"
)

// nodeCommandTable returns the node-level command table, indexed by name.
// Each node builds its own: the handlers refer back to the table (COMMAND),
// which a package-level variable could not do without an initialization cycle.
func nodeCommandTable() ([]nodeCmd, map[string]*nodeCmd) {
	const (
		adm   = command.Admin
		ps    = command.PubSub
		stale = command.Stale
		load  = command.Loading
		fast  = command.Fast
		noa   = command.NoAuth
		nom   = command.NoMulti
		nos   = command.NoScript
		mayr  = command.MayReplicate
	)
	list := []nodeCmd{
		{"ping", -1, fast, cmdPing}, // not stale: MASTERDOWN, as in Redis 7.0
		{"echo", 2, fast | stale | load, cmdEcho},
		{"quit", -1, fast | stale | load | noa, cmdQuit},
		{"reset", 1, fast | stale | load | noa, cmdReset},
		{"select", 2, fast | stale | load, cmdSelect},
		{"hello", -1, fast | stale | load | noa, cmdHello},
		{"auth", -2, fast | stale | load | noa, cmdAuth},
		{"acl", -2, 0, cmdACL},
		{"client", -2, stale | load, cmdClient},
		{"time", 1, fast | stale | load, cmdTime},
		{"lastsave", 1, fast | stale | load, cmdLastsave},
		{"info", -1, stale | load, cmdInfo},
		{"config", -2, adm | stale | load, cmdConfig},
		{"command", -1, stale | load, cmdCommand},
		{"debug", -2, adm | stale | load, cmdDebug},
		{"monitor", 1, adm | stale | load | nom, cmdMonitor},
		{"save", 1, adm | nom, cmdSave},
		{"bgsave", -1, adm, cmdBgsave},
		{"shutdown", -1, adm | stale | load | nom, cmdShutdown},
		{"multi", 1, fast | stale | load | nom, cmdMulti},
		{"exec", 1, stale | load, cmdExec},
		{"discard", 1, fast | stale | load | nom, cmdDiscard},
		{"watch", -2, fast | stale | load | nom, cmdWatch},
		{"unwatch", 1, fast | stale | load, cmdUnwatch},
		{"subscribe", -2, ps | stale | load, cmdSubscribe},
		{"unsubscribe", -1, ps | stale | load, cmdUnsubscribe},
		{"psubscribe", -2, ps | stale | load, cmdPsubscribe},
		{"punsubscribe", -1, ps | stale | load, cmdPunsubscribe},
		{"publish", 3, ps | stale | load | fast | command.MayReplicate, cmdPublish},
		{"pubsub", -2, ps | stale | load, cmdPubsub},
		{"replicaof", 3, adm | stale, cmdReplicaof},
		{"slaveof", 3, adm | stale, cmdReplicaof},
		{"role", 1, fast | stale | load, cmdRole},
		{"failover", -1, adm | stale, cmdFailover},
		{"sync", 1, adm | nom, cmdSync},
		{"psync", -3, adm | nom, cmdSync},
		{"replconf", -1, adm | stale | load, cmdReplconf},
		{"wait", 3, 0, cmdWait},
		{"eval", -3, nos | stale | mayr, cmdEval},
		{"evalsha", -3, nos | stale | mayr, cmdEvalsha},
		{"eval_ro", -3, nos | stale | command.ReadOnly, cmdEvalRO},
		{"evalsha_ro", -3, nos | stale | command.ReadOnly, cmdEvalshaRO},
		{"fcall", -3, nos | stale | mayr, cmdFcall},
		{"fcall_ro", -3, nos | stale | command.ReadOnly, cmdFcallRO},
		{"script", -2, nos, cmdScript},
		{"function", -2, nos, cmdFunction},
		{"post", -1, noa | stale | load, cmdSecurityWarning},
		{"host:", -1, noa | stale | load, cmdSecurityWarning},
	}
	m := make(map[string]*nodeCmd, len(list))
	for i := range list {
		m[list[i].name] = &list[i]
	}
	return list, m
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

// subcommandError answers a subcommand the command does not serve: one it
// does not know (processCommand's words), or one it knows with arguments it
// does not take (addReplySubcommandSyntaxError's).
func subcommandError(c *client, args [][]byte) {
	sub := string(args[1])
	if i := strings.IndexByte(sub, 0); i >= 0 {
		sub = sub[:i] // printed with %s
	}
	if len(sub) > 128 {
		sub = sub[:128]
	}
	cmd := strings.ToUpper(string(args[0]))
	if _, known := subcommandArity[lower(args[0])][strings.ToLower(string(args[1]))]; known {
		c.out.Error(fmt.Sprintf("ERR unknown subcommand or wrong number of arguments for '%s'. Try %s HELP.", sub, cmd))
		return
	}
	c.out.Error(fmt.Sprintf("ERR unknown subcommand '%s'. Try %s HELP.", sub, cmd))
}

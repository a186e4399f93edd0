package node

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/syncscope/syncscope/core/command"
	"github.com/syncscope/syncscope/core/cstr"
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
	)
	list := []nodeCmd{
		{"ping", -1, fast, cmdPing}, // not stale: MASTERDOWN, as in Redis 7.0
		{"echo", 2, fast | stale | load, cmdEcho},
		{"quit", -1, fast | stale | load | noa, cmdQuit},
		{"reset", 1, fast | stale | load | noa, cmdReset},
		{"select", 2, fast | stale | load, cmdSelect},
		{"hello", -1, fast | stale | load | noa, cmdHello},
		{"auth", -2, fast | stale | load | noa, cmdAuth},
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

func cmdPing(n *Node, c *client, args [][]byte) {
	if len(args) > 2 {
		c.out.Error("ERR wrong number of arguments for 'ping' command")
		return
	}
	if c.subscriptions() > 0 && c.out.Proto != 3 {
		c.out.ArrayLen(2)
		c.out.BulkString("pong")
		if len(args) == 2 {
			c.out.Bulk(args[1])
		} else {
			c.out.BulkString("")
		}
		return
	}
	if len(args) == 2 {
		c.out.Bulk(args[1])
		return
	}
	c.out.SimpleString("PONG")
}

func cmdEcho(n *Node, c *client, args [][]byte) { c.out.Bulk(args[1]) }

func cmdQuit(n *Node, c *client, args [][]byte) {
	c.out.SimpleString("OK")
	c.closeAfter = true
}

func cmdSecurityWarning(n *Node, c *client, args [][]byte) {
	n.log('#', "Possible SECURITY ATTACK detected. It looks like somebody is sending POST or Host: commands to Redis. This is likely due to an attacker attempting to use Cross Protocol Scripting to compromise your Redis instance. Connection aborted.")
	n.closeClient(c)
}

func cmdSelect(n *Node, c *client, args [][]byte) {
	id64, ok := cstr.String2ll(args[1])
	id := int(id64)
	if !ok {
		c.out.Error("ERR value is not an integer or out of range")
		return
	}
	if id64 < math.MinInt32 || id64 > math.MaxInt32 { // getIntFromObjectOrReply
		c.out.Error("ERR value is out of range, value must between -2147483648 and 2147483647")
		return
	}
	if id < 0 || id >= len(n.st.DBs) {
		c.out.Error("ERR DB index is out of range")
		return
	}
	c.db = id
	c.out.SimpleString("OK")
}

func cmdTime(n *Node, c *client, args [][]byte) {
	us := n.now.UnixMicro()
	c.out.ArrayLen(2)
	c.out.BulkString(strconv.FormatInt(us/1e6, 10))
	c.out.BulkString(strconv.FormatInt(us%1e6, 10))
}

func cmdLastsave(n *Node, c *client, args [][]byte) {
	c.out.Int(n.persist.lastSave.Unix())
}

func cmdAuth(n *Node, c *client, args [][]byte) {
	if len(args) > 3 {
		c.out.Error(command.ErrSyntax)
		return
	}
	user, pass := "default", string(args[1])
	if len(args) == 3 {
		user, pass = string(args[1]), string(args[2])
	}
	if n.cfg.RequirePass == "" && len(args) == 2 {
		c.out.Error("ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?")
		return
	}
	if user != "default" || pass != n.cfg.RequirePass && n.cfg.RequirePass != "" {
		c.out.Error("WRONGPASS invalid username-password pair or user is disabled.")
		return
	}
	c.authed = true
	c.out.SimpleString("OK")
}

func cmdHello(n *Node, c *client, args [][]byte) {
	proto := c.out.Proto
	if proto == 0 {
		proto = 2
	}
	i := 1
	if len(args) >= 2 {
		v, ok := cstr.String2ll(args[1])
		if !ok {
			c.out.Error("ERR Protocol version is not an integer or out of range")
			return
		}
		if v < 2 || v > 3 {
			c.out.Error("NOPROTO unsupported protocol version")
			return
		}
		proto = int(v)
		i = 2
	}
	for ; i < len(args); i++ {
		more := len(args) - i - 1
		switch opt := lower(args[i]); {
		case opt == "auth" && more >= 2:
			if string(args[i+1]) != "default" || (n.cfg.RequirePass != "" && string(args[i+2]) != n.cfg.RequirePass) {
				c.out.Error("WRONGPASS invalid username-password pair or user is disabled.")
				return
			}
			c.authed = true
			i += 2
		case opt == "setname" && more >= 1:
			if !validClientName(args[i+1]) {
				c.out.Error("ERR Client names cannot contain spaces, newlines or special characters.")
				return
			}
			c.name = string(args[i+1])
			i++
		default:
			c.out.Error(fmt.Sprintf("ERR Syntax error in HELLO option '%s'", args[i]))
			return
		}
	}
	if !c.authed {
		c.out.Error("NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol version at the same time")
		return
	}
	c.out.Proto = proto
	c.out.MapLen(7)
	c.out.BulkString("server")
	c.out.BulkString("redis")
	c.out.BulkString("version")
	c.out.BulkString(Version)
	c.out.BulkString("proto")
	c.out.Int(int64(proto))
	c.out.BulkString("id")
	c.out.Int(c.id)
	c.out.BulkString("mode")
	c.out.BulkString("standalone")
	c.out.BulkString("role")
	if n.isReplica() {
		c.out.BulkString("replica")
	} else {
		c.out.BulkString("master")
	}
	c.out.BulkString("modules")
	c.out.ArrayLen(0)
}

func validClientName(b []byte) bool {
	for _, ch := range b {
		if ch < '!' || ch > '~' {
			return false
		}
	}
	return true
}

func cmdMonitor(n *Node, c *client, args [][]byte) {
	if c.monitor {
		return
	}
	c.monitor = true
	n.monitoring = append(n.monitoring, c)
	c.out.SimpleString("OK")
}

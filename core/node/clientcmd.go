package node

import (
	"fmt"
	"strings"

	"github.com/syncscope/syncscope/core/command"
	"github.com/syncscope/syncscope/core/cstr"
)

// clientInfo renders one CLIENT LIST / CLIENT INFO line.
func (n *Node) clientInfo(c *client) string {
	multi := -1
	if c.multi != nil {
		multi = len(c.multi.cmds)
	}
	fd := int64(c.conn)
	if c.conn >= dialBase {
		fd = int64(c.conn - dialBase + 1000)
	}
	cmd := c.lastCmd
	if cmd == "" {
		cmd = "NULL"
	}
	proto := c.out.Proto
	if proto == 0 {
		proto = 2
	}
	obl := len(c.out.Buf)
	omem := int64(c.unflushed)
	if c.replRef != nil {
		// A replica's output is the shared buffer from its place on.
		omem = c.replRef.Mem()
	}
	return fmt.Sprintf("id=%d addr=%s laddr=%s fd=%d name=%s age=%d idle=%d flags=%s db=%d sub=%d psub=%d ssub=%d multi=%d qbuf=%d qbuf-free=%d argv-mem=0 multi-mem=0 rbs=%d rbp=0 obl=%d oll=0 omem=%d tot-mem=%d events=r cmd=%s user=%s redir=-1 resp=%d",
		c.id, c.addr, c.laddr, fd, c.name, int64(n.now.Sub(c.created).Seconds()), int64(n.now.Sub(c.lastActive).Seconds()),
		c.flags(), c.db, len(c.channels), len(c.patterns), len(c.shardChannels), multi, len(c.qbuf), cap(c.qbuf)-len(c.qbuf),
		max(cap(c.qbuf), 1024), obl, omem, 20000+int64(cap(c.qbuf))+omem, cmd, userName(c), proto)
}

// The CLIENT subcommands, each bound to its record in handlers.go; dispatch
// has checked their arity.

var clientHelp = []string{
	"CACHING (YES|NO)",
	"    Enable/disable tracking of the keys for next command in OPTIN/OPTOUT modes.",
	"GETREDIR",
	"    Return the client ID we are redirecting to when tracking is enabled.",
	"GETNAME",
	"    Return the name of the current connection.",
	"ID",
	"    Return the ID of the current connection.",
	"INFO",
	"    Return information about the current client connection.",
	"KILL <ip:port>",
	"    Kill connection made from <ip:port>.",
	"KILL <option> <value> [<option> <value> [...]]",
	"    Kill connections. Options are:",
	"    * ADDR (<ip:port>|<unixsocket>:0)",
	"      Kill connections made from the specified address",
	"    * LADDR (<ip:port>|<unixsocket>:0)",
	"      Kill connections made to specified local address",
	"    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
	"      Kill connections by type.",
	"    * USER <username>",
	"      Kill connections authenticated by <username>.",
	"    * SKIPME (YES|NO)",
	"      Skip killing current connection (default: yes).",
	"LIST [options ...]",
	"    Return information about client connections. Options:",
	"    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
	"      Return clients of specified type.",
	"UNPAUSE",
	"    Stop the current client pause, resuming traffic.",
	"PAUSE <timeout> [WRITE|ALL]",
	"    Suspend all, or just write, clients for <timeout> milliseconds.",
	"REPLY (ON|OFF|SKIP)",
	"    Control the replies sent to the current connection.",
	"SETNAME <name>",
	"    Assign the name <name> to the current connection.",
	"UNBLOCK <clientid> [TIMEOUT|ERROR]",
	"    Unblock the specified blocked client.",
	"TRACKING (ON|OFF) [REDIRECT <id>] [BCAST] [PREFIX <prefix> [...]]",
	"         [OPTIN] [OPTOUT] [NOLOOP]",
	"    Control server assisted client side caching.",
	"TRACKINGINFO",
	"    Report tracking status for the current connection.",
	"NO-EVICT (ON|OFF)",
	"    Protect current client connection from eviction.",
}

func cmdClientID(n *Node, c *client, args [][]byte) { c.out.Int(c.id) }

func cmdClientGetname(n *Node, c *client, args [][]byte) {
	if c.name == "" {
		c.out.Null()
	} else {
		c.out.BulkString(c.name)
	}
}

func cmdClientSetname(n *Node, c *client, args [][]byte) {
	if !validClientName(args[2]) {
		c.out.Error("ERR Client names cannot contain spaces, newlines or special characters.")
		return
	}
	c.name = string(args[2])
	c.out.SimpleString("OK")
}

func cmdClientInfo(n *Node, c *client, args [][]byte) {
	c.out.Verbatim("txt", n.clientInfo(c)+"\n")
}

// cmdClientList is CLIENT LIST [TYPE t | ID id...].
func cmdClientList(n *Node, c *client, args [][]byte) {
	// As networking.c: TYPE t alone, or ID id..., or nothing.
	var ids map[int64]bool
	typ := ""
	switch {
	case len(args) == 4 && lower(args[2]) == "type":
		// getClientTypeByName compares C strings: the name ends at a NUL.
		typ = lower(cstr.UntilNUL(args[3]))
		if typ != "normal" && typ != "master" && typ != "replica" && typ != "slave" && typ != "pubsub" {
			c.out.Error(fmt.Sprintf("ERR Unknown client type '%s'", cstr.UntilNUL(args[3])))
			return
		}
	case len(args) > 3 && lower(args[2]) == "id":
		ids = map[int64]bool{}
		for _, a := range args[3:] {
			id, ok := cstr.String2ll(a)
			if !ok {
				c.out.Error("ERR Invalid client ID")
				return
			}
			ids[id] = true
		}
	case len(args) != 2:
		c.out.Error(command.ErrSyntax)
		return
	}
	var sb strings.Builder
	for _, x := range n.order {
		if ids != nil && !ids[x.id] {
			continue
		}
		if typ != "" && clientType(x) != typ && !(typ == "slave" && clientType(x) == "replica") {
			continue
		}
		sb.WriteString(n.clientInfo(x))
		sb.WriteByte('\n')
	}
	c.out.Verbatim("txt", sb.String())
}

func cmdClientUnpause(n *Node, c *client, args [][]byte) {
	n.unpauseClients(pauseByCommand)
	c.out.SimpleString("OK")
}

func cmdClientNoEvict(n *Node, c *client, args [][]byte) {
	if a := lower(args[2]); a != "on" && a != "off" {
		c.out.Error(command.ErrSyntax)
		return
	}
	c.out.SimpleString("OK")
}

// cmdClientUnblock is CLIENT UNBLOCK id [TIMEOUT|ERROR].
func cmdClientUnblock(n *Node, c *client, args [][]byte) {
	reason, ok := optionArg(c, args, 3, "ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR", "timeout", "error")
	if !ok {
		return
	}
	asError := reason == 1
	id, ok := intArg(c, args[2])
	if !ok {
		return
	}
	for _, t := range n.order {
		if t.id == id && !t.closed && t.blocked != nil && !t.blocked.postponed {
			n.unblockByCommand(t, asError)
			c.out.Int(1)
			return
		}
	}
	c.out.Int(0)
}

// cmdClientReply is CLIENT REPLY ON|OFF|SKIP.
func cmdClientReply(n *Node, c *client, args [][]byte) {
	switch lower(args[2]) {
	case "on":
		c.replyOff, c.replySkip = false, false
		c.out.SimpleString("OK")
	case "off":
		c.replyOff = true
	case "skip":
		if !c.replyOff {
			c.replySkipNext = true
		}
	default:
		c.out.Error("ERR syntax error")
	}
}

func clientType(c *client) string {
	switch {
	case c.isMaster:
		return "master"
	case c.replica != nil:
		return "replica"
	case c.pubsubMode():
		return "pubsub"
	}
	return "normal"
}

// clientKill implements both CLIENT KILL forms.
func (n *Node) clientKill(c *client, args [][]byte) {
	if len(args) == 3 {
		for _, x := range n.killable() {
			if x.addr == string(args[2]) {
				n.killClient(x, c)
				c.out.SimpleString("OK")
				return
			}
		}
		c.out.Error("ERR No such client")
		return
	}
	if len(args)%2 != 0 {
		c.out.Error(command.ErrSyntax)
		return
	}
	skipMe := true
	var match []func(*client) bool
	for i := 2; i < len(args); i += 2 {
		opt, val := lower(args[i]), string(args[i+1])
		switch opt {
		case "id":
			id, ok := cstr.String2ll(args[i+1])
			if !ok || id <= 0 {
				c.out.Error("ERR client-id should be greater than 0")
				return
			}
			match = append(match, func(x *client) bool { return x.id == id })
		case "addr":
			match = append(match, func(x *client) bool { return x.addr == val })
		case "laddr":
			match = append(match, func(x *client) bool { return x.laddr == val })
		case "type":
			val = cstr.UntilNUL(val) // compared and printed as a C string
			t := strings.ToLower(val)
			if t == "slave" {
				t = "replica"
			}
			if t != "normal" && t != "master" && t != "replica" && t != "pubsub" {
				c.out.Error(fmt.Sprintf("ERR Unknown client type '%s'", val))
				return
			}
			match = append(match, func(x *client) bool { return clientType(x) == t })
		case "user":
			u := n.acl.users[val]
			if u == nil {
				c.out.Error(fmt.Sprintf("ERR No such user '%s'", cstr.UntilNUL(val)))
				return
			}
			match = append(match, func(x *client) bool { return x.user == u })
		case "skipme":
			switch strings.ToLower(val) {
			case "yes":
				skipMe = true
			case "no":
				skipMe = false
			default:
				c.out.Error(command.ErrSyntax)
				return
			}
		default:
			c.out.Error(command.ErrSyntax)
			return
		}
	}
	killed := 0
	for _, x := range n.killable() {
		if skipMe && x == c {
			continue
		}
		ok := true
		for _, m := range match {
			ok = ok && m(x)
		}
		if ok {
			n.killClient(x, c)
			killed++
		}
	}
	c.out.Int(int64(killed))
}

// killable lists the clients CLIENT KILL can match: every connection, and
// a replica's link to its master once it streams (Redis's server.master is
// in server.clients, addressed by the master's ip:port).
func (n *Node) killable() []*client {
	all := append([]*client(nil), n.order...)
	if n.repl.mc != nil {
		all = append(all, n.repl.mc)
	}
	return all
}

func (n *Node) killClient(x, by *client) {
	if x == by {
		by.closeAfter = true
		return
	}
	if x.isMaster {
		n.linkDropped("Connection with master lost.")
		return
	}
	n.closeClient(x)
}

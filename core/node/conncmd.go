package node

import (
	"fmt"
	"math"
	"strconv"

	"github.com/syncscope/syncscope/core/command"
	"github.com/syncscope/syncscope/core/cstr"
)

func cmdPing(n *Node, c *client, args [][]byte) {
	if len(args) > 2 {
		c.out.Error("ERR wrong number of arguments for 'ping' command")
		return
	}
	if c.pubsubMode() && c.out.Proto != 3 {
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
	} else if n.acl.def.flags&userNopass != 0 {
		c.out.Error("ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?")
		return
	}
	if !n.authenticate(c, user, pass) {
		c.out.Error("WRONGPASS invalid username-password pair or user is disabled.")
		return
	}
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
			if !n.authenticate(c, string(args[i+1]), string(args[i+2])) {
				c.out.Error("WRONGPASS invalid username-password pair or user is disabled.")
				return
			}
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

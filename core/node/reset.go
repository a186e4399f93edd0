package node

// cmdReset is RESET (resetCommand, clearClientConnectionState): the
// connection goes back to how it was when it connected — out of MONITOR,
// MULTI (unwatching), pub/sub and CLIENT REPLY OFF/SKIP, db 0, RESP2, no
// name, and the default user, authenticated only when it needs no password.
func cmdReset(n *Node, c *client, args [][]byte) {
	if c.isMaster || c.replica != nil {
		c.out.Error("ERR can only reset normal client connections")
		return
	}
	if c.monitor {
		c.monitor = false
		n.monitoring = removeClient(n.monitoring, c)
	}
	c.db = 0
	c.out.Proto = 2
	c.pushes.Proto = 2
	n.defaultAuth(c)
	c.multi = nil
	n.unwatchAll(c)
	for len(c.chanOrder) > 0 {
		n.unsubscribeChannel(c, c.chanOrder[0])
	}
	for len(c.patOrder) > 0 {
		n.unsubscribePattern(c, c.patOrder[0])
	}
	for len(c.shardOrder) > 0 {
		n.unsubscribeShard(c, c.shardOrder[0])
	}
	c.name = ""
	c.replyOff, c.replySkip, c.replySkipNext = false, false, false
	c.out.SimpleString("RESET")
}

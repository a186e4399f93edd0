package node

// Sharded pub/sub (SSUBSCRIBE, SUNSUBSCRIBE, SPUBLISH) as Redis 7.0 has it
// outside a cluster: a namespace of channels of its own, with "smessage"
// pushes, subscription counts of its own, and SPUBLISH propagated to
// replicas like PUBLISH.

func cmdSsubscribe(n *Node, c *client, args [][]byte) {
	if n.execDepth > 0 { // EXEC denies blocking, and SSUBSCRIBE has no MULTI exception
		c.out.Error("ERR SSUBSCRIBE isn't allowed for a DENY BLOCKING client")
		return
	}
	for _, ch := range args[1:] {
		if addName(&c.shardChannels, &c.shardOrder, string(ch)) {
			addSubscriber(&n.pubsub.shard, string(ch), c)
		}
		c.subscribeReply("ssubscribe", ch, len(c.shardChannels))
	}
}

func cmdSunsubscribe(n *Node, c *client, args [][]byte) {
	c.unsubscribeEach("sunsubscribe", args[1:], c.shardOrder, func(name string) { n.unsubscribeShard(c, name) },
		func() int { return len(c.shardChannels) })
}

func (n *Node) unsubscribeShard(c *client, name string) {
	if dropName(c.shardChannels, &c.shardOrder, name) {
		removeSubscriber(n.pubsub.shard, name, c)
	}
}

func cmdSpublish(n *Node, c *client, args [][]byte) {
	c.out.Int(int64(n.deliver(n.pubsub.shard, "smessage", args[1], args[2])))
	n.propagate(c.db, args)
}

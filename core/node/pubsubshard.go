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
	count := 0
	for _, s := range n.pubsub.shard[string(args[1])] {
		out := s.push()
		if out.Proto == 3 {
			out.PushLen(3)
		} else {
			out.ArrayLen(3)
		}
		out.BulkString("smessage")
		out.Bulk(args[1])
		out.Bulk(args[2])
		n.queueOutput(s)
		count++
	}
	c.out.Int(int64(count))
	n.propagate(c.db, args)
}

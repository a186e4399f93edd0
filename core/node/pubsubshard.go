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
		name := string(ch)
		if c.shardChannels == nil {
			c.shardChannels = make(map[string]bool)
		}
		if !c.shardChannels[name] {
			c.shardChannels[name] = true
			c.shardOrder = append(c.shardOrder, name)
			if n.pubsub.shard == nil {
				n.pubsub.shard = make(map[string][]*client)
			}
			n.pubsub.shard[name] = append(n.pubsub.shard[name], c)
		}
		c.subscribeReply("ssubscribe", ch, len(c.shardChannels))
	}
}

func cmdSunsubscribe(n *Node, c *client, args [][]byte) {
	names := args[1:]
	if len(names) == 0 {
		for _, ch := range c.shardOrder {
			names = append(names, []byte(ch))
		}
		if len(names) == 0 {
			c.subscribeReply("sunsubscribe", nil, 0)
			return
		}
	}
	for _, ch := range names {
		n.unsubscribeShard(c, string(ch))
		c.subscribeReply("sunsubscribe", ch, len(c.shardChannels))
	}
}

func (n *Node) unsubscribeShard(c *client, name string) {
	if !c.shardChannels[name] {
		return
	}
	delete(c.shardChannels, name)
	for i, x := range c.shardOrder {
		if x == name {
			c.shardOrder = append(c.shardOrder[:i], c.shardOrder[i+1:]...)
			break
		}
	}
	list := removeClient(n.pubsub.shard[name], c)
	if len(list) == 0 {
		delete(n.pubsub.shard, name)
	} else {
		n.pubsub.shard[name] = list
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

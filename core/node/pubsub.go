package node

import (
	"sort"

	"github.com/syncscope/syncscope/core/cstr"
)

// pubsubState indexes subscribers; lists keep subscription order so
// PUBLISH delivers deterministically.
type pubsubState struct {
	channels map[string][]*client
	patterns []patternSub
	shard    map[string][]*client // SSUBSCRIBE's channels
}

type patternSub struct {
	pattern string
	c       *client
}

func (c *client) subscribeReply(kind string, name []byte, count int) {
	out := c.push()
	if out.Proto == 3 {
		out.PushLen(3)
	} else {
		out.ArrayLen(3)
	}
	out.BulkString(kind)
	if name == nil {
		out.Null()
	} else {
		out.Bulk(name)
	}
	out.Int(int64(count))
}

func cmdSubscribe(n *Node, c *client, args [][]byte) {
	for _, ch := range args[1:] {
		name := string(ch)
		if c.channels == nil {
			c.channels = make(map[string]bool)
		}
		if !c.channels[name] {
			c.channels[name] = true
			c.chanOrder = append(c.chanOrder, name)
			if n.pubsub.channels == nil {
				n.pubsub.channels = make(map[string][]*client)
			}
			n.pubsub.channels[name] = append(n.pubsub.channels[name], c)
		}
		c.subscribeReply("subscribe", ch, c.subscriptions())
	}
}

func cmdUnsubscribe(n *Node, c *client, args [][]byte) {
	names := args[1:]
	if len(names) == 0 {
		for _, ch := range c.chanOrder {
			names = append(names, []byte(ch))
		}
		if len(names) == 0 {
			c.subscribeReply("unsubscribe", nil, c.subscriptions())
			return
		}
	}
	for _, ch := range names {
		n.unsubscribeChannel(c, string(ch))
		c.subscribeReply("unsubscribe", ch, c.subscriptions())
	}
}

func (n *Node) unsubscribeChannel(c *client, name string) {
	if !c.channels[name] {
		return
	}
	delete(c.channels, name)
	for i, x := range c.chanOrder {
		if x == name {
			c.chanOrder = append(c.chanOrder[:i], c.chanOrder[i+1:]...)
			break
		}
	}
	list := removeClient(n.pubsub.channels[name], c)
	if len(list) == 0 {
		delete(n.pubsub.channels, name)
	} else {
		n.pubsub.channels[name] = list
	}
}

func cmdPsubscribe(n *Node, c *client, args [][]byte) {
	for _, p := range args[1:] {
		pat := string(p)
		if c.patterns == nil {
			c.patterns = make(map[string]bool)
		}
		if !c.patterns[pat] {
			c.patterns[pat] = true
			c.patOrder = append(c.patOrder, pat)
			n.pubsub.patterns = append(n.pubsub.patterns, patternSub{pattern: pat, c: c})
		}
		c.subscribeReply("psubscribe", p, c.subscriptions())
	}
}

func cmdPunsubscribe(n *Node, c *client, args [][]byte) {
	pats := args[1:]
	if len(pats) == 0 {
		for _, p := range c.patOrder {
			pats = append(pats, []byte(p))
		}
		if len(pats) == 0 {
			c.subscribeReply("punsubscribe", nil, c.subscriptions())
			return
		}
	}
	for _, p := range pats {
		n.unsubscribePattern(c, string(p))
		c.subscribeReply("punsubscribe", p, c.subscriptions())
	}
}

func (n *Node) unsubscribePattern(c *client, pat string) {
	if !c.patterns[pat] {
		return
	}
	delete(c.patterns, pat)
	for i, x := range c.patOrder {
		if x == pat {
			c.patOrder = append(c.patOrder[:i], c.patOrder[i+1:]...)
			break
		}
	}
	for i, ps := range n.pubsub.patterns {
		if ps.c == c && ps.pattern == pat {
			n.pubsub.patterns = append(n.pubsub.patterns[:i], n.pubsub.patterns[i+1:]...)
			break
		}
	}
}

func (n *Node) pubsubUnsubscribeAll(c *client) {
	for _, ch := range append([]string(nil), c.chanOrder...) {
		n.unsubscribeChannel(c, ch)
	}
	for _, p := range append([]string(nil), c.patOrder...) {
		n.unsubscribePattern(c, p)
	}
	for _, ch := range append([]string(nil), c.shardOrder...) {
		n.unsubscribeShard(c, ch)
	}
}

// publish delivers msg to channel subscribers then pattern subscribers and
// returns how many received it.
func (n *Node) publish(channel, msg []byte) int {
	count := 0
	for _, s := range n.pubsub.channels[string(channel)] {
		out := s.push()
		if out.Proto == 3 {
			out.PushLen(3)
		} else {
			out.ArrayLen(3)
		}
		out.BulkString("message")
		out.Bulk(channel)
		out.Bulk(msg)
		n.queueOutput(s)
		count++
	}
	for _, ps := range n.pubsub.patterns {
		if !cstr.Glob(ps.pattern, string(channel), false) {
			continue
		}
		s := ps.c
		out := s.push()
		if out.Proto == 3 {
			out.PushLen(4)
		} else {
			out.ArrayLen(4)
		}
		out.BulkString("pmessage")
		out.BulkString(ps.pattern)
		out.Bulk(channel)
		out.Bulk(msg)
		n.queueOutput(s)
		count++
	}
	return count
}

func cmdPublish(n *Node, c *client, args [][]byte) {
	c.out.Int(int64(n.publish(args[1], args[2])))
	n.propagate(c.db, args)
}

func cmdPubsub(n *Node, c *client, args [][]byte) {
	sub := lower(args[1])
	switch {
	case sub == "channels" && len(args) <= 3:
		var names []string
		for name := range n.pubsub.channels {
			if len(args) == 3 && !cstr.Glob(string(args[2]), name, false) {
				continue
			}
			names = append(names, name)
		}
		sort.Strings(names)
		c.out.ArrayLen(len(names))
		for _, s := range names {
			c.out.BulkString(s)
		}
	case sub == "numsub":
		c.out.ArrayLen(2 * (len(args) - 2)) // a flat array even in RESP3, as Redis 7.0 replies
		for _, ch := range args[2:] {
			c.out.Bulk(ch)
			c.out.Int(int64(len(n.pubsub.channels[string(ch)])))
		}
	case sub == "shardchannels" && len(args) <= 3:
		var names []string
		for name := range n.pubsub.shard {
			if len(args) == 3 && !cstr.Glob(string(args[2]), name, false) {
				continue
			}
			names = append(names, name)
		}
		sort.Strings(names)
		c.out.ArrayLen(len(names))
		for _, s := range names {
			c.out.BulkString(s)
		}
	case sub == "shardnumsub":
		c.out.ArrayLen(2 * (len(args) - 2))
		for _, ch := range args[2:] {
			c.out.Bulk(ch)
			c.out.Int(int64(len(n.pubsub.shard[string(ch)])))
		}
	case sub == "numpat" && len(args) == 2:
		seen := map[string]bool{}
		for _, ps := range n.pubsub.patterns {
			seen[ps.pattern] = true
		}
		c.out.Int(int64(len(seen)))
	case sub == "help" && len(args) == 2:
		help(c, "PUBSUB", []string{
			"CHANNELS [<pattern>]",
			"    Return the currently active channels matching a <pattern> (default: '*').",
			"NUMPAT",
			"    Return number of subscriptions to patterns.",
			"NUMSUB [<channel> ...]",
			"    Return the number of subscribers for the specified channels, excluding",
			"    pattern subscriptions(default: no channels).",
			"SHARDCHANNELS [<pattern>]",
			"    Return the currently active shard level channels matching a <pattern> (default: '*').",
			"SHARDNUMSUB [<shardchannel> ...]",
			"    Return the number of subscribers for the specified shard level channel(s)",
		})
	default:
		subcommandError(c, args)
	}
}

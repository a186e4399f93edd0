package node

import (
	"slices"
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
	out.PushLen(3) // an array in RESP2
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
		if addName(&c.channels, &c.chanOrder, string(ch)) {
			addSubscriber(&n.pubsub.channels, string(ch), c)
		}
		c.subscribeReply("subscribe", ch, c.subscriptions())
	}
}

func cmdUnsubscribe(n *Node, c *client, args [][]byte) {
	c.unsubscribeEach("unsubscribe", args[1:], c.chanOrder, func(name string) { n.unsubscribeChannel(c, name) }, c.subscriptions)
}

// unsubscribeEach is (P|S)UNSUBSCRIBE: each name given, or each the
// client has (order) when none is, with a reply for each; one reply
// with a null name when there is none at all. count is the count to tell.
func (c *client) unsubscribeEach(kind string, names [][]byte, order []string, drop func(string), count func() int) {
	if len(names) == 0 {
		for _, name := range order {
			names = append(names, []byte(name))
		}
		if len(names) == 0 {
			c.subscribeReply(kind, nil, count())
			return
		}
	}
	for _, name := range names {
		drop(string(name))
		c.subscribeReply(kind, name, count())
	}
}

// addName adds name to a client's subscriptions of one kind (a set, and
// the order they were made in); false when it was there.
func addName(set *map[string]bool, order *[]string, name string) bool {
	if (*set)[name] {
		return false
	}
	if *set == nil {
		*set = make(map[string]bool)
	}
	(*set)[name] = true
	*order = append(*order, name)
	return true
}

// dropName removes name from a client's subscriptions of one kind; false
// when it was not there.
func dropName(set map[string]bool, order *[]string, name string) bool {
	if !set[name] {
		return false
	}
	delete(set, name)
	if i := slices.Index(*order, name); i >= 0 {
		*order = slices.Delete(*order, i, i+1)
	}
	return true
}

// addSubscriber and removeSubscriber keep the clients of a channel (or of
// a key: blocked on it, watching it), in the order they came.
func addSubscriber(subs *map[string][]*client, name string, c *client) {
	if *subs == nil {
		*subs = make(map[string][]*client)
	}
	(*subs)[name] = append((*subs)[name], c)
}

func removeSubscriber[K comparable](subs map[K][]*client, name K, c *client) {
	if list := removeClient(subs[name], c); len(list) == 0 {
		delete(subs, name)
	} else {
		subs[name] = list
	}
}

func (n *Node) unsubscribeChannel(c *client, name string) {
	if dropName(c.channels, &c.chanOrder, name) {
		removeSubscriber(n.pubsub.channels, name, c)
	}
}

func cmdPsubscribe(n *Node, c *client, args [][]byte) {
	for _, p := range args[1:] {
		if addName(&c.patterns, &c.patOrder, string(p)) {
			n.pubsub.patterns = append(n.pubsub.patterns, patternSub{pattern: string(p), c: c})
		}
		c.subscribeReply("psubscribe", p, c.subscriptions())
	}
}

func cmdPunsubscribe(n *Node, c *client, args [][]byte) {
	c.unsubscribeEach("punsubscribe", args[1:], c.patOrder, func(pat string) { n.unsubscribePattern(c, pat) }, c.subscriptions)
}

func (n *Node) unsubscribePattern(c *client, pat string) {
	if !dropName(c.patterns, &c.patOrder, pat) {
		return
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
	count := n.deliver(n.pubsub.channels, "message", channel, msg)
	for _, ps := range n.pubsub.patterns {
		if !cstr.Glob(ps.pattern, string(channel), false) {
			continue
		}
		s := ps.c
		out := s.push()
		out.PushLen(4) // an array in RESP2
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

// deliver pushes msg, as a kind ("message", "smessage") push, to the
// subscribers of channel in subs and returns how many there are.
func (n *Node) deliver(subs map[string][]*client, kind string, channel, msg []byte) int {
	count := 0
	for _, s := range subs[string(channel)] {
		out := s.push()
		out.PushLen(3) // an array in RESP2
		out.BulkString(kind)
		out.Bulk(channel)
		out.Bulk(msg)
		n.queueOutput(s)
		count++ // counted as sent: queueOutput may drop s from subs
	}
	return count
}

// The PUBSUB subcommands, each bound to its record in handlers.go;
// dispatch has checked their arity.

var pubsubHelp = []string{
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
}

// pubsubChannels is PUBSUB CHANNELS (shard: SHARDCHANNELS): the channel
// names, those matching args[2] when given, sorted.
func pubsubChannels(shard bool) nodeHandler {
	return func(n *Node, c *client, args [][]byte) {
		if len(args) > 3 {
			subcommandError(c, args)
			return
		}
		subs := n.pubsub.channels
		if shard {
			subs = n.pubsub.shard
		}
		var names []string
		for name := range subs {
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
	}
}

// pubsubNumsub is PUBSUB NUMSUB (shard: SHARDNUMSUB).
func pubsubNumsub(shard bool) nodeHandler {
	return func(n *Node, c *client, args [][]byte) {
		subs := n.pubsub.channels
		if shard {
			subs = n.pubsub.shard
		}
		c.out.ArrayLen(2 * (len(args) - 2)) // a flat array even in RESP3, as Redis 7.0 replies
		for _, ch := range args[2:] {
			c.out.Bulk(ch)
			c.out.Int(int64(len(subs[string(ch)])))
		}
	}
}

// cmdPubsubNumpat is PUBSUB NUMPAT: the distinct patterns subscribed to.
func cmdPubsubNumpat(n *Node, c *client, args [][]byte) {
	seen := map[string]bool{}
	for _, ps := range n.pubsub.patterns {
		seen[ps.pattern] = true
	}
	c.out.Int(int64(len(seen)))
}

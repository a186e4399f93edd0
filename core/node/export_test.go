package node

import (
	"time"

	"github.com/syncscope/syncscope/core/repl"
)

// Names exported to the external tests (package node_test) only, for the
// few asserts that look inside a node.

// DeniedMsg is the reply protected mode gives a non-loopback client.
const DeniedMsg = deniedMsg

// MaxRecycled bounds the reply buffers Recycle keeps.
const MaxRecycled = maxRecycled

// CSeconds parses DEBUG SLEEP's seconds as C's strtod does.
var CSeconds = cSeconds

// HashPassword is the hex SHA-256 ACL keeps of a password.
var HashPassword = hashPassword

// ACLCategoryNames are ACL CAT's categories.
var ACLCategoryNames = aclCategoryNames

// LinkConn is a replica's connection to its master (0: none).
func (n *Node) LinkConn() ConnID { return n.repl.linkConn }

// CachedMaster is what a replica whose link dropped PSYNCs from next: the
// master's replid and the offset it processed (ok false: no cached master).
func (n *Node) CachedMaster() (id string, offset int64, ok bool) {
	if n.repl.link == nil || n.repl.link.Cached == nil {
		return "", 0, false
	}
	return n.repl.link.Cached.ID.String(), n.repl.link.Cached.Offset, true
}

// HasClient reports whether conn is a client of the node.
func (n *Node) HasClient(conn ConnID) bool { return n.clients[conn] != nil }

// OutCap is the capacity of conn's reply buffer (0: none, or no client).
func (n *Node) OutCap(conn ConnID) int {
	if c := n.clients[conn]; c != nil {
		return cap(c.out.Buf)
	}
	return 0
}

// ReplicaLag attaches an online replica that last acknowledged at ack,
// then reports, with the clock at ack+after, how many replicas
// min-replicas-max-lag counts as good and how many repl-timeout keeps.
func (n *Node) ReplicaLag(ack time.Time, after time.Duration) (good, kept int) {
	c := &client{replica: &repl.Replica{State: repl.Online, AckTime: ack, Attached: true}}
	n.repl.replicas = []*client{c}
	n.now = ack.Add(after)
	good = n.goodReplicas()
	n.replicaTimeouts()
	return good, len(n.repl.replicas)
}

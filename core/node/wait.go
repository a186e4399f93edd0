package node

import (
	"time"

	"github.com/syncscope/syncscope/core/repl"
)

type waiter struct {
	c        *client
	offset   int64
	want     int
	deadline time.Time // zero = forever
}

func cmdWait(n *Node, c *client, args [][]byte) {
	if n.isReplica() {
		c.out.Error("ERR WAIT cannot be used with replica instances. Please also note that since Redis 4.0 if a replica is configured to be writable (which is not the default) writes to replicas are just local and are not propagated.")
		return
	}
	want, ok := intArg(c, args[1])
	if !ok {
		return
	}
	timeout, ok := timeoutArg(c, args[2])
	if !ok {
		return
	}
	// Like Redis, WAIT waits for this client's own last write (c->woff),
	// not for the master's current offset.
	offset := c.woff
	if acked := n.ackedReplicas(offset); acked >= int(want) || c.multi != nil || n.execDepth > 0 {
		c.out.Int(int64(acked))
		return
	}
	w := &waiter{c: c, offset: offset, want: int(want)}
	if timeout > 0 {
		w.deadline = n.now.Add(time.Duration(timeout) * time.Millisecond)
	}
	n.repl.waiters = append(n.repl.waiters, w)
	// orig: CLIENT UNBLOCK ends it failed and timed, as a blocked command.
	c.blocked = &blockState{orig: copyArgs(args)}
	// Ask replicas to acknowledge now rather than within a second; the
	// GETACK is not the client's write. Not while clients are paused: it
	// would grow the stream, so it waits for the pause to end.
	if n.paused() {
		n.pause.ackPending = true
	} else {
		n.sendGetack()
	}
	c.woff = offset
}

// sendGetack asks every replica for an acknowledgement (sendGetackToReplicas).
func (n *Node) sendGetack() {
	n.feedStream(n.repl.stream.DB, [][]byte{[]byte("REPLCONF"), []byte("GETACK"), []byte("*")})
}

func (n *Node) ackedReplicas(offset int64) int {
	count := 0
	for _, c := range n.repl.replicas {
		if c.replica.State == repl.Online && c.replica.AckOffset >= offset {
			count++
		}
	}
	return count
}

// checkWaiters answers WAIT clients whose replicas acknowledged or whose
// timeout passed.
func (n *Node) checkWaiters() {
	kept := n.repl.waiters[:0]
	for _, w := range n.repl.waiters {
		if w.c.closed {
			continue
		}
		acked := n.ackedReplicas(w.offset)
		if acked >= w.want || !w.deadline.IsZero() && !n.now.Before(w.deadline) {
			w.c.blocked = nil
			w.c.out.Int(int64(acked))
			n.queueOutput(w.c)
			n.processInput(w.c)
			continue
		}
		kept = append(kept, w)
	}
	n.repl.waiters = kept
}

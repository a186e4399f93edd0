package node

import (
	"fmt"
	"strconv"
	"time"

	"github.com/syncscope/syncscope/core/repl"
)

// shutdownWait is a SHUTDOWN (or SIGTERM) waiting up to shutdown-timeout
// for the replicas to acknowledge the whole stream (Redis's shutdown_mstime).
type shutdownWait struct {
	deadline time.Time
	c        *client // the SHUTDOWN client, nil for a signal
	save     bool
}

// waitReplicasBeforeShutdown starts waiting for lagging replicas before a
// shutdown (prepareForShutdown), and reports whether it does: the shutdown
// then finishes from replicationCron once they caught up or
// shutdown-timeout passed.
func (n *Node) waitReplicasBeforeShutdown(c *client, save bool) bool {
	timeout := n.shutdownTimeout()
	if timeout == 0 || n.replicasInSync() {
		return false
	}
	n.repl.shutdown = &shutdownWait{deadline: n.now.Add(timeout), c: c, save: save}
	if !n.isReplica() {
		// A replica's stream is its master's: it only waits.
		n.feedStream(n.repl.stream.DB, [][]byte{[]byte("REPLCONF"), []byte("GETACK"), []byte("*")})
	}
	if c != nil {
		c.blocked = &blockState{}
	}
	n.log('*', "Waiting for replicas before shutting down.")
	return true
}

func (n *Node) shutdownTimeout() time.Duration {
	for _, kv := range n.cfg.Get("shutdown-timeout") {
		if secs, err := strconv.Atoi(kv[1]); err == nil {
			return time.Duration(secs) * time.Second
		}
	}
	return 10 * time.Second
}

// replicasInSync is isReadyToShutdown: every replica acknowledged our offset.
func (n *Node) replicasInSync() bool {
	for _, c := range n.repl.replicas {
		if c.replica.AckOffset != n.repl.hist.Offset {
			return false
		}
	}
	return true
}

// checkShutdownWait finishes a waiting shutdown once replicas caught up.
func (n *Node) checkShutdownWait() {
	w := n.repl.shutdown
	if w == nil || n.now.Before(w.deadline) && !n.replicasInSync() {
		return
	}
	n.repl.shutdown = nil
	if w.c != nil {
		w.c.blocked = nil
	}
	n.finishShutdownSave(w.c, w.save)
}

// abortShutdown is SHUTDOWN ABORT: a shutdown still waiting for its
// replicas is cancelled and its client told so.
func (n *Node) abortShutdown(c *client) {
	w := n.repl.shutdown
	if w == nil {
		c.out.Error("ERR No shutdown in progress.")
		return
	}
	n.repl.shutdown = nil
	n.exiting = false
	if b := w.c; b != nil && !b.closed {
		b.blocked = nil
		b.out.Error("ERR Errors trying to SHUTDOWN. Check logs.")
		n.queueOutput(b)
		n.processInput(b)
	}
	n.log('*', "Shutdown manually aborted.")
	c.out.SimpleString("OK")
}

// dropReplicasForShutdown reports how in sync the replicas are, then
// closes their links as the node shuts down (they see the master go away as
// when Redis exits); cmdSync refuses new ones while the final save runs.
func (n *Node) dropReplicasForShutdown() {
	lagging := 0
	for _, c := range n.repl.replicas {
		r := c.replica
		if r.AckOffset == n.repl.hist.Offset {
			continue
		}
		lagging++
		lag := int64(0)
		if r.State == repl.Online {
			lag = n.now.Unix() - r.AckTime.Unix()
		}
		n.log('#', fmt.Sprintf("Lagging replica %s reported offset %d behind master, lag=%d, state=%s.", r.Name(), n.repl.hist.Offset-r.AckOffset, lag, r.State))
	}
	if total := len(n.repl.replicas); total > 0 {
		n.log('*', fmt.Sprintf("%d of %d replicas are in sync when shutting down.", total-lagging, total))
	}
	n.repl.silentDrop = true // Redis exits without a word about its replicas
	for _, c := range append([]*client(nil), n.repl.replicas...) {
		n.closeClient(c)
	}
	n.repl.silentDrop = false
}

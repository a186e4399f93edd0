package node

import (
	"github.com/syncscope/syncscope/core/store"
)

// cron is serverCron: save points, expiry, blocked timeouts, replication.
func (n *Node) cron() {
	if n.loading != nil {
		if n.finishStartupLoad(); n.loading != nil {
			return
		}
	}
	if n.now.Before(n.nextWake()) {
		n.expireBlocked()
		return
	}
	n.lastCron = n.now
	paused := n.paused() // a pause past its end is over, its clients resumed
	n.releaseHeldSnapshot()
	if !n.exiting {
		n.checkSavePoints()
		if !n.isReplica() {
			n.st.Now = n.now.UnixMilli()
			n.st.Mode = store.ExpireDelete
			if !n.dbg.noActiveExpire && !paused {
				n.st.ActiveExpire(20)
			}
			n.drainExpired()
			n.flushPropagation()
			n.serveBlocked()
		} else if !n.dbg.noActiveExpire {
			n.expireReplicaKeys()
		}
		n.expireBlocked()
		n.clientTimeouts()
		n.outputLimitsCron()
	}
	n.replicationCron()
}

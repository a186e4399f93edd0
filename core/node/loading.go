package node

import (
	"fmt"
	"strconv"
	"time"

	"github.com/syncscope/syncscope/core/store"
)

// startupLoad is a dump being loaded at start under key-load-delay: Redis
// then sleeps per key while it loads, serving clients in between (LOADING
// to most commands, INFO loading:1). The node loads the dump at once but
// stays loading until the modelled time is over, and only then logs the
// end of the load and becomes ready, as Redis does.
type startupLoad struct {
	until time.Time
	info  store.LoadInfo
	took  time.Duration
}

// keyLoadDelay is the time key-load-delay makes a load of keys take:
// debugDelay sleeps that many microseconds per key, or a negative -N
// sleeps one microsecond for one key in N.
func (n *Node) keyLoadDelay(keys int) time.Duration {
	v := n.cfg.Get("key-load-delay")
	if len(v) != 1 {
		return 0
	}
	usec, _ := strconv.ParseInt(v[0][1], 10, 64)
	switch {
	case usec > 0:
		return time.Duration(usec*int64(keys)) * time.Microsecond
	case usec < 0:
		return time.Duration(int64(keys)/-usec) * time.Microsecond
	}
	return 0
}

// startupLoading reports whether the node is still loading its dump.
func (n *Node) startupLoading() bool { return n.loading != nil }

// finishStartupLoad ends a startup load whose time is over: what Redis logs
// once loadDataFromDisk returns, then the rest of its start.
func (n *Node) finishStartupLoad() {
	if n.loading == nil || n.now.Before(n.loading.until) {
		return
	}
	l := n.loading
	n.loading = nil
	n.loaded(l.info, l.took)
	n.log('*', "Ready to accept connections")
	n.startReplication()
}

// loaded logs a load's end and applies what came with the dump.
func (n *Node) loaded(info store.LoadInfo, took time.Duration) {
	n.log('*', fmt.Sprintf("Done loading RDB, keys loaded: %d, keys expired: %d.", info.Keys, info.Expired))
	n.log('*', fmt.Sprintf("DB loaded from disk: %.3f seconds", took.Seconds()))
	n.restoreReplFromRDB(info.Info)
	n.feedExpiredAtLoad(info.ExpiredKeys)
}

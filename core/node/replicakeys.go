package node

import "github.com/syncscope/syncscope/core/store"

// replicaKeys tracks the keys a writable replica gave a TTL to itself
// (Redis's slaveKeysWithExpire): its master will never send a DEL for
// them, so the replica expires them on its own, while every other key
// waits for the master's DEL.
type replicaKeys struct {
	list    []store.KeyRef
	known   map[store.KeyRef]bool
	next    int            // where the next cron pass starts
	touched []store.KeyRef // written by the command being run
}

// noteLocalWrite records a key a client (not the master) of a writable
// replica modified, to check for a TTL once the command is done.
func (n *Node) noteLocalWrite(db int, key []byte) {
	if !n.isReplica() || n.cfg.ReplicaReadOnly || n.current == nil || n.current.isMaster {
		return
	}
	n.replKeys.touched = append(n.replKeys.touched, store.KeyRef{DB: db, Key: string(key)})
}

// rememberReplicaKeys keeps the keys the command left with a TTL
// (rememberSlaveKeyWithExpire, called by setExpire).
func (n *Node) rememberReplicaKeys() {
	rk := &n.replKeys
	for _, ref := range rk.touched {
		db := n.st.DBs[ref.DB]
		if rk.known[ref] || db.Peek([]byte(ref.Key)) == nil || db.TTL([]byte(ref.Key)) < 0 {
			continue
		}
		if rk.known == nil {
			rk.known = make(map[store.KeyRef]bool)
		}
		rk.known[ref] = true
		rk.list = append(rk.list, ref)
	}
	rk.touched = rk.touched[:0]
}

// forgetReplicaKeys empties the list (flushSlaveKeysWithExpireList: the
// dataset was flushed, swapped or replaced by a full sync).
func (n *Node) forgetReplicaKeys() {
	n.replKeys = replicaKeys{touched: n.replKeys.touched[:0]}
}

// expireReplicaKeys is expireSlaveKeys, run by the cron of a replica: the
// tracked keys whose TTL passed are deleted (counted in expired_keys, not
// propagated: a replica forwards only its master's stream); keys gone or
// without a TTL are forgotten. As in Redis, a pass stops after finding
// four keys still to expire, resuming there next time.
func (n *Node) expireReplicaKeys() {
	rk := &n.replKeys
	if len(rk.list) == 0 {
		return
	}
	n.st.Now = n.now.UnixMilli()
	noexpire := 0
	kept := make([]store.KeyRef, 0, len(rk.list))
	start := rk.next % len(rk.list)
	order := append(append([]store.KeyRef(nil), rk.list[start:]...), rk.list[:start]...)
	for i, ref := range order {
		if noexpire > 3 {
			kept = append(kept, order[i:]...)
			break
		}
		db := n.st.DBs[ref.DB]
		key := []byte(ref.Key)
		switch {
		case db.Peek(key) == nil || db.TTL(key) < 0:
			delete(rk.known, ref)
		case db.DeleteIfExpired(key):
			delete(rk.known, ref)
		default:
			noexpire++
			kept = append(kept, ref)
		}
	}
	rk.list = kept
	rk.next = noexpire
	n.drainExpired()
}

package node

import (
	"fmt"
	"strings"

	"github.com/syncscope/syncscope/core/config"

	"github.com/syncscope/syncscope/core/store"
)

// evictState is what maxmemory eviction remembers between commands.
type evictState struct {
	db       int   // the database the last eviction took a key from
	measured int64 // the memory used at the last check
	credit   int64 // estimated bytes evicted since the measure last dropped
}

// lfuConfig is what the store needs under an LFU maxmemory-policy, nil
// under the others (no access tracked).
func lfuConfig(cfg *config.Config) *store.LFU {
	if !strings.HasSuffix(cfg.MaxMemoryPolicy, "-lfu") {
		return nil
	}
	l := &store.LFU{LogFactor: 10, DecayTime: 1}
	if v := cfg.Get("lfu-log-factor"); len(v) == 1 {
		l.LogFactor = int(cAtoi([]byte(v[0][1])))
	}
	if v := cfg.Get("lfu-decay-time"); len(v) == 1 {
		l.DecayTime = int(cAtoi([]byte(v[0][1])))
	}
	return l
}

// errOOM is Redis's shared.oomerr.
const errOOM = "OOM command not allowed when used memory > 'maxmemory'."

// evictionsApply reports whether maxmemory applies to this node now: a
// replica ignores it by default (replica-ignore-maxmemory), as Redis's
// isSafeToPerformEvictions says.
func (n *Node) evictionsApply() bool {
	if n.cfg.MaxMemory <= 0 {
		return false
	}
	if n.isReplica() {
		if v := n.cfg.Get("replica-ignore-maxmemory"); len(v) == 1 && v[0][1] == "yes" {
			return false
		}
	}
	return true
}

// performEvictions is Redis's: while the memory used is over maxmemory,
// evict keys as maxmemory-policy says, each an "evicted" notification and a
// DEL for replicas, until the estimated size of the evicted keys covers the
// excess. It reports false (EVICT_FAIL) when memory stays over the limit:
// noeviction, or nothing left to evict.
func (n *Node) performEvictions() bool {
	used := n.usedMemory()
	// Go's heap shrinks only when the collector runs: until the measure
	// drops, what was evicted is taken off it, so the keys are not evicted
	// again and again for memory already given back.
	if used < n.evict.measured {
		n.evict.credit = 0
	}
	n.evict.measured = used
	used -= n.evict.credit
	if used <= n.cfg.MaxMemory {
		return true
	}
	policy := n.cfg.MaxMemoryPolicy
	if policy == "noeviction" {
		return false
	}
	samples := 5
	if v := n.cfg.Get("maxmemory-samples"); len(v) == 1 {
		if s := cAtoi([]byte(v[0][1])); s > 0 {
			samples = int(s)
		}
	}
	n.st.Now = n.now.UnixMilli()
	tofree, freed := used-n.cfg.MaxMemory, int64(0)
	ok := true
	defer func() { n.evict.credit += freed }()
	for freed < tofree {
		evicted := false
		// Databases in turn from where the last eviction left off, as
		// Redis's next_db does for the random policies.
		for i := range len(n.st.DBs) {
			n.evict.db = (n.evict.db + 1) % len(n.st.DBs)
			db := n.st.DBs[n.evict.db]
			if i == 0 && db.Len() == 0 {
				continue
			}
			key, found := db.EvictionCandidate(policy, samples)
			if !found {
				continue
			}
			k := []byte(key)
			freed += store.MemoryUsage(k, db.Peek(k), 5)
			db.Delete(k)
			n.stats.evicted++
			n.st.Notify(store.NotifyEvicted, "evicted", db.ID, k)
			n.st.Modified(db.ID, k)
			n.propagate(db.ID, [][]byte{[]byte("DEL"), k})
			evicted = true
			break
		}
		if !evicted {
			ok = false
			break
		}
	}
	n.drainExpired()
	return ok
}

// maxmemoryLowered is what CONFIG SET maxmemory does (updateMaxmemory): warn
// when the new limit is below the memory used, and evict at once.
func (n *Node) maxmemoryLowered() {
	if used := n.usedMemory(); n.cfg.MaxMemory < used {
		n.log('#', fmt.Sprintf("WARNING: the new maxmemory value set via CONFIG SET (%d) is smaller than the current memory usage (%d). This will result in key eviction and/or the inability to accept new write commands depending on the maxmemory-policy.", n.cfg.MaxMemory, used))
	}
	if n.evictionsApply() {
		n.performEvictions() // the DELs go out with CONFIG SET's propagation
	}
}

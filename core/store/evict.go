package store

// EvictionCandidate picks the key maxmemory eviction takes next from db, as
// Redis 7.0's performEvictions does for policy: a random key of the whole
// keyspace (allkeys-*) or of the keys with a TTL (volatile-*), and for
// volatile-ttl the soonest to expire among samples sampled keys. The LRU and
// LFU policies pick at random, not yet by the keys' access clocks (lru.go):
// what Redis's approximation does when every key looks equally idle.
func (db *DB) EvictionCandidate(policy string, samples int) (string, bool) {
	switch policy {
	case "allkeys-lru", "allkeys-lfu", "allkeys-random":
		k, _, ok := db.keys.Random(db.s.Rand)
		return k, ok
	case "volatile-lru", "volatile-lfu", "volatile-random":
		k, _, ok := db.expires.Random(db.s.Rand)
		return k, ok
	case "volatile-ttl":
		best, bestWhen, found := "", int64(0), false
		for range max(samples, 1) {
			k, when, ok := db.expires.Random(db.s.Rand)
			if !ok {
				break
			}
			if !found || when < bestWhen {
				best, bestWhen, found = k, when, true
			}
		}
		return best, found
	}
	return "", false
}

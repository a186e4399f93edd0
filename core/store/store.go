// Package store is syncscope's keyspace: numbered databases of keys holding
// strings, lists, hashes, sets and sorted sets, with expiry judged against a
// clock the caller sets. It knows nothing of clients, commands or replication.
package store

import "math/rand/v2"

// ExpireMode says how expired keys are treated, which depends on the node's
// role and on who sent the command being run.
type ExpireMode uint8

const (
	// ExpireDelete: a master deletes an expired key when it is touched and
	// records it in Expired so the deletion is propagated as DEL.
	ExpireDelete ExpireMode = iota
	// ExpireHide: a replica serving a client hides expired keys but leaves
	// their deletion to its master's DEL.
	ExpireHide
	// ExpireIgnore: a replica applying its master's stream sees every key, as
	// the master is authoritative about what exists.
	ExpireIgnore
)

// KeyRef names a key in a database.
type KeyRef struct {
	DB  int
	Key string
}

// Store is the whole keyspace.
type Store struct {
	DBs    []*DB
	Limits Limits
	Rand   *rand.Rand
	// Now is the command time in unix milliseconds; the node sets it before
	// each command, like Redis's cached mstime.
	Now  int64
	Mode ExpireMode
	// Expired collects keys deleted by expiry (ExpireDelete mode) until the
	// node drains it to propagate them.
	Expired []KeyRef
	// OnModified, when set, is called for every key a write touches
	// (signalModifiedKey): WATCH and blocked clients hang off it.
	OnModified func(db int, key []byte)
	// OnReady, when set, is called by SignalReady.
	OnReady func(db int, key []byte)
	// NotifyFlags are the notify-keyspace-events classes to record (zero
	// unless K or E is on: nothing would be published); Events are the
	// notifications recorded, for the node to publish.
	NotifyFlags int
	Events      []Event

	// Stats for INFO.
	ExpiredKeys, Hits, Misses int64

	// LFU is set under an LFU maxmemory-policy: key accesses then update
	// the values' frequency counters.
	LFU *LFU

	gen      uint32
	snapLive bool
}

// New returns an empty store with n databases.
func New(n int, r *rand.Rand) *Store {
	s := &Store{Limits: DefaultLimits(), Rand: r, gen: 1}
	s.DBs = make([]*DB, n)
	for i := range s.DBs {
		s.DBs[i] = newDB(s, i)
	}
	return s
}

// Modified signals a write to key (signalModifiedKey).
func (s *Store) Modified(db int, key []byte) {
	if s.OnModified != nil {
		s.OnModified(db, key)
	}
}

// SignalReady tells clients blocked on key to look at it again without the
// key counting as modified (signalKeyAsReady alone, as XGROUP DESTROY does
// to wake the XREADGROUP clients of the group: WATCH does not see it).
func (s *Store) SignalReady(db int, key []byte) {
	if s.OnReady != nil {
		s.OnReady(db, key)
	}
}

// Len returns the number of keys in all databases.
func (s *Store) Len() int {
	n := 0
	for _, db := range s.DBs {
		n += db.Len()
	}
	return n
}

// FlushAll empties every database.
func (s *Store) FlushAll() {
	for _, db := range s.DBs {
		db.Flush()
	}
}

// SwapDB exchanges the contents of databases a and b.
func (s *Store) SwapDB(a, b int) {
	s.DBs[a].keys, s.DBs[b].keys = s.DBs[b].keys, s.DBs[a].keys
	s.DBs[a].expires, s.DBs[b].expires = s.DBs[b].expires, s.DBs[a].expires
}

// ActiveExpire deletes expired keys found by sampling, as Redis's
// activeExpireCycle does on a master, looking at up to samples keys with a TTL
// per database and sampling again while more than a quarter were expired. It
// returns the number of keys deleted.
func (s *Store) ActiveExpire(samples int) int {
	if s.Mode != ExpireDelete {
		return 0
	}
	deleted := 0
	for _, db := range s.DBs {
		for rounds := 0; rounds < 16 && db.expires.Len() > 0; rounds++ {
			found := 0
			n := min(samples, db.expires.Len())
			for range n {
				k, when, _ := db.expires.Random(s.Rand)
				if s.Now > when {
					db.expireNow(k)
					found++
				}
			}
			deleted += found
			if found*4 <= n {
				break
			}
		}
	}
	return deleted
}

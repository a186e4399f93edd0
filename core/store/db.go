package store

// DB is one numbered database.
type DB struct {
	ID      int
	s       *Store
	keys    *Dict[Value]
	expires *Dict[int64] // unix ms
}

func newDB(s *Store, id int) *DB {
	return &DB{ID: id, s: s, keys: NewDict[Value](0), expires: NewDict[int64](0)}
}

// Len returns the number of keys, expired ones not yet deleted included (DBSIZE).
func (db *DB) Len() int { return db.keys.Len() }

// ExpiresLen returns the number of keys with a TTL.
func (db *DB) ExpiresLen() int { return db.expires.Len() }

// isExpired reports whether key has a TTL in the past; Redis judges a key
// expired only once now is strictly after its deadline.
func (db *DB) isExpired(key []byte) bool {
	if db.expires.Len() == 0 {
		return false
	}
	when, ok := db.expires.Get(key)
	return ok && db.s.Now > when
}

// expireIfNeeded applies the store's expiry mode to key and reports whether
// the key must be treated as missing.
func (db *DB) expireIfNeeded(key []byte) bool {
	if db.s.Mode == ExpireIgnore || !db.isExpired(key) {
		return false
	}
	if db.s.Mode == ExpireDelete {
		db.expireNow(string(key))
	}
	return true
}

func (db *DB) expireNow(key string) {
	db.keys.DeleteString(key)
	db.expires.DeleteString(key)
	db.s.ExpiredKeys++
	db.s.Expired = append(db.s.Expired, KeyRef{DB: db.ID, Key: key})
	if db.s.NotifyFlags&NotifyExpired != 0 {
		db.s.Notify(NotifyExpired, "expired", db.ID, []byte(key))
	}
	db.s.Modified(db.ID, []byte(key))
}

// DeleteIfExpired deletes key when its TTL has passed, whatever the mode,
// and reports whether it did: a writable replica expiring the keys it wrote
// itself (Redis's expireSlaveKeys).
func (db *DB) DeleteIfExpired(key []byte) bool {
	if !db.isExpired(key) {
		return false
	}
	db.expireNow(string(key))
	return true
}

// Get returns key's value for reading, or nil when it is missing or expired.
// The value must not be modified: use GetForWrite for that.
func (db *DB) Get(key []byte) Value {
	v := db.GetNoTouch(key)
	if v != nil {
		db.s.access(v.obj())
	}
	return v
}

// GetNoTouch is Get without counting an access: Redis's LOOKUP_NOTOUCH, which
// OBJECT, TYPE, EXISTS and the TTL family use, so they leave OBJECT IDLETIME
// and OBJECT FREQ as they were.
func (db *DB) GetNoTouch(key []byte) Value {
	if db.expireIfNeeded(key) {
		db.s.Misses++
		return nil
	}
	v, ok := db.keys.Get(key)
	if !ok {
		db.s.Misses++
		return nil
	}
	db.s.Hits++
	return v
}

// Peek returns key's value without expiry or statistics (TYPE-like internal use).
func (db *DB) Peek(key []byte) Value {
	v, _ := db.keys.Get(key)
	return v
}

// GetForWrite returns key's value, safe to modify in place (a value shared
// with a live snapshot is copied first), or nil when it is missing or expired.
func (db *DB) GetForWrite(key []byte) Value {
	if db.expireIfNeeded(key) {
		return nil
	}
	v := db.Unshare(key)
	if v != nil {
		db.s.access(v.obj())
	}
	return v
}

// Unshare returns key's value safe to modify in place, as GetForWrite does,
// but without expiry, statistics or an LFU access: for a value the command
// has just looked up for reading and now changes (dbUnshareStringValue).
// nil when key is missing.
func (db *DB) Unshare(key []byte) Value {
	p := db.keys.Ptr(key)
	if p == nil {
		return nil
	}
	if db.s.snapLive && (*p).obj().gen < db.s.gen {
		c := (*p).clone()
		c.obj().gen = db.s.gen
		c.obj().lru = (*p).obj().lru
		*p = c
	}
	return *p
}

// Exists reports whether key exists and is not expired: Redis's
// lookupKeyWrite(key) != NULL, which counts an access to the key (without
// statistics).
func (db *DB) Exists(key []byte) bool {
	if db.expireIfNeeded(key) {
		return false
	}
	v, ok := db.keys.Get(key)
	if ok {
		db.s.access(v.obj())
	}
	return ok
}

// ExpireIfNeeded expires key when its TTL has passed, as the store's mode
// allows, and reports whether it is to be treated as missing; unlike Exists
// it leaves the key's access clock alone (SCAN's expireIfNeeded).
func (db *DB) ExpireIfNeeded(key []byte) bool { return db.expireIfNeeded(key) }

// Set stores v under key and removes any TTL (setKey).
func (db *DB) Set(key []byte, v Value) {
	v.obj().gen = db.s.gen
	db.stamp(key, v)
	if db.keys.Set(key, v) && db.s.NotifyFlags&NotifyNew != 0 {
		db.s.Notify(NotifyNew, "new", db.ID, key)
	}
	if db.expires.Len() > 0 {
		db.expires.Delete(key)
	}
}

// SetKeepTTL stores v under key and keeps its TTL (SET ... KEEPTTL). A key
// already expired is expired first, as Redis's lookupKeyWrite in setKey
// does: its old TTL must not make the new value expired at once.
func (db *DB) SetKeepTTL(key []byte, v Value) {
	db.expireIfNeeded(key)
	v.obj().gen = db.s.gen
	db.stamp(key, v)
	if db.keys.Set(key, v) && db.s.NotifyFlags&NotifyNew != 0 {
		db.s.Notify(NotifyNew, "new", db.ID, key)
	}
}

// Delete removes key and reports whether it existed (expired keys count as
// missing, like Redis's dbDelete after expireIfNeeded).
func (db *DB) Delete(key []byte) bool {
	if db.expireIfNeeded(key) {
		return false
	}
	if !db.keys.Delete(key) {
		return false
	}
	if db.expires.Len() > 0 {
		db.expires.Delete(key)
	}
	return true
}

// TTL returns key's absolute expiry in unix ms, or -1 when it has none.
// The key must exist.
func (db *DB) TTL(key []byte) int64 {
	if when, ok := db.expires.Get(key); ok {
		return when
	}
	return -1
}

// SetExpire sets key's absolute expiry (unix ms); the key must exist.
func (db *DB) SetExpire(key []byte, when int64) { db.expires.Set(key, when) }

// Persist removes key's TTL and reports whether it had one.
func (db *DB) Persist(key []byte) bool { return db.expires.Delete(key) }

// RandomKey returns a random key that is not expired, or "" and false when
// the database has none, retrying as Redis's dbRandomKey does.
func (db *DB) RandomKey() (string, bool) {
	for tries := 0; db.keys.Len() > 0; tries++ {
		k, _, _ := db.keys.Random(db.s.Rand)
		if db.expires.Len() == 0 {
			return k, true
		}
		if tries >= 100 && db.expires.Len() == db.keys.Len() && db.s.Mode != ExpireDelete {
			// All keys may be logically expired on a replica, which cannot
			// delete them: return one anyway, as Redis does.
			return k, true
		}
		if !db.expireIfNeeded([]byte(k)) {
			return k, true
		}
	}
	return "", false
}

// Scan walks the keyspace from cursor (see Dict.Scan), expired keys
// included: SCAN deletes those it meets, as Redis does.
func (db *DB) Scan(cursor uint64, count int, fn func(key string, v Value)) uint64 {
	return db.keys.Scan(cursor, count, fn)
}

// Keys returns the current keys, expired ones included, in iteration order.
// The slice belongs to the DB and is invalidated by the next change.
func (db *DB) Keys() []string { return db.keys.Keys() }

// Flush removes every key.
func (db *DB) Flush() {
	db.keys = NewDict[Value](0)
	db.expires = NewDict[int64](0)
}

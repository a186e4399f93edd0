package store

import (
	"io"
	"slices"

	"github.com/syncscope/syncscope/core/rdb"
)

// Snapshot is a point-in-time view of the keyspace that can be written in
// another goroutine while the store goes on changing: the role fork() plays
// for Redis's BGSAVE. Taking one copies each database's key, value and expiry
// slices (not the values) and starts a new generation, so from then on
// DB.GetForWrite copies a value before the store changes it in place.
type Snapshot struct {
	s   *Store
	dbs []snapDB
	// Functions are the FUNCTION libraries' code, written before the
	// databases (the node sets them: the store knows no scripts).
	Functions [][]byte
}

type snapDB struct {
	keys    []string
	vals    []Value
	expKeys []string
	expWhen []int64
}

// Snapshot takes a snapshot. Only one may be live at a time (the node starts
// one background save at a time, as Redis does); Release it when done.
func (s *Store) Snapshot() *Snapshot {
	sn := &Snapshot{s: s, dbs: make([]snapDB, len(s.DBs))}
	for i, db := range s.DBs {
		sn.dbs[i] = snapDB{
			keys:    slices.Clone(db.keys.Keys()),
			vals:    slices.Clone(db.keys.Values()),
			expKeys: slices.Clone(db.expires.Keys()),
			expWhen: slices.Clone(db.expires.Values()),
		}
	}
	s.gen++
	s.snapLive = true
	return sn
}

// Release ends the snapshot, so writes stop copying values. It must be
// called from the goroutine that owns the store, after WriteRDB returned.
func (sn *Snapshot) Release() {
	sn.s.snapLive = false
	sn.dbs = nil
}

// Len returns the number of keys in the snapshot.
func (sn *Snapshot) Len() int {
	n := 0
	for _, d := range sn.dbs {
		n += len(d.keys)
	}
	return n
}

// WriteRDB writes the snapshot as an RDB file: the header, aux, then every
// non-empty database with its keys (logically expired ones included, as
// Redis saves them), then the EOF and checksum. It only reads the snapshot
// and the values it shares with the store, so it may run in another
// goroutine while the store is modified through its DB methods.
func (sn *Snapshot) WriteRDB(w io.Writer, opt rdb.Options, aux []rdb.AuxField) error {
	enc := rdb.NewEncoder(w, opt)
	if err := enc.Header(); err != nil {
		return err
	}
	for _, a := range aux {
		if err := enc.Aux(a.Key, a.Value); err != nil {
			return err
		}
	}
	for _, code := range sn.Functions {
		if err := enc.Function(code); err != nil {
			return err
		}
	}
	var en rdb.Entry
	var scratch byteArena
	for id, d := range sn.dbs {
		if len(d.keys) == 0 {
			continue
		}
		if err := enc.SelectDB(id, uint64(len(d.keys)), uint64(len(d.expKeys))); err != nil {
			return err
		}
		when := make(map[string]int64, len(d.expKeys))
		for i, k := range d.expKeys {
			when[k] = d.expWhen[i]
		}
		for i, k := range d.keys {
			exp, ok := when[k]
			if !ok {
				exp = -1
			}
			fillEntry(&en, &scratch, id, k, d.vals[i], exp)
			if err := enc.Entry(&en); err != nil {
				return err
			}
		}
	}
	return enc.Finish()
}

// Put stores v, a value taken from another key (RENAME, MOVE), under key
// with the absolute expiry expireMs (-1 for none). Unlike Set it keeps the
// value's generation, so a value shared with a live snapshot stays protected
// by copy on write.
func (db *DB) Put(key []byte, v Value, expireMs int64) {
	if db.keys.Set(key, v) && db.s.NotifyFlags&NotifyNew != 0 {
		db.s.Notify(NotifyNew, "new", db.ID, key)
	}
	if expireMs >= 0 {
		db.expires.Set(key, expireMs)
	} else if db.expires.Len() > 0 {
		db.expires.Delete(key)
	}
}

// CloneValue returns a deep copy of v (COPY). A string is a new buffer, as
// dupStringObject makes it: nothing past its end.
func CloneValue(v Value) Value {
	c := v.clone()
	if s, ok := c.(*String); ok {
		s.tail = 0
	}
	return c
}

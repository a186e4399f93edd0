package store

// Keyspace notification classes: the NOTIFY_* bits of Redis 7.0's server.h,
// the same as notify-keyspace-events parses into.
const (
	NotifyKeyspace = 1 << iota // K: __keyspace@<db>__:<key> channels
	NotifyKeyevent             // E: __keyevent@<db>__:<event> channels
	NotifyGeneric              // g: DEL, EXPIRE, RENAME...
	NotifyString               // $
	NotifyList                 // l
	NotifySet                  // s
	NotifyHash                 // h
	NotifyZSet                 // z
	NotifyExpired              // x: a key deleted by expiry
	NotifyEvicted              // e: a key evicted for maxmemory
	NotifyStream               // t
	NotifyKeyMiss              // m
	NotifyLoaded               // module key loaded
	NotifyModule               // d
	NotifyNew                  // n: a key added to the keyspace
)

// Event is one keyspace notification waiting to be published.
type Event struct {
	Class int
	Name  string
	DB    int
	Key   string
}

// Notify records the event name of class for key, if notifications of that
// class are on (notifyKeyspaceEvent). The node publishes Events after the
// command, in the order they happened; with notifications off this is one
// test and no allocation.
func (s *Store) Notify(class int, name string, db int, key []byte) {
	if s.NotifyFlags&class == 0 {
		return
	}
	s.Events = append(s.Events, Event{Class: class, Name: name, DB: db, Key: string(key)})
}

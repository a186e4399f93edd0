package store

// A value's access clock (object.lru) is Redis's robj.lru: under an LFU
// maxmemory-policy 16 bits of minutes and an 8-bit frequency counter,
// otherwise the LRU clock (seconds, 24 bits, wrapping) of its last access.
// Bit lfuSet or lruSet says which of the two it holds, so a value stamped
// under the other policy counts as new rather than as whatever its bits read
// as (Redis reinterprets them: "LRU and LFU data will take some time to
// adjust").

// LFU is what an LFU maxmemory-policy needs (lfu-log-factor and
// lfu-decay-time); Store.LFU is nil under any other policy, and then the LRU
// clock is tracked instead.
type LFU struct {
	LogFactor int
	DecayTime int // minutes per point of decay; 0: none
}

// lfuInitVal is LFU_INIT_VAL: a new key's counter, so it is not evicted
// before it had a chance to be used.
const lfuInitVal = 5

const (
	lfuSet = 1 << 24
	lruSet = 1 << 25

	// lruClockMax is LRU_CLOCK_MAX: the LRU clock wraps at 24 bits.
	lruClockMax = 1<<24 - 1
)

// lruClock is LRU_CLOCK(): seconds, wrapping at 24 bits.
func (s *Store) lruClock() uint32 { return uint32(s.Now/1000) & lruClockMax }

// access is lookupKey's update of the access clock (updateLFU or
// val->lru = LRU_CLOCK()). Like Redis while it has a fork child, it is left
// alone while a snapshot is live.
func (s *Store) access(o *object) {
	switch {
	case s.snapLive:
	case s.LFU != nil:
		s.lfuTouch(o)
	default:
		o.lru = lruSet | s.lruClock()
	}
}

// stamp gives v, about to be stored under key, its initial access clock
// (createObject's): now, or under LFU the counter of the value it replaces
// (dbOverwrite keeps it) or a new key's. A clock set already (RESTORE's
// IDLETIME or FREQ, a value moved from another key) is kept.
func (db *DB) stamp(key []byte, v Value) {
	o := v.obj()
	if db.s.LFU == nil {
		if o.lru&lruSet == 0 {
			o.lru = lruSet | db.s.lruClock()
		}
		return
	}
	if o.lru&lfuSet != 0 {
		return
	}
	if old, ok := db.keys.Get(key); ok && old != v && old.obj().lru&lfuSet != 0 {
		o.lru = old.obj().lru
		return
	}
	db.s.lfuInit(o)
}

// IdleTime is OBJECT IDLETIME in milliseconds (estimateObjectIdleTime): the
// time since v was last accessed, at the LRU clock's resolution of a second.
// A value whose clock holds LFU data counts as just used.
func (s *Store) IdleTime(v Value) int64 {
	o := v.obj()
	if o.lru&lruSet == 0 {
		return 0
	}
	now, then := s.lruClock(), o.lru&lruClockMax
	if now >= then {
		return int64(now-then) * 1000
	}
	return int64(now+(lruClockMax-then)) * 1000
}

// LRUClock is v's LRU clock as DEBUG OBJECT shows it (robj.lru).
func (s *Store) LRUClock(v Value) uint32 { return v.obj().lru & lruClockMax }

// SetIdleTime is RESTORE ... IDLETIME (objectSetLRUOrLFU): v last accessed
// idle seconds ago. It does nothing under an LFU policy.
func (s *Store) SetIdleTime(v Value, idle int64) {
	if s.LFU != nil {
		return
	}
	// Redis scales idle by lru_multiplier/LRU_CLOCK_RESOLUTION (1000/1000)
	// in a long long, which wraps for a huge IDLETIME; Go's int64 wraps alike.
	idle = idle * 1000 / 1000
	abs := int64(s.lruClock()) - idle
	if abs < 0 {
		abs += lruClockMax
	}
	v.obj().lru = lruSet | uint32(abs)&lruClockMax
}

func (s *Store) lfuMinutes() uint32 { return uint32(s.Now/60000) & 65535 }

// lfuInit gives a new value its initial counter (createObject).
func (s *Store) lfuInit(o *object) { o.lru = lfuSet | s.lfuMinutes()<<8 | lfuInitVal }

// lfuDecr is LFUDecrAndReturn: the counter less a point per DecayTime
// minutes since the last access. A value never given a counter (created
// before the policy) counts as new.
func (s *Store) lfuDecr(o *object) uint32 {
	if o.lru&lfuSet == 0 {
		return lfuInitVal
	}
	ldt, counter := (o.lru>>8)&65535, o.lru&255
	now := s.lfuMinutes()
	elapsed := now - ldt
	if now < ldt {
		elapsed = 65535 - ldt + now
	}
	if s.LFU.DecayTime > 0 {
		if periods := elapsed / uint32(s.LFU.DecayTime); periods > 0 {
			counter -= min(periods, counter)
		}
	}
	return counter
}

// lfuTouch is updateLFU: decay, then a logarithmic increment (the greater
// the counter, the less likely), saturating at 255.
func (s *Store) lfuTouch(o *object) {
	counter := s.lfuDecr(o)
	if counter < 255 {
		base := float64(counter) - lfuInitVal
		if base < 0 {
			base = 0
		}
		if s.Rand.Float64() < 1/(base*float64(s.LFU.LogFactor)+1) {
			counter++
		}
	}
	o.lru = lfuSet | s.lfuMinutes()<<8 | counter
}

// Freq is OBJECT FREQ: v's access frequency counter, decayed to now.
func (s *Store) Freq(v Value) int64 { return int64(s.lfuDecr(v.obj())) }

// SetFreq is RESTORE ... FREQ: v's counter as given, accessed now.
func (s *Store) SetFreq(v Value, freq int) {
	v.obj().lru = lfuSet | s.lfuMinutes()<<8 | uint32(freq)
}

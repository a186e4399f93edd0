package store

// LFU is what an LFU maxmemory-policy needs (lfu-log-factor and
// lfu-decay-time); Store.LFU is nil under any other policy, and then no
// access is tracked.
type LFU struct {
	LogFactor int
	DecayTime int // minutes per point of decay; 0: none
}

// lfuInitVal is LFU_INIT_VAL: a new key's counter, so it is not evicted
// before it had a chance to be used.
const lfuInitVal = 5

// lfuSet marks object.lfu as holding a value: 16 bits of minutes and an
// 8-bit counter below it, as Redis keeps them in robj.lru.
const lfuSet = 1 << 24

func (s *Store) lfuMinutes() uint32 { return uint32(s.Now/60000) & 65535 }

// lfuInit gives a new value its initial counter (createObject).
func (s *Store) lfuInit(o *object) { o.lfu = lfuSet | s.lfuMinutes()<<8 | lfuInitVal }

// lfuDecr is LFUDecrAndReturn: the counter less a point per DecayTime
// minutes since the last access. A value never given a counter (created
// before the policy) counts as new.
func (s *Store) lfuDecr(o *object) uint32 {
	if o.lfu&lfuSet == 0 {
		return lfuInitVal
	}
	ldt, counter := (o.lfu>>8)&65535, o.lfu&255
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
	o.lfu = lfuSet | s.lfuMinutes()<<8 | counter
}

// Freq is OBJECT FREQ: v's access frequency counter, decayed to now.
func (s *Store) Freq(v Value) int64 { return int64(s.lfuDecr(v.obj())) }

// SetFreq is RESTORE ... FREQ: v's counter as given, accessed now.
func (s *Store) SetFreq(v Value, freq int) {
	v.obj().lfu = lfuSet | s.lfuMinutes()<<8 | uint32(freq)
}

// lfuCarry gives v, about to be stored under key, the counter of the value
// it replaces (dbOverwrite keeps it), or a new key's initial counter.
func (db *DB) lfuCarry(key []byte, v Value) {
	if v.obj().lfu&lfuSet != 0 {
		return // set already (RESTORE ... FREQ)
	}
	if old, ok := db.keys.Get(key); ok && old != v && old.obj().lfu&lfuSet != 0 {
		v.obj().lfu = old.obj().lfu
		return
	}
	db.s.lfuInit(v.obj())
}

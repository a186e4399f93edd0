package store

import (
	"hash/maphash"
	"math/rand/v2"
	"slices"
)

// Dict is a hash table whose iteration order is deterministic: a dense slice
// of entries for iteration, random sampling and SCAN, and an index over it
// for lookups. Go randomises map iteration, which would make the simulator
// and the browser replay unreproducible, so nothing is ever returned in the
// index's order.
//
// The index is an open-addressing table with linear probing, at most half
// full: each slot holds a key's 32-bit hash and its position in the slice
// plus one (0 is an empty slot). Next to a Go map[string]int32 it takes 8
// bytes a slot instead of about 24, holds no pointers for the GC to scan and
// inserts a million keys about twice as fast, which was most of an RDB load's
// keyspace cost. The hash is maphash with a per-process random seed, as
// Redis seeds its siphash, so that clients cannot choose colliding keys; it
// decides only where entries sit in the index.
//
// A Dict of at most smallDict entries has no index: a lookup compares the
// keys in the slice, which for a handful of keys is faster than hashing and
// saves the index's memory in every small set, hash and sorted set. The
// index is built when the Dict grows past that, and kept.
//
// Deleting moves the last entry into the hole. Scan walks the slice from the
// end towards the start, which keeps Redis's SCAN guarantee: an entry present
// for the whole scan is returned at least once, because the only entry that
// moves is the last one and it only moves towards the unvisited part.
type Dict[V any] struct {
	slots []uint64 // the index: nil while small, else a power of two long
	keys  []string
	vals  []V
}

// smallDict is the most entries a Dict holds without an index.
const smallDict = 8

var dictSeed = maphash.MakeSeed()

// hashString and hashBytes agree on equal content, as maphash promises.
func hashString(k string) uint32 { return uint32(maphash.String(dictSeed, k)) }
func hashBytes(k []byte) uint32  { return uint32(maphash.Bytes(dictSeed, k)) }

// NewDict returns an empty Dict sized for n entries.
func NewDict[V any](n int) *Dict[V] {
	d := &Dict[V]{keys: make([]string, 0, n), vals: make([]V, 0, n)}
	if n > smallDict {
		d.slots = make([]uint64, slotsFor(n))
	}
	return d
}

// slotsFor is the index size for n entries: a power of two of at least 2n.
func slotsFor(n int) int {
	s := 16
	for s < 2*n {
		s <<= 1
	}
	return s
}

// Len returns the number of entries.
func (d *Dict[V]) Len() int { return len(d.keys) }

type dictKey interface{ string | []byte }

// find looks k up. It returns k's position in the slices, or -1; with an
// index, also k's hash and the slot that holds k or where k would go.
func find[V any, K dictKey](d *Dict[V], k K, hash func(K) uint32) (i, slot int, h uint32) {
	if d.slots == nil {
		for i, s := range d.keys {
			if s == string(k) {
				return i, 0, 0
			}
		}
		return -1, 0, 0
	}
	h = hash(k)
	mask := uint32(len(d.slots) - 1)
	for j := h & mask; ; j = (j + 1) & mask {
		s := d.slots[j]
		if s == 0 {
			return -1, int(j), h
		}
		if uint32(s>>32) == h {
			if p := int(uint32(s)) - 1; d.keys[p] == string(k) {
				return p, int(j), h
			}
		}
	}
}

// index returns k's position in the slices, or -1.
func (d *Dict[V]) index(k string) int {
	i, _, _ := find(d, k, hashString)
	return i
}

// get is find for a lookup of the value. It loads the value before it
// compares the key, so that in a big table the two cache misses overlap;
// loaded after the comparison (a call to compare the bytes), it was a miss
// of its own and made random lookups in a million keys a third slower.
func get[V any, K dictKey](d *Dict[V], k K, hash func(K) uint32) (V, bool) {
	var zero V
	if d.slots == nil {
		if i, _, _ := find(d, k, hash); i >= 0 {
			return d.vals[i], true
		}
		return zero, false
	}
	h := hash(k)
	mask := uint32(len(d.slots) - 1)
	for j := h & mask; ; j = (j + 1) & mask {
		s := d.slots[j]
		if s == 0 {
			return zero, false
		}
		if uint32(s>>32) == h {
			p := int(uint32(s)) - 1
			v := d.vals[p]
			if d.keys[p] == string(k) {
				return v, true
			}
		}
	}
}

// Get returns the value stored under k.
func (d *Dict[V]) Get(k []byte) (V, bool) { return get(d, k, hashBytes) }

// GetString is Get for a string key.
func (d *Dict[V]) GetString(k string) (V, bool) { return get(d, k, hashString) }

// Has reports whether k is present.
func (d *Dict[V]) Has(k []byte) bool {
	i, _, _ := find(d, k, hashBytes)
	return i >= 0
}

// Ptr returns a pointer to the value stored under k, valid until the next
// insertion or deletion.
func (d *Dict[V]) Ptr(k []byte) *V {
	if i, _, _ := find(d, k, hashBytes); i >= 0 {
		return &d.vals[i]
	}
	return nil
}

// Set stores v under k and reports whether k was added (as opposed to replaced).
// The key bytes are copied.
func (d *Dict[V]) Set(k []byte, v V) bool {
	i, slot, h := find(d, k, hashBytes)
	if i >= 0 {
		d.vals[i] = v
		return false
	}
	d.insert(slot, h, string(k), v)
	return true
}

// SetString is Set for a string key (no copy is needed).
func (d *Dict[V]) SetString(k string, v V) bool {
	i, slot, h := find(d, k, hashString)
	if i >= 0 {
		d.vals[i] = v
		return false
	}
	d.insert(slot, h, k, v)
	return true
}

// newBulkDict returns an empty Dict with room for n entries, to be filled
// by appendUnindexed.
func newBulkDict[V any](n int) *Dict[V] {
	return &Dict[V]{keys: make([]string, 0, n), vals: make([]V, 0, n)}
}

// appendUnindexed appends k without indexing it, for filling a Dict in bulk
// (an RDB load): buildIndex must run before any other use.
func (d *Dict[V]) appendUnindexed(k string, v V) {
	d.keys = append(d.keys, k)
	d.vals = append(d.vals, v)
}

// indexRegion is log2 of the index slots (8 KB) that buildIndex fills at a
// time.
const indexRegion = 10

// buildIndex indexes every entry of a Dict filled by appendUnindexed and
// returns the position of a key that is there twice, or -1; after a
// duplicate the Dict must be discarded. Inserting a million keys one by one
// writes the index at random, a cache miss each; buildIndex sorts the
// entries by the index region their probe starts in (one counting-sort
// pass) and fills the index a region at a time.
func (d *Dict[V]) buildIndex() int {
	n := len(d.keys)
	if n <= smallDict {
		d.slots = nil
		for i := 1; i < n; i++ {
			for _, k := range d.keys[:i] {
				if k == d.keys[i] {
					return i
				}
			}
		}
		return -1
	}
	d.slots = make([]uint64, slotsFor(n))
	mask := uint32(len(d.slots) - 1)
	hashes := make([]uint32, n)
	for p, k := range d.keys {
		hashes[p] = hashString(k)
	}
	start := make([]int, max(1, len(d.slots)>>indexRegion)+1)
	for _, h := range hashes {
		start[(h&mask)>>indexRegion+1]++
	}
	for b := 1; b < len(start); b++ {
		start[b] += start[b-1]
	}
	sorted := make([]uint64, n) // hash and position, by region
	for p, h := range hashes {
		b := (h & mask) >> indexRegion
		sorted[start[b]] = uint64(h)<<32 | uint64(p+1)
		start[b]++
	}
	for _, s := range sorted {
		h := uint32(s >> 32)
		for j := h & mask; ; j = (j + 1) & mask {
			t := d.slots[j]
			if t == 0 {
				d.slots[j] = s
				break
			}
			if uint32(t>>32) == h && d.keys[uint32(t)-1] == d.keys[uint32(s)-1] {
				return int(uint32(s)) - 1
			}
		}
	}
	return -1
}

// add appends k, which must be absent.
func (d *Dict[V]) add(k string, v V) {
	if d.slots == nil && len(d.keys) < smallDict {
		d.keys = append(d.keys, k)
		d.vals = append(d.vals, v)
		return
	}
	_, slot, h := find(d, k, hashString)
	d.insert(slot, h, k, v)
}

// insert appends k, absent, whose hash h and free index slot find gave.
func (d *Dict[V]) insert(slot int, h uint32, k string, v V) {
	switch {
	case d.slots == nil && len(d.keys) == smallDict:
		d.resize(slotsFor(smallDict + 1))
		h = hashString(k)
		slot = d.freeSlot(h)
	case d.slots != nil && 2*(len(d.keys)+1) > len(d.slots):
		d.resize(2 * len(d.slots))
		slot = d.freeSlot(h)
	}
	if d.slots != nil {
		d.slots[slot] = uint64(h)<<32 | uint64(len(d.keys)+1)
	}
	d.keys = append(d.keys, k)
	d.vals = append(d.vals, v)
}

// resize rebuilds the index with n slots; the slots keep their hashes, so
// only building it from a small Dict hashes keys.
func (d *Dict[V]) resize(n int) {
	old := d.slots
	d.slots = make([]uint64, n)
	if old == nil {
		for p, k := range d.keys {
			h := hashString(k)
			d.slots[d.freeSlot(h)] = uint64(h)<<32 | uint64(p+1)
		}
		return
	}
	for _, s := range old {
		if s != 0 {
			d.slots[d.freeSlot(uint32(s>>32))] = s
		}
	}
}

// freeSlot returns the first empty slot of hash h's probe sequence.
func (d *Dict[V]) freeSlot(h uint32) int {
	mask := uint32(len(d.slots) - 1)
	j := h & mask
	for d.slots[j] != 0 {
		j = (j + 1) & mask
	}
	return int(j)
}

// slotOf returns the index slot that holds position p.
func (d *Dict[V]) slotOf(p int) int {
	mask := uint32(len(d.slots) - 1)
	j := hashString(d.keys[p]) & mask
	for int(uint32(d.slots[j])) != p+1 {
		j = (j + 1) & mask
	}
	return int(j)
}

// clearSlot empties index slot j and shifts back the entries after it that
// could not reach their place past j (Knuth's algorithm R), so that every
// probe sequence stays unbroken without tombstones.
func (d *Dict[V]) clearSlot(j int) {
	mask := len(d.slots) - 1
	for {
		d.slots[j] = 0
		k := j
		for {
			k = (k + 1) & mask
			s := d.slots[k]
			if s == 0 {
				return
			}
			home := int(uint32(s>>32)) & mask
			// s may fill the hole unless its home lies cyclically in (j, k].
			if (j < k && (home <= j || home > k)) || (k < j && home <= j && home > k) {
				d.slots[j] = s
				j = k
				break
			}
		}
	}
}

// Delete removes k and reports whether it was present.
func (d *Dict[V]) Delete(k []byte) bool {
	i, slot, _ := find(d, k, hashBytes)
	if i < 0 {
		return false
	}
	d.removeAt(i, slot)
	return true
}

// DeleteString is Delete for a string key.
func (d *Dict[V]) DeleteString(k string) bool {
	i, slot, _ := find(d, k, hashString)
	if i < 0 {
		return false
	}
	d.removeAt(i, slot)
	return true
}

// removeAt removes position i, whose index slot (when indexed) is slot.
func (d *Dict[V]) removeAt(i, slot int) {
	last := len(d.keys) - 1
	if d.slots != nil {
		if i != last {
			ls := d.slotOf(last)
			d.slots[ls] = d.slots[ls]&^0xffffffff | uint64(i+1)
		}
		d.clearSlot(slot)
	}
	if i != last {
		d.keys[i] = d.keys[last]
		d.vals[i] = d.vals[last]
	}
	var zero V
	d.keys[last] = ""
	d.vals[last] = zero
	d.keys = d.keys[:last]
	d.vals = d.vals[:last]
}

// At returns the i-th entry in iteration order (0 <= i < Len()).
func (d *Dict[V]) At(i int) (string, V) { return d.keys[i], d.vals[i] }

// Keys returns the keys in iteration order. The slice is the Dict's own:
// callers must not modify it, and it is invalidated by the next change.
func (d *Dict[V]) Keys() []string { return d.keys }

// Values returns the values in iteration order, with the same caveats as Keys.
func (d *Dict[V]) Values() []V { return d.vals }

// Random returns a uniformly chosen entry; ok is false when the Dict is empty.
func (d *Dict[V]) Random(r *rand.Rand) (k string, v V, ok bool) {
	if len(d.keys) == 0 {
		return "", v, false
	}
	i := r.IntN(len(d.keys))
	return d.keys[i], d.vals[i], true
}

// Scan visits up to count entries starting at cursor (0 starts a new scan)
// and returns the cursor to continue from, 0 when the scan is complete.
func (d *Dict[V]) Scan(cursor uint64, count int, fn func(k string, v V)) uint64 {
	pos := uint64(len(d.keys))
	if cursor != 0 && cursor < pos {
		pos = cursor
	}
	if count < 1 {
		count = 1
	}
	for ; pos > 0 && count > 0; count-- {
		pos--
		fn(d.keys[pos], d.vals[pos])
	}
	return pos
}

// Clear removes every entry.
func (d *Dict[V]) Clear() {
	d.slots = nil
	d.keys = nil
	d.vals = nil
}

// Clone returns a copy of the Dict sharing the values (a shallow copy).
func (d *Dict[V]) Clone() *Dict[V] {
	return &Dict[V]{slots: slices.Clone(d.slots), keys: slices.Clone(d.keys), vals: slices.Clone(d.vals)}
}

package store

import (
	"math/rand/v2"
	"slices"
)

// Dict is a hash table whose iteration order is deterministic: a Go map for
// lookups and a dense slice of entries for iteration, random sampling and
// SCAN. Go randomises map iteration, which would make the simulator and the
// browser replay unreproducible, so a Dict is never ranged over as a map.
//
// A Dict of at most smallDict entries has no map: a lookup compares the keys
// in the slice, which for a handful of keys is faster than hashing and saves
// the map's memory and pointers in every small set, hash and sorted set. The
// map is built when the Dict grows past that, and kept. Either way the
// iteration order is the slice's.
//
// Deleting moves the last entry into the hole. Scan walks the slice from the
// end towards the start, which keeps Redis's SCAN guarantee: an entry present
// for the whole scan is returned at least once, because the only entry that
// moves is the last one and it only moves towards the unvisited part.
type Dict[V any] struct {
	idx  map[string]int32 // nil while the Dict has never held more than smallDict entries
	keys []string
	vals []V
}

// smallDict is the most entries a Dict holds without a map.
const smallDict = 8

// NewDict returns an empty Dict sized for n entries.
func NewDict[V any](n int) *Dict[V] {
	d := &Dict[V]{keys: make([]string, 0, n), vals: make([]V, 0, n)}
	if n > smallDict {
		d.idx = make(map[string]int32, n)
	}
	return d
}

// Len returns the number of entries.
func (d *Dict[V]) Len() int { return len(d.keys) }

// index returns k's position in the slices, or -1.
func (d *Dict[V]) index(k string) int {
	if d.idx == nil {
		for i, s := range d.keys {
			if s == k {
				return i
			}
		}
		return -1
	}
	if i, ok := d.idx[k]; ok {
		return int(i)
	}
	return -1
}

// Get returns the value stored under k.
func (d *Dict[V]) Get(k []byte) (V, bool) { return d.GetString(string(k)) }

// GetString is Get for a string key.
func (d *Dict[V]) GetString(k string) (V, bool) {
	if i := d.index(k); i >= 0 {
		return d.vals[i], true
	}
	var zero V
	return zero, false
}

// Has reports whether k is present.
func (d *Dict[V]) Has(k []byte) bool { return d.index(string(k)) >= 0 }

// Ptr returns a pointer to the value stored under k, valid until the next
// insertion or deletion.
func (d *Dict[V]) Ptr(k []byte) *V {
	if i := d.index(string(k)); i >= 0 {
		return &d.vals[i]
	}
	return nil
}

// Set stores v under k and reports whether k was added (as opposed to replaced).
// The key bytes are copied.
func (d *Dict[V]) Set(k []byte, v V) bool {
	if i := d.index(string(k)); i >= 0 {
		d.vals[i] = v
		return false
	}
	d.add(string(k), v)
	return true
}

// SetString is Set for a string key (no copy is needed).
func (d *Dict[V]) SetString(k string, v V) bool {
	if i := d.index(k); i >= 0 {
		d.vals[i] = v
		return false
	}
	d.add(k, v)
	return true
}

// addNew adds k, which the caller expects to be absent, with a single map
// probe, and reports false when k was present after all. The Dict is then
// left inconsistent: this is for a Dict being built (an RDB load) that is
// discarded on that error.
func (d *Dict[V]) addNew(k string, v V) bool {
	if d.idx == nil {
		if d.index(k) >= 0 {
			return false
		}
		d.add(k, v)
		return true
	}
	n := len(d.idx)
	d.idx[k] = int32(len(d.keys))
	if len(d.idx) == n {
		return false
	}
	d.keys = append(d.keys, k)
	d.vals = append(d.vals, v)
	return true
}

func (d *Dict[V]) add(k string, v V) {
	if d.idx == nil && len(d.keys) == smallDict {
		d.idx = make(map[string]int32, 2*smallDict)
		for i, s := range d.keys {
			d.idx[s] = int32(i)
		}
	}
	if d.idx != nil {
		d.idx[k] = int32(len(d.keys))
	}
	d.keys = append(d.keys, k)
	d.vals = append(d.vals, v)
}

// Delete removes k and reports whether it was present.
func (d *Dict[V]) Delete(k []byte) bool { return d.DeleteString(string(k)) }

// DeleteString is Delete for a string key.
func (d *Dict[V]) DeleteString(k string) bool {
	i := d.index(k)
	if i < 0 {
		return false
	}
	d.removeAt(i)
	return true
}

func (d *Dict[V]) removeAt(i int) {
	last := len(d.keys) - 1
	if d.idx != nil {
		delete(d.idx, d.keys[i])
	}
	if i != last {
		d.keys[i] = d.keys[last]
		d.vals[i] = d.vals[last]
		if d.idx != nil {
			d.idx[d.keys[i]] = int32(i)
		}
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
	d.idx = nil
	d.keys = nil
	d.vals = nil
}

// Clone returns a copy of the Dict sharing the values (a shallow copy).
func (d *Dict[V]) Clone() *Dict[V] {
	c := &Dict[V]{keys: slices.Clone(d.keys), vals: slices.Clone(d.vals)}
	if len(d.keys) > smallDict {
		c.idx = make(map[string]int32, len(d.keys))
		for i, k := range c.keys {
			c.idx[k] = int32(i)
		}
	}
	return c
}

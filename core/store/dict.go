package store

import "math/rand/v2"

// Dict is a hash table whose iteration order is deterministic: a Go map for
// lookups and a dense slice of entries for iteration, random sampling and
// SCAN. Go randomises map iteration, which would make the simulator and the
// browser replay unreproducible, so a Dict is never ranged over as a map.
//
// Deleting moves the last entry into the hole. Scan walks the slice from the
// end towards the start, which keeps Redis's SCAN guarantee: an entry present
// for the whole scan is returned at least once, because the only entry that
// moves is the last one and it only moves towards the unvisited part.
type Dict[V any] struct {
	idx  map[string]int32
	keys []string
	vals []V
}

// NewDict returns an empty Dict sized for n entries.
func NewDict[V any](n int) *Dict[V] {
	return &Dict[V]{idx: make(map[string]int32, n), keys: make([]string, 0, n), vals: make([]V, 0, n)}
}

// Len returns the number of entries.
func (d *Dict[V]) Len() int { return len(d.keys) }

// Get returns the value stored under k.
func (d *Dict[V]) Get(k []byte) (V, bool) {
	if i, ok := d.idx[string(k)]; ok {
		return d.vals[i], true
	}
	var zero V
	return zero, false
}

// GetString is Get for a string key.
func (d *Dict[V]) GetString(k string) (V, bool) {
	if i, ok := d.idx[k]; ok {
		return d.vals[i], true
	}
	var zero V
	return zero, false
}

// Has reports whether k is present.
func (d *Dict[V]) Has(k []byte) bool {
	_, ok := d.idx[string(k)]
	return ok
}

// Ptr returns a pointer to the value stored under k, valid until the next
// insertion or deletion.
func (d *Dict[V]) Ptr(k []byte) *V {
	if i, ok := d.idx[string(k)]; ok {
		return &d.vals[i]
	}
	return nil
}

// Set stores v under k and reports whether k was added (as opposed to replaced).
// The key bytes are copied.
func (d *Dict[V]) Set(k []byte, v V) bool {
	if i, ok := d.idx[string(k)]; ok {
		d.vals[i] = v
		return false
	}
	d.add(string(k), v)
	return true
}

// SetString is Set for a string key (no copy is needed).
func (d *Dict[V]) SetString(k string, v V) bool {
	if i, ok := d.idx[k]; ok {
		d.vals[i] = v
		return false
	}
	d.add(k, v)
	return true
}

func (d *Dict[V]) add(k string, v V) {
	d.idx[k] = int32(len(d.keys))
	d.keys = append(d.keys, k)
	d.vals = append(d.vals, v)
}

// Delete removes k and reports whether it was present.
func (d *Dict[V]) Delete(k []byte) bool {
	i, ok := d.idx[string(k)]
	if !ok {
		return false
	}
	d.removeAt(i)
	return true
}

// DeleteString is Delete for a string key.
func (d *Dict[V]) DeleteString(k string) bool {
	i, ok := d.idx[k]
	if !ok {
		return false
	}
	d.removeAt(i)
	return true
}

func (d *Dict[V]) removeAt(i int32) {
	last := int32(len(d.keys) - 1)
	delete(d.idx, d.keys[i])
	if i != last {
		d.keys[i] = d.keys[last]
		d.vals[i] = d.vals[last]
		d.idx[d.keys[i]] = i
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
	d.idx = make(map[string]int32)
	d.keys = nil
	d.vals = nil
}

// Clone returns a copy of the Dict sharing the values (a shallow copy).
func (d *Dict[V]) Clone() *Dict[V] {
	c := &Dict[V]{idx: make(map[string]int32, len(d.keys)), keys: make([]string, len(d.keys)), vals: make([]V, len(d.vals))}
	copy(c.keys, d.keys)
	copy(c.vals, d.vals)
	for i, k := range c.keys {
		c.idx[k] = int32(i)
	}
	return c
}

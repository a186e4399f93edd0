package store

import "github.com/syncscope/syncscope/core/rdb"

// Hash is a hash value: fields mapped to values.
//
// A small hash is a slice of pairs in insertion order, searched linearly,
// which is what Redis's listpack encoding is: replies such as HGETALL then come
// in the same order as Redis's. Once the hash outgrows the listpack limits it
// moves, for good, to a Dict (Redis's hashtable encoding).
type Hash struct {
	object
	pairs []hashPair    // listpack encoding, when d is nil
	d     *Dict[[]byte] // hashtable encoding
}

type hashPair struct {
	field string
	value []byte
}

// NewHash returns an empty hash.
func NewHash() *Hash { return &Hash{} }

func (*Hash) Type() Type { return TypeHash }

// Encoding reports listpack or hashtable as Redis 7.0 does.
func (h *Hash) Encoding() string {
	if h.d == nil {
		return "listpack"
	}
	return "hashtable"
}

// Len returns the number of fields.
func (h *Hash) Len() int {
	if h.d == nil {
		return len(h.pairs)
	}
	return h.d.Len()
}

func (h *Hash) find(field []byte) int {
	for i := range h.pairs {
		if h.pairs[i].field == string(field) {
			return i
		}
	}
	return -1
}

// Get returns field's value; the bytes belong to the hash and must not be
// modified.
func (h *Hash) Get(field []byte) ([]byte, bool) {
	if h.d != nil {
		return h.d.Get(field)
	}
	if i := h.find(field); i >= 0 {
		return h.pairs[i].value, true
	}
	return nil, false
}

// Has reports whether field is present.
func (h *Hash) Has(field []byte) bool {
	if h.d != nil {
		return h.d.Has(field)
	}
	return h.find(field) >= 0
}

// Set stores copies of field and value and reports whether field was added.
// A field or value longer than lim.HashMaxListpackValue, or more fields than
// lim.HashMaxListpackEntries, converts the hash to a hashtable, as Redis
// 7.0.15's hashTypeSet does for every writer, HINCRBY and HINCRBYFLOAT
// included.
func (h *Hash) Set(field, value []byte, lim Limits) (added bool) {
	if h.d == nil && (len(field) > lim.HashMaxListpackValue || len(value) > lim.HashMaxListpackValue) {
		h.convert()
	}
	v := append([]byte(nil), value...)
	if h.d != nil {
		return h.d.Set(field, v)
	}
	if i := h.find(field); i >= 0 {
		h.pairs[i].value = v
		return false
	}
	h.pairs = append(h.pairs, hashPair{field: string(field), value: v})
	if len(h.pairs) > lim.HashMaxListpackEntries {
		h.convert()
	}
	return true
}

// convert moves the pairs to a Dict (listpack to hashtable).
func (h *Hash) convert() {
	h.d = NewDict[[]byte](len(h.pairs))
	for _, p := range h.pairs {
		h.d.SetString(p.field, p.value)
	}
	h.pairs = nil
}

// Delete removes field and reports whether it was present. In a listpack
// the remaining fields keep their order, as in Redis.
func (h *Hash) Delete(field []byte) bool {
	if h.d != nil {
		return h.d.Delete(field)
	}
	i := h.find(field)
	if i < 0 {
		return false
	}
	copy(h.pairs[i:], h.pairs[i+1:])
	h.pairs[len(h.pairs)-1] = hashPair{}
	h.pairs = h.pairs[:len(h.pairs)-1]
	return true
}

// At returns the i-th field and value in iteration order (0 <= i < Len()),
// for random sampling.
func (h *Hash) At(i int) (field string, value []byte) {
	if h.d != nil {
		return h.d.At(i)
	}
	return h.pairs[i].field, h.pairs[i].value
}

// Each calls fn for every field until fn returns false: in insertion order
// for a listpack, in the Dict's order for a hashtable. The value bytes belong
// to the hash and must not be modified.
func (h *Hash) Each(fn func(field string, value []byte) bool) {
	n := h.Len()
	for i := 0; i < n; i++ {
		if !fn(h.At(i)) {
			return
		}
	}
}

// Scan is HSCAN's walk: a listpack is returned whole with cursor 0, as Redis
// does for compact encodings; a hashtable is walked with Dict.Scan.
func (h *Hash) Scan(cursor uint64, count int, fn func(field string, value []byte)) uint64 {
	if h.d != nil {
		return h.d.Scan(cursor, count, fn)
	}
	for _, p := range h.pairs {
		fn(p.field, p.value)
	}
	return 0
}

// clone copies the pairs or the Dict together with the value bytes.
func (h *Hash) clone() Value {
	c := &Hash{}
	if h.d != nil {
		c.d = NewDict[[]byte](h.d.Len())
		for i := 0; i < h.d.Len(); i++ {
			f, v := h.d.At(i)
			c.d.SetString(f, append([]byte(nil), v...))
		}
		return c
	}
	c.pairs = make([]hashPair, len(h.pairs))
	for i, p := range h.pairs {
		c.pairs[i] = hashPair{field: p.field, value: append([]byte(nil), p.value...)}
	}
	return c
}

// hashFromEntry builds a hash from decoded fields (no duplicates, as the
// decoder checks), taking ownership of the values and cutting the fields
// from strs. It gives the encoding and order that setting the fields one by
// one gives.
func hashFromEntry(fs []rdb.Field, lim Limits, strs *stringSlab) *Hash {
	fits := len(fs) <= lim.HashMaxListpackEntries
	for i := 0; fits && i < len(fs); i++ {
		fits = len(fs[i].Field) <= lim.HashMaxListpackValue && len(fs[i].Value) <= lim.HashMaxListpackValue
	}
	if !fits {
		d := NewDict[[]byte](len(fs))
		for _, f := range fs {
			d.add(strs.str(f.Field), ownedValue(f.Value))
		}
		return &Hash{d: d}
	}
	pairs := make([]hashPair, len(fs))
	for i, f := range fs {
		pairs[i] = hashPair{field: strs.str(f.Field), value: ownedValue(f.Value)}
	}
	return &Hash{pairs: pairs}
}

// ownedValue is v as Set stores it: an empty value is nil.
func ownedValue(v []byte) []byte {
	if len(v) == 0 {
		return nil
	}
	return v
}

package store

import (
	"math/rand/v2"
	"slices"
	"strconv"

	"github.com/syncscope/syncscope/core/cstr"
)

// Set is a set value. Like Redis 7.0 it starts as an intset (a sorted array
// of integers) while every member is the canonical form of an int64 and
// there are at most SetMaxIntsetEntries of them, and becomes a hash table for
// good otherwise.
type Set struct {
	object
	ints []int64         // intset encoding, sorted; unused once dict is set
	dict *Dict[struct{}] // hashtable encoding
}

// NewSet returns an empty set (intset encoded).
func NewSet() *Set { return &Set{} }

func (*Set) Type() Type { return TypeSet }

// Encoding reports intset or hashtable.
func (s *Set) Encoding() string {
	if s.dict != nil {
		return "hashtable"
	}
	return "intset"
}

// IsIntset reports whether the set is intset encoded: its members are then
// visited in ascending numeric order and SSCAN returns them all at once.
func (s *Set) IsIntset() bool { return s.dict == nil }

func (s *Set) clone() Value {
	if s.dict != nil {
		return &Set{dict: s.dict.Clone()}
	}
	return &Set{ints: slices.Clone(s.ints)}
}

// Len returns the number of members.
func (s *Set) Len() int {
	if s.dict != nil {
		return s.dict.Len()
	}
	return len(s.ints)
}

// Add inserts member and reports whether it was new.
func (s *Set) Add(member []byte, lim Limits) (added bool) {
	if s.dict == nil {
		if v, ok := cstr.String2ll(member); ok {
			i, found := slices.BinarySearch(s.ints, v)
			if found {
				return false
			}
			s.ints = slices.Insert(s.ints, i, v)
			if len(s.ints) > lim.SetMaxIntsetEntries {
				s.toHashtable()
			}
			return true
		}
		s.toHashtable()
	}
	return s.dict.Set(member, struct{}{})
}

func (s *Set) toHashtable() {
	s.dict = NewDict[struct{}](len(s.ints) + 1)
	for _, v := range s.ints {
		s.dict.SetString(strconv.FormatInt(v, 10), struct{}{})
	}
	s.ints = nil
}

// Has reports whether member is in the set.
func (s *Set) Has(member []byte) bool {
	if s.dict != nil {
		return s.dict.Has(member)
	}
	_, found := s.findInt(member)
	return found
}

// findInt is where member, read as an integer, is or would be in the intset;
// found is false for a member that is not an integer.
func (s *Set) findInt(member []byte) (i int, found bool) {
	v, ok := cstr.String2ll(member)
	if !ok {
		return 0, false
	}
	return slices.BinarySearch(s.ints, v)
}

// Remove deletes member and reports whether it was present.
func (s *Set) Remove(member []byte) bool {
	if s.dict != nil {
		return s.dict.Delete(member)
	}
	i, found := s.findInt(member)
	if found {
		s.ints = slices.Delete(s.ints, i, i+1)
	}
	return found
}

// Each visits every member (in ascending numeric order for an intset) until
// fn returns false.
func (s *Set) Each(fn func(member string) bool) {
	if s.dict != nil {
		for _, k := range s.dict.Keys() {
			if !fn(k) {
				return
			}
		}
		return
	}
	for _, v := range s.ints {
		if !fn(strconv.FormatInt(v, 10)) {
			return
		}
	}
}

// Random returns a uniformly chosen member; the set must not be empty.
func (s *Set) Random(r *rand.Rand) string {
	if s.dict != nil {
		k, _, _ := s.dict.Random(r)
		return k
	}
	return strconv.FormatInt(s.ints[r.IntN(len(s.ints))], 10)
}

// Scan walks the members as Dict.Scan does; an intset is returned whole with
// cursor 0, as Redis does for small encodings.
func (s *Set) Scan(cursor uint64, count int, fn func(member string)) uint64 {
	if s.dict == nil {
		s.Each(func(m string) bool { fn(m); return true })
		return 0
	}
	return s.dict.Scan(cursor, count, func(k string, _ struct{}) { fn(k) })
}

// setFromEntry builds a set from decoded members (no duplicates, as the
// decoder checks) with the encoding and member order that adding them one by
// one gives: an intset while they are integers within the limit, otherwise a
// hash table holding, first, the sorted integers added before it converted,
// then the rest in file order. The members are cut from strs.
func setFromEntry(ms [][]byte, lim Limits, strs *stringSlab) *Set {
	// The leading integers: of a small set on the stack (copied only for
	// an intset), of a bigger one in what becomes the intset. Their
	// capacity is all the loop below can append.
	var buf [smallDict]int64
	var big []int64
	ints := buf[:0]
	if n := min(len(ms), lim.SetMaxIntsetEntries+1); n > len(buf) {
		big = make([]int64, 0, n)
		ints = big
	}
	for _, m := range ms {
		if len(ints) > lim.SetMaxIntsetEntries {
			break
		}
		v, ok := cstr.String2ll(m)
		if !ok {
			break
		}
		ints = append(ints, v)
	}
	slices.Sort(ints)
	if len(ints) == len(ms) && len(ints) <= lim.SetMaxIntsetEntries {
		if big != nil {
			return &Set{ints: big[:len(ints)]}
		}
		return &Set{ints: slices.Clone(ints)}
	}
	var s *Set
	var d *Dict[struct{}]
	if len(ms) <= smallDict {
		// One allocation for the set, its Dict and the Dict's keys.
		t := &smallLoadedSet{}
		t.d.keys = t.keys[:0]
		t.s.dict = &t.d
		s, d = &t.s, &t.d
	} else {
		d = NewDict[struct{}](len(ms))
		s = &Set{dict: d}
	}
	var num [20]byte
	for _, v := range ints {
		d.add(strs.str(strconv.AppendInt(num[:0], v, 10)), struct{}{})
	}
	for _, m := range ms[len(ints):] {
		d.add(strs.str(m), struct{}{})
	}
	return s
}

// smallLoadedSet is a hashtable set of at most smallDict members as
// setFromEntry allocates it: the Set points into it, so it lives as long as
// the Set does.
type smallLoadedSet struct {
	s    Set
	d    Dict[struct{}]
	keys [smallDict]string
}

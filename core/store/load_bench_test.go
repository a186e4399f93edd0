package store

import (
	"bytes"
	"io"
	"math/rand/v2"
	"strconv"
	"testing"

	"github.com/syncscope/syncscope/core/rdb"
)

// BenchmarkLoadRDBSmallZSets loads an RDB of listpack-encoded sorted sets of
// 20 members each: the shape that dominates a replica's full sync of many
// small keys.
func BenchmarkLoadRDBSmallZSets(b *testing.B) {
	const keys, members = 2000, 20
	s := New(16, rand.New(rand.NewPCG(1, 2)))
	lim := DefaultLimits()
	for k := range keys {
		z := NewZSet()
		for m := range members {
			z.Add([]byte("member:"+strconv.Itoa(m)), float64((m*7919+k)%101), lim)
		}
		s.DBs[0].Set([]byte("zset:"+strconv.Itoa(k)), z)
	}
	benchLoadRDB(b, s, lim, keys)
}

// BenchmarkLoadRDBSmallValues loads an RDB of small hashes, sets (intset and
// hashtable) and lists of 20 elements each, the other aggregate shapes of a
// replica's full sync besides sorted sets.
func BenchmarkLoadRDBSmallValues(b *testing.B) {
	const keys, elems = 2000, 20
	s := New(16, rand.New(rand.NewPCG(1, 2)))
	lim := DefaultLimits()
	for k := range keys {
		var v Value
		switch k % 4 {
		case 0:
			h := NewHash()
			for e := range elems {
				h.Set([]byte("field:"+strconv.Itoa(e)), []byte("value:"+strconv.Itoa(e*k)), lim)
			}
			v = h
		case 1:
			st := NewSet()
			for e := range elems {
				st.Add([]byte("member:"+strconv.Itoa(e)), lim)
			}
			v = st
		case 2:
			st := NewSet()
			for e := range elems {
				st.Add([]byte(strconv.Itoa(e*7919+k)), lim)
			}
			v = st
		case 3:
			l := NewList(lim.ListMaxListpackSize)
			for e := range elems {
				l.PushBack([]byte("element:" + strconv.Itoa(e)))
			}
			v = l
		}
		s.DBs[0].Set([]byte("key:"+strconv.Itoa(k)), v)
	}
	benchLoadRDB(b, s, lim, keys)
}

// benchLoadRDB encodes s once and times LoadRDB of that dump, which must
// give back keys keys.
func benchLoadRDB(b *testing.B, s *Store, lim Limits, keys int) {
	sn := s.Snapshot()
	var buf bytes.Buffer
	if err := sn.WriteRDB(&buf, rdb.DefaultOptions(), nil); err != nil {
		b.Fatal(err)
	}
	sn.Release()
	data := buf.Bytes()
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		st, info, err := LoadRDB(data, 16, rand.New(rand.NewPCG(1, 2)), lim, 0, true)
		if err != nil || info.Keys != keys || st.DBs[0].Len() != keys {
			b.Fatalf("loaded %d keys: %v", info.Keys, err)
		}
	}
}

// BenchmarkLoadRDBAllTypes loads the shapes of the full-sync benchmark's
// "all types" dataset (native/cmd/bench): strings, and hashes, lists, sets
// (hashtable-encoded) and sorted sets of 8 elements each, in equal numbers.
func BenchmarkLoadRDBAllTypes(b *testing.B) {
	const keys = 20000
	s, lim := allTypesStore(keys), DefaultLimits()
	benchLoadRDB(b, s, lim, keys)
}

// BenchmarkWriteRDBAllTypes is the master's side of that full sync: a
// snapshot of the same keys written as an RDB.
func BenchmarkWriteRDBAllTypes(b *testing.B) {
	s := allTypesStore(20000)
	b.ReportAllocs()
	for b.Loop() {
		sn := s.Snapshot()
		if err := sn.WriteRDB(io.Discard, rdb.DefaultOptions(), nil); err != nil {
			b.Fatal(err)
		}
		sn.Release()
	}
}

// allTypesStore holds keys keys shaped like the "all types" dataset.
func allTypesStore(keys int) *Store {
	s := New(16, rand.New(rand.NewPCG(1, 2)))
	lim := DefaultLimits()
	abc := []string{"b", "c", "d", "e", "f", "g", "h"}
	for i := range keys {
		n := strconv.Itoa(i)
		var key string
		var v Value
		switch i % 5 {
		case 0:
			key, v = "s:"+n, NewString([]byte("value:"+n))
		case 1:
			h := NewHash()
			h.Set([]byte("a"), []byte(n), lim)
			h.Set([]byte("b"), []byte("x"+n), lim)
			for j, f := range abc[1:] {
				h.Set([]byte(f), []byte(strconv.Itoa(j+3)), lim)
			}
			key, v = "h:"+n, h
		case 2:
			l := NewList(lim.ListMaxListpackSize)
			l.PushBack([]byte(n))
			for _, e := range abc {
				l.PushBack([]byte(e))
			}
			key, v = "l:"+n, l
		case 3:
			st := NewSet()
			st.Add([]byte(n), lim)
			for _, e := range abc {
				st.Add([]byte(e), lim)
			}
			key, v = "S:"+n, st
		case 4:
			z := NewZSet()
			z.Add([]byte(n), 1, lim)
			for j, e := range abc {
				z.Add([]byte(e), float64(j+2), lim)
			}
			key, v = "z:"+n, z
		}
		s.DBs[0].Set([]byte(key), v)
	}
	return s
}

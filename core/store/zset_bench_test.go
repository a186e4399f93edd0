package store

import (
	"math/rand/v2"
	"strconv"
	"testing"
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

package store

import (
	"math/rand/v2"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestDictMatchesMap drives a Dict through random sets and deletes that
// take it across the small (map-less) size and back, checking every step
// against a Go map and the order rule: a delete moves the last entry into
// the hole, so the slice order is predictable.
func TestDictMatchesMap(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for _, n := range []int{0, 4, smallDict, smallDict + 1, 40} {
		t.Run(strconv.Itoa(n), func(t *testing.T) {
			d := NewDict[int](n)
			want := map[string]int{}
			var order []string
			for step := range 2000 {
				k := "k" + strconv.Itoa(r.IntN(3*smallDict))
				if r.IntN(3) == 0 {
					_, had := want[k]
					require.Equal(t, had, d.DeleteString(k), "step %d delete %s", step, k)
					if had {
						delete(want, k)
						i := indexOf(order, k)
						order[i] = order[len(order)-1]
						order = order[:len(order)-1]
					}
				} else {
					_, had := want[k]
					require.Equal(t, !had, d.Set([]byte(k), step), "step %d set %s", step, k)
					want[k] = step
					if !had {
						order = append(order, k)
					}
				}
				require.Equal(t, len(want), d.Len())
				require.Equal(t, append([]string{}, order...), append([]string{}, d.Keys()...))
				assert.True(t, d.idx != nil || d.Len() <= smallDict, "a Dict past %d entries has its map", smallDict)
			}
			for k, v := range want {
				got, ok := d.GetString(k)
				require.True(t, ok, k)
				require.Equal(t, v, got)
				require.True(t, d.Has([]byte(k)))
				require.Equal(t, v, *d.Ptr([]byte(k)))
			}
			_, ok := d.Get([]byte("absent"))
			require.False(t, ok)
			c := d.Clone()
			require.Equal(t, d.Keys(), c.Keys())
			require.Equal(t, d.Values(), c.Values())
			c.SetString("only-in-clone", 1)
			require.False(t, d.Has([]byte("only-in-clone")))
			d.Clear()
			require.Equal(t, 0, d.Len())
			require.False(t, d.Has([]byte(order[0])))
		})
	}
}

func indexOf(s []string, k string) int {
	for i, x := range s {
		if x == k {
			return i
		}
	}
	return -1
}

func TestDictAddNew(t *testing.T) {
	for _, n := range []int{0, 100} {
		d := NewDict[int](n)
		for i := range 20 {
			require.True(t, d.addNew(strconv.Itoa(i), i))
		}
		require.False(t, d.addNew("3", 99), "a duplicate is reported")
		small := NewDict[int](0)
		require.True(t, small.addNew("a", 1))
		require.False(t, small.addNew("a", 2))
		v, _ := small.GetString("a")
		require.Equal(t, 1, v)
	}
}

// BenchmarkDictSmall builds and probes 8-entry Dicts, the size of most
// sets and hashes in a keyspace of small values.
func BenchmarkDictSmall(b *testing.B) {
	keys := make([][]byte, smallDict)
	for i := range keys {
		keys[i] = []byte("member:" + strconv.Itoa(i))
	}
	b.ReportAllocs()
	for b.Loop() {
		d := NewDict[struct{}](len(keys))
		for _, k := range keys {
			d.Set(k, struct{}{})
		}
		for _, k := range keys {
			if !d.Has(k) {
				b.Fatal("missing")
			}
		}
	}
}

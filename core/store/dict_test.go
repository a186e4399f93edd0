package store

import (
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestDictMatchesMap drives Dicts through random sets and deletes that take
// them across the small (index-less) size, through index growth and back,
// checking every step against a Go map and the order rule: a delete moves
// the last entry into the hole, so the slice order is predictable.
func TestDictMatchesMap(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for _, tc := range []struct{ presize, keys int }{{0, 12}, {4, 40}, {smallDict, smallDict + 1}, {smallDict + 1, 300}, {40, 1000}} {
		t.Run(strconv.Itoa(tc.presize)+"/"+strconv.Itoa(tc.keys), func(t *testing.T) {
			d := NewDict[int](tc.presize)
			want := map[string]int{}
			var order []string
			for step := range 3000 {
				k := "k" + strconv.Itoa(r.IntN(tc.keys))
				_, had := want[k]
				switch op := r.IntN(5); {
				case op < 2:
					require.Equal(t, had, d.DeleteString(k), "step %d delete %s", step, k)
					if had {
						delete(want, k)
						i := indexOf(order, k)
						order[i] = order[len(order)-1]
						order = order[:len(order)-1]
					}
				case op == 2:
					require.Equal(t, !had, d.SetString(k, step), "step %d set %s", step, k)
				default:
					require.Equal(t, !had, d.Set([]byte(k), step), "step %d set %s", step, k)
				}
				if _, ok := want[k]; !ok && d.Has([]byte(k)) {
					want[k] = step
					order = append(order, k)
				} else if ok {
					want[k] = step
				}
				require.Equal(t, len(want), d.Len())
				require.Equal(t, append([]string{}, order...), append([]string{}, d.Keys()...))
				assert.True(t, d.slots != nil || d.Len() <= smallDict, "a Dict past %d entries has its index", smallDict)
				for i, k := range order {
					require.Equal(t, i, d.index(k), "step %d: %s", step, k)
				}
			}
			for k, v := range want {
				got, ok := d.GetString(k)
				require.True(t, ok, k)
				require.Equal(t, v, got)
				got, ok = d.Get([]byte(k))
				require.True(t, ok, k)
				require.Equal(t, v, got)
				require.Equal(t, v, *d.Ptr([]byte(k)))
			}
			_, ok := d.Get([]byte("absent"))
			require.False(t, ok)
			c := d.Clone()
			require.Equal(t, d.Keys(), c.Keys())
			require.Equal(t, d.Values(), c.Values())
			c.SetString("only-in-clone", 1)
			require.False(t, d.Has([]byte("only-in-clone")))
			for k := range want {
				require.True(t, c.Delete([]byte(k)))
			}
			require.Equal(t, []string{"only-in-clone"}, c.Keys())
			d.Clear()
			require.Equal(t, 0, d.Len())
			require.False(t, d.Has([]byte("k1")))
			d.SetString("k1", 1)
			require.True(t, d.Has([]byte("k1")))
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

func TestDictBuildIndex(t *testing.T) {
	for _, n := range []int{0, 1, smallDict, smallDict + 1, 5000} {
		d := newBulkDict[int](n)
		for i := range n {
			d.appendUnindexed("k"+strconv.Itoa(i), i)
		}
		require.Equal(t, -1, d.buildIndex(), "%d keys", n)
		require.Equal(t, n, d.Len())
		for i := range n {
			require.Equal(t, i, d.index("k"+strconv.Itoa(i)))
		}
		require.Equal(t, -1, d.index("absent"))
		d.SetString("new", -1)
		require.True(t, d.Delete([]byte("new")))
		if n == 0 {
			continue
		}
		dup := newBulkDict[int](n)
		for i := range n {
			dup.appendUnindexed("k"+strconv.Itoa(i), i)
		}
		dup.appendUnindexed("k"+strconv.Itoa(n/2), 0)
		require.Equal(t, n, dup.buildIndex(), "the second copy of a duplicate is reported, %d keys", n)
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

// TestDictLookupsDoNotAllocate: a []byte key is looked up without being
// copied into a string, however long it is.
func TestDictLookupsDoNotAllocate(t *testing.T) {
	long := []byte(strings.Repeat("x", 100))
	for _, n := range []int{3, 50} {
		d := NewDict[int](0)
		for i := range n {
			d.SetString(string(long)+strconv.Itoa(i), i)
		}
		key := append(long, '1')
		allocs := testing.AllocsPerRun(100, func() {
			if _, ok := d.Get(key); !ok || !d.Has(key) || d.Ptr(key) == nil {
				t.Fatal("missing")
			}
			d.Set(key, 7)
		})
		require.Zero(t, allocs, "%d entries", n)
	}
}

// BenchmarkDictGet looks up random keys of a million-key Dict, where every
// lookup misses the cache: the keyspace of a big dataset.
func BenchmarkDictGet(b *testing.B) {
	keys := make([][]byte, 1<<20)
	d := NewDict[int](0)
	for i := range keys {
		keys[i] = []byte("key:" + strconv.Itoa(i))
		d.Set(keys[i], i)
	}
	r := rand.New(rand.NewPCG(1, 2))
	b.ReportAllocs()
	for b.Loop() {
		if _, ok := d.Get(keys[r.IntN(len(keys))]); !ok {
			b.Fatal("missing")
		}
	}
}

// BenchmarkDictSetDelete adds a key and deletes another in a Dict of 100k.
func BenchmarkDictSetDelete(b *testing.B) {
	const n = 100000
	keys := make([][]byte, 2*n)
	for i := range keys {
		keys[i] = []byte("key:" + strconv.Itoa(i))
	}
	d := NewDict[int](0)
	for i := range n {
		d.Set(keys[i], i)
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		in, out := keys[(i+n)%len(keys)], keys[i%len(keys)]
		d.Set(in, i)
		d.Delete(out)
		i++
	}
}

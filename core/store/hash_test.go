package store

import (
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func hashPairs(h *Hash) []string {
	var out []string
	h.Each(func(f string, v []byte) bool { out = append(out, f+"="+string(v)); return true })
	return out
}

func TestHashEncoding(t *testing.T) {
	lim := DefaultLimits()
	lim.HashMaxListpackEntries = 4
	lim.HashMaxListpackValue = 8
	tests := []struct {
		name string
		set  [][2]string
		want string
	}{
		{"empty", nil, "listpack"},
		{"at entry limit", [][2]string{{"a", "1"}, {"b", "2"}, {"c", "3"}, {"d", "4"}}, "listpack"},
		{"over entry limit", [][2]string{{"a", "1"}, {"b", "2"}, {"c", "3"}, {"d", "4"}, {"e", "5"}}, "hashtable"},
		{"replacing does not count", [][2]string{{"a", "1"}, {"a", "2"}, {"a", "3"}, {"a", "4"}, {"a", "5"}}, "listpack"},
		{"value at length limit", [][2]string{{"a", "12345678"}}, "listpack"},
		{"value over length limit", [][2]string{{"a", "123456789"}}, "hashtable"},
		{"field over length limit", [][2]string{{"123456789", "a"}}, "hashtable"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := NewHash()
			for _, p := range tc.set {
				h.Set([]byte(p[0]), []byte(p[1]), lim)
			}
			require.Equal(t, tc.want, h.Encoding())
		})
	}
}

func TestHashConversionIsOneWay(t *testing.T) {
	lim := DefaultLimits()
	h := NewHash()
	h.Set([]byte("f"), []byte(strings.Repeat("x", 65)), lim)
	require.Equal(t, "hashtable", h.Encoding())
	h.Set([]byte("f"), []byte("short"), lim)
	h.Delete([]byte("f"))
	require.Equal(t, "hashtable", h.Encoding())
	require.Equal(t, 0, h.Len())
}

// TestHashLongValueConverts: Redis 7.0.15 converts on a long value whatever
// the writer (HINCRBYFLOAT's 71-digit result included).
func TestHashLongValueConverts(t *testing.T) {
	lim := DefaultLimits()
	h := NewHash()
	h.Set([]byte("f"), []byte("1"), lim)
	require.Equal(t, "listpack", h.Encoding())
	h.Set([]byte("f"), []byte(strings.Repeat("9", 100)), lim)
	require.Equal(t, "hashtable", h.Encoding())
	v, _ := h.Get([]byte("f"))
	require.Len(t, v, 100)
	for i := 0; i < lim.HashMaxListpackEntries; i++ {
		h.Set([]byte(strconv.Itoa(i)), []byte("1"), lim)
	}
	require.Equal(t, lim.HashMaxListpackEntries+1, h.Len())
}

func TestHashOperations(t *testing.T) {
	for _, big := range []bool{false, true} {
		lim := DefaultLimits()
		if big {
			lim.HashMaxListpackEntries = 0
		}
		h := NewHash()
		require.True(t, h.Set([]byte("a"), []byte("1"), lim))
		require.True(t, h.Set([]byte("b"), []byte("2"), lim))
		require.True(t, h.Set([]byte("c"), []byte("3"), lim))
		require.False(t, h.Set([]byte("a"), []byte("10"), lim))
		v, ok := h.Get([]byte("a"))
		require.True(t, ok)
		require.Equal(t, "10", string(v))
		_, ok = h.Get([]byte("zz"))
		require.False(t, ok)
		require.True(t, h.Has([]byte("b")))
		require.True(t, h.Delete([]byte("b")))
		require.False(t, h.Delete([]byte("b")))
		require.Equal(t, 2, h.Len())
		if !big {
			// A listpack keeps insertion order, across replacements and deletes.
			require.Equal(t, []string{"a=10", "c=3"}, hashPairs(h))
		} else {
			require.ElementsMatch(t, []string{"a=10", "c=3"}, hashPairs(h))
		}
		seen := 0
		cur := uint64(0)
		for {
			cur = h.Scan(cur, 1, func(string, []byte) { seen++ })
			if cur == 0 {
				break
			}
		}
		require.Equal(t, 2, seen)
	}
}

func TestHashCloneIndependent(t *testing.T) {
	for _, entries := range []int{128, 0} {
		lim := DefaultLimits()
		lim.HashMaxListpackEntries = entries
		h := NewHash()
		h.Set([]byte("a"), []byte("1"), lim)
		h.Set([]byte("b"), []byte("2"), lim)
		c := h.clone().(*Hash)
		h.Set([]byte("a"), []byte("x"), lim)
		h.Delete([]byte("b"))
		h.Set([]byte("c"), []byte("3"), lim)
		v, _ := c.Get([]byte("a"))
		require.Equal(t, "1", string(v))
		require.ElementsMatch(t, []string{"a=1", "b=2"}, hashPairs(c))
		require.ElementsMatch(t, []string{"a=x", "c=3"}, hashPairs(h))
		require.Equal(t, h.Encoding(), c.Encoding())
	}
}

func TestHashCopyOnWrite(t *testing.T) {
	s := New(1, rand.New(rand.NewPCG(1, 1)))
	db := s.DBs[0]
	h := NewHash()
	h.Set([]byte("f"), []byte("v"), s.Limits)
	db.Set([]byte("k"), h)
	s.gen++
	s.snapLive = true
	w := db.GetForWrite([]byte("k")).(*Hash)
	w.Set([]byte("f"), []byte("changed"), s.Limits)
	require.Equal(t, []string{"f=v"}, hashPairs(h))
	require.Equal(t, []string{"f=changed"}, hashPairs(w))
}

func BenchmarkHashSetGet(b *testing.B) {
	b.ReportAllocs()
	lim := DefaultLimits()
	h := NewHash()
	fields := make([][]byte, 100)
	for i := range fields {
		fields[i] = []byte("field:" + strconv.Itoa(i))
	}
	val := []byte("value")
	for i := 0; i < b.N; i++ {
		f := fields[i%len(fields)]
		h.Set(f, val, lim)
		h.Get(f)
	}
}

package store

import (
	"bytes"
	"math/rand/v2"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/syncscope/syncscope/core/rdb"
)

// TestFromEntryMatchesOneByOne requires the sets and hashes LoadRDB builds
// in one go to equal, in encoding and iteration order, those built by adding
// the same members one at a time, across the intset and listpack limits.
func TestFromEntryMatchesOneByOne(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	lim := DefaultLimits()
	lim.SetMaxIntsetEntries, lim.HashMaxListpackEntries, lim.HashMaxListpackValue = 8, 8, 6
	elem := func(i int) []byte {
		switch r.IntN(4) {
		case 0:
			return []byte("m" + strconv.Itoa(i)) // not an integer
		case 1:
			return []byte("0" + strconv.Itoa(i)) // not canonical
		case 2:
			return []byte{}
		}
		return []byte(strconv.Itoa((i*7919)%1000 - 500))
	}
	for range 2000 {
		n := 1 + r.IntN(14)
		seen := map[string]bool{}
		var ms [][]byte
		var fs []rdb.Field
		for i := range n {
			m := elem(i)
			if r.IntN(3) > 0 {
				m = []byte(strconv.Itoa(i*31 - 100)) // mostly integers, to stay an intset
			}
			if seen[string(m)] {
				continue
			}
			seen[string(m)] = true
			ms = append(ms, m)
			fs = append(fs, rdb.Field{Field: m, Value: elem(i + n)})
		}

		want := NewSet()
		for _, m := range ms {
			want.Add(m, lim)
		}
		got := setFromEntry(ms, lim, newStringSlab(64))
		require.Equal(t, want.Encoding(), got.Encoding(), "%q", ms)
		require.Equal(t, setMembers(want), setMembers(got), "%q", ms)

		wantH := NewHash()
		for _, f := range fs {
			wantH.Set(f.Field, f.Value, lim)
		}
		gotH := hashFromEntry(fs, lim, newStringSlab(64))
		require.Equal(t, wantH.Encoding(), gotH.Encoding(), "%q", fs)
		require.Equal(t, hashEntries(wantH), hashEntries(gotH), "%q", fs)
	}
}

// hashEntries is a hash's fields and values in iteration order; unlike
// hashPairs it tells a nil value from an empty one.
func hashEntries(h *Hash) [][2]any {
	var out [][2]any
	h.Each(func(f string, v []byte) bool { out = append(out, [2]any{f, v}); return true })
	return out
}

// TestAppendNodesSizesLikeGrowth requires the buffers appendNodes reserves up
// front to be the sizes that growing them one element at a time reaches.
func TestAppendNodesSizesLikeGrowth(t *testing.T) {
	grown := func(n, least int) int {
		size := 0
		for size < n {
			size = max(least, 2*size)
		}
		return size
	}
	for n := 1; n <= 300; n += 7 {
		elems := make([][]byte, n)
		var counts []int
		for i := range elems {
			elems[i] = []byte(strconv.Itoa(i))
			if i%3 == 0 {
				counts = append(counts, 0)
			}
			counts[len(counts)-1]++
		}
		l := NewList(DefaultLimits().ListMaxListpackSize)
		l.appendNodes(elems, counts)
		require.Equal(t, grown(n, 8), len(l.buf), "elements %d", n)
		require.Equal(t, grown(len(counts), 4), len(l.nodes.buf), "nodes %d", len(counts))
		require.Equal(t, n, l.Len())
		require.Equal(t, []byte(strconv.Itoa(n-1)), l.Index(n-1))
	}
}

// TestLoadRDBRefusesDuplicatedKeys: a key twice in one database fails the
// load, small or big database, hinted or not; the same key in two
// databases is fine, and keys and TTLs are found after the bulk indexing.
func TestLoadRDBRefusesDuplicatedKeys(t *testing.T) {
	file := func(keys int, hint bool, dup string) []byte {
		var buf bytes.Buffer
		e := rdb.NewEncoder(&buf, rdb.DefaultOptions())
		require.NoError(t, e.Header())
		for db := range 2 {
			n := uint64(0)
			if hint {
				n = uint64(keys)
			}
			require.NoError(t, e.SelectDB(db, n, n/2))
			for i := range keys {
				exp := int64(-1)
				if i%2 == 0 {
					exp = 4102444800000 + int64(i)
				}
				require.NoError(t, e.Entry(&rdb.Entry{DB: db, Key: []byte("k" + strconv.Itoa(i)), Kind: rdb.KindString, Str: []byte("v"), ExpireMs: exp}))
			}
			if dup != "" && db == 1 {
				require.NoError(t, e.Entry(&rdb.Entry{DB: db, Key: []byte(dup), Kind: rdb.KindString, Str: []byte("again"), ExpireMs: -1}))
			}
		}
		require.NoError(t, e.Finish())
		return buf.Bytes()
	}
	for _, keys := range []int{3, 2000} {
		for _, hint := range []bool{false, true} {
			s, info, err := LoadRDB(file(keys, hint, ""), 16, rand.New(rand.NewPCG(1, 2)), DefaultLimits(), 0, true)
			require.NoError(t, err)
			require.Equal(t, 2*keys, info.Keys)
			for db := range 2 {
				require.Equal(t, keys, s.DBs[db].Len())
				require.Equal(t, (keys+1)/2, s.DBs[db].ExpiresLen())
				for i := range keys {
					k := []byte("k" + strconv.Itoa(i))
					require.NotNil(t, s.DBs[db].Peek(k))
					want := int64(-1)
					if i%2 == 0 {
						want = 4102444800000 + int64(i)
					}
					require.Equal(t, want, s.DBs[db].TTL(k))
				}
			}
			_, _, err = LoadRDB(file(keys, hint, "k1"), 16, rand.New(rand.NewPCG(1, 2)), DefaultLimits(), 0, true)
			require.ErrorContains(t, err, `duplicated key "k1" in database 1`)
		}
	}
}

// LoadRDB sizes a database's tables from the RESIZEDB hint, but a hint far
// beyond what the file holds (a hostile or broken master) allocates only
// within bounds and the load is as usual.
func TestLoadRDBResizeHints(t *testing.T) {
	for _, tc := range []struct {
		name          string
		keys, expires uint64
	}{
		{"honest", 3, 1},
		{"huge", 1 << 62, 1 << 62},
		{"zero", 0, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var buf bytes.Buffer
			e := rdb.NewEncoder(&buf, rdb.DefaultOptions())
			require.NoError(t, e.Header())
			require.NoError(t, e.SelectDB(2, tc.keys, tc.expires))
			for _, k := range []string{"a", "b", "c"} {
				require.NoError(t, e.Entry(&rdb.Entry{Key: []byte(k), Kind: rdb.KindString, Str: []byte("v"), ExpireMs: -1}))
			}
			require.NoError(t, e.Entry(&rdb.Entry{Key: []byte("x"), Kind: rdb.KindString, Str: []byte("v"), ExpireMs: 4102444800000}))
			require.NoError(t, e.Finish())
			st, info, err := LoadRDB(buf.Bytes(), 16, rand.New(rand.NewPCG(1, 2)), DefaultLimits(), 0, true)
			require.NoError(t, err)
			assert.Equal(t, 4, info.Keys)
			assert.Equal(t, 4, st.DBs[2].keys.Len())
			assert.Equal(t, 1, st.DBs[2].expires.Len())
			assert.LessOrEqual(t, cap(st.DBs[2].keys.keys), max(8, buf.Len()/16), "sized within what the file can hold")
		})
	}
}

package store

import (
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"
)

func setMembers(s *Set) []string {
	var out []string
	s.Each(func(m string) bool { out = append(out, m); return true })
	return out
}

func TestSetIntsetSortedAndConversion(t *testing.T) {
	lim := DefaultLimits()
	s := NewSet()
	for _, m := range []string{"10", "-3", "7", "10", "0"} {
		s.Add([]byte(m), lim)
	}
	require.Equal(t, "intset", s.Encoding())
	require.Equal(t, []string{"-3", "0", "7", "10"}, setMembers(s))
	require.True(t, s.Has([]byte("7")))
	require.False(t, s.Has([]byte("07")))
	require.False(t, s.Has([]byte("x")))
	require.True(t, s.Remove([]byte("0")))
	require.False(t, s.Remove([]byte("0")))

	// Non-canonical integers are strings: the set becomes a hash table for good.
	require.True(t, s.Add([]byte("07"), lim))
	require.Equal(t, "hashtable", s.Encoding())
	require.True(t, s.Remove([]byte("07")))
	require.Equal(t, "hashtable", s.Encoding())
	require.ElementsMatch(t, []string{"-3", "7", "10"}, setMembers(s))
}

func TestSetIntsetEntriesLimit(t *testing.T) {
	lim := DefaultLimits()
	lim.SetMaxIntsetEntries = 4
	s := NewSet()
	for i := range 4 {
		require.True(t, s.Add([]byte(strconv.Itoa(i)), lim))
	}
	require.Equal(t, "intset", s.Encoding())
	require.True(t, s.Add([]byte("4"), lim))
	require.Equal(t, "hashtable", s.Encoding())
	require.Equal(t, 5, s.Len())
}

func TestSetCopyOnWrite(t *testing.T) {
	lim := DefaultLimits()
	for _, members := range [][]string{{"1", "2"}, {"a", "b"}} {
		s := NewSet()
		for _, m := range members {
			s.Add([]byte(m), lim)
		}
		c := s.clone().(*Set)
		c.Add([]byte("zz"), lim)
		c.Remove([]byte(members[0]))
		require.ElementsMatch(t, members, setMembers(s), "original untouched")
		require.Equal(t, 2, c.Len())
	}
}

func TestSetScanIntsetAllAtOnce(t *testing.T) {
	s := NewSet()
	for i := range 20 {
		s.Add([]byte(strconv.Itoa(i)), DefaultLimits())
	}
	n := 0
	require.Zero(t, s.Scan(0, 1, func(string) { n++ }))
	require.Equal(t, 20, n)
}

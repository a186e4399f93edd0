package store

import (
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func zsetPairs(z *ZSet) string {
	var sb strings.Builder
	z.Each(func(m string, s float64) bool {
		sb.WriteString(m + "=" + strconv.FormatFloat(s, 'g', -1, 64) + " ")
		return true
	})
	return sb.String()
}

func TestZSetOrderAndUpdate(t *testing.T) {
	lim := DefaultLimits()
	z := NewZSet()
	require.True(t, z.Add([]byte("b"), 1, lim))
	require.True(t, z.Add([]byte("a"), 1, lim))
	require.True(t, z.Add([]byte("c"), math.Inf(-1), lim))
	require.False(t, z.Add([]byte("c"), 5, lim))
	require.Equal(t, "a=1 b=1 c=5 ", zsetPairs(z))
	r, ok := z.Rank([]byte("c"))
	require.True(t, ok)
	require.Equal(t, 2, r)
	require.True(t, z.Remove([]byte("a")))
	require.False(t, z.Remove([]byte("a")))
	require.Equal(t, "b=1 c=5 ", zsetPairs(z))
	s, ok := z.Score([]byte("c"))
	require.True(t, ok)
	require.Equal(t, 5.0, s)
}

func TestZSetEncoding(t *testing.T) {
	lim := DefaultLimits()
	lim.ZSetMaxListpackEntries = 3
	lim.ZSetMaxListpackValue = 5
	z := NewZSet()
	for i := range 3 {
		z.Add([]byte(strconv.Itoa(i)), 1, lim)
	}
	require.Equal(t, "listpack", z.Encoding())
	z.Add([]byte("3"), 1, lim)
	require.Equal(t, "skiplist", z.Encoding())
	z.Remove([]byte("3"))
	z.Remove([]byte("2"))
	require.Equal(t, "skiplist", z.Encoding(), "conversion is one way")

	z = NewZSet()
	z.Add([]byte("12345"), 1, lim)
	require.Equal(t, "listpack", z.Encoding())
	z.Add([]byte("123456"), 1, lim)
	require.Equal(t, "skiplist", z.Encoding())
}

func TestZSetRanges(t *testing.T) {
	lim := DefaultLimits()
	z := NewZSet()
	for i, m := range []string{"a", "b", "c", "d", "e"} {
		z.Add([]byte(m), float64(i), lim)
	}
	for _, tc := range []struct {
		r           ScoreRange
		first, last int
		ok          bool
	}{
		{ScoreRange{Min: 1, Max: 3}, 1, 3, true},
		{ScoreRange{Min: 1, Max: 3, MinEx: true, MaxEx: true}, 2, 2, true},
		{ScoreRange{Min: math.Inf(-1), Max: math.Inf(1)}, 0, 4, true},
		{ScoreRange{Min: 3, Max: 1}, 0, 0, false},
		{ScoreRange{Min: 2, Max: 2, MinEx: true}, 0, 0, false},
		{ScoreRange{Min: 10, Max: 20}, 0, 0, false},
		{ScoreRange{Min: 1.5, Max: 1.7}, 0, 0, false},
	} {
		f, l, ok := z.ScoreRanks(tc.r)
		require.Equal(t, tc.ok, ok, "%+v", tc.r)
		require.Equal(t, [2]int{tc.first, tc.last}, [2]int{f, l}, "%+v", tc.r)
	}
	for _, tc := range []struct {
		r           LexRange
		first, last int
		ok          bool
	}{
		{LexRange{NegInf: true, PosInf: true}, 0, 4, true},
		{LexRange{Min: []byte("b"), Max: []byte("d")}, 1, 3, true},
		{LexRange{Min: []byte("b"), Max: []byte("d"), MinEx: true, MaxEx: true}, 2, 2, true},
		{LexRange{Min: []byte("bb"), PosInf: true}, 2, 4, true},
		{LexRange{MinPos: true, PosInf: true}, 0, 0, false},
		{LexRange{NegInf: true, MaxNeg: true}, 0, 0, false},
		{LexRange{Min: []byte("d"), Max: []byte("b")}, 0, 0, false},
	} {
		f, l, ok := z.LexRanks(tc.r)
		require.Equal(t, tc.ok, ok, "%+v", tc.r)
		require.Equal(t, [2]int{tc.first, tc.last}, [2]int{f, l}, "%+v", tc.r)
	}

	var got []string
	z.Range(1, 3, true, func(m string, _ float64) bool { got = append(got, m); return true })
	require.Equal(t, []string{"d", "c", "b"}, got)

	got = nil
	require.Equal(t, 2, z.RemoveRange(1, 2, func(m string, _ float64) { got = append(got, m) }))
	require.Equal(t, []string{"b", "c"}, got)
	require.Equal(t, "a=0 d=3 e=4 ", zsetPairs(z))
	checkSkiplist(t, &z.zsl)
	require.Equal(t, 1, z.RemoveRange(0, 0, nil))
	require.Equal(t, 2, z.Len())
	require.Equal(t, 2, z.dict.Len())
	require.Zero(t, z.RemoveRange(5, 9, nil))
}

func TestZSetCopyOnWrite(t *testing.T) {
	lim := DefaultLimits()
	z := NewZSet()
	for i := range 200 {
		z.Add([]byte("m"+strconv.Itoa(i)), float64(i%7), lim)
	}
	before := zsetPairs(z)
	c := z.clone().(*ZSet)
	require.Equal(t, "skiplist", c.Encoding())
	c.Add([]byte("m1"), 100, lim)
	c.Remove([]byte("m2"))
	c.RemoveRange(0, 10, nil)
	require.Equal(t, before, zsetPairs(z))
	checkSkiplist(t, &z.zsl)
	checkSkiplist(t, &c.zsl)
	require.Equal(t, 188, c.Len())
}

func TestZSetNegativeZero(t *testing.T) {
	lim := DefaultLimits()
	z := NewZSet()
	z.Add([]byte("a"), math.Copysign(0, -1), lim)
	s, _ := z.Score([]byte("a"))
	require.False(t, math.Signbit(s), "a listpack keeps -0 as 0")

	lim.ZSetMaxListpackEntries = 0
	z = NewZSet()
	z.Add([]byte("a"), math.Copysign(0, -1), lim)
	require.Equal(t, "skiplist", z.Encoding())
	s, _ = z.Score([]byte("a"))
	require.True(t, math.Signbit(s), "a skiplist keeps the sign")
}

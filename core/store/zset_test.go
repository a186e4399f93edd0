package store

import (
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/syncscope/syncscope/core/rdb"
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

// TestZSetRanges runs on both forms: a listpack, and a set forced to the
// skiplist by a zero entries limit.
func TestZSetRanges(t *testing.T) {
	for _, entries := range []int{128, 0} {
		t.Run(strconv.Itoa(entries), func(t *testing.T) {
			lim := DefaultLimits()
			lim.ZSetMaxListpackEntries = entries
			testZSetRanges(t, lim)
		})
	}
}

func testZSetRanges(t *testing.T, lim Limits) {
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
	if z.big {
		checkSkiplist(t, &z.zsl)
	}
	require.Equal(t, 1, z.RemoveRange(0, 0, nil))
	require.Equal(t, 2, z.Len())
	if z.big {
		require.Equal(t, 2, z.dict.Len())
	}
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

// TestZSetFormsAgree applies one random sequence of changes to a listpack
// and to a set forced to the skiplist, and requires every query to agree.
func TestZSetFormsAgree(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	lim := DefaultLimits()
	bigLim := lim
	bigLim.ZSetMaxListpackEntries = 0
	small, big := NewZSet(), NewZSet()
	big.Add([]byte("x"), 0, bigLim) // converts for good
	big.Remove([]byte("x"))
	for step := range 3000 {
		m := []byte{byte('a' + r.IntN(12)), byte('a' + r.IntN(3))}
		score := float64(r.IntN(5) - 2)
		switch r.IntN(4) {
		case 0, 1:
			require.Equal(t, big.Add(m, score, bigLim), small.Add(m, score, lim))
		case 2:
			require.Equal(t, big.Remove(m), small.Remove(m))
		case 3:
			if n := small.Len(); n > 0 {
				i := r.IntN(n)
				j := i + r.IntN(3)
				require.Equal(t, big.RemoveRange(i, j, nil), small.RemoveRange(i, j, nil))
			}
		}
		require.True(t, small.IsListpack())
		require.False(t, big.IsListpack())
		require.Equal(t, zsetPairs(big), zsetPairs(small), "step %d", step)
		require.Equal(t, big.Len(), small.Len())
		for _, q := range [][]byte{m, []byte("bb"), []byte("zz")} {
			bs, bok := big.Score(q)
			ss, sok := small.Score(q)
			require.Equal(t, [2]any{bs, bok}, [2]any{ss, sok})
			br, bok := big.Rank(q)
			sr, sok := small.Rank(q)
			require.Equal(t, [2]any{br, bok}, [2]any{sr, sok})
		}
		sr := ScoreRange{Min: float64(r.IntN(5) - 2), Max: float64(r.IntN(5) - 2), MinEx: r.IntN(2) == 0, MaxEx: r.IntN(2) == 0}
		f1, l1, ok1 := big.ScoreRanks(sr)
		f2, l2, ok2 := small.ScoreRanks(sr)
		require.Equal(t, [3]any{f1, l1, ok1}, [3]any{f2, l2, ok2}, "%+v", sr)
		var b1, b2 []string
		collect := func(out *[]string) func(string, float64) bool {
			return func(m string, _ float64) bool { *out = append(*out, m); return true }
		}
		if n := small.Len(); n > 0 {
			i := r.IntN(n)
			j := i + r.IntN(n)
			rev := r.IntN(2) == 0
			big.Range(i, j, rev, collect(&b1))
			small.Range(i, j, rev, collect(&b2))
			require.Equal(t, b1, b2)
		}
	}
	// Equal scores: lex ranges agree too.
	small, big = NewZSet(), NewZSet()
	for i := range 26 {
		m := []byte{byte('a' + (i*7)%26)}
		small.Add(m, 1, lim)
		big.Add(m, 1, bigLim)
	}
	for range 200 {
		lr := LexRange{Min: []byte{byte('a' + r.IntN(27))}, Max: []byte{byte('a' + r.IntN(27))}, MinEx: r.IntN(2) == 0, MaxEx: r.IntN(2) == 0, NegInf: r.IntN(5) == 0, PosInf: r.IntN(5) == 0}
		f1, l1, ok1 := big.LexRanks(lr)
		f2, l2, ok2 := small.LexRanks(lr)
		require.Equal(t, [3]any{f1, l1, ok1}, [3]any{f2, l2, ok2}, "%+v", lr)
	}
	c := small.clone().(*ZSet)
	c.Add([]byte("a"), 9, lim)
	require.Equal(t, zsetPairs(big), zsetPairs(small), "a clone is independent")
}

// TestZSetFromEntry builds the listpack form from decoded members, sorting
// those an RDB saved out of order, and falls back past the limits.
func TestZSetFromEntry(t *testing.T) {
	lim := DefaultLimits()
	ms := []rdb.ZMember{{Member: []byte("c"), Score: 2}, {Member: []byte("a"), Score: math.Copysign(0, -1)}, {Member: []byte("b"), Score: 2}}
	z := zsetFromEntry(ms, lim, newStringSlab(64))
	require.Equal(t, "listpack", z.Encoding())
	require.Equal(t, "a=0 b=2 c=2 ", zsetPairs(z))
	s, _ := z.Score([]byte("a"))
	require.False(t, math.Signbit(s), "-0 is stored as 0")
	lim.ZSetMaxListpackEntries = 2
	z = zsetFromEntry(ms, lim, newStringSlab(64))
	require.Equal(t, "skiplist", z.Encoding())
	require.Equal(t, "a=0 b=2 c=2 ", zsetPairs(z))
	checkSkiplist(t, &z.zsl)
}

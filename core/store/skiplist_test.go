package store

import (
	"math/rand/v2"
	"sort"
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"
)

// checkSkiplist verifies the structure: order, backward links, tail, length
// and that every span equals the rank distance it claims to skip.
func checkSkiplist(t *testing.T, sl *skiplist) {
	t.Helper()
	rankOf := map[*zslNode]int{sl.head: 0}
	var prev *zslNode
	n := 0
	for x := sl.head.level[0].forward; x != nil; x = x.level[0].forward {
		n++
		rankOf[x] = n
		require.Equal(t, prev, x.backward, "backward link of %q", x.member)
		if prev != nil {
			require.True(t, zslLess(prev.score, prev.member, x.score, x.member), "order %q < %q", prev.member, x.member)
		}
		require.LessOrEqual(t, len(x.level), sl.level)
		prev = x
	}
	require.Equal(t, sl.length, n)
	require.Equal(t, prev, sl.tail)
	for x := sl.head; x != nil; x = x.level[0].forward {
		lv := len(x.level)
		if x == sl.head {
			lv = sl.level
		}
		for i := 0; i < lv; i++ {
			f := x.level[i].forward
			if f == nil {
				continue
			}
			require.Equal(t, rankOf[f]-rankOf[x], x.level[i].span, "span of %q at level %d", x.member, i)
			require.Greater(t, len(f.level), i)
		}
	}
	if sl.level > 1 {
		require.NotNil(t, sl.head.level[sl.level-1].forward, "top level must be in use")
	}
}

func TestSkiplistRandomOps(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 11))
	sl := newSkiplist()
	scores := map[string]float64{}
	for step := 0; step < 5000; step++ {
		m := "m" + strconv.Itoa(r.IntN(300))
		s := float64(r.IntN(50))
		cur, ok := scores[m]
		switch {
		case !ok:
			sl.insert(s, m)
			scores[m] = s
		case r.IntN(3) == 0:
			require.True(t, sl.remove(cur, m))
			delete(scores, m)
		default:
			sl.updateScore(cur, m, s)
			scores[m] = s
		}
		if step%250 == 0 {
			checkSkiplist(t, &sl)
		}
	}
	checkSkiplist(t, &sl)

	type pair struct {
		m string
		s float64
	}
	var want []pair
	for m, s := range scores {
		want = append(want, pair{m, s})
	}
	sort.Slice(want, func(i, j int) bool { return zslLess(want[i].s, want[i].m, want[j].s, want[j].m) })
	for i, p := range want {
		require.Equal(t, i+1, sl.rank(p.s, p.m))
		x := sl.byRank(i + 1)
		require.Equal(t, p.m, x.member)
	}
	require.Nil(t, sl.byRank(len(want)+1))
	require.Zero(t, sl.rank(1000, "nope"))
	require.False(t, sl.remove(1000, "nope"))

	c := sl.clone()
	checkSkiplist(t, &c)
	require.Equal(t, sl.length, c.length)
	// The copy is independent of the original.
	c.remove(want[0].s, want[0].m)
	checkSkiplist(t, &c)
	checkSkiplist(t, &sl)
	require.Equal(t, 1, sl.rank(want[0].s, want[0].m))
}

func TestSkiplistEmptyClone(t *testing.T) {
	sl := newSkiplist()
	c := sl.clone()
	checkSkiplist(t, &c)
	c.insert(1, "a")
	checkSkiplist(t, &c)
	require.Equal(t, 0, sl.length)
}

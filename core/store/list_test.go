package store

import (
	"math/rand/v2"
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/syncscope/syncscope/core/rdb"
)

func listElems(l *List) []string {
	var out []string
	l.Each(func(e []byte) bool { out = append(out, string(e)); return true })
	return out
}

// requireNodesConsistent checks the quicklist bookkeeping: node counts add
// up to the length, none is empty, and each packed node's size is the
// listpack size of its elements.
func requireNodesConsistent(t *testing.T, l *List) {
	t.Helper()
	i := 0
	for k := 0; k < l.nodes.n; k++ {
		nd := l.nodes.at(k)
		require.Positive(t, nd.count, "node %d", k)
		if !nd.plain {
			require.Equal(t, rdb.ListpackEmptySize+l.sizeOf(i, i+nd.count), nd.size, "node %d", k)
		}
		i += nd.count
	}
	require.Equal(t, l.Len(), i)
}

// TestListAgainstSlice applies random operations to a List and to a plain
// slice and requires the same contents after each step.
func TestListAgainstSlice(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	l := NewList(-2)
	var model []string
	for step := 0; step < 20000; step++ {
		v := strconv.Itoa(step)
		switch op := r.IntN(10); {
		case op < 3:
			l.PushBack([]byte(v))
			model = append(model, v)
		case op < 5:
			l.PushFront([]byte(v))
			model = append([]string{v}, model...)
		case op < 6 && len(model) > 0:
			require.Equal(t, model[0], string(l.PopFront()))
			model = model[1:]
		case op < 7 && len(model) > 0:
			require.Equal(t, model[len(model)-1], string(l.PopBack()))
			model = model[:len(model)-1]
		case op < 8:
			i := r.IntN(len(model) + 1)
			switch {
			case len(model) == 0:
				l.PushBack([]byte(v))
			case i < len(model):
				l.Insert(i, false, []byte(v))
			default:
				l.Insert(i-1, true, []byte(v))
			}
			model = append(model[:i], append([]string{v}, model[i:]...)...)
		case op < 9 && len(model) > 0:
			i := r.IntN(len(model))
			l.SetIndex(i, []byte(v))
			model[i] = v
		case len(model) > 0:
			pred := func(e string) bool { n, _ := strconv.Atoi(e); return n%7 != 0 }
			if r.IntN(2) == 0 {
				l.Filter(func(_ int, e []byte) bool { return pred(string(e)) })
			} else {
				l.FilterBack(func(_ int, e []byte) bool { return pred(string(e)) })
			}
			var m2 []string
			for _, e := range model {
				if pred(e) {
					m2 = append(m2, e)
				}
			}
			model = m2
		}
		require.Equal(t, len(model), l.Len())
		if step%97 == 0 {
			requireNodesConsistent(t, l)
			require.Equal(t, model, listElems(l))
			for i := range model {
				require.Equal(t, model[i], string(l.Index(i)))
			}
		}
	}
}

func TestListTrim(t *testing.T) {
	for _, tc := range []struct{ start, stop int }{{0, 10}, {0, 0}, {3, 7}, {9, 10}, {5, 5}} {
		l := NewList(-2)
		for i := 0; i < 10; i++ {
			l.PushFront([]byte(strconv.Itoa(9 - i)))
		}
		l.Trim(tc.start, tc.stop)
		var want []string
		for i := tc.start; i < tc.stop; i++ {
			want = append(want, strconv.Itoa(i))
		}
		require.Equal(t, want, listElems(l), "trim %v", tc)
		l.PushBack([]byte("x"))
		require.Equal(t, append(want, "x"), listElems(l))
	}
}

func TestListShrinks(t *testing.T) {
	l := NewList(-2)
	for i := 0; i < 1000; i++ {
		l.PushBack([]byte("e"))
	}
	for l.Len() > 10 {
		l.PopFront()
	}
	require.LessOrEqual(t, len(l.buf), 64)
	require.Equal(t, 10, l.Len())
}

func TestListEncodingAndType(t *testing.T) {
	l := NewList(-2)
	require.Equal(t, "quicklist", l.Encoding())
	require.Equal(t, TypeList, l.Type())
	for i := 0; i < 1000; i++ {
		l.PushBack(make([]byte, 100))
	}
	require.Equal(t, "quicklist", l.Encoding())
}

func TestListCloneIndependent(t *testing.T) {
	l := NewList(-2)
	src := []byte("a")
	l.PushBack(src)
	src[0] = 'z' // PushBack copied it
	l.PushBack([]byte("b"))
	c := l.clone().(*List)
	l.SetIndex(0, []byte("A"))
	l.PushFront([]byte("0"))
	l.Index(2)[0] = 'B' // even an in-place change to element bytes stays in l
	require.Equal(t, []string{"a", "b"}, listElems(c))
	require.Equal(t, []string{"0", "A", "B"}, listElems(l))
	c.PopBack()
	require.Equal(t, 3, l.Len())
}

func TestListCopyOnWrite(t *testing.T) {
	s := New(1, rand.New(rand.NewPCG(1, 1)))
	db := s.DBs[0]
	l := NewList(-2)
	l.PushBack([]byte("a"))
	db.Set([]byte("k"), l)
	s.gen++ // a snapshot now shares every value
	s.snapLive = true
	w := db.GetForWrite([]byte("k")).(*List)
	require.NotSame(t, l, w)
	w.PushBack([]byte("b"))
	require.Equal(t, []string{"a"}, listElems(l))
	require.Same(t, w, db.GetForWrite([]byte("k")), "a value copied in this generation is not copied again")
}

func BenchmarkListPushPop(b *testing.B) {
	b.ReportAllocs()
	l := NewList(-2)
	e := []byte("element")
	for i := 0; i < b.N; i++ {
		l.PushBack(e)
		if l.Len() > 100 {
			l.PopFront()
		}
	}
}

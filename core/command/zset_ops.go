package command

import (
	"math"
	"slices"

	"github.com/syncscope/syncscope/core/cstr"
	"github.com/syncscope/syncscope/core/store"
)

// zsetOp is the operation of ZUNION, ZINTER and ZDIFF and their variants.
type zsetOp uint8

const (
	zopUnion zsetOp = iota
	zopInter
	zopDiff
)

// zsetSource is one input of a set operation: a sorted set, or a plain set
// whose members all score 1, or nothing (a missing key).
type zsetSource struct {
	z      *store.ZSet
	s      *store.Set
	weight float64
}

func (src *zsetSource) len() int {
	switch {
	case src.z != nil:
		return src.z.Len()
	case src.s != nil:
		return src.s.Len()
	}
	return 0
}

func (src *zsetSource) each(fn func(m string, score float64) bool) {
	switch {
	case src.z != nil:
		src.z.Each(fn)
	case src.s != nil:
		src.s.Each(func(m string) bool { return fn(m, 1) })
	}
}

func (src *zsetSource) find(m []byte) (float64, bool) {
	switch {
	case src.z != nil:
		return src.z.Score(m)
	case src.s != nil:
		return 1, src.s.Has(m)
	}
	return 0, false
}

func (src *zsetSource) same(o *zsetSource) bool {
	return (src.z != nil && src.z == o.z) || (src.s != nil && src.s == o.s)
}

// zsetAggregate folds val into *acc as AGGREGATE SUM|MIN|MAX does.
func zsetAggregate(acc *float64, val float64, agg byte) {
	switch agg {
	case 's':
		*acc += val
		if math.IsNaN(*acc) {
			*acc = 0
		}
	case 'm':
		*acc = min(*acc, val)
	case 'M':
		*acc = max(*acc, val)
	}
}

func zsetOpCmd(name string, op zsetOp, toStore, cardOnly bool) func(*Ctx) {
	return func(c *Ctx) { zsetOpGeneric(c, name, op, toStore, cardOnly) }
}

// zsetOpGeneric follows Redis's zunionInterDiffGenericCommand.
func zsetOpGeneric(c *Ctx, name string, op zsetOp, toStore, cardOnly bool) {
	numIdx := 1
	if toStore {
		numIdx = 2
	}
	setnum, ok := intArg(c, c.Args[numIdx])
	if !ok {
		return
	}
	if setnum < 1 {
		c.Error("ERR at least 1 input key is needed for '" + name + "' command")
		return
	}
	if setnum > int64(len(c.Args)-numIdx-1) {
		c.Error(ErrSyntax)
		return
	}
	srcs := make([]zsetSource, setnum)
	j := numIdx + 1
	for i := range srcs {
		srcs[i].weight = 1
		switch v := c.DB.Get(c.Args[j]).(type) {
		case nil:
		case *store.ZSet:
			srcs[i].z = v
		case *store.Set:
			srcs[i].s = v
		default:
			c.Error(ErrWrongType)
			return
		}
		j++
	}
	agg := byte('s')
	withScores := false
	limit := int64(0)
	for j < len(c.Args) {
		rem := len(c.Args) - j
		a := c.Args[j]
		switch {
		case op != zopDiff && !cardOnly && rem >= len(srcs)+1 && EqualFold(a, "weights"):
			j++
			for i := range srcs {
				w, ok := ParseFloat(c.Args[j])
				if !ok {
					c.Error(errZWeight)
					return
				}
				srcs[i].weight = w
				j++
			}
		case op != zopDiff && !cardOnly && rem >= 2 && EqualFold(a, "aggregate"):
			switch v := c.Args[j+1]; {
			case EqualFold(v, "sum"):
				agg = 's'
			case EqualFold(v, "min"):
				agg = 'm'
			case EqualFold(v, "max"):
				agg = 'M'
			default:
				c.Error(ErrSyntax)
				return
			}
			j += 2
		case !toStore && !cardOnly && EqualFold(a, "withscores"):
			withScores = true
			j++
		case cardOnly && rem >= 2 && EqualFold(a, "limit"):
			l, ok := cstr.String2ll(c.Args[j+1])
			if !ok || l < 0 {
				c.Error(errLimitNegative)
				return
			}
			limit = l
			j += 2
		default:
			c.Error(ErrSyntax)
			return
		}
	}
	if op != zopDiff {
		slices.SortStableFunc(srcs, func(a, b zsetSource) int { return a.len() - b.len() })
	}
	if cardOnly {
		c.W.Int(zsetInterCard(srcs, limit))
		return
	}
	members, scores := zsetCompute(srcs, op, agg)
	dst := store.NewZSet()
	lim := c.Store.Limits
	if !toStore {
		// Redis replies from the skiplist it computed into, which keeps a
		// -0 score's sign; only a stored result may become a listpack.
		lim.ZSetMaxListpackEntries = 0
	}
	for i, m := range members {
		dst.Add([]byte(m), scores[i], lim)
	}
	if toStore {
		storeResult(c, c.Args[1], dst, store.NotifyZSet, name)
		return
	}
	if dst.Len() == 0 {
		c.W.ArrayLen(0)
		return
	}
	zsetReplyRange(c, dst, 0, dst.Len()-1, false, withScores)
}

// zsetInterCard counts the intersection, stopping at limit (0: no limit).
func zsetInterCard(srcs []zsetSource, limit int64) int64 {
	n := int64(0)
	if srcs[0].len() == 0 {
		return 0
	}
	srcs[0].each(func(m string, _ float64) bool {
		for i := 1; i < len(srcs); i++ {
			if !srcs[i].same(&srcs[0]) {
				if _, ok := srcs[i].find([]byte(m)); !ok {
					return true
				}
			}
		}
		n++
		return limit == 0 || n < limit
	})
	return n
}

// zsetCompute returns the members and scores of a union, intersection or
// difference (sources already ordered by size for the first two).
func zsetCompute(srcs []zsetSource, op zsetOp, agg byte) ([]string, []float64) {
	var members []string
	var scores []float64
	weighted := func(w, s float64) float64 {
		v := w * s
		if math.IsNaN(v) {
			return 0
		}
		return v
	}
	switch op {
	case zopInter:
		if srcs[0].len() == 0 {
			return nil, nil
		}
		srcs[0].each(func(m string, s float64) bool {
			score := weighted(srcs[0].weight, s)
			for i := 1; i < len(srcs); i++ {
				v, ok := s, true
				if !srcs[i].same(&srcs[0]) {
					v, ok = srcs[i].find([]byte(m))
				}
				if !ok {
					return true
				}
				zsetAggregate(&score, v*srcs[i].weight, agg)
			}
			members = append(members, m)
			scores = append(scores, score)
			return true
		})
	case zopUnion:
		acc := store.NewDict[float64](0)
		for i := range srcs {
			srcs[i].each(func(m string, s float64) bool {
				score := weighted(srcs[i].weight, s)
				if p, ok := acc.GetString(m); ok {
					zsetAggregate(&p, score, agg)
					acc.SetString(m, p)
				} else {
					acc.SetString(m, score)
				}
				return true
			})
		}
		return acc.Keys(), acc.Values()
	case zopDiff:
		for i := 1; i < len(srcs); i++ {
			if srcs[i].same(&srcs[0]) {
				return nil, nil
			}
		}
		srcs[0].each(func(m string, s float64) bool {
			for i := 1; i < len(srcs); i++ {
				if _, ok := srcs[i].find([]byte(m)); ok {
					return true
				}
			}
			members = append(members, m)
			scores = append(scores, s)
			return true
		})
	}
	return members, scores
}

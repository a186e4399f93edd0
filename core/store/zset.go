package store

import "math/rand/v2"

// ZSet is a sorted-set value: a skiplist ordered by (score, member) for
// ranges and ranks, and a Dict from member to score for O(1) lookups.
//
// Redis 7.0 keeps small sorted sets in a listpack; syncscope always uses the
// skiplist (the replies are the same) and records only which encoding Redis
// would report: listpack while the set stays within ZSetMaxListpackEntries
// members of at most ZSetMaxListpackValue bytes, then skiplist for good.
type ZSet struct {
	object
	zsl  skiplist
	dict *Dict[float64]
	big  bool // Redis would have converted it to a skiplist
}

// NewZSet returns an empty sorted set.
func NewZSet() *ZSet {
	return &ZSet{zsl: newSkiplist(), dict: NewDict[float64](0)}
}

func (*ZSet) Type() Type { return TypeZSet }

// Encoding reports listpack or skiplist.
func (z *ZSet) Encoding() string {
	if z.big {
		return "skiplist"
	}
	return "listpack"
}

// IsListpack reports whether Redis would keep the set as a listpack, which
// decides the order of ZSCAN and ZRANDMEMBER replies.
func (z *ZSet) IsListpack() bool { return !z.big }

func (z *ZSet) clone() Value {
	return &ZSet{zsl: z.zsl.clone(), dict: z.dict.Clone(), big: z.big}
}

// Len returns the number of members.
func (z *ZSet) Len() int { return z.zsl.length }

// Score returns member's score.
func (z *ZSet) Score(member []byte) (float64, bool) { return z.dict.Get(member) }

// Add sets member's score, inserting it when absent, and reports whether it
// was added. A new member may convert the set to the skiplist encoding.
func (z *ZSet) Add(member []byte, score float64, lim Limits) (added bool) {
	if !z.big && (z.dict.Has(member) || !z.overLimits(member, lim)) && score == 0 {
		score = 0 // a listpack stores -0 as the integer 0
	}
	if p := z.dict.Ptr(member); p != nil {
		if *p != score {
			// Ptr gave the stored key's slot: reuse the stored string.
			m := z.storedMember(member)
			z.zsl.updateScore(*p, m, score)
			*p = score
		}
		return false
	}
	if !z.big && z.overLimits(member, lim) {
		z.big = true
	}
	m := string(member)
	z.dict.SetString(m, score)
	z.zsl.insert(score, m)
	return true
}

// overLimits reports whether adding member would take the set past the
// listpack limits.
func (z *ZSet) overLimits(member []byte, lim Limits) bool {
	return z.zsl.length+1 > lim.ZSetMaxListpackEntries || len(member) > lim.ZSetMaxListpackValue
}

// storedMember returns the member string held by the set, equal to member.
func (z *ZSet) storedMember(member []byte) string {
	i := z.dict.idx[string(member)]
	return z.dict.keys[i]
}

// Remove deletes member and reports whether it was present.
func (z *ZSet) Remove(member []byte) bool {
	score, ok := z.dict.Get(member)
	if !ok {
		return false
	}
	z.zsl.remove(score, string(member))
	z.dict.Delete(member)
	return true
}

// Rank returns member's 0-based rank in ascending order.
func (z *ZSet) Rank(member []byte) (int, bool) {
	score, ok := z.dict.Get(member)
	if !ok {
		return 0, false
	}
	return z.zsl.rank(score, string(member)) - 1, true
}

// Each visits the members in ascending score order until fn returns false.
func (z *ZSet) Each(fn func(member string, score float64) bool) {
	for x := z.zsl.head.level[0].forward; x != nil; x = x.level[0].forward {
		if !fn(x.member, x.score) {
			return
		}
	}
}

// Range visits the members with 0-based ranks start..end (inclusive, both
// within 0..Len()-1), in ascending order, or descending from the highest
// when rev is set (rank 0 is then the highest score).
func (z *ZSet) Range(start, end int, rev bool, fn func(member string, score float64) bool) {
	if start > end || start >= z.zsl.length {
		return
	}
	if rev {
		x := z.zsl.byRank(z.zsl.length - start)
		for i := start; i <= end && x != nil; i++ {
			if !fn(x.member, x.score) {
				return
			}
			x = x.backward
		}
		return
	}
	x := z.zsl.byRank(start + 1)
	for i := start; i <= end && x != nil; i++ {
		if !fn(x.member, x.score) {
			return
		}
		x = x.level[0].forward
	}
}

// ScoreRange is a score interval; MinEx/MaxEx make an end exclusive ("(1.5").
type ScoreRange struct {
	Min, Max     float64
	MinEx, MaxEx bool
}

func (r *ScoreRange) aboveMin(s float64) bool {
	if r.MinEx {
		return s > r.Min
	}
	return s >= r.Min
}

func (r *ScoreRange) belowMax(s float64) bool {
	if r.MaxEx {
		return s < r.Max
	}
	return s <= r.Max
}

func (r *ScoreRange) empty() bool {
	return r.Min > r.Max || (r.Min == r.Max && (r.MinEx || r.MaxEx))
}

// LexRange is a member interval as ZRANGEBYLEX takes it: "-" and "+" are
// NegInf/PosInf, "[a" is inclusive and "(a" exclusive.
type LexRange struct {
	Min, Max       []byte
	MinEx, MaxEx   bool
	NegInf, PosInf bool // Min is "-" / Max is "+"
	MinPos, MaxNeg bool // Min is "+" / Max is "-": nothing can match
}

func (r *LexRange) aboveMin(m string) bool {
	switch {
	case r.NegInf:
		return true
	case r.MinPos:
		return false
	case r.MinEx:
		return m > string(r.Min)
	}
	return m >= string(r.Min)
}

func (r *LexRange) belowMax(m string) bool {
	switch {
	case r.PosInf:
		return true
	case r.MaxNeg:
		return false
	case r.MaxEx:
		return m < string(r.Max)
	}
	return m <= string(r.Max)
}

func (r *LexRange) empty() bool {
	if r.MinPos || r.MaxNeg {
		return true
	}
	if r.NegInf || r.PosInf {
		return false
	}
	c := string(r.Min)
	d := string(r.Max)
	return c > d || (c == d && (r.MinEx || r.MaxEx))
}

// ScoreRanks returns the 0-based ranks first..last (inclusive) of the
// members within r in ascending order; ok is false when none is.
func (z *ZSet) ScoreRanks(r ScoreRange) (first, last int, ok bool) {
	if r.empty() || z.zsl.length == 0 {
		return 0, 0, false
	}
	n, before := z.zsl.firstWhere(func(x *zslNode) bool { return !r.aboveMin(x.score) })
	if n == nil || !r.belowMax(n.score) {
		return 0, 0, false
	}
	_, lr := z.zsl.lastWhere(func(x *zslNode) bool { return r.belowMax(x.score) })
	return before, lr - 1, true
}

// LexRanks is ScoreRanks for a lexicographic range; it assumes, as Redis
// does, that all members share one score.
func (z *ZSet) LexRanks(r LexRange) (first, last int, ok bool) {
	if r.empty() || z.zsl.length == 0 {
		return 0, 0, false
	}
	n, before := z.zsl.firstWhere(func(x *zslNode) bool { return !r.aboveMin(x.member) })
	if n == nil || !r.belowMax(n.member) {
		return 0, 0, false
	}
	_, lr := z.zsl.lastWhere(func(x *zslNode) bool { return r.belowMax(x.member) })
	if lr-1 < before {
		return 0, 0, false
	}
	return before, lr - 1, true
}

// RemoveRange deletes the members with 0-based ranks start..end (inclusive,
// within 0..Len()-1) in ascending order, calling fn (when not nil) for each,
// and returns how many were removed.
func (z *ZSet) RemoveRange(start, end int, fn func(member string, score float64)) int {
	if start > end || start >= z.zsl.length {
		return 0
	}
	var update [zslMaxLevel]*zslNode
	traversed := 0
	x := z.zsl.head
	for i := z.zsl.level - 1; i >= 0; i-- {
		for x.level[i].forward != nil && traversed+x.level[i].span <= start {
			traversed += x.level[i].span
			x = x.level[i].forward
		}
		update[i] = x
	}
	x = x.level[0].forward
	removed := 0
	for i := start; i <= end && x != nil; i++ {
		next := x.level[0].forward
		z.zsl.unlink(x, &update)
		z.dict.DeleteString(x.member)
		if fn != nil {
			fn(x.member, x.score)
		}
		removed++
		x = next
	}
	return removed
}

// Random returns a uniformly chosen member and its score; the set must not
// be empty.
func (z *ZSet) Random(r *rand.Rand) (string, float64) {
	m, s, _ := z.dict.Random(r)
	return m, s
}

// At returns the i-th member in the hash table's order (0 <= i < Len()),
// which ZRANDMEMBER uses to pick distinct members.
func (z *ZSet) At(i int) (string, float64) { return z.dict.At(i) }

// Scan walks the members as Dict.Scan does (ZSCAN on a skiplist-encoded set).
func (z *ZSet) Scan(cursor uint64, count int, fn func(member string, score float64)) uint64 {
	return z.dict.Scan(cursor, count, fn)
}

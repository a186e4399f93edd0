package store

import (
	"math/rand/v2"
	"slices"
	"sort"

	"github.com/syncscope/syncscope/core/rdb"
)

// ZSet is a sorted-set value in one of two forms, as Redis 7.0 keeps it.
// While it stays within ZSetMaxListpackEntries members of at most
// ZSetMaxListpackValue bytes it is a listpack: one slice of (score, member)
// entries sorted as the skiplist would be, searched linearly like Redis's
// listpack (at most a few hundred entries) and cheap to build, copy and
// collect. Past the limits it converts, for good, to a skiplist ordered by
// (score, member) for ranges and ranks plus a Dict from member to score.
type ZSet struct {
	object
	lp   []zEntry // the listpack form, while zsl/dict are unset
	zsl  skiplist
	dict *Dict[float64]
	big  bool // converted to the skiplist form
}

// zEntry is one member of the listpack form. hash lets a lookup skip most
// entries without comparing member bytes.
type zEntry struct {
	member string
	score  float64
	hash   uint32
}

// memberHash is 32-bit FNV-1a: cheap, and the same on every run.
func memberHash[S []byte | string](m S) uint32 {
	h := uint32(2166136261)
	for i := 0; i < len(m); i++ {
		h = (h ^ uint32(m[i])) * 16777619
	}
	return h
}

// NewZSet returns an empty sorted set.
func NewZSet() *ZSet { return &ZSet{} }

// newZSetListpack returns a listpack-form set holding entries, which must
// be sorted by (score, member) with no duplicate members.
func newZSetListpack(entries []zEntry) *ZSet { return &ZSet{lp: entries} }

func (*ZSet) Type() Type { return TypeZSet }

// Encoding reports listpack or skiplist.
func (z *ZSet) Encoding() string {
	if z.big {
		return "skiplist"
	}
	return "listpack"
}

// IsListpack reports whether the set is a listpack, which decides the order
// of ZSCAN and ZRANDMEMBER replies.
func (z *ZSet) IsListpack() bool { return !z.big }

func (z *ZSet) clone() Value {
	if !z.big {
		return &ZSet{lp: slices.Clone(z.lp)}
	}
	return &ZSet{zsl: z.zsl.clone(), dict: z.dict.Clone(), big: true}
}

// Len returns the number of members.
func (z *ZSet) Len() int {
	if !z.big {
		return len(z.lp)
	}
	return z.zsl.length
}

// find returns member's index in the listpack form, or -1.
func (z *ZSet) find(member []byte) int {
	h := memberHash(member)
	for i := range z.lp {
		if z.lp[i].hash == h && z.lp[i].member == string(member) {
			return i
		}
	}
	return -1
}

// lpInsertAt returns where an entry (score, member) belongs in the listpack.
func (z *ZSet) lpInsertAt(score float64, member string) int {
	return sort.Search(len(z.lp), func(i int) bool {
		return zslLess(score, member, z.lp[i].score, z.lp[i].member)
	})
}

// Score returns member's score.
func (z *ZSet) Score(member []byte) (float64, bool) {
	if !z.big {
		if i := z.find(member); i >= 0 {
			return z.lp[i].score, true
		}
		return 0, false
	}
	return z.dict.Get(member)
}

// Add sets member's score, inserting it when absent, and reports whether it
// was added. A new member may convert the set to the skiplist encoding.
func (z *ZSet) Add(member []byte, score float64, lim Limits) (added bool) {
	if !z.big {
		i := z.find(member)
		if i < 0 && z.overLimits(member, lim) {
			z.convert()
			return z.addBig(member, score)
		}
		if score == 0 {
			score = 0 // a listpack stores -0 as the integer 0
		}
		if i >= 0 {
			if z.lp[i].score != score {
				// Shift only the entries between the old and new places.
				e := z.lp[i]
				e.score = score
				j := z.lpInsertAt(score, e.member)
				if j > i {
					j--
					copy(z.lp[i:j], z.lp[i+1:j+1])
				} else {
					copy(z.lp[j+1:i+1], z.lp[j:i])
				}
				z.lp[j] = e
			}
			return false
		}
		m := string(member)
		z.lp = slices.Insert(z.lp, z.lpInsertAt(score, m), zEntry{m, score, memberHash(member)})
		return true
	}
	return z.addBig(member, score)
}

func (z *ZSet) addBig(member []byte, score float64) bool {
	if p := z.dict.Ptr(member); p != nil {
		if *p != score {
			// Ptr gave the stored key's slot: reuse the stored string.
			m := z.storedMember(member)
			z.zsl.updateScore(*p, m, score)
			*p = score
		}
		return false
	}
	m := string(member)
	z.dict.SetString(m, score)
	z.zsl.insert(score, m)
	return true
}

// ToSkiplist converts a listpack set to the skiplist form, for good, as
// Redis's SORT does to the set it sorts.
func (z *ZSet) ToSkiplist() {
	if !z.big {
		z.convert()
	}
}

// convert turns the listpack form into the skiplist form.
func (z *ZSet) convert() {
	z.zsl = newSkiplist()
	z.dict = NewDict[float64](len(z.lp) + 1)
	for _, e := range z.lp {
		z.dict.SetString(e.member, e.score)
		z.zsl.insert(e.score, e.member)
	}
	z.lp = nil
	z.big = true
}

// overLimits reports whether adding member would take the set past the
// listpack limits.
func (z *ZSet) overLimits(member []byte, lim Limits) bool {
	return z.Len()+1 > lim.ZSetMaxListpackEntries || len(member) > lim.ZSetMaxListpackValue
}

// storedMember returns the member string held by the set, equal to member.
func (z *ZSet) storedMember(member []byte) string {
	return z.dict.keys[z.dict.index(string(member))]
}

// Remove deletes member and reports whether it was present.
func (z *ZSet) Remove(member []byte) bool {
	if !z.big {
		i := z.find(member)
		if i < 0 {
			return false
		}
		z.lp = slices.Delete(z.lp, i, i+1)
		return true
	}
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
	if !z.big {
		if i := z.find(member); i >= 0 {
			return i, true
		}
		return 0, false
	}
	score, ok := z.dict.Get(member)
	if !ok {
		return 0, false
	}
	return z.zsl.rank(score, string(member)) - 1, true
}

// Each visits the members in ascending score order until fn returns false.
func (z *ZSet) Each(fn func(member string, score float64) bool) {
	if !z.big {
		for _, e := range z.lp {
			if !fn(e.member, e.score) {
				return
			}
		}
		return
	}
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
	if start > end || start >= z.Len() {
		return
	}
	if !z.big {
		end = min(end, len(z.lp)-1)
		for i := start; i <= end; i++ {
			e := &z.lp[i]
			if rev {
				e = &z.lp[len(z.lp)-1-i]
			}
			if !fn(e.member, e.score) {
				return
			}
		}
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
	if r.empty() || z.Len() == 0 {
		return 0, 0, false
	}
	if !z.big {
		first = sort.Search(len(z.lp), func(i int) bool { return r.aboveMin(z.lp[i].score) })
		if first == len(z.lp) || !r.belowMax(z.lp[first].score) {
			return 0, 0, false
		}
		last = sort.Search(len(z.lp), func(i int) bool { return !r.belowMax(z.lp[i].score) }) - 1
		return first, last, true
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
	if r.empty() || z.Len() == 0 {
		return 0, 0, false
	}
	if !z.big {
		// Walk in from each end, as Redis does on a listpack.
		first = 0
		for first < len(z.lp) && !r.aboveMin(z.lp[first].member) {
			first++
		}
		if first == len(z.lp) || !r.belowMax(z.lp[first].member) {
			return 0, 0, false
		}
		last = len(z.lp) - 1
		for last >= 0 && !r.belowMax(z.lp[last].member) {
			last--
		}
		if last < first {
			return 0, 0, false
		}
		return first, last, true
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
	if start > end || start >= z.Len() {
		return 0
	}
	if !z.big {
		end = min(end, len(z.lp)-1)
		if fn != nil {
			for _, e := range z.lp[start : end+1] {
				fn(e.member, e.score)
			}
		}
		z.lp = slices.Delete(z.lp, start, end+1)
		return end + 1 - start
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
	if !z.big {
		e := z.lp[r.IntN(len(z.lp))]
		return e.member, e.score
	}
	m, s, _ := z.dict.Random(r)
	return m, s
}

// At returns the i-th member (0 <= i < Len()) in the hash table's order, or
// in score order for a listpack.
func (z *ZSet) At(i int) (string, float64) {
	if !z.big {
		return z.lp[i].member, z.lp[i].score
	}
	return z.dict.At(i)
}

// Scan walks the members as Dict.Scan does (ZSCAN on a skiplist-encoded
// set); a listpack is walked the same way, from its last entry.
func (z *ZSet) Scan(cursor uint64, count int, fn func(member string, score float64)) uint64 {
	if !z.big {
		pos := uint64(len(z.lp))
		if cursor != 0 && cursor < pos {
			pos = cursor
		}
		for count = max(count, 1); pos > 0 && count > 0; count-- {
			pos--
			fn(z.lp[pos].member, z.lp[pos].score)
		}
		return pos
	}
	return z.dict.Scan(cursor, count, fn)
}

// zsetFromEntry builds a sorted set from decoded members (no duplicates, as
// the decoder checks). Within the listpack limits it builds the listpack
// form directly, the members cut from strs, so a small set loaded from an
// RDB costs a couple of allocations rather than a few per member.
func zsetFromEntry(ms []rdb.ZMember, lim Limits, strs *stringSlab) *ZSet {
	fits := len(ms) <= lim.ZSetMaxListpackEntries
	for i := 0; fits && i < len(ms); i++ {
		fits = len(ms[i].Member) <= lim.ZSetMaxListpackValue
	}
	if !fits {
		z := NewZSet()
		for _, m := range ms {
			z.Add(m.Member, m.Score, lim)
		}
		return z
	}
	entries := make([]zEntry, len(ms))
	sorted := true
	for i, m := range ms {
		e := &entries[i]
		e.member, e.score, e.hash = strs.str(m.Member), m.Score, memberHash(m.Member)
		if e.score == 0 {
			e.score = 0 // a listpack stores -0 as the integer 0
		}
		if i > 0 && !zslLess(entries[i-1].score, entries[i-1].member, e.score, e.member) {
			sorted = false
		}
	}
	if !sorted {
		// A listpack is saved in order; other encodings need not be.
		slices.SortFunc(entries, func(a, b zEntry) int {
			if zslLess(a.score, a.member, b.score, b.member) {
				return -1
			}
			return 1
		})
	}
	return newZSetListpack(entries)
}

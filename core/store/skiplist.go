package store

// skiplist orders sorted-set members by (score, member bytes), as Redis's
// zskiplist does. Every forward link carries a span (how many nodes it
// skips), so the rank of a member and the member at a rank are found in
// O(log n). Levels come from a per-list xorshift generator with a fixed seed,
// which keeps every run reproducible without global state.
type skiplist struct {
	head   *zslNode
	tail   *zslNode
	length int
	level  int
	seed   uint64
}

type zslNode struct {
	member   string
	score    float64
	backward *zslNode
	level    []zslLevel
}

// zslLevel is one forward link. For a link with no forward node the span is
// the number of nodes after the owner, as in Redis.
type zslLevel struct {
	forward *zslNode
	span    int
}

const (
	zslMaxLevel = 32
	zslSeed     = 0x9E3779B97F4A7C15
)

func newSkiplist() skiplist {
	return skiplist{head: &zslNode{level: make([]zslLevel, zslMaxLevel)}, level: 1, seed: zslSeed}
}

// randomLevel returns a level with P(level > k) = 1/4^k, Redis's ZSKIPLIST_P.
func (sl *skiplist) randomLevel() int {
	sl.seed ^= sl.seed << 13
	sl.seed ^= sl.seed >> 7
	sl.seed ^= sl.seed << 17
	r := sl.seed
	lvl := 1
	for r&3 == 0 && lvl < zslMaxLevel {
		lvl++
		r >>= 2
	}
	return lvl
}

// zslLess reports whether (s1, m1) sorts before (s2, m2).
func zslLess(s1 float64, m1 string, s2 float64, m2 string) bool {
	return s1 < s2 || (s1 == s2 && m1 < m2)
}

// insert adds a member that is not present yet and returns its node.
func (sl *skiplist) insert(score float64, member string) *zslNode {
	var update [zslMaxLevel]*zslNode
	var rank [zslMaxLevel]int
	x := sl.head
	for i := sl.level - 1; i >= 0; i-- {
		if i < sl.level-1 {
			rank[i] = rank[i+1]
		}
		for f := x.level[i].forward; f != nil && zslLess(f.score, f.member, score, member); f = x.level[i].forward {
			rank[i] += x.level[i].span
			x = f
		}
		update[i] = x
	}
	lvl := sl.randomLevel()
	if lvl > sl.level {
		for i := sl.level; i < lvl; i++ {
			update[i] = sl.head
			sl.head.level[i].span = sl.length
		}
		sl.level = lvl
	}
	n := &zslNode{member: member, score: score, level: make([]zslLevel, lvl)}
	for i := 0; i < lvl; i++ {
		n.level[i].forward = update[i].level[i].forward
		update[i].level[i].forward = n
		n.level[i].span = update[i].level[i].span - (rank[0] - rank[i])
		update[i].level[i].span = rank[0] - rank[i] + 1
	}
	for i := lvl; i < sl.level; i++ {
		update[i].level[i].span++
	}
	if update[0] != sl.head {
		n.backward = update[0]
	}
	if n.level[0].forward != nil {
		n.level[0].forward.backward = n
	} else {
		sl.tail = n
	}
	sl.length++
	return n
}

func (sl *skiplist) unlink(x *zslNode, update *[zslMaxLevel]*zslNode) {
	for i := 0; i < sl.level; i++ {
		if update[i].level[i].forward == x {
			update[i].level[i].span += x.level[i].span - 1
			update[i].level[i].forward = x.level[i].forward
		} else {
			update[i].level[i].span--
		}
	}
	if x.level[0].forward != nil {
		x.level[0].forward.backward = x.backward
	} else {
		sl.tail = x.backward
	}
	for sl.level > 1 && sl.head.level[sl.level-1].forward == nil {
		sl.level--
	}
	sl.length--
}

// seek returns the first node not before (score, member), nil past the
// end, and sets update to the last node before it on each level: where
// zslDelete and zslUpdateScore unlink.
func (sl *skiplist) seek(score float64, member string, update *[zslMaxLevel]*zslNode) *zslNode {
	x := sl.head
	for i := sl.level - 1; i >= 0; i-- {
		for f := x.level[i].forward; f != nil && zslLess(f.score, f.member, score, member); f = x.level[i].forward {
			x = f
		}
		update[i] = x
	}
	return x.level[0].forward
}

// remove deletes the node (score, member) and reports whether it was found.
func (sl *skiplist) remove(score float64, member string) bool {
	var update [zslMaxLevel]*zslNode
	x := sl.seek(score, member, &update)
	if x == nil || x.score != score || x.member != member {
		return false
	}
	sl.unlink(x, &update)
	return true
}

// updateScore moves member from cur to score, in place when its position
// does not change (the common case for small increments).
func (sl *skiplist) updateScore(cur float64, member string, score float64) {
	var update [zslMaxLevel]*zslNode
	x := sl.seek(cur, member, &update)
	if (x.backward == nil || zslLess(x.backward.score, x.backward.member, score, member)) &&
		(x.level[0].forward == nil || zslLess(score, member, x.level[0].forward.score, x.level[0].forward.member)) {
		x.score = score
		return
	}
	sl.unlink(x, &update)
	sl.insert(score, member)
}

// rank returns the 1-based rank of (score, member), 0 when absent.
func (sl *skiplist) rank(score float64, member string) int {
	r := 0
	x := sl.head
	for i := sl.level - 1; i >= 0; i-- {
		for f := x.level[i].forward; f != nil && !zslLess(score, member, f.score, f.member); f = x.level[i].forward {
			r += x.level[i].span
			x = f
		}
		if x != sl.head && x.member == member && x.score == score {
			return r
		}
	}
	return 0
}

// byRank returns the node at 1-based rank r, or nil when out of range.
func (sl *skiplist) byRank(r int) *zslNode {
	if r < 1 || r > sl.length {
		return nil
	}
	traversed := 0
	x := sl.head
	for i := sl.level - 1; i >= 0; i-- {
		for x.level[i].forward != nil && traversed+x.level[i].span <= r {
			traversed += x.level[i].span
			x = x.level[i].forward
		}
		if traversed == r {
			return x
		}
	}
	return nil
}

// firstWhere returns the first node for which beyond is false, given that
// beyond is true for a prefix of the list (e.g. "score below min"), and the
// number of nodes before it.
func (sl *skiplist) firstWhere(beyond func(*zslNode) bool) (*zslNode, int) {
	x, r := sl.descend(beyond)
	return x.level[0].forward, r
}

// lastWhere returns the last node for which within is true, given that
// within holds for a prefix of the list (e.g. "score up to max"), and its
// 1-based rank (0 and nil when there is none).
func (sl *skiplist) lastWhere(within func(*zslNode) bool) (*zslNode, int) {
	x, r := sl.descend(within)
	if x == sl.head {
		return nil, 0
	}
	return x, r
}

// descend returns the last node of the prefix for which in holds (the
// head when none does) and its rank.
func (sl *skiplist) descend(in func(*zslNode) bool) (*zslNode, int) {
	r := 0
	x := sl.head
	for i := sl.level - 1; i >= 0; i-- {
		for f := x.level[i].forward; f != nil && in(f); f = x.level[i].forward {
			r += x.level[i].span
			x = f
		}
	}
	return x, r
}

// clone returns a deep copy with the same shape (levels and spans).
func (sl *skiplist) clone() skiplist {
	c := skiplist{head: &zslNode{level: make([]zslLevel, zslMaxLevel)}, length: sl.length, level: sl.level, seed: sl.seed}
	var last [zslMaxLevel]*zslNode
	var lastRank [zslMaxLevel]int
	for i := range last {
		last[i] = c.head
	}
	var prev *zslNode
	r := 0
	for x := sl.head.level[0].forward; x != nil; x = x.level[0].forward {
		r++
		n := &zslNode{member: x.member, score: x.score, backward: prev, level: make([]zslLevel, len(x.level))}
		for i := range n.level {
			last[i].level[i].forward = n
			last[i].level[i].span = r - lastRank[i]
			last[i], lastRank[i] = n, r
		}
		prev = n
	}
	for i := 0; i < zslMaxLevel; i++ {
		last[i].level[i].span = sl.length - lastRank[i]
	}
	c.tail = prev
	return c
}

package store

import (
	"math/bits"

	"github.com/syncscope/syncscope/core/rdb"
)

// List is a list value: a deque of byte strings kept in a ring buffer whose
// capacity is a power of two, so pushes and pops at both ends and access by
// index are O(1); inserting or removing in the middle moves elements (O(n)),
// as it does in Redis's quicklist.
//
// Beside the elements, the list keeps the node boundaries Redis's quicklist
// would have for the same history of commands (which node each push joins,
// where an insert splits and merges nodes), so that DUMP and the RDB file
// carry the same bytes as Redis's.
type List struct {
	object
	buf  [][]byte // len(buf) is 0 or a power of two
	head int      // index in buf of element 0
	n    int
	fill int // list-max-listpack-size when the list was created, clamped
	// packed is the element size from which an element gets a plain node
	// (quicklist's packed_threshold, which DEBUG changes; fixed here when
	// the list is created, as fill is).
	packed int
	nodes  ring[qlNode] // quicklist nodes, head to tail; their counts add up to n
}

// qlNode is one quicklist node: how many elements it holds and its size as
// Redis counts it (the listpack's bytes, or the element's length when plain).
type qlNode struct {
	count int
	size  int
	plain bool
}

// NewList returns an empty list whose nodes follow fill
// (list-max-listpack-size), as Redis fixes it when it creates the list.
func NewList(fill int) *List {
	return &List{fill: rdb.QuicklistFill(fill), packed: rdb.QuicklistPackedThreshold}
}

// NewListFor returns an empty list following lim's list settings.
func NewListFor(lim Limits) *List {
	return &List{fill: rdb.QuicklistFill(lim.ListMaxListpackSize), packed: rdb.PackedThreshold(lim.ListPackedThreshold)}
}

func (*List) Type() Type { return TypeList }

// Encoding is "quicklist": Redis 7.0 reports it for every list.
func (*List) Encoding() string { return "quicklist" }

// Len returns the number of elements.
func (l *List) Len() int { return l.n }

func (l *List) slot(i int) int { return (l.head + i) & (len(l.buf) - 1) }

// grow makes room for at least one more element.
func (l *List) grow() {
	if l.n == len(l.buf) {
		l.resize(max(8, 2*len(l.buf)))
	}
}

// shrink halves a buffer that is at most a quarter full, so a list that was
// long once does not keep its memory; halving at a quarter keeps push and pop
// amortised O(1).
func (l *List) shrink() {
	if len(l.buf) > 64 && l.n <= len(l.buf)/4 {
		l.resize(len(l.buf) / 2)
	}
}

func (l *List) resize(size int) {
	buf := make([][]byte, size)
	for i := 0; i < l.n; i++ {
		buf[i] = l.buf[l.slot(i)]
	}
	l.buf, l.head = buf, 0
}

// PushBack appends a copy of elem at the tail.
func (l *List) PushBack(elem []byte) { l.PushBackOwned(append([]byte(nil), elem...)) }

// PushBackOwned appends elem at the tail, taking ownership of it.
func (l *List) PushBackOwned(elem []byte) {
	l.grow()
	l.buf[l.slot(l.n)] = elem
	l.n++
	l.nodePush(l.nodes.n, elem)
}

// PushFront prepends a copy of elem at the head.
func (l *List) PushFront(elem []byte) {
	l.grow()
	l.head = (l.head - 1) & (len(l.buf) - 1)
	e := append([]byte(nil), elem...)
	l.buf[l.head] = e
	l.n++
	l.nodePush(0, e)
}

// nodePush accounts for e pushed at the head (at 0) or the tail (at the node
// count), as quicklistPushHead and quicklistPushTail do: it joins the end
// node while that node allows it, else it starts a node of its own.
func (l *List) nodePush(at int, e []byte) {
	if len(e) >= l.packed {
		l.nodes.insert(at, qlNode{count: 1, size: len(e), plain: true})
		return
	}
	end := at
	if at > 0 {
		end = at - 1
	}
	if l.nodes.n > 0 {
		if nd := l.nodes.at(end); l.allowInsert(nd, len(e)) {
			nd.count++
			nd.size += rdb.ListpackEntrySize(e)
			return
		}
	}
	l.nodes.insert(at, qlNode{count: 1, size: rdb.ListpackEmptySize + rdb.ListpackEntrySize(e)})
}

func (l *List) allowInsert(nd *qlNode, sz int) bool {
	return !nd.plain && rdb.QuicklistAllowInsert(l.fill, l.packed, nd.size, nd.count, sz)
}

func (l *List) allowMerge(a, b *qlNode) bool {
	return !a.plain && !b.plain && rdb.QuicklistAllowMerge(l.fill, a.size, a.count, b.size, b.count)
}

// PopFront removes and returns the head element; the list must not be empty.
func (l *List) PopFront() []byte {
	e := l.buf[l.head]
	l.buf[l.head] = nil
	l.head = (l.head + 1) & (len(l.buf) - 1)
	l.n--
	l.shrink()
	l.nodeRemove(0, e)
	return e
}

// PopBack removes and returns the tail element; the list must not be empty.
func (l *List) PopBack() []byte {
	i := l.slot(l.n - 1)
	e := l.buf[i]
	l.buf[i] = nil
	l.n--
	l.shrink()
	l.nodeRemove(l.nodes.n-1, e)
	return e
}

// nodeRemove accounts for e leaving node k, which goes once empty
// (quicklistDelIndex).
func (l *List) nodeRemove(k int, e []byte) {
	nd := l.nodes.at(k)
	nd.count--
	if nd.count == 0 {
		l.nodes.remove(k)
		return
	}
	nd.size -= rdb.ListpackEntrySize(e)
}

// findNode returns the node holding element i and the index of that node's
// first element, walking from the nearer end as Redis does.
func (l *List) findNode(i int) (k, first int) {
	if i < l.n/2 {
		for k = 0; ; k++ {
			c := l.nodes.at(k).count
			if i < first+c {
				return k, first
			}
			first += c
		}
	}
	first = l.n
	for k = l.nodes.n - 1; ; k-- {
		first -= l.nodes.at(k).count
		if i >= first {
			return k, first
		}
	}
}

// sizeOf is the listpack bytes of elements [from, to).
func (l *List) sizeOf(from, to int) int {
	sz := 0
	for i := from; i < to; i++ {
		sz += rdb.ListpackEntrySize(l.Index(i))
	}
	return sz
}

// Index returns the element at i (0 <= i < Len()). The bytes belong to the
// list and must not be modified.
func (l *List) Index(i int) []byte { return l.buf[l.slot(i)] }

// SetIndex replaces the element at i (0 <= i < Len()) with a copy of elem,
// as quicklistReplaceEntry does: in place within a packed node, and through
// an insert and a delete when a plain node is involved.
func (l *List) SetIndex(i int, elem []byte) {
	k, _ := l.findNode(i)
	nd := l.nodes.at(k)
	large := len(elem) >= l.packed
	switch {
	case !nd.plain && !large:
		nd.size += rdb.ListpackEntrySize(elem) - rdb.ListpackEntrySize(l.Index(i))
	case nd.plain && large:
		nd.size = len(elem)
	default:
		l.Insert(i, true, elem)
		l.removeAt(i)
		return
	}
	l.buf[l.slot(i)] = append([]byte(nil), elem...)
}

// removeAt removes element i.
func (l *List) removeAt(i int) {
	k, _ := l.findNode(i)
	l.nodeRemove(k, l.Index(i))
	if i < l.n/2 {
		for j := i; j > 0; j-- {
			l.buf[l.slot(j)] = l.buf[l.slot(j-1)]
		}
		l.buf[l.head] = nil
		l.head = (l.head + 1) & (len(l.buf) - 1)
	} else {
		for j := i; j < l.n-1; j++ {
			l.buf[l.slot(j)] = l.buf[l.slot(j+1)]
		}
		l.buf[l.slot(l.n-1)] = nil
	}
	l.n--
	l.shrink()
}

// Insert puts a copy of elem next to the pivot element at index pivot
// (0 <= pivot < Len()): after it when after, else before it. Nodes change
// as _quicklistInsert changes them: the element joins the pivot's node, or a
// neighbour at that edge, or a new node, or the pivot's node splits and the
// nodes around it merge where they fit.
func (l *List) Insert(pivot int, after bool, elem []byte) {
	e := append([]byte(nil), elem...)
	l.insertNodes(pivot, after, e)
	at := pivot
	if after {
		at++
	}
	l.grow()
	if at < l.n/2 {
		l.head = (l.head - 1) & (len(l.buf) - 1)
		for j := 0; j < at; j++ {
			l.buf[l.slot(j)] = l.buf[l.slot(j+1)]
		}
	} else {
		for j := l.n; j > at; j-- {
			l.buf[l.slot(j)] = l.buf[l.slot(j-1)]
		}
	}
	l.buf[l.slot(at)] = e
	l.n++
}

// insertNodes updates the nodes for Insert; the elements are not moved yet.
func (l *List) insertNodes(pivot int, after bool, e []byte) {
	k, first := l.findNode(pivot)
	off := pivot - first
	nd := *l.nodes.at(k)
	sz := len(e)
	es := rdb.ListpackEntrySize(e)
	full := !l.allowInsert(&nd, sz)
	atTail := after && off == nd.count-1
	atHead := !after && off == 0
	availNext := atTail && k+1 < l.nodes.n && l.allowInsert(l.nodes.at(k+1), sz)
	availPrev := atHead && k > 0 && l.allowInsert(l.nodes.at(k-1), sz)
	side := k // where a node goes that is inserted next to node k
	if after {
		side = k + 1
	}
	if sz >= l.packed {
		plain := qlNode{count: 1, size: sz, plain: true}
		if nd.plain || atTail || atHead {
			l.nodes.insert(side, plain)
			return
		}
		left, right := l.split(k, first, off, after)
		if after {
			l.nodes.insert(k+1, plain)
			l.nodes.insert(k+2, right)
		} else {
			l.nodes.insert(k, plain)
			l.nodes.insert(k, left)
		}
		return
	}
	switch {
	case !full:
		l.nodes.at(k).count++
		l.nodes.at(k).size += es
	case availNext:
		l.nodes.at(k+1).count++
		l.nodes.at(k + 1).size += es
	case availPrev:
		l.nodes.at(k-1).count++
		l.nodes.at(k - 1).size += es
	case atTail || atHead:
		l.nodes.insert(side, qlNode{count: 1, size: rdb.ListpackEmptySize + es})
	default:
		left, right := l.split(k, first, off, after)
		center := k
		if after {
			right.count++
			right.size += es
			l.nodes.insert(k+1, right)
		} else {
			left.count++
			left.size += es
			l.nodes.insert(k, left)
			center = k + 1
		}
		l.mergeAround(center)
	}
}

// split is _quicklistSplitNode for node k (whose first element is first):
// after, node k keeps [0, off] and the part returned as right holds the
// rest; before, node k keeps [off, count) and left holds [0, off). The
// returned part is not inserted.
func (l *List) split(k, first, off int, after bool) (left, right qlNode) {
	nd := l.nodes.at(k)
	cut := off // elements in the left part
	if after {
		cut = off + 1
	}
	leftSize := rdb.ListpackEmptySize + l.sizeOf(first, first+cut)
	left = qlNode{count: cut, size: leftSize}
	right = qlNode{count: nd.count - cut, size: nd.size - leftSize + rdb.ListpackEmptySize}
	if after {
		*nd = left
	} else {
		*nd = right
	}
	return left, right
}

// mergeAround is _quicklistMergeNodes: after a split it merges the two nodes
// before center, the two after it, center with its previous node, and the
// result with its next node, each pair only when it fits one node.
func (l *List) mergeAround(center int) {
	if center >= 2 && l.allowMerge(l.nodes.at(center-2), l.nodes.at(center-1)) {
		l.merge(center - 2)
		center--
	}
	if center+2 < l.nodes.n && l.allowMerge(l.nodes.at(center+1), l.nodes.at(center+2)) {
		l.merge(center + 1)
	}
	target := center
	if center >= 1 && l.allowMerge(l.nodes.at(center-1), l.nodes.at(center)) {
		l.merge(center - 1)
		target = center - 1
	}
	if target+1 < l.nodes.n && l.allowMerge(l.nodes.at(target), l.nodes.at(target+1)) {
		l.merge(target)
	}
}

// merge joins node k+1 into node k: one listpack header and terminator fewer.
func (l *List) merge(k int) {
	a, b := l.nodes.at(k), l.nodes.at(k+1)
	a.count += b.count
	a.size += b.size - rdb.ListpackEmptySize
	l.nodes.remove(k + 1)
}

// Each calls fn for every element from head to tail until fn returns false.
// The bytes belong to the list and must not be modified.
func (l *List) Each(fn func(elem []byte) bool) {
	for i := 0; i < l.n; i++ {
		if !fn(l.buf[l.slot(i)]) {
			return
		}
	}
}

// EachNode calls fn with the number of elements of every quicklist node,
// head to tail.
func (l *List) EachNode(fn func(count int)) {
	for k := 0; k < l.nodes.n; k++ {
		fn(l.nodes.at(k).count)
	}
}

// Filter keeps, in order, the elements for which keep returns true, visiting
// them from head to tail, and returns how many were removed. Each removal
// leaves its node smaller, and an emptied node goes (quicklistDelEntry).
func (l *List) Filter(keep func(i int, elem []byte) bool) int {
	w := 0
	r := 0
	for k := 0; k < l.nodes.n; k++ {
		nd := l.nodes.at(k)
		for end := r + nd.count; r < end; r++ {
			e := l.buf[l.slot(r)]
			if keep(r, e) {
				l.buf[l.slot(w)] = e
				w++
				continue
			}
			l.dropFrom(nd, e)
		}
	}
	removed := l.n - w
	for j := w; j < l.n; j++ {
		l.buf[l.slot(j)] = nil
	}
	l.n = w
	l.dropEmptyNodes()
	return removed
}

// FilterBack is Filter visiting from tail to head (LREM with a negative
// count); i is still the element's index from the head.
func (l *List) FilterBack(keep func(i int, elem []byte) bool) int {
	w := l.n - 1
	r := l.n - 1
	for k := l.nodes.n - 1; k >= 0; k-- {
		nd := l.nodes.at(k)
		for end := r - nd.count; r > end; r-- {
			e := l.buf[l.slot(r)]
			if keep(r, e) {
				l.buf[l.slot(w)] = e
				w--
				continue
			}
			l.dropFrom(nd, e)
		}
	}
	removed := w + 1
	for j := 0; j < removed; j++ {
		l.buf[l.slot(j)] = nil
	}
	if removed > 0 {
		l.head = l.slot(removed)
	}
	l.n -= removed
	l.dropEmptyNodes()
	return removed
}

// dropFrom accounts for e leaving nd; the node stays until dropEmptyNodes.
func (l *List) dropFrom(nd *qlNode, e []byte) {
	nd.count--
	if !nd.plain {
		nd.size -= rdb.ListpackEntrySize(e)
	}
}

// dropEmptyNodes removes the nodes left without elements, keeping the order.
func (l *List) dropEmptyNodes() {
	w := 0
	for k := 0; k < l.nodes.n; k++ {
		if nd := *l.nodes.at(k); nd.count > 0 {
			*l.nodes.at(w) = nd
			w++
		}
	}
	l.nodes.truncate(w)
}

// Trim keeps only the elements in [start, stop) (0 <= start <= stop <= Len()),
// deleting from the head then from the tail as LTRIM's quicklistDelRange
// calls do: whole nodes go, the node at each cut keeps its remaining part.
func (l *List) Trim(start, stop int) {
	for n := l.n; n > stop; {
		nd := l.nodes.at(l.nodes.n - 1)
		if first := n - nd.count; first >= stop {
			l.nodes.remove(l.nodes.n - 1)
			n = first
			continue
		}
		nd.size -= l.sizeOf(stop, n)
		nd.count -= n - stop
		n = stop
	}
	for cut := start; cut > 0; {
		nd := l.nodes.at(0)
		if nd.count <= cut {
			cut -= nd.count
			l.nodes.remove(0)
			continue
		}
		nd.size -= l.sizeOf(start-cut, start)
		nd.count -= cut
		cut = 0
	}
	for j := stop; j < l.n; j++ {
		l.buf[l.slot(j)] = nil
	}
	for j := 0; j < start; j++ {
		l.buf[l.slot(j)] = nil
	}
	if len(l.buf) > 0 {
		l.head = l.slot(start)
	}
	l.n = stop - start
}

// appendNodes fills an empty list with elems, counts[i] of them per node, in
// order, as Redis loads a quicklist from an RDB file.
func (l *List) appendNodes(elems [][]byte, counts []int) {
	// Reserving once gives the buffers the sizes that growing them one
	// element at a time reaches, without the copies on the way.
	l.resize(max(8, pow2Ceil(len(elems))))
	copy(l.buf, elems)
	l.n = len(elems)
	l.nodes.reserve(len(counts))
	i := 0
	for _, c := range counts {
		nd := qlNode{count: c}
		if c == 1 && len(elems[i]) >= l.packed {
			nd.plain, nd.size = true, len(elems[i])
		} else {
			nd.size = rdb.ListpackEmptySize
			for _, e := range elems[i : i+c] {
				nd.size += rdb.ListpackEntrySize(e)
			}
		}
		l.nodes.insert(l.nodes.n, nd)
		i += c
	}
}

// clone copies the element slice headers and the element bytes, so neither
// copy sees the other's changes.
func (l *List) clone() Value {
	c := &List{buf: make([][]byte, len(l.buf)), n: l.n, fill: l.fill, packed: l.packed}
	for i := 0; i < l.n; i++ {
		c.buf[i] = append([]byte(nil), l.buf[l.slot(i)]...)
	}
	for k := 0; k < l.nodes.n; k++ {
		c.nodes.insert(k, *l.nodes.at(k))
	}
	return c
}

// ring is a deque in a power-of-two ring buffer: O(1) at both ends, and
// inserts and removals in the middle move the shorter side.
type ring[T any] struct {
	buf  []T
	head int
	n    int
}

func (r *ring[T]) at(i int) *T { return &r.buf[(r.head+i)&(len(r.buf)-1)] }

func (r *ring[T]) insert(i int, v T) {
	if r.n == len(r.buf) {
		r.resize(max(4, 2*len(r.buf)))
	}
	if i < r.n/2 {
		r.head = (r.head - 1) & (len(r.buf) - 1)
		for j := 0; j < i; j++ {
			*r.at(j) = *r.at(j + 1)
		}
	} else {
		for j := r.n; j > i; j-- {
			*r.at(j) = *r.at(j - 1)
		}
	}
	*r.at(i) = v
	r.n++
}

// reserve makes room for n more entries, sizing the buffer as inserting
// them one at a time would.
func (r *ring[T]) reserve(n int) {
	if need := r.n + n; need > len(r.buf) {
		r.resize(max(4, pow2Ceil(need)))
	}
}

func (r *ring[T]) resize(size int) {
	buf := make([]T, size)
	for j := 0; j < r.n; j++ {
		buf[j] = *r.at(j)
	}
	r.buf, r.head = buf, 0
}

// pow2Ceil is the least power of two >= n, for n >= 1.
func pow2Ceil(n int) int { return 1 << bits.Len(uint(n-1)) }

func (r *ring[T]) remove(i int) {
	var zero T
	if i < r.n/2 {
		for j := i; j > 0; j-- {
			*r.at(j) = *r.at(j - 1)
		}
		*r.at(0) = zero
		r.head = (r.head + 1) & (len(r.buf) - 1)
	} else {
		for j := i; j < r.n-1; j++ {
			*r.at(j) = *r.at(j + 1)
		}
		*r.at(r.n - 1) = zero
	}
	r.n--
}

// truncate keeps the first n entries.
func (r *ring[T]) truncate(n int) {
	var zero T
	for j := n; j < r.n; j++ {
		*r.at(j) = zero
	}
	r.n = n
}

// QuicklistStats is what DEBUG OBJECT reports of a list's quicklist: its
// node count, its fill (list-max-listpack-size when created) and the bytes
// of all its nodes.
func (l *List) QuicklistStats() (nodes, fill, size int) {
	for k := 0; k < l.nodes.n; k++ {
		size += l.nodes.at(k).size
	}
	return l.nodes.n, l.fill, size
}

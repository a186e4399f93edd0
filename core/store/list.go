package store

// List is a list value: a deque of byte strings kept in a ring buffer whose
// capacity is a power of two, so pushes and pops at both ends and access by
// index are O(1); inserting or removing in the middle moves elements (O(n)),
// as it does in Redis's quicklist.
type List struct {
	object
	buf  [][]byte // len(buf) is 0 or a power of two
	head int      // index in buf of element 0
	n    int
}

// NewList returns an empty list.
func NewList() *List { return &List{} }

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
}

// PushFront prepends a copy of elem at the head.
func (l *List) PushFront(elem []byte) {
	l.grow()
	l.head = (l.head - 1) & (len(l.buf) - 1)
	l.buf[l.head] = append([]byte(nil), elem...)
	l.n++
}

// PopFront removes and returns the head element; the list must not be empty.
func (l *List) PopFront() []byte {
	e := l.buf[l.head]
	l.buf[l.head] = nil
	l.head = (l.head + 1) & (len(l.buf) - 1)
	l.n--
	l.shrink()
	return e
}

// PopBack removes and returns the tail element; the list must not be empty.
func (l *List) PopBack() []byte {
	i := l.slot(l.n - 1)
	e := l.buf[i]
	l.buf[i] = nil
	l.n--
	l.shrink()
	return e
}

// Index returns the element at i (0 <= i < Len()). The bytes belong to the
// list and must not be modified.
func (l *List) Index(i int) []byte { return l.buf[l.slot(i)] }

// SetIndex replaces the element at i (0 <= i < Len()) with a copy of elem.
func (l *List) SetIndex(i int, elem []byte) { l.buf[l.slot(i)] = append([]byte(nil), elem...) }

// Insert puts a copy of elem before position i (0 <= i <= Len()), moving
// whichever side of the list is shorter.
func (l *List) Insert(i int, elem []byte) {
	l.grow()
	e := append([]byte(nil), elem...)
	if i < l.n/2 {
		l.head = (l.head - 1) & (len(l.buf) - 1)
		for j := 0; j < i; j++ {
			l.buf[l.slot(j)] = l.buf[l.slot(j+1)]
		}
	} else {
		for j := l.n; j > i; j-- {
			l.buf[l.slot(j)] = l.buf[l.slot(j-1)]
		}
	}
	l.buf[l.slot(i)] = e
	l.n++
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

// Filter keeps, in order, the elements for which keep returns true, visiting
// them from head to tail, and returns how many were removed.
func (l *List) Filter(keep func(i int, elem []byte) bool) int {
	w := 0
	for r := 0; r < l.n; r++ {
		e := l.buf[l.slot(r)]
		if keep(r, e) {
			l.buf[l.slot(w)] = e
			w++
		}
	}
	removed := l.n - w
	for j := w; j < l.n; j++ {
		l.buf[l.slot(j)] = nil
	}
	l.n = w
	return removed
}

// FilterBack is Filter visiting from tail to head (LREM with a negative
// count); i is still the element's index from the head.
func (l *List) FilterBack(keep func(i int, elem []byte) bool) int {
	w := l.n - 1
	for r := l.n - 1; r >= 0; r-- {
		e := l.buf[l.slot(r)]
		if keep(r, e) {
			l.buf[l.slot(w)] = e
			w--
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
	return removed
}

// Trim keeps only the elements in [start, stop) (0 <= start <= stop <= Len()).
func (l *List) Trim(start, stop int) {
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

// clone copies the element slice headers and the element bytes, so neither
// copy sees the other's changes.
func (l *List) clone() Value {
	c := &List{buf: make([][]byte, len(l.buf)), n: l.n}
	for i := 0; i < l.n; i++ {
		c.buf[i] = append([]byte(nil), l.buf[l.slot(i)]...)
	}
	return c
}

package store

import (
	"slices"

	"github.com/syncscope/syncscope/core/rdb"
)

// Group is a stream consumer group (streamCG).
type Group struct {
	Name        string
	LastID      StreamID
	EntriesRead int64 // -1 when unknown (SCG_INVALID_ENTRIES_READ)
	pel         pelList
	consumers   []*Consumer // by name, byte-wise
}

// Consumer is a consumer of a group.
type Consumer struct {
	Name     string
	SeenTime int64
	pel      pelList
}

func (g *Group) name() string    { return g.Name }
func (c *Consumer) name() string { return c.Name }

// named is what a stream keeps in name order (byte-wise): its groups, and
// a group's consumers.
type named interface{ name() string }

func findNamed[T named](list []T, name string) (int, bool) {
	return slices.BinarySearchFunc(list, name, func(x T, n string) int { return compareStrings(x.name(), n) })
}

// getNamed returns the one called name, or nil.
func getNamed[T named](list []T, name []byte) T {
	if i, ok := findNamed(list, string(name)); ok {
		return list[i]
	}
	var none T
	return none
}

// addNamed inserts mk(name) in its place and returns it; nil when one of
// that name is there.
func addNamed[T named](list *[]T, name []byte, mk func(string) T) T {
	i, ok := findNamed(*list, string(name))
	if ok {
		var none T
		return none
	}
	x := mk(string(name))
	*list = slices.Insert(*list, i, x)
	return x
}

// removeNamed removes the one called name and reports whether it was there.
func removeNamed[T named](list *[]T, name string) bool {
	i, ok := findNamed(*list, name)
	if ok {
		*list = slices.Delete(*list, i, i+1)
	}
	return ok
}

func sortNamed[T named](list []T) {
	slices.SortFunc(list, func(a, b T) int { return compareStrings(a.name(), b.name()) })
}

// NACK is a pending entry: delivered and not yet acknowledged.
type NACK struct {
	ID            StreamID
	DeliveryTime  int64
	DeliveryCount uint64
	Consumer      *Consumer
}

// pelList is a pending entries list in ascending ID order.
type pelList []*NACK

func (l pelList) find(id StreamID) (int, bool) {
	return slices.BinarySearchFunc(l, id, func(n *NACK, id StreamID) int { return n.ID.Compare(id) })
}

func (l *pelList) insert(n *NACK) bool {
	i, found := l.find(n.ID)
	if found {
		return false
	}
	*l = slices.Insert(*l, i, n)
	return true
}

func (l *pelList) remove(id StreamID) bool {
	i, found := l.find(id)
	if found {
		*l = slices.Delete(*l, i, i+1)
	}
	return found
}

// from returns the entries with ID >= id.
func (l pelList) from(id StreamID) []*NACK {
	i, _ := l.find(id)
	return l[i:]
}

// Groups returns the stream's consumer groups in name order.
func (s *Stream) Groups() []*Group { return s.groups }

// Group returns the group called name, or nil.
func (s *Stream) Group(name []byte) *Group { return getNamed(s.groups, name) }

// CreateGroup adds a group; nil when one of that name exists.
func (s *Stream) CreateGroup(name []byte, last StreamID, entriesRead int64) *Group {
	return addNamed(&s.groups, name, func(n string) *Group {
		return &Group{Name: n, LastID: last, EntriesRead: entriesRead}
	})
}

// DestroyGroup removes the group called name and reports whether it existed.
func (s *Stream) DestroyGroup(name []byte) bool { return removeNamed(&s.groups, string(name)) }

// Consumers returns the group's consumers in name order.
func (g *Group) Consumers() []*Consumer { return g.consumers }

// Consumer returns the consumer called name, or nil.
func (g *Group) Consumer(name []byte) *Consumer { return getNamed(g.consumers, name) }

// CreateConsumer adds a consumer seen at now; nil when it exists.
func (g *Group) CreateConsumer(name []byte, now int64) *Consumer {
	return addNamed(&g.consumers, name, func(n string) *Consumer {
		return &Consumer{Name: n, SeenTime: now}
	})
}

// DeleteConsumer removes c and its pending entries from the group, and
// returns how many pending entries it had.
func (g *Group) DeleteConsumer(c *Consumer) int {
	n := len(c.pel)
	for _, nk := range c.pel {
		g.pel.remove(nk.ID)
	}
	removeNamed(&g.consumers, c.Name)
	return n
}

// PendingLen is the size of the group's PEL.
func (g *Group) PendingLen() int { return len(g.pel) }

// Pending returns the NACK of id, or nil.
func (g *Group) Pending(id StreamID) *NACK {
	if i, ok := g.pel.find(id); ok {
		return g.pel[i]
	}
	return nil
}

// PendingFrom returns the group's pending entries with ID >= id, in order;
// the slice is the group's own: do not keep it across changes.
func (g *Group) PendingFrom(id StreamID) []*NACK { return g.pel.from(id) }

// AddPending records id as delivered to c at now, with a delivery count
// of one; if id was pending already it moves to c (XGROUP SETID can make a
// group deliver an entry again).
func (g *Group) AddPending(c *Consumer, id StreamID, now int64) *NACK {
	if nk := g.Pending(id); nk != nil {
		nk.Consumer.pel.remove(id)
		nk.Consumer, nk.DeliveryTime, nk.DeliveryCount = c, now, 1
		c.pel.insert(nk)
		return nk
	}
	nk := &NACK{ID: id, DeliveryTime: now, DeliveryCount: 1, Consumer: c}
	g.pel.insert(nk)
	c.pel.insert(nk)
	return nk
}

// Ack removes id from the group's and its consumer's PEL.
func (g *Group) Ack(id StreamID) bool {
	i, ok := g.pel.find(id)
	if !ok {
		return false
	}
	nk := g.pel[i]
	nk.Consumer.pel.remove(id)
	g.pel = slices.Delete(g.pel, i, i+1)
	return true
}

// Move gives the pending entry nk to c.
func (g *Group) Move(nk *NACK, c *Consumer) {
	if nk.Consumer == c {
		return
	}
	nk.Consumer.pel.remove(nk.ID)
	nk.Consumer = c
	c.pel.insert(nk)
}

// InsertPending adds a NACK (XCLAIM FORCE creating one) owned by c.
func (g *Group) InsertPending(nk *NACK) {
	g.pel.insert(nk)
	nk.Consumer.pel.insert(nk)
}

// PendingLen is the size of the consumer's PEL.
func (c *Consumer) PendingLen() int { return len(c.pel) }

// PendingFrom returns the consumer's pending entries with ID >= id.
func (c *Consumer) PendingFrom(id StreamID) []*NACK { return c.pel.from(id) }

func (g *Group) clone() *Group {
	c := &Group{Name: g.Name, LastID: g.LastID, EntriesRead: g.EntriesRead}
	byOld := make(map[*Consumer]*Consumer, len(g.consumers))
	for _, oc := range g.consumers {
		nc := &Consumer{Name: oc.Name, SeenTime: oc.SeenTime}
		byOld[oc] = nc
		c.consumers = append(c.consumers, nc)
	}
	c.pel = make(pelList, len(g.pel))
	for i, nk := range g.pel {
		n := *nk
		n.Consumer = byOld[nk.Consumer]
		c.pel[i] = &n
		n.Consumer.pel = append(n.Consumer.pel, &n)
	}
	return c
}

func (g *Group) toRDB() rdb.StreamGroup {
	r := rdb.StreamGroup{Name: []byte(g.Name), LastID: g.LastID, EntriesRead: g.EntriesRead}
	r.PEL = make([]rdb.StreamNACK, len(g.pel))
	for i, nk := range g.pel {
		r.PEL[i] = rdb.StreamNACK{ID: nk.ID, DeliveryTime: nk.DeliveryTime, DeliveryCount: nk.DeliveryCount}
	}
	for _, c := range g.consumers {
		rc := rdb.StreamConsumer{Name: []byte(c.Name), SeenTime: c.SeenTime, PEL: make([]StreamID, len(c.pel))}
		for i, nk := range c.pel {
			rc.PEL[i] = nk.ID
		}
		r.Consumers = append(r.Consumers, rc)
	}
	return r
}

func groupFromRDB(r *rdb.StreamGroup) *Group {
	g := &Group{Name: string(r.Name), LastID: r.LastID, EntriesRead: r.EntriesRead}
	byID := make(map[StreamID]*NACK, len(r.PEL))
	for _, rn := range r.PEL {
		nk := &NACK{ID: rn.ID, DeliveryTime: rn.DeliveryTime, DeliveryCount: rn.DeliveryCount}
		byID[rn.ID] = nk
		g.pel = append(g.pel, nk)
	}
	slices.SortFunc(g.pel, func(a, b *NACK) int { return a.ID.Compare(b.ID) })
	for _, rc := range r.Consumers {
		c := &Consumer{Name: string(rc.Name), SeenTime: rc.SeenTime}
		for _, id := range rc.PEL {
			nk := byID[id]
			nk.Consumer = c
			c.pel = append(c.pel, nk)
		}
		slices.SortFunc(c.pel, func(a, b *NACK) int { return a.ID.Compare(b.ID) })
		g.consumers = append(g.consumers, c)
	}
	sortNamed(g.consumers)
	return g
}

package rdb

import (
	"encoding/binary"
	"strconv"
)

// StreamID is a stream entry ID: milliseconds and sequence number.
type StreamID struct{ Ms, Seq uint64 }

// Compare returns -1, 0 or 1 as id is less than, equal to or greater than o.
func (id StreamID) Compare(o StreamID) int {
	switch {
	case id.Ms < o.Ms:
		return -1
	case id.Ms > o.Ms:
		return 1
	case id.Seq < o.Seq:
		return -1
	case id.Seq > o.Seq:
		return 1
	}
	return 0
}

// StreamNode is one node of a stream's radix tree: its master ID (the key
// the node is stored under) and its listpack, in Redis's stream node layout.
type StreamNode struct {
	Master StreamID
	LP     []byte
}

// StreamNACK is one pending entry of a consumer group.
type StreamNACK struct {
	ID            StreamID
	DeliveryTime  int64
	DeliveryCount uint64
}

// StreamConsumer is a consumer of a group and the IDs it has pending.
type StreamConsumer struct {
	Name     []byte
	SeenTime int64
	PEL      []StreamID
}

// StreamGroup is a consumer group. EntriesRead is -1 when unknown.
type StreamGroup struct {
	Name        []byte
	LastID      StreamID
	EntriesRead int64
	PEL         []StreamNACK // ascending IDs
	Consumers   []StreamConsumer
}

// Stream is a stream value as RDB_TYPE_STREAM_LISTPACKS_2 holds it. Nodes,
// groups and consumers are in the radix trees' (byte-wise) order.
type Stream struct {
	Nodes        []StreamNode
	Length       uint64
	LastID       StreamID
	FirstID      StreamID
	MaxDeletedID StreamID
	EntriesAdded uint64
	Groups       []StreamGroup
	// V1 is set when the value came from a Redis 5/6 file (type 15), which
	// has no FirstID, MaxDeletedID, EntriesAdded or group EntriesRead: the
	// loader derives them as Redis does.
	V1 bool
}

// KindStream is a stream (Entry.Stream).
const KindStream Kind = 5

func appendStreamID(b []byte, id StreamID) []byte {
	b = binary.BigEndian.AppendUint64(b, id.Ms)
	return binary.BigEndian.AppendUint64(b, id.Seq)
}

func (v *valueEncoder) appendStream(b []byte, s *Stream) []byte {
	b = appendLen(b, uint64(len(s.Nodes)))
	var key [16]byte
	for _, n := range s.Nodes {
		b = v.appendString(b, appendStreamID(key[:0], n.Master))
		b = v.appendString(b, n.LP)
	}
	b = appendLen(b, s.Length)
	b = appendLen(appendLen(b, s.LastID.Ms), s.LastID.Seq)
	b = appendLen(appendLen(b, s.FirstID.Ms), s.FirstID.Seq)
	b = appendLen(appendLen(b, s.MaxDeletedID.Ms), s.MaxDeletedID.Seq)
	b = appendLen(b, s.EntriesAdded)
	b = appendLen(b, uint64(len(s.Groups)))
	for _, g := range s.Groups {
		b = v.appendString(b, g.Name)
		b = appendLen(appendLen(b, g.LastID.Ms), g.LastID.Seq)
		b = appendLen(b, uint64(g.EntriesRead))
		b = appendLen(b, uint64(len(g.PEL)))
		for _, n := range g.PEL {
			b = appendStreamID(b, n.ID)
			b = binary.LittleEndian.AppendUint64(b, uint64(n.DeliveryTime))
			b = appendLen(b, n.DeliveryCount)
		}
		b = appendLen(b, uint64(len(g.Consumers)))
		for _, c := range g.Consumers {
			b = v.appendString(b, c.Name)
			b = binary.LittleEndian.AppendUint64(b, uint64(c.SeenTime))
			b = appendLen(b, uint64(len(c.PEL)))
			for _, id := range c.PEL {
				b = appendStreamID(b, id)
			}
		}
	}
	return b
}

func (d *decoder) streamID16(what string) (StreamID, error) {
	b, err := d.take(16, what)
	if err != nil {
		return StreamID{}, err
	}
	return StreamID{binary.BigEndian.Uint64(b), binary.BigEndian.Uint64(b[8:])}, nil
}

func (d *decoder) streamIDLens(what string) (StreamID, error) {
	ms, seq, err := d.twoLengths(what, what)
	return StreamID{ms, seq}, err
}

func (d *decoder) msTime(what string) (int64, error) {
	b, err := d.take(8, what)
	if err != nil {
		return 0, err
	}
	return int64(binary.LittleEndian.Uint64(b)), nil
}

// stream reads a stream of RDB type t (15, 19 or 21) into en.
func (d *decoder) stream(t byte, en *Entry) error {
	s := &Stream{V1: t == typeStreamListpacks}
	en.Kind, en.Stream = KindStream, s
	n, err := d.count("the stream node count", 2)
	if err != nil {
		return err
	}
	for range n {
		at := d.pos
		key, err := d.str("a stream node key")
		if err != nil {
			return err
		}
		if len(key) != 16 {
			d.pos = at
			return d.fail(ErrCorrupt, "stream node key is not the size of a stream ID")
		}
		master := StreamID{binary.BigEndian.Uint64(key), binary.BigEndian.Uint64(key[8:])}
		at = d.pos
		lp, err := d.str("a stream listpack")
		if err != nil {
			return err
		}
		if err := ValidateStreamListpack(lp); err != nil {
			return d.failAt(at, err)
		}
		if k := len(s.Nodes); k > 0 && s.Nodes[k-1].Master.Compare(master) >= 0 {
			d.pos = at
			return d.fail(ErrCorrupt, "stream node keys out of order or repeated")
		}
		s.Nodes = append(s.Nodes, StreamNode{master, d.keep(lp)})
	}
	if s.Length, err = d.length("the stream length"); err != nil {
		return err
	}
	if s.LastID, err = d.streamIDLens("the stream last ID"); err != nil {
		return err
	}
	if !s.V1 {
		if s.FirstID, err = d.streamIDLens("the stream first ID"); err != nil {
			return err
		}
		if s.MaxDeletedID, err = d.streamIDLens("the stream max deleted ID"); err != nil {
			return err
		}
		if s.EntriesAdded, err = d.length("the stream entries added"); err != nil {
			return err
		}
	}
	if s.Length > 0 && len(s.Nodes) == 0 {
		return d.fail(ErrCorrupt, "stream length inconsistent with its nodes")
	}
	ng, err := d.count("the consumer group count", 4)
	if err != nil {
		return err
	}
	seen := map[string]bool{}
	for range ng {
		var g StreamGroup
		at := d.pos
		if g.Name, err = d.keepStr("a consumer group name"); err != nil {
			return err
		}
		if seen[string(g.Name)] {
			d.pos = at
			return d.fail(ErrCorrupt, "duplicated consumer group name "+strconv.Quote(string(g.Name)))
		}
		seen[string(g.Name)] = true
		if g.LastID, err = d.streamIDLens("a consumer group last ID"); err != nil {
			return err
		}
		g.EntriesRead = -1
		if !s.V1 {
			r, err := d.length("a consumer group entries read")
			if err != nil {
				return err
			}
			g.EntriesRead = int64(r)
		}
		np, err := d.count("the group PEL size", 17)
		if err != nil {
			return err
		}
		pending := make(map[StreamID]bool, np)
		for range np {
			var nk StreamNACK
			if nk.ID, err = d.streamID16("a PEL entry ID"); err != nil {
				return err
			}
			if nk.DeliveryTime, err = d.msTime("a PEL delivery time"); err != nil {
				return err
			}
			if nk.DeliveryCount, err = d.length("a PEL delivery count"); err != nil {
				return err
			}
			if pending[nk.ID] {
				return d.fail(ErrCorrupt, "duplicated global PEL entry")
			}
			pending[nk.ID] = true
			g.PEL = append(g.PEL, nk)
		}
		nc, err := d.count("the consumer count", 10)
		if err != nil {
			return err
		}
		names := map[string]bool{}
		owned := make(map[StreamID]bool, np)
		for range nc {
			var c StreamConsumer
			if c.Name, err = d.keepStr("a consumer name"); err != nil {
				return err
			}
			if names[string(c.Name)] {
				return d.fail(ErrCorrupt, "duplicate stream consumer")
			}
			names[string(c.Name)] = true
			if c.SeenTime, err = d.msTime("a consumer seen time"); err != nil {
				return err
			}
			if t == typeStreamListpacks3 {
				if _, err = d.msTime("a consumer active time"); err != nil {
					return err
				}
			}
			ncp, err := d.count("the consumer PEL size", 16)
			if err != nil {
				return err
			}
			for range ncp {
				id, err := d.streamID16("a consumer PEL entry ID")
				if err != nil {
					return err
				}
				if !pending[id] {
					return d.fail(ErrCorrupt, "consumer entry not found in group global PEL")
				}
				if owned[id] {
					return d.fail(ErrCorrupt, "duplicated consumer PEL entry")
				}
				owned[id] = true
				c.PEL = append(c.PEL, id)
			}
			g.Consumers = append(g.Consumers, c)
		}
		// A pending entry nobody owns would have no consumer to reply
		// with; Redis refuses it under deep sanitization, and so do we.
		if len(owned) != len(pending) {
			return d.fail(ErrCorrupt, "stream CG PEL entry without consumer")
		}
		s.Groups = append(s.Groups, g)
	}
	return nil
}

// Stream entry flags (t_stream.c).
const (
	StreamFlagDeleted    = 1
	StreamFlagSameFields = 2
)

// ValidateStreamListpack checks that lp is a listpack laid out as a stream
// node (streamValidateListpackIntegrity with deep checks): a master entry,
// then entries whose counts agree with themselves. A node that passes can be
// walked by the LP* functions without running off its end.
func ValidateStreamListpack(lp []byte) error {
	var elems []lpElem
	err := walkListpack(lp, func(s []byte, v int64) error {
		elems = append(elems, lpElem{s, v})
		return nil
	})
	if err != nil {
		return err
	}
	i := 0
	next := func() (lpElem, bool) {
		if i >= len(elems) {
			return lpElem{}, false
		}
		i++
		return elems[i-1], true
	}
	bad := func(what string) error { return blobErr(0, "stream listpack: "+what) }
	integer := func() (int64, bool) {
		e, ok := next()
		if !ok {
			return 0, false
		}
		if e.s == nil {
			return e.v, true
		}
		return parseInt(e.s)
	}
	count, ok1 := integer()
	deleted, ok2 := integer()
	masterFields, ok3 := integer()
	if !ok1 || !ok2 || !ok3 || count < 0 || deleted < 0 || masterFields < 0 || masterFields > int64(len(elems)) {
		return bad("bad master entry")
	}
	for range masterFields {
		if _, ok := next(); !ok {
			return bad("master fields run past the end")
		}
	}
	if z, ok := integer(); !ok || z != 0 {
		return bad("master entry not terminated by zero")
	}
	total := count + deleted
	if total > int64(len(elems)) {
		return bad("entry counts exceed the listpack")
	}
	live := int64(0)
	for range total {
		flags, ok := integer()
		if !ok {
			return bad("entry flags")
		}
		if _, ok := integer(); !ok {
			return bad("entry ID")
		}
		if _, ok := integer(); !ok {
			return bad("entry ID")
		}
		fields, extra := masterFields, int64(3)
		if flags&StreamFlagSameFields == 0 {
			if fields, ok = integer(); !ok || fields < 0 || fields > int64(len(elems)) {
				return bad("entry field count")
			}
			for range fields {
				if _, ok := next(); !ok {
					return bad("entry fields run past the end")
				}
			}
			extra += fields + 1
		}
		for range fields {
			if _, ok := next(); !ok {
				return bad("entry values run past the end")
			}
		}
		if c, ok := integer(); !ok || c != fields+extra {
			return bad("entry lp-count")
		}
		if flags&StreamFlagDeleted == 0 {
			live++
		}
	}
	if i != len(elems) {
		return bad("elements after the last entry")
	}
	if live != count {
		return bad("live entries do not match the master count")
	}
	return nil
}

type lpElem struct {
	s []byte
	v int64
}

func parseInt(s []byte) (int64, bool) {
	v, err := strconv.ParseInt(string(s), 10, 64)
	return v, err == nil
}

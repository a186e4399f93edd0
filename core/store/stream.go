package store

import (
	"encoding/binary"
	"math"
	"slices"
	"strconv"

	"github.com/syncscope/syncscope/core/rdb"
)

// StreamID is a stream entry ID.
type StreamID = rdb.StreamID

// MaxStreamID is the largest ID there is ("+").
var MaxStreamID = StreamID{Ms: math.MaxUint64, Seq: math.MaxUint64}

// StreamListpackMaxSize is the most a stream node's listpack may hold
// (STREAM_LISTPACK_MAX_SIZE).
const StreamListpackMaxSize = 1 << 30

// Stream is a stream value, kept as Redis keeps it: a sequence of nodes
// ordered by master ID, each a listpack with a master entry and delta-encoded
// entries (t_stream.c's layout), so that DUMP and the RDB file carry the same
// bytes as Redis's. Deleted entries stay in their node, flagged, until the
// whole node goes.
type Stream struct {
	object
	nodes        []streamNode
	Length       uint64
	LastID       StreamID
	FirstID      StreamID // the first live entry; zero when empty
	MaxDeletedID StreamID // the largest ID deleted by XDEL
	EntriesAdded uint64   // every entry ever added
	groups       []*Group // by name, byte-wise (rax order)
	scratch      streamScratch
}

type streamNode struct {
	master StreamID
	lp     []byte
}

// NewStream returns an empty stream.
func NewStream() *Stream { return &Stream{} }

func (*Stream) Type() Type { return TypeStream }

// Encoding is "stream", the only one.
func (*Stream) Encoding() string { return "stream" }

func (s *Stream) clone() Value {
	c := *s
	c.object, c.scratch = object{}, streamScratch{}
	c.nodes = make([]streamNode, len(s.nodes))
	for i, n := range s.nodes {
		c.nodes[i] = streamNode{n.master, slices.Clone(n.lp)}
	}
	c.groups = make([]*Group, len(s.groups))
	for i, g := range s.groups {
		c.groups[i] = g.clone()
	}
	return &c
}

// IncrID returns the ID after id, and false when id is the last one (then
// 0-0), as streamIncrID.
func IncrID(id StreamID) (StreamID, bool) {
	switch {
	case id.Seq != math.MaxUint64:
		id.Seq++
	case id.Ms != math.MaxUint64:
		id.Ms, id.Seq = id.Ms+1, 0
	default:
		return StreamID{}, false
	}
	return id, true
}

// DecrID returns the ID before id, and false when id is 0-0 (then the last ID).
func DecrID(id StreamID) (StreamID, bool) {
	switch {
	case id.Seq != 0:
		id.Seq--
	case id.Ms != 0:
		id.Ms, id.Seq = id.Ms-1, math.MaxUint64
	default:
		return MaxStreamID, false
	}
	return id, true
}

// AppendID appends id as "<ms>-<seq>".
func AppendID(b []byte, id StreamID) []byte {
	b = strconv.AppendUint(b, id.Ms, 10)
	b = append(b, '-')
	return strconv.AppendUint(b, id.Seq, 10)
}

// Append adds an entry with the field/value pairs kv under id, which the
// caller has checked is greater than LastID. maxBytes and maxEntries are
// stream-node-max-bytes and stream-node-max-entries (streamAppendItem).
func (s *Stream) Append(id StreamID, kv [][]byte, maxBytes, maxEntries int) {
	numFields := len(kv) / 2
	total := 0
	for _, e := range kv {
		total += len(e)
	}
	var n *streamNode
	if len(s.nodes) > 0 {
		n = &s.nodes[len(s.nodes)-1]
		nodeMax := maxBytes
		if nodeMax <= 0 || nodeMax > StreamListpackMaxSize {
			nodeMax = StreamListpackMaxSize
		}
		if len(n.lp)+total >= nodeMax {
			n = nil
		} else if maxEntries > 0 {
			p := rdb.LPFirst(n.lp)
			count := rdb.LPGetInt(n.lp, p) + rdb.LPGetInt(n.lp, rdb.LPNext(n.lp, p))
			if count >= int64(maxEntries) {
				n = nil
			}
		}
	}
	flags := int64(0)
	if n == nil {
		lp := rdb.LPNew()
		lp = rdb.LPAppendInt(lp, 1)
		lp = rdb.LPAppendInt(lp, 0)
		lp = rdb.LPAppendInt(lp, int64(numFields))
		for i := 0; i < numFields; i++ {
			lp = rdb.LPAppend(lp, kv[2*i])
		}
		lp = rdb.LPAppendInt(lp, 0)
		s.nodes = append(s.nodes, streamNode{master: id, lp: lp})
		n = &s.nodes[len(s.nodes)-1]
		flags = rdb.StreamFlagSameFields
	} else {
		p := rdb.LPFirst(n.lp)
		n.lp = rdb.LPReplaceInt(n.lp, p, rdb.LPGetInt(n.lp, p)+1)
		p = rdb.LPNext(n.lp, rdb.LPNext(n.lp, p))
		mf := rdb.LPGetInt(n.lp, p)
		if mf == int64(numFields) {
			same := true
			var buf [24]byte
			for i := 0; i < numFields; i++ {
				p = rdb.LPNext(n.lp, p)
				if string(lpString(n.lp, p, buf[:0])) != string(kv[2*i]) {
					same = false
					break
				}
			}
			if same {
				flags = rdb.StreamFlagSameFields
			}
		}
	}
	lp := n.lp
	lp = rdb.LPAppendInt(lp, flags)
	lp = rdb.LPAppendInt(lp, int64(id.Ms-n.master.Ms))
	lp = rdb.LPAppendInt(lp, int64(id.Seq-n.master.Seq))
	if flags&rdb.StreamFlagSameFields == 0 {
		lp = rdb.LPAppendInt(lp, int64(numFields))
	}
	for i := 0; i < numFields; i++ {
		if flags&rdb.StreamFlagSameFields == 0 {
			lp = rdb.LPAppend(lp, kv[2*i])
		}
		lp = rdb.LPAppend(lp, kv[2*i+1])
	}
	lpCount := int64(numFields) + 3
	if flags&rdb.StreamFlagSameFields == 0 {
		lpCount += int64(numFields) + 1
	}
	n.lp = rdb.LPAppendInt(lp, lpCount)
	s.Length++
	s.EntriesAdded++
	s.LastID = id
	if s.Length == 1 {
		s.FirstID = id
	}
}

// lpString returns the element at p as a string, formatting an integer into buf.
func lpString(lp []byte, p int, buf []byte) []byte {
	str, v := rdb.LPGet(lp, p)
	if str != nil {
		return str
	}
	return strconv.AppendInt(buf, v, 10)
}

// nodeEntry is one entry of a node, located.
type nodeEntry struct {
	flagsPos int
	flags    int64
	id       StreamID
	nfields  int
	same     bool
	pos      int // the first field (or value, when same)
}

// nodeMaster is a node's master entry: its field count and first field.
type nodeMaster struct {
	fields   int
	fieldPos int
	first    int // the first entry's flags, -1 when none
}

func readMaster(lp []byte) nodeMaster {
	p := rdb.LPFirst(lp)
	p = rdb.LPNext(lp, rdb.LPNext(lp, p))
	m := nodeMaster{fields: int(rdb.LPGetInt(lp, p))}
	p = rdb.LPNext(lp, p)
	m.fieldPos = p
	for i := 0; i < m.fields; i++ {
		p = rdb.LPNext(lp, p)
	}
	m.first = rdb.LPNext(lp, p) // p is the zero terminator
	return m
}

// readEntry reads the entry whose flags are at p and returns it with the
// position of the next entry's flags (-1 at the end).
func readEntry(n *streamNode, m *nodeMaster, p int) (nodeEntry, int) {
	lp := n.lp
	e := nodeEntry{flagsPos: p, flags: rdb.LPGetInt(lp, p)}
	p = rdb.LPNext(lp, p)
	e.id.Ms = n.master.Ms + uint64(rdb.LPGetInt(lp, p))
	p = rdb.LPNext(lp, p)
	e.id.Seq = n.master.Seq + uint64(rdb.LPGetInt(lp, p))
	p = rdb.LPNext(lp, p)
	skip := 0
	if e.flags&rdb.StreamFlagSameFields != 0 {
		e.same, e.nfields = true, m.fields
		skip = m.fields
	} else {
		e.nfields = int(rdb.LPGetInt(lp, p))
		p = rdb.LPNext(lp, p)
		skip = 2 * e.nfields
	}
	e.pos = p
	for i := 0; i < skip; i++ {
		p = rdb.LPNext(lp, p)
	}
	return e, rdb.LPNext(lp, p) // p is lp-count
}

// StreamEntry is an entry as an iteration yields it; its slices are valid
// only during the callback.
type StreamEntry struct {
	ID StreamID
	KV [][]byte // field, value, field, value...
}

// entryKV fills kv with e's field/value pairs, formatting integers into *scratch.
func entryKV(n *streamNode, m *nodeMaster, e *nodeEntry, kv [][]byte, scratch *[]byte) [][]byte {
	lp := n.lp
	need := 2 * e.nfields * 20
	if cap(*scratch) < need {
		*scratch = make([]byte, 0, need)
	}
	buf := (*scratch)[:0]
	get := func(p int) []byte {
		str, v := rdb.LPGet(lp, p)
		if str != nil {
			return str
		}
		start := len(buf)
		buf = strconv.AppendInt(buf, v, 10)
		return buf[start:len(buf):len(buf)]
	}
	kv = kv[:0]
	p, f := e.pos, m.fieldPos
	for i := 0; i < e.nfields; i++ {
		if e.same {
			kv = append(kv, get(f), get(p))
			f = rdb.LPNext(lp, f)
			p = rdb.LPNext(lp, p)
		} else {
			kv = append(kv, get(p))
			p = rdb.LPNext(lp, p)
			kv = append(kv, get(p))
			p = rdb.LPNext(lp, p)
		}
	}
	return kv
}

// seekNode returns the index of the node that would hold id: the last one
// whose master is <= id, or 0.
func (s *Stream) seekNode(id StreamID) int {
	i, found := slices.BinarySearchFunc(s.nodes, id, func(n streamNode, id StreamID) int { return n.master.Compare(id) })
	if found {
		return i
	}
	return max(i-1, 0)
}

// Range calls fn with each live entry from start to end inclusive, in
// ascending order or, when rev, descending, until fn returns false.
func (s *Stream) Range(start, end StreamID, rev bool, fn func(e *StreamEntry) bool) {
	s.walk(start, end, rev, true, func(n *streamNode, m *nodeMaster, e *nodeEntry) bool {
		return fn(s.entryOf(n, m, e))
	})
}

// streamScratch holds what iterations hand to their callbacks, reused.
type streamScratch struct {
	kv  [][]byte
	buf []byte
	e   StreamEntry
}

// entryOf builds the StreamEntry of e in shared scratch (core runs one
// command at a time per store; the entry is only valid during a callback).
func (s *Stream) entryOf(n *streamNode, m *nodeMaster, e *nodeEntry) *StreamEntry {
	sc := &s.scratch
	sc.kv = entryKV(n, m, e, sc.kv, &sc.buf)
	sc.e = StreamEntry{ID: e.id, KV: sc.kv}
	return &sc.e
}

// walk visits the entries from start to end (tombstones too unless
// skipDeleted), with their node.
func (s *Stream) walk(start, end StreamID, rev, skipDeleted bool, fn func(n *streamNode, m *nodeMaster, e *nodeEntry) bool) {
	if len(s.nodes) == 0 || start.Compare(end) > 0 {
		return
	}
	if !rev {
		for i := s.seekNode(start); i < len(s.nodes); i++ {
			n := &s.nodes[i]
			if n.master.Compare(end) > 0 {
				return
			}
			m := readMaster(n.lp)
			for p := m.first; p >= 0; {
				var e nodeEntry
				e, p = readEntry(n, &m, p)
				if e.id.Compare(start) < 0 || (skipDeleted && e.flags&rdb.StreamFlagDeleted != 0) {
					continue
				}
				if e.id.Compare(end) > 0 {
					return
				}
				if !fn(n, &m, &e) {
					return
				}
			}
		}
		return
	}
	var entries []nodeEntry
	for i := s.seekNode(end); i >= 0; i-- {
		n := &s.nodes[i]
		m := readMaster(n.lp)
		entries = entries[:0]
		for p := m.first; p >= 0; {
			var e nodeEntry
			e, p = readEntry(n, &m, p)
			entries = append(entries, e)
		}
		for j := len(entries) - 1; j >= 0; j-- {
			e := &entries[j]
			if e.id.Compare(end) > 0 || (skipDeleted && e.flags&rdb.StreamFlagDeleted != 0) {
				continue
			}
			if e.id.Compare(start) < 0 {
				return
			}
			if !fn(n, &m, e) {
				return
			}
		}
	}
}

// Lookup calls fn with the live entry id, if there is one, and reports
// whether there was.
func (s *Stream) Lookup(id StreamID, fn func(e *StreamEntry)) bool {
	found := false
	s.Range(id, id, false, func(e *StreamEntry) bool {
		found = true
		if fn != nil {
			fn(e)
		}
		return false
	})
	return found
}

// EdgeID is streamGetEdgeID: the first (or last) entry's ID, tombstones
// included unless skipDeleted; with none, the largest ID (first) or 0-0.
func (s *Stream) EdgeID(first, skipDeleted bool) StreamID {
	var id StreamID
	found := false
	s.walk(StreamID{}, MaxStreamID, !first, skipDeleted, func(_ *streamNode, _ *nodeMaster, e *nodeEntry) bool {
		id, found = e.id, true
		return false
	})
	if !found && first {
		return MaxStreamID
	}
	return id
}

// LastValidID is the ID of the last live entry (0-0 when none).
func (s *Stream) LastValidID() StreamID { return s.EdgeID(false, true) }

// Delete removes the live entry id and reports whether there was one; it
// leaves FirstID and MaxDeletedID to the caller (XDEL's bookkeeping).
func (s *Stream) Delete(id StreamID) bool {
	if len(s.nodes) == 0 {
		return false
	}
	i := s.seekNode(id)
	n := &s.nodes[i]
	m := readMaster(n.lp)
	for p := m.first; p >= 0; {
		var e nodeEntry
		e, p = readEntry(n, &m, p)
		if e.id.Compare(id) > 0 {
			return false
		}
		if e.id != id || e.flags&rdb.StreamFlagDeleted != 0 {
			continue
		}
		n.lp = rdb.LPReplaceInt(n.lp, e.flagsPos, e.flags|rdb.StreamFlagDeleted)
		q := rdb.LPFirst(n.lp)
		if count := rdb.LPGetInt(n.lp, q); count == 1 {
			s.nodes = slices.Delete(s.nodes, i, i+1)
		} else {
			n.lp = rdb.LPReplaceInt(n.lp, q, count-1)
			q = rdb.LPNext(n.lp, q)
			n.lp = rdb.LPReplaceInt(n.lp, q, rdb.LPGetInt(n.lp, q)+1)
		}
		s.Length--
		return true
	}
	return false
}

// Trim strategies.
const (
	TrimNone = iota
	TrimMaxLen
	TrimMinID
)

// Trim removes entries from the head as streamTrim does: whole nodes while
// they go entirely, then (unless approx) entries of the next node flagged
// one by one. limit > 0 caps the entries removed. It returns how many went.
func (s *Stream) Trim(strategy int, maxLen int64, minID StreamID, approx bool, limit int64) int64 {
	if strategy == TrimNone {
		return 0
	}
	deleted := int64(0)
	for len(s.nodes) > 0 {
		if strategy == TrimMaxLen && s.Length <= uint64(maxLen) {
			break
		}
		n := &s.nodes[0]
		p := rdb.LPFirst(n.lp)
		entries := rdb.LPGetInt(n.lp, p)
		if limit > 0 && deleted+entries > limit {
			break
		}
		var remove bool
		if strategy == TrimMaxLen {
			remove = int64(s.Length)-entries >= maxLen
		} else {
			remove = s.nodeLastID(n).Compare(minID) < 0
		}
		if remove {
			s.nodes = slices.Delete(s.nodes, 0, 1)
			s.Length -= uint64(entries)
			deleted += entries
			continue
		}
		if approx {
			break
		}
		m := readMaster(n.lp)
		fromNode := int64(0)
		for q := m.first; q >= 0; {
			var e nodeEntry
			e, q = readEntry(n, &m, q)
			var stop bool
			if strategy == TrimMaxLen {
				stop = s.Length <= uint64(maxLen)
			} else {
				stop = e.id.Compare(minID) >= 0
			}
			if stop {
				break
			}
			if e.flags&rdb.StreamFlagDeleted == 0 {
				// Flags are 0..3: one byte either way, so q stays valid.
				n.lp = rdb.LPReplaceInt(n.lp, e.flagsPos, e.flags|rdb.StreamFlagDeleted)
				fromNode++
				s.Length--
			}
		}
		deleted += fromNode
		p = rdb.LPFirst(n.lp)
		n.lp = rdb.LPReplaceInt(n.lp, p, entries-fromNode)
		p = rdb.LPNext(n.lp, p)
		n.lp = rdb.LPReplaceInt(n.lp, p, rdb.LPGetInt(n.lp, p)+fromNode)
		break
	}
	if s.Length == 0 {
		s.FirstID = StreamID{}
	} else if deleted > 0 {
		s.FirstID = s.EdgeID(true, true)
	}
	return deleted
}

// nodeLastID is the ID of a node's last entry, tombstone or not.
func (s *Stream) nodeLastID(n *streamNode) StreamID {
	lp := n.lp
	p := rdb.LPLast(lp)
	c := rdb.LPGetInt(lp, p)
	if c == 0 {
		return n.master
	}
	for ; c > 0; c-- {
		p = rdb.LPPrev(lp, p)
	}
	p = rdb.LPNext(lp, p)
	id := n.master
	id.Ms += uint64(rdb.LPGetInt(lp, p))
	id.Seq += uint64(rdb.LPGetInt(lp, rdb.LPNext(lp, p)))
	return id
}

// RangeHasTombstones is streamRangeHasTombstones (end nil: to the end).
func (s *Stream) RangeHasTombstones(start StreamID, end *StreamID) bool {
	zero := StreamID{}
	if s.Length == 0 || s.MaxDeletedID == zero {
		return false
	}
	if s.FirstID.Compare(s.MaxDeletedID) > 0 {
		return false
	}
	e := MaxStreamID
	if end != nil {
		e = *end
	}
	return start.Compare(s.MaxDeletedID) <= 0 && s.MaxDeletedID.Compare(e) <= 0
}

// EstimateDistance is streamEstimateDistanceFromFirstEverEntry: id's
// logical read counter, or -1 when it cannot be known.
func (s *Stream) EstimateDistance(id StreamID) int64 {
	if s.EntriesAdded == 0 {
		return 0
	}
	if s.Length == 0 && id.Compare(s.LastID) < 1 {
		return int64(s.EntriesAdded)
	}
	switch c := id.Compare(s.LastID); {
	case c == 0:
		return int64(s.EntriesAdded)
	case c > 0:
		return -1
	}
	zero := StreamID{}
	if s.MaxDeletedID == zero || s.MaxDeletedID.Compare(s.FirstID) < 0 {
		switch id.Compare(s.FirstID) {
		case -1:
			return int64(s.EntriesAdded - s.Length)
		case 0:
			return int64(s.EntriesAdded - s.Length + 1)
		}
	}
	return -1
}

// Nodes is how many nodes (radix tree keys) the stream has.
func (s *Stream) Nodes() int { return len(s.nodes) }

// ListpackBytes is the total size of the nodes' listpacks.
func (s *Stream) ListpackBytes() int {
	t := 0
	for _, n := range s.nodes {
		t += len(n.lp)
	}
	return t
}

// toRDB describes the stream for the RDB encoder; the listpacks alias s.
func (s *Stream) toRDB() *rdb.Stream {
	r := &rdb.Stream{
		Length: s.Length, LastID: s.LastID, FirstID: s.FirstID,
		MaxDeletedID: s.MaxDeletedID, EntriesAdded: s.EntriesAdded,
		Nodes: make([]rdb.StreamNode, len(s.nodes)),
	}
	for i, n := range s.nodes {
		r.Nodes[i] = rdb.StreamNode{Master: n.master, LP: n.lp}
	}
	for _, g := range s.groups {
		r.Groups = append(r.Groups, g.toRDB())
	}
	return r
}

// streamFromRDB builds a stream from a decoded one, deriving what a Redis
// 5/6 file lacks as rdbLoadObject does.
func streamFromRDB(r *rdb.Stream) *Stream {
	s := &Stream{
		Length: r.Length, LastID: r.LastID, FirstID: r.FirstID,
		MaxDeletedID: r.MaxDeletedID, EntriesAdded: r.EntriesAdded,
		nodes: make([]streamNode, len(r.Nodes)),
	}
	for i, n := range r.Nodes {
		s.nodes[i] = streamNode{n.Master, n.LP}
	}
	if r.V1 {
		s.EntriesAdded = s.Length
		s.FirstID = s.EdgeID(true, true)
	}
	for _, rg := range r.Groups {
		g := groupFromRDB(&rg)
		if r.V1 {
			g.EntriesRead = s.EstimateDistance(g.LastID)
		}
		s.groups = append(s.groups, g)
	}
	sortNamed(s.groups)
	return s
}

func compareStrings(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// RadixTreeNodes is how many nodes Redis's radix tree of the stream's node
// keys has (XINFO STREAM's radix-tree-nodes): a rax keeps chains of single
// children in one compressed node, so its nodes are the root, each
// branching point's children and the leaves.
func (s *Stream) RadixTreeNodes() int {
	keys := make([][16]byte, len(s.nodes))
	for i, n := range s.nodes {
		copy(keys[i][:], rdbKey(n.master))
	}
	if len(keys) == 0 {
		return 1
	}
	return raxNodes(keys, 0)
}

func rdbKey(id StreamID) []byte {
	var b [16]byte
	binary.BigEndian.PutUint64(b[:], id.Ms)
	binary.BigEndian.PutUint64(b[8:], id.Seq)
	return b[:]
}

// raxNodes counts the nodes of the subtree at depth d holding keys (sorted,
// sharing their first d bytes).
func raxNodes(keys [][16]byte, d int) int {
	if d == 16 {
		return 1
	}
	l := d
	for l < 16 && keys[0][l] == keys[len(keys)-1][l] {
		l++
	}
	if l > d {
		return 1 + raxNodes(keys, l)
	}
	n := 1
	for i := 0; i < len(keys); {
		j := i + 1
		for j < len(keys) && keys[j][d] == keys[i][d] {
			j++
		}
		n += raxNodes(keys[i:j], d+1)
		i = j
	}
	return n
}

package rdb

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"

	"github.com/syncscope/syncscope/core/cstr"
)

// flushSize is how much output the Encoder gathers before writing.
const flushSize = 64 << 10

// Encoder writes an RDB file. Call Header, then Aux fields, then for each
// database SelectDB followed by its entries, then Finish. Errors are sticky:
// after the first, every call returns it.
type Encoder struct {
	w   io.Writer
	buf []byte
	crc uint64
	err error
	v   valueEncoder
}

// NewEncoder returns an Encoder that writes to w, buffering internally.
func NewEncoder(w io.Writer, opt Options) *Encoder {
	return &Encoder{w: w, buf: make([]byte, 0, flushSize+4096), v: valueEncoder{opt: opt}}
}

// Header writes the magic and version: "REDIS0010".
func (e *Encoder) Header() error {
	e.buf = fmt.Appendf(e.buf, "REDIS%04d", rdbVersion)
	return e.maybeFlush()
}

// Aux writes an AUX field, such as redis-ver or repl-offset.
func (e *Encoder) Aux(key, value string) error {
	e.buf = append(e.buf, opAux)
	e.buf = e.v.appendString(e.buf, []byte(key))
	e.buf = e.v.appendString(e.buf, []byte(value))
	return e.maybeFlush()
}

// SelectDB starts database db, with RESIZEDB hints of its key and expire counts.
func (e *Encoder) SelectDB(db int, keys, expires uint64) error {
	if db < 0 {
		return e.setErr(fmt.Errorf("rdb: database number %d is negative", db))
	}
	e.buf = appendLen(append(e.buf, opSelectDB), uint64(db))
	e.buf = appendLen(append(e.buf, opResizeDB), keys)
	e.buf = appendLen(e.buf, expires)
	return e.maybeFlush()
}

// Entry writes one key: its expiry when ExpireMs >= 0, then its type, key and
// value, encoded as Redis 7.0 would with the Encoder's Options. en.DB is not
// written: call SelectDB when the database changes.
func (e *Encoder) Entry(en *Entry) error {
	if e.err != nil {
		return e.err
	}
	if en.ExpireMs >= 0 {
		e.buf = binary.LittleEndian.AppendUint64(append(e.buf, opExpireTimeMs), uint64(en.ExpireMs))
	}
	b, err := e.v.appendObject(e.buf, en, true)
	if err != nil {
		return e.setErr(err)
	}
	e.buf = b
	return e.maybeFlush()
}

// Finish writes the EOF opcode and the checksum (zero when Options.Checksum
// is off) and flushes everything to the writer.
func (e *Encoder) Finish() error {
	if e.err != nil {
		return e.err
	}
	e.buf = append(e.buf, opEOF)
	if e.v.opt.Checksum {
		e.crc = CRC64(e.crc, e.buf)
		e.buf = binary.LittleEndian.AppendUint64(e.buf, e.crc)
	} else {
		e.buf = binary.LittleEndian.AppendUint64(e.buf, 0)
	}
	return e.write()
}

func (e *Encoder) setErr(err error) error {
	if e.err == nil {
		e.err = err
	}
	return e.err
}

func (e *Encoder) maybeFlush() error {
	if e.err != nil {
		return e.err
	}
	if len(e.buf) < flushSize {
		return nil
	}
	if e.v.opt.Checksum {
		e.crc = CRC64(e.crc, e.buf)
	}
	return e.write()
}

func (e *Encoder) write() error {
	_, err := e.w.Write(e.buf)
	e.buf = e.buf[:0]
	if err != nil {
		return e.setErr(fmt.Errorf("rdb: writing: %w", err))
	}
	return nil
}

// DumpPayload returns what DUMP returns for en's value: the value as RDB
// encodes it, the RDB version (2 bytes LE) and a CRC64 of all that. It
// panics if en.Kind is not one of the Kind constants.
func DumpPayload(en *Entry, opt Options) []byte {
	v := valueEncoder{opt: opt}
	b, err := v.appendObject(nil, en, false)
	if err != nil {
		panic(err)
	}
	b = binary.LittleEndian.AppendUint16(b, rdbVersion)
	return binary.LittleEndian.AppendUint64(b, CRC64(0, b))
}

// valueEncoder encodes values, reusing its buffers between calls.
type valueEncoder struct {
	opt   Options
	lzf   lzfCompressor
	lp    listpack
	comp  []byte // LZF output
	nodes []byte // encoded quicklist nodes
	blob  []byte // intset
	ints  []int64
	order []int
}

// appendLen writes an RDB length: 6, 14, 32 or 64 bits.
func appendLen(b []byte, n uint64) []byte {
	switch {
	case n < 1<<6:
		return append(b, byte(n))
	case n < 1<<14:
		return append(b, byte(n>>8)|0x40, byte(n))
	case n <= math.MaxUint32:
		return binary.BigEndian.AppendUint32(append(b, 0x80), uint32(n))
	default:
		return binary.BigEndian.AppendUint64(append(b, 0x81), n)
	}
}

// appendString writes s as rdbSaveRawString does: as an 8/16/32-bit integer
// when it is a short canonical integer, LZF-compressed when that saves at
// least 4 bytes of a string over 20 bytes, else raw.
func (v *valueEncoder) appendString(b, s []byte) []byte {
	n := len(s)
	if n <= 11 {
		if x, ok := cstr.String2ll(s); ok {
			switch {
			case x >= math.MinInt8 && x <= math.MaxInt8:
				return append(b, 0xc0|encInt8, byte(x))
			case x >= math.MinInt16 && x <= math.MaxInt16:
				return binary.LittleEndian.AppendUint16(append(b, 0xc0|encInt16), uint16(x))
			case x >= math.MinInt32 && x <= math.MaxInt32:
				return binary.LittleEndian.AppendUint32(append(b, 0xc0|encInt32), uint32(x))
			}
		}
	}
	if v.opt.Compression && n > 20 {
		c, ok := v.lzf.compress(v.comp[:0], s, n-4)
		v.comp = c
		if ok {
			b = appendLen(append(b, 0xc0|encLZF), uint64(len(c)))
			b = appendLen(b, uint64(n))
			return append(b, c...)
		}
	}
	return append(appendLen(b, uint64(n)), s...)
}

// appendObject writes en's RDB type, its key when withKey, and its value.
func (v *valueEncoder) appendObject(b []byte, en *Entry, withKey bool) ([]byte, error) {
	key := func(b []byte, t byte) []byte {
		b = append(b, t)
		if withKey {
			b = v.appendString(b, en.Key)
		}
		return b
	}
	switch en.Kind {
	case KindString:
		return v.appendString(key(b, typeString), en.Str), nil
	case KindList:
		return v.appendList(key(b, typeListQuicklist2), en.List, en.ListNodes), nil
	case KindSet:
		if v.intsetable(en.Set) {
			return v.appendString(key(b, typeSetIntset), v.intset()), nil
		}
		b = appendLen(key(b, typeSet), uint64(len(en.Set)))
		for _, m := range en.Set {
			b = v.appendString(b, m)
		}
		return b, nil
	case KindHash:
		if v.hashListpack(en.Hash) {
			v.lp.reset()
			for _, f := range en.Hash {
				v.lp.append(f.Field)
				v.lp.append(f.Value)
			}
			return v.appendString(key(b, typeHashListpack), v.lp.bytes()), nil
		}
		b = appendLen(key(b, typeHash), uint64(len(en.Hash)))
		for _, f := range en.Hash {
			b = v.appendString(b, f.Field)
			b = v.appendString(b, f.Value)
		}
		return b, nil
	case KindZSet:
		v.sortZSet(en.ZSet)
		if !en.ZSetSkiplist && v.zsetListpack(en.ZSet) {
			v.lp.reset()
			var num [32]byte
			for _, i := range v.order {
				v.lp.append(en.ZSet[i].Member)
				v.lp.append(appendScore(num[:0], en.ZSet[i].Score))
			}
			return v.appendString(key(b, typeZSetListpack), v.lp.bytes()), nil
		}
		// A skiplist is saved from its tail, highest score first.
		b = appendLen(key(b, typeZSet2), uint64(len(en.ZSet)))
		for i := len(v.order) - 1; i >= 0; i-- {
			z := &en.ZSet[v.order[i]]
			b = v.appendString(b, z.Member)
			b = binary.LittleEndian.AppendUint64(b, math.Float64bits(z.Score))
		}
		return b, nil
	case KindStream:
		return v.appendStream(key(b, typeStreamListpacks2), en.Stream), nil
	}
	return b, fmt.Errorf("rdb: entry %q has unknown kind %d", en.Key, en.Kind)
}

// Quicklist node limits (quicklist.c).
const (
	qlSizeSafetyLimit = 8192
	// QuicklistPackedThreshold is the element size from which an element
	// gets a plain node of its own.
	QuicklistPackedThreshold = 1 << 30
	qlFillMax                = 1<<15 - 1
	qlMinFill                = -5
	// qlEntryOverhead is Redis's overestimate of what a listpack entry adds
	// beyond its data (SIZE_ESTIMATE_OVERHEAD).
	qlEntryOverhead = 8
	// ListpackEmptySize is the size of a listpack without entries: its
	// header and terminator.
	ListpackEmptySize = lpHeaderSize + 1
)

var qlOptimizationLevel = [...]int{4096, 8192, 16384, 32768, 65536}

// PackedThreshold resolves a configured packed threshold (0 = default).
func PackedThreshold(n int) int {
	if n <= 0 {
		return QuicklistPackedThreshold
	}
	return n
}

// QuicklistFill clamps list-max-listpack-size as quicklistSetFill does.
func QuicklistFill(fill int) int { return min(max(fill, qlMinFill), qlFillMax) }

// qlSizeMeetsFill is _quicklistNodeSizeMeetsOptimizationRequirement: a
// negative (clamped) fill limits a node's bytes.
func qlSizeMeetsFill(sz, fill int) bool { return fill < 0 && sz <= qlOptimizationLevel[-fill-1] }

// QuicklistAllowInsert is _quicklistNodeAllowInsert in Redis 7.0.15: may an
// element of sz bytes join a packed node of nodeSize bytes holding count
// elements? An element of packed bytes or more gets a plain node instead.
// Negative fill limits the node's bytes; positive fill its count, with an
// 8 KB safety limit.
func QuicklistAllowInsert(fill, packed, nodeSize, count, sz int) bool {
	if sz >= packed {
		return false
	}
	newSize := nodeSize + sz + qlEntryOverhead
	if qlSizeMeetsFill(newSize, fill) {
		return true
	}
	return newSize <= qlSizeSafetyLimit && count < fill
}

// QuicklistAllowMerge is _quicklistNodeAllowMerge: may two packed nodes
// become one? Redis estimates the merged size with 11 bytes of overhead
// removed, not the listpack's real 7.
func QuicklistAllowMerge(fill, sizeA, countA, sizeB, countB int) bool {
	mergeSize := sizeA + sizeB - 11
	if qlSizeMeetsFill(mergeSize, fill) {
		return true
	}
	return mergeSize <= qlSizeSafetyLimit && countA+countB <= fill
}

// appendList writes a QUICKLIST_2 list with the node boundaries nodes gives
// (elements per node), or, when nodes is nil, as RPUSHes would have built it.
func (v *valueEncoder) appendList(b []byte, list [][]byte, nodes []int) []byte {
	fill := QuicklistFill(v.opt.ListMaxListpackSize)
	packed := PackedThreshold(v.opt.ListPackedThreshold)
	v.nodes = v.nodes[:0]
	count := 0
	open := false // v.lp holds a node still taking elements
	closeNode := func() {
		if open {
			v.nodes = v.appendString(append(v.nodes, qlNodePacked), v.lp.bytes())
			count++
			open = false
		}
	}
	if nodes != nil {
		i := 0
		for _, n := range nodes {
			if n == 1 && len(list[i]) >= packed {
				v.nodes = v.appendString(append(v.nodes, qlNodePlain), list[i])
				count++
				i++
				continue
			}
			v.lp.reset()
			for _, el := range list[i : i+n] {
				v.lp.append(el)
			}
			open = true
			closeNode()
			i += n
		}
		return append(appendLen(b, uint64(count)), v.nodes...)
	}
	for _, el := range list {
		if len(el) >= packed {
			closeNode()
			v.nodes = v.appendString(append(v.nodes, qlNodePlain), el)
			count++
			continue
		}
		if !open || !QuicklistAllowInsert(fill, packed, v.lp.size(), v.lp.count, len(el)) {
			closeNode()
			v.lp.reset()
			open = true
		}
		v.lp.append(el)
	}
	closeNode()
	return append(appendLen(b, uint64(count)), v.nodes...)
}

// intsetable reports whether a set is an intset in Redis 7.0, leaving its
// members sorted in v.ints.
func (v *valueEncoder) intsetable(set [][]byte) bool {
	if len(set) == 0 || len(set) > v.opt.SetMaxIntsetEntries {
		return false
	}
	v.ints = v.ints[:0]
	for _, m := range set {
		x, ok := cstr.String2ll(m)
		if !ok {
			return false
		}
		v.ints = append(v.ints, x)
	}
	slices.Sort(v.ints)
	return true
}

// intset encodes v.ints with the narrowest width that holds them all.
func (v *valueEncoder) intset() []byte {
	lo, hi := v.ints[0], v.ints[len(v.ints)-1]
	width := 2
	switch {
	case lo < math.MinInt32 || hi > math.MaxInt32:
		width = 8
	case lo < math.MinInt16 || hi > math.MaxInt16:
		width = 4
	}
	b := binary.LittleEndian.AppendUint32(v.blob[:0], uint32(width))
	b = binary.LittleEndian.AppendUint32(b, uint32(len(v.ints)))
	for _, x := range v.ints {
		switch width {
		case 2:
			b = binary.LittleEndian.AppendUint16(b, uint16(x))
		case 4:
			b = binary.LittleEndian.AppendUint32(b, uint32(x))
		default:
			b = binary.LittleEndian.AppendUint64(b, uint64(x))
		}
	}
	v.blob = b
	return b
}

func (v *valueEncoder) hashListpack(h []Field) bool {
	if len(h) > v.opt.HashMaxListpackEntries {
		return false
	}
	for _, f := range h {
		if len(f.Field) > v.opt.HashMaxListpackValue || len(f.Value) > v.opt.HashMaxListpackValue {
			return false
		}
	}
	return true
}

func (v *valueEncoder) zsetListpack(z []ZMember) bool {
	if len(z) > v.opt.ZSetMaxListpackEntries {
		return false
	}
	for _, m := range z {
		if len(m.Member) > v.opt.ZSetMaxListpackValue {
			return false
		}
	}
	return true
}

// sortZSet leaves in v.order the indexes of z by score, then member: the
// order of Redis's listpack and skiplist.
func (v *valueEncoder) sortZSet(z []ZMember) {
	v.order = v.order[:0]
	for i := range z {
		v.order = append(v.order, i)
	}
	slices.SortFunc(v.order, func(a, b int) int {
		switch sa, sb := z[a].Score, z[b].Score; {
		case sa < sb:
			return -1
		case sa > sb:
			return 1
		}
		return bytes.Compare(z[a].Member, z[b].Member)
	})
}

// appendScore formats a score as Redis's d2string does: integral values
// below 2^52 as integers, others (inf and nan too) with %.17g.
func appendScore(b []byte, f float64) []byte {
	switch {
	case f == 0:
		if math.Signbit(f) {
			return append(b, "-0"...)
		}
		return append(b, '0')
	case f > -4503599627370495 && f < 4503599627370496 && f == math.Trunc(f):
		return strconv.AppendInt(b, int64(f), 10)
	}
	return cstr.AppendG17(b, f)
}

package rdb

import (
	"bytes"
	"encoding/binary"
	"errors"
	"math"
	"slices"
	"strconv"
)

// AuxField is one AUX field of an RDB file (redis-ver, repl-id, ...).
type AuxField struct{ Key, Value string }

// Info is what an RDB file says about itself.
type Info struct {
	Version int
	Aux     []AuxField // in file order
}

// Get returns the value of the last aux field named key.
func (i Info) Get(key string) (string, bool) {
	for j := len(i.Aux) - 1; j >= 0; j-- {
		if i.Aux[j].Key == key {
			return i.Aux[j].Value, true
		}
	}
	return "", false
}

// Load decodes a whole RDB file and calls fn with each key in file order.
// The Entry and its element slices (List, ListNodes, Set, Hash, ZSet) are
// reused for the next key, so fn must not keep them past its return; the
// byte slices they hold (Key, Str, each element, field, value and member)
// are copies of their own that fn may keep. When the file
// carries a CRC64 it is verified at the end, so fn may already have seen
// entries of a file that then fails: a failed load must be discarded whole.
//
// Any corruption, truncation or content this package does not handle (streams,
// module values, functions, hashes with field expiry) is an *Error naming the
// byte offset and what was expected; nothing is skipped. Hints that carry no
// data (RESIZEDB, slot info, LRU idle time, LFU frequency) are read and
// dropped. An empty collection, which Redis skips with a warning, is passed to
// fn like any other key.
func Load(data []byte, fn func(*Entry) error) (Info, error) {
	return LoadHinted(data, fn, nil)
}

// LoadHinted is Load that also passes each RESIZEDB hint (the key and
// expire counts of the database about to be read) to hint, when not nil, so
// that the caller can size its tables once. The counts are the file's word,
// unchecked.
func LoadHinted(data []byte, fn func(*Entry) error, hint func(db int, keys, expires uint64)) (Info, error) {
	d := decoder{data: data}
	return d.load(fn, hint)
}

// load walks the file, calling fn with each key, hint with each RESIZEDB
// and, when d.note is set, d.note with each part of the file as it is read.
func (d *decoder) load(fn func(*Entry) error, hint func(db int, keys, expires uint64)) (Info, error) {
	data := d.data
	var info Info
	if len(data) < 9 {
		return info, d.fail(ErrTruncated, "expected the 9-byte header \"REDIS\" + 4-digit version")
	}
	if string(data[:5]) != "REDIS" {
		return info, d.fail(ErrCorrupt, "expected the signature \"REDIS\"")
	}
	d.pos = 5
	v, err := strconv.Atoi(string(data[5:9]))
	if err != nil || v < 0 {
		return info, d.fail(ErrCorrupt, "expected a 4-digit RDB version, found "+strconv.Quote(string(data[5:9])))
	}
	if v < 1 || v > maxReadVersion {
		return info, d.fail(ErrUnsupported, "RDB version "+strconv.Itoa(v)+" (this reader knows 1 to 12)")
	}
	info.Version = v
	d.pos = 9
	if d.note != nil {
		d.note(Span{Start: 0, End: 9, Kind: SpanHeader, Value: string(data[5:9]), N: int64(v)})
	}

	db, expire := 0, int64(-1)
	var en Entry // reused for every key: see fn's contract
	for {
		d.key, d.typ = nil, ""
		start := d.pos
		t, err := d.byte1("an opcode or value type")
		if err != nil {
			return info, err
		}
		switch t {
		case opEOF:
			if d.note == nil {
				return info, d.finish(v)
			}
			d.note(Span{Start: start, End: d.pos, Kind: SpanEOF, Op: t})
			err := d.finish(v)
			if v >= 5 && len(data) >= start+9 {
				sum := binary.LittleEndian.Uint64(data[start+1:])
				d.note(Span{Start: start + 1, End: start + 9, Kind: SpanChecksum, Value: fmt16(sum)})
			}
			return info, err
		case opSelectDB:
			n, err := d.length("the SELECTDB database number")
			if err != nil {
				return info, err
			}
			if n > math.MaxInt32 {
				d.pos = start
				return info, d.fail(ErrCorrupt, "database number "+strconv.FormatUint(n, 10)+" is out of range")
			}
			db = int(n)
			if d.note != nil {
				d.note(Span{Start: start, End: d.pos, Kind: SpanSelectDB, Op: t, N: int64(n)})
			}
		case opResizeDB:
			keys, err := d.length("the RESIZEDB key count")
			if err != nil {
				return info, err
			}
			expires, err := d.length("the RESIZEDB expire count")
			if err != nil {
				return info, err
			}
			if hint != nil {
				hint(db, keys, expires)
			}
			if d.note != nil {
				d.note(Span{Start: start, End: d.pos, Kind: SpanResizeDB, Op: t, N: int64(keys), M: int64(expires)})
			}
		case opSlotInfo:
			for _, what := range []string{"the slot id", "the slot size", "the slot expires size"} {
				if _, err := d.length(what); err != nil {
					return info, err
				}
			}
			if d.note != nil {
				d.note(Span{Start: start, End: d.pos, Kind: SpanSlotInfo, Op: t})
			}
		case opAux:
			k, err := d.str("an AUX field name")
			if err != nil {
				return info, err
			}
			key := string(k)
			val, err := d.str("an AUX field value")
			if err != nil {
				return info, err
			}
			info.Aux = append(info.Aux, AuxField{key, string(val)})
			if d.note != nil {
				d.note(Span{Start: start, End: d.pos, Kind: SpanAux, Op: t, Name: key, Value: string(val), Enc: encName(d.enc)})
			}
		case opExpireTimeMs:
			b, err := d.take(8, "an 8-byte expire time in ms")
			if err != nil {
				return info, err
			}
			expire = int64(binary.LittleEndian.Uint64(b))
			if d.note != nil {
				d.note(Span{Start: start, End: d.pos, Kind: SpanExpireMs, Op: t, N: expire})
			}
		case opExpireTime:
			b, err := d.take(4, "a 4-byte expire time in seconds")
			if err != nil {
				return info, err
			}
			expire = int64(int32(binary.LittleEndian.Uint32(b))) * 1000
			if d.note != nil {
				d.note(Span{Start: start, End: d.pos, Kind: SpanExpireS, Op: t, N: expire / 1000})
			}
		case opIdle:
			idle, err := d.length("the LRU idle time")
			if err != nil {
				return info, err
			}
			if d.note != nil {
				d.note(Span{Start: start, End: d.pos, Kind: SpanIdle, Op: t, N: int64(idle)})
			}
		case opFreq:
			freq, err := d.byte1("the LFU frequency")
			if err != nil {
				return info, err
			}
			if d.note != nil {
				d.note(Span{Start: start, End: d.pos, Kind: SpanFreq, Op: t, N: int64(freq)})
			}
		case opModuleAux:
			d.pos = start
			return info, d.fail(ErrUnsupported, "module auxiliary data (MODULE_AUX opcode 247): modules are not supported")
		case opFunction2, opFunctionPre:
			d.pos = start
			return info, d.fail(ErrUnsupported, "function library (FUNCTION opcode "+strconv.Itoa(int(t))+"): functions are not supported")
		default:
			if int(t) >= len(typeNames) || typeNames[t] == "" {
				d.pos = start
				return info, d.fail(ErrCorrupt, "expected an opcode or value type, found unknown type "+strconv.Itoa(int(t)))
			}
			d.rec = start
			if err := d.keyValue(t, &en); err != nil {
				return info, err
			}
			en.DB, en.ExpireMs = db, expire
			if d.note != nil {
				d.noteRecord(start, t, &en)
			}
			if err := fn(&en); err != nil {
				return info, err
			}
			expire = -1
		}
	}
}

// finish checks the checksum after the EOF opcode and that nothing follows it.
func (d *decoder) finish(version int) error {
	if version >= 5 {
		end := d.pos
		b, err := d.take(8, "the 8-byte CRC64 after EOF")
		if err != nil {
			return err
		}
		want := binary.LittleEndian.Uint64(b)
		if got := CRC64(0, d.data[:end]); want != 0 && got != want {
			d.pos = end
			return d.fail(ErrChecksum, "file says 0x"+strconv.FormatUint(want, 16)+", content gives 0x"+strconv.FormatUint(got, 16))
		}
	}
	if extra := len(d.data) - d.pos; extra > 0 {
		return d.fail(ErrCorrupt, strconv.Itoa(extra)+" bytes after the end of the file")
	}
	return nil
}

// ParsePayload decodes a DUMP payload as RESTORE does. A wrong version or
// checksum is an error matching ErrBadPayload; anything else wrong is "Bad
// data format" for RESTORE. The Entry has DB 0, no key and ExpireMs -1.
func ParsePayload(payload []byte) (*Entry, error) {
	d := decoder{data: payload}
	n := len(payload)
	if n < 10 {
		return nil, d.fail(ErrBadPayload, "payload of "+strconv.Itoa(n)+" bytes is shorter than its 10-byte footer")
	}
	if v := int(binary.LittleEndian.Uint16(payload[n-10:])); v > rdbVersion {
		d.pos = n - 10
		return nil, d.fail(ErrBadPayload, "RDB version "+strconv.Itoa(v)+" is newer than 10")
	}
	if want, got := binary.LittleEndian.Uint64(payload[n-8:]), CRC64(0, payload[:n-8]); want != got {
		d.pos = n - 8
		return nil, d.fail(ErrBadPayload, "checksum 0x"+strconv.FormatUint(want, 16)+" does not match the content's 0x"+strconv.FormatUint(got, 16))
	}
	d.data = payload[:n-10]
	d.rec = 0
	t, err := d.byte1("the value type")
	if err != nil {
		return nil, err
	}
	en := &Entry{ExpireMs: -1}
	if err := d.value(t, en); err != nil {
		return nil, err
	}
	if d.pos != len(d.data) {
		return nil, d.fail(ErrCorrupt, strconv.Itoa(len(d.data)-d.pos)+" bytes between the value and the footer")
	}
	return en, nil
}

// decoder reads one RDB file or payload from memory.
type decoder struct {
	data    []byte
	pos     int
	rec     int    // offset of the current key's type byte, for refusals
	key     []byte // for error messages
	typ     string // for error messages
	scratch []byte // int-encoded and decompressed strings, valid until the next read
	slab    []byte // backing store for small copied strings handed to fn
	slabLen int    // bytes of slab handed out: an int, so keep stores no pointer
	sorted  [][]byte
	nodes   []int // ListNodes' backing, reused across keys

	enc      int8       // how the last string read was stored (encRaw, encInt8, ...)
	note     func(Span) // Annotate's: each part of the file, as it is read
	valStart int        // where the current key's value starts
	keyEnc   int8       // how the current key was stored
}

func (d *decoder) fail(kind error, detail string) error {
	return &Error{Offset: d.pos, Key: d.key, Type: d.typ, Err: kind, Detail: detail}
}

// failAt reports a fault inside a blob that starts at file offset at.
func (d *decoder) failAt(at int, err error) error {
	var be *blobError
	if errors.As(err, &be) {
		return &Error{Offset: at, Key: d.key, Type: d.typ, Err: ErrCorrupt, Detail: be.Error()}
	}
	return err
}

func (d *decoder) take(n int, what string) ([]byte, error) {
	if n < 0 || len(d.data)-d.pos < n {
		return nil, d.fail(ErrTruncated, "expected "+what+" ("+strconv.Itoa(n)+" bytes), "+strconv.Itoa(len(d.data)-d.pos)+" left")
	}
	b := d.data[d.pos : d.pos+n : d.pos+n]
	d.pos += n
	return b, nil
}

func (d *decoder) byte1(what string) (byte, error) {
	if d.pos >= len(d.data) {
		return 0, d.fail(ErrTruncated, "expected "+what)
	}
	d.pos++
	return d.data[d.pos-1], nil
}

// rawLength reads a length; encoded is true for the 11xxxxxx special string
// encodings, whose kind is then returned as the length.
func (d *decoder) rawLength(what string) (n uint64, encoded bool, err error) {
	start := d.pos
	b, err := d.byte1(what)
	if err != nil {
		return 0, false, err
	}
	switch b >> 6 {
	case 0:
		return uint64(b & 0x3f), false, nil
	case 1:
		c, err := d.byte1(what)
		return uint64(b&0x3f)<<8 | uint64(c), false, err
	case 3:
		return uint64(b & 0x3f), true, nil
	}
	switch b {
	case 0x80:
		p, err := d.take(4, what)
		if err != nil {
			return 0, false, err
		}
		return uint64(binary.BigEndian.Uint32(p)), false, nil
	case 0x81:
		p, err := d.take(8, what)
		if err != nil {
			return 0, false, err
		}
		return binary.BigEndian.Uint64(p), false, nil
	}
	d.pos = start
	return 0, false, d.fail(ErrCorrupt, "expected "+what+", found unknown length encoding 0x"+strconv.FormatUint(uint64(b), 16))
}

func (d *decoder) length(what string) (uint64, error) {
	start := d.pos
	n, enc, err := d.rawLength(what)
	if err == nil && enc {
		d.pos = start
		err = d.fail(ErrCorrupt, "expected "+what+", found a string encoding")
	}
	return n, err
}

// count reads a collection length and checks that the rest of the data can
// hold that many items of at least minSize bytes, so a corrupt length never
// makes us allocate.
func (d *decoder) count(what string, minSize int) (int, error) {
	start := d.pos
	n, err := d.length(what)
	if err != nil {
		return 0, err
	}
	if n > uint64(len(d.data)-d.pos)/uint64(minSize) {
		d.pos = start
		return 0, d.fail(ErrCorrupt, what+" "+strconv.FormatUint(n, 10)+" is more than the remaining "+strconv.Itoa(len(d.data)-d.pos)+" bytes can hold")
	}
	return int(n), nil
}

// str reads a string in any encoding. The result aliases the input or the
// decoder's scratch buffer: copy it (keep) before the next read.
func (d *decoder) str(what string) ([]byte, error) {
	start := d.pos
	n, enc, err := d.rawLength(what)
	if err != nil {
		return nil, err
	}
	d.enc = encRaw
	if !enc {
		// Located, as redis-check-rdb locates it, at the value's first
		// byte, with the bytes left counted from there.
		if n > uint64(len(d.data)-d.pos) {
			return nil, d.fail(ErrTruncated, "expected "+what+" of "+strconv.FormatUint(n, 10)+" bytes, "+strconv.Itoa(len(d.data)-d.pos)+" left")
		}
		return d.take(int(n), what)
	}
	switch n {
	case encInt8, encInt16, encInt32:
		d.enc = int8(n)
		size := 1 << n
		b, err := d.take(size, what)
		if err != nil {
			return nil, err
		}
		var v int64
		switch size {
		case 1:
			v = int64(int8(b[0]))
		case 2:
			v = int64(int16(binary.LittleEndian.Uint16(b)))
		default:
			v = int64(int32(binary.LittleEndian.Uint32(b)))
		}
		d.scratch = strconv.AppendInt(d.scratch[:0], v, 10)
		return d.scratch, nil
	case encLZF:
		clen, err := d.length("an LZF compressed length")
		if err != nil {
			return nil, err
		}
		ulen, err := d.length("an LZF uncompressed length")
		if err != nil {
			return nil, err
		}
		if clen > uint64(len(d.data)-d.pos) {
			return nil, d.fail(ErrTruncated, "expected "+what+": "+strconv.FormatUint(clen, 10)+" LZF bytes, "+strconv.Itoa(len(d.data)-d.pos)+" left")
		}
		if ulen == 0 || ulen > clen*lzfMaxRatio {
			return nil, d.fail(ErrCorrupt, what+": LZF lengths "+strconv.FormatUint(clen, 10)+" -> "+strconv.FormatUint(ulen, 10)+" are impossible")
		}
		d.enc = encLZF
		at := d.pos
		c, _ := d.take(int(clen), what)
		d.scratch, err = lzfDecompress(d.scratch[:0], c, int(ulen))
		if err != nil {
			d.pos = at
			return nil, d.fail(ErrCorrupt, what+": invalid LZF compressed string")
		}
		return d.scratch, nil
	}
	d.pos = start
	return nil, d.fail(ErrCorrupt, "expected "+what+", found unknown string encoding "+strconv.FormatUint(n, 10))
}

// keep copies s out of the input so fn may hold it. Small strings share slabs.
func (d *decoder) keep(s []byte) []byte {
	n := len(s)
	if n == 0 {
		return []byte{}
	}
	if n > 512 {
		return bytes.Clone(s)
	}
	if len(d.slab)-d.slabLen < n {
		// Size slabs to what is left, so small inputs stay cheap.
		d.slab, d.slabLen = make([]byte, max(n, min(16<<10, len(d.data)-d.pos))), 0
	}
	start := d.slabLen
	d.slabLen += n
	copy(d.slab[start:], s)
	return d.slab[start:d.slabLen:d.slabLen]
}

func (d *decoder) keepStr(what string) ([]byte, error) {
	s, err := d.str(what)
	if err != nil {
		return nil, err
	}
	return d.keep(s), nil
}

// keepInt stores an integer element as its decimal string.
func (d *decoder) keepInt(v int64) []byte {
	var buf [20]byte
	return d.keep(strconv.AppendInt(buf[:0], v, 10))
}

func (d *decoder) keepElem(s []byte, v int64) []byte {
	if s == nil {
		return d.keepInt(v)
	}
	return d.keep(s)
}

// keyValue reads the key and value that follow value type t into en,
// reusing its element slices.
func (d *decoder) keyValue(t byte, en *Entry) error {
	d.typ = typeName(t)
	key, err := d.keepStr("the key")
	if err != nil {
		return err
	}
	d.key = key
	d.valStart, d.keyEnc = d.pos, d.enc
	// Field by field: reslicing in place stores no pointer, so this costs
	// fewer write barriers than assigning a whole Entry.
	en.Key, en.Kind, en.Str, en.ListNodes = key, 0, nil, nil
	en.List, en.Set, en.Hash, en.ZSet = en.List[:0], en.Set[:0], en.Hash[:0], en.ZSet[:0]
	return d.value(t, en)
}

// value reads a value of RDB type t into en.
func (d *decoder) value(t byte, en *Entry) error {
	d.typ = typeName(t)
	start := d.pos
	switch t {
	case typeString:
		en.Kind = KindString
		s, err := d.keepStr("the string value")
		en.Str = s
		return err
	case typeList, typeSet:
		n, err := d.count("the element count", 1)
		if err != nil {
			return err
		}
		items := en.Set
		if t == typeList {
			items = en.List
		}
		items = slices.Grow(items, n)[:n]
		for i := range items {
			if items[i], err = d.keepStr("an element"); err != nil {
				return err
			}
		}
		if t == typeList {
			en.Kind, en.List = KindList, items
			return nil
		}
		en.Kind, en.Set = KindSet, items
		return d.noSetDups(start, items)
	case typeZSet, typeZSet2:
		minSize := 2
		if t == typeZSet2 {
			minSize = 9
		}
		n, err := d.count("the member count", minSize)
		if err != nil {
			return err
		}
		zs := slices.Grow(en.ZSet, n)[:n]
		for i := range zs {
			if zs[i].Member, err = d.keepStr("a member"); err != nil {
				return err
			}
			if zs[i].Score, err = d.score(t == typeZSet2); err != nil {
				return err
			}
		}
		en.Kind, en.ZSet = KindZSet, zs
		return d.noZSetDups(start, zs)
	case typeHash:
		n, err := d.count("the field count", 2)
		if err != nil {
			return err
		}
		fs := slices.Grow(en.Hash, n)[:n]
		for i := range fs {
			if fs[i].Field, err = d.keepStr("a hash field"); err != nil {
				return err
			}
			if fs[i].Value, err = d.keepStr("a hash value"); err != nil {
				return err
			}
		}
		en.Kind, en.Hash = KindHash, fs
		return d.noHashDups(start, fs)
	case typeListQuicklist, typeListQuicklist2:
		return d.quicklist(t, en)
	case typeHashZipmap:
		return d.blob("the zipmap", func(b []byte) error {
			en.Kind = KindHash
			return walkZipmap(b, func(k, v []byte) error {
				en.Hash = append(en.Hash, Field{d.keep(k), d.keep(v)})
				return nil
			})
		}, func() error { return d.noHashDups(start, en.Hash) })
	case typeListZiplist:
		en.Kind = KindList
		return d.blob("the ziplist", func(b []byte) error {
			en.List = slices.Grow(en.List, packedLen(true, b))
			return walkZiplist(b, func(s []byte, v int64) error {
				en.List = append(en.List, d.keepElem(s, v))
				return nil
			})
		}, nil)
	case typeSetIntset:
		en.Kind = KindSet
		return d.blob("the intset", func(b []byte) error {
			if len(b) >= 8 {
				en.Set = slices.Grow(en.Set, min(int(binary.LittleEndian.Uint32(b[4:])), len(b)/2))
			}
			return walkIntset(b, func(v int64) { en.Set = append(en.Set, d.keepInt(v)) })
		}, nil)
	case typeSetListpack:
		en.Kind = KindSet
		return d.blob("the listpack", func(b []byte) error {
			en.Set = slices.Grow(en.Set, packedLen(false, b))
			return walkListpack(b, func(s []byte, v int64) error {
				en.Set = append(en.Set, d.keepElem(s, v))
				return nil
			})
		}, func() error { return d.noSetDups(start, en.Set) })
	case typeHashZiplist, typeHashListpack:
		en.Kind = KindHash
		var field []byte
		odd := false
		return d.blob("the "+blobKind(t), func(b []byte) error {
			en.Hash = slices.Grow(en.Hash, packedLen(t == typeHashZiplist, b)/2)
			err := walkPacked(t == typeHashZiplist, b, func(s []byte, v int64) error {
				if odd = !odd; odd {
					field = d.keepElem(s, v)
				} else {
					en.Hash = append(en.Hash, Field{field, d.keepElem(s, v)})
				}
				return nil
			})
			if err == nil && odd {
				err = blobErr(0, "odd number of elements for field/value pairs")
			}
			return err
		}, func() error { return d.noHashDups(start, en.Hash) })
	case typeZSetZiplist, typeZSetListpack:
		en.Kind = KindZSet
		var member []byte
		odd := false
		return d.blob("the "+blobKind(t), func(b []byte) error {
			en.ZSet = slices.Grow(en.ZSet, packedLen(t == typeZSetZiplist, b)/2)
			err := walkPacked(t == typeZSetZiplist, b, func(s []byte, v int64) error {
				if odd = !odd; odd {
					member = d.keepElem(s, v)
					return nil
				}
				score := float64(v)
				if s != nil {
					f, err := strconv.ParseFloat(string(s), 64)
					if err != nil || math.IsNaN(f) {
						return blobErr(0, "score "+strconv.Quote(string(s))+" is not a number")
					}
					score = f
				}
				en.ZSet = append(en.ZSet, ZMember{member, score})
				return nil
			})
			if err == nil && odd {
				err = blobErr(0, "odd number of elements for member/score pairs")
			}
			return err
		}, func() error { return d.noZSetDups(start, en.ZSet) })
	case typeModulePreGA, typeModule2:
		d.pos = d.rec
		return d.fail(ErrUnsupported, "module values are not supported")
	case typeStreamListpacks, typeStreamListpacks2, typeStreamListpacks3:
		d.pos = d.rec
		return d.fail(ErrUnsupported, "streams are not supported")
	case typeHashMetadataPre, typeHashListpackExPre, typeHashMetadata, typeHashListpackEx:
		d.pos = d.rec
		return d.fail(ErrUnsupported, "hashes with field expiry (Redis 7.4) are not supported")
	}
	d.pos = d.rec
	d.typ = ""
	return d.fail(ErrCorrupt, "expected a value type, found unknown type "+strconv.Itoa(int(t)))
}

func blobKind(t byte) string {
	if t == typeHashZiplist || t == typeZSetZiplist {
		return "ziplist"
	}
	return "listpack"
}

// packedLen is the element count a ziplist's or listpack's header claims,
// bounded by the blob's size so that a corrupt header cannot make the caller
// allocate much; 0 when the header does not know (65535) or is cut short.
func packedLen(ziplist bool, b []byte) int {
	at := 4 // listpack: total bytes, then the count
	if ziplist {
		at = 8 // ziplist: total bytes, tail offset, then the count
	}
	if len(b) < at+2 {
		return 0
	}
	n := int(binary.LittleEndian.Uint16(b[at:]))
	if n == zlLenUnknown {
		return 0
	}
	return min(n, len(b))
}

func walkPacked(ziplist bool, b []byte, fn func(s []byte, v int64) error) error {
	if ziplist {
		return walkZiplist(b, fn)
	}
	return walkListpack(b, fn)
}

// blob reads a string holding an encoded structure and walks it; check runs
// after a successful walk (duplicate detection) and reports at the value start.
func (d *decoder) blob(what string, walk func([]byte) error, check func() error) error {
	at := d.pos
	b, err := d.str(what)
	if err != nil {
		return err
	}
	if err := walk(b); err != nil {
		return d.failAt(at, err)
	}
	if check != nil {
		return check()
	}
	return nil
}

func (d *decoder) quicklist(t byte, en *Entry) error {
	en.Kind = KindList
	n, err := d.count("the quicklist node count", 2)
	if err != nil {
		return err
	}
	add := func(s []byte, v int64) error {
		en.List = append(en.List, d.keepElem(s, v))
		return nil
	}
	nodes := d.nodes[:0]
	for i := range n {
		container := uint64(qlNodePacked)
		if t == typeListQuicklist2 {
			at := d.pos
			if container, err = d.length("a quicklist node container"); err != nil {
				return err
			}
			if container != qlNodePlain && container != qlNodePacked {
				d.pos = at
				return d.fail(ErrCorrupt, "quicklist node "+strconv.Itoa(i)+" has unknown container "+strconv.FormatUint(container, 10))
			}
		}
		at := d.pos
		b, err := d.str("a quicklist node")
		if err != nil {
			return err
		}
		before := len(en.List)
		switch {
		case container == qlNodePlain:
			en.List = append(en.List, d.keep(b))
		case t == typeListQuicklist:
			en.List = slices.Grow(en.List, packedLen(true, b))
			err = walkZiplist(b, add)
		default:
			en.List = slices.Grow(en.List, packedLen(false, b))
			err = walkListpack(b, add)
		}
		if err != nil {
			return d.failAt(at, err)
		}
		// Redis skips an empty node when loading.
		if len(en.List) > before {
			nodes = append(nodes, len(en.List)-before)
		}
	}
	d.nodes = nodes
	if len(nodes) > 0 {
		en.ListNodes = nodes
	}
	return nil
}

// score reads a sorted-set score: binary (ZSET_2) or as a length-prefixed string.
func (d *decoder) score(binaryDouble bool) (float64, error) {
	at := d.pos
	var f float64
	if binaryDouble {
		b, err := d.take(8, "an 8-byte binary score")
		if err != nil {
			return 0, err
		}
		f = math.Float64frombits(binary.LittleEndian.Uint64(b))
	} else {
		n, err := d.byte1("the length of a score")
		if err != nil {
			return 0, err
		}
		switch n {
		case 253:
			f = math.NaN()
		case 254:
			f = math.Inf(1)
		case 255:
			f = math.Inf(-1)
		default:
			b, err := d.take(int(n), "a score")
			if err != nil {
				return 0, err
			}
			if f, err = strconv.ParseFloat(string(b), 64); err != nil {
				d.pos = at
				return 0, d.fail(ErrCorrupt, "score "+strconv.Quote(string(b))+" is not a number")
			}
		}
	}
	if math.IsNaN(f) {
		d.pos = at
		return 0, d.fail(ErrCorrupt, "score is NaN")
	}
	return f, nil
}

// noDups reports a duplicate among the n strings get returns, as Redis
// refuses them on load.
func (d *decoder) noDups(at int, what string, n int, get func(int) []byte) error {
	if n < 2 {
		return nil
	}
	var dup []byte
	found := false
	if n <= smallDups {
		dup, found = smallDup(n, get)
	} else {
		// Sorting a reused slice keeps this allocation-free.
		d.sorted = d.sorted[:0]
		for i := range n {
			d.sorted = append(d.sorted, get(i))
		}
		slices.SortFunc(d.sorted, bytes.Compare)
		for i := 1; i < n && !found; i++ {
			if bytes.Equal(d.sorted[i-1], d.sorted[i]) {
				dup, found = d.sorted[i], true
			}
		}
	}
	if found {
		d.pos = at
		return d.fail(ErrCorrupt, "duplicate "+what+" "+strconv.Quote(string(dup)))
	}
	return nil
}

// smallDups is the size up to which comparing every pair beats sorting.
const smallDups = 32

// smallDup finds a duplicate among n <= smallDups strings by comparing every
// pair, and returns the smallest duplicated one, as the sorted walk does. The
// pairs are compared by a fingerprint (length, first and last byte) held on
// the stack, which tells most distinct strings apart ("member:1",
// "member:2") without reading them again or storing a pointer; only pairs
// with equal fingerprints are compared in full.
func smallDup(n int, get func(int) []byte) (dup []byte, found bool) {
	var fp [smallDups]uint64
	for i := range n {
		s := get(i)
		f := uint64(len(s)) << 16
		if len(s) > 0 {
			f |= uint64(s[0])<<8 | uint64(s[len(s)-1])
		}
		fp[i] = f
	}
	for i := 1; i < n; i++ {
		for j := range i {
			if fp[i] != fp[j] {
				continue
			}
			if a := get(i); string(a) == string(get(j)) {
				if !found || bytes.Compare(a, dup) < 0 {
					dup, found = a, true
				}
				break
			}
		}
	}
	return dup, found
}

func (d *decoder) noSetDups(at int, items [][]byte) error {
	return d.noDups(at, "set member", len(items), func(i int) []byte { return items[i] })
}

func (d *decoder) noHashDups(at int, fs []Field) error {
	return d.noDups(at, "hash field", len(fs), func(i int) []byte { return fs[i].Field })
}

func (d *decoder) noZSetDups(at int, zs []ZMember) error {
	return d.noDups(at, "sorted set member", len(zs), func(i int) []byte { return zs[i].Member })
}

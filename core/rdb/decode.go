package rdb

import (
	"bytes"
	"encoding/binary"
	"errors"
	"math"
	"strconv"
)

// AuxField is one AUX field of an RDB file (redis-ver, repl-id, ...).
type AuxField struct{ Key, Value string }

// Info is what an RDB file says about itself.
type Info struct {
	Version int
	Aux     []AuxField // in file order
	// Functions are the FUNCTION libraries' code (RDB_OPCODE_FUNCTION2),
	// in file order.
	Functions [][]byte
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
// module values, pre-7.0 functions, hashes with field expiry) is an *Error naming the
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
			d.noteOp(start, t, SpanSelectDB, int64(n), 0)
		case opResizeDB:
			keys, expires, err := d.twoLengths("the RESIZEDB key count", "the RESIZEDB expire count")
			if err != nil {
				return info, err
			}
			if hint != nil {
				hint(db, keys, expires)
			}
			d.noteOp(start, t, SpanResizeDB, int64(keys), int64(expires))
		case opSlotInfo:
			for _, what := range []string{"the slot id", "the slot size", "the slot expires size"} {
				if _, err := d.length(what); err != nil {
					return info, err
				}
			}
			d.noteOp(start, t, SpanSlotInfo, 0, 0)
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
			d.noteOp(start, t, SpanExpireMs, expire, 0)
		case opExpireTime:
			b, err := d.take(4, "a 4-byte expire time in seconds")
			if err != nil {
				return info, err
			}
			expire = int64(int32(binary.LittleEndian.Uint32(b))) * 1000
			d.noteOp(start, t, SpanExpireS, expire/1000, 0)
		case opIdle:
			idle, err := d.length("the LRU idle time")
			if err != nil {
				return info, err
			}
			d.noteOp(start, t, SpanIdle, int64(idle), 0)
		case opFreq:
			freq, err := d.byte1("the LFU frequency")
			if err != nil {
				return info, err
			}
			d.noteOp(start, t, SpanFreq, int64(freq), 0)
		case opModuleAux:
			d.pos = start
			return info, d.fail(ErrUnsupported, "module auxiliary data (MODULE_AUX opcode 247): modules are not supported")
		case opFunction2:
			code, err := d.str("the function library's code")
			if err != nil {
				return info, err
			}
			info.Functions = append(info.Functions, append([]byte(nil), code...))
			if d.note != nil {
				d.note(Span{Start: start, End: d.pos, Kind: SpanFunction, Op: t, Value: string(code)})
			}
		case opFunctionPre:
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

// twoLengths reads two lengths in a row, first then second.
func (d *decoder) twoLengths(first, second string) (a, b uint64, err error) {
	if a, err = d.length(first); err == nil {
		b, err = d.length(second)
	}
	return a, b, err
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
		clen, ulen, err := d.twoLengths("an LZF compressed length", "an LZF uncompressed length")
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
	en.Key, en.Kind, en.Str, en.ListNodes, en.Stream = key, 0, nil, nil, nil
	en.List, en.Set, en.Hash, en.ZSet = en.List[:0], en.Set[:0], en.Hash[:0], en.ZSet[:0]
	return d.value(t, en)
}

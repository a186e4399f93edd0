package rdb

import "strconv"

// SpanKind says what part of an RDB file a Span is.
type SpanKind string

// The parts of an RDB file, in the order a file holds them.
const (
	SpanHeader   SpanKind = "header"    // "REDIS" and the 4-digit version (Value; N as a number)
	SpanAux      SpanKind = "aux"       // AUX field: Name = Value
	SpanSelectDB SpanKind = "selectdb"  // SELECTDB: database N
	SpanResizeDB SpanKind = "resizedb"  // RESIZEDB: N keys, M of them with an expiry
	SpanSlotInfo SpanKind = "slotinfo"  // cluster slot info
	SpanFunction SpanKind = "function"  // a FUNCTION library: its code (Value)
	SpanExpireMs SpanKind = "expire-ms" // the next key expires at N (unix ms)
	SpanExpireS  SpanKind = "expire-s"  // the next key expires at N (unix s)
	SpanIdle     SpanKind = "idle"      // the next key's LRU idle time, N seconds
	SpanFreq     SpanKind = "freq"      // the next key's LFU counter, N
	SpanType     SpanKind = "type"      // the value type byte (Op) that starts a key
	SpanKey      SpanKind = "key"       // the key (Name)
	SpanValue    SpanKind = "value"     // the value: a string's Value, or N elements
	SpanEOF      SpanKind = "eof"       // the EOF opcode
	SpanChecksum SpanKind = "checksum"  // the CRC64 after EOF (Value, 16 hex digits)
)

// maxSpanValue bounds the bytes of a string a Span carries: the page shows
// the start of a long value, not all of it.
const maxSpanValue = 64

// encRaw marks a string stored as its bytes (the other encodings are
// encInt8 .. encLZF).
const encRaw = -1

// Span is one part of an RDB file as Annotate reads it: the bytes
// [Start, End), what they are and what they say.
type Span struct {
	Start int      `json:"start"`
	End   int      `json:"end"`
	Kind  SpanKind `json:"kind"`
	// Op is the opcode or value type byte the part starts with (0 for the
	// header, a key, a value and the checksum).
	Op byte `json:"op,omitempty"`
	// Type is the value type's name (redis-check-rdb's), for SpanType and
	// SpanValue.
	Type string `json:"type,omitempty"`
	// Name is an AUX field's name or a key; Value an AUX field's value, the
	// header's version or a string value: at most maxSpanValue bytes of it,
	// whose full length is Len.
	Name  string `json:"name,omitempty"`
	Value string `json:"value,omitempty"`
	Len   int    `json:"len,omitempty"`
	// Enc is how the string (the AUX value, key or string value) was
	// stored: raw, int8, int16, int32 or lzf.
	Enc string `json:"enc,omitempty"`
	// N and M are the part's numbers (see the kinds).
	N int64 `json:"n,omitempty"`
	M int64 `json:"m,omitempty"`
}

// Annotate splits an RDB file into its parts, in file order, decoding each
// as Load does (the same code reads them). On a file Load refuses, it
// returns the parts read before the fault and Load's error, whose Offset
// is where reading stopped.
func Annotate(data []byte) ([]Span, error) {
	var spans []Span
	d := decoder{data: data, note: func(s Span) { spans = append(spans, s) }}
	_, err := d.load(func(*Entry) error { return nil }, nil)
	return spans, err
}

// noteRecord reports a key's three parts: type byte, key, value.
func (d *decoder) noteRecord(start int, t byte, en *Entry) {
	name := typeName(t)
	d.note(Span{Start: start, End: start + 1, Kind: SpanType, Op: t, Type: name})
	key, keyLen := cut(en.Key)
	d.note(Span{Start: start + 1, End: d.valStart, Kind: SpanKey, Name: key, Len: keyLen, Enc: encName(d.keyEnc)})
	v := Span{Start: d.valStart, End: d.pos, Kind: SpanValue, Type: name}
	switch en.Kind {
	case KindString:
		v.Value, v.Len = cut(en.Str)
		v.Enc = encName(d.enc)
	case KindList:
		v.N = int64(len(en.List))
		v.M = int64(len(en.ListNodes))
	case KindSet:
		v.N = int64(len(en.Set))
	case KindZSet:
		v.N = int64(len(en.ZSet))
	case KindHash:
		v.N = int64(len(en.Hash))
	case KindStream:
		v.N = int64(en.Stream.Length)
	}
	d.note(v)
}

// cut returns the first maxSpanValue bytes of s, and its length.
func cut(s []byte) (string, int) {
	return string(s[:min(len(s), maxSpanValue)]), len(s)
}

func encName(enc int8) string {
	switch enc {
	case encRaw:
		return "raw"
	case encInt8, encInt16, encInt32:
		return "int" + strconv.Itoa(8<<enc)
	case encLZF:
		return "lzf"
	}
	return ""
}

// fmt16 is sum as 16 hex digits.
func fmt16(sum uint64) string {
	h := strconv.FormatUint(sum, 16)
	for len(h) < 16 {
		h = "0" + h
	}
	return h
}

// noteOp reports an opcode's part (start to here) with its numbers, when
// something takes notes.
func (d *decoder) noteOp(start int, t byte, kind SpanKind, n, m int64) {
	if d.note != nil {
		d.note(Span{Start: start, End: d.pos, Kind: kind, Op: t, N: n, M: m})
	}
}

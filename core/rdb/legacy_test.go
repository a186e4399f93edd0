package rdb

import (
	"bytes"
	"encoding/binary"
	"errors"
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// Test-only builders for the encodings Redis 7.0 reads but no longer writes,
// written from the format descriptions in ziplist.c, zipmap.c, intset.c and
// rdb.c (not from Redis's output).

// rdbFile assembles an RDB file by hand.
type rdbFile struct{ bytes.Buffer }

func newRDB(version int) *rdbFile {
	f := &rdbFile{}
	f.WriteString("REDIS" + strings.Repeat("0", 4-len(strconv.Itoa(version))) + strconv.Itoa(version))
	return f
}

func (f *rdbFile) op(b ...byte) *rdbFile { f.Write(b); return f }
func (f *rdbFile) length(n uint64) *rdbFile {
	f.Write(appendLen(nil, n))
	return f
}

// str writes a raw length-prefixed string.
func (f *rdbFile) str(s string) *rdbFile { return f.length(uint64(len(s))).op([]byte(s)...) }

// key writes a value type and a key.
func (f *rdbFile) key(t byte, k string) *rdbFile { return f.op(t).str(k) }

// end writes EOF and, from version 5 on, the CRC64.
func (f *rdbFile) end(version int) []byte {
	f.WriteByte(opEOF)
	if version >= 5 {
		f.Write(binary.LittleEndian.AppendUint64(nil, CRC64(0, f.Bytes())))
	}
	return f.Bytes()
}

// ziplist builds a ziplist of strings and int64s, each integer in the
// smallest encoding ziplist.c would pick.
func ziplist(elems ...any) []byte {
	var body []byte
	prev, last := 0, zlHeaderSize
	for _, el := range elems {
		start := len(body)
		last = zlHeaderSize + start
		if prev < zlBigPrevLen {
			body = append(body, byte(prev))
		} else {
			body = binary.LittleEndian.AppendUint32(append(body, zlBigPrevLen), uint32(prev))
		}
		switch v := el.(type) {
		case string:
			switch n := len(v); {
			case n < 1<<6:
				body = append(body, byte(n))
			case n < 1<<14:
				body = append(body, byte(n>>8)|0x40, byte(n))
			default:
				body = binary.BigEndian.AppendUint32(append(body, 0x80), uint32(n))
			}
			body = append(body, v...)
		case int64:
			switch {
			case v >= 0 && v <= 12:
				body = append(body, 0xf1+byte(v))
			case v >= math.MinInt8 && v <= math.MaxInt8:
				body = append(body, 0xfe, byte(v))
			case v >= math.MinInt16 && v <= math.MaxInt16:
				body = binary.LittleEndian.AppendUint16(append(body, 0xc0), uint16(v))
			case v >= -1<<23 && v < 1<<23:
				body = append(body, 0xf0, byte(v), byte(v>>8), byte(v>>16))
			case v >= math.MinInt32 && v <= math.MaxInt32:
				body = binary.LittleEndian.AppendUint32(append(body, 0xd0), uint32(v))
			default:
				body = binary.LittleEndian.AppendUint64(append(body, 0xe0), uint64(v))
			}
		}
		prev = len(body) - start
	}
	zl := binary.LittleEndian.AppendUint32(nil, uint32(zlHeaderSize+len(body)+1))
	zl = binary.LittleEndian.AppendUint32(zl, uint32(last))
	zl = binary.LittleEndian.AppendUint16(zl, uint16(len(elems)))
	return append(append(zl, body...), zlEnd)
}

// zipmap builds a zipmap of key/value pairs, with free bytes after values.
func zipmap(pairs ...string) []byte {
	zm := []byte{byte(len(pairs) / 2)}
	l := func(n int) {
		if n < zmBigLen {
			zm = append(zm, byte(n))
		} else {
			zm = binary.LittleEndian.AppendUint32(append(zm, zmBigLen), uint32(n))
		}
	}
	for i := 0; i < len(pairs); i += 2 {
		l(len(pairs[i]))
		zm = append(zm, pairs[i]...)
		l(len(pairs[i+1]))
		zm = append(zm, 2) // two free bytes, as after an update shrank the value
		zm = append(zm, pairs[i+1]...)
		zm = append(zm, 0, 0)
	}
	return append(zm, zmEnd)
}

func intsetBlob(width int, vals ...int64) []byte {
	b := binary.LittleEndian.AppendUint32(nil, uint32(width))
	b = binary.LittleEndian.AppendUint32(b, uint32(len(vals)))
	for _, v := range vals {
		b = binary.LittleEndian.AppendUint64(b, uint64(v))[:len(b)+width]
	}
	return b
}

func strs(ss ...string) [][]byte {
	out := make([][]byte, len(ss))
	for i, s := range ss {
		out[i] = []byte(s)
	}
	return out
}

func TestLoadLegacyEncodings(t *testing.T) {
	long := strings.Repeat("L", 300) // forces 5-byte prevlens and 14-bit lengths
	f := newRDB(6)
	f.op(opSelectDB).length(0)
	f.op(opExpireTime).op(binary.LittleEndian.AppendUint32(nil, 2000000000)...)
	f.key(typeHashZipmap, "zipmap").str(string(zipmap("a", "1", "field", "value", long, "x")))
	f.key(typeListZiplist, "ziplist").str(string(ziplist(int64(1), "two", int64(-300), int64(1)<<40, int64(12), int64(13),
		int64(70000), int64(-8388608), int64(-2147483648), long, "after")))
	f.key(typeSetIntset, "intset").str(string(intsetBlob(2, -3, 1, 2)))
	f.key(typeSetIntset, "intset64").str(string(intsetBlob(8, math.MinInt64, 0, math.MaxInt64)))
	f.key(typeZSetZiplist, "zset-ziplist").str(string(ziplist("a", int64(1), "b", "2.5", "c", "-inf")))
	f.key(typeHashZiplist, "hash-ziplist").str(string(ziplist("f", "v", "n", int64(7))))
	f.key(typeList, "linked").length(2).str("x").op(0xc0, 0xfb) // int8 -5
	f.key(typeSet, "set").length(2).str("m1").str("m2")
	f.key(typeZSet, "zset-v1").length(3).str("p").op(3).op([]byte("1.5")...).str("q").op(254).str("r").op(255)
	f.key(typeHash, "hash").length(1).str("k").str("v")
	f.op(opSelectDB).length(3)
	f.key(typeString, "db3").op(0xc1, 0x39, 0x30) // int16 12345
	data := f.end(6)

	info, es := loadAll(t, data)
	require.Equal(t, 6, info.Version)
	want := []*Entry{
		{Key: []byte("zipmap"), ExpireMs: 2000000000000, Kind: KindHash, Hash: []Field{{[]byte("a"), []byte("1")}, {[]byte("field"), []byte("value")}, {[]byte(long), []byte("x")}}},
		{Key: []byte("ziplist"), ExpireMs: -1, Kind: KindList, List: strs("1", "two", "-300", "1099511627776", "12", "13", "70000", "-8388608", "-2147483648", long, "after")},
		{Key: []byte("intset"), ExpireMs: -1, Kind: KindSet, Set: strs("-3", "1", "2")},
		{Key: []byte("intset64"), ExpireMs: -1, Kind: KindSet, Set: strs("-9223372036854775808", "0", "9223372036854775807")},
		{Key: []byte("zset-ziplist"), ExpireMs: -1, Kind: KindZSet, ZSet: []ZMember{{[]byte("a"), 1}, {[]byte("b"), 2.5}, {[]byte("c"), math.Inf(-1)}}},
		{Key: []byte("hash-ziplist"), ExpireMs: -1, Kind: KindHash, Hash: []Field{{[]byte("f"), []byte("v")}, {[]byte("n"), []byte("7")}}},
		{Key: []byte("linked"), ExpireMs: -1, Kind: KindList, List: strs("x", "-5")},
		{Key: []byte("set"), ExpireMs: -1, Kind: KindSet, Set: strs("m1", "m2")},
		{Key: []byte("zset-v1"), ExpireMs: -1, Kind: KindZSet, ZSet: []ZMember{{[]byte("p"), 1.5}, {[]byte("q"), math.Inf(1)}, {[]byte("r"), math.Inf(-1)}}},
		{Key: []byte("hash"), ExpireMs: -1, Kind: KindHash, Hash: []Field{{[]byte("k"), []byte("v")}}},
		{DB: 3, Key: []byte("db3"), ExpireMs: -1, Kind: KindString, Str: []byte("12345")},
	}
	require.Equal(t, want, es)
}

func TestLoadQuicklists(t *testing.T) {
	// Version 7 (Redis 4-6): quicklist of ziplists.
	f := newRDB(7)
	f.op(opAux).str("redis-ver").str("6.2.14")
	f.op(opSelectDB).length(0).op(opResizeDB).length(1).length(0)
	f.key(typeListQuicklist, "ql").length(2).str(string(ziplist("a", int64(1)))).str(string(ziplist("b")))
	_, es := loadAll(t, f.end(7))
	require.Equal(t, strs("a", "1", "b"), es[0].List)

	// Version 11 (Redis 7.2): quicklist 2 with plain and packed nodes, set
	// listpack, LRU/LFU hints and a slot-info opcode.
	f = newRDB(11)
	f.op(opSelectDB).length(0).op(opSlotInfo).length(5).length(2).length(0)
	f.op(opIdle).length(1000)
	f.key(typeListQuicklist2, "ql2").length(3).length(qlNodePacked).str(lp("a", "-7")).length(qlNodePlain).str("plain").length(qlNodePacked).str(lp())
	f.op(opFreq).op(5)
	f.key(typeSetListpack, "setlp").str(lp("x", "42", "y"))
	info, es := loadAll(t, f.end(11))
	require.Equal(t, 11, info.Version)
	require.Equal(t, strs("a", "-7", "plain"), es[0].List)
	require.Equal(t, strs("x", "42", "y"), es[1].Set)

	// Version 3 has no checksum after EOF.
	f = newRDB(3)
	f.op(opSelectDB).length(0).key(typeString, "k").str("v")
	_, es = loadAll(t, f.end(3))
	require.Equal(t, []byte("v"), es[0].Str)
}

func TestLoadRefusesUnsupported(t *testing.T) {
	for _, tc := range []struct {
		name    string
		build   func(f *rdbFile)
		message []string
	}{
		{"module", func(f *rdbFile) { f.key(typeModule2, "mod").length(12345) }, []string{`key "mod"`, "module-value", "module"}},
		{"module-pre-ga", func(f *rdbFile) { f.key(typeModulePreGA, "old") }, []string{`key "old"`, "module-pre-release"}},
		{"hash-field-expiry", func(f *rdbFile) { f.key(typeHashListpackEx, "hfe") }, []string{`key "hfe"`, "hash-listpack-md", "field expiry"}},
		{"module-aux", func(f *rdbFile) { f.op(opModuleAux) }, []string{"MODULE_AUX"}},
		{"function-pre-ga", func(f *rdbFile) { f.op(opFunctionPre) }, []string{"FUNCTION opcode 246"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newRDB(10)
			f.op(opSelectDB).length(0)
			at := f.Len()
			tc.build(f)
			_, err := Load(f.end(10), func(*Entry) error { return nil })
			require.ErrorIs(t, err, ErrUnsupported)
			var re *Error
			require.True(t, errors.As(err, &re))
			require.Equal(t, at, re.Offset)
			require.Contains(t, err.Error(), "at byte "+strconv.Itoa(at))
			for _, m := range tc.message {
				require.Contains(t, err.Error(), m)
			}
		})
	}
}

func TestLoadRejects(t *testing.T) {
	badBacklen := []byte(lp("abc"))
	badBacklen[len(badBacklen)-2]++
	for _, tc := range []struct {
		name  string
		data  []byte
		is    error
		inMsg string
	}{
		{"empty", nil, ErrTruncated, "header"},
		{"signature", []byte("RADIS0010"), ErrCorrupt, "signature"},
		{"version", []byte("REDIS0013"), ErrUnsupported, "RDB version 13"},
		{"version digits", []byte("REDIS00x1"), ErrCorrupt, "4-digit"},
		{"no eof", newRDB(10).Bytes(), ErrTruncated, "opcode"},
		{"unknown type", newRDB(10).op(30).end(10), ErrCorrupt, "unknown type 30"},
		{"checksum", func() []byte { b := newRDB(10).end(10); b[len(b)-1] ^= 1; return b }(), ErrChecksum, "file says"},
		{"trailing", append(newRDB(10).end(10), 0), ErrCorrupt, "1 bytes after the end"},
		{"huge count", newRDB(10).key(typeList, "l").op(0x81, 0x7f, 0, 0, 0, 0, 0, 0, 0).end(10), ErrCorrupt, "element count"},
		{"huge string", newRDB(10).key(typeString, "s").op(0x80, 0x7f, 0, 0, 0).end(10), ErrTruncated, "string value"},
		{"lzf ratio", newRDB(10).key(typeString, "s").op(0xc3, 1, 0x80, 0x7f, 0, 0, 0, 0).end(10), ErrCorrupt, "LZF lengths"},
		{"lzf data", newRDB(10).key(typeString, "s").op(0xc3, 2, 5, 1, 'a').end(10), ErrCorrupt, "invalid LZF"},
		{"string encoding", newRDB(10).key(typeString, "s").op(0xc4).end(10), ErrCorrupt, "unknown string encoding"},
		{"length encoding", newRDB(10).key(typeString, "s").op(0x82).end(10), ErrCorrupt, "unknown length encoding"},
		{"dup set", newRDB(10).key(typeSet, "s").length(2).str("a").str("a").end(10), ErrCorrupt, `duplicate set member "a"`},
		{"dup hash", newRDB(10).key(typeHashListpack, "h").str(lp("f", "1", "f", "2")).end(10), ErrCorrupt, "duplicate hash field"},
		{"dup zset", newRDB(10).key(typeZSet2, "z").length(2).str("m").op(make([]byte, 8)...).str("m").op(make([]byte, 8)...).end(10), ErrCorrupt, "duplicate sorted set member"},
		{"odd hash", newRDB(10).key(typeHashListpack, "h").str(lp("f")).end(10), ErrCorrupt, "odd number"},
		{"nan score", newRDB(10).key(typeZSet, "z").length(1).str("m").op(253).end(10), ErrCorrupt, "NaN"},
		{"bad score", newRDB(10).key(typeZSetListpack, "z").str(lp("m", "abc")).end(10), ErrCorrupt, "not a number"},
		{"backlen", newRDB(10).key(typeSetListpack, "s").str(string(badBacklen)).end(10), ErrCorrupt, "backlen"},
		{"listpack size", newRDB(10).key(typeSetListpack, "s").str(lp("a") + "x").end(10), ErrCorrupt, "listpack header says"},
		{"intset order", newRDB(10).key(typeSetIntset, "s").str(string(intsetBlob(2, 2, 1))).end(10), ErrCorrupt, "sorted"},
		{"intset empty", newRDB(10).key(typeSetIntset, "s").str(string(intsetBlob(2))).end(10), ErrCorrupt, "empty intset"},
		{"intset width", newRDB(10).key(typeSetIntset, "s").str(string(intsetBlob(3, 1))).end(10), ErrCorrupt, "encoding 3"},
		{"ziplist tail", newRDB(10).key(typeListZiplist, "l").str(string(func() []byte { z := ziplist("a", "b"); z[4]++; return z }())).end(10), ErrCorrupt, "tail offset"},
		{"ziplist prevlen", newRDB(10).key(typeListZiplist, "l").str(string(func() []byte { z := ziplist("a", "b"); z[13]++; return z }())).end(10), ErrCorrupt, "prevlen"},
		{"zipmap count", newRDB(10).key(typeHashZipmap, "h").str(string(func() []byte { z := zipmap("a", "b"); z[0] = 2; return z }())).end(10), ErrCorrupt, "zipmap header counts"},
		{"quicklist container", newRDB(10).key(typeListQuicklist2, "l").length(1).length(3).str("x").end(10), ErrCorrupt, "unknown container 3"},
		{"selectdb", newRDB(10).op(opSelectDB).op(0x81, 1, 0, 0, 0, 0, 0, 0, 0).end(10), ErrCorrupt, "database number"},
		{"expire", newRDB(10).op(opExpireTimeMs, 1, 2).Bytes(), ErrTruncated, "expire time"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			called := false
			_, err := Load(tc.data, func(*Entry) error { called = true; return nil })
			require.ErrorIs(t, err, tc.is)
			require.ErrorContains(t, err, tc.inMsg)
			var re *Error
			require.True(t, errors.As(err, &re))
			require.LessOrEqual(t, re.Offset, len(tc.data))
			require.False(t, called && !errors.Is(err, ErrChecksum) && !errors.Is(err, ErrCorrupt), "entry delivered before a structural error")
		})
	}
}

func TestLoadCallbackError(t *testing.T) {
	stop := errors.New("stop")
	data := newRDB(10).key(typeString, "k").str("v").end(10)
	_, err := Load(data, func(*Entry) error { return stop })
	require.Equal(t, stop, err)
}

func TestInfoGet(t *testing.T) {
	info := Info{Aux: []AuxField{{"a", "1"}, {"b", "2"}, {"a", "3"}}}
	v, ok := info.Get("a")
	require.True(t, ok)
	require.Equal(t, "3", v)
	_, ok = info.Get("c")
	require.False(t, ok)
}

// TestDuplicateReportedSmallestFirst checks that sets small enough for the
// pairwise duplicate check and sets big enough to be sorted name the same
// duplicate: the smallest one.
func TestDuplicateReportedSmallestFirst(t *testing.T) {
	for _, n := range []int{4, smallDups, smallDups + 1, 3 * smallDups} {
		t.Run(strconv.Itoa(n), func(t *testing.T) {
			r := newRDB(10).key(typeSet, "s").length(uint64(n))
			// "z" is duplicated before "b" in file order.
			r.str("z").str("z").str("b")
			for i := 3; i < n-1; i++ {
				r.str("m" + strconv.Itoa(i))
			}
			r.str("b")
			_, err := Load(r.end(10), func(*Entry) error { return nil })
			require.ErrorIs(t, err, ErrCorrupt)
			require.ErrorContains(t, err, `duplicate set member "b"`)
		})
	}
}

// lp is a listpack of items, as the RDB payloads of the tests hold them.
func lp(items ...string) string {
	var l listpack
	l.reset()
	for _, it := range items {
		l.append([]byte(it))
	}
	return string(l.bytes())
}

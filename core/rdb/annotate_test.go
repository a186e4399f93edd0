package rdb

import (
	"bytes"
	"encoding/binary"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// checkTiling asserts that spans cover data from its first byte to its
// last, in order, without gaps or overlaps.
func checkTiling(t *testing.T, data []byte, spans []Span) {
	t.Helper()
	require.NotEmpty(t, spans)
	at := 0
	for i, s := range spans {
		require.Equal(t, at, s.Start, "span %d (%s) starts where %d ends", i, s.Kind, i-1)
		require.Greater(t, s.End, s.Start, "span %d (%s) is empty", i, s.Kind)
		at = s.End
	}
	require.Equal(t, len(data), at, "the spans end at the file's end")
}

// The files redis-server 7.0.15 wrote: every part annotated, in file
// order, saying what Load reads there.
func TestAnnotateRedisFixtures(t *testing.T) {
	for _, tc := range []struct {
		file    string
		replica bool // the replica's SAVE records repl-id and repl-offset
		longEnc string
	}{
		{"redis-7.0.15-compressed.rdb", false, "lzf"},
		{"redis-7.0.15-uncompressed.rdb", false, "raw"},
		{"redis-7.0.15-replica.rdb", true, "lzf"},
	} {
		t.Run(tc.file, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("testdata", tc.file))
			require.NoError(t, err)
			spans, err := Annotate(data)
			require.NoError(t, err)
			checkTiling(t, data, spans)

			assert.Equal(t, Span{Start: 0, End: 9, Kind: SpanHeader, Value: "0010", N: 10}, spans[0])
			aux := map[string]Span{}
			for _, s := range spans {
				if s.Kind == SpanAux {
					aux[s.Name] = s
				}
			}
			assert.Equal(t, "7.0.15", aux["redis-ver"].Value)
			assert.Equal(t, "raw", aux["redis-ver"].Enc)
			assert.Equal(t, "64", aux["redis-bits"].Value)
			assert.Equal(t, "int8", aux["redis-bits"].Enc, "Redis stores 64 as an 8-bit integer")
			assert.Equal(t, byte(opAux), aux["redis-ver"].Op)
			if tc.replica {
				assert.Len(t, aux["repl-id"].Value, 40)
				_, err := strconv.Atoi(aux["repl-offset"].Value)
				assert.NoError(t, err)
			}

			// The keys, in the order and with the values Load reads.
			type key struct {
				db     int
				name   string
				expire int64
			}
			var loaded []key
			strs := map[string]string{}
			_, err = Load(data, func(en *Entry) error {
				loaded = append(loaded, key{en.DB, string(en.Key), en.ExpireMs})
				if en.Kind == KindString {
					strs[string(en.Key)] = string(en.Str)
				}
				return nil
			})
			require.NoError(t, err)
			var annotated []key
			db, expire := 0, int64(-1)
			var dbs []int64
			keysInDB := map[int]int64{}
			for i, s := range spans {
				switch s.Kind {
				case SpanSelectDB:
					db = int(s.N)
					dbs = append(dbs, s.N)
					assert.Equal(t, byte(opSelectDB), s.Op)
				case SpanResizeDB:
					keysInDB[db] = s.N
				case SpanExpireMs:
					expire = s.N
				case SpanType:
					require.Less(t, i+2, len(spans))
					k, v := spans[i+1], spans[i+2]
					require.Equal(t, SpanKey, k.Kind)
					require.Equal(t, SpanValue, v.Kind)
					assert.Equal(t, typeName(s.Op), s.Type)
					assert.Equal(t, s.Type, v.Type)
					annotated = append(annotated, key{db, k.Name, expire})
					expire = -1
					if want, ok := strs[k.Name]; ok {
						assert.Equal(t, want[:min(len(want), maxSpanValue)], v.Value, k.Name)
						assert.Equal(t, len(want), v.Len, k.Name)
					}
				}
			}
			assert.Equal(t, loaded, annotated)
			assert.Equal(t, []int64{0, 1, 5}, dbs)
			for d, n := range keysInDB {
				count := int64(0)
				for _, k := range loaded {
					if k.db == d {
						count++
					}
				}
				assert.Equal(t, count, n, "RESIZEDB of db %d", d)
			}

			find := func(name string) Span {
				for i, s := range spans {
					if s.Kind == SpanKey && s.Name == name {
						return spans[i+1]
					}
				}
				t.Fatalf("no key %q", name)
				return Span{}
			}
			assert.Equal(t, "int8", find("str:int").Enc)
			assert.Equal(t, "int16", find("str:neg").Enc)
			assert.Equal(t, "int32", find("str:int32").Enc)
			assert.Equal(t, "raw", find("str:short").Enc)
			assert.Equal(t, tc.longEnc, find("str:long").Enc)
			assert.Equal(t, "set-intset", find("set:intset16").Type)
			assert.Equal(t, int64(4), find("set:intset16").N)
			assert.Equal(t, "quicklist-v2", find("list:10000").Type)
			assert.Equal(t, int64(10000), find("list:10000").N)
			assert.Equal(t, "hash-listpack", find("hash:small").Type)
			assert.Equal(t, int64(3), find("hash:small").N)

			last := spans[len(spans)-1]
			assert.Equal(t, SpanChecksum, last.Kind)
			assert.Equal(t, SpanEOF, spans[len(spans)-2].Kind)
			assert.Equal(t, byte(opEOF), spans[len(spans)-2].Op)
			sum := binary.LittleEndian.Uint64(data[len(data)-8:])
			assert.Equal(t, sum, CRC64(0, data[:len(data)-8]))
			assert.Equal(t, strconv.FormatUint(sum, 16), trimZeros(last.Value))
		})
	}
}

func trimZeros(s string) string {
	for len(s) > 1 && s[0] == '0' {
		s = s[1:]
	}
	return s
}

// Small files with one part each of the kinds Redis 7.0 does not write
// by default (expiry in seconds, LRU, LFU), built by hand.
func TestAnnotateParts(t *testing.T) {
	header := []byte("REDIS0009")
	eof := func(b []byte) []byte {
		b = append(b, opEOF)
		var sum [8]byte
		binary.LittleEndian.PutUint64(sum[:], CRC64(0, b))
		return append(b, sum[:]...)
	}
	cat := func(parts ...[]byte) []byte { return bytes.Join(parts, nil) }
	for _, tc := range []struct {
		name string
		body []byte
		want []Span
	}{
		{"expire in seconds", cat([]byte{opExpireTime, 0x10, 0, 0, 0}, []byte{typeString, 1, 'k', 1, 'v'}), []Span{
			{Start: 9, End: 14, Kind: SpanExpireS, Op: opExpireTime, N: 16},
			{Start: 14, End: 15, Kind: SpanType, Op: typeString, Type: "string"},
			{Start: 15, End: 17, Kind: SpanKey, Name: "k", Len: 1, Enc: "raw"},
			{Start: 17, End: 19, Kind: SpanValue, Type: "string", Value: "v", Len: 1, Enc: "raw"},
		}},
		{"lru and lfu", cat([]byte{opIdle, 5, opFreq, 7}, []byte{typeString, 1, 'k', 0xc0, 0xfe}), []Span{
			{Start: 9, End: 11, Kind: SpanIdle, Op: opIdle, N: 5},
			{Start: 11, End: 13, Kind: SpanFreq, Op: opFreq, N: 7},
			{Start: 13, End: 14, Kind: SpanType, Op: typeString, Type: "string"},
			{Start: 14, End: 16, Kind: SpanKey, Name: "k", Len: 1, Enc: "raw"},
			{Start: 16, End: 18, Kind: SpanValue, Type: "string", Value: "-2", Len: 2, Enc: "int8"},
		}},
		{"list of strings", cat([]byte{typeList, 1, 'l', 2, 1, 'a', 0xc1, 0x39, 0x30}), []Span{
			{Start: 9, End: 10, Kind: SpanType, Op: typeList, Type: "list-linked"},
			{Start: 10, End: 12, Kind: SpanKey, Name: "l", Len: 1, Enc: "raw"},
			{Start: 12, End: 18, Kind: SpanValue, Type: "list-linked", N: 2},
		}},
		{"resize db", []byte{opSelectDB, 3, opResizeDB, 2, 1}, []Span{
			{Start: 9, End: 11, Kind: SpanSelectDB, Op: opSelectDB, N: 3},
			{Start: 11, End: 14, Kind: SpanResizeDB, Op: opResizeDB, N: 2, M: 1},
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			data := eof(cat(header, tc.body))
			spans, err := Annotate(data)
			require.NoError(t, err)
			checkTiling(t, data, spans)
			n := len(spans)
			assert.Equal(t, Span{Start: 0, End: 9, Kind: SpanHeader, Value: "0009", N: 9}, spans[0])
			assert.Equal(t, tc.want, spans[1:n-2])
			assert.Equal(t, SpanEOF, spans[n-2].Kind)
			assert.Equal(t, SpanChecksum, spans[n-1].Kind)
		})
	}
}

// A file Load refuses: the parts before the fault, and Load's error.
func TestAnnotateStopsAtTheFault(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "redis-7.0.15-replica.rdb"))
	require.NoError(t, err)
	full, err := Annotate(data)
	require.NoError(t, err)
	for _, cutAt := range []int{5, 9, 40, len(data) / 2, len(data) - 3} {
		spans, err := Annotate(data[:cutAt])
		var rerr *Error
		require.True(t, errors.As(err, &rerr), "cut at %d: %v", cutAt, err)
		_, lerr := Load(data[:cutAt], func(*Entry) error { return nil })
		assert.Equal(t, lerr.Error(), err.Error())
		for i, s := range spans {
			assert.LessOrEqual(t, s.End, cutAt)
			assert.Equal(t, full[i], s, "the same part as in the whole file")
		}
	}
	// A wrong checksum: every part, then the error.
	bad := bytes.Clone(data)
	bad[len(bad)-1] ^= 1
	spans, err := Annotate(bad)
	assert.ErrorIs(t, err, ErrChecksum)
	assert.Len(t, spans, len(full))
}

func BenchmarkAnnotate(b *testing.B) {
	data, err := os.ReadFile(filepath.Join("testdata", "redis-7.0.15-compressed.rdb"))
	require.NoError(b, err)
	b.ReportAllocs()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := Annotate(data); err != nil {
			b.Fatal(err)
		}
	}
}

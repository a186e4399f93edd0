package rdb

import (
	"bytes"
	"errors"
	"math"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// encodeFile writes es (in order, grouped by db as given) with aux fields.
func encodeFile(t testing.TB, opt Options, aux []AuxField, es []*Entry) []byte {
	var buf bytes.Buffer
	e := NewEncoder(&buf, opt)
	require.NoError(t, e.Header())
	for _, a := range aux {
		require.NoError(t, e.Aux(a.Key, a.Value))
	}
	for i := 0; i < len(es); {
		j, expires := i, uint64(0)
		for ; j < len(es) && es[j].DB == es[i].DB; j++ {
			if es[j].ExpireMs >= 0 {
				expires++
			}
		}
		require.NoError(t, e.SelectDB(es[i].DB, uint64(j-i), expires))
		for _, en := range es[i:j] {
			require.NoError(t, e.Entry(en))
		}
		i = j
	}
	require.NoError(t, e.Finish())
	return buf.Bytes()
}

// Fed the keys in the order Redis wrote them (hash-table order is Redis's
// own), the Encoder must reproduce Redis's files byte for byte.
func TestEncodeReproducesRedisFixtures(t *testing.T) {
	for _, tc := range []struct {
		file        string
		compression bool
	}{
		{"redis-7.0.15-compressed.rdb", true},
		{"redis-7.0.15-uncompressed.rdb", false},
		{"redis-7.0.15-replica.rdb", true},
	} {
		t.Run(tc.file, func(t *testing.T) {
			data, err := os.ReadFile("testdata/" + tc.file)
			require.NoError(t, err)
			info, es := loadAll(t, data)
			opt := DefaultOptions()
			opt.Compression = tc.compression
			got := encodeFile(t, opt, info.Aux, es)
			if !bytes.Equal(got, data) {
				n := 0
				for n < min(len(got), len(data)) && got[n] == data[n] {
					n++
				}
				t.Fatalf("differs from Redis at byte %d of %d (ours %d bytes)", n, len(data), len(got))
			}
		})
	}
}

func TestRoundTrip(t *testing.T) {
	es := fixtureDataset()
	for _, opt := range []Options{DefaultOptions(), {ListMaxListpackSize: 5, HashMaxListpackEntries: 1, HashMaxListpackValue: 1, SetMaxIntsetEntries: 2, ZSetMaxListpackEntries: 0}, {Checksum: true, ListMaxListpackSize: -5, HashMaxListpackEntries: 1000, HashMaxListpackValue: 1000, SetMaxIntsetEntries: 1000, ZSetMaxListpackEntries: 1000, ZSetMaxListpackValue: 1000}} {
		data := encodeFile(t, opt, []AuxField{{"redis-ver", "7.0.15"}, {"redis-bits", "64"}, {"repl-offset", "-1"}}, es)
		info, got := loadAll(t, data)
		require.Equal(t, normalize(es), normalize(got))
		require.Equal(t, []AuxField{{"redis-ver", "7.0.15"}, {"redis-bits", "64"}, {"repl-offset", "-1"}}, info.Aux)
		if !opt.Checksum {
			require.Equal(t, make([]byte, 8), data[len(data)-8:])
		}
		for _, en := range es {
			p, err := ParsePayload(DumpPayload(en, opt))
			require.NoError(t, err)
			p.DB, p.Key, p.ExpireMs = en.DB, en.Key, en.ExpireMs
			require.Equal(t, normalize([]*Entry{en}), normalize([]*Entry{p}))
		}
	}
}

func TestStringEncodings(t *testing.T) {
	opt := DefaultOptions()
	for _, tc := range []struct {
		in   string
		want string // the encoded string, after the type byte
	}{
		{"0", "\xc0\x00"},
		{"-128", "\xc0\x80"},
		{"127", "\xc0\x7f"},
		{"128", "\xc1\x80\x00"},
		{"-32769", "\xc2\xff\x7f\xff\xff"},
		{"2147483647", "\xc2\xff\xff\xff\x7f"},
		{"2147483648", "\x0a2147483648"},
		{"-0", "\x02-0"},
		{"01", "\x0201"},
		{"+1", "\x02+1"},
		{"", "\x00"},
		{strings.Repeat("a", 20), "\x14" + strings.Repeat("a", 20)},
		{strings.Repeat("a", 21), "\xc3\x06\x15\x01aa\xe0\x0a\x00"}, // as Redis's DUMP
	} {
		p := DumpPayload(&Entry{Kind: KindString, Str: []byte(tc.in)}, opt)
		require.Equal(t, []byte(tc.want), p[1:len(p)-10], "%q", tc.in)
	}
	// Incompressible long strings stay raw; 64-bit lengths are used past 4 GB
	// only, checked here through appendLen.
	require.Equal(t, []byte{0x81, 0, 0, 0, 1, 0, 0, 0, 0}, appendLen(nil, 1<<32))
	require.Equal(t, []byte{0x80, 0, 0, 0x40, 0}, appendLen(nil, 1<<14))
	require.Equal(t, []byte{0x7f, 0xff}, appendLen(nil, 1<<14-1))
}

func TestScoreFormat(t *testing.T) {
	for f, want := range map[float64]string{
		1: "1", -3: "-3", 2.5: "2.5", math.Inf(1): "inf", math.Inf(-1): "-inf", math.Copysign(0, -1): "-0",
		1.0 / 3: "0.33333333333333331", 1e20: "1e+20", 4503599627370496: "4503599627370496", 1e-5: "1.0000000000000001e-05",
	} {
		require.Equal(t, want, string(appendScore(nil, f)))
	}
}

type failWriter struct{ n int }

func (w *failWriter) Write(p []byte) (int, error) {
	if w.n -= len(p); w.n < 0 {
		return 0, errors.New("disk full")
	}
	return len(p), nil
}

func TestEncoderWriteError(t *testing.T) {
	e := NewEncoder(&failWriter{n: 10}, DefaultOptions())
	require.NoError(t, e.Header())
	noise := make([]byte, 2*flushSize) // incompressible, so it must be flushed
	x := uint32(1)
	for i := range noise {
		x = x*1664525 + 1013904223
		noise[i] = byte(x >> 24)
	}
	big := &Entry{Kind: KindString, Key: []byte("k"), Str: noise, ExpireMs: -1}
	err := e.Entry(big)
	require.ErrorContains(t, err, "disk full")
	require.ErrorIs(t, e.Finish(), err)
	require.Error(t, NewEncoder(&bytes.Buffer{}, DefaultOptions()).Entry(&Entry{Kind: 9, Key: []byte("k")}))
	require.Error(t, NewEncoder(&bytes.Buffer{}, DefaultOptions()).SelectDB(-1, 0, 0))
}

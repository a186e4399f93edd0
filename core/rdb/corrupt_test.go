package rdb

import (
	"encoding/binary"
	"errors"
	"os"
	"testing"

	"github.com/stretchr/testify/require"
)

func nop(*Entry) error { return nil }

// smallFile has every encoding the Encoder writes in about 2 KB: small
// limits push some values into their hash-table and skiplist forms.
func smallFile(t testing.TB) []byte {
	opt := DefaultOptions()
	opt.HashMaxListpackEntries, opt.ZSetMaxListpackEntries, opt.SetMaxIntsetEntries = 2, 2, 3
	opt.ListMaxListpackSize = 3
	var es []*Entry
	for _, en := range fixtureDataset() {
		small := *en
		if len(small.List) > 8 {
			small.List = small.List[:8]
		}
		if len(small.Set) > 4 {
			small.Set = small.Set[:4]
		}
		if len(small.Hash) > 4 {
			small.Hash = small.Hash[:4]
		}
		if len(small.ZSet) > 4 {
			small.ZSet = small.ZSet[:4]
		}
		if len(small.Str) > 300 {
			small.Str = small.Str[:300]
		}
		if small.Key[0] != 'l' || small.Key[len(small.Key)-1] != 's' { // not list:bigelements
			es = append(es, &small)
		}
	}
	return encodeFile(t, opt, []AuxField{{"redis-ver", "7.0.15"}}, es)
}

// faultSamples are the files the fault tests cut or flip, with the step
// between the offsets they try: every offset of smallFile, and one in
// redisStep of Redis's fixture (all of it takes minutes).
func faultSamples(t *testing.T, redisStep int) []faultSample {
	redis, err := os.ReadFile("testdata/redis-7.0.15-compressed.rdb")
	require.NoError(t, err)
	return []faultSample{{smallFile(t), 1}, {redis, redisStep}}
}

type faultSample struct {
	data []byte
	step int
}

// Every proper prefix of a file must fail with a located error, never succeed
// or panic: every prefix of smallFile, and a sample of Redis's fixture (all
// of it takes minutes).
func TestTruncationAtEveryOffset(t *testing.T) {
	for _, tc := range faultSamples(t, 101) {
		data := tc.data
		for n := 0; n < len(data); n += tc.step {
			_, err := Load(data[:n], nop)
			var re *Error
			if !errors.As(err, &re) {
				t.Fatalf("prefix of %d bytes: got %v, want an *Error", n, err)
			}
			if re.Offset > n {
				t.Fatalf("prefix of %d bytes: error offset %d is past the end: %v", n, re.Offset, err)
			}
		}
	}
}

// A flipped byte is caught: by the checksum when there is one, and without it
// by the format checks or not at all, but never by a panic.
func TestFlippedBytes(t *testing.T) {
	for _, tc := range faultSamples(t, 241) {
		data := tc.data
		noCRC := append([]byte(nil), data...)
		binary.LittleEndian.PutUint64(noCRC[len(noCRC)-8:], 0)
		_, err := Load(noCRC, nop)
		require.NoError(t, err, "a zero checksum means none was computed")
		for i := 0; i < len(data); i += tc.step {
			for _, mask := range []byte{0x01, 0x80, 0xff} {
				data[i] ^= mask
				_, err := Load(data, nop)
				if err == nil {
					t.Fatalf("flipping byte %d with %#x went unnoticed", i, mask)
				}
				require.True(t, errors.Is(err, ErrChecksum) || errors.Is(err, ErrCorrupt) || errors.Is(err, ErrTruncated) || errors.Is(err, ErrUnsupported), "byte %d: %v", i, err)
				data[i] ^= mask

				noCRC[i] ^= mask
				_, _ = Load(noCRC, nop) // must not panic
				noCRC[i] ^= mask
			}
		}
	}
}

func TestParsePayloadErrors(t *testing.T) {
	good := DumpPayload(&Entry{Kind: KindString, Str: []byte("v")}, DefaultOptions())
	_, err := ParsePayload(good)
	require.NoError(t, err)

	withVersion := func(v uint16) []byte {
		p := append([]byte(nil), good[:len(good)-10]...)
		p = binary.LittleEndian.AppendUint16(p, v)
		return binary.LittleEndian.AppendUint64(p, CRC64(0, p))
	}
	_, err = ParsePayload(withVersion(9))
	require.NoError(t, err, "older versions are accepted")
	_, err = ParsePayload(withVersion(11))
	require.ErrorIs(t, err, ErrBadPayload)

	bad := append([]byte(nil), good...)
	bad[0] ^= 1
	_, err = ParsePayload(bad)
	require.ErrorIs(t, err, ErrBadPayload)
	require.ErrorContains(t, err, "DUMP payload version or checksum are wrong")

	_, err = ParsePayload(good[:9])
	require.ErrorIs(t, err, ErrBadPayload)

	// Valid footer around bad data: "Bad data format", not ErrBadPayload.
	seal := func(body []byte) []byte {
		p := binary.LittleEndian.AppendUint16(append([]byte(nil), body...), 10)
		return binary.LittleEndian.AppendUint64(p, CRC64(0, p))
	}
	for _, body := range [][]byte{
		{typeString},              // truncated
		{typeString, 1, 'a', 'b'}, // trailing byte
		{typeStreamListpacks2, 0}, // a stream cut short
		{opEOF},                   // not a value type
		{},                        // nothing
	} {
		_, err = ParsePayload(seal(body))
		require.Error(t, err, "%q", body)
		require.NotErrorIs(t, err, ErrBadPayload, "%q", body)
	}
}

func FuzzLoad(f *testing.F) {
	for _, name := range []string{"redis-7.0.15-compressed.rdb"} {
		data, err := os.ReadFile("testdata/" + name)
		require.NoError(f, err)
		f.Add(data)
	}
	f.Add(smallFile(f))
	f.Fuzz(func(t *testing.T, data []byte) {
		n := 0
		_, err := Load(data, func(e *Entry) error { n++; return nil })
		if err != nil {
			var re *Error
			if !errors.As(err, &re) {
				t.Fatalf("error is not an *Error: %v", err)
			}
		}
	})
}

func FuzzParsePayload(f *testing.F) {
	for _, en := range fixtureDataset() {
		if len(en.List) < 100 && len(en.Set) < 100 && len(en.Hash) < 100 && len(en.ZSet) < 100 {
			f.Add(DumpPayload(en, DefaultOptions()))
		}
	}
	f.Fuzz(func(t *testing.T, p []byte) {
		en, err := ParsePayload(p)
		if err != nil {
			return
		}
		// What parses must encode and parse back to the same content.
		again, err := ParsePayload(DumpPayload(en, DefaultOptions()))
		if err != nil {
			t.Fatalf("re-encoded payload does not parse: %v", err)
		}
		require.Equal(t, normalize([]*Entry{en}), normalize([]*Entry{again}))
	})
}

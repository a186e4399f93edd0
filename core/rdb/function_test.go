package rdb

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestFunctionsRoundTrip: libraries written before the databases come back
// in Info.Functions, short and LZF-compressed alike.
func TestFunctionsRoundTrip(t *testing.T) {
	codes := [][]byte{
		[]byte("#!lua name=a\nredis.register_function('fa', function() return 1 end)"),
		[]byte("#!lua name=b\n" + strings.Repeat("-- padding that compresses well\n", 20) + "redis.register_function('fb', function() return 2 end)"),
	}
	var buf bytes.Buffer
	e := NewEncoder(&buf, Options{Compression: true, Checksum: true})
	require.NoError(t, e.Header())
	for _, c := range codes {
		require.NoError(t, e.Function(c))
	}
	require.NoError(t, e.Finish())
	info, err := Load(buf.Bytes(), func(*Entry) error { return nil })
	require.NoError(t, err)
	require.Equal(t, codes, info.Functions)

	got, err := ParseFunctionsPayload(FunctionsPayload(codes, Options{Compression: true}))
	require.NoError(t, err)
	require.Equal(t, codes, got)
}

func TestParseFunctionsPayloadErrors(t *testing.T) {
	p := FunctionsPayload([][]byte{[]byte("#!lua name=a\n")}, Options{})
	bad := bytes.Clone(p)
	bad[3] ^= 1
	_, err := ParseFunctionsPayload(bad)
	require.ErrorIs(t, err, ErrBadPayload)
	_, err = ParseFunctionsPayload(p[:5])
	require.ErrorIs(t, err, ErrBadPayload)
	notFn := DumpPayload(&Entry{Kind: KindString, Str: []byte("x")}, Options{})
	_, err = ParseFunctionsPayload(notFn)
	require.EqualError(t, err, "given type is not a function")
}

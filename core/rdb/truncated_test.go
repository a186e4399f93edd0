package rdb

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestTruncatedStringMessage: a string value cut short is reported at its
// first byte, with the bytes left counted from there.
func TestTruncatedStringMessage(t *testing.T) {
	data := encodeFile(t, DefaultOptions(), nil, []*Entry{{Key: []byte("k"), ExpireMs: -1, Kind: KindString, Str: []byte("hello")}})
	at := len(data) - 9 - len("hello") // before the EOF opcode and the checksum
	require.Equal(t, "hello", string(data[at:at+5]))
	_, err := Load(data[:at+4], nop)
	var re *Error
	require.ErrorAs(t, err, &re)
	require.ErrorIs(t, err, ErrTruncated)
	require.Equal(t, at, re.Offset)
	require.Equal(t, "expected the string value of 5 bytes, 4 left", re.Detail)
}

var checkRDBOffset = regexp.MustCompile(`\[offset (\d+)\] Unexpected EOF`)

// TestTruncatedStringOffsetAsRedisCheckRDB truncates a dump written by Redis
// 7.0.15 inside its strings (values, elements, listpacks) and requires the
// offset redis-check-rdb reports for the same file, and bytes left counted
// from it.
func TestTruncatedStringOffsetAsRedisCheckRDB(t *testing.T) {
	if _, err := exec.LookPath("redis-check-rdb"); err != nil {
		t.Skip("redis-check-rdb not installed")
	}
	data, err := os.ReadFile("testdata/redis-7.0.15-uncompressed.rdb")
	require.NoError(t, err)
	detail := regexp.MustCompile(` of \d+ bytes, (\d+) left$`)
	file := filepath.Join(t.TempDir(), "dump.rdb")
	compared := 0
	for n := 301; n < len(data); n += 1499 {
		_, err := Load(data[:n], nop)
		var re *Error
		require.ErrorAs(t, err, &re)
		m := detail.FindStringSubmatch(re.Detail)
		if m == nil {
			continue // not a string cut short
		}
		require.Equal(t, strconv.Itoa(n-re.Offset), m[1], "prefix of %d bytes: %v", n, err)
		require.NoError(t, os.WriteFile(file, data[:n], 0o644))
		out, _ := exec.Command("redis-check-rdb", file).CombinedOutput()
		theirs := checkRDBOffset.FindStringSubmatch(string(out))
		require.NotNil(t, theirs, "redis-check-rdb on a prefix of %d bytes:\n%s", n, out)
		require.Equal(t, theirs[1], strconv.Itoa(re.Offset), "prefix of %d bytes: %v", n, err)
		compared++
	}
	require.Greater(t, compared, 50)
}

package rdb

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// LoadHinted reports each RESIZEDB hint before the entries of its database;
// Load and LoadHinted read the same entries.
func TestLoadHintedReportsResizeDB(t *testing.T) {
	var buf bytes.Buffer
	e := NewEncoder(&buf, DefaultOptions())
	require.NoError(t, e.Header())
	require.NoError(t, e.SelectDB(0, 2, 1))
	require.NoError(t, e.Entry(&Entry{Key: []byte("a"), Kind: KindString, Str: []byte("1"), ExpireMs: 4102444800000}))
	require.NoError(t, e.Entry(&Entry{Key: []byte("b"), Kind: KindString, Str: []byte("2"), ExpireMs: -1}))
	require.NoError(t, e.SelectDB(5, 1<<40, 0)) // a hint is only the file's word
	require.NoError(t, e.Entry(&Entry{Key: []byte("c"), Kind: KindString, Str: []byte("3"), ExpireMs: -1}))
	require.NoError(t, e.Finish())

	type hint struct {
		db            int
		keys, expires uint64
		before        int // entries seen before the hint
	}
	var hints []hint
	var keys []string
	_, err := LoadHinted(buf.Bytes(), func(en *Entry) error {
		keys = append(keys, string(en.Key))
		return nil
	}, func(db int, k, x uint64) { hints = append(hints, hint{db, k, x, len(keys)}) })
	require.NoError(t, err)
	assert.Equal(t, []hint{{0, 2, 1, 0}, {5, 1 << 40, 0, 2}}, hints)
	assert.Equal(t, []string{"a", "b", "c"}, keys)

	var plain []string
	_, err = Load(buf.Bytes(), func(en *Entry) error { plain = append(plain, string(en.Key)); return nil })
	require.NoError(t, err)
	assert.Equal(t, keys, plain)
}

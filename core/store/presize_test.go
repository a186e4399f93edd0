package store

import (
	"bytes"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/syncscope/syncscope/core/rdb"
)

// LoadRDB sizes a database's tables from the RESIZEDB hint, but a hint far
// beyond what the file holds (a hostile or broken master) allocates only
// within bounds and the load is as usual.
func TestLoadRDBResizeHints(t *testing.T) {
	for _, tc := range []struct {
		name          string
		keys, expires uint64
	}{
		{"honest", 3, 1},
		{"huge", 1 << 62, 1 << 62},
		{"zero", 0, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var buf bytes.Buffer
			e := rdb.NewEncoder(&buf, rdb.DefaultOptions())
			require.NoError(t, e.Header())
			require.NoError(t, e.SelectDB(2, tc.keys, tc.expires))
			for _, k := range []string{"a", "b", "c"} {
				require.NoError(t, e.Entry(&rdb.Entry{Key: []byte(k), Kind: rdb.KindString, Str: []byte("v"), ExpireMs: -1}))
			}
			require.NoError(t, e.Entry(&rdb.Entry{Key: []byte("x"), Kind: rdb.KindString, Str: []byte("v"), ExpireMs: 4102444800000}))
			require.NoError(t, e.Finish())
			st, info, err := LoadRDB(buf.Bytes(), 16, rand.New(rand.NewPCG(1, 2)), DefaultLimits(), 0, true)
			require.NoError(t, err)
			assert.Equal(t, 4, info.Keys)
			assert.Equal(t, 4, st.DBs[2].keys.Len())
			assert.Equal(t, 1, st.DBs[2].expires.Len())
			assert.LessOrEqual(t, cap(st.DBs[2].keys.keys), max(8, buf.Len()/16), "sized within what the file can hold")
		})
	}
}

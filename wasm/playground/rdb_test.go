package playground

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/syncscope/syncscope/core/rdb"
)

// After a full sync the replica's snapshot is there, split into its parts.
func TestRDBParts(t *testing.T) {
	p := New(1)
	assert.Nil(t, p.RDBParts(6378), "no full sync yet")
	require.NoError(t, p.StartNode(6379, "", false))
	var out string
	p.Exec(6379, "set name redis", func(s string) { out = s })
	require.NoError(t, p.StartNode(6378, "replicaof 127.0.0.1 6379\n", false))
	for i := 0; i < 100 && p.RDBParts(6378) == nil; i++ {
		p.Advance(100 * 1e6)
	}
	parts := p.RDBParts(6378)
	require.NotNil(t, parts, out)
	assert.Empty(t, parts.Err)
	assert.Equal(t, len(p.RDB(6378)), parts.Size)
	assert.Equal(t, rdb.SpanHeader, parts.Spans[0].Kind)
	var key, value rdb.Span
	for i, s := range parts.Spans {
		if s.Kind == rdb.SpanKey && s.Name == `"name"` {
			key, value = s, parts.Spans[i+1]
		}
	}
	assert.Equal(t, `"name"`, key.Name, "quoted as redis-cli quotes")
	assert.Equal(t, `"redis"`, value.Value)
	assert.Equal(t, rdb.SpanChecksum, parts.Spans[len(parts.Spans)-1].Kind)

	// A cut-short snapshot: its parts up to the cut, and where and why.
	cut := annotateRDB(p.RDB(6378)[:parts.Size-4])
	assert.Contains(t, cut.Err, "CRC64")
	assert.Equal(t, parts.Size-8, cut.At)
	assert.Equal(t, parts.Spans[:len(parts.Spans)-1], cut.Spans)
}

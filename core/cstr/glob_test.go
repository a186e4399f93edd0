package cstr

import (
	"encoding/json"
	"os"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestGlobLikeKeys replays KEYS <pattern> results recorded from redis-server
// 7.0.15 (testdata/glob-keys.json), including unterminated classes and
// escapes.
func TestGlobLikeKeys(t *testing.T) {
	b, err := os.ReadFile("testdata/glob-keys.json")
	require.NoError(t, err)
	var rec struct {
		Keys     []string
		Patterns []struct {
			Pattern string
			Matches []string
		}
	}
	require.NoError(t, json.Unmarshal(b, &rec))
	require.NotEmpty(t, rec.Patterns)
	for _, p := range rec.Patterns {
		got := []string{}
		for _, k := range rec.Keys {
			if Glob(p.Pattern, k, false) {
				got = append(got, k)
			}
		}
		sort.Strings(got)
		assert.Equal(t, p.Matches, got, "pattern %q", p.Pattern)
	}
}

func TestGlobNoCase(t *testing.T) {
	assert.True(t, Glob("MAX*", "maxmemory", true))
	assert.False(t, Glob("MAX*", "maxmemory", false))
	assert.True(t, Glob("h[A-C]llo", "hbllo", true))
	assert.True(t, Glob("h[a-c]llo", "HBLLO", true))
}

func TestGlobPathological(t *testing.T) {
	// Without the skip-longer-matches pruning this takes exponential time.
	assert.False(t, Glob(strings.Repeat("a*", 30)+"b", strings.Repeat("a", 60), false))
}

package config

import (
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// readPairs reads a CONFIG GET capture: name<TAB>value lines, # comments.
func readPairs(t *testing.T, path string) map[string]string {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	out := map[string]string{}
	for _, l := range strings.Split(strings.TrimSuffix(string(b), "\n"), "\n") {
		if strings.HasPrefix(l, "#") {
			continue
		}
		k, v, ok := strings.Cut(l, "\t")
		require.True(t, ok, l)
		out[k] = v
	}
	return out
}

// TestDefaultMatchesRedis compares Default() with CONFIG GET * of a real
// redis-server 7.0.15 started as "redis-server --port 7301".
func TestDefaultMatchesRedis(t *testing.T) {
	want := readPairs(t, "testdata/redis-7.0.15-config-get.txt")
	// Host-dependent values: the capture ran with --port 7301 (Default is
	// Redis's 6379) and dir is the server's working directory.
	hostDependent := map[string]string{"port": "6379", "dir": "."}
	for k, v := range hostDependent {
		want[k] = v
	}
	got := map[string]string{}
	for _, kv := range Default().Get("*") {
		got[kv[0]] = kv[1]
	}
	assert.Equal(t, want, got)
}

func TestTableSorted(t *testing.T) {
	for i := 1; i < len(params); i++ {
		require.Less(t, params[i-1].name, params[i].name)
	}
	for i := range params {
		p := &params[i]
		require.Same(t, p, lookup(strings.ToUpper(p.name)), p.name)
		if p.alias != "" {
			require.Same(t, p, lookup(p.alias), p.alias)
		}
	}
}

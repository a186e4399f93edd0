package main

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const sample = `package p

func (b *B) Covers(off int64) bool {
	return off >= b.First() && off <= b.end+1
}

func (h *H) Shift(id ID) {
	h.ID2, h.Offset2 = h.ID, h.Offset+1
	skip := h.n == 1
	if plantedBug && skip {
		h.ID = h.ID2
	}
	b.log("shifted", h.Offset+1)
	if h.Offset > 10 {
		logs = append(logs, logf("far"))
	}
	h.feed(id)
	h.n++
}
`

func TestGenerate(t *testing.T) {
	muts, err := Generate("p.go", []byte(sample))
	require.NoError(t, err)
	var ids []string
	for _, m := range muts {
		ids = append(ids, m.ID)
		assert.NotEqual(t, sample, string(m.Src), m.ID)
		assert.Contains(t, m.Diff, "@@ line", m.ID)
	}
	for _, want := range []string{
		"p.go:B.Covers#1:>= -> >",
		"p.go:B.Covers#2:<= -> <",
		"p.go:B.Covers#3:1 -> 2",
		"p.go:B.Covers#4:1 -> 0",
		"p.go:H.Shift#1:drop h.feed(id)",
		"p.go:H.Shift#2:drop h.n++",
		"p.go:H.Shift#3:.ID2 -> .ID",
		"p.go:H.Shift#4:.Offset2 -> .Offset",
		"p.go:H.Shift#5:.ID -> .ID2",
		"p.go:H.Shift#6:1 -> 2",
		"p.go:H.Shift#7:1 -> 0",
		"p.go:H.Shift#8:.Offset -> .Offset2",
	} {
		assert.Contains(t, ids, want)
	}
	for _, id := range ids {
		// Neither the planted bug's branch nor a log is mutated.
		assert.NotContains(t, id, "if !(...)", "the planted branch was mutated")
		assert.NotContains(t, id, "drop b.log", "a log call was dropped")
	}
	assert.Len(t, ids, 12, strings.Join(ids, "\n"))

	// The diff shows exactly the changed line.
	for _, m := range muts {
		if m.ID == "p.go:B.Covers#1:>= -> >" {
			assert.Equal(t, "@@ line 4 @@\n-\treturn off >= b.First() && off <= b.end+1\n+\treturn off > b.First() && off <= b.end+1\n", m.Diff)
		}
	}
}

func TestReadEquivalent(t *testing.T) {
	equiv, err := readEquivalent("../../../core/sim/testdata/equivalent-mutants.txt")
	require.NoError(t, err)
	for id, why := range equiv {
		assert.NotEmpty(t, why, "%s has no reason", id)
		assert.Contains(t, id, ".go:", "%s is not a mutant id", id)
	}
}

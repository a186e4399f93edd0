//go:build !js

package command

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/syncscope/syncscope/core/resp"
)

// TestDocsAsRedis asks redis-server for COMMAND DOCS of every command and
// subcommand syncscope serves, one at a time, in RESP2 and RESP3, and
// requires the bytes Docs writes. A container's subcommands come in
// Redis's hash table order and include the ones not served: for it the
// replies are compared as values, its served subcommands sorted.
func TestDocsAsRedis(t *testing.T) {
	rr := startRealRedis(t, "")
	var w resp.Writer
	for _, proto := range []int{2, 3} {
		rr.Do(t, []byte("HELLO"), []byte(fmt.Sprint(proto)))
		w.Proto = proto
		for _, top := range All() {
			for _, c := range append([]*Command{top}, top.Subcommands...) {
				want := rr.Do(t, []byte("COMMAND"), []byte("DOCS"), []byte(strings.ToUpper(c.Name)))
				w.Reset()
				w.MapLen(1)
				w.BulkString(c.Name)
				Docs(&w, c)
				if !c.Container() {
					assert.Equal(t, want, string(w.Buf), "RESP%d COMMAND DOCS %s", proto, c.Name)
					continue
				}
				wv, gv := parseOne(t, want), parseOne(t, string(w.Buf))
				servedSubs(t, wv)
				assert.Equal(t, wv, gv, "RESP%d COMMAND DOCS %s", proto, c.Name)
			}
		}
	}
}

// TestDocsServedSet requires COMMAND DOCS without arguments to list the
// served commands, each one Redis has: the same set COMMAND LIST shows.
func TestDocsServedSet(t *testing.T) {
	rr := startRealRedis(t, "")
	real := map[string]bool{}
	for i, e := range parseOne(t, rr.Do(t, []byte("COMMAND"), []byte("DOCS"))).Elems {
		if i%2 == 0 {
			real[string(e.Str)] = true
		}
	}
	var served []string
	for _, c := range All() {
		served = append(served, c.Name)
		assert.True(t, real[c.Name], "%s is served but not Redis's", c.Name)
	}
	assert.Less(t, len(served), len(real)) // some are not served: the comparison means something
	require.NotEmpty(t, served)
}

func parseOne(t *testing.T, s string) resp.Value {
	v, n, err := resp.ReadValue([]byte(s))
	require.NoError(t, err)
	require.Equal(t, len(s), n, "one reply")
	return v
}

// servedSubs keeps, in a COMMAND DOCS reply of one container, only the
// subcommands syncscope serves, sorted by name.
func servedSubs(t *testing.T, v resp.Value) {
	doc := &v.Elems[1]
	for i := 0; i+1 < len(doc.Elems); i += 2 {
		if string(doc.Elems[i].Str) != "subcommands" {
			continue
		}
		subs := &doc.Elems[i+1]
		type pair struct{ name, doc resp.Value }
		var kept []pair
		for j := 0; j+1 < len(subs.Elems); j += 2 {
			if LookupFull(string(subs.Elems[j].Str)) != nil {
				kept = append(kept, pair{subs.Elems[j], subs.Elems[j+1]})
			}
		}
		slices.SortFunc(kept, func(a, b pair) int { return strings.Compare(string(a.name.Str), string(b.name.Str)) })
		subs.Elems = subs.Elems[:0]
		for _, p := range kept {
			subs.Elems = append(subs.Elems, p.name, p.doc)
		}
		return
	}
	t.Fatalf("no subcommands in %v", v)
}

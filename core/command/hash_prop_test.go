package command

import (
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/syncscope/syncscope/core/resp"
	"github.com/syncscope/syncscope/core/store"
)

// TestHashPropagation checks what the hash commands replicate, as seen on a
// real redis-server 7.0.15 replica link (SYNC) for the same commands.
func TestHashPropagation(t *testing.T) {
	runPropCases(t, []propCase{
		{"HINCRBYFLOAT becomes HSET with the result", []string{"hincrbyfloat h f 1.5", "hincrbyfloat h f 1e3",
			"hset h f 3.0", "hincrbyfloat h f 0", "HINCRBYFLOAT h g 0x10"},
			[]string{"HSET h f 1.5", "HSET h f 1001.5", "hset h f 3.0", "HSET h f 3", "HSET h g 16"}},
		{"HSET HMSET always, even unchanged", []string{"hset h a 1", "hset h a 1", "hmset h a 1 b 2"},
			[]string{"hset h a 1", "hset h a 1", "hmset h a 1 b 2"}},
		{"HSETNX only when set", []string{"hsetnx h a 1", "hsetnx h a 2"}, []string{"hsetnx h a 1"}},
		{"HDEL only when something went", []string{"hset h a 1", "hdel h zz", "hdel nokey a", "hdel h a zz"},
			[]string{"hset h a 1", "hdel h a zz"}},
		{"HINCRBY as is, even by 0", []string{"hincrby h n 5", "hincrby h n 0"}, []string{"hincrby h n 5", "hincrby h n 0"}},
		{"errors propagate nothing", []string{"set s v", "hset s a 1", "hset h a x", "hincrby h a 1",
			"hincrbyfloat h a 1", "hincrbyfloat h b inf", "hincrby h b 1.5", "hset h"},
			[]string{"set s v", "hset h a x"}},
		{"reads propagate nothing", []string{"hset h a 1", "hget h a", "hmget h a", "hgetall h", "hkeys h", "hvals h",
			"hlen h", "hstrlen h a", "hexists h a", "hrandfield h", "hrandfield h -3 withvalues", "hscan h 0"},
			[]string{"hset h a 1"}},
	})
}

// TestHashCopyOnWrite checks that every hash write path copies a hash
// shared with a snapshot instead of changing it in place.
func TestHashCopyOnWrite(t *testing.T) {
	for _, entries := range []int{512, 1} { // listpack, then hashtable
		h := newHarness(t)
		h.st.Limits.HashMaxListpackEntries = entries
		h.Do("HSET", "h", "a", "1", "b", "2", "n", "10")
		old := h.st.DBs[0].Peek([]byte("h")).(*store.Hash)
		enc := old.Encoding()
		sn := h.st.Snapshot()
		for _, cmd := range []string{
			"HSET h a 9", "HMSET h c 3", "HSETNX h d 4", "HDEL h b", "HINCRBY h n 5", "HINCRBYFLOAT h n 0.5",
		} {
			h.Do(splitArgs(cmd)...)
		}
		var pairs []string
		old.Each(func(f string, v []byte) bool { pairs = append(pairs, f+"="+string(v)); return true })
		require.ElementsMatch(t, []string{"a=1", "b=2", "n=10"}, pairs, enc)
		require.Equal(t, enc, old.Encoding())
		sn.Release()
	}
}

// TestHashRandfield checks the random cases the differential test cannot
// compare: the sizes, distinctness, and that fields come with their values.
func TestHashRandfield(t *testing.T) {
	for _, n := range []int{10, 600} { // listpack, hashtable
		h := newHarness(t)
		args := []string{"HSET", "h"}
		for i := range n {
			args = append(args, "f"+strconv.Itoa(i), "v"+strconv.Itoa(i))
		}
		h.Do(args...)
		for _, count := range []int{1, 2, n / 2, n - 1, -1, -5, -3 * n} {
			for _, withValues := range []bool{false, true} {
				for _, proto := range []int{2, 3} {
					h.w.Proto = proto
					cmd := []string{"HRANDFIELD", "h", strconv.Itoa(count)}
					if withValues {
						cmd = append(cmd, "WITHVALUES")
					}
					v, _, err := resp.ReadValue([]byte(h.Do(cmd...)))
					require.NoError(t, err)
					want := max(count, -count)
					var fields []string
					if withValues && proto == 2 {
						require.Len(t, v.Elems, 2*want, cmd)
						for i := 0; i < len(v.Elems); i += 2 {
							f, val := string(v.Elems[i].Str), string(v.Elems[i+1].Str)
							require.Equal(t, "v"+f[1:], val)
							fields = append(fields, f)
						}
					} else {
						require.Len(t, v.Elems, want, cmd)
						for _, e := range v.Elems {
							if withValues {
								require.Len(t, e.Elems, 2)
								f := string(e.Elems[0].Str)
								require.Equal(t, "v"+f[1:], string(e.Elems[1].Str))
								fields = append(fields, f)
							} else {
								fields = append(fields, string(e.Str))
							}
						}
					}
					if count > 0 {
						seen := map[string]bool{}
						for _, f := range fields {
							require.False(t, seen[f], "field %s twice for %q", f, cmd)
							seen[f] = true
						}
					}
				}
			}
		}
		h.w.Proto = 2
		v, _, err := resp.ReadValue([]byte(h.Do("HRANDFIELD", "h")))
		require.NoError(t, err)
		require.Equal(t, resp.BulkString, v.Kind)
	}
}

// TestHashIsDeterministic: the random replies come from the injected source.
func TestHashIsDeterministic(t *testing.T) {
	run := func() string {
		h := newHarness(t)
		h.Do("HSET", "h", "a", "1", "b", "2", "c", "3", "d", "4", "e", "5", "f", "6", "g", "7")
		return h.Do("HRANDFIELD", "h") + h.Do("HRANDFIELD", "h", "2") + h.Do("HRANDFIELD", "h", "-5", "WITHVALUES") +
			h.Do("HRANDFIELD", "h", "5")
	}
	require.Equal(t, run(), run())
}

package command

import (
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/syncscope/syncscope/core/hll"
)

// FuzzHLLCommands stores arbitrary bytes (seeded with real HLLs) as a string
// and runs every HyperLogLog command on it: nothing may panic, every error
// must be one Redis gives, and the three validators of a sparse value
// (PFCOUNT's histogram, the union's merge, TODENSE) must agree.
func FuzzHLLCommands(f *testing.F) {
	for _, name := range []string{"redis-0", "redis-3", "redis-200", "redis-1500", "redis-5000"} {
		b, err := os.ReadFile("../hll/testdata/" + name + ".hll")
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b, []byte("x"))
	}
	f.Add([]byte("HYLL\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x80\x7f\xfe\x40"), []byte("a"))
	f.Add([]byte("HYLL\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x80\x7f\xff\x80"), []byte(""))
	allowed := []string{"-" + errHLLCorrupt + "\r\n", "-" + errHLLType + "\r\n", "-ERR HLL encoding is not sparse\r\n"}
	f.Fuzz(func(t *testing.T, value, ele []byte) {
		h := newHarness(t)
		h.now = 1
		set := func() {
			if r := h.DoBytes([][]byte{[]byte("SET"), []byte("k"), value}); r != "+OK\r\n" {
				t.Fatalf("SET: %q", r)
			}
		}
		results := map[string]string{}
		for _, argv := range [][]string{
			{"PFCOUNT", "k"}, {"PFCOUNT", "k", "nokey"}, {"PFMERGE", "dst", "k"}, {"PFMERGE", "k", "dst"},
			{"PFADD", "k", string(ele)}, {"PFDEBUG", "GETREG", "k"}, {"PFDEBUG", "DECODE", "k"},
			{"PFDEBUG", "ENCODING", "k"}, {"PFDEBUG", "TODENSE", "k"},
		} {
			set()
			if len(value) > 15 && hll.Valid(value) {
				h.Do("SETRANGE", "k", "15", "\x80") // stale: PFCOUNT must read the registers
			}
			r := h.Do(argv...)
			results[strings.Join(argv, " ")] = r
			if r == "" || r[0] == '-' && !slices.Contains(allowed, r) {
				t.Fatalf("%q on %q: %q", argv, value, r)
			}
		}
		if hll.Valid(value) && !hll.IsDense(value) {
			bad := results["PFCOUNT k nokey"][0] == '-'
			for _, cmd := range []string{"PFCOUNT k", "PFDEBUG TODENSE k", "PFMERGE dst k"} {
				if (results[cmd][0] == '-') != bad {
					t.Fatalf("%q on %q: %q, but the union said %q", cmd, value, results[cmd], results["PFCOUNT k nokey"])
				}
			}
		}
	})
}

//go:build !js

package command

import (
	"math/bits"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/syncscope/syncscope/core/hll"
	"github.com/syncscope/syncscope/core/resp"
)

// hllDense is a dense HLL (as SET writes it) whose registers all hold v:
// values no PFADD makes, to compare the estimator at its edges.
func hllDense(v byte) string {
	regs := make([]byte, 16384*6/8)
	for i := 0; i < len(regs); i += 3 {
		regs[i] = v | v<<6
		regs[i+1] = v>>2 | v<<4
		regs[i+2] = v>>4 | v<<2
	}
	return "HYLL\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x80" + string(regs)
}

// hllElement returns an element PFADD puts in register index with a run
// of count (found by trying "e0", "e1"...).
func hllElement(index int, count uint8) string {
	for i := 0; ; i++ {
		e := "e" + strconv.Itoa(i)
		h := hll.Hash([]byte(e))
		if int(h&(hll.Registers-1)) == index && uint8(bits.TrailingZeros64(h>>14|1<<50))+1 == count {
			return e
		}
	}
}

// TestHLLDiffTail: a sparse value cut off inside an XZERO opcode reads the
// byte past its end, which Redis's split of that opcode overwrites; both
// servers must read the same byte there afterwards.
func TestHLLDiffTail(t *testing.T) {
	hdr := "HYLL\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x80"
	e16383, e200, e300 := hllElement(16383, 2), hllElement(200, 3), hllElement(300, 1)
	runDiff(t, []diffCase{
		skc("SET", "t", hdr+"\x7f\xfe\x40"), skc("PFADD", "t", e16383), skc("GET", "t"), skc("PFDEBUG", "DECODE", "t"),
		skc("PFCOUNT", "t"), skc("PFCOUNT", "t", "nokey"), skc("PFADD", "t", e16383), skc("GET", "t"),
		skc("SET", "t", hdr+"\x40\x63\x41"), skc("PFADD", "t", e200), skc("GET", "t"), skc("PFDEBUG", "DECODE", "t"),
		skc("PFCOUNT", "t", "nokey"), skc("PFADD", "t", e300), skc("GET", "t"), skc("PFDEBUG", "DECODE", "t"),
		skc("SET", "t", hdr+"\x40\x63\x41"), skc("PFADD", "t", e200), skc("SETRANGE", "t", "15", "\x80"),
		skc("PFDEBUG", "DECODE", "t"), skc("APPEND", "t", "\x00"), skc("PFDEBUG", "DECODE", "t"), skc("PFCOUNT", "t"),
		skc("SET", "t", hdr+"\x40\x63\x41"), skc("PFADD", "t", e200), skc("COPY", "t", "t2"), skc("PFDEBUG", "DECODE", "t2"),
		skc("PFDEBUG", "TODENSE", "t"), skc("GET", "t"),
	})
}

func TestHLLDiff(t *testing.T) {
	var many []string
	for i := range 200 {
		many = append(many, "e"+strconv.Itoa(i))
	}
	runDiff(t, []diffCase{
		skc("PFADD", "h"), skc("GET", "h"), skc("OBJECT", "ENCODING", "h"), skc("PFCOUNT", "h"), skc("GET", "h"),
		skc("PFADD", "h"), skc("PFADD", "h", "a", "b", "c"), skc("GET", "h"), skc("PFADD", "h", "a", "b", "c"),
		skc("PFADD", "h", ""), skc("PFCOUNT", "h"), skc("GET", "h"), skc("PFDEBUG", "DECODE", "h"),
		skc("PFDEBUG", "encoding", "h"), skc("OBJECT", "ENCODING", "h"), skc("DUMP", "h"),
		skc(append([]string{"PFADD", "big"}, many...)...), skc("GET", "big"), skc("PFCOUNT", "big"), skc("GET", "big"),
		skc("PFDEBUG", "DECODE", "big"), skc("PFCOUNT", "big", "h"), skc("PFCOUNT", "big", "nokey", "h"),
		skc("PFMERGE", "m", "big", "h"), skc("GET", "m"), skc("PFCOUNT", "m"), skc("PFMERGE", "m"), skc("GET", "m"),
		skc("PFMERGE", "nokey2"), skc("GET", "nokey2"), skc("PFMERGE", "h", "big"), skc("GET", "h"),
		skc("PFDEBUG", "TODENSE", "big"), skc("GET", "big"), skc("PFDEBUG", "TODENSE", "big"), skc("PFDEBUG", "ENCODING", "big"),
		skc("PFDEBUG", "DECODE", "big"), skc("PFCOUNT", "big"), skc("PFADD", "big", "zz1", "zz2"), skc("GET", "big"),
		skc("PFMERGE", "m2", "h", "big"), skc("GET", "m2"), skc("PFDEBUG", "GETREG", "m"), skc("GET", "m"),
		skc("PFDEBUG", "GETREG", "m"), skc("PFDEBUG", "GETREG", "nokey"), skc("PFDEBUG", "nosuch", "nokey"),
		skc("PFDEBUG", "nosuch", "m"), skc("PFDEBUG", "getreg"), skc("PFDEBUG", "getreg", "m", "x"), skc("PFSELFTEST", "x"),
		// Types and corrupt values.
		skc("SET", "s", "foo"), skc("PFADD", "s", "a"), skc("PFCOUNT", "s"), skc("PFCOUNT", "s", "h"), skc("PFCOUNT", "h", "s"),
		skc("PFMERGE", "s", "h"), skc("PFMERGE", "h", "s"), skc("PFDEBUG", "ENCODING", "s"), skc("LPUSH", "l", "a"),
		skc("PFADD", "l", "a"), skc("PFCOUNT", "l"), skc("PFCOUNT", "h", "l"), skc("PFMERGE", "l", "h"), skc("PFMERGE", "h", "l"),
		skc("PFDEBUG", "DECODE", "l"), skc("SET", "i", "123"), skc("PFCOUNT", "i"), skc("SET", "hh", "HYLL"), skc("PFCOUNT", "hh"),
		skc("SET", "hh", "HYLL\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"), skc("PFCOUNT", "hh"), skc("PFDEBUG", "DECODE", "hh"),
		skc("PFADD", "hh", "x"), skc("GET", "hh"), skc("PFMERGE", "hh2", "hh"),
		skc("SET", "hh", "HYLL\x02\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x7f\xff"), skc("PFCOUNT", "hh"),
		skc("SET", "hh", "HYLL\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x7f\xff"), skc("PFCOUNT", "hh"),
		skc("SET", "hh", "HYLL\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x80\x7f\xfe"), skc("PFCOUNT", "hh"), skc("PFADD", "hh", "a"),
		skc("PFMERGE", "hh3", "hh"), skc("PFDEBUG", "GETREG", "hh"), skc("PFDEBUG", "TODENSE", "hh"), skc("PFDEBUG", "DECODE", "hh"),
		// A cut-off XZERO at the end reads its second byte as Redis's terminator.
		skc("SET", "hh", "HYLL\x01\x00\x00\x00\x00\x00\x00\x80\x7f\xfe\x40"), skc("PFCOUNT", "hh"), skc("PFDEBUG", "DECODE", "hh"),
		skc("PFADD", "hh", "a", "b", "c", "d"), skc("GET", "hh"), skc("PFDEBUG", "DECODE", "hh"),
		skc("SET", "hh", "HYLL\x01\x00\x00\x00\x00\x00\x00\x80\x7f\xfe\x40"), skc("PFDEBUG", "TODENSE", "hh"), skc("GET", "hh"),
		// A cached cardinality is trusted; a stale one is recomputed and written back.
		skc("SET", "c", "HYLL\x01\x00\x00\x00\x2a\x00\x00\x00\x00\x00\x00\x00\x7f\xff"), skc("PFCOUNT", "c"), skc("GET", "c"),
		skc("SET", "c", "HYLL\x01\xff\xff\xff\x2a\x00\x00\x00\x00\x00\x00\x80\x7f\xff"), skc("PFCOUNT", "c"), skc("GET", "c"),
		skc("PFDEBUG", "TODENSE", "c"), skc("GET", "c"),
		// Reading an HLL unshares it: embstr becomes raw, even from the cache.
		skc("SET", "e", "HYLL\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x7f\xff"), skc("OBJECT", "ENCODING", "e"),
		skc("PFCOUNT", "e"), skc("OBJECT", "ENCODING", "e"), skc("SET", "e2", "HYLL"), skc("PFCOUNT", "e2"),
		skc("OBJECT", "ENCODING", "e2"), skc("SET", "e3", "HYLL\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x7f\xff"),
		skc("PFCOUNT", "e3", "nokey"), skc("OBJECT", "ENCODING", "e3"), skc("PFDEBUG", "ENCODING", "e3"), skc("OBJECT", "ENCODING", "e3"),
		// The estimator's edges: registers a PFADD never writes.
		skc("SET", "d", hllDense(50)), skc("PFCOUNT", "d"), skc("GET", "d"), skc("PFCOUNT", "d", "nokey"),
		skc("SET", "d", hllDense(63)), skc("PFCOUNT", "d"), skc("PFCOUNT", "d", "nokey"), skc("PFMERGE", "dm", "d"), skc("GET", "dm"),
		skc("SET", "d", hllDense(51)), skc("PFCOUNT", "d"), skc("SET", "d", hllDense(1)), skc("PFCOUNT", "d"),
		skc("SET", "d", hllDense(33)), skc("PFCOUNT", "d"), skc("PFADD", "d", "x"), skc("PFMERGE", "dm2", "h", "d"), skc("GET", "dm2"),
		skc("SET", "d", hllDense(0)+"x"), skc("PFCOUNT", "d"),
		// Arity.
		skc("PFADD"), skc("PFCOUNT"), skc("PFMERGE"), skc("PFDEBUG", "x"),
	})
}

// TestHLLDiffRandom adds random elements to a few keys on both servers,
// with a small hll-sparse-max-bytes so values are promoted along the way,
// and compares every reply and the stored strings byte for byte.
func TestHLLDiffRandom(t *testing.T) {
	for _, sparseMax := range []int{3000, 200} {
		t.Run("sparse-max="+strconv.Itoa(sparseMax), func(t *testing.T) {
			rr := startRealRedis(t, "", "--hll-sparse-max-bytes", strconv.Itoa(sparseMax))
			h := newHarness(t)
			h.st.Limits.HLLSparseMaxBytes = sparseMax
			rnd := rand.New(rand.NewPCG(uint64(sparseMax), 7))
			keys := []string{"a", "b", "c"}
			do := func(args ...string) {
				t.Helper()
				argv := bytesArgs(args...)
				require.Equal(t, rr.Do(t, argv...), h.DoBytes(argv), "command %q", args)
			}
			for range 600 {
				key := keys[rnd.IntN(len(keys))]
				switch n := rnd.IntN(20); {
				case n < 14:
					args := []string{"PFADD", key}
					for range rnd.IntN(12) {
						args = append(args, strconv.Itoa(rnd.IntN(5000)))
					}
					do(args...)
				case n < 16:
					do("PFCOUNT", key)
				case n < 17:
					do("PFCOUNT", "a", "b", "c")
				case n < 18:
					do("PFMERGE", key, keys[rnd.IntN(len(keys))])
				case n < 19:
					do("PFDEBUG", "ENCODING", key)
				default:
					do("PFDEBUG", "DECODE", key)
				}
				do("GET", key)
			}
		})
	}
}

// TestHLLDiffCorrupt corrupts HLLs the way unit/hyperloglog's fuzzer does
// (random bytes at random offsets) and requires the same replies and the
// same strings after PFCOUNT, PFADD, PFMERGE and PFDEBUG on both servers.
func TestHLLDiffCorrupt(t *testing.T) {
	rr := startRealRedis(t, "")
	h := newHarness(t)
	rnd := rand.New(rand.NewPCG(3, 4))
	do := func(argv ...[]byte) string {
		t.Helper()
		want := rr.Do(t, argv...)
		if got := h.DoBytes(argv); got != want {
			t.Fatalf("command %q: redis-server %q, syncscope %q; value before: %q dst %q", argv, want, got, rr.Do(t, []byte("GET"), []byte("hll")), rr.Do(t, []byte("GET"), []byte("dst")))
		}
		return want
	}
	for range 300 {
		do([]byte("DEL"), []byte("hll"))
		add := [][]byte{[]byte("PFADD"), []byte("hll")}
		for range rnd.IntN(3000) {
			add = append(add, []byte(strconv.FormatFloat(rnd.Float64(), 'f', -1, 64)))
		}
		do(add...)
		if rnd.IntN(4) == 0 {
			do([]byte("PFDEBUG"), []byte("TODENSE"), []byte("hll"))
		}
		for range 5 {
			v, _, err := resp.ReadValue([]byte(do([]byte("STRLEN"), []byte("hll"))))
			require.NoError(t, err)
			pos := rnd.Int64N(v.Int)
			do([]byte("SETRANGE"), []byte("hll"), []byte(strconv.FormatInt(pos, 10)), []byte{byte(rnd.IntN(256))})
			if rnd.IntN(2) == 0 {
				break
			}
		}
		switch rnd.IntN(6) {
		case 0:
			do([]byte("PFADD"), []byte("hll"), []byte("x"), []byte("y"), []byte(strconv.Itoa(rnd.Int())))
		case 1:
			do([]byte("PFMERGE"), []byte("dst"), []byte("hll"))
			do([]byte("GET"), []byte("dst"))
		case 2:
			do([]byte("PFDEBUG"), []byte("DECODE"), []byte("hll"))
		case 3:
			do([]byte("PFDEBUG"), []byte("GETREG"), []byte("hll"))
		case 4:
			do([]byte("PFCOUNT"), []byte("hll"), []byte("dst"))
		}
		do([]byte("PFCOUNT"), []byte("hll"))
		do([]byte("GET"), []byte("hll"))
	}
}

// TestHLLDumpRestoreBothWays moves HLLs made by one server to the other with
// DUMP and RESTORE, and requires the same strings and counts after more adds.
func TestHLLDumpRestoreBothWays(t *testing.T) {
	rr := startRealRedis(t, "")
	h := newHarness(t)
	fill := func(do func(...string) string, key string, n int) {
		args := []string{"PFADD", key}
		for i := range n {
			args = append(args, key+strconv.Itoa(i))
		}
		do(args...)
	}
	redisDo := func(args ...string) string { return rr.Do(t, bytesArgs(args...)...) }
	bulk := func(raw string) string {
		v, _, err := resp.ReadValue([]byte(raw))
		require.NoError(t, err)
		return string(v.Str)
	}
	for _, n := range []int{0, 3, 100, 2000, 20000} {
		name := "r" + strconv.Itoa(n)
		fill(redisDo, name, n)
		redisDo("PFCOUNT", name)
		require.Equal(t, "+OK\r\n", h.DoBytes([][]byte{[]byte("RESTORE"), []byte(name), []byte("0"), []byte(bulk(redisDo("DUMP", name)))}))
		name2 := "s" + strconv.Itoa(n)
		fill(h.Do, name2, n)
		h.Do("PFCOUNT", name2)
		require.Equal(t, "+OK\r\n", rr.Do(t, []byte("RESTORE"), []byte(name2), []byte("0"), []byte(bulk(h.Do("DUMP", name2)))))
		for _, k := range []string{name, name2} {
			for _, cmd := range [][]string{{"GET", k}, {"PFCOUNT", k}, {"PFADD", k, "more", "x" + k}, {"GET", k},
				{"PFCOUNT", k}, {"DUMP", k}, {"OBJECT", "ENCODING", k}} {
				require.Equal(t, redisDo(cmd...), h.Do(cmd...), "command %q", cmd)
			}
		}
	}
	require.Equal(t, redisDo("PFCOUNT", "r20000", "s2000", "r3"), h.Do("PFCOUNT", "r20000", "s2000", "r3"))
	require.True(t, strings.HasPrefix(h.Do("PFCOUNT", "r20000"), ":"))
}

// TestHLLDiffCorruptEdits corrupts the opcodes of small sparse values and
// then edits them (PFADD, PFMERGE into themselves): where Redis edits a
// corrupt value in place, the same bytes must come out here.
func TestHLLDiffCorruptEdits(t *testing.T) {
	rr := startRealRedis(t, "", "--hll-sparse-max-bytes", "400")
	h := newHarness(t)
	h.st.Limits.HLLSparseMaxBytes = 400
	rnd := rand.New(rand.NewPCG(77, 4))
	do := func(args ...string) string {
		t.Helper()
		argv := bytesArgs(args...)
		want := rr.Do(t, argv...)
		if got := h.DoBytes(argv); got != want {
			t.Fatalf("command %q: redis-server %q, syncscope %q; value before: %q", args, want, got, rr.Do(t, []byte("GET"), []byte("hll")))
		}
		return want
	}
	for range 1000 {
		do("DEL", "hll")
		add := []string{"PFADD", "hll"}
		for range rnd.IntN(150) {
			add = append(add, strconv.Itoa(rnd.IntN(1e6)))
		}
		do(add...)
		v := do("STRLEN", "hll")
		l, _ := strconv.Atoi(v[1 : len(v)-2])
		for range 1 + rnd.IntN(3) {
			pos := 16 + rnd.IntN(max(1, l-16))
			do("SETRANGE", "hll", strconv.Itoa(pos), string([]byte{byte(rnd.IntN(256))}))
		}
		if rnd.IntN(3) == 0 {
			do("APPEND", "hll", string([]byte{byte(rnd.IntN(256))}))
		}
		for range 3 {
			add := []string{"PFADD", "hll"}
			for range 1 + rnd.IntN(20) {
				add = append(add, strconv.Itoa(rnd.IntN(1e6)))
			}
			do(add...)
			do("GET", "hll")
		}
		do("PFMERGE", "hll", "hll")
		do("GET", "hll")
		do("PFDEBUG", "DECODE", "hll")
	}
}

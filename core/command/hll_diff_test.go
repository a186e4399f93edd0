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
		dca("SET", "t", hdr+"\x7f\xfe\x40"), dca("PFADD", "t", e16383), dca("GET", "t"), dca("PFDEBUG", "DECODE", "t"),
		dca("PFCOUNT", "t"), dca("PFCOUNT", "t", "nokey"), dca("PFADD", "t", e16383), dca("GET", "t"),
		dca("SET", "t", hdr+"\x40\x63\x41"), dca("PFADD", "t", e200), dca("GET", "t"), dca("PFDEBUG", "DECODE", "t"),
		dca("PFCOUNT", "t", "nokey"), dca("PFADD", "t", e300), dca("GET", "t"), dca("PFDEBUG", "DECODE", "t"),
		dca("SET", "t", hdr+"\x40\x63\x41"), dca("PFADD", "t", e200), dca("SETRANGE", "t", "15", "\x80"),
		dca("PFDEBUG", "DECODE", "t"), dca("APPEND", "t", "\x00"), dca("PFDEBUG", "DECODE", "t"), dca("PFCOUNT", "t"),
		dca("SET", "t", hdr+"\x40\x63\x41"), dca("PFADD", "t", e200), dca("COPY", "t", "t2"), dca("PFDEBUG", "DECODE", "t2"),
		dca("PFDEBUG", "TODENSE", "t"), dca("GET", "t"),
	})
}

func TestHLLDiff(t *testing.T) {
	var many []string
	for i := range 200 {
		many = append(many, "e"+strconv.Itoa(i))
	}
	runDiff(t, []diffCase{
		dca("PFADD", "h"), dca("GET", "h"), dca("OBJECT", "ENCODING", "h"), dca("PFCOUNT", "h"), dca("GET", "h"),
		dca("PFADD", "h"), dca("PFADD", "h", "a", "b", "c"), dca("GET", "h"), dca("PFADD", "h", "a", "b", "c"),
		dca("PFADD", "h", ""), dca("PFCOUNT", "h"), dca("GET", "h"), dca("PFDEBUG", "DECODE", "h"),
		dca("PFDEBUG", "encoding", "h"), dca("OBJECT", "ENCODING", "h"), dca("DUMP", "h"),
		dca(append([]string{"PFADD", "big"}, many...)...), dca("GET", "big"), dca("PFCOUNT", "big"), dca("GET", "big"),
		dca("PFDEBUG", "DECODE", "big"), dca("PFCOUNT", "big", "h"), dca("PFCOUNT", "big", "nokey", "h"),
		dca("PFMERGE", "m", "big", "h"), dca("GET", "m"), dca("PFCOUNT", "m"), dca("PFMERGE", "m"), dca("GET", "m"),
		dca("PFMERGE", "nokey2"), dca("GET", "nokey2"), dca("PFMERGE", "h", "big"), dca("GET", "h"),
		dca("PFDEBUG", "TODENSE", "big"), dca("GET", "big"), dca("PFDEBUG", "TODENSE", "big"), dca("PFDEBUG", "ENCODING", "big"),
		dca("PFDEBUG", "DECODE", "big"), dca("PFCOUNT", "big"), dca("PFADD", "big", "zz1", "zz2"), dca("GET", "big"),
		dca("PFMERGE", "m2", "h", "big"), dca("GET", "m2"), dca("PFDEBUG", "GETREG", "m"), dca("GET", "m"),
		dca("PFDEBUG", "GETREG", "m"), dca("PFDEBUG", "GETREG", "nokey"), dca("PFDEBUG", "nosuch", "nokey"),
		dca("PFDEBUG", "nosuch", "m"), dca("PFDEBUG", "getreg"), dca("PFDEBUG", "getreg", "m", "x"), dca("PFSELFTEST", "x"),
		// Types and corrupt values.
		dca("SET", "s", "foo"), dca("PFADD", "s", "a"), dca("PFCOUNT", "s"), dca("PFCOUNT", "s", "h"), dca("PFCOUNT", "h", "s"),
		dca("PFMERGE", "s", "h"), dca("PFMERGE", "h", "s"), dca("PFDEBUG", "ENCODING", "s"), dca("LPUSH", "l", "a"),
		dca("PFADD", "l", "a"), dca("PFCOUNT", "l"), dca("PFCOUNT", "h", "l"), dca("PFMERGE", "l", "h"), dca("PFMERGE", "h", "l"),
		dca("PFDEBUG", "DECODE", "l"), dca("SET", "i", "123"), dca("PFCOUNT", "i"), dca("SET", "hh", "HYLL"), dca("PFCOUNT", "hh"),
		dca("SET", "hh", "HYLL\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"), dca("PFCOUNT", "hh"), dca("PFDEBUG", "DECODE", "hh"),
		dca("PFADD", "hh", "x"), dca("GET", "hh"), dca("PFMERGE", "hh2", "hh"),
		dca("SET", "hh", "HYLL\x02\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x7f\xff"), dca("PFCOUNT", "hh"),
		dca("SET", "hh", "HYLL\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x7f\xff"), dca("PFCOUNT", "hh"),
		dca("SET", "hh", "HYLL\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x80\x7f\xfe"), dca("PFCOUNT", "hh"), dca("PFADD", "hh", "a"),
		dca("PFMERGE", "hh3", "hh"), dca("PFDEBUG", "GETREG", "hh"), dca("PFDEBUG", "TODENSE", "hh"), dca("PFDEBUG", "DECODE", "hh"),
		// A cut-off XZERO at the end reads its second byte as Redis's terminator.
		dca("SET", "hh", "HYLL\x01\x00\x00\x00\x00\x00\x00\x80\x7f\xfe\x40"), dca("PFCOUNT", "hh"), dca("PFDEBUG", "DECODE", "hh"),
		dca("PFADD", "hh", "a", "b", "c", "d"), dca("GET", "hh"), dca("PFDEBUG", "DECODE", "hh"),
		dca("SET", "hh", "HYLL\x01\x00\x00\x00\x00\x00\x00\x80\x7f\xfe\x40"), dca("PFDEBUG", "TODENSE", "hh"), dca("GET", "hh"),
		// A cached cardinality is trusted; a stale one is recomputed and written back.
		dca("SET", "c", "HYLL\x01\x00\x00\x00\x2a\x00\x00\x00\x00\x00\x00\x00\x7f\xff"), dca("PFCOUNT", "c"), dca("GET", "c"),
		dca("SET", "c", "HYLL\x01\xff\xff\xff\x2a\x00\x00\x00\x00\x00\x00\x80\x7f\xff"), dca("PFCOUNT", "c"), dca("GET", "c"),
		dca("PFDEBUG", "TODENSE", "c"), dca("GET", "c"),
		// Reading an HLL unshares it: embstr becomes raw, even from the cache.
		dca("SET", "e", "HYLL\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x7f\xff"), dca("OBJECT", "ENCODING", "e"),
		dca("PFCOUNT", "e"), dca("OBJECT", "ENCODING", "e"), dca("SET", "e2", "HYLL"), dca("PFCOUNT", "e2"),
		dca("OBJECT", "ENCODING", "e2"), dca("SET", "e3", "HYLL\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x7f\xff"),
		dca("PFCOUNT", "e3", "nokey"), dca("OBJECT", "ENCODING", "e3"), dca("PFDEBUG", "ENCODING", "e3"), dca("OBJECT", "ENCODING", "e3"),
		// The estimator's edges: registers a PFADD never writes.
		dca("SET", "d", hllDense(50)), dca("PFCOUNT", "d"), dca("GET", "d"), dca("PFCOUNT", "d", "nokey"),
		dca("SET", "d", hllDense(63)), dca("PFCOUNT", "d"), dca("PFCOUNT", "d", "nokey"), dca("PFMERGE", "dm", "d"), dca("GET", "dm"),
		dca("SET", "d", hllDense(51)), dca("PFCOUNT", "d"), dca("SET", "d", hllDense(1)), dca("PFCOUNT", "d"),
		dca("SET", "d", hllDense(33)), dca("PFCOUNT", "d"), dca("PFADD", "d", "x"), dca("PFMERGE", "dm2", "h", "d"), dca("GET", "dm2"),
		dca("SET", "d", hllDense(0)+"x"), dca("PFCOUNT", "d"),
		// Arity.
		dca("PFADD"), dca("PFCOUNT"), dca("PFMERGE"), dca("PFDEBUG", "x"),
	})
}

// pfaddN runs PFADD key with n elements, the i-th made by elem(i).
func pfaddN(do func(...string) string, key string, n int, elem func(i int) string) string {
	args := []string{"PFADD", key}
	for i := range n {
		args = append(args, elem(i))
	}
	return do(args...)
}

// TestHLLDiffRandom adds random elements to a few keys on both servers,
// with a small hll-sparse-max-bytes so values are promoted along the way,
// and compares every reply and the stored strings byte for byte.
func TestHLLDiffRandom(t *testing.T) {
	for _, sparseMax := range []int{3000, 200} {
		t.Run("sparse-max="+strconv.Itoa(sparseMax), func(t *testing.T) {
			s := startSideBySide(t, "--hll-sparse-max-bytes", strconv.Itoa(sparseMax))
			s.h.st.Limits.HLLSparseMaxBytes = sparseMax
			do := s.Do
			rnd := rand.New(rand.NewPCG(uint64(sparseMax), 7))
			keys := []string{"a", "b", "c"}
			for range 600 {
				key := keys[rnd.IntN(len(keys))]
				switch n := rnd.IntN(20); {
				case n < 14:
					pfaddN(do, key, rnd.IntN(12), func(int) string { return strconv.Itoa(rnd.IntN(5000)) })
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
	s := startSideBySide(t)
	s.state = func() string {
		return "on redis-server now: hll " + strconv.Quote(s.rr.Do(t, []byte("GET"), []byte("hll"))) +
			" dst " + strconv.Quote(s.rr.Do(t, []byte("GET"), []byte("dst")))
	}
	do := s.Do
	rnd := rand.New(rand.NewPCG(3, 4))
	for range 300 {
		do("DEL", "hll")
		pfaddN(do, "hll", rnd.IntN(3000), func(int) string { return strconv.FormatFloat(rnd.Float64(), 'f', -1, 64) })
		if rnd.IntN(4) == 0 {
			do("PFDEBUG", "TODENSE", "hll")
		}
		for range 5 {
			v, _, err := resp.ReadValue([]byte(do("STRLEN", "hll")))
			require.NoError(t, err)
			pos := rnd.Int64N(v.Int)
			do("SETRANGE", "hll", strconv.FormatInt(pos, 10), string([]byte{byte(rnd.IntN(256))}))
			if rnd.IntN(2) == 0 {
				break
			}
		}
		switch rnd.IntN(6) {
		case 0:
			do("PFADD", "hll", "x", "y", strconv.Itoa(rnd.Int()))
		case 1:
			do("PFMERGE", "dst", "hll")
			do("GET", "dst")
		case 2:
			do("PFDEBUG", "DECODE", "hll")
		case 3:
			do("PFDEBUG", "GETREG", "hll")
		case 4:
			do("PFCOUNT", "hll", "dst")
		}
		do("PFCOUNT", "hll")
		do("GET", "hll")
	}
}

// TestHLLDumpRestoreBothWays moves HLLs made by one server to the other with
// DUMP and RESTORE, and requires the same strings and counts after more adds.
func TestHLLDumpRestoreBothWays(t *testing.T) {
	s := startSideBySide(t)
	fill := func(do func(...string) string, key string, n int) {
		pfaddN(do, key, n, func(i int) string { return key + strconv.Itoa(i) })
	}
	for _, n := range []int{0, 3, 100, 2000, 20000} {
		name := "r" + strconv.Itoa(n)
		fill(s.Redis, name, n)
		s.Redis("PFCOUNT", name)
		require.Equal(t, "+OK\r\n", s.h.Do("RESTORE", name, "0", bulkPayload(t, s.Redis("DUMP", name))))
		name2 := "s" + strconv.Itoa(n)
		fill(s.h.Do, name2, n)
		s.h.Do("PFCOUNT", name2)
		require.Equal(t, "+OK\r\n", s.Redis("RESTORE", name2, "0", bulkPayload(t, s.h.Do("DUMP", name2))))
		for _, k := range []string{name, name2} {
			for _, cmd := range [][]string{{"GET", k}, {"PFCOUNT", k}, {"PFADD", k, "more", "x" + k}, {"GET", k},
				{"PFCOUNT", k}, {"DUMP", k}, {"OBJECT", "ENCODING", k}} {
				s.Do(cmd...)
			}
		}
	}
	s.Do("PFCOUNT", "r20000", "s2000", "r3")
	require.True(t, strings.HasPrefix(s.h.Do("PFCOUNT", "r20000"), ":"))
}

// TestHLLDiffCorruptEdits corrupts the opcodes of small sparse values and
// then edits them (PFADD, PFMERGE into themselves): where Redis edits a
// corrupt value in place, the same bytes must come out here.
func TestHLLDiffCorruptEdits(t *testing.T) {
	s := startSideBySide(t, "--hll-sparse-max-bytes", "400")
	s.h.st.Limits.HLLSparseMaxBytes = 400
	s.state = func() string {
		return "on redis-server now: hll " + strconv.Quote(s.rr.Do(t, []byte("GET"), []byte("hll")))
	}
	do := s.Do
	rnd := rand.New(rand.NewPCG(77, 4))
	element := func(int) string { return strconv.Itoa(rnd.IntN(1e6)) }
	for range 1000 {
		do("DEL", "hll")
		pfaddN(do, "hll", rnd.IntN(150), element)
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
			pfaddN(do, "hll", 1+rnd.IntN(20), element)
			do("GET", "hll")
		}
		do("PFMERGE", "hll", "hll")
		do("GET", "hll")
		do("PFDEBUG", "DECODE", "hll")
	}
}

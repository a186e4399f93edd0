package hll

import (
	"math/rand/v2"
	"os"
	"runtime"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestRedisValues rebuilds values redis-server 7.0.15 made: testdata/redis-N.hll
// is GET k after PFADD k, then PFADD k e<i> for i < N one at a time (made
// with redis-cli --pipe), and card is what PFCOUNT k answered then.
func TestRedisValues(t *testing.T) {
	for _, tc := range []struct {
		n     int
		card  uint64
		dense bool
	}{
		{0, 0, false}, {3, 3, false}, {200, 200, false}, {1500, 1509, false},
		{5000, 4968, true}, {100000, 100853, true},
	} {
		t.Run(strconv.Itoa(tc.n), func(t *testing.T) {
			want, err := os.ReadFile("testdata/redis-" + strconv.Itoa(tc.n) + ".hll")
			require.NoError(t, err)
			require.True(t, Valid(want))
			v := Value{B: New()}
			for i := range tc.n {
				v.Add([]byte("e"+strconv.Itoa(i)), 3000)
			}
			Invalidate(v.B) // the first PFADD created the key: a change
			require.Equal(t, want, v.B)
			assert.Zero(t, v.Tail)
			assert.Equal(t, tc.dense, IsDense(v.B))
			card, ok := Count(Value{B: want})
			require.True(t, ok)
			assert.Equal(t, tc.card, card)
			d, ok := ToDense(Value{B: want})
			require.True(t, ok)
			card, _ = Count(Value{B: d})
			assert.Equal(t, tc.card, card, "dense and sparse estimate alike")
			var max [Registers]uint8
			require.True(t, Merge(&max, Value{B: want}))
			assert.Equal(t, tc.card, CountRegisters(&max))
		})
	}
}

func TestNewAndCache(t *testing.T) {
	b := New()
	assert.Equal(t, []byte("HYLL\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x7f\xff"), b)
	card, ok := Cached(b)
	assert.True(t, ok)
	assert.Zero(t, card)
	Invalidate(b)
	_, ok = Cached(b)
	assert.False(t, ok)
	SetCached(b, 12345)
	card, ok = Cached(b)
	assert.True(t, ok)
	assert.Equal(t, uint64(12345), card)
	assert.Equal(t, "Z:16384", string(Decode(Value{B: New()})))
}

func TestValid(t *testing.T) {
	dense := make([]byte, DenseSize)
	copy(dense, "HYLL")
	for _, tc := range []struct {
		b    string
		want bool
	}{
		{"", false}, {"HYLL", false}, {"HYLL\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00", false},
		{"HYLL\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00", true},
		{"HYLX\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00", false},
		{"HYLL\x02\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00", false},
		{"HYLL\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00", false},
		{string(dense), true}, {string(dense) + "x", false}, {string(dense[:DenseSize-1]), false},
	} {
		assert.Equal(t, tc.want, Valid([]byte(tc.b)), "%q", tc.b)
	}
}

// TestDenseRegisters sets every register to random values and reads them
// back: a write must not disturb the neighbours sharing its bytes.
func TestDenseRegisters(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	regs := make([]byte, DenseSize-HeaderSize)
	want := make([]uint8, Registers)
	for range 3 {
		for i := range want {
			want[i] = uint8(r.IntN(regMax + 1))
			denseSet(regs, i, want[i])
		}
		for i := range want {
			require.Equal(t, want[i], denseGet(regs, i), "register %d", i)
		}
		var h [histoLen]int
		denseHisto(regs, &h)
		var h2 [histoLen]int
		for _, v := range want {
			h2[v]++
		}
		require.Equal(t, h2, h)
	}
}

func TestSparseOpcodes(t *testing.T) {
	hdr := "HYLL\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"
	for _, tc := range []struct {
		name string
		body string
		set  [][2]int // index, count
		want string   // Decode after
		r    int      // result of the last Set
	}{
		{"first register", "\x7f\xff", [][2]int{{0, 3}}, "v:3,1 Z:16383", 1},
		{"last register", "\x7f\xff", [][2]int{{16383, 1}}, "Z:16383 v:1,1", 1},
		{"middle", "\x7f\xff", [][2]int{{100, 2}}, "Z:100 v:2,1 Z:16283", 1},
		{"short zero runs", "\x7f\xff", [][2]int{{10, 2}}, "z:10 v:2,1 Z:16373", 1},
		{"not lower", "\x7f\xff", [][2]int{{5, 3}, {5, 2}}, "z:5 v:3,1 Z:16378", 0},
		{"merge neighbours", "\x7f\xff", [][2]int{{5, 3}, {6, 3}, {4, 3}}, "z:4 v:3,3 Z:16377", 1},
		{"merge stops at four", "\x7f\xff", [][2]int{{5, 3}, {6, 3}, {7, 3}, {8, 3}, {9, 3}}, "z:5 v:3,4 v:3,1 Z:16374", 1},
		{"split a VAL run", "\x7f\xff", [][2]int{{5, 3}, {6, 3}, {7, 3}, {6, 9}}, "z:5 v:3,1 v:9,1 v:3,1 Z:16376", 1},
		{"out of range", "\x7f\xfe", [][2]int{{16383, 1}}, "Z:16383", -1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v := Value{B: []byte(hdr + tc.body)}
			r := 0
			for _, s := range tc.set {
				r = v.Set(s[0], uint8(s[1]), 3000)
			}
			assert.Equal(t, tc.r, r)
			assert.Equal(t, tc.want, string(Decode(v)))
		})
	}
}

// TestTail: splitting an XZERO cut off at the end writes the sequence's
// last byte past the new end (Redis sets the length first), and the cut-off
// opcode left behind reads it there; a merge of neighbours writes a
// terminator again.
func TestTail(t *testing.T) {
	hdr := "HYLL\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x80"
	v := Value{B: []byte(hdr + "\x7f\xfe\x40")} // Z:16383 and a cut-off XZERO (reads Z:1)
	assert.Equal(t, 1, v.Set(16383, 2, 3000))
	assert.Equal(t, hdr+"\x7f\xfe", string(v.B), "the 2-byte XZERO became a 1-byte VAL: the length shrank first")
	assert.Equal(t, byte(0x84), v.Tail, "v:2,1 past the end")
	v = Value{B: []byte(hdr + "\x40\x63\x41")} // Z:100, then a cut-off XZERO read as Z:257
	assert.Equal(t, 1, v.Set(200, 3, 3000))
	assert.Equal(t, hdr+"\x40\x63\x40\x63\x88\x40", string(v.B), "Z:100 Z:100 v:3,1 and a cut-off XZERO")
	assert.Equal(t, byte(0x9b), v.Tail, "the rest of Z:156 past the end")
	assert.Equal(t, "Z:100 Z:100 v:3,1 Z:156", string(Decode(v)))
	assert.Equal(t, "Z:100 Z:100 v:3,1 Z:1", string(Decode(Value{B: v.B})))
}

func TestSparsePromotion(t *testing.T) {
	// A value too big for a VAL opcode promotes at once.
	v := Value{B: New()}
	assert.Equal(t, 1, v.Set(7, 33, 3000))
	require.True(t, IsDense(v.B))
	assert.Equal(t, uint8(33), RegisterValues(v.B)[7])
	// So does a value that would outgrow hll-sparse-max-bytes.
	v = Value{B: New()}
	for i := 0; !IsDense(v.B); i++ {
		before := len(v.B)
		require.Equal(t, 1, v.Set(i*3, 1, 40))
		if !IsDense(v.B) {
			require.LessOrEqual(t, len(v.B), 40, "after %d (was %d)", i, before)
		}
	}
	regs := RegisterValues(v.B)
	for i, v := range regs {
		if i%3 == 0 && i/3 < 8 {
			assert.Equal(t, uint8(1), v, "register %d", i)
		}
	}
}

func TestCorruptSparse(t *testing.T) {
	hdr := "HYLL\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x80"
	for _, tc := range []struct {
		name  string
		body  string
		valid bool
	}{
		{"exact", "\x7f\xff", true},
		{"short", "\x7f\xfe", false},
		{"VAL past the end", "\x7f\xff\x80", false},
		{"ZERO past the end", "\x7f\xff\x00", false},
		{"VAL run over the end", "\x7f\xfe\x81", false},
		{"cut-off XZERO reads a zero byte", "\x7f\xfe\x40", true},
		{"cut-off XZERO over the end", "\x7f\xfe\x80\x40", false},
		{"empty", "", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v := Value{B: []byte(hdr + tc.body)}
			_, ok := Count(v)
			assert.Equal(t, tc.valid, ok, "Count")
			_, ok = ToDense(v)
			assert.Equal(t, tc.valid, ok, "ToDense")
			var max [Registers]uint8
			assert.Equal(t, tc.valid, Merge(&max, v), "Merge")
		})
	}
}

func TestEstimatorEdges(t *testing.T) {
	var max [Registers]uint8
	assert.Zero(t, CountRegisters(&max))
	for i := range max {
		max[i] = 50
	}
	assert.Equal(t, uint64(cardOverrun), CountRegisters(&max), "llroundl overflow")
	max[0] = 0
	assert.Less(t, CountRegisters(&max), uint64(cardOverrun))
}

func TestSelfTest(t *testing.T) {
	if testing.Short() || runtime.GOOS == "js" {
		t.Skip("ten million adds (a second natively, several under wasm; the fixtures check the wasm build)")
	}
	require.NoError(t, SelfTest(rand.New(rand.NewPCG(1, 2)), 3000))
}

func BenchmarkAddSparse(b *testing.B) {
	b.ReportAllocs()
	ele := []byte("element:000000")
	h := Value{B: New()}
	for i := range b.N {
		if i%1000 == 0 {
			h = Value{B: New()}
		}
		ele = strconv.AppendInt(ele[:8], int64(i), 10)
		h.Add(ele, 3000)
	}
}

func BenchmarkAddDense(b *testing.B) {
	b.ReportAllocs()
	d, _ := ToDense(Value{B: New()})
	h := Value{B: d}
	ele := []byte("element:000000")
	for i := range b.N {
		ele = strconv.AppendInt(ele[:8], int64(i), 10)
		h.Add(ele, 3000)
	}
}

func BenchmarkCountDense(b *testing.B) {
	d, _ := ToDense(Value{B: New()})
	benchCount(b, Value{B: d}, 100000)
}

func BenchmarkCountSparse(b *testing.B) { benchCount(b, Value{B: New()}, 1000) }

// benchCount times PFCOUNT's Count of h once n elements are added.
func benchCount(b *testing.B, h Value, n int) {
	for i := range n {
		h.Add([]byte(strconv.Itoa(i)), 3000)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		Count(h)
	}
}

package command

import (
	"encoding/binary"
	"math/big"
	"math/rand/v2"
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/syncscope/syncscope/core/resp"
)

// The bit commands against a model written from their documentation, one
// bit at a time: what BITCOUNT and BITPOS find in a range, and what
// BITFIELD's SET, INCRBY and GET do under each OVERFLOW behaviour (with
// math/big arithmetic, for values that do not overflow an int64 on the
// way). The byte-for-byte comparison with redis-server, which also covers
// Redis's arithmetic at the int64 edges, is in bitops_diff_test.go.

// modelBit reads bit i of s (bits past the end are 0).
func modelBit(s []byte, i int64) bool {
	return i>>3 < int64(len(s)) && s[i>>3]&(0x80>>(i&7)) != 0
}

// modelRange resolves a start/end pair in unit (bits or bytes) to a range
// of bits, empty when first > last.
func modelRange(n int, start, end int64, isBit bool) (first, last int64) {
	total := int64(n)
	if isBit {
		total *= 8
	}
	if start < 0 {
		start = max(start+total, 0)
	}
	if end < 0 {
		end = max(end+total, 0)
	}
	end = min(end, total-1)
	if start > end {
		return 0, -1
	}
	if isBit {
		return start, end
	}
	return start * 8, end*8 + 7
}

// bitRangeArgs are BITCOUNT's or BITPOS's optional arguments.
type bitRangeArgs struct {
	start, end         int64
	hasStart, hasEnd   bool
	isBit, unitWritten bool
}

func (a bitRangeArgs) append(args []string) []string {
	if a.hasStart {
		args = append(args, strconv.FormatInt(a.start, 10))
	}
	if a.hasEnd {
		args = append(args, strconv.FormatInt(a.end, 10))
	}
	if a.unitWritten {
		args = append(args, map[bool]string{true: "BIT", false: "BYTE"}[a.isBit])
	}
	return args
}

func modelBitcount(s []byte, a bitRangeArgs) int64 {
	first, last := int64(0), int64(len(s))*8-1
	if a.hasStart {
		if a.start < 0 && a.end < 0 && a.start > a.end {
			return 0
		}
		first, last = modelRange(len(s), a.start, a.end, a.isBit)
	}
	n := int64(0)
	for i := first; i <= last; i++ {
		if modelBit(s, i) {
			n++
		}
	}
	return n
}

func modelBitpos(s []byte, bit bool, a bitRangeArgs) int64 {
	first, last := int64(0), int64(len(s))*8-1
	if a.hasStart {
		end := a.end
		if !a.hasEnd {
			end = -1 // the last byte or bit
		}
		first, last = modelRange(len(s), a.start, end, a.isBit)
	}
	if first > last {
		return -1 // an empty range holds neither a 0 nor a 1
	}
	for i := first; i <= last; i++ {
		if modelBit(s, i) == bit {
			return i
		}
	}
	if bit || a.hasEnd {
		return -1
	}
	return last + 1 // without an end, the string is followed by zeros
}

// randomBitmap is a string of runs of 0x00, 0xff and random bytes, so that
// BITPOS meets long runs, word boundaries and lone bits.
func randomBitmap(rng *rand.Rand) []byte {
	var s []byte
	for range rng.IntN(5) {
		n := rng.IntN(20)
		for range n {
			switch rng.IntN(3) {
			case 0:
				s = append(s, 0)
			case 1:
				s = append(s, 0xff)
			default:
				s = append(s, byte(rng.Uint32()))
			}
		}
	}
	return s
}

func randomRangeArgs(rng *rand.Rand, n int, withEndOptional bool) bitRangeArgs {
	bound := int64(n*8*2 + 3)
	pick := func() int64 {
		if rng.IntN(20) == 0 {
			return []int64{-1 << 63, 1<<63 - 1}[rng.IntN(2)]
		}
		return rng.Int64N(2*bound) - bound
	}
	a := bitRangeArgs{hasStart: rng.IntN(5) != 0}
	if !a.hasStart {
		return a
	}
	a.start, a.end = pick(), pick()
	a.hasEnd = !withEndOptional || rng.IntN(3) != 0
	if a.hasEnd && rng.IntN(3) != 0 {
		a.unitWritten = true
		a.isBit = rng.IntN(2) == 0
	}
	return a
}

// checkBitcountBitpos runs BITCOUNT and BITPOS on s with a against the model.
func checkBitcountBitpos(t *testing.T, h *harness, s []byte, a bitRangeArgs, bit bool) {
	t.Helper()
	h.DoBytes([][]byte{[]byte("SET"), []byte("m"), s})
	bc := a
	bc.hasEnd = a.hasStart // BITCOUNT takes both or neither
	want := ":" + strconv.FormatInt(modelBitcount(s, bc), 10) + "\r\n"
	args := bc.append([]string{"BITCOUNT", "m"})
	require.Equal(t, want, h.Do(args...), "%q on %x", args, s)

	b := "0"
	if bit {
		b = "1"
	}
	want = ":" + strconv.FormatInt(modelBitpos(s, bit, a), 10) + "\r\n"
	args = a.append([]string{"BITPOS", "m", b})
	require.Equal(t, want, h.Do(args...), "%q on %x", args, s)
}

func TestBitcountBitposMatchModel(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	h := newHarness(t)
	h.now = 1000
	for range 3000 {
		s := randomBitmap(rng)
		checkBitcountBitpos(t, h, s, randomRangeArgs(rng, len(s), true), rng.IntN(2) == 0)
	}
}

// bfModelOp is one BITFIELD operation for the model.
type bfModelOp struct {
	op       string // GET SET INCRBY OVERFLOW
	how      string // the OVERFLOW behaviour
	signed   bool
	width    int
	offset   int64
	value    int64
	hashForm bool // offset written as #N (offset is then N*width)
}

func (o bfModelOp) append(args []string) []string {
	if o.op == "OVERFLOW" {
		return append(args, o.op, o.how)
	}
	typ := "u"
	if o.signed {
		typ = "i"
	}
	off := strconv.FormatInt(o.offset, 10)
	if o.hashForm {
		off = "#" + strconv.FormatInt(o.offset/int64(o.width), 10)
	}
	args = append(args, o.op, typ+strconv.Itoa(o.width), off)
	if o.op != "GET" {
		args = append(args, strconv.FormatInt(o.value, 10))
	}
	return args
}

// modelBitfield applies ops to s and returns the new string and the reply.
func modelBitfield(s []byte, ops []bfModelOp) ([]byte, string) {
	s = append([]byte(nil), s...)
	need := len(s)
	for _, o := range ops {
		if o.op == "SET" || o.op == "INCRBY" {
			need = max(need, int((o.offset+int64(o.width)-1)>>3)+1)
		}
	}
	s = append(s, make([]byte, need-len(s))...)
	var w resp.Writer
	n := 0
	for _, o := range ops {
		if o.op != "OVERFLOW" {
			n++
		}
	}
	w.ArrayLen(n)
	how := "WRAP"
	for _, o := range ops {
		if o.op == "OVERFLOW" {
			how = o.how
			continue
		}
		lo, hi := new(big.Int), new(big.Int).Lsh(big.NewInt(1), uint(o.width))
		if o.signed {
			hi.Rsh(hi, 1)
			lo.Neg(hi)
		}
		hi.Sub(hi, big.NewInt(1))
		old := new(big.Int)
		for i := int64(0); i < int64(o.width); i++ {
			old.Lsh(old, 1)
			if modelBit(s, o.offset+i) {
				old.SetBit(old, 0, 1)
			}
		}
		if o.signed && old.Cmp(hi) > 0 {
			old.Sub(old, new(big.Int).Lsh(big.NewInt(1), uint(o.width)))
		}
		if o.op == "GET" {
			w.Int(old.Int64())
			continue
		}
		next := big.NewInt(o.value)
		if !o.signed && o.op == "SET" && o.value < 0 {
			// An unsigned SET reads its value as a uint64 (Redis casts it).
			next.Add(next, new(big.Int).Lsh(big.NewInt(1), 64))
		}
		if o.op == "INCRBY" {
			next.Add(next, old)
		}
		if next.Cmp(lo) < 0 || next.Cmp(hi) > 0 {
			switch how {
			case "FAIL":
				w.Null()
				continue
			case "SAT":
				if next.Cmp(lo) < 0 {
					next.Set(lo)
				} else {
					next.Set(hi)
				}
			default: // WRAP: modulo 2^width, into [lo, hi]
				span := new(big.Int).Lsh(big.NewInt(1), uint(o.width))
				next.Sub(next, lo).Mod(next, span).Add(next, lo)
			}
		}
		if o.op == "INCRBY" {
			w.Int(next.Int64())
		} else {
			w.Int(old.Int64())
		}
		u := new(big.Int).Set(next)
		if u.Sign() < 0 {
			u.Add(u, new(big.Int).Lsh(big.NewInt(1), uint(o.width)))
		}
		for i := int64(o.width) - 1; i >= 0; i-- {
			at := o.offset + i
			if u.Bit(int(int64(o.width)-1-i)) != 0 {
				s[at>>3] |= 0x80 >> (at & 7)
			} else {
				s[at>>3] &^= 0x80 >> (at & 7)
			}
		}
	}
	return s, string(w.Buf)
}

// decodeBitfieldOps turns fuzz bytes into operations, 12 bytes each: the
// kind, the type, a 10-bit offset and a value kept within ±2^62 (so the
// model's arithmetic and Redis's agree: no int64 wraps on the way).
func decodeBitfieldOps(data []byte) []bfModelOp {
	var ops []bfModelOp
	for ; len(data) >= 12 && len(ops) < 16; data = data[12:] {
		o := bfModelOp{signed: data[1]&1 == 1, width: int(data[1]>>1)%64 + 1}
		if !o.signed && o.width == 64 {
			o.width = 63
		}
		o.offset = int64(binary.LittleEndian.Uint16(data[2:]) % 1024)
		if data[0]&4 != 0 {
			o.hashForm = true
			o.offset -= o.offset % int64(o.width)
		}
		o.value = int64(binary.LittleEndian.Uint64(data[4:])) >> 1
		switch data[0] % 4 {
		case 0:
			o.op = "GET"
		case 1:
			o.op = "SET"
		case 2:
			o.op = "INCRBY"
		default:
			o.op, o.how = "OVERFLOW", []string{"WRAP", "SAT", "FAIL"}[data[1]%3]
		}
		ops = append(ops, o)
	}
	return ops
}

// checkBitfield runs ops on key m holding s (missing when s is nil) against
// the model, then reads the string back.
func checkBitfield(t *testing.T, h *harness, s []byte, ops []bfModelOp) {
	t.Helper()
	h.Do("DEL", "m")
	if s != nil {
		h.DoBytes([][]byte{[]byte("SET"), []byte("m"), s})
	}
	wantStr, want := modelBitfield(s, ops)
	args := []string{"BITFIELD", "m"}
	for _, o := range ops {
		args = o.append(args)
	}
	require.Equal(t, want, h.Do(args...), "%q on %x", args, s)
	got := h.Do("GET", "m")
	if s == nil && len(wantStr) == 0 {
		require.Equal(t, "$-1\r\n", got)
		return
	}
	var w resp.Writer
	w.Bulk(wantStr)
	require.Equal(t, string(w.Buf), got, "%q on %x", args, s)
}

func TestBitfieldMatchesModel(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 5))
	h := newHarness(t)
	h.now = 1000
	data := make([]byte, 12*6)
	for range 3000 {
		for i := range data {
			data[i] = byte(rng.Uint32())
		}
		// Values near the limits of small widths, not only huge ones.
		for i := 4; i+8 <= len(data); i += 12 {
			if rng.IntN(2) == 0 {
				binary.LittleEndian.PutUint64(data[i:], uint64(rng.Int64N(1<<12)-1<<11)<<1)
			}
		}
		var s []byte
		if rng.IntN(4) != 0 {
			s = randomBitmap(rng)
		}
		checkBitfield(t, h, s, decodeBitfieldOps(data[:12*(1+rng.IntN(6))]))
	}
}

// FuzzBitops checks BITCOUNT and BITPOS on str, then BITFIELD operations
// decoded from ops on it, against the model.
func FuzzBitops(f *testing.F) {
	f.Add([]byte("\xff\xf0\x00"), int64(2), int64(-1), uint8(3), []byte("\x01\x0f\x03\x00\x05\x00\x00\x00\x00\x00\x00\x00"))
	f.Add([]byte(""), int64(-1<<63), int64(1<<63-1), uint8(0), []byte{})
	f.Fuzz(func(t *testing.T, str []byte, start, end int64, mode uint8, ops []byte) {
		h := newHarness(t)
		h.now = 1000
		a := bitRangeArgs{start: start, end: end, hasStart: mode&1 != 0, hasEnd: mode&2 != 0,
			unitWritten: mode&4 != 0, isBit: mode&8 != 0}
		a.hasEnd = a.hasEnd && a.hasStart
		a.unitWritten = a.unitWritten && a.hasEnd
		a.isBit = a.isBit && a.unitWritten
		checkBitcountBitpos(t, h, str, a, mode&16 != 0)
		checkBitfield(t, h, str, decodeBitfieldOps(ops))
	})
}

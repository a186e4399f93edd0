package hll

import (
	"encoding/binary"
	"fmt"
	"math"
	"math/rand/v2"
)

// SelfTest is PFSELFTEST: it checks that dense registers keep what is
// written to them without disturbing their neighbours, then adds ten
// million distinct elements to a dense and a sparse value at once, checking
// at each power of ten that the sparse one stayed sparse while small, that
// both estimate the same, and that the error is within six standard errors.
// The error is Redis's reply text without "ERR ".
func SelfTest(r *rand.Rand, sparseMax int) error {
	dense := make([]byte, DenseSize)
	regs := dense[HeaderSize:]
	var want [Registers]uint8
	for range 1000 {
		for i := range want {
			want[i] = uint8(r.IntN(regMax + 1))
			denseSet(regs, i, want[i])
		}
		for i, v := range want {
			if got := denseGet(regs, i); got != v {
				return fmt.Errorf("TESTFAILED Register %d should be %d but is %d", i, v, got)
			}
		}
	}

	clear(regs)
	dense[encodingOff] = Dense
	sparse := Value{B: New()}
	relerr := 1.04 / math.Sqrt(Registers)
	checkpoint := uint64(1)
	seed := r.Uint64()
	var ele [8]byte
	for j := uint64(1); j <= 10_000_000; j++ {
		binary.LittleEndian.PutUint64(ele[:], j^seed)
		index, count := patLen(ele[:])
		denseRaise(regs, index, count)
		sparse.Set(index, count, sparseMax)
		if j != checkpoint {
			continue
		}
		if j < uint64(sparseMax/2) && IsDense(sparse.B) {
			return fmt.Errorf("TESTFAILED sparse encoding not used")
		}
		card, _ := Count(Value{B: dense})
		if other, _ := Count(sparse); other != card {
			return fmt.Errorf("TESTFAILED dense/sparse disagree")
		}
		abserr := int64(checkpoint) - int64(card)
		maxerr := uint64(math.Ceil(relerr * 6 * float64(checkpoint)))
		if j == 10 {
			maxerr = 1
		}
		if abserr < 0 {
			abserr = -abserr
		}
		if abserr > int64(maxerr) {
			return fmt.Errorf("TESTFAILED Too big error. card:%d abserr:%d", checkpoint, abserr)
		}
		checkpoint *= 10
	}
	return nil
}

package lua

import (
	"math"
	"strconv"
)

// argArena hands out the argv of redis.call from chunks it never writes
// twice: a command may keep its argv past the call (the script's effects
// are propagated when it ends), and whatever keeps one keeps its chunk.
// A spent chunk is left to the collector, so a call allocates nothing
// until its chunk is full.
type argArena struct {
	bytes []byte
	slots [][]byte
}

// The chunk sizes: an argument longer than bigArg gets an array of its own.
const (
	bytesChunk = 16 << 10
	slotsChunk = 512
	bigArg     = 1 << 10
)

// argv is room for n arguments.
func (a *argArena) argv(n int) [][]byte {
	if n > slotsChunk/4 {
		return make([][]byte, n)
	}
	if len(a.slots)+n > cap(a.slots) {
		a.slots = make([][]byte, 0, slotsChunk)
	}
	a.slots = a.slots[:len(a.slots)+n]
	return a.slots[len(a.slots)-n : len(a.slots) : len(a.slots)]
}

// grow makes room for n more bytes.
func (a *argArena) grow(n int) {
	if len(a.bytes)+n > cap(a.bytes) {
		a.bytes = make([]byte, 0, bytesChunk)
	}
}

// cut returns what was appended since start, capped so that appending to
// it cannot reach the next argument.
func (a *argArena) cut(start int) []byte {
	return a.bytes[start:len(a.bytes):len(a.bytes)]
}

func (a *argArena) str(s string) []byte {
	if len(s) > bigArg {
		return []byte(s)
	}
	a.grow(len(s))
	start := len(a.bytes)
	a.bytes = append(a.bytes, s...)
	return a.cut(start)
}

// number is f as "%.17g": an integer below 1e15 (and not -0) prints the
// same as its digits, which are quicker to write.
func (a *argArena) number(f float64) []byte {
	a.grow(32) // the longest %.17g is 24 bytes
	start := len(a.bytes)
	if i := int64(f); float64(i) == f && i > -1e15 && i < 1e15 && (i != 0 || !math.Signbit(f)) {
		a.bytes = strconv.AppendInt(a.bytes, i, 10)
	} else {
		a.bytes = strconv.AppendFloat(a.bytes, f, 'g', 17, 64)
	}
	return a.cut(start)
}

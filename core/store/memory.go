package store

import (
	"math"
	"math/bits"
	"strconv"

	"github.com/syncscope/syncscope/core/rdb"
)

// Sizes of Redis 7.0's structures on a 64-bit build (server.h, dict.h,
// quicklist.h), which MEMORY USAGE adds up as objectComputeSize does.
const (
	robjSize          = 16
	dictSize          = 56
	dictEntrySize     = 24
	quicklistSize     = 40
	quicklistNodeSize = 32
	zsetSize          = 16
	zskiplistSize     = 32
	zslNodeSize       = 24 // without its levels, 16 bytes each
	intsetHeader      = 8
)

// MemoryUsage is MEMORY USAGE's estimate of the bytes key and its value
// take in Redis 7.0 with jemalloc: objectComputeSize over the value, with
// nested elements sampled up to samples of them (0 or less: all), plus the
// key's string and its dictEntry. The data structures here are not Redis's,
// so this is what Redis would use for the same value, not what syncscope
// uses.
func MemoryUsage(key []byte, v Value, samples int) int64 {
	if samples <= 0 {
		samples = math.MaxInt
	}
	return int64(valueSize(v, samples) + sdsAllocSize(len(key)) + dictEntrySize)
}

func valueSize(v Value, samples int) int {
	switch v := v.(type) {
	case *String:
		switch v.Encoding() {
		case "int":
			return robjSize
		case "embstr":
			return jemallocSize(robjSize + 3 + len(v.B) + 1)
		}
		return robjSize + sdsAllocSize(len(v.B))
	case *List:
		size := robjSize + quicklistSize
		elesize, n := 0, 0
		for k := 0; k < v.nodes.n && n < samples; k++ {
			elesize += quicklistNodeSize + jemallocSize(v.nodes.at(k).size)
			n++
		}
		if n > 0 {
			size += int(float64(elesize) / float64(n) * float64(v.nodes.n))
		}
		return size
	case *Set:
		if v.dict == nil {
			width := 2
			for _, x := range v.ints {
				switch {
				case x < math.MinInt32 || x > math.MaxInt32:
					width = 8
				case (x < math.MinInt16 || x > math.MaxInt16) && width < 4:
					width = 4
				}
			}
			return robjSize + jemallocSize(intsetHeader+width*len(v.ints))
		}
		size := robjSize + dictSize + 8*dictSlots(v.Len())
		elesize, n := 0, 0
		for _, m := range v.dict.Keys()[:min(samples, v.Len())] {
			elesize += dictEntrySize + sdsAllocSize(len(m))
			n++
		}
		return size + average(elesize, n, v.Len())
	case *Hash:
		if v.d == nil {
			lp := rdb.ListpackEmptySize
			for _, p := range v.pairs {
				lp += rdb.ListpackEntrySize([]byte(p.field)) + rdb.ListpackEntrySize(p.value)
			}
			return robjSize + jemallocSize(lp)
		}
		size := robjSize + dictSize + 8*dictSlots(v.Len())
		elesize, n := 0, 0
		for i := range min(samples, v.Len()) {
			f, val := v.d.At(i)
			elesize += sdsAllocSize(len(f)) + sdsAllocSize(len(val)) + dictEntrySize
			n++
		}
		return size + average(elesize, n, v.Len())
	case *Stream:
		// Redis sums its radix trees' nodes and listpack allocations; the
		// listpacks dominate, and the trees are estimated per key.
		size := robjSize + jemallocSize(streamStructSize)
		for _, n := range v.nodes {
			size += jemallocSize(len(n.lp)) + raxKeyOverhead
		}
		for _, g := range v.groups {
			size += jemallocSize(streamCGSize) + raxKeyOverhead*(g.PendingLen()+1)
			for _, c := range g.consumers {
				size += jemallocSize(streamConsumerSize) + sdsAllocSize(len(c.Name)) + raxKeyOverhead*(c.PendingLen()+1)
			}
		}
		return size
	case *ZSet:
		if !v.big {
			lp := rdb.ListpackEmptySize
			for _, e := range v.lp {
				lp += rdb.ListpackEntrySize([]byte(e.member)) +
					rdb.ListpackEntrySize(strconv.AppendFloat(nil, e.score, 'g', 17, 64))
			}
			return robjSize + jemallocSize(lp)
		}
		size := robjSize + zsetSize + zskiplistSize + dictSize + 8*dictSlots(v.Len()) +
			jemallocSize(zslNodeSize+16*zslMaxLevel)
		elesize, n := 0, 0
		v.Range(0, v.Len()-1, false, func(m string, _ float64) bool {
			// A node has 1.33 levels on average (p = 1/4): most have one.
			elesize += sdsAllocSize(len(m)) + dictEntrySize + jemallocSize(zslNodeSize+16)
			n++
			return n < samples
		})
		return size + average(elesize, n, v.Len())
	}
	return robjSize
}

// Sizes of Redis's stream structures (stream, streamCG, streamConsumer) and
// what a radix tree key costs on average.
const (
	streamStructSize   = 104
	streamCGSize       = 40
	streamConsumerSize = 32
	raxKeyOverhead     = 32
)

// average extrapolates the size of n sampled elements to all of them.
func average(elesize, n, all int) int {
	if n == 0 {
		return 0
	}
	return int(float64(elesize) / float64(n) * float64(all))
}

// dictSlots is the table size a Redis dict of n entries has: the next power
// of two, at least 4 (_dictNextExp).
// KeyspaceOverhead is what a database of keys keys, expires of them with a
// TTL, costs Redis 7.0 besides its keys and values (MEMORY STATS's
// overhead.hashtable.main and .expires): the dictEntry and robj of each
// key, each dict's table of slots.
func KeyspaceOverhead(keys, expires int) (main, exp int64) {
	main = int64(keys*(dictEntrySize+robjSize) + dictSlots(keys)*8)
	if expires > 0 {
		exp = int64(expires*dictEntrySize + dictSlots(expires)*8)
	}
	return main, exp
}

func dictSlots(n int) int {
	if n <= 4 {
		return 4
	}
	return 1 << bits.Len(uint(n-1))
}

// sdsAllocSize is sdsZmallocSize of a string of n bytes: its header (the
// smallest sds type that holds n), the bytes and the terminator, as jemalloc
// rounds them.
func sdsAllocSize(n int) int {
	hdr := 17
	switch {
	case n < 1<<5:
		hdr = 1
	case n < 1<<8:
		hdr = 3
	case n < 1<<16:
		hdr = 5
	case n < 1<<32:
		hdr = 9
	}
	return jemallocSize(hdr + n + 1)
}

// jemallocSize rounds a request up to jemalloc's size class: multiples of 8
// up to 16, of 16 up to 128, then four classes per doubling.
func jemallocSize(n int) int {
	switch {
	case n <= 8:
		return 8
	case n <= 128:
		return (n + 15) &^ 15
	}
	// Four classes between 2^k and 2^(k+1): steps of 2^(k-2).
	k := bits.Len(uint(n-1)) - 1
	step := 1 << (k - 2)
	return (n + step - 1) &^ (step - 1)
}

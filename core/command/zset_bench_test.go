package command

import (
	"strconv"
	"testing"
)

// benchCmd runs argv(i) b.N times on one context, as the node would for a
// pipeline of commands, and resets the reply buffer between runs.
func benchCmd(b *testing.B, h *harness, argv func(i int) [][]byte) {
	b.Helper()
	c := &Ctx{Store: h.st, DB: h.st.DBs[0], Rand: h.st.Rand, W: &h.w}
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		h.w.Reset()
		c.Args = argv(i)
		c.Dirty, c.Prop = 0, nil
		Lookup(c.Args[0]).Run(c)
	}
}

// benchZSet returns a harness holding a sorted set "z" of n members.
func benchZSet(b *testing.B, n int) (*harness, [][]byte) {
	h := newHarness(b)
	members := make([][]byte, n)
	args := [][]byte{[]byte("ZADD"), []byte("z")}
	for i := range n {
		members[i] = []byte("member:" + strconv.Itoa(i))
		args = append(args, []byte(strconv.Itoa(i)), members[i])
	}
	h.DoBytes(args)
	return h, members
}

func BenchmarkZAddUpdate100k(b *testing.B) {
	h, members := benchZSet(b, 100_000)
	scores := make([][]byte, 1024)
	for i := range scores {
		scores[i] = []byte(strconv.Itoa(i * 97))
	}
	argv := [][]byte{[]byte("ZADD"), []byte("z"), nil, nil}
	benchCmd(b, h, func(i int) [][]byte {
		argv[2], argv[3] = scores[i%len(scores)], members[(i*7919)%len(members)]
		return argv
	})
}

func BenchmarkZAddNew(b *testing.B) { benchAddNew(b, "ZADD", "z", "1.5") }

// benchAddNew runs cmd key [args] member with a new member each time (of
// 2^20 names; the key is deleted when they wrap): the cost of growing a
// set or sorted set by one.
func benchAddNew(b *testing.B, cmd, key string, args ...string) {
	h := newHarness(b)
	members := make([][]byte, 1<<20)
	for i := range members {
		members[i] = []byte("member:" + strconv.Itoa(i))
	}
	argv := bytesArgs(append([]string{cmd, key}, append(args, "")...)...)
	last := len(argv) - 1
	benchCmd(b, h, func(i int) [][]byte {
		if i%len(members) == 0 {
			h.Do("DEL", key)
		}
		argv[last] = members[i%len(members)]
		return argv
	})
}

func BenchmarkZRange100k(b *testing.B) {
	h, _ := benchZSet(b, 100_000)
	argv := [][]byte{[]byte("ZRANGE"), []byte("z"), nil, nil, []byte("WITHSCORES")}
	starts := make([][]byte, 1000)
	ends := make([][]byte, 1000)
	for i := range starts {
		starts[i] = []byte(strconv.Itoa(i * 97))
		ends[i] = []byte(strconv.Itoa(i*97 + 9))
	}
	benchCmd(b, h, func(i int) [][]byte {
		argv[2], argv[3] = starts[i%1000], ends[i%1000]
		return argv
	})
}

func BenchmarkZRank100k(b *testing.B) {
	h, members := benchZSet(b, 100_000)
	argv := [][]byte{[]byte("ZRANK"), []byte("z"), nil}
	benchCmd(b, h, func(i int) [][]byte {
		argv[2] = members[(i*7919)%len(members)]
		return argv
	})
}

func BenchmarkSAdd(b *testing.B) { benchAddNew(b, "SADD", "s") }

func BenchmarkSIsMember(b *testing.B) {
	h := newHarness(b)
	args := []string{"SADD", "s"}
	for i := range 10_000 {
		args = append(args, "member:"+strconv.Itoa(i))
	}
	h.Do(args...)
	argv := [][]byte{[]byte("SISMEMBER"), []byte("s"), nil}
	probes := make([][]byte, 1024)
	for i := range probes {
		probes[i] = []byte("member:" + strconv.Itoa(i*13))
	}
	benchCmd(b, h, func(i int) [][]byte {
		argv[2] = probes[i%len(probes)]
		return argv
	})
}

func BenchmarkSIsMemberIntset(b *testing.B) {
	h := newHarness(b)
	args := []string{"SADD", "s"}
	for i := range 512 {
		args = append(args, strconv.Itoa(i*3))
	}
	h.Do(args...)
	argv := [][]byte{[]byte("SISMEMBER"), []byte("s"), nil}
	probes := make([][]byte, 1024)
	for i := range probes {
		probes[i] = []byte(strconv.Itoa(i))
	}
	benchCmd(b, h, func(i int) [][]byte {
		argv[2] = probes[i%len(probes)]
		return argv
	})
}

// BenchmarkZSmall100 is ZADD (update), ZRANK and ZRANGE on a 100-member set,
// which stays within the listpack limits.
func BenchmarkZSmall100(b *testing.B) {
	h, members := benchZSet(b, 100)
	benchCmd(b, h, func(i int) [][]byte {
		m := members[i%len(members)]
		switch i % 3 {
		case 0:
			return [][]byte{[]byte("ZADD"), []byte("z"), []byte(strconv.Itoa(i % 1000)), m}
		case 1:
			return [][]byte{[]byte("ZRANK"), []byte("z"), m}
		}
		return [][]byte{[]byte("ZRANGE"), []byte("z"), []byte("10"), []byte("19")}
	})
}

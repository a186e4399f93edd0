package command

import (
	"math/rand/v2"
	"strconv"
	"testing"

	"github.com/syncscope/syncscope/core/resp"
	"github.com/syncscope/syncscope/core/store"
)

// benchRun runs argv the way the node does: Lookup, then Run on a reused Ctx.
func benchRun(c *Ctx, w *resp.Writer, argv [][]byte) {
	w.Reset()
	spec := Lookup(argv[0])
	*c = Ctx{Args: argv, Store: c.Store, DB: c.DB, Now: c.Now, Rand: c.Rand, W: w, Prop: c.Prop[:0]}
	spec.Run(c)
}

func newBenchCtx() (*Ctx, *resp.Writer) {
	st := store.New(16, rand.New(rand.NewPCG(1, 2)))
	w := &resp.Writer{}
	return &Ctx{Store: st, DB: st.DBs[0], Now: 1, Rand: st.Rand, W: w}, w
}

// benchRepeat measures one command run again and again on c, as
// redis-benchmark sends it.
func benchRepeat(b *testing.B, c *Ctx, w *resp.Writer, args ...string) {
	argv := bytesArgs(args...)
	b.ReportAllocs()
	for b.Loop() {
		benchRun(c, w, argv)
	}
}

func BenchmarkGet(b *testing.B) {
	c, w := newBenchCtx()
	benchRun(c, w, [][]byte{[]byte("SET"), []byte("key:000000000042"), []byte("xxx")})
	benchRepeat(b, c, w, "GET", "key:000000000042")
}

func BenchmarkSetNewKey(b *testing.B) {
	c, w := newBenchCtx()
	keys := make([][]byte, 1<<20)
	for i := range keys {
		keys[i] = []byte("key:" + strconv.Itoa(i))
	}
	argv := [][]byte{[]byte("SET"), nil, []byte("xxx")}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if i == len(keys) {
			b.StopTimer()
			c.DB.Flush()
			i = 0
			b.StartTimer()
		}
		argv[1] = keys[i]
		i++
		benchRun(c, w, argv)
	}
}

func BenchmarkSetExisting(b *testing.B) {
	c, w := newBenchCtx()
	benchRepeat(b, c, w, "SET", "key:000000000042", "xxx")
}

func BenchmarkIncr(b *testing.B) {
	c, w := newBenchCtx()
	benchRepeat(b, c, w, "INCR", "counter")
}

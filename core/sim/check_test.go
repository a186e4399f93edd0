package sim

import (
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/syncscope/syncscope/core/store"
)

func TestBookFindsTwoHistories(t *testing.T) {
	b := &book{base: 100}
	for _, tc := range []struct {
		off  int64
		data string
		bad  int64 // -1: agrees
	}{
		{100, "*1\r\n$4\r\nPING\r\n", -1},
		{104, "$4\r\nPING\r\n*2", -1}, // overlaps and extends
		{90, "0123456789*1\r\n", -1},  // before the base: the book grows down
		{103, "\nX", 104},             // disagrees at its second byte
	} {
		at, _, ok := b.record(tc.off, []byte(tc.data))
		assert.Equal(t, tc.bad < 0, ok, "record %d %q", tc.off, tc.data)
		if tc.bad >= 0 {
			assert.Equal(t, tc.bad, at)
		}
	}
}

func TestDigestSeesTTLsAndSkipsLocalKeys(t *testing.T) {
	mk := func() *store.Store { return store.New(16, rand.New(rand.NewPCG(1, 2))) }
	a, b := mk(), mk()
	for _, s := range []*store.Store{a, b} {
		s.DBs[0].Set([]byte("k"), store.NewString([]byte("v")))
		s.DBs[0].SetExpire([]byte("k"), 5000)
	}
	assert.Equal(t, digest(a), digest(b))
	b.DBs[0].SetExpire([]byte("k"), 5001)
	assert.NotEqual(t, digest(a), digest(b), "Redis's digest only marks a TTL; ours compares it")
	b.DBs[0].SetExpire([]byte("k"), 5000)
	b.DBs[0].Set([]byte("local:6378:1"), store.NewString([]byte("mine")))
	assert.Equal(t, digest(a), digest(b), "a writable replica's own keys are left out")
	b.DBs[1].Set([]byte("k"), store.NewString([]byte("v")))
	assert.NotEqual(t, digest(a), digest(b), "the database counts")
}

package store

import (
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Found by core/sim: SET k v KEEPTTL on a key whose TTL had passed kept the
// old TTL, so the new value was expired at once on the master while its
// replica (told to DEL nothing) kept a different key. Redis 7.0.15 expires
// the key first: GET k returns the new value and PTTL k is -1.
func TestSetKeepTTLOnExpiredKey(t *testing.T) {
	s := New(16, rand.New(rand.NewPCG(1, 2)))
	db := s.DBs[0]
	s.Now = 1000
	db.Set([]byte("k"), NewString([]byte("5")))
	db.SetExpire([]byte("k"), 1100)
	s.Now = 1200
	db.SetKeepTTL([]byte("k"), NewString([]byte("1")))
	require.NotNil(t, db.Get([]byte("k")))
	assert.Equal(t, int64(-1), db.TTL([]byte("k")))
	assert.Equal(t, []KeyRef{{DB: 0, Key: "k"}}, s.Expired, "the expiry is propagated (DEL) before the SET")

	s.Now = 1000
	db.SetExpire([]byte("k"), 1100)
	db.SetKeepTTL([]byte("k"), NewString([]byte("2")))
	assert.Equal(t, int64(1100), db.TTL([]byte("k")), "a live key keeps its TTL")
}

package store

import (
	"bytes"
	"math/rand/v2"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/syncscope/syncscope/core/rdb"
)

// fillStore puts keys of every type and both encodings in databases 0 and 2.
func fillStore(s *Store, n int) {
	lim := s.Limits
	for _, db := range []*DB{s.DBs[0], s.DBs[2]} {
		for i := 0; i < n; i++ {
			k := strconv.Itoa(i)
			db.Set([]byte("s"+k), NewString([]byte("value-"+k)))
			l := NewList(-2)
			h := NewHash()
			set := NewSet()
			z := NewZSet()
			for j := 0; j < 1+i%200; j++ {
				e := []byte(strconv.Itoa(j * i))
				l.PushBack(e)
				h.Set(e, []byte("v"+k), lim)
				set.Add(e, lim)
				z.Add(append([]byte("m"), e...), float64(j)/7, lim)
			}
			db.Set([]byte("l"+k), l)
			db.Set([]byte("h"+k), h)
			db.Set([]byte("t"+k), set)
			db.Set([]byte("z"+k), z)
			if i%3 == 0 {
				db.SetExpire([]byte("h"+k), 4102444800000+int64(i))
			}
		}
	}
}

// mutateAll changes every key of every type in place through GetForWrite,
// replaces and deletes keys, and changes TTLs: everything a snapshot must
// not see.
func mutateAll(s *Store, n int) {
	lim := s.Limits
	for _, db := range []*DB{s.DBs[0], s.DBs[2]} {
		for i := 0; i < n; i++ {
			k := strconv.Itoa(i)
			if v, ok := db.GetForWrite([]byte("s" + k)).(*String); ok {
				v.B = append(v.B, "-changed"...)
				v.B[0] = 'X'
			}
			if v, ok := db.GetForWrite([]byte("l" + k)).(*List); ok {
				v.PushBack([]byte("new"))
				v.PopFront()
				v.SetIndex(0, []byte("first"))
			}
			if v, ok := db.GetForWrite([]byte("h" + k)).(*Hash); ok {
				v.Set([]byte("0"), []byte("changed"), lim)
				v.Set([]byte("added"), []byte("x"), lim)
			}
			if v, ok := db.GetForWrite([]byte("t" + k)).(*Set); ok {
				v.Add([]byte("member-x"), lim)
				v.Remove([]byte("0"))
			}
			if v, ok := db.GetForWrite([]byte("z" + k)).(*ZSet); ok {
				v.Add([]byte("m0"), 1000, lim)
				v.Add([]byte("znew"), -5, lim)
			}
			db.Persist([]byte("h" + k))
			db.SetExpire([]byte("s"+k), 1)
			if i%4 == 0 {
				db.Delete([]byte("t" + k))
				db.Set([]byte("new"+k), NewString([]byte("n")))
			}
		}
	}
	s.SwapDB(0, 2)
	s.FlushAll()
}

// TestSnapshotWhileMutating writes a snapshot in another goroutine while
// every kind of value is changed; run with -race. What is written must be
// exactly the dataset at the time of the snapshot.
func TestSnapshotWhileMutating(t *testing.T) {
	const n = 300
	s := New(16, rand.New(rand.NewPCG(3, 4)))
	s.Now = 1000
	fillStore(s, n)
	want := s.Digest()

	sn := s.Snapshot()
	var buf bytes.Buffer
	done := make(chan error)
	go func() { done <- sn.WriteRDB(&buf, rdb.DefaultOptions(), nil) }()
	mutateAll(s, n)
	require.NoError(t, <-done)
	sn.Release()
	assert.Zero(t, s.Len(), "the live store was flushed")

	loaded, info, err := LoadRDB(buf.Bytes(), 16, rand.New(rand.NewPCG(1, 1)), DefaultLimits(), 1000, true)
	require.NoError(t, err)
	require.Equal(t, 10*n, info.Keys)
	require.Equal(t, want, loaded.Digest(), "the RDB holds the pre-snapshot dataset")
}

// TestCopyOnWriteOnlyWhileLive checks that GetForWrite copies a value shared
// with a live snapshot once, and not at all without a snapshot.
func TestCopyOnWriteOnlyWhileLive(t *testing.T) {
	s := New(1, rand.New(rand.NewPCG(1, 1)))
	db := s.DBs[0]
	orig := NewString([]byte("a"))
	db.Set([]byte("k"), orig)
	require.Same(t, Value(orig), db.GetForWrite([]byte("k")), "no snapshot: no copy")

	sn := s.Snapshot()
	c1 := db.GetForWrite([]byte("k"))
	require.NotSame(t, Value(orig), c1, "shared with the snapshot: copied")
	require.Same(t, c1, db.GetForWrite([]byte("k")), "copied once")
	sn.Release()

	// A value moved by Put keeps its generation, so the next snapshot
	// still protects it.
	sn = s.Snapshot()
	db.Put([]byte("k2"), db.Peek([]byte("k")), -1)
	require.NotSame(t, c1, db.GetForWrite([]byte("k2")))
	sn.Release()
}

// TestUnshare: Unshare copies a value shared with a live snapshot, as
// GetForWrite does, but does not expire the key or count an access, and a
// string's copy keeps the byte past its end (COPY's does not).
func TestUnshare(t *testing.T) {
	s := New(1, rand.New(rand.NewPCG(1, 1)))
	db := s.DBs[0]
	orig := NewString([]byte("HYLL"))
	orig.SetTail(7)
	db.Set([]byte("k"), orig)
	db.SetExpire([]byte("k"), 10)
	s.Now = 100
	require.Same(t, Value(orig), db.Unshare([]byte("k")), "no snapshot: no copy, and an expired key stays")
	require.Nil(t, db.Unshare([]byte("nokey")))
	sn := s.Snapshot()
	c := db.Unshare([]byte("k")).(*String)
	require.NotSame(t, orig, c)
	assert.Equal(t, byte(7), c.Tail())
	sn.Release()
	assert.Zero(t, s.Hits+s.Misses, "no keyspace statistics")
	assert.Zero(t, CloneValue(c).(*String).Tail(), "COPY's string is a new buffer")
	c.B = append(c.B, 'x')
	assert.Zero(t, c.Tail(), "a new length writes a terminator")
}

func TestPut(t *testing.T) {
	s := New(1, rand.New(rand.NewPCG(1, 1)))
	db := s.DBs[0]
	db.Set([]byte("a"), NewString([]byte("x")))
	db.SetExpire([]byte("a"), 50)
	db.Put([]byte("a"), NewString([]byte("y")), -1)
	assert.Equal(t, int64(-1), db.TTL([]byte("a")))
	db.Put([]byte("b"), NewString([]byte("y")), 70)
	assert.Equal(t, int64(70), db.TTL([]byte("b")))
}

func TestLoadRDBExpiredAndErrors(t *testing.T) {
	s := New(16, rand.New(rand.NewPCG(1, 1)))
	db := s.DBs[1]
	db.Set([]byte("past"), NewString([]byte("1")))
	db.SetExpire([]byte("past"), 500)
	db.Set([]byte("future"), NewString([]byte("2")))
	db.SetExpire([]byte("future"), 5000)
	db.Set([]byte("plain"), NewString([]byte("3")))
	var buf bytes.Buffer
	sn := s.Snapshot()
	require.NoError(t, sn.WriteRDB(&buf, rdb.DefaultOptions(), []rdb.AuxField{{Key: "repl-id", Value: "abc"}}))
	sn.Release()

	master, info, err := LoadRDB(buf.Bytes(), 16, rand.New(rand.NewPCG(1, 1)), DefaultLimits(), 1000, true)
	require.NoError(t, err)
	assert.Equal(t, 2, info.Keys)
	assert.Equal(t, 1, info.Expired)
	id, _ := info.Get("repl-id")
	assert.Equal(t, "abc", id)
	assert.Nil(t, master.DBs[1].Peek([]byte("past")))
	assert.Equal(t, int64(5000), master.DBs[1].TTL([]byte("future")))

	replica, info, err := LoadRDB(buf.Bytes(), 16, rand.New(rand.NewPCG(1, 1)), DefaultLimits(), 1000, false)
	require.NoError(t, err)
	assert.Equal(t, 3, info.Keys)
	assert.Equal(t, int64(500), replica.DBs[1].TTL([]byte("past")))

	_, _, err = LoadRDB(buf.Bytes(), 1, rand.New(rand.NewPCG(1, 1)), DefaultLimits(), 1000, true)
	require.ErrorContains(t, err, "database 1")

	bad := bytes.Clone(buf.Bytes())
	bad[len(bad)-1] ^= 1
	_, _, err = LoadRDB(bad, 16, rand.New(rand.NewPCG(1, 1)), DefaultLimits(), 1000, true)
	require.ErrorIs(t, err, rdb.ErrChecksum)
}

func TestRestoreValueErrors(t *testing.T) {
	p := DumpValue(NewString([]byte("hello")), rdb.DefaultOptions())
	v, err := RestoreValue(p, DefaultLimits())
	require.NoError(t, err)
	assert.Equal(t, []byte("hello"), v.(*String).B)

	bad := bytes.Clone(p)
	bad[len(bad)-1] ^= 1
	_, err = RestoreValue(bad, DefaultLimits())
	require.ErrorIs(t, err, rdb.ErrBadPayload)

	// A checksum that matches over content that is not a value.
	junk := rdb.DumpPayload(&rdb.Entry{Kind: rdb.KindString, Str: []byte("x")}, rdb.DefaultOptions())
	junk[0] = 200
	crc := rdb.CRC64(0, junk[:len(junk)-8])
	for i := 0; i < 8; i++ {
		junk[len(junk)-8+i] = byte(crc >> (8 * i))
	}
	_, err = RestoreValue(junk, DefaultLimits())
	require.ErrorIs(t, err, ErrBadData)

	// Redis refuses an empty collection.
	empty := rdb.DumpPayload(&rdb.Entry{Kind: rdb.KindList}, rdb.DefaultOptions())
	_, err = RestoreValue(empty, DefaultLimits())
	require.ErrorIs(t, err, ErrBadData)
}

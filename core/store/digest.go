package store

import (
	"crypto/sha1"
	"encoding/binary"
	"strconv"

	"github.com/syncscope/syncscope/core/cstr"
)

// Digest is Redis 7.0's DEBUG DIGEST: a SHA1-based checksum of the whole
// dataset that does not depend on the order of keys, set members or hash
// fields, so two servers holding the same data agree whatever their hash
// tables look like. Logically expired keys not yet deleted count, as they do
// in Redis. An empty dataset is all zeros.
func (s *Store) Digest() [20]byte {
	var final [20]byte
	for id, db := range s.DBs {
		if db.keys.Len() == 0 {
			continue
		}
		// The database number is mixed in so the same data in another
		// database digests differently.
		var aux [4]byte
		binary.BigEndian.PutUint32(aux[:], uint32(id))
		mixDigest(&final, aux[:])
		for i := 0; i < db.keys.Len(); i++ {
			k, v := db.keys.At(i)
			var d [20]byte
			mixDigest(&d, []byte(k))
			expire := int64(-1)
			if when, ok := db.expires.GetString(k); ok {
				expire = when
			}
			xorValueDigest(&d, v, expire)
			xorDigest(&final, d[:])
		}
	}
	return final
}

// DigestValue is DEBUG DIGEST-VALUE for one key's value (expireMs -1 when
// the key has no TTL; only whether it has one matters).
func DigestValue(v Value, expireMs int64) [20]byte {
	var d [20]byte
	xorValueDigest(&d, v, expireMs)
	return d
}

// xorDigest xors SHA1(p) into d: order-independent accumulation.
func xorDigest(d *[20]byte, p []byte) {
	h := sha1.Sum(p)
	for i := range d {
		d[i] ^= h[i]
	}
}

// mixDigest xors SHA1(p) into d and hashes the result: order-dependent.
func mixDigest(d *[20]byte, p []byte) {
	xorDigest(d, p)
	*d = sha1.Sum(d[:])
}

// xorValueDigest is Redis's xorObjectDigest: the type, then the content
// (lists in order, sets and hashes and sorted sets order-independent), then
// a marker when the key has an expiry.
func xorValueDigest(d *[20]byte, v Value, expireMs int64) {
	var aux [4]byte
	binary.BigEndian.PutUint32(aux[:], uint32(v.Type()))
	mixDigest(d, aux[:])
	switch v := v.(type) {
	case *String:
		mixDigest(d, v.B)
	case *List:
		v.Each(func(e []byte) bool {
			mixDigest(d, e)
			return true
		})
	case *Set:
		v.Each(func(m string) bool {
			xorDigest(d, []byte(m))
			return true
		})
	case *ZSet:
		var buf []byte
		v.Each(func(m string, score float64) bool {
			var e [20]byte
			mixDigest(&e, []byte(m))
			buf = cstr.AppendG17(buf[:0], score)
			mixDigest(&e, buf)
			xorDigest(d, e[:])
			return true
		})
	case *Stream:
		var buf []byte
		v.Range(StreamID{}, MaxStreamID, false, func(e *StreamEntry) bool {
			buf = strconv.AppendUint(buf[:0], e.ID.Ms, 10)
			buf = strconv.AppendUint(append(buf, '.'), e.ID.Seq, 10)
			mixDigest(d, buf)
			for _, x := range e.KV {
				mixDigest(d, x)
			}
			return true
		})
	case *Hash:
		v.Each(func(f string, val []byte) bool {
			var e [20]byte
			mixDigest(&e, []byte(f))
			mixDigest(&e, val)
			xorDigest(d, e[:])
			return true
		})
	}
	if expireMs != -1 {
		xorDigest(d, []byte("!!expire!!"))
	}
}

package sim

import (
	"crypto/sha1"
	"encoding/binary"
	"slices"
	"strings"

	"github.com/syncscope/syncscope/core/node"
	"github.com/syncscope/syncscope/core/store"
)

// linkStatus is master_link_status: "up" or "down", "" on a master.
func linkStatus(in node.ReplicationInfo) string {
	switch {
	case in.Master == nil:
		return ""
	case in.Master.Up:
		return "up"
	}
	return "down"
}

// digest is a checksum of st's data in every db, TTLs included exactly
// (Redis's DEBUG DIGEST only marks that a key has one), leaving out the
// keys of writable replicas ("local:...").
func digest(st *store.Store) [20]byte {
	h := sha1.New()
	var buf []byte
	for _, db := range st.DBs {
		keys := slices.Clone(db.Keys())
		slices.Sort(keys)
		for _, key := range keys {
			if strings.HasPrefix(key, "local:") {
				continue
			}
			v := db.Peek([]byte(key))
			ttl := db.TTL([]byte(key))
			d := store.DigestValue(v, ttl)
			buf = binary.BigEndian.AppendUint32(buf[:0], uint32(db.ID))
			buf = binary.BigEndian.AppendUint32(buf, uint32(len(key)))
			buf = append(buf, key...)
			buf = append(buf, d[:]...)
			buf = binary.BigEndian.AppendUint64(buf, uint64(ttl))
			h.Write(buf)
		}
	}
	var out [20]byte
	copy(out[:], h.Sum(nil))
	return out
}

// keyCount counts the keys digest covers.
func keyCount(st *store.Store) int {
	n := 0
	for _, db := range st.DBs {
		for _, key := range db.Keys() {
			if !strings.HasPrefix(key, "local:") {
				n++
			}
		}
	}
	return n
}

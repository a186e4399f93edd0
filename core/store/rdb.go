package store

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"

	"github.com/syncscope/syncscope/core/rdb"
)

// byteArena holds []byte copies of a value's member strings for an
// rdb.Entry, in one buffer reused from key to key instead of an allocation
// per member. When the buffer grows, the copies already handed out keep the
// old one, which nothing writes again, so they stay valid.
type byteArena []byte

// add returns a copy of s in the arena.
func (a *byteArena) add(s string) []byte {
	start := len(*a)
	*a = append(*a, s...)
	return (*a)[start:len(*a):len(*a)]
}

// fillEntry describes key's value v as an rdb.Entry, reusing en's slices.
// Byte slices alias the value's own bytes, or copies of its strings in
// scratch, valid until the next call with the same scratch.
func fillEntry(en *rdb.Entry, scratch *byteArena, db int, key string, v Value, expireMs int64) {
	*scratch = (*scratch)[:0]
	*en = rdb.Entry{
		DB: db, Key: append(en.Key[:0], key...), ExpireMs: expireMs,
		List: en.List[:0], ListNodes: en.ListNodes[:0], Set: en.Set[:0], Hash: en.Hash[:0], ZSet: en.ZSet[:0],
	}
	switch v := v.(type) {
	case *String:
		en.Kind, en.Str = rdb.KindString, v.B
	case *List:
		en.Kind = rdb.KindList
		v.Each(func(e []byte) bool {
			en.List = append(en.List, e)
			return true
		})
		v.EachNode(func(count int) { en.ListNodes = append(en.ListNodes, count) })
	case *Set:
		en.Kind = rdb.KindSet
		if v.dict != nil {
			for _, m := range v.dict.Keys() {
				en.Set = append(en.Set, scratch.add(m))
			}
			break
		}
		for _, n := range v.ints {
			start := len(*scratch)
			*scratch = strconv.AppendInt(*scratch, n, 10)
			en.Set = append(en.Set, (*scratch)[start:len(*scratch):len(*scratch)])
		}
	case *Hash:
		en.Kind = rdb.KindHash
		v.Each(func(f string, val []byte) bool {
			en.Hash = append(en.Hash, rdb.Field{Field: scratch.add(f), Value: val})
			return true
		})
	case *ZSet:
		en.Kind, en.ZSetSkiplist = rdb.KindZSet, v.big
		v.Each(func(m string, score float64) bool {
			en.ZSet = append(en.ZSet, rdb.ZMember{Member: scratch.add(m), Score: score})
			return true
		})
	case *Stream:
		en.Kind, en.Stream = rdb.KindStream, v.toRDB()
	default:
		panic(fmt.Sprintf("store: unknown value type %T", v))
	}
}

// errEmptyKey reports an empty aggregate, which Redis refuses to restore and
// skips when loading.
var errEmptyKey = errors.New("empty collection")

// stringSlab hands out copies of small strings (keys, fields, members) cut
// from shared chunks, so that loading a million of them costs a few hundred
// allocations rather than a million. A strings.Builder only appends, so the
// bytes behind a string handed out are never written again. A chunk lives as
// long as any string cut from it.
type stringSlab struct {
	b     strings.Builder
	chunk int // bytes per chunk
}

// maxSlabString is the longest string cut from a chunk; longer ones get
// their own allocation.
const maxSlabString = 512

func newStringSlab(chunk int) *stringSlab { return &stringSlab{chunk: max(chunk, 64)} }

// str returns p as a string.
func (s *stringSlab) str(p []byte) string {
	if len(p) == 0 {
		return ""
	}
	if len(p) > maxSlabString {
		return string(p)
	}
	if s.b.Cap()-s.b.Len() < len(p) {
		s.b = strings.Builder{}
		s.b.Grow(s.chunk)
	}
	start := s.b.Len()
	s.b.Write(p)
	return s.b.String()[start:]
}

// valueFromEntry builds a value from a decoded entry, taking ownership of
// its byte slices; strs supplies the strings the value keeps.
func valueFromEntry(en *rdb.Entry, lim Limits, strs *stringSlab) (Value, error) {
	switch en.Kind {
	case rdb.KindString:
		return NewStringOwned(en.Str), nil
	case rdb.KindList:
		if len(en.List) == 0 {
			return nil, errEmptyKey
		}
		l := NewListFor(lim)
		if en.ListNodes != nil {
			l.appendNodes(en.List, en.ListNodes)
			return l, nil
		}
		for _, e := range en.List {
			l.PushBackOwned(e)
		}
		return l, nil
	case rdb.KindSet:
		if len(en.Set) == 0 {
			return nil, errEmptyKey
		}
		return setFromEntry(en.Set, lim, strs), nil
	case rdb.KindHash:
		if len(en.Hash) == 0 {
			return nil, errEmptyKey
		}
		return hashFromEntry(en.Hash, lim, strs), nil
	case rdb.KindZSet:
		if len(en.ZSet) == 0 {
			return nil, errEmptyKey
		}
		return zsetFromEntry(en.ZSet, lim, strs), nil
	case rdb.KindStream:
		// An empty stream is a value of its own (XGROUP CREATE MKSTREAM).
		return streamFromRDB(en.Stream), nil
	}
	return nil, fmt.Errorf("store: unknown value kind %d", en.Kind)
}

// LoadInfo is what LoadRDB reports: the file's own information and what
// Redis logs after loading ("keys loaded: N, keys expired: M").
type LoadInfo struct {
	rdb.Info
	Keys    int // keys loaded
	Expired int // keys skipped because they had already expired
	// ExpiredKeys are those keys, in file order: a master propagates their
	// DELs (Redis's RDBFLAGS_FEED_REPL).
	ExpiredKeys []KeyRef
	Empty       int // empty collections skipped, as Redis skips them
}

// maxPresize bounds the entries LoadRDB sizes a table for up front; a
// bigger database grows from there.
const maxPresize = 4 << 20

// LoadRDB decodes an RDB file into a fresh store with dbs databases, which
// the caller swaps in only on success (a failed load never leaves a partial
// dataset). A master (master set) skips keys whose expiry is already past
// at now, as Redis does; a replica keeps them and waits for its master's DEL.
func LoadRDB(data []byte, dbs int, r *rand.Rand, lim Limits, now int64, master bool) (*Store, LoadInfo, error) {
	s := New(dbs, r)
	s.Limits = lim
	s.Now = now
	var li LoadInfo
	strs := newStringSlab(min(16<<10, len(data)))
	// Size each database's tables once from the RESIZEDB hint (it saves the
	// rehashing of a growing table), bounded by what the file could hold
	// and by maxPresize, so that a hostile hint allocates nothing big.
	presize := func(db int, keys, expires uint64) {
		if db < 0 || db >= dbs || s.DBs[db].keys.Len() > 0 {
			return
		}
		limit := min(uint64(len(data)/16), maxPresize)
		s.DBs[db].keys = newBulkDict[Value](int(min(keys, limit)))
		s.DBs[db].expires = newBulkDict[int64](int(min(expires, limit)))
	}
	info, err := rdb.LoadHinted(data, func(en *rdb.Entry) error {
		if en.DB < 0 || en.DB >= dbs {
			return fmt.Errorf("the file uses database %d but this server has %d databases", en.DB, dbs)
		}
		if master && en.ExpireMs >= 0 && en.ExpireMs < now {
			li.Expired++
			li.ExpiredKeys = append(li.ExpiredKeys, KeyRef{DB: en.DB, Key: string(en.Key)})
			return nil
		}
		v, err := valueFromEntry(en, lim, strs)
		if errors.Is(err, errEmptyKey) {
			li.Empty++
			return nil
		}
		if err != nil {
			return err
		}
		// The tables are filled unindexed and indexed in bulk at the end,
		// which is when a duplicated key shows.
		db := s.DBs[en.DB]
		key := strs.str(en.Key) // one copy shared by both tables
		db.keys.appendUnindexed(key, v)
		v.obj().gen = s.gen
		v.obj().lru = lruSet | s.lruClock() // created now, as rdbLoadObject's are
		if en.ExpireMs >= 0 {
			db.expires.appendUnindexed(key, en.ExpireMs)
		}
		li.Keys++
		return nil
	}, presize)
	li.Info = info
	if err != nil {
		return nil, li, fmt.Errorf("loading RDB: %w", err)
	}
	for _, db := range s.DBs {
		if p := db.keys.buildIndex(); p >= 0 {
			return nil, li, fmt.Errorf("loading RDB: duplicated key %q in database %d", db.keys.keys[p], db.ID)
		}
		db.expires.buildIndex() // its keys are some of db.keys'
	}
	return s, li, nil
}

// DumpValue returns DUMP's payload for v.
func DumpValue(v Value, opt rdb.Options) []byte {
	var en rdb.Entry
	var scratch byteArena
	fillEntry(&en, &scratch, 0, "", v, -1)
	return rdb.DumpPayload(&en, opt)
}

// ErrBadData is RESTORE's "Bad data format": a payload whose checksum is
// right but whose content is not a value.
var ErrBadData = errors.New("Bad data format")

// RestoreValue decodes a DUMP payload for RESTORE. A wrong version or
// checksum is an error matching rdb.ErrBadPayload; any other fault matches
// ErrBadData.
func RestoreValue(payload []byte, lim Limits) (Value, error) {
	en, err := rdb.ParsePayload(payload)
	if errors.Is(err, rdb.ErrBadPayload) {
		return nil, err
	}
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrBadData, err)
	}
	v, err := valueFromEntry(en, lim, newStringSlab(min(len(payload), 4<<10)))
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrBadData, err)
	}
	return v, nil
}

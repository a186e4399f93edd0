package rdb

// Kind is the Redis data type of an Entry.
type Kind uint8

// The kinds of value an RDB file holds that this package reads and writes.
const (
	KindString Kind = iota
	KindList
	KindSet
	KindZSet
	KindHash
	// KindStream is declared in stream.go.
)

var kindNames = [...]string{"string", "list", "set", "zset", "hash", "stream"}

// String returns the name Redis's TYPE command uses for the kind.
func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "unknown"
}

// Field is one hash field and its value.
type Field struct{ Field, Value []byte }

// ZMember is one sorted-set member and its score.
type ZMember struct {
	Member []byte
	Score  float64
}

// Entry is one key with its value and expiry. Only the field matching Kind is used.
type Entry struct {
	DB       int
	Key      []byte
	ExpireMs int64 // absolute unix time in ms; -1 = no expiry
	Kind     Kind
	Str      []byte   // KindString
	List     [][]byte // KindList, head to tail
	// ListNodes are the elements in each quicklist node, head to tail, when
	// they are known (a list's own nodes, or a QUICKLIST_2 file's); nil
	// packs List as RPUSHes would.
	ListNodes []int
	Set       [][]byte  // KindSet
	Hash      []Field   // KindHash
	ZSet      []ZMember // KindZSet, any order
	// ZSetSkiplist saves a sorted set as a skiplist (ZSET_2) whatever its
	// size, as Redis saves one it converted (SORT does; one that shrank
	// stays converted).
	ZSetSkiplist bool
	Stream       *Stream // KindStream
}

// Options are the parts of Redis's configuration that decide how values are
// encoded. DefaultOptions returns Redis 7.0's defaults.
type Options struct {
	Compression            bool // rdbcompression: LZF for strings over 20 bytes when it saves space
	Checksum               bool // rdbchecksum: CRC64 at the end of the file (zero when off)
	ListMaxListpackSize    int  // list-max-listpack-size: -1..-5 = 4..64 KB nodes, >0 = entries per node
	HashMaxListpackEntries int  // hash-max-listpack-entries
	HashMaxListpackValue   int  // hash-max-listpack-value
	SetMaxIntsetEntries    int  // set-max-intset-entries
	ZSetMaxListpackEntries int  // zset-max-listpack-entries
	ZSetMaxListpackValue   int  // zset-max-listpack-value
	// ListPackedThreshold is DEBUG QUICKLIST-PACKED-THRESHOLD: a list
	// element of at least this many bytes gets a plain node; 0 means the
	// default (1 GB).
	ListPackedThreshold int
}

// DefaultOptions returns the encoding settings of a default Redis 7.0 server
// (the compiled-in defaults; hash-max-listpack-entries is 512 there, while the
// sample redis.conf suggests 128).
func DefaultOptions() Options {
	return Options{
		Compression:            true,
		Checksum:               true,
		ListMaxListpackSize:    -2,
		HashMaxListpackEntries: 512,
		HashMaxListpackValue:   64,
		SetMaxIntsetEntries:    512,
		ZSetMaxListpackEntries: 128,
		ZSetMaxListpackValue:   64,
	}
}

package store

// Type is a value's Redis type, as TYPE reports it.
type Type uint8

// The Redis data types.
const (
	TypeString Type = iota
	TypeList
	TypeSet
	TypeZSet
	TypeHash
	_          // OBJ_MODULE
	TypeStream // 6, Redis's OBJ_STREAM (the digest mixes the number in)
)

var typeNames = [...]string{"string", "list", "set", "zset", "hash", "module", "stream"}

// String returns the name TYPE replies with.
func (t Type) String() string { return typeNames[t] }

// Value is what a key holds: *String, *List, *Hash, *Set or *ZSet.
//
// Values may be shared with a Snapshot being written in the background, so
// they are only mutated through DB.GetForWrite, which copies a shared value
// first (copy on write, the role fork() plays for Redis).
type Value interface {
	Type() Type
	// Encoding is what OBJECT ENCODING reports.
	Encoding() string
	obj() *object
	clone() Value
}

// object is embedded in every value: the snapshot generation the value was
// created or copied in (a value older than the live snapshot is shared with
// it), and its access clock, Redis's robj.lru: the LRU time of its last
// access, or its LFU counter under an LFU maxmemory-policy (see lru.go); the
// two fit in the word gen alone took.
type object struct {
	gen uint32
	lru uint32
}

func (h *object) obj() *object { return h }

// Limits are the encoding thresholds from the configuration: a value whose
// size stays within them reports the compact encoding (listpack, intset), as
// Redis 7.0 does; conversion to the big encoding is one-way.
type Limits struct {
	HashMaxListpackEntries int
	HashMaxListpackValue   int
	SetMaxIntsetEntries    int
	ZSetMaxListpackEntries int
	ZSetMaxListpackValue   int
	ListMaxListpackSize    int
	ListPackedThreshold    int   // DEBUG QUICKLIST-PACKED-THRESHOLD; 0 = 1 GB
	ProtoMaxBulkLen        int64 // proto-max-bulk-len, which bounds bit offsets; 0 = MaxStringLen
	HLLSparseMaxBytes      int   // hll-sparse-max-bytes
	StreamNodeMaxBytes     int
	StreamNodeMaxEntries   int
}

// DefaultLimits are Redis 7.0's defaults.
func DefaultLimits() Limits {
	return Limits{
		HashMaxListpackEntries: 512,
		HashMaxListpackValue:   64,
		SetMaxIntsetEntries:    512,
		ZSetMaxListpackEntries: 128,
		ZSetMaxListpackValue:   64,
		ListMaxListpackSize:    -2,
		HLLSparseMaxBytes:      3000,
		StreamNodeMaxBytes:     4096,
		StreamNodeMaxEntries:   100,
	}
}

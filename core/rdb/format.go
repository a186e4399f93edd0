package rdb

// RDB value types and opcodes (rdb.h).
const (
	typeString            = 0
	typeList              = 1
	typeSet               = 2
	typeZSet              = 3
	typeHash              = 4
	typeZSet2             = 5
	typeModulePreGA       = 6
	typeModule2           = 7
	typeHashZipmap        = 9
	typeListZiplist       = 10
	typeSetIntset         = 11
	typeZSetZiplist       = 12
	typeHashZiplist       = 13
	typeListQuicklist     = 14
	typeStreamListpacks   = 15
	typeHashListpack      = 16
	typeZSetListpack      = 17
	typeListQuicklist2    = 18
	typeStreamListpacks2  = 19
	typeSetListpack       = 20
	typeStreamListpacks3  = 21
	typeHashMetadataPre   = 22
	typeHashListpackExPre = 23
	typeHashMetadata      = 24
	typeHashListpackEx    = 25

	opSlotInfo     = 244
	opFunction2    = 245
	opFunctionPre  = 246
	opModuleAux    = 247
	opIdle         = 248
	opFreq         = 249
	opAux          = 250
	opResizeDB     = 251
	opExpireTimeMs = 252
	opExpireTime   = 253
	opSelectDB     = 254
	opEOF          = 255

	// Special string encodings, flagged by 11 in a length's top bits.
	encInt8  = 0
	encInt16 = 1
	encInt32 = 2
	encLZF   = 3

	// Quicklist 2 node containers.
	qlNodePlain  = 1
	qlNodePacked = 2

	// rdbVersion is the RDB version written: Redis 7.0's.
	rdbVersion = 10
	// maxReadVersion is the newest RDB version read (Redis 7.4).
	maxReadVersion = 12
)

// typeNames are redis-check-rdb's names for the value types.
var typeNames = [...]string{
	"string", "list-linked", "set-hashtable", "zset-v1", "hash-hashtable", "zset-v2",
	"module-pre-release", "module-value", "", "hash-zipmap", "list-ziplist", "set-intset",
	"zset-ziplist", "hash-ziplist", "quicklist", "stream", "hash-listpack", "zset-listpack",
	"quicklist-v2", "stream-v2", "set-listpack", "stream-v3", "hash-hashtable-md-pre-release",
	"hash-listpack-md-pre-release", "hash-hashtable-md", "hash-listpack-md",
}

func typeName(t byte) string {
	if int(t) < len(typeNames) && typeNames[t] != "" {
		return typeNames[t]
	}
	return "type " + itoa(int(t))
}

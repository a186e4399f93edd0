// Package rdb reads and writes Redis RDB files and DUMP payloads.
//
// Files are written the way Redis 7.0.15 writes them (RDB version 10: listpack
// hashes and sorted sets, intsets, QUICKLIST_2 lists, int-encoded and
// LZF-compressed strings), so a real redis-server loads them and, where the
// encoding does not depend on Redis's hash-table order, gets the same bytes.
// Files from Redis 5.0 to 7.4 (RDB versions 1 to 12) are read, including the
// older zipmap, ziplist and quicklist encodings. Streams, module values,
// functions and hashes with field expiry are refused by name, never skipped.
//
// The package knows nothing beyond what it encodes: Load hands every key to a
// callback as an Entry, and the Encoder takes Entries back.
package rdb

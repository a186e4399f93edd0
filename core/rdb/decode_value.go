package rdb

import (
	"bytes"
	"encoding/binary"
	"math"
	"slices"
	"strconv"
)

// value reads a value of RDB type t into en.
func (d *decoder) value(t byte, en *Entry) error {
	d.typ = typeName(t)
	start := d.pos
	switch t {
	case typeString:
		en.Kind = KindString
		s, err := d.keepStr("the string value")
		en.Str = s
		return err
	case typeList, typeSet:
		n, err := d.count("the element count", 1)
		if err != nil {
			return err
		}
		items := en.Set
		if t == typeList {
			items = en.List
		}
		items = slices.Grow(items, n)[:n]
		for i := range items {
			if items[i], err = d.keepStr("an element"); err != nil {
				return err
			}
		}
		if t == typeList {
			en.Kind, en.List = KindList, items
			return nil
		}
		en.Kind, en.Set = KindSet, items
		return d.noSetDups(start, items)
	case typeZSet, typeZSet2:
		minSize := 2
		if t == typeZSet2 {
			minSize = 9
		}
		n, err := d.count("the member count", minSize)
		if err != nil {
			return err
		}
		zs := slices.Grow(en.ZSet, n)[:n]
		for i := range zs {
			if zs[i].Member, err = d.keepStr("a member"); err != nil {
				return err
			}
			if zs[i].Score, err = d.score(t == typeZSet2); err != nil {
				return err
			}
		}
		en.Kind, en.ZSet = KindZSet, zs
		return d.noZSetDups(start, zs)
	case typeHash:
		n, err := d.count("the field count", 2)
		if err != nil {
			return err
		}
		fs := slices.Grow(en.Hash, n)[:n]
		for i := range fs {
			if fs[i].Field, err = d.keepStr("a hash field"); err != nil {
				return err
			}
			if fs[i].Value, err = d.keepStr("a hash value"); err != nil {
				return err
			}
		}
		en.Kind, en.Hash = KindHash, fs
		return d.noHashDups(start, fs)
	case typeListQuicklist, typeListQuicklist2:
		return d.quicklist(t, en)
	case typeHashZipmap:
		return d.blob("the zipmap", func(b []byte) error {
			en.Kind = KindHash
			return walkZipmap(b, func(k, v []byte) error {
				en.Hash = append(en.Hash, Field{d.keep(k), d.keep(v)})
				return nil
			})
		}, func() error { return d.noHashDups(start, en.Hash) })
	case typeListZiplist:
		en.Kind = KindList
		return d.blob("the ziplist", func(b []byte) (err error) {
			en.List, err = d.appendPacked(en.List, true, b)
			return err
		}, nil)
	case typeSetIntset:
		en.Kind = KindSet
		return d.blob("the intset", func(b []byte) error {
			if len(b) >= 8 {
				en.Set = slices.Grow(en.Set, min(int(binary.LittleEndian.Uint32(b[4:])), len(b)/2))
			}
			return walkIntset(b, func(v int64) { en.Set = append(en.Set, d.keepInt(v)) })
		}, nil)
	case typeSetListpack:
		en.Kind = KindSet
		return d.blob("the listpack", func(b []byte) (err error) {
			en.Set, err = d.appendPacked(en.Set, false, b)
			return err
		}, func() error { return d.noSetDups(start, en.Set) })
	case typeHashZiplist, typeHashListpack:
		en.Kind = KindHash
		return d.blob("the "+blobKind(t), func(b []byte) error {
			en.Hash = slices.Grow(en.Hash, packedLen(t == typeHashZiplist, b)/2)
			return d.walkPairs(t == typeHashZiplist, b, "field/value", func(field, s []byte, v int64) error {
				en.Hash = append(en.Hash, Field{field, d.keepElem(s, v)})
				return nil
			})
		}, func() error { return d.noHashDups(start, en.Hash) })
	case typeZSetZiplist, typeZSetListpack:
		en.Kind = KindZSet
		return d.blob("the "+blobKind(t), func(b []byte) error {
			en.ZSet = slices.Grow(en.ZSet, packedLen(t == typeZSetZiplist, b)/2)
			return d.walkPairs(t == typeZSetZiplist, b, "member/score", func(member, s []byte, v int64) error {
				score := float64(v)
				if s != nil {
					f, err := strconv.ParseFloat(string(s), 64)
					if err != nil || math.IsNaN(f) {
						return blobErr(0, "score "+strconv.Quote(string(s))+" is not a number")
					}
					score = f
				}
				en.ZSet = append(en.ZSet, ZMember{member, score})
				return nil
			})
		}, func() error { return d.noZSetDups(start, en.ZSet) })
	case typeModulePreGA, typeModule2:
		d.pos = d.rec
		return d.fail(ErrUnsupported, "module values are not supported")
	case typeStreamListpacks, typeStreamListpacks2, typeStreamListpacks3:
		return d.stream(t, en)
	case typeHashMetadataPre, typeHashListpackExPre, typeHashMetadata, typeHashListpackEx:
		d.pos = d.rec
		return d.fail(ErrUnsupported, "hashes with field expiry (Redis 7.4) are not supported")
	}
	d.pos = d.rec
	d.typ = ""
	return d.fail(ErrCorrupt, "expected a value type, found unknown type "+strconv.Itoa(int(t)))
}

func blobKind(t byte) string {
	if t == typeHashZiplist || t == typeZSetZiplist {
		return "ziplist"
	}
	return "listpack"
}

// packedLen is the element count a ziplist's or listpack's header claims,
// bounded by the blob's size so that a corrupt header cannot make the caller
// allocate much; 0 when the header does not know (65535) or is cut short.
func packedLen(ziplist bool, b []byte) int {
	at := 4 // listpack: total bytes, then the count
	if ziplist {
		at = 8 // ziplist: total bytes, tail offset, then the count
	}
	if len(b) < at+2 {
		return 0
	}
	n := int(binary.LittleEndian.Uint16(b[at:]))
	if n == zlLenUnknown {
		return 0
	}
	return min(n, len(b))
}

// walkPairs walks a ziplist's or listpack's elements two by two (a hash's
// field and value, a sorted set's member and score): fn gets the first,
// kept, and the second as walkPacked gives it; what names the pair for the
// odd-count error.
func (d *decoder) walkPairs(ziplist bool, b []byte, what string, fn func(first, s []byte, v int64) error) error {
	var first []byte
	odd := false
	err := walkPacked(ziplist, b, func(s []byte, v int64) error {
		if odd = !odd; odd {
			first = d.keepElem(s, v)
			return nil
		}
		return fn(first, s, v)
	})
	if err == nil && odd {
		err = blobErr(0, "odd number of elements for "+what+" pairs")
	}
	return err
}

// appendPacked appends the elements of a ziplist or listpack to dst, kept,
// having made room for as many as its header claims.
func (d *decoder) appendPacked(dst [][]byte, ziplist bool, b []byte) ([][]byte, error) {
	dst = slices.Grow(dst, packedLen(ziplist, b))
	err := walkPacked(ziplist, b, func(s []byte, v int64) error {
		dst = append(dst, d.keepElem(s, v))
		return nil
	})
	return dst, err
}

func walkPacked(ziplist bool, b []byte, fn func(s []byte, v int64) error) error {
	if ziplist {
		return walkZiplist(b, fn)
	}
	return walkListpack(b, fn)
}

// blob reads a string holding an encoded structure and walks it; check runs
// after a successful walk (duplicate detection) and reports at the value start.
func (d *decoder) blob(what string, walk func([]byte) error, check func() error) error {
	at := d.pos
	b, err := d.str(what)
	if err != nil {
		return err
	}
	if err := walk(b); err != nil {
		return d.failAt(at, err)
	}
	if check != nil {
		return check()
	}
	return nil
}

func (d *decoder) quicklist(t byte, en *Entry) error {
	en.Kind = KindList
	n, err := d.count("the quicklist node count", 2)
	if err != nil {
		return err
	}
	nodes := d.nodes[:0]
	for i := range n {
		container := uint64(qlNodePacked)
		if t == typeListQuicklist2 {
			at := d.pos
			if container, err = d.length("a quicklist node container"); err != nil {
				return err
			}
			if container != qlNodePlain && container != qlNodePacked {
				d.pos = at
				return d.fail(ErrCorrupt, "quicklist node "+strconv.Itoa(i)+" has unknown container "+strconv.FormatUint(container, 10))
			}
		}
		at := d.pos
		b, err := d.str("a quicklist node")
		if err != nil {
			return err
		}
		before := len(en.List)
		switch {
		case container == qlNodePlain:
			en.List = append(en.List, d.keep(b))
		default:
			en.List, err = d.appendPacked(en.List, t == typeListQuicklist, b)
		}
		if err != nil {
			return d.failAt(at, err)
		}
		// Redis skips an empty node when loading.
		if len(en.List) > before {
			nodes = append(nodes, len(en.List)-before)
		}
	}
	d.nodes = nodes
	if len(nodes) > 0 {
		en.ListNodes = nodes
	}
	return nil
}

// score reads a sorted-set score: binary (ZSET_2) or as a length-prefixed string.
func (d *decoder) score(binaryDouble bool) (float64, error) {
	at := d.pos
	var f float64
	if binaryDouble {
		b, err := d.take(8, "an 8-byte binary score")
		if err != nil {
			return 0, err
		}
		f = math.Float64frombits(binary.LittleEndian.Uint64(b))
	} else {
		n, err := d.byte1("the length of a score")
		if err != nil {
			return 0, err
		}
		switch n {
		case 253:
			f = math.NaN()
		case 254:
			f = math.Inf(1)
		case 255:
			f = math.Inf(-1)
		default:
			b, err := d.take(int(n), "a score")
			if err != nil {
				return 0, err
			}
			if f, err = strconv.ParseFloat(string(b), 64); err != nil {
				d.pos = at
				return 0, d.fail(ErrCorrupt, "score "+strconv.Quote(string(b))+" is not a number")
			}
		}
	}
	if math.IsNaN(f) {
		d.pos = at
		return 0, d.fail(ErrCorrupt, "score is NaN")
	}
	return f, nil
}

// noDups reports a duplicate among the n strings get returns, as Redis
// refuses them on load.
func (d *decoder) noDups(at int, what string, n int, get func(int) []byte) error {
	if n < 2 {
		return nil
	}
	var dup []byte
	found := false
	if n <= smallDups {
		dup, found = smallDup(n, get)
	} else {
		// Sorting a reused slice keeps this allocation-free.
		d.sorted = d.sorted[:0]
		for i := range n {
			d.sorted = append(d.sorted, get(i))
		}
		slices.SortFunc(d.sorted, bytes.Compare)
		for i := 1; i < n && !found; i++ {
			if bytes.Equal(d.sorted[i-1], d.sorted[i]) {
				dup, found = d.sorted[i], true
			}
		}
	}
	if found {
		d.pos = at
		return d.fail(ErrCorrupt, "duplicate "+what+" "+strconv.Quote(string(dup)))
	}
	return nil
}

// smallDups is the size up to which comparing every pair beats sorting.
const smallDups = 32

// smallDup finds a duplicate among n <= smallDups strings by comparing every
// pair, and returns the smallest duplicated one, as the sorted walk does. The
// pairs are compared by a fingerprint (length, first and last byte) held on
// the stack, which tells most distinct strings apart ("member:1",
// "member:2") without reading them again or storing a pointer; only pairs
// with equal fingerprints are compared in full.
func smallDup(n int, get func(int) []byte) (dup []byte, found bool) {
	var fp [smallDups]uint64
	for i := range n {
		s := get(i)
		f := uint64(len(s)) << 16
		if len(s) > 0 {
			f |= uint64(s[0])<<8 | uint64(s[len(s)-1])
		}
		fp[i] = f
	}
	for i := 1; i < n; i++ {
		for j := range i {
			if fp[i] != fp[j] {
				continue
			}
			if a := get(i); string(a) == string(get(j)) {
				if !found || bytes.Compare(a, dup) < 0 {
					dup, found = a, true
				}
				break
			}
		}
	}
	return dup, found
}

func (d *decoder) noSetDups(at int, items [][]byte) error {
	return d.noDups(at, "set member", len(items), func(i int) []byte { return items[i] })
}

func (d *decoder) noHashDups(at int, fs []Field) error {
	return d.noDups(at, "hash field", len(fs), func(i int) []byte { return fs[i].Field })
}

func (d *decoder) noZSetDups(at int, zs []ZMember) error {
	return d.noDups(at, "sorted set member", len(zs), func(i int) []byte { return zs[i].Member })
}

package command

import (
	"errors"
	"strconv"
	"strings"

	"github.com/syncscope/syncscope/core/cstr"
	"github.com/syncscope/syncscope/core/rdb"
	"github.com/syncscope/syncscope/core/store"
)

var (
	wordABSTTL = []byte("ABSTTL")
)

const (
	errSameObject = "ERR source and destination objects are the same"
	errDBRange    = "ERR DB index is out of range"
)

// delCmd is DEL and UNLINK (which frees in the background in Redis; here
// there is nothing to free).
func delCmd(c *Ctx) {
	n := 0
	for _, key := range c.Args[1:] {
		if c.DB.Delete(key) {
			c.Touch(key)
			c.Notify(store.NotifyGeneric, "del", key)
			n++
		}
	}
	c.Dirty += n
	c.W.Int(int64(n))
}

// existsCmd is EXISTS and TOUCH: both count the existing keys, repeats
// included.
// existsCmd leaves the keys' access clocks alone (LOOKUP_NOTOUCH), as TYPE
// and the TTL family do; TOUCH is the same count with an access to each key.
func existsCmd(c *Ctx) { countKeys(c, c.DB.GetNoTouch) }
func touchCmd(c *Ctx)  { countKeys(c, c.DB.Get) }

func countKeys(c *Ctx, lookup func(key []byte) store.Value) {
	n := 0
	for _, key := range c.Args[1:] {
		if lookup(key) != nil {
			n++
		}
	}
	c.W.Int(int64(n))
}

func typeCmd(c *Ctx) {
	v := c.DB.GetNoTouch(c.Args[1])
	if v == nil {
		c.W.SimpleString("none")
		return
	}
	c.W.SimpleString(v.Type().String())
}

// keyExpired is keyIsExpired: KEYS skips logically expired keys without
// deleting them.
func keyExpired(c *Ctx, key string) bool {
	when := c.DB.TTL([]byte(key))
	return when >= 0 && c.Now > when
}

func keysCmd(c *Ctx) {
	pattern := string(c.Args[1])
	all := pattern == "*"
	keys := c.DB.Keys()
	var out []string
	for _, k := range keys {
		if (all || cstr.Glob(pattern, k, false)) && !keyExpired(c, k) {
			out = append(out, k)
		}
	}
	c.W.ArrayLen(len(out))
	for _, k := range out {
		c.W.BulkString(k)
	}
}

// parseScanCursor is parseScanCursorOrReply (see scanParseCursor).
func parseScanCursor(c *Ctx, b []byte) (uint64, bool) {
	v, ok := scanParseCursor(b)
	if !ok {
		c.Error(errInvalidCursor)
	}
	return v, ok
}

func scanCmd(c *Ctx) {
	cursor, ok := parseScanCursor(c, c.Args[1])
	if !ok {
		return
	}
	count := int64(10)
	var pattern, typ []byte
	for i := 2; i < len(c.Args); i += 2 {
		opt, more := c.Args[i], len(c.Args)-i >= 2
		switch {
		case EqualFold(opt, "count") && more:
			if count, ok = cstr.String2ll(c.Args[i+1]); !ok {
				c.Error(ErrNotInt)
				return
			}
			if count < 1 {
				c.Error(ErrSyntax)
				return
			}
		case EqualFold(opt, "match") && more:
			pattern = c.Args[i+1]
			if string(pattern) == "*" {
				pattern = nil
			}
		case EqualFold(opt, "type") && more:
			typ = c.Args[i+1]
		default:
			c.Error(ErrSyntax)
			return
		}
	}
	pat := string(pattern)
	var keys []string
	next := c.DB.Scan(cursor, int(min(count, 1<<30)), func(k string, v store.Value) {
		if typ != nil && !EqualFold(typ, v.Type().String()) {
			return
		}
		if pattern != nil && !cstr.Glob(pat, k, false) {
			return
		}
		keys = append(keys, k)
	})
	// A key found expired is deleted (and its DEL replicated), as Redis's
	// scan does after the pattern and type filters.
	live := keys[:0]
	for _, k := range keys {
		if !c.DB.ExpireIfNeeded([]byte(k)) {
			live = append(live, k)
		}
	}
	keys = live
	c.W.ArrayLen(2)
	var buf [20]byte
	c.W.Bulk(strconv.AppendUint(buf[:0], next, 10))
	c.W.ArrayLen(len(keys))
	for _, k := range keys {
		c.W.BulkString(k)
	}
}

func randomkeyCmd(c *Ctx) {
	if k, ok := c.DB.RandomKey(); ok {
		c.W.BulkString(k)
	} else {
		c.W.Null()
	}
}

func renameCmd(c *Ctx) { keyRename(c, false) }

func renamenxCmd(c *Ctx) { keyRename(c, true) }

func keyRename(c *Ctx, nx bool) {
	src, dst := c.Args[1], c.Args[2]
	if !c.DB.Exists(src) {
		c.Error(ErrNoKey)
		return
	}
	v := c.DB.Peek(src)
	if string(src) == string(dst) {
		keyReplyOKOr(c, nx, zero)
		return
	}
	if c.DB.Exists(dst) && nx {
		c.W.Raw(zero)
		return
	}
	// dbDelete then dbAdd, as Redis does: the destination is a new key.
	c.DB.Delete(dst)
	c.DB.Put(dst, v, c.DB.TTL(src))
	c.DB.Delete(src)
	c.Touch(src)
	c.Touch(dst)
	c.Notify(store.NotifyGeneric, "rename_from", src)
	c.Notify(store.NotifyGeneric, "rename_to", dst)
	c.Dirty++
	keyReplyOKOr(c, nx, one)
}

// keyReplyOKOr replies +OK, or the integer reply alt for the NX variant.
func keyReplyOKOr(c *Ctx, nx bool, alt []byte) {
	if nx {
		c.W.Raw(alt)
	} else {
		c.W.SimpleString("OK")
	}
}

func expireCmd(c *Ctx)    { keyExpire(c, c.Now, true) }
func pexpireCmd(c *Ctx)   { keyExpire(c, c.Now, false) }
func expireatCmd(c *Ctx)  { keyExpire(c, 0, true) }
func pexpireatCmd(c *Ctx) { keyExpire(c, 0, false) }

// EXPIRE's options.
const (
	expNX = 1 << iota
	expXX
	expGT
	expLT
)

// parseExpireFlags is parseExtendedExpireArgumentsOrReply.
func parseExpireFlags(c *Ctx) (int, bool) {
	flags := 0
	for _, opt := range c.Args[3:] {
		switch {
		case EqualFold(opt, "nx"):
			flags |= expNX
		case EqualFold(opt, "xx"):
			flags |= expXX
		case EqualFold(opt, "gt"):
			flags |= expGT
		case EqualFold(opt, "lt"):
			flags |= expLT
		default:
			c.Error(errorFormat("ERR Unsupported option " + string(cstr.UntilNUL(opt))))
			return 0, false
		}
	}
	if flags&expNX != 0 && flags&(expXX|expGT|expLT) != 0 {
		c.Error("ERR NX and XX, GT or LT options at the same time are not compatible")
		return 0, false
	}
	if flags&expGT != 0 && flags&expLT != 0 {
		c.Error("ERR GT and LT options at the same time are not compatible")
		return 0, false
	}
	return flags, true
}

// sanitizeErr is what addReplyErrorFormat does to text it quotes: newlines
// become spaces so the error stays one line.
func sanitizeErr(b []byte) string {
	out := []byte(string(b))
	for i, ch := range out {
		if ch == '\r' || ch == '\n' {
			out[i] = ' '
		}
	}
	return string(out)
}

// keyExpire is expireGenericCommand: basetime is now for the relative
// forms, 0 for the absolute ones.
func keyExpire(c *Ctx, basetime int64, seconds bool) {
	key := c.Args[1]
	flags, ok := parseExpireFlags(c)
	if !ok {
		return
	}
	when, ok := intArg(c, c.Args[2])
	if !ok {
		return
	}
	if seconds {
		if when > maxInt64/1000 || when < (-maxInt64-1)/1000 {
			stringExpireError(c)
			return
		}
		when *= 1000
	}
	if when > maxInt64-basetime {
		stringExpireError(c)
		return
	}
	when += basetime
	if !c.DB.Exists(key) {
		c.W.Raw(zero)
		return
	}
	if flags != 0 {
		cur := c.DB.TTL(key)
		if (flags&expNX != 0 && cur != -1) ||
			(flags&expXX != 0 && cur == -1) ||
			(flags&expGT != 0 && (cur == -1 || when <= cur)) ||
			(flags&expLT != 0 && cur != -1 && when >= cur) {
			c.W.Raw(zero)
			return
		}
	}
	c.Touch(key)
	c.Dirty++
	c.W.Raw(one)
	if expireAlreadyPassed(c, when) {
		c.DB.Delete(key)
		c.Notify(store.NotifyGeneric, "del", key)
		c.Propagate(wordDEL, key)
		return
	}
	c.DB.SetExpire(key, when)
	c.Notify(store.NotifyGeneric, "expire", key)
	argv := make([][]byte, 0, len(c.Args))
	argv = append(argv, wordPEXPIREAT, key, strconv.AppendInt(nil, when, 10))
	c.Propagate(append(argv, c.Args[3:]...)...)
}

func ttlCmd(c *Ctx)         { keyTTL(c, false, false) }
func pttlCmd(c *Ctx)        { keyTTL(c, true, false) }
func expiretimeCmd(c *Ctx)  { keyTTL(c, false, true) }
func pexpiretimeCmd(c *Ctx) { keyTTL(c, true, true) }

// keyTTL is ttlGenericCommand: -2 for a missing key, -1 without a TTL.
func keyTTL(c *Ctx, ms, abs bool) {
	key := c.Args[1]
	if c.DB.GetNoTouch(key) == nil {
		c.W.Int(-2)
		return
	}
	when := c.DB.TTL(key)
	if when == -1 {
		c.W.Int(-1)
		return
	}
	ttl := when
	if !abs {
		ttl = max(when-c.Now, 0)
	}
	if !ms {
		ttl = (ttl + 500) / 1000
	}
	c.W.Int(ttl)
}

func persistCmd(c *Ctx) {
	key := c.Args[1]
	if c.DB.Exists(key) && c.DB.Persist(key) {
		c.Touch(key)
		c.Dirty++
		c.Notify(store.NotifyGeneric, "persist", key)
		c.W.Raw(one)
		return
	}
	c.W.Raw(zero)
}

// parseDBIndex is getIntFromObjectOrReply followed by the range check of
// selectDb; it replies on failure.
func parseDBIndex(c *Ctx, b []byte) (*store.DB, bool) {
	n, ok := intArg(c, b)
	if !ok {
		return nil, false
	}
	if n < -1<<31 || n > 1<<31-1 {
		c.Error("ERR value is out of range, value must between -2147483648 and 2147483647")
		return nil, false
	}
	if n < 0 || n >= int64(len(c.Store.DBs)) {
		c.Error(errDBRange)
		return nil, false
	}
	return c.Store.DBs[n], true
}

func moveCmd(c *Ctx) {
	key := c.Args[1]
	dst, ok := parseDBIndex(c, c.Args[2])
	if !ok {
		return
	}
	if dst == c.DB {
		c.Error(errSameObject)
		return
	}
	if !c.DB.Exists(key) || dst.Exists(key) {
		c.W.Raw(zero)
		return
	}
	dst.Put(key, c.DB.Peek(key), c.DB.TTL(key))
	c.DB.Delete(key)
	c.Touch(key)
	c.Store.Modified(dst.ID, key)
	c.Notify(store.NotifyGeneric, "move_from", key)
	c.Store.Notify(store.NotifyGeneric, "move_to", dst.ID, key)
	c.Dirty++
	c.W.Raw(one)
}

func copyCmd(c *Ctx) {
	src, dstKey := c.Args[1], c.Args[2]
	dst := c.DB
	replace := false
	for j := 3; j < len(c.Args); j++ {
		switch opt := c.Args[j]; {
		case EqualFold(opt, "replace"):
			replace = true
		case EqualFold(opt, "db") && j+1 < len(c.Args):
			var ok bool
			if dst, ok = parseDBIndex(c, c.Args[j+1]); !ok {
				return
			}
			j++
		default:
			c.Error(ErrSyntax)
			return
		}
	}
	if dst == c.DB && string(src) == string(dstKey) {
		c.Error(errSameObject)
		return
	}
	v := c.DB.Get(src)
	if v == nil {
		c.W.Raw(zero)
		return
	}
	expire := c.DB.TTL(src)
	if dst.Exists(dstKey) && !replace {
		c.W.Raw(zero)
		return
	}
	if replace {
		dst.Delete(dstKey) // dbDelete then dbAdd: a new key
	}
	dst.Set(dstKey, store.CloneValue(v))
	if expire != -1 {
		dst.SetExpire(dstKey, expire)
	}
	c.Store.Modified(dst.ID, dstKey)
	c.Store.Notify(store.NotifyGeneric, "copy_to", dst.ID, dstKey)
	c.Dirty++
	c.W.Raw(one)
}

// dumpOptions are the encoding settings DUMP uses: Redis's defaults with
// this store's size limits.
func dumpOptions(lim store.Limits) rdb.Options {
	opt := rdb.DefaultOptions()
	opt.ListMaxListpackSize = lim.ListMaxListpackSize
	opt.HashMaxListpackEntries = lim.HashMaxListpackEntries
	opt.HashMaxListpackValue = lim.HashMaxListpackValue
	opt.SetMaxIntsetEntries = lim.SetMaxIntsetEntries
	opt.ZSetMaxListpackEntries = lim.ZSetMaxListpackEntries
	opt.ZSetMaxListpackValue = lim.ZSetMaxListpackValue
	opt.ListPackedThreshold = lim.ListPackedThreshold
	return opt
}

func dumpCmd(c *Ctx) {
	v := c.DB.Get(c.Args[1])
	if v == nil {
		c.W.Null()
		return
	}
	c.W.Bulk(store.DumpValue(v, dumpOptions(c.Store.Limits)))
}

func restoreCmd(c *Ctx) {
	key := c.Args[1]
	var replace, absttl, idle, freq bool
	var idleVal, freqVal int64
	for j := 4; j < len(c.Args); j++ {
		opt, more := c.Args[j], j+1 < len(c.Args)
		switch {
		case EqualFold(opt, "replace"):
			replace = true
		case EqualFold(opt, "absttl"):
			absttl = true
		case EqualFold(opt, "idletime") && more && !freq:
			n, ok := nonNegative(c, c.Args[j+1], ErrNotInt, "ERR Invalid IDLETIME value, must be >= 0")
			if !ok {
				return
			}
			idle, idleVal = true, n
			j++
		case EqualFold(opt, "freq") && more && !idle:
			n, ok := intArg(c, c.Args[j+1])
			if !ok {
				return
			}
			if n < 0 || n > 255 {
				c.Error("ERR Invalid FREQ value, must be >= 0 and <= 255")
				return
			}
			freq, freqVal = true, n
			j++
		default:
			c.Error(ErrSyntax)
			return
		}
	}
	if !replace && c.DB.Exists(key) {
		c.Error("BUSYKEY Target key name already exists.")
		return
	}
	ttl, ok := nonNegative(c, c.Args[2], ErrNotInt, "ERR Invalid TTL value, must be >= 0")
	if !ok {
		return
	}
	v, err := store.RestoreValue(c.Args[3], c.Store.Limits)
	if err != nil {
		if errors.Is(err, rdb.ErrBadPayload) {
			c.Error("ERR DUMP payload version or checksum are wrong")
		} else {
			c.Error("ERR Bad data format")
		}
		return
	}
	deleted := replace && c.DB.Delete(key)
	if ttl != 0 && !absttl {
		ttl += c.Now
	}
	if ttl != 0 && expireAlreadyPassed(c, ttl) {
		if deleted {
			c.Touch(key)
			c.Dirty++
			c.Notify(store.NotifyGeneric, "del", key)
			c.Propagate(wordDEL, key)
		}
		c.W.SimpleString("OK")
		return
	}
	// objectSetLRUOrLFU: each option applies under its own kind of policy.
	if freq && c.Store.LFU != nil {
		c.Store.SetFreq(v, int(freqVal))
	}
	if idle {
		c.Store.SetIdleTime(v, idleVal)
	}
	c.DB.Set(key, v)
	if ttl != 0 {
		c.DB.SetExpire(key, ttl)
		if !absttl {
			// Replicas get the absolute deadline.
			argv := append([][]byte(nil), c.Args...)
			argv[2] = strconv.AppendInt(nil, ttl, 10)
			c.Propagate(append(argv, wordABSTTL)...)
		}
	}
	c.Touch(key)
	c.Notify(store.NotifyGeneric, "restore", key)
	c.Dirty++
	c.W.SimpleString("OK")
}

var objectHelp = []string{
	"ENCODING <key>",
	"    Return the kind of internal representation used in order to store the value",
	"    associated with a <key>.",
	"FREQ <key>",
	"    Return the access frequency index of the <key>. The returned integer is",
	"    proportional to the logarithm of the recent access frequency of the key.",
	"IDLETIME <key>",
	"    Return the idle time of the <key>, that is the approximated number of",
	"    seconds elapsed since the last access to the key.",
	"REFCOUNT <key>",
	"    Return the number of references of the value associated with the specified",
	"    <key>.",
}

// sharedRefcount is what OBJECT REFCOUNT reports for Redis's shared
// integers 0..9999, which every key holding such a number points to.
const sharedRefcount = 2147483647

// objectOf is an OBJECT subcommand (bound one by one in bind.go): f
// replies about key's value, looked up without touching it; a missing key
// is nil.
func objectOf(f func(c *Ctx, v store.Value)) func(*Ctx) {
	return func(c *Ctx) {
		v := c.DB.GetNoTouch(c.Args[2])
		if v == nil {
			c.W.Null()
			return
		}
		f(c, v)
	}
}

func objectEncoding(c *Ctx, v store.Value) { c.W.BulkString(v.Encoding()) }

func objectRefcount(c *Ctx, v store.Value) {
	if s, ok := v.(*store.String); ok && s.Encoding() == "int" {
		if n, _ := cstr.String2ll(s.B); n >= 0 && n < 10000 {
			c.W.Int(sharedRefcount)
			return
		}
	}
	c.W.Raw(one)
}

func objectIdletime(c *Ctx, v store.Value) {
	if c.Store.LFU != nil {
		c.Error("ERR An LFU maxmemory policy is selected, idle time not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.")
		return
	}
	c.W.Int(c.Store.IdleTime(v) / 1000)
}

func objectFreq(c *Ctx, v store.Value) {
	if c.Store.LFU == nil {
		c.Error("ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.")
		return
	}
	c.W.Int(c.Store.Freq(v))
}

// errorFormat is what addReplyErrorFormat does to its text: CR and LF
// trimmed from both ends, those inside turned into spaces.
func errorFormat(msg string) string {
	return sanitizeErr([]byte(strings.Trim(msg, "\r\n")))
}

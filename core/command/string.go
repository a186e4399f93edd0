package command

import (
	"strconv"

	"github.com/syncscope/syncscope/core/cstr"
	"github.com/syncscope/syncscope/core/store"
)

// Propagated words, shared so rewriting a command allocates nothing for them.
var (
	wordSet       = []byte("SET")
	wordPXAT      = []byte("PXAT")
	wordKEEPTTL   = []byte("KEEPTTL")
	wordDEL       = []byte("DEL")
	wordPEXPIREAT = []byte("PEXPIREAT")
	wordPERSIST   = []byte("PERSIST")
)

const errStringLimit = "ERR string exceeds maximum allowed size (proto-max-bulk-len)"

// stringExpireError is Redis's addReplyErrorExpireTime, which names the
// command as the client typed it, lower-cased.
func stringExpireError(c *Ctx) {
	c.Error("ERR invalid expire time in '" + lowerName(c.Args[0]) + "' command")
}

func lowerName(b []byte) string {
	out := make([]byte, len(b))
	for i, ch := range b {
		if 'A' <= ch && ch <= 'Z' {
			ch += 'a' - 'A'
		}
		out[i] = ch
	}
	return string(out)
}

func getCmd(c *Ctx) { stringGet(c) }

// stringGet replies with the value of Args[1] (getGenericCommand) and
// reports false after replying WRONGTYPE.
func stringGet(c *Ctx) bool {
	s, ok := lookupAs[*store.String](c, c.Args[1], false)
	switch {
	case !ok:
		return false
	case s == nil:
		c.W.Null()
	default:
		c.W.Bulk(s.B)
	}
	return true
}

// Option flags of SET and GETEX (parseExtendedStringArgumentsOrReply).
const (
	setNX = 1 << iota
	setXX
	setGet
	setKeepTTL
	setPersist
	setEX
	setPX
	setEXAT
	setPXAT
)

const setAnyExpire = setEX | setPX | setEXAT | setPXAT

// parseStringOptions parses SET's (forSet) or GETEX's options from Args[from:],
// replying with a syntax error on failure. expire is the expiry argument.
func parseStringOptions(c *Ctx, from int, forSet bool) (flags int, expire []byte, ok bool) {
	for j := from; j < len(c.Args); j++ {
		opt := c.Args[j]
		hasNext := j+1 < len(c.Args)
		var f int
		switch {
		case forSet && EqualFold(opt, "nx") && flags&setXX == 0:
			f = setNX
		case forSet && EqualFold(opt, "xx") && flags&setNX == 0:
			f = setXX
		case forSet && EqualFold(opt, "get"):
			f = setGet
		case forSet && EqualFold(opt, "keepttl") && flags&(setPersist|setAnyExpire) == 0:
			f = setKeepTTL
		case !forSet && EqualFold(opt, "persist") && flags&(setAnyExpire|setKeepTTL) == 0:
			f = setPersist
		case EqualFold(opt, "ex") && hasNext && flags&(setKeepTTL|setPersist|setAnyExpire&^setEX) == 0:
			f = setEX
		case EqualFold(opt, "px") && hasNext && flags&(setKeepTTL|setPersist|setAnyExpire&^setPX) == 0:
			f = setPX
		case EqualFold(opt, "exat") && hasNext && flags&(setKeepTTL|setPersist|setAnyExpire&^setEXAT) == 0:
			f = setEXAT
		case EqualFold(opt, "pxat") && hasNext && flags&(setKeepTTL|setPersist|setAnyExpire&^setPXAT) == 0:
			f = setPXAT
		default:
			c.Error(ErrSyntax)
			return 0, nil, false
		}
		flags |= f
		if f&setAnyExpire != 0 {
			j++
			expire = c.Args[j]
		}
	}
	return flags, expire, true
}

// expireMillis turns an EX/PX/EXAT/PXAT argument into an absolute unix ms
// time (getExpireMillisecondsOrReply), replying with an error on failure.
func expireMillis(c *Ctx, arg []byte, flags int) (int64, bool) {
	ms, ok := intArg(c, arg)
	if !ok {
		return 0, false
	}
	seconds := flags&(setEX|setEXAT) != 0
	if ms <= 0 || (seconds && ms > maxInt64/1000) {
		stringExpireError(c)
		return 0, false
	}
	if seconds {
		ms *= 1000
	}
	if flags&(setEX|setPX) != 0 {
		ms += c.Now
	}
	if ms <= 0 {
		stringExpireError(c)
		return 0, false
	}
	return ms, true
}

const maxInt64 = 1<<63 - 1

func setCmd(c *Ctx) {
	flags, expire, ok := parseStringOptions(c, 3, true)
	if ok {
		stringSet(c, flags, c.Args[1], c.Args[2], expire, nil, nil)
	}
}

func setnxCmd(c *Ctx) {
	stringSet(c, setNX, c.Args[1], c.Args[2], nil, one, zero)
}

func setexCmd(c *Ctx) { stringSet(c, setEX, c.Args[1], c.Args[3], c.Args[2], nil, nil) }

func psetexCmd(c *Ctx) { stringSet(c, setPX, c.Args[1], c.Args[3], c.Args[2], nil, nil) }

// Integer replies written as they are.
var (
	zero = []byte(":0\r\n")
	one  = []byte(":1\r\n")
)

// stringSet is setGenericCommand. okReply and abortReply, when set, replace
// +OK and the null reply.
func stringSet(c *Ctx, flags int, key, val, expire, okReply, abortReply []byte) {
	var when int64
	if expire != nil {
		var ok bool
		if when, ok = expireMillis(c, expire, flags); !ok {
			return
		}
	}
	if flags&setGet != 0 && !stringGet(c) {
		return
	}
	if flags&(setNX|setXX) != 0 {
		found := c.DB.Exists(key)
		if (flags&setNX != 0 && found) || (flags&setXX != 0 && !found) {
			if flags&setGet == 0 {
				if abortReply != nil {
					c.W.Raw(abortReply)
				} else {
					c.W.Null()
				}
			}
			return
		}
	}
	v := store.NewString(val)
	if flags&setKeepTTL != 0 {
		c.DB.SetKeepTTL(key, v)
	} else {
		c.DB.Set(key, v)
	}
	c.Touch(key)
	c.Dirty++
	c.Notify(store.NotifyString, "set", key)
	if expire != nil {
		c.DB.SetExpire(key, when)
		c.Notify(store.NotifyGeneric, "expire", key)
		// Relative and absolute expiries alike propagate as an absolute
		// PXAT, so replicas agree on the deadline.
		c.Propagate(wordSet, key, val, wordPXAT, strconv.AppendInt(nil, when, 10))
	} else if flags&setGet != 0 {
		c.Propagate(stringWithoutGet(c.Args)...)
	}
	if flags&setGet == 0 {
		if okReply != nil {
			c.W.Raw(okReply)
		} else {
			c.W.SimpleString("OK")
		}
	}
}

// stringWithoutGet drops every GET option from a SET argv: replicas have no
// use for the old value.
func stringWithoutGet(args [][]byte) [][]byte {
	out := make([][]byte, 0, len(args))
	for j, a := range args {
		if j >= 3 && EqualFold(a, "get") {
			continue
		}
		out = append(out, a)
	}
	return out
}

func getsetCmd(c *Ctx) {
	if !stringGet(c) {
		return
	}
	key := c.Args[1]
	c.DB.Set(key, store.NewString(c.Args[2]))
	c.Touch(key)
	c.Dirty++
	c.Notify(store.NotifyString, "set", key)
	c.Propagate(wordSet, key, c.Args[2])
}

func getdelCmd(c *Ctx) {
	if !stringGet(c) {
		return
	}
	key := c.Args[1]
	if c.DB.Delete(key) {
		c.Touch(key)
		c.Dirty++
		c.Notify(store.NotifyGeneric, "del", key)
		c.Propagate(wordDEL, key)
	}
}

func getexCmd(c *Ctx) {
	flags, expire, ok := parseStringOptions(c, 2, false)
	if !ok {
		return
	}
	key := c.Args[1]
	s, ok := lookupOrReply[*store.String](c, key, false, c.W.Null)
	if !ok {
		return
	}
	var when int64
	if expire != nil {
		if when, ok = expireMillis(c, expire, flags); !ok {
			return
		}
	}
	c.W.Bulk(s.B)
	switch {
	case flags&(setEXAT|setPXAT) != 0 && expireAlreadyPassed(c, when):
		c.DB.Delete(key)
		c.Touch(key)
		c.Dirty++
		c.Notify(store.NotifyGeneric, "del", key)
		c.Propagate(wordDEL, key)
	case expire != nil:
		c.DB.SetExpire(key, when)
		c.Touch(key)
		c.Dirty++
		c.Notify(store.NotifyGeneric, "expire", key)
		c.Propagate(wordPEXPIREAT, key, strconv.AppendInt(nil, when, 10))
	case flags&setPersist != 0:
		if c.DB.Persist(key) {
			c.Touch(key)
			c.Dirty++
			c.Notify(store.NotifyGeneric, "persist", key)
			c.Propagate(wordPERSIST, key)
		}
	}
}

// expireAlreadyPassed is checkAlreadyExpired: only a master deletes a key
// whose new deadline has passed; a replica waits for its master's DEL.
func expireAlreadyPassed(c *Ctx, when int64) bool {
	return when <= c.Now && c.Store.Mode == store.ExpireDelete
}

func mgetCmd(c *Ctx) {
	c.W.ArrayLen(len(c.Args) - 1)
	for _, key := range c.Args[1:] {
		if s, ok := c.DB.Get(key).(*store.String); ok {
			c.W.Bulk(s.B)
		} else {
			c.W.Null()
		}
	}
}

func msetCmd(c *Ctx) { stringMSet(c, false) }

func msetnxCmd(c *Ctx) { stringMSet(c, true) }

func stringMSet(c *Ctx, nx bool) {
	if len(c.Args)%2 == 0 {
		c.Error("ERR wrong number of arguments for '" + lowerName(c.Args[0]) + "' command")
		return
	}
	if nx {
		for j := 1; j < len(c.Args); j += 2 {
			if c.DB.Exists(c.Args[j]) {
				c.W.Raw(zero)
				return
			}
		}
	}
	for j := 1; j < len(c.Args); j += 2 {
		c.DB.Set(c.Args[j], store.NewString(c.Args[j+1]))
		c.Touch(c.Args[j])
		c.Notify(store.NotifyString, "set", c.Args[j])
	}
	c.Dirty += (len(c.Args) - 1) / 2
	if nx {
		c.W.Raw(one)
	} else {
		c.W.SimpleString("OK")
	}
}

func incrCmd(c *Ctx) { stringIncr(c, 1) }

func decrCmd(c *Ctx) { stringIncr(c, -1) }

func incrbyCmd(c *Ctx) {
	if n, ok := cstr.String2ll(c.Args[2]); !ok {
		c.Error(ErrNotInt)
	} else {
		stringIncr(c, n)
	}
}

func decrbyCmd(c *Ctx) {
	n, ok := cstr.String2ll(c.Args[2])
	switch {
	case !ok:
		c.Error(ErrNotInt)
	case n == -maxInt64-1:
		c.Error("ERR decrement would overflow")
	default:
		stringIncr(c, -n)
	}
}

// stringIncr is incrDecrCommand: the stored value must be an integer, and
// the key keeps its TTL.
func stringIncr(c *Ctx, incr int64) {
	key := c.Args[1]
	v := c.DB.GetForWrite(key)
	var old int64
	var s *store.String
	if v != nil {
		var isStr bool
		if s, isStr = v.(*store.String); !isStr {
			c.Error(ErrWrongType)
			return
		}
		var ok bool
		if old, ok = cstr.String2ll(s.B); !ok {
			c.Error(ErrNotInt)
			return
		}
	}
	if (incr < 0 && old < 0 && incr < -maxInt64-1-old) || (incr > 0 && old > 0 && incr > maxInt64-old) {
		c.Error(ErrOverflow)
		return
	}
	if s != nil {
		s.SetInt(old + incr)
	} else {
		s = store.NewStringOwned(strconv.AppendInt(make([]byte, 0, 20), incr, 10))
		c.DB.Set(key, s)
	}
	c.Touch(key)
	c.Dirty++
	c.Notify(store.NotifyString, "incrby", key)
	c.W.Int(old + incr)
}

// lookupBytes reads key's string: its bytes, exists false (and b nil) for
// a missing key, ok false once it has replied WRONGTYPE.
func lookupBytes(c *Ctx, key []byte) (b []byte, exists, ok bool) {
	s, ok := lookupAs[*store.String](c, key, false)
	if s != nil {
		b, exists = s.B, true
	}
	return b, exists, ok
}

func incrbyfloatCmd(c *Ctx) {
	key := c.Args[1]
	cur, exists, ok := lookupBytes(c, key)
	if !ok {
		return
	}
	sum, ok := incrLongDouble(c, cur, exists, c.Args[2], ErrNotFloat, "ERR increment would produce NaN or Infinity")
	if !ok {
		return
	}
	if exists {
		c.DB.SetKeepTTL(key, store.NewFloatString(sum))
	} else {
		c.DB.Set(key, store.NewFloatString(sum))
	}
	c.Touch(key)
	c.Dirty++
	c.Notify(store.NotifyString, "incrbyfloat", key)
	c.W.Bulk(sum)
	// Replicas get the result, so they never redo float arithmetic; a copy,
	// as the stored value may be rewritten in place (INCR) before the
	// propagation is flushed (EXEC).
	c.Propagate(wordSet, key, append([]byte(nil), sum...), wordKEEPTTL)
}

func appendCmd(c *Ctx) {
	key, add := c.Args[1], c.Args[2]
	s, ok := lookupAs[*store.String](c, key, true)
	if !ok {
		return
	}
	if s == nil {
		s = store.NewString(add)
		c.DB.Set(key, s)
	} else {
		if len(s.B)+len(add) > store.MaxStringLen {
			c.Error(errStringLimit)
			return
		}
		s.B = append(s.B, add...)
		s.MarkRaw()
	}
	c.Touch(key)
	c.Dirty++
	c.Notify(store.NotifyString, "append", key)
	c.W.Int(int64(len(s.B)))
}

func strlenCmd(c *Ctx) {
	s, ok := lookupAs[*store.String](c, c.Args[1], false)
	if ok {
		if s == nil {
			c.W.Raw(zero)
		} else {
			c.W.Int(int64(len(s.B)))
		}
	}
}

func getrangeCmd(c *Ctx) {
	start, end, ok := intPair(c, c.Args[2], c.Args[3])
	if !ok {
		return
	}
	// A missing key's range is the empty string.
	s, ok := lookupOrReply[*store.String](c, c.Args[1], false, func() { c.W.Bulk(nil) })
	if !ok {
		return
	}
	n := int64(len(s.B))
	if start < 0 && end < 0 && start > end {
		c.W.Bulk(nil)
		return
	}
	start, end = stringRange(start, end, n)
	if start > end || n == 0 {
		c.W.Bulk(nil)
		return
	}
	c.W.Bulk(s.B[start : end+1])
}

func setrangeCmd(c *Ctx) {
	key, val := c.Args[1], c.Args[3]
	off, ok := nonNegative(c, c.Args[2], ErrNotInt, "ERR offset is out of range")
	if !ok {
		return
	}
	s, ok := lookupAs[*store.String](c, key, true)
	if !ok {
		return
	}
	if len(val) == 0 {
		if s == nil {
			c.W.Raw(zero)
		} else {
			c.W.Int(int64(len(s.B)))
		}
		return
	}
	if off > store.MaxStringLen-int64(len(val)) { // off+len could overflow
		c.Error(errStringLimit)
		return
	}
	end := int(off) + len(val)
	if s == nil {
		s = store.NewRawString(make([]byte, end))
		c.DB.Set(key, s)
	} else {
		if end > len(s.B) {
			s.B = append(s.B, make([]byte, end-len(s.B))...)
		}
		s.MarkRaw()
	}
	copy(s.B[off:], val)
	c.Touch(key)
	c.Dirty++
	c.Notify(store.NotifyString, "setrange", key)
	c.W.Int(int64(len(s.B)))
}

// incrLongDouble is INCRBYFLOAT's and HINCRBYFLOAT's addLongDouble: it
// replies notFloat when cur or incr is not a float and nan when the sum is
// NaN or infinite, the words of each command.
func incrLongDouble(c *Ctx, cur []byte, exists bool, incr []byte, notFloat, nan string) ([]byte, bool) {
	sum, ok := addLongDouble(cur, exists, incr)
	switch {
	case !ok:
		c.Error(notFloat)
	case sum == nil:
		c.Error(nan)
	default:
		return sum, true
	}
	return nil, false
}

// addLongDouble parses cur (nil for a missing key: zero) and incr as strtold
// does and returns their sum formatted as Redis's ld2string(LD_STR_HUMAN).
// ok is false when either is not a valid float; sum is nil when the result
// is NaN or infinite.
func addLongDouble(cur []byte, exists bool, incr []byte) (sum []byte, ok bool) {
	var a ldouble
	if exists {
		if a, ok = parseLongDouble(cur); !ok {
			return nil, false
		}
	}
	b, ok := parseLongDouble(incr)
	if !ok {
		return nil, false
	}
	if a.inf || b.inf {
		return nil, true
	}
	a = a.add(b)
	if !a.isZero() && a.exp > ldMaxExp {
		return nil, true
	}
	return trimHuman(a.appendFixed(make([]byte, 0, 24))), true
}

// lcsCmd is LCS key1 key2 [LEN] [IDX] [MINMATCHLEN n] [WITHMATCHLEN], with
// Redis's dynamic programming table and its backward walk, so the matches
// come out in the same order.
func lcsCmd(c *Ctx) {
	va, vb := c.DB.Get(c.Args[1]), c.DB.Get(c.Args[2])
	sa, okA := va.(*store.String)
	sb, okB := vb.(*store.String)
	if (va != nil && !okA) || (vb != nil && !okB) {
		c.Error("ERR The specified keys must contain string values")
		return
	}
	var a, b []byte
	if okA {
		a = sa.B
	}
	if okB {
		b = sb.B
	}
	var getLen, getIdx, withLen bool
	var minLen int64
	for j := 3; j < len(c.Args); j++ {
		opt := c.Args[j]
		switch {
		case EqualFold(opt, "idx"):
			getIdx = true
		case EqualFold(opt, "len"):
			getLen = true
		case EqualFold(opt, "withmatchlen"):
			withLen = true
		case EqualFold(opt, "minmatchlen") && j+1 < len(c.Args):
			n, ok := intArg(c, c.Args[j+1])
			if !ok {
				return
			}
			minLen = max(n, 0)
			j++
		default:
			c.Error(ErrSyntax)
			return
		}
	}
	if getIdx && getLen {
		c.Error("ERR If you want both the length and indexes, please just use IDX.")
		return
	}
	if int64(len(a)+1)*int64(len(b)+1)*4 > store.MaxStringLen {
		c.Error("ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len")
		return
	}
	cols := len(b) + 1
	dp := make([]uint32, (len(a)+1)*cols)
	for i := 1; i <= len(a); i++ {
		for j := 1; j <= len(b); j++ {
			if a[i-1] == b[j-1] {
				dp[i*cols+j] = dp[(i-1)*cols+j-1] + 1
			} else {
				dp[i*cols+j] = max(dp[(i-1)*cols+j], dp[i*cols+j-1])
			}
		}
	}
	total := dp[len(a)*cols+len(b)]
	if getLen {
		c.W.Int(int64(total))
		return
	}
	result := make([]byte, total)
	var ranges [][4]int // a start, a end, b start, b end
	idx := total
	const unset = -1
	as, ae, bs, be := unset, 0, 0, 0
	for i, j := len(a), len(b); i > 0 && j > 0; {
		emit := false
		if a[i-1] == b[j-1] {
			result[idx-1] = a[i-1]
			if as == unset {
				as, ae, bs, be = i-1, i-1, j-1, j-1
			} else if as == i && bs == j {
				as--
				bs--
			} else {
				emit = true
			}
			if as == 0 || bs == 0 {
				emit = true
			}
			idx--
			i--
			j--
		} else {
			if dp[(i-1)*cols+j] > dp[i*cols+j-1] {
				i--
			} else {
				j--
			}
			emit = as != unset
		}
		if emit {
			if n := int64(ae - as + 1); minLen == 0 || n >= minLen {
				ranges = append(ranges, [4]int{as, ae, bs, be})
			}
			as = unset
		}
	}
	if !getIdx {
		c.W.Bulk(result)
		return
	}
	c.W.MapLen(2)
	c.W.BulkString("matches")
	c.W.ArrayLen(len(ranges))
	for _, r := range ranges {
		if withLen {
			c.W.ArrayLen(3)
		} else {
			c.W.ArrayLen(2)
		}
		c.W.ArrayLen(2)
		c.W.Int(int64(r[0]))
		c.W.Int(int64(r[1]))
		c.W.ArrayLen(2)
		c.W.Int(int64(r[2]))
		c.W.Int(int64(r[3]))
		if withLen {
			c.W.Int(int64(r[1] - r[0] + 1))
		}
	}
	intField(c, "len", int64(total))
}

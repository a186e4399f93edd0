package command

import (
	"bytes"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/syncscope/syncscope/core/cstr"
	"github.com/syncscope/syncscope/core/store"
)

// SORT and SORT_RO, following Redis 7.0's sortCommandGeneric: the same
// option parsing, LIMIT clamping, element loading (the BY-constant shortcut
// that keeps a list's or sorted set's own order), comparison with its tie
// rules, and the same errors. Bound in bind.go, with sortKeys as its
// getkeys_proc.

const errSortDouble = "ERR One or more scores can't be converted into double"

// sortItem is one element to sort (Redis's redisSortObject).
type sortItem struct {
	obj   []byte
	score float64
	cmp   []byte // the BY value under ALPHA; nil when the BY key is missing
}

func sortCmd(readonly bool) func(*Ctx) {
	return func(c *Ctx) { sortGeneric(c, readonly) }
}

func sortGeneric(c *Ctx, readonly bool) {
	var (
		desc, alpha, dontsort bool
		limitStart, limitCnt  int64 = 0, -1
		sortby, storekey      []byte
		gets                  [][]byte
	)
	for j := 2; j < len(c.Args); j++ {
		a, left := c.Args[j], len(c.Args)-j-1
		switch {
		case EqualFold(a, "asc"):
			desc = false
		case EqualFold(a, "desc"):
			desc = true
		case EqualFold(a, "alpha"):
			alpha = true
		case EqualFold(a, "limit") && left >= 2:
			var ok bool
			if limitStart, limitCnt, ok = intPair(c, c.Args[j+1], c.Args[j+2]); !ok {
				return
			}
			j += 2
		case !readonly && EqualFold(a, "store") && left >= 1:
			storekey = c.Args[j+1]
			j++
		case EqualFold(a, "by") && left >= 1:
			sortby = c.Args[j+1]
			// A BY pattern without '*' is constant: nothing to sort by.
			dontsort = bytes.IndexByte(cstr.UntilNUL(sortby), '*') < 0
			if !dontsort && c.KeysLimited {
				c.Error("ERR BY option of SORT denied due to insufficient ACL permissions.")
				return
			}
			j++
		case EqualFold(a, "get") && left >= 1:
			if c.KeysLimited {
				c.Error("ERR GET option of SORT denied due to insufficient ACL permissions.")
				return
			}
			gets = append(gets, c.Args[j+1])
			j++
		default:
			c.Error(ErrSyntax)
			return
		}
	}

	var (
		lst *store.List
		set *store.Set
		zs  *store.ZSet
	)
	switch v := c.DB.Get(c.Args[1]).(type) {
	case nil:
		lst = store.NewListFor(c.Store.Limits)
	case *store.List:
		lst = v
	case *store.Set:
		set = v
	case *store.ZSet:
		zs = v
	default:
		c.Error(ErrWrongType)
		return
	}

	// A set has no order of its own: sorted alphabetically when stored or
	// from a script, so the result is the same on replicas.
	if dontsort && set != nil && (storekey != nil || c.Script) {
		dontsort, alpha, sortby = false, true, nil
	}
	// Redis converts a listpack sorted set to a skiplist for SORT, for good.
	if zs != nil && zs.IsListpack() {
		zs = c.DB.GetForWrite(c.Args[1]).(*store.ZSet)
		zs.ToSkiplist()
	}

	var vectorlen int64
	switch {
	case lst != nil:
		vectorlen = int64(lst.Len())
	case set != nil:
		vectorlen = int64(set.Len())
	default:
		vectorlen = int64(zs.Len())
	}
	start := min(max(limitStart, 0), vectorlen)
	limitCnt = min(max(limitCnt, -1), vectorlen)
	end := vectorlen - 1
	if limitCnt >= 0 {
		end = start + limitCnt - 1
	}
	if start >= vectorlen {
		start, end = vectorlen-1, vectorlen-2
	}
	if end >= vectorlen {
		end = vectorlen - 1
	}

	var vec []sortItem
	switch {
	case lst != nil && dontsort:
		// The list's own order (from the tail under DESC), only the range.
		if end >= start {
			n := int(lst.Len())
			for i := int(start); i <= int(end); i++ {
				k := i
				if desc {
					k = n - 1 - i
				}
				vec = append(vec, sortItem{obj: lst.Index(k)})
			}
			end, start = end-start, 0
		}
	case lst != nil:
		vec = make([]sortItem, 0, lst.Len())
		lst.Each(func(e []byte) bool { vec = append(vec, sortItem{obj: e}); return true })
	case set != nil:
		vec = make([]sortItem, 0, set.Len())
		set.Each(func(m string) bool { vec = append(vec, sortItem{obj: []byte(m)}); return true })
	case dontsort:
		// The sorted set's own order, only the range.
		if end >= start {
			zs.Range(int(start), int(end), desc, func(m string, _ float64) bool {
				vec = append(vec, sortItem{obj: []byte(m)})
				return true
			})
		}
		end, start = end-start, 0
	default:
		vec = make([]sortItem, 0, zs.Len())
		zs.Each(func(m string, _ float64) bool { vec = append(vec, sortItem{obj: []byte(m)}); return true })
	}

	convErr := false
	if !dontsort {
		for i := range vec {
			byval := vec[i].obj
			if sortby != nil {
				var found bool
				if byval, found = sortLookup(c, sortby, vec[i].obj); !found {
					continue
				}
			}
			if alpha {
				if sortby != nil {
					vec[i].cmp = byval
					if vec[i].cmp == nil {
						vec[i].cmp = []byte{}
					}
				}
				continue
			}
			var ok bool
			if vec[i].score, ok = sortStrtod(byval); !ok {
				convErr = true
			}
		}
		partial := sortby != nil && (start != 0 || end != int64(len(vec))-1)
		sortVector(vec, desc, alpha, sortby != nil, storekey != nil, partial, int(start), int(end))
	}

	n := end - start + 1
	outputlen := n
	if len(gets) > 0 {
		outputlen = int64(len(gets)) * n
	}
	switch {
	case convErr:
		c.Error(errSortDouble)
	case storekey == nil:
		c.W.ArrayLen(int(outputlen))
		for j := start; j <= end; j++ {
			if len(gets) == 0 {
				c.W.Bulk(vec[j].obj)
			}
			for _, g := range gets {
				if v, ok := sortLookup(c, g, vec[j].obj); ok {
					c.W.Bulk(v)
				} else {
					c.W.Null()
				}
			}
		}
	default:
		dst := store.NewListFor(c.Store.Limits)
		for j := start; j <= end; j++ {
			if len(gets) == 0 {
				dst.PushBack(vec[j].obj)
			}
			for _, g := range gets {
				v, _ := sortLookup(c, g, vec[j].obj)
				dst.PushBack(v)
			}
		}
		if outputlen > 0 {
			c.DB.Set(storekey, dst)
			c.Touch(storekey)
			c.Notify(store.NotifyList, "sortstore", storekey)
			c.Dirty += int(outputlen)
		} else if c.DB.Delete(storekey) {
			c.Touch(storekey)
			c.Notify(store.NotifyGeneric, "del", storekey)
			c.Dirty++
		}
		c.W.Int(outputlen)
	}
}

// sortVector sorts as Redis's qsort with sortCompare does. glibc's qsort is
// a merge sort, so elements that compare equal keep their loading order.
// partial is Redis's pqsort of ranks start..end, for BY with a LIMIT.
func sortVector(vec []sortItem, desc, alpha, bypattern, storing, partial bool, start, end int) {
	cmp := func(a, b *sortItem) int {
		switch {
		case !alpha:
			if a.score > b.score {
				return 1
			} else if a.score < b.score {
				return -1
			}
			// Equal scores: by the elements' bytes, so SORT is deterministic.
			return bytes.Compare(a.obj, b.obj)
		case bypattern:
			switch {
			case a.cmp == nil && b.cmp == nil:
				return 0
			case a.cmp == nil:
				return -1
			case b.cmp == nil:
				return 1
			case storing:
				return bytes.Compare(a.cmp, b.cmp)
			default:
				return strcoll(a.cmp, b.cmp)
			}
		case storing:
			return bytes.Compare(a.obj, b.obj)
		default:
			return strcoll(a.obj, b.obj)
		}
	}
	order := func(i, j int) int {
		c := cmp(&vec[i], &vec[j])
		if desc {
			c = -c
		}
		return c
	}
	if partial {
		pqsort(len(vec), order, func(i, j int) { vec[i], vec[j] = vec[j], vec[i] }, start, end)
		return
	}
	sort.SliceStable(vec, func(i, j int) bool { return order(i, j) < 0 })
}

// strcoll compares as C's strcoll in the C and C.UTF-8 locales, the ones
// redis-server runs under here: bytes, up to the first NUL.
func strcoll(a, b []byte) int { return bytes.Compare(cstr.UntilNUL(a), cstr.UntilNUL(b)) }

// sortLookup is lookupKeyByPattern: "#" is subst itself; otherwise the
// first '*' of pattern is replaced by subst and the key's string value, or
// with "->field" after the '*' that field of the key's hash, is returned.
func sortLookup(c *Ctx, pattern, subst []byte) ([]byte, bool) {
	if len(pattern) >= 1 && pattern[0] == '#' && (len(pattern) == 1 || pattern[1] == 0) {
		return subst, true
	}
	cpat := cstr.UntilNUL(pattern)
	p := bytes.IndexByte(cpat, '*')
	if p < 0 {
		return nil, false
	}
	var field []byte
	if f := bytes.Index(cpat[p+1:], []byte("->")); f >= 0 && p+1+f+2 < len(cpat) {
		field = pattern[p+1+f+2:]
	}
	postfix := len(pattern) - (p + 1)
	if field != nil {
		postfix -= len(field) + 2
	}
	key := make([]byte, 0, p+len(subst)+postfix)
	key = append(key, pattern[:p]...)
	key = append(key, subst...)
	key = append(key, pattern[p+1:p+1+postfix]...)
	switch v := c.DB.Get(key).(type) {
	case *store.String:
		if field == nil {
			return v.B, true
		}
	case *store.Hash:
		if field != nil {
			return v.Get(field)
		}
	}
	return nil, false
}

// sortStrtod converts b as SORT does: C's strtod must consume the whole
// string (up to a NUL), without overflow, underflow or NaN. Leading spaces
// are allowed and an empty string is 0.
func sortStrtod(b []byte) (float64, bool) {
	s := string(cstr.UntilNUL(b))
	if s == "" {
		return 0, true
	}
	t := strings.TrimLeft(s, " \t\n\v\f\r")
	neg := false
	if t != "" && (t[0] == '+' || t[0] == '-') {
		neg = t[0] == '-'
		t = t[1:]
	}
	switch strings.ToLower(t) {
	case "inf", "infinity":
		if neg {
			return math.Inf(-1), true
		}
		return math.Inf(1), true
	}
	hex := len(t) > 2 && t[0] == '0' && (t[1] == 'x' || t[1] == 'X')
	if !validStrtod(t, hex) {
		return 0, false
	}
	if hex && !strings.ContainsAny(t, "pP") {
		t += "p0"
	}
	f, err := strconv.ParseFloat(t, 64)
	if err != nil || math.IsNaN(f) {
		return 0, false
	}
	// glibc reports ERANGE for results too small for a normal double.
	if f != 0 && math.Abs(f) < 0x1p-1022 {
		return 0, false
	}
	if f == 0 && strings.ContainsAny(mantissa(t, hex), "123456789abcdefABCDEF") {
		return 0, false
	}
	if neg {
		f = -f
	}
	return f, true
}

// mantissa is t without its exponent part.
func mantissa(t string, hex bool) string {
	if hex {
		t = t[2:]
		if i := strings.IndexAny(t, "pP"); i >= 0 {
			return t[:i]
		}
		return t
	}
	if i := strings.IndexAny(t, "eE"); i >= 0 {
		return t[:i]
	}
	return t
}

// validStrtod reports whether all of t (unsigned) is one number as strtod
// reads it: digits with an optional point and exponent, or a hex float.
func validStrtod(t string, hex bool) bool {
	isDigit := func(c byte) bool { return '0' <= c && c <= '9' }
	expCh := byte('e')
	if hex {
		t = t[2:]
		isDigit = func(c byte) bool {
			return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
		}
		expCh = 'p'
	}
	i, digits := 0, 0
	for i < len(t) && isDigit(t[i]) {
		i, digits = i+1, digits+1
	}
	if i < len(t) && t[i] == '.' {
		i++
		for i < len(t) && isDigit(t[i]) {
			i, digits = i+1, digits+1
		}
	}
	if digits == 0 {
		return false
	}
	if i < len(t) && (t[i]|0x20) == expCh {
		i++
		if i < len(t) && (t[i] == '+' || t[i] == '-') {
			i++
		}
		e := i
		for i < len(t) && '0' <= t[i] && t[i] <= '9' {
			i++
		}
		if i == e {
			return false
		}
	}
	return i == len(t)
}

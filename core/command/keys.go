package command

import (
	"strconv"
	"strings"

	"github.com/syncscope/syncscope/core/cstr"
)

// HasKeys reports whether c takes key arguments (doesCommandHaveKeys):
// some key spec is not a "not_key" one.
func (c *Command) HasKeys() bool {
	for _, ks := range c.KeySpecs {
		if ks.Flags&KeyNotKey == 0 {
			return true
		}
	}
	return false
}

// Keys returns the positions of argv's keys (argv[0] is the command's
// name; for a subcommand, the container's), as Redis 7.0's
// getKeysFromCommandWithSpecs finds them: from the key specs, or, when
// they cannot tell (a bad numkeys), as the command's getkeys_proc would.
func (c *Command) Keys(argv [][]byte) []int {
	varFlags := false
	for _, ks := range c.KeySpecs {
		varFlags = varFlags || ks.Flags&KeyVariableFlags != 0
	}
	if !varFlags {
		if keys, ok := c.specKeys(argv); ok {
			return keys
		}
	}
	if c.KeysProc != nil {
		return c.KeysProc(argv)
	}
	return c.procKeys(argv)
}

// specKeys is getKeysUsingKeySpecs; ok false for an invalid spec.
func (c *Command) specKeys(argv [][]byte) (keys []int, ok bool) {
	argc := len(argv)
	for _, ks := range c.KeySpecs {
		if ks.Flags&KeyNotKey != 0 {
			continue
		}
		first := 0
		switch ks.Begin {
		case BeginIndex:
			first = ks.Index
		case BeginKeyword:
			start, end := ks.StartFrom, argc-1
			if ks.StartFrom <= 0 {
				start, end = argc+ks.StartFrom, 1
			}
			for i := start; i != end; {
				if i >= argc || i < 1 {
					break
				}
				if strings.EqualFold(string(argv[i]), ks.Keyword) { // keywords are upper case
					first = i + 1
					break
				}
				if start <= end {
					i++
				} else {
					i--
				}
			}
			if first == 0 {
				continue // keyword not found
			}
		default:
			return nil, false
		}
		var last, step int
		switch ks.Find {
		case FindRange:
			step = ks.KeyStep
			switch {
			case ks.LastKey >= 0:
				last = first + ks.LastKey
			case ks.Limit == 0:
				last = argc + ks.LastKey
			default:
				last = first + ((argc-first)/ks.Limit + ks.LastKey)
			}
		case FindKeynum:
			step = ks.KeyStep
			if ks.KeynumIdx >= argc || first+ks.KeynumIdx >= argc {
				return nil, false
			}
			num, ok := cstr.String2ll(argv[first+ks.KeynumIdx])
			if !ok || num < 0 || num > int64(argc) {
				return nil, false
			}
			first += ks.FirstKey
			last = first + int(num) - 1
		default:
			return nil, false
		}
		if last >= argc || last < first || first >= argc {
			return nil, false
		}
		for i := first; i <= last && i < argc; i += step {
			keys = append(keys, i)
		}
		if ks.Flags&KeyIncomplete != 0 {
			return nil, false
		}
	}
	return keys, true
}

// procKeys is the getkeys_proc fallback. The numkeys commands (Redis's
// genericGetKeys: ZUNIONSTORE, LMPOP, EVAL...) read the count with atoi and
// give no key for one out of range; the commands with "variable_flags"
// specs (SET, BITFIELD) have a key at 1.
func (c *Command) procKeys(argv [][]byte) []int {
	store := 0
	for _, ks := range c.KeySpecs {
		switch {
		case ks.Find == FindKeynum && ks.Begin == BeginIndex:
			countAt, firstAt := ks.Index+ks.KeynumIdx, ks.Index+ks.FirstKey
			num := atoi(argv[countAt])
			if num < 1 || num > (len(argv)-firstAt)/max(ks.KeyStep, 1) {
				return nil
			}
			keys := make([]int, 0, num+1)
			for i := range num {
				keys = append(keys, firstAt+i*max(ks.KeyStep, 1))
			}
			if store > 0 {
				keys = append(keys, store)
			}
			return keys
		case ks.Begin == BeginIndex && ks.Find == FindRange && ks.LastKey == 0:
			store = ks.Index
		}
	}
	if store > 0 && c.KeySpecs[0].Flags&KeyVariableFlags != 0 && store < len(argv) {
		return []int{store}
	}
	return nil
}

// atoi is C's atoi: leading spaces, a sign, then digits as far as they go.
func atoi(b []byte) int {
	i := 0
	for i < len(b) && (b[i] == ' ' || b[i] >= '\t' && b[i] <= '\r') {
		i++
	}
	j := i
	if j < len(b) && (b[j] == '-' || b[j] == '+') {
		j++
	}
	for j < len(b) && b[j] >= '0' && b[j] <= '9' {
		j++
	}
	n, err := strconv.ParseInt(string(b[i:j]), 10, 32)
	if err != nil {
		return 0 // no digits (atoi's 0); an overflow is undefined in C
	}
	return int(n)
}

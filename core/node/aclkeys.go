package node

import (
	"strings"

	"github.com/syncscope/syncscope/core/cstr"
)

// keySpec is one of a command's key specs (Redis's keySpec) as ACL key
// checks read it: where the keys are and what the command does to them.
type keySpec struct {
	perm    uint8 // aclRead for ACCESS; aclWrite for INSERT, DELETE or UPDATE
	notKey  bool  // names something else (a fake key)
	unknown bool  // incomplete, with variable flags, or not searchable: the command finds its keys itself
	// Begin search: at index, or after keyword, looked for from startFrom
	// (negative: counted from the end, searching backwards).
	index     int
	keyword   string
	startFrom int
	// Find keys: a range (lastKey relative to the first key, negative
	// from the end; limit divides what is left), or a count at keynumIdx
	// with keys from firstKey, both every keyStep arguments.
	keynum                  bool
	lastKey, keyStep, limit int
	keynumIdx, firstKey     int
}

// keyRef is one key argument found: its position and permission needed.
type keyRef struct {
	pos  int
	perm uint8
}

// commandKeys finds the keys of a command as getKeysFromCommandWithSpecs
// does, appending to dst. ok is false when the command has no keys at all.
func commandKeys(dst []keyRef, fullName string, args [][]byte) ([]keyRef, bool) {
	specs := redisKeySpecs[fullName]
	if len(specs) == 0 {
		return dst, false
	}
	base := len(dst)
	for _, ks := range specs {
		if ks.unknown {
			return keysByCommand(dst[:base], fullName, args), true
		}
	}
	hasKey := false
	for _, ks := range specs {
		if ks.notKey {
			continue
		}
		hasKey = true
		first := 0
		if ks.keyword == "" {
			first = ks.index
		} else {
			// As Redis, the search stops before end (the last argument, or
			// argument 1 when searching backwards).
			start, end, step := ks.startFrom, len(args)-1, 1
			if start <= 0 {
				start, end = len(args)+ks.startFrom, 1
			}
			if start > end {
				step = -1
			}
			for i := start; i != end; i += step {
				if i >= len(args) || i < 1 {
					break
				}
				if strings.EqualFold(string(args[i]), ks.keyword) {
					first = i + 1
					break
				}
			}
			if first == 0 {
				continue
			}
		}
		var last, step int
		if !ks.keynum {
			step = ks.keyStep
			switch {
			case ks.lastKey >= 0:
				last = first + ks.lastKey
			case ks.limit == 0:
				last = len(args) + ks.lastKey
			default:
				last = first + (len(args)-first)/ks.limit + ks.lastKey
			}
		} else {
			step = ks.keyStep
			if first+ks.keynumIdx >= len(args) {
				return keysByCommand(dst[:base], fullName, args), true
			}
			n, ok := cstr.String2ll(args[first+ks.keynumIdx])
			if !ok || n < 0 {
				return keysByCommand(dst[:base], fullName, args), true
			}
			first += ks.firstKey
			last = first + int(n) - 1
		}
		if last >= len(args) || last < first || first >= len(args) {
			return keysByCommand(dst[:base], fullName, args), true
		}
		for i := first; i <= last; i += step {
			dst = append(dst, keyRef{i, ks.perm})
		}
	}
	return dst, hasKey
}

// keysByCommand is the getkeys_proc of the commands whose key specs are
// incomplete or have variable flags (SET, BITFIELD, SORT, SORT_RO,
// MIGRATE); the others have none to fall back on (a malformed call names
// no keys and fails later).
func keysByCommand(dst []keyRef, fullName string, args [][]byte) []keyRef {
	switch fullName {
	case "set":
		for _, a := range args[min(3, len(args)):] {
			if strings.EqualFold(string(a), "get") {
				return append(dst, keyRef{1, aclAll})
			}
		}
		return append(dst, keyRef{1, aclWrite})
	case "bitfield":
		readonly := true
	scan:
		for i := 2; i < len(args); i++ {
			rem := len(args) - i - 1
			switch a := lower(args[i]); {
			case a == "get" && rem >= 2:
				i += 2
			case (a == "set" || a == "incrby") && rem >= 3:
				readonly = false
				break scan
			case a == "overflow" && rem >= 1:
				i++
			default:
				readonly = false
				break scan
			}
		}
		if readonly {
			return append(dst, keyRef{1, aclRead})
		}
		return append(dst, keyRef{1, aclAll})
	case "sort_ro":
		return append(dst, keyRef{1, aclRead})
	case "sort":
		dst = append(dst, keyRef{1, aclRead})
		store := -1
		skips := map[string]int{"limit": 2, "get": 1, "by": 1}
		for i := 2; i < len(args); i++ {
			a := lower(args[i])
			if n, ok := skips[a]; ok {
				i += n
			} else if a == "store" && i+1 < len(args) {
				store = i + 1
			}
		}
		if store > 0 {
			dst = append(dst, keyRef{store, aclWrite})
		}
		return dst
	case "migrate":
		first, num := 3, 1
		if len(args) > 6 {
			for i := 6; i < len(args); i++ {
				a := lower(args[i])
				if a == "keys" {
					if len(args[3]) > 0 {
						num = 0
					} else {
						first, num = i+1, len(args)-i-1
					}
					break
				}
				switch a {
				case "auth":
					i++
				case "auth2":
					i += 2
				}
			}
		}
		for i := 0; i < num && first+i < len(args); i++ {
			dst = append(dst, keyRef{first + i, aclAll})
		}
		return dst
	}
	return dst
}

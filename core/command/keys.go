package command

import (
	"github.com/syncscope/syncscope/core/cstr"
	"github.com/syncscope/syncscope/core/resp"
)

// KeyRef is one key a command names: its position in argv and what the
// command does with it (its key spec's flags; 0 when Redis's getkeys_proc
// does not say, as for the numkeys commands' fallback).
type KeyRef struct {
	Pos   int
	Flags KeyFlag
}

// HasKeys reports whether c may take key arguments (doesCommandHaveKeys):
// it has a getkeys_proc or a key spec that is not a "not_key" one.
func (c *Command) HasKeys() bool {
	for _, ks := range c.KeySpecs {
		if ks.Flags&KeyNotKey == 0 {
			return true
		}
	}
	return keysProcs[c.Name] != nil
}

// Keys returns the positions of argv's keys (argv[0] is the command's
// name; for a subcommand, the container's): KeysAndFlags without flags.
func (c *Command) Keys(argv [][]byte) []int {
	refs := c.KeysAndFlags(nil, argv)
	if len(refs) == 0 {
		return nil
	}
	keys := make([]int, len(refs))
	for i, r := range refs {
		keys[i] = r.Pos
	}
	return keys
}

// KeysAndFlags appends argv's keys to dst as Redis 7.0's
// getKeysFromCommandWithSpecs finds them: from the key specs when they
// can tell (none with variable flags, all complete and in range), else
// from the command's getkeys_proc (keysProcs). COMMAND GETKEYS,
// GETKEYSANDFLAGS and the ACL key checks all read this one walker.
func (c *Command) KeysAndFlags(dst []KeyRef, argv [][]byte) []KeyRef {
	hasSpec, varFlags := false, false
	for _, ks := range c.KeySpecs {
		hasSpec = hasSpec || ks.Flags&KeyNotKey == 0
		varFlags = varFlags || ks.Flags&KeyVariableFlags != 0
	}
	if hasSpec && !varFlags {
		if keys, ok := c.specKeys(dst, argv); ok {
			return keys
		}
	}
	if proc := keysProcs[c.Name]; proc != nil {
		return proc(dst, argv)
	}
	return dst
}

// specKeys is getKeysUsingKeySpecs: the keys appended to dst, or ok false
// (dst unchanged) for a spec that cannot tell (unknown, incomplete, or a
// range or count out of bounds).
func (c *Command) specKeys(dst []KeyRef, argv [][]byte) (_ []KeyRef, ok bool) {
	argc, base := len(argv), len(dst)
	for _, ks := range c.KeySpecs {
		if ks.Flags&KeyNotKey != 0 {
			continue
		}
		first := 0
		switch ks.Begin {
		case BeginIndex:
			first = ks.Index
		case BeginKeyword:
			// As Redis, the search stops before end: the last argument,
			// or argument 1 when searching backwards from the end.
			start, end, step := ks.StartFrom, argc-1, 1
			if ks.StartFrom <= 0 {
				start, end = argc+ks.StartFrom, 1
			}
			if start > end {
				step = -1
			}
			for i := start; i != end; i += step {
				if i >= argc || i < 1 {
					break
				}
				if caseEqual(cstr.UntilNUL(argv[i]), ks.Keyword) {
					first = i + 1
					break
				}
			}
			if first == 0 {
				continue // keyword not found
			}
		default:
			return dst[:base], false
		}
		var last int
		switch ks.Find {
		case FindRange:
			switch {
			case ks.LastKey >= 0:
				last = first + ks.LastKey
			case ks.Limit == 0:
				last = argc + ks.LastKey
			default:
				last = first + (argc-first)/ks.Limit + ks.LastKey
			}
		case FindKeynum:
			if ks.KeynumIdx >= argc || first+ks.KeynumIdx >= argc {
				return dst[:base], false
			}
			num, ok := cstr.String2ll(argv[first+ks.KeynumIdx])
			if !ok || num < 0 {
				return dst[:base], false
			}
			first += ks.FirstKey
			last = first + int(int32(num)) - 1 // C's (int) cast
		default:
			return dst[:base], false
		}
		if last >= argc || last < first || first >= argc {
			return dst[:base], false
		}
		for i := first; i <= last; i += ks.KeyStep {
			dst = append(dst, KeyRef{i, ks.Flags})
		}
		if ks.Flags&KeyIncomplete != 0 {
			return dst[:base], false
		}
	}
	return dst, true
}

// GetKeys answers COMMAND GETKEYS (withFlags false) and COMMAND
// GETKEYSANDFLAGS for the command argv, as Redis's getKeysSubcommandImpl.
func GetKeys(w *resp.Writer, argv [][]byte, withFlags bool) {
	cmd := Lookup(argv[0])
	if cmd != nil && cmd.Container() && len(argv) > 1 {
		cmd = cmd.Sub(argv[1])
	}
	switch {
	case cmd == nil:
		w.Error("ERR Invalid command specified")
		return
	case !cmd.HasKeys():
		w.Error("ERR The command has no key arguments")
		return
	case !cmd.ArityOK(len(argv)):
		w.Error("ERR Invalid number of arguments specified for command")
		return
	}
	keys := cmd.KeysAndFlags(nil, argv)
	if len(keys) == 0 {
		if cmd.Flags&NoMandatoryKeys != 0 {
			w.ArrayLen(0)
		} else {
			w.Error("ERR Invalid arguments specified for command")
		}
		return
	}
	w.ArrayLen(len(keys))
	for _, k := range keys {
		if !withFlags {
			w.Bulk(argv[k.Pos])
			continue
		}
		w.ArrayLen(2)
		w.Bulk(argv[k.Pos])
		n := 0
		for i := range KeyFlagNames {
			if k.Flags&(1<<i) != 0 {
				n++
			}
		}
		w.SetLen(n)
		for i, name := range KeyFlagNames {
			if k.Flags&(1<<i) != 0 {
				w.SimpleString(name)
			}
		}
	}
}

// The getkeys_procs below are Redis 7.0.15's (db.c), for the commands
// whose key specs cannot always tell: bound by name in keysProcs.

// numkeysKeys is genericGetKeys: count keys from first (C's atoi reads
// the count), then the destination at store (0: none); no flags, as the
// command's key specs have them.
func numkeysKeys(store, count, first int) func([]KeyRef, [][]byte) []KeyRef {
	return func(dst []KeyRef, argv [][]byte) []KeyRef {
		if count >= len(argv) {
			return dst
		}
		num := atoi(argv[count])
		if num < 1 || num > len(argv)-first {
			return dst // the command replies with an error
		}
		for i := range num {
			dst = append(dst, KeyRef{Pos: first + i})
		}
		if store > 0 {
			dst = append(dst, KeyRef{Pos: store})
		}
		return dst
	}
}

// setKeys is setGetKeys: SET's key is read too when GET is given.
func setKeys(dst []KeyRef, argv [][]byte) []KeyRef {
	for _, a := range argv[min(3, len(argv)):] {
		if EqualFold(cstr.UntilNUL(a), "get") {
			return append(dst, KeyRef{1, KeyRW | KeyAccess | KeyUpdate})
		}
	}
	return append(dst, KeyRef{1, KeyOW | KeyUpdate})
}

// bitfieldKeys is bitfieldGetKeys: read-only when only GETs (and
// OVERFLOWs) are well formed.
func bitfieldKeys(dst []KeyRef, argv [][]byte) []KeyRef {
	readonly := true
scan:
	for i := 2; i < len(argv); i++ {
		rem := len(argv) - i - 1
		switch a := cstr.UntilNUL(argv[i]); {
		case EqualFold(a, "get") && rem >= 2:
			i += 2
		case (EqualFold(a, "set") || EqualFold(a, "incrby")) && rem >= 3:
			readonly = false
			break scan
		case EqualFold(a, "overflow") && rem >= 1:
			i++
		default:
			readonly = false // a syntax error: safer to assume a write
			break scan
		}
	}
	if readonly {
		return append(dst, KeyRef{1, KeyRO | KeyAccess})
	}
	return append(dst, KeyRef{1, KeyRW | KeyAccess | KeyUpdate})
}

// sortROKeys is sortROGetKeys: the sorted key.
func sortROKeys(dst []KeyRef, _ [][]byte) []KeyRef {
	return append(dst, KeyRef{1, KeyRO | KeyAccess})
}

// sortKeys is sortGetKeys: the sorted key and the last STORE destination.
func sortKeys(dst []KeyRef, argv [][]byte) []KeyRef {
	dst = append(dst, KeyRef{1, KeyRO | KeyAccess})
	store := 0
	for i := 2; i < len(argv); i++ {
		switch a := cstr.UntilNUL(argv[i]); {
		case EqualFold(a, "limit"):
			i += 2
		case EqualFold(a, "get"), EqualFold(a, "by"):
			i++
		case EqualFold(a, "store") && i+1 < len(argv):
			store = i + 1
		}
	}
	if store > 0 {
		dst = append(dst, KeyRef{store, KeyOW | KeyUpdate})
	}
	return dst
}

// migrateKeys is migrateGetKeys: the key at 3, or the ones after KEYS
// when the key is empty (none when it is not: a syntax error).
func migrateKeys(dst []KeyRef, argv [][]byte) []KeyRef {
	first, num := 3, 1
	if len(argv) > 6 {
	scan:
		for i := 6; i < len(argv); i++ {
			switch a := cstr.UntilNUL(argv[i]); {
			case EqualFold(a, "keys"):
				if len(argv[3]) > 0 {
					num = 0
				} else {
					first, num = i+1, len(argv)-i-1
				}
				break scan
			case EqualFold(a, "auth"):
				i++
			case EqualFold(a, "auth2"):
				i += 2
			}
		}
	}
	for i := range num {
		dst = append(dst, KeyRef{first + i, KeyRW | KeyAccess | KeyDelete})
	}
	return dst
}

// georadiusKeys is georadiusGetKeys (GEORADIUS and GEORADIUSBYMEMBER
// alike): the key and the last STORE or STOREDIST destination after
// argument 5.
func georadiusKeys(dst []KeyRef, argv [][]byte) []KeyRef {
	dst = append(dst, KeyRef{Pos: 1})
	store := -1
	for i := 5; i < len(argv); i++ {
		a := cstr.UntilNUL(argv[i])
		if (EqualFold(a, "store") || EqualFold(a, "storedist")) && i+1 < len(argv) {
			store = i + 1
			i++
		}
	}
	if store > 0 {
		dst = append(dst, KeyRef{Pos: store})
	}
	return dst
}

// xreadKeys is xreadGetKeys: the first half of the arguments after
// STREAMS, found by skipping the options before it.
func xreadKeys(dst []KeyRef, argv [][]byte) []KeyRef {
	streams := -1
scan:
	for i := 1; i < len(argv); i++ {
		switch a := cstr.UntilNUL(argv[i]); {
		case EqualFold(a, "block"), EqualFold(a, "count"):
			i++
		case EqualFold(a, "group"):
			i += 2
		case EqualFold(a, "noack"):
		case EqualFold(a, "streams"):
			streams = i
			break scan
		default:
			break scan
		}
	}
	if streams < 0 {
		return dst
	}
	num := len(argv) - streams - 1
	if num == 0 || num%2 != 0 {
		return dst
	}
	for i := streams + 1; i < len(argv)-num/2; i++ {
		dst = append(dst, KeyRef{Pos: i})
	}
	return dst
}

// caseEqual is strcasecmp(a, b) == 0 for ASCII: key spec keywords are
// upper case, where EqualFold wants lower case.
func caseEqual(a []byte, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if cstr.Lower(a[i]) != cstr.Lower(b[i]) {
			return false
		}
	}
	return true
}

// atoi is C's atoi as glibc has it: (int)strtol(s, NULL, 10), leading
// spaces and a sign then digits as far as they go, clamped to 64 bits and
// cut to 32.
func atoi(b []byte) int {
	n, _, _ := cstr.Strtoll(string(cstr.UntilNUL(b)), 10)
	return int(int32(n))
}

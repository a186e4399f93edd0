package node

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"slices"
	"sort"
	"strings"

	"github.com/syncscope/syncscope/core/command"
	"github.com/syncscope/syncscope/core/cstr"
)

// ACL users, as Redis's acl.c keeps them: each user has flags, password
// hashes and a list of selectors (the root one first); a selector allows
// commands (one bit per command and subcommand), key patterns and pub/sub
// channel patterns.

// aclCategoryNames are Redis's ACL categories in its order (ACL CAT, and
// the order ACL GETUSER tries them when describing a selector).
var aclCategoryNames = command.CategoryNames

// aclCategoryFlag is the bit of a category name (case-insensitive), 0 when
// there is no such category.
func aclCategoryFlag(name string) uint32 {
	for i, c := range aclCategoryNames {
		if strings.EqualFold(c, name) {
			return 1 << i
		}
	}
	return 0
}

// aclCmd is one command or subcommand of the ACL command universe.
type aclCmd struct {
	name   string // full name: "get", "client|kill"
	cats   uint32
	parent int // id of the container, -1 for a top-level command
	subs   []int
}

// aclUniverse is every command and subcommand the node knows, by ID
// (sorted by full name, so a container comes just before its
// subcommands). It is built once and never changed.
type aclUniverse struct {
	cmds   []aclCmd
	byName map[string]int
	top    []int // top-level command IDs, sorted by name
	words  int   // bitmap words: one bit per ID plus the "future commands" bit
	future int   // the bit set only by +@all (Redis's USER_COMMAND_BITS_COUNT-1)
}

var aclCommands = newACLUniverse(redisCategories())

// redisCategories are the ACL categories of every command and subcommand
// of Redis 7.0.15, served or not: what ACL rules can name.
func redisCategories() map[string]command.Category {
	m := map[string]command.Category{}
	command.EachRedisCommand(func(c *command.Command) { m[c.Name] = c.Categories })
	return m
}

func newACLUniverse(cats map[string]command.Category) *aclUniverse {
	names := make([]string, 0, len(cats))
	for name := range cats {
		names = append(names, name)
	}
	sort.Strings(names)
	u := &aclUniverse{byName: make(map[string]int, len(names))}
	for i, name := range names {
		c := aclCmd{name: name, parent: -1, cats: uint32(cats[name])}
		u.cmds = append(u.cmds, c)
		u.byName[name] = i
	}
	for i, c := range u.cmds {
		if p, _, ok := strings.Cut(c.name, "|"); ok {
			pid := u.byName[p]
			u.cmds[i].parent = pid
			u.cmds[pid].subs = append(u.cmds[pid].subs, i)
		} else {
			u.top = append(u.top, i)
		}
	}
	u.future = len(u.cmds)
	u.words = (len(u.cmds) + 1 + 63) / 64
	return u
}

// lookup finds a command as ACL rules name it: "get" or "config|get"
// (Redis's lookupCommandBySdsLogic on the original command table).
func (u *aclUniverse) lookup(name string) (int, bool) {
	name = strings.ToLower(name)
	if strings.Count(name, "|") > 1 {
		return 0, false
	}
	base, _, sub := strings.Cut(name, "|")
	id, ok := u.byName[base]
	if !ok || !sub {
		return id, ok
	}
	if len(u.cmds[id].subs) == 0 {
		return 0, false
	}
	id, ok = u.byName[name]
	return id, ok
}

// Key pattern permissions.
const (
	aclRead  = 1
	aclWrite = 2
	aclAll   = aclRead | aclWrite
)

type aclKeyPattern struct {
	pattern string
	perm    uint8
}

func (p aclKeyPattern) String() string {
	switch p.perm {
	case aclRead:
		return "%R~" + p.pattern
	case aclWrite:
		return "%W~" + p.pattern
	}
	return "~" + p.pattern
}

// aclSelector is one set of permissions of a user.
type aclSelector struct {
	root        bool
	allKeys     bool
	allChannels bool
	allCommands bool // every command now and later: no bit test needed
	bits        []uint64
	firstArgs   map[int][]string // first arguments allowed for a command whose bit is off
	keys        []aclKeyPattern
	channels    []string
}

func newACLSelector(root, allChannels bool) *aclSelector {
	return &aclSelector{root: root, allChannels: allChannels, bits: make([]uint64, aclCommands.words)}
}

func (s *aclSelector) clone() *aclSelector {
	d := *s
	d.bits = slices.Clone(s.bits)
	d.keys = slices.Clone(s.keys)
	d.channels = slices.Clone(s.channels)
	if s.firstArgs != nil {
		d.firstArgs = make(map[int][]string, len(s.firstArgs))
		for id, a := range s.firstArgs {
			d.firstArgs[id] = slices.Clone(a)
		}
	}
	return &d
}

func (s *aclSelector) bit(id int) bool { return s.bits[id/64]&(1<<(id%64)) != 0 }

func (s *aclSelector) setBit(id int, on bool) {
	if on {
		s.bits[id/64] |= 1 << (id % 64)
	} else {
		s.bits[id/64] &^= 1 << (id % 64)
		s.allCommands = false
	}
}

// changePerm allows or denies a command and, for a container, all its
// subcommands (ACLChangeSelectorPerm).
func (s *aclSelector) changePerm(id int, allow bool) {
	s.setBit(id, allow)
	delete(s.firstArgs, id)
	for _, sub := range aclCommands.cmds[id].subs {
		s.setBit(sub, allow)
	}
}

// changeCategory applies changePerm to every command with the category,
// then to every subcommand with it (ACLSetSelectorCommandBitsForCategoryLogic).
func (s *aclSelector) changeCategory(flag uint32, allow bool) {
	for _, id := range aclCommands.top {
		c := &aclCommands.cmds[id]
		if c.cats&flag != 0 {
			s.changePerm(id, allow)
		}
		for _, sub := range c.subs {
			if aclCommands.cmds[sub].cats&flag != 0 {
				s.changePerm(sub, allow)
			}
		}
	}
}

func (s *aclSelector) setAll(allow bool) {
	var w uint64
	if allow {
		w = ^uint64(0)
	}
	for i := range s.bits {
		s.bits[i] = w
	}
	s.allCommands = allow
	s.firstArgs = nil
}

// Errors of ACL rules, worded as ACLSetUserStringError words them.
var (
	errACLSyntax      = errors.New("Syntax error")
	errACLUnknown     = errors.New("Unknown command or category name in ACL")
	errACLAfterAllKey = errors.New("Adding a pattern after the * pattern (or the 'allkeys' flag) is not valid and does not have any effect. Try 'resetkeys' to start with an empty list of patterns")
	errACLAfterAllCh  = errors.New("Adding a pattern after the * pattern (or the 'allchannels' flag) is not valid and does not have any effect. Try 'resetchannels' to start with an empty list of channels")
	errACLNoSuchPass  = errors.New("The password you are trying to remove from the user does not exist")
	errACLBadHash     = errors.New("The password hash must be exactly 64 characters and contain only lowercase hexadecimal characters")
	errACLFirstArgSub = errors.New("Allowing first-arg of a subcommand is not supported")
)

// hasSpaces is ACLStringHasSpaces: patterns and user names may not hold
// spaces or NULs.
func hasSpaces(s string) bool {
	for i := 0; i < len(s); i++ {
		if cstr.IsSpace(s[i]) || s[i] == 0 {
			return true
		}
	}
	return false
}

// apply applies one selector rule (ACLSetSelector).
func (s *aclSelector) apply(op string) error {
	switch strings.ToLower(op) {
	case "allkeys", "~*":
		s.allKeys, s.keys = true, nil
		return nil
	case "resetkeys":
		s.allKeys, s.keys = false, nil
		return nil
	case "allchannels", "&*":
		s.allChannels, s.channels = true, nil
		return nil
	case "resetchannels":
		s.allChannels, s.channels = false, nil
		return nil
	case "allcommands", "+@all":
		s.setAll(true)
		return nil
	case "nocommands", "-@all":
		s.setAll(false)
		return nil
	}
	if op == "" {
		return errACLSyntax
	}
	switch {
	case op[0] == '~' || op[0] == '%':
		if s.allKeys {
			return errACLAfterAllKey
		}
		perm, off := uint8(aclAll), 1
		if op[0] == '%' {
			perm = 0
			for ; off < len(op); off++ {
				switch c := op[off]; {
				case (c == 'R' || c == 'r') && perm&aclRead == 0:
					perm |= aclRead
					continue
				case (c == 'W' || c == 'w') && perm&aclWrite == 0:
					perm |= aclWrite
					continue
				case c == '~':
					off++
				default:
					return errACLSyntax
				}
				break
			}
		}
		pat := op[off:]
		if hasSpaces(pat) {
			return errACLSyntax
		}
		if i := slices.IndexFunc(s.keys, func(k aclKeyPattern) bool { return k.pattern == pat }); i >= 0 {
			s.keys[i].perm |= perm
		} else {
			s.keys = append(s.keys, aclKeyPattern{pat, perm})
		}
		s.allKeys = false
	case op[0] == '&':
		if s.allChannels {
			return errACLAfterAllCh
		}
		if hasSpaces(op[1:]) {
			return errACLSyntax
		}
		if !slices.Contains(s.channels, op[1:]) {
			s.channels = append(s.channels, op[1:])
		}
		s.allChannels = false
	case len(op) > 1 && op[1] == '@' && (op[0] == '+' || op[0] == '-'):
		flag := aclCategoryFlag(op[2:])
		if flag == 0 {
			return errACLUnknown
		}
		s.changeCategory(flag, op[0] == '+')
	case op[0] == '+':
		i := strings.LastIndexByte(op, '|')
		if i < 0 {
			id, ok := aclCommands.lookup(op[1:])
			if !ok {
				return errACLUnknown
			}
			s.changePerm(id, true)
			return nil
		}
		id, ok := aclCommands.lookup(op[1:i])
		if !ok {
			return errACLUnknown
		}
		if aclCommands.cmds[id].parent >= 0 {
			return errACLFirstArgSub
		}
		sub := op[i+1:]
		if sub == "" {
			return errACLSyntax
		}
		if len(aclCommands.cmds[id].subs) > 0 {
			if id, ok = aclCommands.lookup(op[1:]); !ok {
				return errACLUnknown
			}
			s.changePerm(id, true)
			return nil
		}
		// SELECT|0 or DEBUG|OBJECT: a first argument of a command with no
		// subcommands (deprecated in Redis, still honoured).
		if s.firstArgs == nil {
			s.firstArgs = map[int][]string{}
		}
		if !slices.ContainsFunc(s.firstArgs[id], func(a string) bool { return strings.EqualFold(a, sub) }) {
			s.firstArgs[id] = append(s.firstArgs[id], sub)
		}
	case op[0] == '-':
		id, ok := aclCommands.lookup(op[1:])
		if !ok {
			return errACLUnknown
		}
		s.changePerm(id, false)
	default:
		return errACLSyntax
	}
	return nil
}

// User flags, in the order Redis describes them.
const (
	userOn = 1 << iota
	userOff
	userNopass
	userSkipSanitize
	userSanitize
)

var userFlagNames = [...]string{"on", "off", "nopass", "skip-sanitize-payload", "sanitize-payload"}

// aclUser is one ACL user. SETUSER changes it in place, so clients
// authenticated as it see the change at once, as in Redis.
type aclUser struct {
	name      string
	flags     uint8
	passwords []string // SHA-256 hex digests, in the order added
	selectors []*aclSelector
	// unrestricted: the root selector allows every command, key and
	// channel, so dispatch need not check anything (the usual default user).
	unrestricted bool
}

func newACLUser(name string, allChannels bool) *aclUser {
	return &aclUser{name: name, flags: userOff, selectors: []*aclSelector{newACLSelector(true, allChannels)}}
}

func (u *aclUser) clone() *aclUser {
	d := *u
	d.passwords = slices.Clone(u.passwords)
	d.selectors = make([]*aclSelector, len(u.selectors))
	for i, s := range u.selectors {
		d.selectors[i] = s.clone()
	}
	return &d
}

func (u *aclUser) root() *aclSelector { return u.selectors[0] }

func (u *aclUser) refresh() {
	r := u.root()
	u.unrestricted = r.allCommands && r.allKeys && r.allChannels
}

func hashPassword(p string) string {
	sum := sha256.Sum256([]byte(p))
	return hex.EncodeToString(sum[:])
}

func validHash(h string) bool {
	return len(h) == 64 && strings.Trim(h, "0123456789abcdef") == ""
}

// apply applies one user rule (ACLSetUser); allChannels is
// acl-pubsub-default, which "reset" and new selectors start from.
func (u *aclUser) apply(op string, allChannels bool) error {
	if op == "" {
		return nil
	}
	switch strings.ToLower(op) {
	case "on":
		u.flags = u.flags&^userOff | userOn
		return nil
	case "off":
		u.flags = u.flags&^userOn | userOff
		return nil
	case "skip-sanitize-payload":
		u.flags = u.flags&^userSanitize | userSkipSanitize
		return nil
	case "sanitize-payload":
		u.flags = u.flags&^userSkipSanitize | userSanitize
		return nil
	case "nopass":
		u.flags |= userNopass
		u.passwords = nil
		return nil
	case "resetpass":
		u.flags &^= userNopass
		u.passwords = nil
		return nil
	case "clearselectors":
		u.selectors = u.selectors[:1]
		return nil
	case "reset":
		u.passwords = nil
		u.flags = userOff | userSanitize
		u.selectors = u.selectors[:1]
		r := u.root()
		r.allKeys, r.keys = false, nil
		r.allChannels, r.channels = allChannels, nil
		r.setAll(false)
		return nil
	}
	switch op[0] {
	case '>', '#':
		h := op[1:]
		if op[0] == '>' {
			h = hashPassword(h)
		} else if !validHash(h) {
			return errACLBadHash
		}
		if !slices.Contains(u.passwords, h) {
			u.passwords = append(u.passwords, h)
		}
		u.flags &^= userNopass
		return nil
	case '<', '!':
		h := op[1:]
		if op[0] == '<' {
			h = hashPassword(h)
		} else if !validHash(h) {
			return errACLBadHash
		}
		i := slices.Index(u.passwords, h)
		if i < 0 {
			return errACLNoSuchPass
		}
		u.passwords = slices.Delete(u.passwords, i, i+1)
		return nil
	case '(':
		if op[len(op)-1] == ')' {
			s := newACLSelector(false, allChannels)
			args, ok := cstr.SplitArgsStrings(op[1 : len(op)-1])
			if !ok {
				args = nil
			}
			for _, a := range args {
				if err := s.apply(a); err != nil {
					return err
				}
			}
			u.selectors = append(u.selectors, s)
			return nil
		}
	}
	return u.root().apply(op)
}

// mergeSelectorArgs joins a selector given as several arguments ("(+get",
// "~key)") into one, as ACLMergeSelectorArguments does. It returns the
// argument that opens an unclosed selector as the error.
func mergeSelectorArgs(args []string) ([]string, string, bool) {
	out := make([]string, 0, len(args))
	open := -1
	var sel string
	for j, op := range args {
		// As Redis, a "(" inside an open selector starts it again.
		if op != "" && op[0] == '(' && op[len(op)-1] != ')' {
			sel, open = op, j
			continue
		}
		if open >= 0 {
			sel += " " + op
			if op != "" && op[len(op)-1] == ')' {
				out = append(out, sel)
				open = -1
			}
			continue
		}
		out = append(out, op)
	}
	if open >= 0 {
		return nil, args[open], false
	}
	return out, "", true
}

// describeCommands is ACLDescribeSelectorCommandRules: the shortest rules
// (by Redis's greedy choice of categories, then single commands) that give
// the selector's command bitmap.
func (s *aclSelector) describeCommands() string {
	var rules strings.Builder
	fake := newACLSelector(false, false)
	additive := !s.bit(aclCommands.future)
	if additive {
		rules.WriteString("-@all ")
	} else {
		rules.WriteString("+@all ")
		fake.setAll(true)
	}
	temp := newACLSelector(false, false)
	copy(temp.bits, s.bits)
	var applied [len(aclCategoryNames)]bool
	for {
		best, mindiff, maxsame := -1, int(^uint(0)>>1), 0
		for j := range aclCategoryNames {
			if applied[j] {
				continue
			}
			on, off := temp.countCategory(1 << j)
			diff, same := on, off
			if additive {
				diff, same = off, on
			}
			if same > diff && (diff < mindiff || diff == mindiff && same > maxsame) {
				best, mindiff, maxsame = j, diff, same
			}
		}
		if best < 0 {
			break
		}
		fake.changeCategory(1<<best, additive)
		temp.changeCategory(1<<best, !additive)
		if additive {
			rules.WriteString("+@")
		} else {
			rules.WriteString("-@")
		}
		rules.WriteString(aclCategoryNames[best] + " ")
		applied[best] = true
	}
	var single func(ids []int)
	single = func(ids []int) {
		for _, id := range ids {
			c := &aclCommands.cmds[id]
			user, mine := s.bit(id), fake.bit(id)
			if user != mine {
				if user {
					rules.WriteString("+")
				} else {
					rules.WriteString("-")
				}
				rules.WriteString(c.name + " ")
				fake.changePerm(id, user)
			}
			single(c.subs)
			if !user {
				for _, a := range s.firstArgs[id] {
					rules.WriteString("+" + c.name + "|" + a + " ")
				}
			}
		}
	}
	single(aclCommands.top)
	return strings.TrimSuffix(rules.String(), " ")
}

// countCategory counts the commands and subcommands of a category the
// selector allows and denies.
func (s *aclSelector) countCategory(flag uint32) (on, off int) {
	for id, c := range aclCommands.cmds {
		if c.cats&flag != 0 {
			if s.bit(id) {
				on++
			} else {
				off++
			}
		}
	}
	return on, off
}

// describe is ACLDescribeSelector: keys, channels, then command rules.
func (s *aclSelector) describe() string {
	var b strings.Builder
	for _, r := range s.keyRules() {
		b.WriteString(r + " ")
	}
	if !s.allChannels {
		b.WriteString("resetchannels ")
	}
	for _, r := range s.channelRules() {
		b.WriteString(r + " ")
	}
	b.WriteString(s.describeCommands())
	return b.String()
}

// keyRules are the rules that give the selector its key patterns.
func (s *aclSelector) keyRules() []string {
	if s.allKeys {
		return []string{"~*"}
	}
	rules := make([]string, len(s.keys))
	for i, k := range s.keys {
		rules[i] = k.String()
	}
	return rules
}

// channelRules are the rules that give the selector its channel patterns.
func (s *aclSelector) channelRules() []string {
	if s.allChannels {
		return []string{"&*"}
	}
	rules := make([]string, len(s.channels))
	for i, ch := range s.channels {
		rules[i] = "&" + ch
	}
	return rules
}

// describe is ACLDescribeUser: the rules ACL LIST shows after the name.
func (u *aclUser) describe() string {
	var b strings.Builder
	for i, f := range userFlagNames {
		if u.flags&(1<<i) != 0 {
			b.WriteString(f + " ")
		}
	}
	for _, p := range u.passwords {
		b.WriteString("#" + p + " ")
	}
	for _, s := range u.selectors {
		if s.root {
			b.WriteString(s.describe())
		} else {
			b.WriteString(" (" + s.describe() + ")")
		}
	}
	return b.String()
}

// checkPassword reports whether pass logs u in (ACLCheckUserCredentials).
func (u *aclUser) checkPassword(pass string) bool {
	if u.flags&userOff != 0 {
		return false
	}
	if u.flags&userNopass != 0 {
		return true
	}
	return slices.Contains(u.passwords, hashPassword(pass))
}

package command

import (
	"slices"
	"strings"
)

// Flag is a command property, as in Redis's command table.
type Flag uint32

// Command flags: Redis's CMD_* flags, in COMMAND INFO's order (FlagNames),
// then the two it does not show.
const (
	Write           Flag = 1 << iota // modifies the keyspace: refused on a read-only replica
	ReadOnly                         // reads the keyspace
	DenyOOM                          // may grow memory
	Admin                            // administrative
	PubSub                           // pub/sub
	NoScript                         // not from scripts
	Blocking                         // may block the client
	Loading                          // allowed while loading
	Stale                            // allowed on a replica with a stale dataset
	SkipMonitor                      // not fed to MONITOR
	SkipSlowlog                      // not logged in the slow log
	Asking                           // cluster ASKING
	Fast                             // O(1) or O(log N)
	NoAuth                           // allowed before AUTH
	NoMandatoryKeys                  // may take no key at all
	NoAsyncLoading                   // refused during async loading
	NoMulti                          // not allowed inside MULTI
	MovableKeys                      // keys are not at fixed positions
	AllowBusy                        // allowed while a script is busy
	// MayReplicate: may propagate though not a write (hidden by COMMAND INFO).
	MayReplicate
	// Subscribed: allowed to a RESP2 client in subscribed mode (Redis
	// tests the handler, not a flag).
	Subscribed
)

// FlagNames are the flags COMMAND INFO shows, in its order.
var FlagNames = []struct {
	Flag Flag
	Name string
}{
	{Write, "write"}, {ReadOnly, "readonly"}, {DenyOOM, "denyoom"}, {Admin, "admin"}, {PubSub, "pubsub"},
	{NoScript, "noscript"}, {Blocking, "blocking"}, {Loading, "loading"}, {Stale, "stale"},
	{SkipMonitor, "skip_monitor"}, {SkipSlowlog, "skip_slowlog"}, {Asking, "asking"}, {Fast, "fast"},
	{NoAuth, "no_auth"}, {NoMandatoryKeys, "no_mandatory_keys"}, {NoAsyncLoading, "no_async_loading"},
	{NoMulti, "no_multi"}, {MovableKeys, "movablekeys"}, {AllowBusy, "allow_busy"},
}

// Category is a set of ACL categories (Redis's ACL_CATEGORY_* bits), in
// CategoryNames' order.
type Category uint32

// ACL categories, in Redis's order.
const (
	CatKeyspace Category = 1 << iota
	CatRead
	CatWrite
	CatSet
	CatSortedSet
	CatList
	CatHash
	CatString
	CatBitmap
	CatHyperLogLog
	CatGeo
	CatStream
	CatPubSub
	CatAdmin
	CatFast
	CatSlow
	CatBlocking
	CatDangerous
	CatConnection
	CatTransaction
	CatScripting
)

// CategoryNames are the ACL categories' names, in Redis's order: ACL CAT
// lists them so and COMMAND INFO shows a command's so.
var CategoryNames = [...]string{
	"keyspace", "read", "write", "set", "sortedset", "list", "hash", "string",
	"bitmap", "hyperloglog", "geo", "stream", "pubsub", "admin", "fast", "slow",
	"blocking", "dangerous", "connection", "transaction", "scripting",
}

// KeyFlag is a key spec flag (Redis's CMD_KEY_*).
type KeyFlag uint16

// Key spec flags, in COMMAND INFO's order (KeyFlagNames).
const (
	KeyRO KeyFlag = 1 << iota
	KeyRW
	KeyOW
	KeyRM
	KeyAccess
	KeyUpdate
	KeyInsert
	KeyDelete
	KeyNotKey
	KeyIncomplete
	KeyVariableFlags
)

// KeyFlagNames are the key spec flags' names, in COMMAND INFO's order.
var KeyFlagNames = []string{"RO", "RW", "OW", "RM", "access", "update", "insert", "delete", "not_key", "incomplete", "variable_flags"}

// BeginKind is how a key spec finds its first key.
type BeginKind uint8

// FindKind is how a key spec finds its keys from the first.
type FindKind uint8

// Key spec kinds (KSPEC_BS_* and KSPEC_FK_*).
const (
	BeginUnknown BeginKind = iota
	BeginIndex             // at Index
	BeginKeyword           // after Keyword, searched from StartFrom
)

// Key spec kinds (KSPEC_FK_*).
const (
	FindUnknown FindKind = iota
	FindRange            // LastKey (relative; negative from the end), KeyStep, Limit
	FindKeynum           // a count at KeynumIdx, keys from FirstKey every KeyStep
)

// KeySpec is one of a command's key specs, as COMMAND INFO shows them.
type KeySpec struct {
	Notes     string
	Flags     KeyFlag
	Begin     BeginKind
	Index     int
	Keyword   string
	StartFrom int
	Find      FindKind
	LastKey   int
	KeyStep   int
	Limit     int
	KeynumIdx int
	FirstKey  int
}

// Command is one command (or subcommand) as syncscope serves it: Redis
// 7.0.15's metadata (metadata*.go, generated) joined with its handler
// (bind.go). Dispatch, COMMAND and rename-command all read this record.
type Command struct {
	Name        string // lower case; "client|list" for a subcommand
	Arity       int    // > 0 exact argument count (name included), < 0 at least -Arity
	Flags       Flag
	FirstKey    int // COMMAND INFO's legacy key range: 0 when none
	LastKey     int // negative counts from the end
	Step        int
	Categories  Category // ACL categories
	Tips        []string
	KeySpecs    []KeySpec
	Subcommands []*Command // sorted by name; only the served ones in the table
	// From COMMAND DOCS (docs.go), which the playground's help reads too.
	Summary, Since, Group, Complexity string
	DocFlags                          DocFlag
	DeprecatedSince, ReplacedBy       string
	History                           [][2]string // (version, change)
	Arguments                         []Arg

	// Run runs a keyspace command; nil for a command the node runs.
	Run func(*Ctx)
	// Node marks a command core/node runs (bound in core/node).
	Node bool
	// ID numbers every served record (subcommands included) from 0 to
	// Count()-1: the node keeps its handlers in a slice by ID.
	ID int
}

// Sub returns c's served subcommand named name (any case), or nil.
func (c *Command) Sub(name []byte) *Command {
	for _, s := range c.Subcommands {
		if len(s.Name) == len(c.Name)+1+len(name) && EqualFold(name, s.Name[len(c.Name)+1:]) {
			return s
		}
	}
	return nil
}

// Container reports whether c has subcommands.
func (c *Command) Container() bool { return len(c.Subcommands) > 0 }

// ArityOK reports whether argc arguments (the name included) fit c's arity.
func (c *Command) ArityOK(argc int) bool {
	return (c.Arity <= 0 || argc == c.Arity) && argc >= -c.Arity
}

// Lookup returns the served command named name (any case), or nil.
func Lookup(name []byte) *Command {
	var buf [32]byte
	if len(name) > len(buf) {
		return nil
	}
	for i, c := range name {
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		buf[i] = c
	}
	return table[string(buf[:len(name)])]
}

// LookupFull returns the served command or subcommand named as Redis's
// fullname ("get", "client|list"; any case), or nil.
func LookupFull(name string) *Command {
	for i := 0; i < len(name); i++ {
		if name[i] == '|' {
			c := Lookup([]byte(name[:i]))
			if c == nil {
				return nil
			}
			return c.Sub([]byte(name[i+1:]))
		}
	}
	return Lookup([]byte(name))
}

// All returns every served command, sorted by name (subcommands in their
// command's Subcommands).
func All() []*Command { return sorted }

// EachRedisCommand calls f with every command and subcommand Redis 7.0.15
// has, served or not (ACL rules may name any of them), in name order, a
// container before its subcommands. f must not change them.
func EachRedisCommand(f func(*Command)) {
	for i := range metadata {
		f(&metadata[i])
		for _, s := range metadata[i].Subcommands {
			f(s)
		}
	}
}

// RedisLookup returns the record of any command or subcommand Redis
// 7.0.15 has, served or not, by its full name ("get", "config|get";
// lower case), or nil: ACL rules and ACL DRYRUN may name any of them.
func RedisLookup(fullName string) *Command { return redisTable[fullName] }

// joinMetadata is the generated groups' records in one list, sorted by
// name, as RedisLookup searches it.
func joinMetadata(groups ...[]Command) []Command {
	all := slices.Concat(groups...)
	slices.SortFunc(all, func(a, b Command) int { return strings.Compare(a.Name, b.Name) })
	return all
}

// Count is the number of served records, subcommands included (the IDs).
func Count() int { return count }

var table, sorted, count = buildTable()

// redisTable is every Redis command and subcommand by full name, served
// or not (RedisLookup): one map lookup per ACL key check.
var redisTable = func() map[string]*Command {
	m := map[string]*Command{}
	EachRedisCommand(func(c *Command) { m[c.Name] = c })
	return m
}()

// buildTable joins the metadata with the handlers: a command (or
// subcommand) is served when it is bound, in keyspaceHandlers or
// nodeCommands; the rest of Redis's commands are unknown here.
func buildTable() (map[string]*Command, []*Command, int) {
	node := map[string]bool{}
	for _, name := range nodeCommands {
		node[name] = true
	}
	m := map[string]*Command{}
	var all []*Command
	id := 0
	bind := func(md *Command) *Command {
		run, isNode := keyspaceHandlers[md.Name], node[md.Name]
		if run == nil && !isNode {
			return nil
		}
		c := *md
		c.Run, c.Node, c.ID = run, isNode, id
		id++
		return &c
	}
	for i := range metadata {
		c := bind(&metadata[i])
		if c == nil {
			continue
		}
		c.Subcommands = nil
		for _, s := range metadata[i].Subcommands {
			if sc := bind(s); sc != nil {
				c.Subcommands = append(c.Subcommands, sc)
			}
		}
		m[c.Name] = c
		all = append(all, c)
	}
	return m, slices.Clip(all), id
}

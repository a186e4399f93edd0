package node

import (
	"maps"
	"slices"
	"sort"
	"strings"

	"github.com/syncscope/syncscope/core/command"
	"github.com/syncscope/syncscope/core/cstr"
)

func cmdCommand(n *Node, c *client, args [][]byte) {
	if len(args) == 1 {
		names := n.allCommandNames()
		c.out.ArrayLen(len(names))
		for _, name := range names {
			n.commandInfo(c, name)
		}
		return
	}
	sub := lower(args[1])
	switch {
	case sub == "count" && len(args) == 2:
		c.out.Int(int64(len(n.allCommandNames())))
	case sub == "list":
		n.commandList(c, args)
	case sub == "info":
		names := make([]string, 0, len(args)-2)
		for _, a := range args[2:] {
			names = append(names, lower(a))
		}
		if len(args) == 2 {
			names = n.allCommandNames()
		}
		c.out.ArrayLen(len(names))
		for _, name := range names {
			n.commandInfo(c, name)
		}
	case sub == "docs":
		names := make([]string, 0, len(args)-2)
		for _, a := range args[2:] {
			if n.known(lower(a)) {
				names = append(names, lower(a))
			}
		}
		if len(args) == 2 {
			names = n.allCommandNames()
		}
		c.out.MapLen(len(names))
		for _, name := range names {
			c.out.BulkString(name)
			c.out.MapLen(0)
		}
	case sub == "getkeys" && len(args) >= 3:
		argv := args[2:]
		spec := command.Lookup(argv[0])
		if spec == nil {
			if n.lookupNodeCmd(argv[0]) != nil {
				c.out.Error("ERR The command has no key arguments")
				return
			}
			c.out.Error("ERR Invalid command specified")
			return
		}
		_, movable := numkeysSpecs[spec.Name]
		movable = movable || spec.Keys != nil
		if spec.FirstKey <= 0 && !movable {
			c.out.Error("ERR The command has no key arguments")
			return
		}
		if (spec.Arity > 0 && len(argv) != spec.Arity) || len(argv) < -spec.Arity {
			c.out.Error("ERR Invalid number of arguments specified for command")
			return
		}
		keys := keyPositions(spec, len(argv))
		if spec.Keys != nil {
			keys = spec.Keys(argv)
		} else if movable {
			keys = numkeysPositions(spec.Name, argv)
		}
		if len(keys) == 0 {
			c.out.Error("ERR Invalid arguments specified for command")
			return
		}
		c.out.ArrayLen(len(keys))
		for _, k := range keys {
			c.out.Bulk(argv[k])
		}
	case sub == "help" && len(args) == 2:
		help(c, "COMMAND", []string{
			"(no subcommand)",
			"    Return details about all Redis commands.",
			"COUNT",
			"    Return the total number of commands in this Redis server.",
			"LIST",
			"    Return a list of all commands in this Redis server.",
			"INFO [<command-name> ...]",
			"    Return details about multiple Redis commands.",
			"    If no command names are given, documentation details for all",
			"    commands are returned.",
			"DOCS [<command-name> ...]",
			"    Return documentation details about multiple Redis commands.",
			"    If no command names are given, documentation details for all",
			"    commands are returned.",
			"GETKEYS <full-command>",
			"    Return the keys from a full Redis command.",
			"GETKEYSANDFLAGS <full-command>",
			"    Return the keys and the access flags from a full Redis command.",
		})
	default:
		subcommandError(c, args)
	}
}

func keyPositions(spec *command.Spec, argc int) []int {
	if spec.FirstKey <= 0 {
		return nil
	}
	last := spec.LastKey
	if last < 0 {
		last = argc + last
	}
	step := max(spec.Step, 1)
	var out []int
	for i := spec.FirstKey; i <= last && i < argc; i += step {
		out = append(out, i)
	}
	return out
}

// numkeysPositions returns the key indexes of argv for a numkeysSpecs
// command, or nil when numkeys is not a positive count that fits.
func numkeysPositions(name string, argv [][]byte) []int {
	ks := numkeysSpecs[name]
	num, ok := cstr.String2ll(argv[ks.numkeys])
	if !ok || num <= 0 || num > int64(len(argv)-ks.numkeys-1) {
		return nil
	}
	var out []int
	if ks.dest > 0 {
		out = append(out, ks.dest)
	}
	for i := range int(num) {
		out = append(out, ks.numkeys+1+i)
	}
	return out
}

func (n *Node) known(name string) bool {
	return n.lookupNodeCmd([]byte(name)) != nil || command.Lookup([]byte(name)) != nil
}

// commandList is COMMAND LIST [FILTERBY MODULE name|ACLCAT cat|PATTERN
// glob]: the commands and their subcommands (as "client|list").
func (n *Node) commandList(c *client, args [][]byte) {
	var keep func(name string) bool
	for i := 2; i < len(args); i++ {
		if lower(args[i]) != "filterby" || len(args)-1-i != 2 {
			c.out.Error(command.ErrSyntax)
			return
		}
		arg := string(args[i+2])
		switch typ := lower(args[i+1]); typ {
		case "module":
			keep = func(string) bool { return false } // no modules here
		case "aclcat":
			cat := "@" + strings.ToLower(arg)
			keep = func(name string) bool { return slices.Contains(aclCategories[name], cat) }
		case "pattern":
			keep = func(name string) bool { return cstr.Glob(arg, name, true) }
		default:
			c.out.Error(command.ErrSyntax)
			return
		}
		i += 2
	}
	var names []string
	for _, name := range n.allCommandNames() {
		subs := subcommandArity[name]
		all := append([]string{name}, slices.Sorted(maps.Keys(subs))...)
		for j, s := range all {
			if j > 0 {
				s = name + "|" + s
			}
			if keep == nil || keep(s) {
				names = append(names, s)
			}
		}
	}
	c.out.ArrayLen(len(names))
	for _, name := range names {
		c.out.BulkString(name)
	}
}

func (n *Node) allCommandNames() []string {
	var names []string
	for _, nc := range n.cmdList {
		if _, shown := nodeCommandFlags[nc.name]; shown {
			names = append(names, nc.name)
		}
	}
	for _, s := range command.All() {
		names = append(names, s.Name)
	}
	sort.Strings(names)
	return names
}

// commandInfo writes one COMMAND INFO entry (name, arity, flags, keys, ACL
// categories; no tips, key specs or subcommands yet).
func (n *Node) commandInfo(c *client, name string) {
	var e infoEntry
	if sub, ok := subcommandInfo[name]; ok {
		e = sub
	} else if nc := n.lookupNodeCmd([]byte(name)); nc != nil && nodeCommandFlags[nc.name] != nil {
		e = infoEntry{arity: nc.arity, flags: nodeCommandFlags[nc.name]}
		if nc.name == "watch" {
			e.first, e.last, e.step = 1, -1, 1
		}
	} else if s := command.Lookup([]byte(name)); s != nil {
		e = infoEntry{arity: s.Arity, first: s.FirstKey, last: s.LastKey, step: s.Step}
		if subcommandArity[s.Name] != nil {
			// A container (OBJECT): its subcommands carry the flags and keys.
			e.first, e.last, e.step = 0, 0, 0
		} else {
			for _, f := range flagNames {
				if s.Flags&f.f != 0 {
					e.flags = append(e.flags, f.name)
				}
			}
			if _, ok := numkeysSpecs[s.Name]; ok || s.Keys != nil {
				e.flags = append(e.flags, "movablekeys")
			}
		}
	} else {
		c.out.Null() // $-1, as Redis's addReplyNull
		return
	}
	c.out.ArrayLen(10)
	c.out.BulkString(name)
	c.out.Int(int64(e.arity))
	c.out.SetLen(len(e.flags))
	for _, f := range e.flags {
		c.out.SimpleString(f)
	}
	c.out.Int(int64(e.first))
	c.out.Int(int64(e.last))
	c.out.Int(int64(e.step))
	cats := aclCategories[name]
	c.out.SetLen(len(cats))
	for _, cat := range cats {
		c.out.SimpleString(cat)
	}
	c.out.SetLen(0)
	c.out.ArrayLen(0)
	c.out.ArrayLen(0)
}

// numkeysSpecs are the commands whose keys follow a numkeys argument
// (Redis's "keynum" key spec): at index numkeys, after an optional leading
// destination key at index dest.
var numkeysSpecs = map[string]struct{ dest, numkeys int }{
	"zunionstore": {1, 2}, "zinterstore": {1, 2}, "zdiffstore": {1, 2},
	"zunion": {0, 1}, "zinter": {0, 1}, "zdiff": {0, 1}, "zintercard": {0, 1}, "sintercard": {0, 1},
	"zmpop": {0, 1}, "bzmpop": {0, 2}, "lmpop": {0, 1}, "blmpop": {0, 2},
}

// flagNames are the flags COMMAND INFO shows, in Redis's order (it hides
// may_replicate).
var flagNames = []struct {
	f    command.Flag
	name string
}{
	{command.Write, "write"}, {command.ReadOnly, "readonly"}, {command.DenyOOM, "denyoom"},
	{command.Admin, "admin"}, {command.PubSub, "pubsub"}, {command.NoScript, "noscript"},
	{command.Blocking, "blocking"}, {command.Loading, "loading"}, {command.Stale, "stale"},
	{command.Fast, "fast"}, {command.NoAuth, "no_auth"}, {command.NoMulti, "no_multi"},
}

// infoEntry is what COMMAND INFO reports for a node command or a
// subcommand, as Redis 7.0.15 does. The node's own flags drive dispatch
// (some differ, e.g. PING is served while loading here); these are only shown.
type infoEntry struct {
	arity             int
	flags             []string
	first, last, step int
}

// nodeCommandFlags are Redis 7.0.15's COMMAND INFO flags of the node commands.
var nodeCommandFlags = map[string][]string{
	"ping":         {"fast"},
	"echo":         {"loading", "stale", "fast"},
	"quit":         {"noscript", "loading", "stale", "fast", "no_auth", "allow_busy"},
	"reset":        {"noscript", "loading", "stale", "fast", "no_auth", "allow_busy"},
	"select":       {"loading", "stale", "fast"},
	"hello":        {"noscript", "loading", "stale", "fast", "no_auth", "allow_busy"},
	"auth":         {"noscript", "loading", "stale", "fast", "no_auth", "allow_busy"},
	"client":       {},
	"acl":          {},
	"time":         {"loading", "stale", "fast"},
	"lastsave":     {"loading", "stale", "fast"},
	"info":         {"loading", "stale"},
	"config":       {},
	"command":      {"loading", "stale"},
	"debug":        {"admin", "noscript", "loading", "stale"},
	"monitor":      {"admin", "noscript", "loading", "stale"},
	"save":         {"admin", "noscript", "no_async_loading", "no_multi"},
	"bgsave":       {"admin", "noscript", "no_async_loading"},
	"shutdown":     {"admin", "noscript", "loading", "stale", "no_multi", "allow_busy"},
	"multi":        {"noscript", "loading", "stale", "fast", "allow_busy"},
	"exec":         {"noscript", "loading", "stale", "skip_slowlog"},
	"discard":      {"noscript", "loading", "stale", "fast", "allow_busy"},
	"watch":        {"noscript", "loading", "stale", "fast", "allow_busy"},
	"unwatch":      {"noscript", "loading", "stale", "fast", "allow_busy"},
	"subscribe":    {"pubsub", "noscript", "loading", "stale"},
	"unsubscribe":  {"pubsub", "noscript", "loading", "stale"},
	"psubscribe":   {"pubsub", "noscript", "loading", "stale"},
	"punsubscribe": {"pubsub", "noscript", "loading", "stale"},
	"publish":      {"pubsub", "loading", "stale", "fast"},
	"pubsub":       {},
	"replicaof":    {"admin", "noscript", "stale", "no_async_loading"},
	"slaveof":      {"admin", "noscript", "stale", "no_async_loading"},
	"role":         {"noscript", "loading", "stale", "fast"},
	"sync":         {"admin", "noscript", "no_async_loading", "no_multi"},
	"psync":        {"admin", "noscript", "no_async_loading", "no_multi"},
	"replconf":     {"admin", "noscript", "loading", "stale", "allow_busy"},
	"wait":         {"noscript"},
}

// subcommandInfo is Redis 7.0.15's COMMAND INFO of the subcommands syncscope has.
var subcommandInfo = map[string]infoEntry{
	"acl|cat":          {arity: -2, flags: []string{"noscript", "loading", "stale"}, first: 0, last: 0, step: 0},
	"acl|deluser":      {arity: -3, flags: []string{"admin", "noscript", "loading", "stale"}, first: 0, last: 0, step: 0},
	"acl|dryrun":       {arity: -4, flags: []string{"admin", "noscript", "loading", "stale"}, first: 0, last: 0, step: 0},
	"acl|genpass":      {arity: -2, flags: []string{"noscript", "loading", "stale"}, first: 0, last: 0, step: 0},
	"acl|getuser":      {arity: 3, flags: []string{"admin", "noscript", "loading", "stale"}, first: 0, last: 0, step: 0},
	"acl|help":         {arity: 2, flags: []string{"loading", "stale"}, first: 0, last: 0, step: 0},
	"acl|list":         {arity: 2, flags: []string{"admin", "noscript", "loading", "stale"}, first: 0, last: 0, step: 0},
	"acl|load":         {arity: 2, flags: []string{"admin", "noscript", "loading", "stale"}, first: 0, last: 0, step: 0},
	"acl|log":          {arity: -2, flags: []string{"admin", "noscript", "loading", "stale"}, first: 0, last: 0, step: 0},
	"acl|save":         {arity: 2, flags: []string{"admin", "noscript", "loading", "stale"}, first: 0, last: 0, step: 0},
	"acl|setuser":      {arity: -3, flags: []string{"admin", "noscript", "loading", "stale"}, first: 0, last: 0, step: 0},
	"acl|users":        {arity: 2, flags: []string{"admin", "noscript", "loading", "stale"}, first: 0, last: 0, step: 0},
	"acl|whoami":       {arity: 2, flags: []string{"noscript", "loading", "stale"}, first: 0, last: 0, step: 0},
	"client|getname":   {arity: 2, flags: []string{"noscript", "loading", "stale"}, first: 0, last: 0, step: 0},
	"client|help":      {arity: 2, flags: []string{"loading", "stale"}, first: 0, last: 0, step: 0},
	"client|id":        {arity: 2, flags: []string{"noscript", "loading", "stale"}, first: 0, last: 0, step: 0},
	"client|info":      {arity: 2, flags: []string{"noscript", "loading", "stale"}, first: 0, last: 0, step: 0},
	"client|kill":      {arity: -3, flags: []string{"admin", "noscript", "loading", "stale"}, first: 0, last: 0, step: 0},
	"client|list":      {arity: -2, flags: []string{"admin", "noscript", "loading", "stale"}, first: 0, last: 0, step: 0},
	"client|no-evict":  {arity: 3, flags: []string{"admin", "noscript", "loading", "stale"}, first: 0, last: 0, step: 0},
	"client|reply":     {arity: 3, flags: []string{"noscript", "loading", "stale"}, first: 0, last: 0, step: 0},
	"client|setname":   {arity: 3, flags: []string{"noscript", "loading", "stale"}, first: 0, last: 0, step: 0},
	"client|unblock":   {arity: -3, flags: []string{"admin", "noscript", "loading", "stale"}, first: 0, last: 0, step: 0},
	"config|get":       {arity: -3, flags: []string{"admin", "noscript", "loading", "stale"}, first: 0, last: 0, step: 0},
	"config|help":      {arity: 2, flags: []string{"loading", "stale"}, first: 0, last: 0, step: 0},
	"config|resetstat": {arity: 2, flags: []string{"admin", "noscript", "loading", "stale"}, first: 0, last: 0, step: 0},
	"config|rewrite":   {arity: 2, flags: []string{"admin", "noscript", "loading", "stale"}, first: 0, last: 0, step: 0},
	"config|set":       {arity: -4, flags: []string{"admin", "noscript", "loading", "stale"}, first: 0, last: 0, step: 0},
	"command|count":    {arity: 2, flags: []string{"loading", "stale"}, first: 0, last: 0, step: 0},
	"command|docs":     {arity: -2, flags: []string{"loading", "stale"}, first: 0, last: 0, step: 0},
	"command|getkeys":  {arity: -4, flags: []string{"loading", "stale"}, first: 0, last: 0, step: 0},
	"command|help":     {arity: 2, flags: []string{"loading", "stale"}, first: 0, last: 0, step: 0},
	"command|info":     {arity: -2, flags: []string{"loading", "stale"}, first: 0, last: 0, step: 0},
	"command|list":     {arity: -2, flags: []string{"loading", "stale"}, first: 0, last: 0, step: 0},
	"memory|help":      {arity: 2, flags: []string{"loading", "stale"}, first: 0, last: 0, step: 0},
	"memory|usage":     {arity: -3, flags: []string{"readonly"}, first: 2, last: 2, step: 1},
	"object|encoding":  {arity: 3, flags: []string{"readonly"}, first: 2, last: 2, step: 1},
	"object|freq":      {arity: 3, flags: []string{"readonly"}, first: 2, last: 2, step: 1},
	"object|help":      {arity: 2, flags: []string{"loading", "stale"}, first: 0, last: 0, step: 0},
	"object|idletime":  {arity: 3, flags: []string{"readonly"}, first: 2, last: 2, step: 1},
	"object|refcount":  {arity: 3, flags: []string{"readonly"}, first: 2, last: 2, step: 1},
	"pubsub|channels":  {arity: -2, flags: []string{"pubsub", "loading", "stale"}, first: 0, last: 0, step: 0},
	"pubsub|help":      {arity: 2, flags: []string{"loading", "stale"}, first: 0, last: 0, step: 0},
	"pubsub|numpat":    {arity: 2, flags: []string{"pubsub", "loading", "stale"}, first: 0, last: 0, step: 0},
	"pubsub|numsub":    {arity: -2, flags: []string{"pubsub", "loading", "stale"}, first: 0, last: 0, step: 0},
}

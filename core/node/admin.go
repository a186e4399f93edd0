package node

import (
	"encoding/hex"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/syncscope/syncscope/core/command"
	"github.com/syncscope/syncscope/core/config"
	"github.com/syncscope/syncscope/core/store"
)

func cmdConfig(n *Node, c *client, args [][]byte) {
	sub := lower(args[1])
	switch {
	case sub == "get" && len(args) >= 3:
		var pats []string
		for _, a := range args[2:] {
			pats = append(pats, string(a))
		}
		pairs := n.cfg.Get(pats...)
		c.out.MapLen(len(pairs))
		for _, p := range pairs {
			c.out.BulkString(p[0])
			c.out.BulkString(p[1])
		}
	case sub == "set" && len(args) >= 4:
		var pairs []string
		for _, a := range args[2:] {
			pairs = append(pairs, string(a))
		}
		before := *n.cfg
		if err := n.cfg.Set(pairs...); err != nil {
			c.out.Error(err.Error())
			return
		}
		n.configChanged(&before)
		c.out.SimpleString("OK")
	case sub == "resetstat" && len(args) == 2:
		n.stats = stats{}
		n.st.Hits, n.st.Misses, n.st.ExpiredKeys = 0, 0, 0
		c.out.SimpleString("OK")
	case sub == "rewrite" && len(args) == 2:
		if n.env.ConfigFile == "" {
			c.out.Error("ERR The server is running without a config file")
			return
		}
		n.out.Files = append(n.out.Files, File{Name: n.env.ConfigFile, Rewrite: n.cfg.Rewrite})
		n.persist.rewriters = append(n.persist.rewriters, c)
		c.blocked = &blockState{}
	case sub == "help" && len(args) == 2:
		help(c, "CONFIG", []string{
			"GET <pattern>",
			"    Return parameters matching the glob-like <pattern> and their values.",
			"SET <directive> <value>",
			"    Set the configuration <directive> to <value>.",
			"RESETSTAT",
			"    Reset statistics reported by the INFO command.",
			"REWRITE",
			"    Rewrite the configuration file.",
		})
	default:
		if sub == "get" || sub == "set" || sub == "resetstat" || sub == "rewrite" {
			c.out.Error(fmt.Sprintf("ERR wrong number of arguments for 'config|%s' command", sub))
			return
		}
		subcommandError(c, args)
	}
}

// configChanged applies CONFIG SET changes that need more than the new value.
func (n *Node) configChanged(before *config.Config) {
	if n.cfg.ReplBacklogSize != before.ReplBacklogSize && n.repl.backlog != nil {
		n.repl.backlog.Resize(int(n.cfg.ReplBacklogSize))
	}
	n.st.Limits = store.Limits{
		HashMaxListpackEntries: n.cfg.HashMaxListpackEntries,
		HashMaxListpackValue:   n.cfg.HashMaxListpackValue,
		SetMaxIntsetEntries:    n.cfg.SetMaxIntsetEntries,
		ZSetMaxListpackEntries: n.cfg.ZSetMaxListpackEntries,
		ZSetMaxListpackValue:   n.cfg.ZSetMaxListpackValue,
		ListMaxListpackSize:    n.cfg.ListMaxListpackSize,
	}
	if n.cfg.RequirePass != before.RequirePass && n.cfg.RequirePass == "" {
		for _, c := range n.order {
			c.authed = true
		}
	}
}

func (n *Node) fileDone(ev FileDone) {
	for _, c := range n.persist.rewriters {
		if c.closed {
			continue
		}
		c.blocked = nil
		if ev.Err != "" {
			n.log('#', "CONFIG REWRITE failed: "+ev.Err)
			c.out.Error("ERR Rewriting config file: " + ev.Err)
		} else {
			n.log('*', "CONFIG REWRITE executed with success.")
			c.out.SimpleString("OK")
		}
		n.queueOutput(c)
		n.processInput(c)
	}
	n.persist.rewriters = nil
}

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
	case sub == "list" && len(args) == 2:
		names := n.allCommandNames()
		c.out.ArrayLen(len(names))
		for _, name := range names {
			c.out.BulkString(name)
		}
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
		spec := command.Lookup(args[2])
		if spec == nil {
			if n.lookupNodeCmd(args[2]) != nil {
				c.out.Error("ERR The command has no key arguments")
				return
			}
			c.out.Error("ERR Invalid command specified")
			return
		}
		keys := keyPositions(spec, len(args)-2)
		if len(keys) == 0 {
			c.out.Error("ERR The command has no key arguments")
			return
		}
		c.out.ArrayLen(len(keys))
		for _, k := range keys {
			c.out.Bulk(args[2+k])
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

func (n *Node) known(name string) bool {
	return n.lookupNodeCmd([]byte(name)) != nil || command.Lookup([]byte(name)) != nil
}

func (n *Node) allCommandNames() []string {
	var names []string
	for _, nc := range n.cmdList {
		names = append(names, nc.name)
	}
	for _, s := range command.All() {
		names = append(names, s.Name)
	}
	sort.Strings(names)
	return names
}

var flagNames = []struct {
	f    command.Flag
	name string
}{
	{command.Write, "write"}, {command.ReadOnly, "readonly"}, {command.DenyOOM, "denyoom"},
	{command.Admin, "admin"}, {command.PubSub, "pubsub"}, {command.NoScript, "noscript"},
	{command.Blocking, "blocking"}, {command.Loading, "loading"}, {command.Stale, "stale"},
	{command.NoAuth, "no_auth"}, {command.Fast, "fast"}, {command.MayReplicate, "may_replicate"},
	{command.NoMulti, "no_multi"},
}

// commandInfo writes one COMMAND INFO entry (name, arity, flags, keys).
func (n *Node) commandInfo(c *client, name string) {
	var arity, first, last, step int
	var flags command.Flag
	if nc := n.lookupNodeCmd([]byte(name)); nc != nil {
		arity, flags = nc.arity, nc.flags
	} else if s := command.Lookup([]byte(name)); s != nil {
		arity, flags, first, last, step = s.Arity, s.Flags, s.FirstKey, s.LastKey, s.Step
	} else {
		c.out.NullArray()
		return
	}
	c.out.ArrayLen(10)
	c.out.BulkString(name)
	c.out.Int(int64(arity))
	var fl []string
	for _, f := range flagNames {
		if flags&f.f != 0 {
			fl = append(fl, f.name)
		}
	}
	c.out.SetLen(len(fl))
	for _, f := range fl {
		c.out.SimpleString(f)
	}
	c.out.Int(int64(first))
	c.out.Int(int64(last))
	c.out.Int(int64(step))
	c.out.SetLen(0)
	c.out.SetLen(0)
	c.out.ArrayLen(0)
	c.out.ArrayLen(0)
}

func cmdDebug(n *Node, c *client, args [][]byte) {
	sub := lower(args[1])
	switch {
	case sub == "sleep" && len(args) == 3:
		// The node cannot block its driver; it answers at once. The
		// simulator and the browser advance virtual time instead.
		c.out.SimpleString("OK")
	case sub == "digest" && len(args) == 2:
		// Redis answers both DIGEST forms with status replies.
		d := n.st.Digest()
		c.out.SimpleString(hex.EncodeToString(d[:]))
	case sub == "digest-value" && len(args) >= 2:
		c.out.ArrayLen(len(args) - 2)
		db := n.st.DBs[c.db]
		for _, k := range args[2:] {
			v := db.Peek(k)
			var d [20]byte
			if v != nil {
				d = store.DigestValue(v, -1)
			}
			c.out.SimpleString(hex.EncodeToString(d[:]))
		}
	case sub == "reload" && len(args) >= 2:
		c.out.SimpleString("OK")
	case sub == "set-active-expire" && len(args) == 3:
		c.out.SimpleString("OK")
	case sub == "change-repl-id" && len(args) == 2:
		n.repl.hist.Shift(n.newID())
		n.repl.hist.ClearID2()
		c.out.SimpleString("OK")
	case sub == "help":
		help(c, "DEBUG", []string{
			"DIGEST",
			"    Output a hex signature representing the current DB content.",
			"DIGEST-VALUE <key> [<key> ...]",
			"    Output a hex signature of the values of all the specified keys.",
			"SLEEP <seconds>",
			"    Stop the server for <seconds>. Decimals allowed.",
			"CHANGE-REPL-ID",
			"    Change the replication IDs of the instance.",
		})
	default:
		c.out.Error(fmt.Sprintf("ERR unknown subcommand or wrong number of arguments for '%s'. Try DEBUG HELP.", args[1]))
	}
}

var (
	_ = strconv.Itoa
	_ = strings.ToLower
	_ = time.Second
)

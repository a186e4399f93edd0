package node

import (
	"math/bits"

	"github.com/syncscope/syncscope/core/command"
	"github.com/syncscope/syncscope/core/cstr"
)

// cmdCommand is COMMAND: it reads the one command table (command.All), so
// what it reports is what dispatch does.
func cmdCommand(n *Node, c *client, args [][]byte) {
	if len(args) == 1 {
		all := command.All()
		c.out.ArrayLen(len(all))
		for _, cmd := range all {
			commandInfo(c, cmd)
		}
		return
	}
	switch sub := lower(args[1]); {
	case sub == "count":
		c.out.Int(int64(len(command.All())))
	case sub == "list":
		commandList(c, args)
	case sub == "info":
		if len(args) == 2 {
			cmdCommand(n, c, args[:1])
			return
		}
		c.out.ArrayLen(len(args) - 2)
		for _, a := range args[2:] {
			commandInfo(c, command.LookupFull(string(a)))
		}
	case sub == "docs":
		var cmds []*command.Command
		for _, a := range args[2:] {
			if cmd := command.LookupFull(string(a)); cmd != nil {
				cmds = append(cmds, cmd)
			}
		}
		if len(args) == 2 {
			cmds = command.All()
		}
		c.out.MapLen(len(cmds))
		for _, cmd := range cmds {
			c.out.BulkString(cmd.Name)
			command.Docs(&c.out, cmd)
		}
	case sub == "getkeys", sub == "getkeysandflags":
		command.GetKeys(&c.out, args[2:], sub == "getkeysandflags")
	case sub == "help":
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

// commandList is COMMAND LIST [FILTERBY MODULE name|ACLCAT cat|PATTERN
// glob]: the commands and their subcommands (as "client|list").
func commandList(c *client, args [][]byte) {
	var keep func(cmd *command.Command) bool
	for i := 2; i < len(args); i++ {
		if lower(args[i]) != "filterby" || len(args)-1-i != 2 {
			c.out.Error(command.ErrSyntax)
			return
		}
		arg := string(args[i+2])
		switch typ := lower(args[i+1]); typ {
		case "module":
			keep = func(*command.Command) bool { return false } // no modules here
		case "aclcat":
			cat := command.Category(aclCategoryFlag(arg))
			keep = func(cmd *command.Command) bool { return cmd.Categories&cat != 0 }
		case "pattern":
			keep = func(cmd *command.Command) bool { return cstr.Glob(arg, cmd.Name, true) }
		default:
			c.out.Error(command.ErrSyntax)
			return
		}
		i += 2
	}
	var names []string
	for _, cmd := range command.All() {
		for _, cc := range append([]*command.Command{cmd}, cmd.Subcommands...) {
			if keep == nil || keep(cc) {
				names = append(names, cc.Name)
			}
		}
	}
	c.out.ArrayLen(len(names))
	for _, name := range names {
		c.out.BulkString(name)
	}
}

// commandInfo writes one COMMAND INFO entry as addReplyCommandInfo does;
// the null bulk for nil (an unknown command).
func commandInfo(c *client, cmd *command.Command) {
	if cmd == nil {
		c.out.Null() // $-1, as Redis's addReplyNull
		return
	}
	c.out.ArrayLen(10)
	c.out.BulkString(cmd.Name)
	c.out.Int(int64(cmd.Arity))
	n := 0
	for _, f := range command.FlagNames {
		if cmd.Flags&f.Flag != 0 {
			n++
		}
	}
	c.out.SetLen(n)
	for _, f := range command.FlagNames {
		if cmd.Flags&f.Flag != 0 {
			c.out.SimpleString(f.Name)
		}
	}
	c.out.Int(int64(cmd.FirstKey))
	c.out.Int(int64(cmd.LastKey))
	c.out.Int(int64(cmd.Step))
	c.out.SetLen(bits.OnesCount32(uint32(cmd.Categories)))
	for i, name := range command.CategoryNames {
		if cmd.Categories&(1<<i) != 0 {
			c.out.SimpleString("@" + name)
		}
	}
	c.out.SetLen(len(cmd.Tips))
	for _, tip := range cmd.Tips {
		c.out.BulkString(tip)
	}
	c.out.SetLen(len(cmd.KeySpecs))
	for i := range cmd.KeySpecs {
		keySpecInfo(c, &cmd.KeySpecs[i])
	}
	if cmd.Container() {
		c.out.ArrayLen(len(cmd.Subcommands))
		for _, sub := range cmd.Subcommands {
			commandInfo(c, sub)
		}
	} else {
		c.out.SetLen(0)
	}
}

// keySpecInfo writes one key spec as addReplyCommandKeySpecs does.
func keySpecInfo(c *client, ks *command.KeySpec) {
	if ks.Notes != "" {
		c.out.MapLen(4)
		c.out.BulkString("notes")
		c.out.BulkString(ks.Notes)
	} else {
		c.out.MapLen(3)
	}
	c.out.BulkString("flags")
	n := 0
	for i := range command.KeyFlagNames {
		if ks.Flags&(1<<i) != 0 {
			n++
		}
	}
	c.out.SetLen(n)
	for i, name := range command.KeyFlagNames {
		if ks.Flags&(1<<i) != 0 {
			c.out.SimpleString(name)
		}
	}
	c.out.BulkString("begin_search")
	switch ks.Begin {
	case command.BeginIndex:
		searchSpec(c, "index", "index", ks.Index)
	case command.BeginKeyword:
		searchSpec(c, "keyword")
		c.out.MapLen(2)
		c.out.BulkString("keyword")
		c.out.BulkString(ks.Keyword)
		c.out.BulkString("startfrom")
		c.out.Int(int64(ks.StartFrom))
	default:
		searchSpec(c, "unknown")
		c.out.MapLen(0)
	}
	c.out.BulkString("find_keys")
	switch ks.Find {
	case command.FindRange:
		searchSpec(c, "range", "lastkey", ks.LastKey, "keystep", ks.KeyStep, "limit", ks.Limit)
	case command.FindKeynum:
		searchSpec(c, "keynum", "keynumidx", ks.KeynumIdx, "firstkey", ks.FirstKey, "keystep", ks.KeyStep)
	default:
		searchSpec(c, "unknown")
		c.out.MapLen(0)
	}
}

// searchSpec writes {type: typ, spec: ...}: the spec's integer fields given
// as name, value pairs, or (with none) left for the caller to write.
func searchSpec(c *client, typ string, fields ...any) {
	c.out.MapLen(2)
	c.out.BulkString("type")
	c.out.BulkString(typ)
	c.out.BulkString("spec")
	if len(fields) == 0 {
		return
	}
	c.out.MapLen(len(fields) / 2)
	for i := 0; i < len(fields); i += 2 {
		c.out.BulkString(fields[i].(string))
		c.out.Int(int64(fields[i+1].(int)))
	}
}

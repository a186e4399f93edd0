package node

import (
	"errors"
	"fmt"
	"strings"

	"github.com/syncscope/syncscope/core/cstr"
	"github.com/syncscope/syncscope/core/rdb"
	"github.com/syncscope/syncscope/core/script"
	"github.com/syncscope/syncscope/core/store"
)

func cmdFcall(n *Node, c *client, args [][]byte)   { n.fcall(c, args, false) }
func cmdFcallRO(n *Node, c *client, args [][]byte) { n.fcall(c, args, true) }

// fcall is fcallCommandGeneric.
func (n *Node) fcall(c *client, args [][]byte, ro bool) {
	if n.scripts == nil {
		c.out.Error(errNoScripting)
		return
	}
	name := string(args[1])
	_, flags, ok := n.scripts.Function(name)
	if !ok {
		c.out.Error("ERR Function not found")
		return
	}
	if _, ok := cstr.String2ll(args[2]); !ok {
		c.out.Error("ERR Bad number of keys provided")
		return
	}
	nk, ok := numKeys(c, args)
	if !ok {
		return
	}
	r, ok := n.prepareScript(c, flags, ro)
	if !ok {
		return
	}
	r.name, r.argv = name, args
	n.runScript(r, func() {
		n.scripts.RunFunction(name, args[3:3+nk], args[3+nk:], r, &c.out)
	})
}

// functionHelp is FUNCTION HELP's text.
func functionHelp() []string {
	return []string{
		"LOAD [REPLACE] <FUNCTION CODE>",
		"    Create a new library with the given library name and code.",
		"DELETE <LIBRARY NAME>",
		"    Delete the given library.",
		"LIST [LIBRARYNAME PATTERN] [WITHCODE]",
		"    Return general information on all the libraries:",
		"    * Library name",
		"    * The engine used to run the Library",
		"    * Library description",
		"    * Functions list",
		"    * Library code (if WITHCODE is given)",
		"    It also possible to get only function that matches a pattern using LIBRARYNAME argument.",
		"STATS",
		"    Return information about the current function running:",
		"    * Function name",
		"    * Command used to run the function",
		"    * Duration in MS that the function is running",
		"    If no function is running, return nil",
		"    In addition, returns a list of available engines.",
		"KILL",
		"    Kill the current running function.",
		"FLUSH [ASYNC|SYNC]",
		"    Delete all the libraries.",
		"    When called without the optional mode argument, the behavior is determined by the",
		"    lazyfree-lazy-user-flush configuration directive. Valid modes are:",
		"    * ASYNC: Asynchronously flush the libraries.",
		"    * SYNC: Synchronously flush the libraries.",
		"DUMP",
		"    Return a serialized payload representing the current libraries, can be restored using FUNCTION RESTORE command",
		"RESTORE <PAYLOAD> [FLUSH|APPEND|REPLACE]",
		"    Restore the libraries represented by the given payload, it is possible to give a restore policy to",
		"    control how to handle existing libraries (default APPEND):",
		"    * FLUSH: delete all existing libraries.",
		"    * APPEND: appends the restored libraries to the existing libraries. On collision, abort.",
		"    * REPLACE: appends the restored libraries to the existing libraries, On collision, replace the old",
		"      libraries with the new libraries (notice that even on this option there is a chance of failure",
		"      in case of functions name collision with another library).",
	}
}

// cmdFunction is FUNCTION and its subcommands. The ones that change the
// libraries are propagated verbatim and count as a change (server.dirty).
func cmdFunction(n *Node, c *client, args [][]byte) {
	sub := strings.ToLower(string(args[1]))
	if sub == "help" && len(args) == 2 {
		help(c, "FUNCTION", functionHelp())
		return
	}
	if n.scripts == nil {
		c.out.Error(errNoScripting)
		return
	}
	changed := false
	switch sub {
	case "load":
		replace := false
		i := 2
		for ; i < len(args)-1; i++ {
			if !strings.EqualFold(string(args[i]), "replace") {
				c.out.Error("ERR Unknown option given: " + string(cstr.UntilNUL(args[i])))
				return
			}
			replace = true
		}
		if i >= len(args) {
			c.out.Error("ERR Function code is missing")
			return
		}
		name, err := n.scripts.LoadLibrary(args[i], replace)
		if err != nil {
			c.out.Error("ERR " + err.Error())
			return
		}
		changed = true
		c.out.BulkString(name)
	case "delete":
		if !n.scripts.DeleteLibrary(string(args[2])) {
			c.out.Error("ERR Library not found")
			return
		}
		changed = true
		c.out.SimpleString("OK")
	case "flush":
		if len(args) == 3 && !strings.EqualFold(string(args[2]), "sync") && !strings.EqualFold(string(args[2]), "async") {
			c.out.Error("ERR FUNCTION FLUSH only supports SYNC|ASYNC option")
			return
		}
		if len(args) > 3 {
			subcommandError(c, args)
			return
		}
		n.scripts.FlushFunctions()
		changed = true
		c.out.SimpleString("OK")
	case "list":
		n.functionList(c, args)
	case "dump":
		libs := n.scripts.Libraries()
		codes := make([][]byte, len(libs))
		for i, l := range libs {
			codes[i] = l.Code
		}
		c.out.Bulk(rdb.FunctionsPayload(codes, n.rdbOptions()))
	case "restore":
		if len(args) > 4 {
			subcommandError(c, args)
			return
		}
		policy := script.RestoreAppend
		if len(args) == 4 {
			switch strings.ToLower(string(args[3])) {
			case "append":
			case "replace":
				policy = script.RestoreReplace
			case "flush":
				policy = script.RestoreFlush
			default:
				c.out.Error("ERR Wrong restore policy given, value should be either FLUSH, APPEND or REPLACE.")
				return
			}
		}
		codes, err := rdb.ParseFunctionsPayload(args[2])
		if errors.Is(err, rdb.ErrBadPayload) {
			c.out.Error("ERR DUMP payload version or checksum are wrong")
			return
		}
		if err == nil {
			err = n.scripts.RestoreLibraries(codes, policy)
		}
		if err != nil {
			c.out.Error("ERR " + err.Error())
			return
		}
		changed = true
		c.out.SimpleString("OK")
	case "kill":
		n.scriptKill(c, false)
	case "stats":
		r := n.scriptRun
		if r != nil && r.eval {
			c.out.Error(errBusyEval)
			return
		}
		c.out.MapLen(2)
		c.out.BulkString("running_script")
		if r == nil {
			c.out.Null()
		} else {
			c.out.MapLen(3)
			c.out.BulkString("name")
			c.out.BulkString(r.name)
			c.out.BulkString("command")
			c.out.ArrayLen(len(r.argv))
			for _, a := range r.argv {
				c.out.Bulk(a)
			}
			c.out.BulkString("duration_ms")
			var ms int64
			if n.env.Busy != nil {
				ms = n.env.Busy.Now().Sub(r.start).Milliseconds()
			}
			c.out.Int(ms)
		}
		c.out.BulkString("engines")
		c.out.MapLen(1)
		c.out.BulkString("LUA")
		libs := n.scripts.Libraries()
		nf := 0
		for _, l := range libs {
			nf += len(l.Functions)
		}
		c.out.MapLen(2)
		c.out.BulkString("libraries_count")
		c.out.Int(int64(len(libs)))
		c.out.BulkString("functions_count")
		c.out.Int(int64(nf))
	default:
		subcommandError(c, args)
	}
	if changed {
		n.persist.dirty++
		n.propagate(c.db, copyArgs(args))
	}
}

// functionList is FUNCTION LIST [WITHCODE] [LIBRARYNAME pattern].
func (n *Node) functionList(c *client, args [][]byte) {
	withCode := false
	var pattern []byte
	for i := 2; i < len(args); i++ {
		a := string(args[i])
		switch {
		case !withCode && strings.EqualFold(a, "withcode"):
			withCode = true
		case pattern == nil && strings.EqualFold(a, "libraryname"):
			if i >= len(args)-1 {
				c.out.Error("ERR library name argument was not given")
				return
			}
			i++
			pattern = args[i]
		default:
			// Redis prints the argument with %s (to its NUL), each CR and LF
			// in it a space, trailing ones too (addReplyErrorSds trims none).
			c.out.Error("ERR Unknown argument " + strings.NewReplacer("\r", " ", "\n", " ").Replace(string(cstr.UntilNUL(a))))
			return
		}
	}
	var libs []script.Library
	for _, l := range n.scripts.Libraries() {
		if pattern == nil || cstr.Glob(string(pattern), l.Name, true) {
			libs = append(libs, l)
		}
	}
	c.out.ArrayLen(len(libs))
	for _, l := range libs {
		c.out.MapLen(3 + boolInt(withCode)) // and library_code, last
		c.out.BulkString("library_name")
		c.out.BulkString(l.Name)
		c.out.BulkString("engine")
		c.out.BulkString(l.Engine)
		c.out.BulkString("functions")
		c.out.ArrayLen(len(l.Functions))
		for _, f := range l.Functions {
			c.out.MapLen(3)
			c.out.BulkString("name")
			c.out.BulkString(f.Name)
			c.out.BulkString("description")
			if f.Description == "" {
				c.out.Null()
			} else {
				c.out.BulkString(f.Description)
			}
			c.out.BulkString("flags")
			names := f.Flags.Names()
			c.out.SetLen(len(names))
			for _, fl := range names {
				c.out.SimpleString(fl)
			}
		}
		if withCode {
			c.out.BulkString("library_code")
			c.out.Bulk(l.Code)
		}
	}
}

// snapshotWithFunctions is the keyspace's snapshot with the libraries'
// code, which an RDB carries before the databases.
func (n *Node) snapshotWithFunctions() *store.Snapshot {
	sn := n.st.Snapshot()
	if n.scripts != nil {
		for _, l := range n.scripts.Libraries() {
			sn.Functions = append(sn.Functions, l.Code)
		}
	}
	return sn
}

// adoptFunctions replaces the libraries with an RDB's (a load at start, a
// full sync, DEBUG RELOAD), as Redis swaps in the functions it loaded.
func (n *Node) adoptFunctions(codes [][]byte) {
	if n.scripts == nil {
		if len(codes) > 0 {
			n.log('#', fmt.Sprintf("Ignoring %d function libraries in the RDB: this build has no Lua engine", len(codes)))
		}
		return
	}
	if err := n.scripts.RestoreLibraries(codes, script.RestoreFlush); err != nil {
		n.log('#', "Failed creating function, "+err.Error())
	}
}

// scriptCounts are INFO memory's number_of_cached_scripts,
// number_of_libraries and number_of_functions.
func (n *Node) scriptCounts() (scripts, libs, funcs int) {
	if n.scripts == nil {
		return 0, 0, 0
	}
	all := n.scripts.Libraries()
	for _, l := range all {
		funcs += len(l.Functions)
	}
	return n.scripts.Scripts(), len(all), funcs
}

// Package command is the keyspace command table: each command's name, arity,
// flags and key positions, and a handler that runs it against the store and
// writes its reply. Connection, server and replication commands, which need
// the node, live in core/node; this package knows no clients or replicas.
package command

import (
	"math/rand/v2"
	"strings"

	"github.com/syncscope/syncscope/core/cstr"
	"github.com/syncscope/syncscope/core/resp"
	"github.com/syncscope/syncscope/core/store"
)

// Block asks the node to park the client until one of Keys is modified or
// Timeout (unix ms, 0 = forever) passes, then run the command again.
type Block struct {
	Keys    [][]byte
	Timeout int64
	// Argv, when set, is kept to re-run instead of the arguments (XREAD
	// resolves "$" to the stream's last ID when it blocks).
	Argv [][]byte
}

// Ctx is one command invocation.
type Ctx struct {
	Args  [][]byte // argv, aliasing the query buffer: copy what you keep
	Store *store.Store
	DB    *store.DB
	Now   int64 // command time, unix ms
	Rand  *rand.Rand
	W     *resp.Writer
	// Dirty counts the changes made (server.dirty): a command with Dirty > 0
	// is propagated to replicas and counts toward save points.
	Dirty int
	// Prop, when set, replaces Args as what is propagated (Redis's
	// rewriteClientCommandVector / alsoPropagate): e.g. SET EX becomes
	// SET PXAT, SPOP becomes SREM. Each element is one command's argv.
	Prop [][][]byte
	// InMulti is set inside EXEC: blocking commands must not block.
	InMulti bool
	// Master is set when the command comes from this node's master (Redis's
	// mustObeyClient): options that keep a master's work bounded, such as
	// XADD's trimming LIMIT, do not apply to what it already did.
	Master bool
	// Retry is set when the node re-runs a blocked command because a key it
	// waits on is ready (the command's ReadyArgs form).
	Retry bool
	// Block is set by a blocking command that found nothing to serve.
	Block *Block
	// Script is set for a command a script runs: SORT then sorts a set even
	// BY a constant, so the script's result is the same on replicas.
	Script bool
	// KeysLimited is set when the client's ACL user may not read every
	// key: SORT then refuses BY and GET patterns, which read other keys.
	KeysLimited bool
}

// Touch signals that key was modified (signalModifiedKey).
func (c *Ctx) Touch(key []byte) { c.Store.Modified(c.DB.ID, key) }

// Notify records a keyspace notification of class for key in the current
// database (notifyKeyspaceEvent); nothing when the class is off.
func (c *Ctx) Notify(class int, event string, key []byte) {
	if c.Store.NotifyFlags&class != 0 {
		c.Store.Notify(class, event, c.DB.ID, key)
	}
}

// Propagate records argv as (one of) the commands to propagate instead of Args.
func (c *Ctx) Propagate(argv ...[]byte) { c.Prop = append(c.Prop, argv) }

// Error replies with an error; msg is Redis's text without the leading '-'.
func (c *Ctx) Error(msg string) { c.W.Error(msg) }

// SubcommandSyntaxError is addReplySubcommandSyntaxError's error for a
// subcommand called with arguments it does not take: the subcommand as C
// reads it (up to a NUL, at most 128 bytes), the command in upper case.
func SubcommandSyntaxError(args [][]byte) string {
	sub := cstr.UntilNUL(args[1])
	return "ERR unknown subcommand or wrong number of arguments for '" + string(sub[:min(len(sub), 128)]) + "'. Try " + strings.ToUpper(string(cstr.UntilNUL(args[0]))) + " HELP."
}

// WriteHelp is addReplyHelp: the help of the command name (upper case),
// its lines framed by Redis's header and HELP's own entry.
func WriteHelp(w *resp.Writer, name string, lines []string) {
	w.ArrayLen(len(lines) + 3)
	w.SimpleString(name + " <subcommand> [<arg> [value] [opt] ...]. Subcommands are:")
	for _, l := range lines {
		w.SimpleString(l)
	}
	w.SimpleString("HELP")
	w.SimpleString("    Prints this help.")
}

// subcommandSyntaxError is also the handler of the containers whose
// subcommands all have their own (OBJECT, XINFO): dispatch never runs it
// (they take a subcommand and an unknown one is refused), but every record
// has a handler.
func subcommandSyntaxError(c *Ctx) { c.Error(SubcommandSyntaxError(c.Args)) }

// replyHelp is addReplyHelp, the command named as the client called it.
func replyHelp(c *Ctx, lines []string) { WriteHelp(c.W, strings.ToUpper(string(c.Args[0])), lines) }

// helpCmd is a HELP subcommand's handler: lines, as replyHelp writes them.
func helpCmd(lines []string) func(*Ctx) { return func(c *Ctx) { replyHelp(c, lines) } }

// fixedHelp is a HELP subcommand's handler whose header names the command
// name, however the client called it (OBJECT HELP).
func fixedHelp(name string, lines []string) func(*Ctx) {
	return func(c *Ctx) { WriteHelp(c.W, name, lines) }
}

// lookupValue returns key's value as a T, exists false when the key is
// missing, and ok false (after replying WRONGTYPE) when it holds another
// type. write looks the key up for a change in place (copy-on-write under a
// snapshot).
func lookupValue[T store.Value](c *Ctx, key []byte, write bool) (v T, exists, ok bool) {
	got := c.lookup(key, write)
	if got == nil {
		return v, false, true
	}
	if v, ok = got.(T); !ok {
		c.Error(ErrWrongType)
	}
	return v, true, ok
}

// lookupAs is lookupValue with v nil for a missing key.
func lookupAs[T store.Value](c *Ctx, key []byte, write bool) (T, bool) {
	v, _, ok := lookupValue[T](c, key, write)
	return v, ok
}

// lookupOrCreate is key's T for writing, made empty by create and stored
// when the key is missing (hashTypeLookupWriteOrCreate, SADD's setTypeCreate:
// the caller always adds to it); ok false once it has replied WRONGTYPE.
func lookupOrCreate[T store.Value](c *Ctx, key []byte, create func() T) (T, bool) {
	v, exists, ok := lookupValue[T](c, key, true)
	if ok && !exists {
		v = create()
		c.DB.Set(key, v)
	}
	return v, ok
}

// lookupOrReply is Redis's lookupKeyReadOrReply (lookupKeyWriteOrReply
// when write): key's value as a T, or ok false once replied to: WRONGTYPE,
// or missing's reply when the key does not exist.
func lookupOrReply[T store.Value](c *Ctx, key []byte, write bool, missing func()) (T, bool) {
	v, exists, ok := lookupValue[T](c, key, write)
	if ok && !exists {
		missing()
		ok = false
	}
	return v, ok
}

// collection is a value of many elements: a hash, list, set or sorted set.
type collection interface {
	store.Value
	Len() int
}

// lenCmd is HLEN, LLEN, SCARD and ZCARD: how many elements key's T
// holds, 0 for a missing key.
func lenCmd[T collection](c *Ctx) {
	if v, ok := lookupOrReply[T](c, c.Args[1], false, c.replyZero); ok {
		c.W.Int(int64(v.Len()))
	}
}

func (c *Ctx) lookup(key []byte, write bool) store.Value {
	if write {
		return c.DB.GetForWrite(key)
	}
	return c.DB.Get(key)
}

// replyZero, replyEmptyArray and replyNoKey are the replies to a missing
// key of the commands that count (SCARD, LREM...), that list (LRANGE...)
// and that need the key (LSET, XSETID...).
func (c *Ctx) replyZero()       { c.W.Int(0) }
func (c *Ctx) replyEmptyArray() { c.W.ArrayLen(0) }
func (c *Ctx) replyNoKey()      { c.Error(ErrNoKey) }

// memberCmd is a question about one member of key's T (HGET, HEXISTS,
// SISMEMBER, ZSCORE): reply answers it, v nil when the key is missing.
func memberCmd[T store.Value](reply func(c *Ctx, v T, member []byte)) func(*Ctx) {
	return func(c *Ctx) {
		if v, ok := lookupAs[T](c, c.Args[1], false); ok {
			reply(c, v, c.Args[2])
		}
	}
}

// membersCmd is memberCmd's question for each of Args[2:] (HMGET,
// SMISMEMBER, ZMSCORE), the answers in an array.
func membersCmd[T store.Value](reply func(c *Ctx, v T, member []byte)) func(*Ctx) {
	return func(c *Ctx) {
		v, ok := lookupAs[T](c, c.Args[1], false)
		if !ok {
			return
		}
		c.W.ArrayLen(len(c.Args) - 2)
		for _, m := range c.Args[2:] {
			reply(c, v, m)
		}
	}
}

// removeCmd is HDEL, SREM and ZREM: it removes each of Args[2:] from
// key's T, deletes the key once the value is empty, and replies with how
// many were removed.
func removeCmd[T collection](remove func(T, []byte) bool, class int, event string) func(*Ctx) {
	return func(c *Ctx) {
		key := c.Args[1]
		v, ok := lookupOrReply[T](c, key, true, c.replyZero)
		if !ok {
			return
		}
		removed, emptied := 0, false
		for _, m := range c.Args[2:] {
			if remove(v, m) {
				removed++
				if v.Len() == 0 {
					c.DB.Delete(key)
					emptied = true
					break
				}
			}
		}
		if removed > 0 {
			c.Touch(key)
			c.Dirty += removed
			c.Notify(class, event, key)
			if emptied {
				c.Notify(store.NotifyGeneric, "del", key)
			}
		}
		c.W.Int(int64(removed))
	}
}

// Common replies, worded exactly as Redis 7.0 words them.
const (
	ErrWrongType = "WRONGTYPE Operation against a key holding the wrong kind of value"
	ErrSyntax    = "ERR syntax error"
	ErrNotInt    = "ERR value is not an integer or out of range"
	ErrNotFloat  = "ERR value is not a valid float"
	ErrNoKey     = "ERR no such key"
	ErrOverflow  = "ERR increment or decrement would overflow"
)

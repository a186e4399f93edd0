package command

import (
	"strings"

	"github.com/syncscope/syncscope/core/resp"
)

// ArgType is a command argument's type, as COMMAND DOCS names it.
type ArgType uint8

// Argument types (Redis's ARG_TYPE_*), in its order.
const (
	ArgString ArgType = iota
	ArgInteger
	ArgDouble
	ArgKey
	ArgPattern
	ArgUnixTime
	ArgPureToken
	ArgOneOf // one of Args
	ArgBlock // all of Args, in order
)

// String is the type's name in COMMAND DOCS ("pure-token").
func (t ArgType) String() string {
	switch t {
	case ArgString:
		return "string"
	case ArgInteger:
		return "integer"
	case ArgDouble:
		return "double"
	case ArgKey:
		return "key"
	case ArgPattern:
		return "pattern"
	case ArgUnixTime:
		return "unix-time"
	case ArgPureToken:
		return "pure-token"
	case ArgOneOf:
		return "oneof"
	}
	return "block"
}

// ArgFlag is a command argument's flag (Redis's CMD_ARG_*).
type ArgFlag uint8

// Argument flags, in COMMAND DOCS' order.
const (
	ArgOptional ArgFlag = 1 << iota
	ArgMultiple
	ArgMultipleToken
	// ArgEmptyToken marks a token that is the empty string (MIGRATE's ""
	// key), which Token cannot tell from none; COMMAND DOCS does not
	// show it as a flag.
	ArgEmptyToken ArgFlag = 1 << 7
)

// DocFlag is a command's documentation flag (CMD_DOC_*).
type DocFlag uint8

// Documentation flags, in COMMAND DOCS' order.
const (
	DocDeprecated DocFlag = 1 << iota
	DocSyscmd
)

// Arg is one argument of a command as COMMAND DOCS describes it; a oneof
// or block argument holds its own arguments.
type Arg struct {
	Name         string
	Type         ArgType
	Flags        ArgFlag
	KeySpecIndex int8 // the key spec of a key argument; -1 when none
	Token        string
	Since        string
	Deprecated   string // the version that deprecated it, if any
	Args         []Arg
}

// Docs writes c's COMMAND DOCS entry as addReplyCommandDocs does: the
// served subcommands as a map, in c's order (Redis's is its hash table's).
func Docs(w *resp.Writer, c *Command) {
	m := startDocMap(w)
	m.key("summary")
	w.BulkString(c.Summary)
	m.str("since", c.Since)
	m.key("group")
	w.BulkString(c.Group)
	m.str("complexity", c.Complexity)
	if c.DocFlags != 0 {
		m.key("doc_flags")
		flagSet(w, uint(c.DocFlags), "deprecated", "syscmd")
	}
	m.str("deprecated_since", c.DeprecatedSince)
	m.str("replaced_by", c.ReplacedBy)
	if len(c.History) > 0 {
		m.key("history")
		w.SetLen(len(c.History))
		for _, h := range c.History {
			w.ArrayLen(2)
			w.BulkString(h[0])
			w.BulkString(h[1])
		}
	}
	if len(c.Arguments) > 0 {
		m.key("arguments")
		argDocs(w, c.Arguments)
	}
	if c.Container() {
		m.key("subcommands")
		w.MapLen(len(c.Subcommands))
		for _, s := range c.Subcommands {
			w.BulkString(s.Name)
			Docs(w, s)
		}
	}
	m.end()
}

// argDocs is addReplyCommandArgList.
func argDocs(w *resp.Writer, args []Arg) {
	w.ArrayLen(len(args))
	for i := range args {
		a := &args[i]
		m := startDocMap(w)
		m.key("name")
		w.BulkString(a.Name)
		m.key("type")
		w.BulkString(a.Type.String())
		if a.KeySpecIndex >= 0 {
			m.key("key_spec_index")
			w.Int(int64(a.KeySpecIndex))
		}
		if a.Token != "" || a.Flags&ArgEmptyToken != 0 {
			m.key("token")
			w.BulkString(a.Token)
		}
		m.str("since", a.Since)
		m.str("deprecated_since", a.Deprecated)
		if flags := a.Flags &^ ArgEmptyToken; flags != 0 {
			m.key("flags")
			flagSet(w, uint(flags), "optional", "multiple", "multiple_token")
		}
		if a.Type == ArgOneOf || a.Type == ArgBlock {
			m.key("arguments")
			argDocs(w, a.Args)
		}
		m.end()
	}
}

// docMap writes a COMMAND DOCS map whose fields depend on what a command or
// argument has: it counts them and writes the map's length last, in front.
type docMap struct {
	w  *resp.Writer
	at int
	n  int
}

func startDocMap(w *resp.Writer) docMap { return docMap{w: w, at: w.Deferred()} }

// key writes a field's name; its value follows.
func (m *docMap) key(name string) {
	m.w.BulkString(name)
	m.n++
}

// str writes the field name with a string value, or nothing when value is
// empty (Redis leaves an unset field out).
func (m *docMap) str(name, value string) {
	if value != "" {
		m.key(name)
		m.w.BulkString(value)
	}
}

func (m *docMap) end() { m.w.InsertMapLen(m.at, m.n) }

// flagSet is addReplyCommandFlags: the names of flags' bits, as a set of
// status replies.
func flagSet(w *resp.Writer, flags uint, names ...string) {
	n := 0
	for i := range names {
		if flags&(1<<i) != 0 {
			n++
		}
	}
	w.SetLen(n)
	for i, name := range names {
		if flags&(1<<i) != 0 {
			w.SimpleString(name)
		}
	}
}

// HelpArgs are c's arguments as redis-cli's help writes them
// (cliConcatArguments): "key [key ...]", "[EX seconds|PX milliseconds]".
func (c *Command) HelpArgs() string {
	var b strings.Builder
	helpArgs(&b, c.Arguments, " ")
	return b.String()
}

func helpArgs(b *strings.Builder, args []Arg, sep string) {
	for i := range args {
		if i > 0 {
			b.WriteString(sep)
		}
		helpArg(b, &args[i])
	}
}

// helpArg is cliAddArgument: one argument, with its token, brackets and
// repetition.
func helpArg(b *strings.Builder, a *Arg) {
	orEmpty := func(s string) string {
		if s == "" {
			return `""`
		}
		return s
	}
	var repeat strings.Builder
	switch a.Type {
	case ArgOneOf:
		helpArgs(&repeat, a.Args, "|")
	case ArgBlock:
		helpArgs(&repeat, a.Args, " ")
	case ArgPureToken:
	default:
		repeat.WriteString(orEmpty(a.Name))
	}
	token := a.Token
	if a.Flags&ArgEmptyToken != 0 {
		token = `""`
	}
	if token != "" && a.Type != ArgPureToken {
		token += " "
	}
	if a.Flags&ArgOptional != 0 {
		b.WriteString("[")
	}
	b.WriteString(token + repeat.String())
	if a.Flags&ArgMultiple != 0 {
		b.WriteString(" [")
		if a.Flags&ArgMultipleToken != 0 {
			b.WriteString(token)
		}
		b.WriteString(repeat.String() + " ...]")
	}
	if a.Flags&ArgOptional != 0 {
		b.WriteString("]")
	}
}

package playground

import (
	"sort"
	"strconv"
	"strings"

	"github.com/syncscope/syncscope/core/command"
	"github.com/syncscope/syncscope/core/resp"
	"github.com/syncscope/syncscope/core/sim"
)

// What redis-cli 7.0.15 does itself in interactive mode (repl() and
// issueCommandRepeat in redis-cli.c), so the page's terminals behave the
// same: help from the command docs, clear, quit, and the replies it prints
// raw.

// Local is what the terminal does with a line before (or instead of)
// sending it: Op "send" sends it; "print" shows Text (help, a refused
// line) without sending; "clear" clears the screen; "quit" ends redis-cli;
// "" does nothing (an empty line).
type Local struct {
	Op   string `json:"op"`
	Text string `json:"text,omitempty"`
}

// Interpret reads line as redis-cli's prompt does and says what it does
// locally.
func Interpret(text string) Local {
	words, ok := resp.SplitArgs([]byte(text), nil)
	if !ok {
		return Local{Op: "print", Text: "Invalid argument(s)"}
	}
	if len(words) == 0 {
		return Local{}
	}
	// redis-cli looks at the first word before it takes a repeat count
	// off: "3 quit" sends QUIT three times.
	first := string(words[0])
	switch {
	case strings.EqualFold(first, "quit"), strings.EqualFold(first, "exit"):
		return Local{Op: "quit"}
	case first != "" && first[0] == ':':
		return preference(words)
	case strings.EqualFold(first, "restart"):
		return Local{Op: "print", Text: "Use 'restart' only in Lua debugging mode."}
	case len(words) == 1 && strings.EqualFold(first, "clear"):
		return Local{Op: "clear"}
	}
	line := ParseLine(text)
	if line.Err != "" {
		return Local{Op: "print", Text: line.Err}
	}
	if cmd := string(line.Args[0]); strings.EqualFold(cmd, "help") || cmd == "?" {
		args := make([]string, len(line.Args)-1)
		for i, a := range line.Args[1:] {
			args[i] = string(a)
		}
		return Local{Op: "print", Text: Help(args)}
	}
	return Local{Op: "send"}
}

// preference is cliSetPreferences: ":set hints" and ":set nohints" are
// taken silently (the page shows no hints either way).
func preference(words [][]byte) Local {
	if !strings.EqualFold(string(words[0]), ":set") || len(words) < 2 {
		return Local{Op: "print", Text: "unknown redis-cli internal command '" + string(words[0]) + "'"}
	}
	switch name := string(words[1]); {
	case strings.EqualFold(name, "hints"), strings.EqualFold(name, "nohints"):
		return Local{}
	default:
		return Local{Op: "print", Text: "unknown redis-cli preference '" + name + "'"}
	}
}

// rawReply reports whether redis-cli prints the reply to args raw on a
// terminal (cliSendCommand's list in 7.0.15).
func rawReply(args []string) bool {
	if len(args) == 0 {
		return false
	}
	is := strings.EqualFold
	cmd, argc := args[0], len(args)
	sub := ""
	if argc >= 2 {
		sub = args[1]
	}
	switch {
	case is(cmd, "info"), is(cmd, "lolwut"):
		return true
	case argc >= 2 && is(cmd, "debug"):
		return is(sub, "htstats") || is(sub, "htstats-key") || is(sub, "client-eviction")
	case argc >= 2 && is(cmd, "memory"):
		return is(sub, "malloc-stats") || is(sub, "doctor")
	case argc == 2 && is(cmd, "cluster"):
		return is(sub, "nodes") || is(sub, "info")
	case argc >= 2 && is(cmd, "client"):
		return is(sub, "list") || is(sub, "info")
	case argc == 3 && is(cmd, "latency"):
		return is(sub, "graph")
	case argc == 2 && is(cmd, "latency"):
		return is(sub, "doctor")
	case argc >= 2 && is(cmd, "proxy"):
		return is(sub, "info")
	}
	return false
}

// formatReply is what redis-cli prints for the reply v to args, as the
// page shows it: raw or formatted as redis-cli chooses, with the CRLF line
// ends of raw replies (INFO's) as plain newlines and without the newline
// that ends the output.
func formatReply(args []string, v resp.Value) string {
	if !rawReply(args) {
		return resp.FormatCLI(v)
	}
	out := strings.ReplaceAll(resp.FormatCLIRaw(v), "\r\n", "\n")
	return strings.TrimSuffix(out, "\n")
}

// helpEntry is one command or subcommand as redis-cli's help shows it,
// built from COMMAND DOCS as redis-cli 7.0.15's cliInitHelp builds it.
type helpEntry struct {
	name    string // "SET", "CONFIG GET"
	params  string // the arguments, as cliConcatArguments writes them
	summary string
	since   string
	group   string
}

// helpTable is redis-cli 7.0.15's help for the commands a node serves and
// all their subcommands, sorted by name: the command table's COMMAND DOCS
// fields (command.Command), as cliInitHelp builds its entries.
var helpTable = func() []helpEntry {
	served := map[string]bool{}
	for _, c := range command.All() {
		served[c.Name] = true
	}
	var entries []helpEntry
	command.EachRedisCommand(func(c *command.Command) {
		top, sub, _ := strings.Cut(c.Name, "|")
		if !served[top] {
			return
		}
		name := strings.ToUpper(top)
		if sub != "" {
			name += " " + strings.ToUpper(sub)
		}
		entries = append(entries, helpEntry{name: name, params: c.HelpArgs(), summary: c.Summary, since: c.Since, group: c.Group})
	})
	sort.Slice(entries, func(i, j int) bool { return entries[i].name < entries[j].name })
	return entries
}()

// Help is what redis-cli prints for "help args...": the generic help
// without arguments, the commands of a group for "@group", else every
// command whose words start with args (so "help config" lists CONFIG and
// its subcommands).
func Help(args []string) string {
	if len(args) == 0 {
		return "redis-cli 7.0.15\n" +
			"To get help about Redis commands type:\n" +
			"      \"help @<group>\" to get a list of commands in <group>\n" +
			"      \"help <command>\" for help on <command>\n" +
			"      \"help <tab>\" to get a list of possible help topics\n" +
			"      \"quit\" to exit\n" +
			"\n" +
			"To set redis-cli preferences:\n" +
			"      \":set hints\" enable online hints\n" +
			"      \":set nohints\" disable online hints\n" +
			"Set your preferences in ~/.redisclirc"
	}
	var b strings.Builder
	group, byGroup := strings.CutPrefix(args[0], "@")
	for _, e := range helpTable {
		if byGroup {
			if strings.EqualFold(group, e.group) {
				writeHelp(&b, e, false)
			}
			continue
		}
		words := strings.Split(e.name, " ")
		if len(args) > len(words) {
			continue
		}
		match := true
		for i, a := range args {
			if !strings.EqualFold(a, words[i]) {
				match = false
				break
			}
		}
		if match {
			writeHelp(&b, e, true)
		}
	}
	// cliOutputHelp ends with "\r\n" whatever matched: one blank line.
	b.WriteString("\n")
	return strings.TrimSuffix(b.String(), "\n")
}

// writeHelp is cliOutputCommandHelp, with its ANSI colours (bold name,
// grey arguments, yellow labels), which the page's terminal renders.
func writeHelp(b *strings.Builder, e helpEntry, withGroup bool) {
	b.WriteString("\n  \x1b[1m" + e.name + "\x1b[0m \x1b[90m" + e.params + "\x1b[0m\n")
	b.WriteString("  \x1b[33msummary:\x1b[0m " + e.summary + "\n")
	if e.since != "" {
		b.WriteString("  \x1b[33msince:\x1b[0m " + e.since + "\n")
	}
	if withGroup {
		b.WriteString("  \x1b[33mgroup:\x1b[0m " + e.group + "\n")
	}
}

// helpTopics are the names Tab completes, sorted as redis-cli sorts its
// help entries (strcmp of the full name): the commands and subcommands,
// and the groups as "@group".
var helpTopics = func() []struct {
	full  string
	group bool
} {
	var topics []struct {
		full  string
		group bool
	}
	seen := map[string]bool{}
	for _, e := range helpTable {
		topics = append(topics, struct {
			full  string
			group bool
		}{e.name, false})
		if !seen[e.group] {
			seen[e.group] = true
			topics = append(topics, struct {
				full  string
				group bool
			}{"@" + e.group, true})
		}
	}
	sort.Slice(topics, func(i, j int) bool { return topics[i].full < topics[j].full })
	return topics
}()

// Complete is redis-cli's completionCallback: the lines Tab cycles through
// for what is typed so far. After "help " it completes commands and
// groups; otherwise command names (with their subcommands: "config g"
// completes to "CONFIG GET"). The completion keeps what was typed before
// the word and puts the name as redis-cli does, in capitals.
func Complete(buf string) []string {
	start, groups := 0, false
	if len(buf) >= 5 && strings.EqualFold(buf[:5], "help ") {
		start = 5
		for start < len(buf) && isSpace(buf[start]) {
			start++
		}
		groups = true
	}
	prefix := buf[start:]
	out := []string{}
	for _, t := range helpTopics {
		if t.group && !groups {
			continue
		}
		if len(prefix) <= len(t.full) && strings.EqualFold(prefix, t.full[:len(prefix)]) {
			out = append(out, buf[:start]+t.full)
		}
	}
	return out
}

// isSpace is C's isspace in the C locale.
func isSpace(c byte) bool { return c == ' ' || (c >= '\t' && c <= '\r') }

// cliSession is what redis-cli remembers of its connection for its prompt
// (cliRefreshPrompt): the database SELECTed and an open MULTI.
type cliSession struct {
	db, preMultiDB int
	multi          bool
}

func (r *run) session(port int) *cliSession {
	if r.cli == nil {
		r.cli = map[int]*cliSession{}
	}
	s := r.cli[port]
	if s == nil {
		s = &cliSession{}
		r.cli[port] = s
	}
	return s
}

// after updates the session for a call, as cliSendCommand does after each
// reply. A lost connection starts afresh: the page's client reconnects to
// database 0 (redis-cli would SELECT its database again), and the prompt
// says where commands go.
func (s *cliSession) after(c *sim.Call) {
	if c.Reply() == nil {
		*s = cliSession{}
		return
	}
	v, _, err := resp.ReadValue(c.Reply())
	if err != nil || len(c.Args) == 0 {
		return
	}
	isErr := v.Kind == resp.Error
	isNil := v.Kind == resp.Null || v.Null
	cmd, argc := c.Args[0], len(c.Args)
	switch {
	case strings.EqualFold(cmd, "select") && argc == 2 && !isErr:
		s.db = atoi(c.Args[1])
	case strings.EqualFold(cmd, "multi") && argc == 1 && !isErr:
		s.multi, s.preMultiDB = true, s.db
	case strings.EqualFold(cmd, "exec") && argc == 1 && s.multi:
		s.multi = false
		if isErr || isNil {
			s.db = s.preMultiDB
		}
	case strings.EqualFold(cmd, "discard") && argc == 1 && !isErr:
		s.multi, s.db = false, s.preMultiDB
	case strings.EqualFold(cmd, "reset") && argc == 1 && !isErr:
		*s = cliSession{}
	}
}

func (s *cliSession) prompt(port int) string {
	p := "127.0.0.1:" + strconv.Itoa(port)
	if s.db != 0 {
		p += "[" + strconv.Itoa(s.db) + "]"
	}
	if s.multi {
		p += "(TX)"
	}
	return p + "> "
}

// atoi is C's atoi: leading spaces, a sign, digits, and 0 for the rest.
func atoi(s string) int {
	s = strings.TrimLeft(s, " \t\n\v\f\r")
	neg := false
	if s != "" && (s[0] == '-' || s[0] == '+') {
		neg, s = s[0] == '-', s[1:]
	}
	n := 0
	for i := 0; i < len(s) && s[i] >= '0' && s[i] <= '9' && n < 1<<31; i++ {
		n = n*10 + int(s[i]-'0')
	}
	if neg {
		return -n
	}
	return n
}

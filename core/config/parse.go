package config

import (
	"strconv"
	"strings"

	"github.com/syncscope/syncscope/core/cstr"
)

// Warning is a note about an accepted directive, e.g. one syncscope parses
// but does not act on.
type Warning struct {
	File      string // "" for the main text, else the included file's name
	Line      int
	Directive string
	Text      string
}

// Error is a configuration error, reported the way redis-server reports it.
type Error struct {
	Line   int    // 1-based line of the text being read; 0 = not about one line
	Text   string // that line, trimmed as Redis prints it
	Reason string // Redis's message, e.g. "Bad directive or wrong number of arguments"
	// Open is set when a file could not be read: redis-server then logs
	// "Fatal error, can't open config file '<name>': <reason>" as a warning
	// log line instead of printing the FATAL CONFIG FILE ERROR report.
	Open bool
	File string // the file that could not be opened
	Err  error  // the ReadFile error behind Open
}

// Error renders the report exactly as redis-server writes it to stderr (or,
// for Open, the text of its log line).
func (e *Error) Error() string {
	if e.Open {
		return "Fatal error, can't open config file '" + e.File + "': " + e.Reason
	}
	var b strings.Builder
	b.WriteString("\n*** FATAL CONFIG FILE ERROR (Redis " + Version + ") ***\n")
	if e.Line > 0 {
		b.WriteString("Reading the configuration file, at line " + strconv.Itoa(e.Line) + "\n")
		b.WriteString(">>> '" + e.Text + "'\n")
	}
	b.WriteString(e.Reason + "\n")
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

// Parse reads config text the way redis-server reads its config file,
// starting from Default(). include reads files through readFile.
func Parse(text string, readFile func(string) ([]byte, error)) (*Config, []Warning, error) {
	return ParseEnv(text, Env{ReadFile: readFile})
}

// ParseEnv is Parse with the whole Env.
func ParseEnv(text string, env Env) (*Config, []Warning, error) {
	c := Default()
	c.env = env
	l := loader{c: c, st: loadState{file: true}}
	if err := l.text(text, ""); err != nil {
		return nil, l.warnings, err
	}
	return c, l.warnings, nil
}

// Load builds a Config from redis-server's arguments (os.Args[1:]) as
// 7.0.15's main() does: an optional config file first ("-" as first or last
// argument reads standard input through readFile("-")), then "--name value
// ..." options appended as config lines. Redis reports the config file by
// its absolute path, so pass it that way to get the same messages.
// --help, --version and --test-memory are left to the caller.
func Load(args []string, readFile func(name string) ([]byte, error)) (*Config, []Warning, error) {
	return LoadEnv(args, Env{ReadFile: readFile})
}

// LoadEnv is Load with the whole Env.
func LoadEnv(args []string, env Env) (*Config, []Warning, error) {
	if len(args) == 0 {
		c := Default()
		c.env = env
		return c, nil, nil
	}
	file, stdin, options := splitCommandLine(args)
	var text strings.Builder
	if file != "" {
		b, err := readConfigFile(env, file)
		if err != nil {
			return nil, nil, err
		}
		text.Write(b)
	}
	if stdin {
		b, err := readConfigFile(env, "-")
		if err != nil {
			return nil, nil, err
		}
		text.Write(b)
	}
	text.WriteString("\n")
	text.WriteString(options)
	return ParseEnv(text.String(), env)
}

// splitCommandLine turns arguments into the config file name, the stdin
// flag and the options text, following server.c main().
func splitCommandLine(args []string) (file string, stdin bool, options string) {
	j := 0
	if !strings.HasPrefix(args[0], "-") {
		file, j = args[0], 1
	}
	var b strings.Builder
	handledLast := true // the previous option already has a value
	for ; j < len(args); j++ {
		a := args[j]
		switch {
		case a == "-" && (j == 0 || j == len(args)-1):
			stdin = true
		case handledLast && strings.HasPrefix(a, "--"):
			if b.Len() > 0 {
				b.WriteString("\n")
			}
			b.WriteString(a[2:])
			b.WriteString(" ")
			words, ok := cstr.SplitArgsStrings(a)
			if !ok || len(words) != 1 {
				handledLast = true // "--port 6380" in one argument
				continue
			}
			// A bare option name: its values follow, except for an empty
			// --save (and --sentinel) before another option or at the end.
			handledLast = false
			next := j+1 < len(args) && strings.HasPrefix(args[j+1], "--")
			last := j == len(args)-1
			switch {
			case strings.EqualFold(a, "--save") && next:
				b.WriteString(`""`)
				handledLast = true
			case strings.EqualFold(a, "--save") && last:
				b.WriteString(`""`)
			case strings.EqualFold(a, "--sentinel") && next:
				handledLast = true
			}
		default:
			b.WriteString(cstr.Repr(a))
			b.WriteString(" ")
			handledLast = true
		}
	}
	return file, stdin, b.String()
}

func readConfigFile(env Env, name string) ([]byte, error) {
	if env.ReadFile == nil {
		return nil, &Error{Open: true, File: name, Reason: "No such file or directory"}
	}
	b, err := env.ReadFile(name)
	if err != nil {
		return nil, &Error{Open: true, File: name, Reason: err.Error(), Err: err}
	}
	return b, nil
}

type loader struct {
	c        *Config
	st       loadState
	warnings []Warning
	depth    int
}

// text is loadServerConfigFromString: it applies each line in order and
// stops at the first error. file names the included file ("" = main text).
func (l *loader) text(text, file string) error {
	text = cstr.UntilNUL(text) // Redis reads the config as a C string
	c := l.c
	lines := strings.Split(text, "\n")
	for i, raw := range lines {
		line := trimLine(raw)
		if line == "" || line[0] == '#' {
			continue
		}
		fail := func(reason string) error { return &Error{Line: i + 1, Text: line, Reason: reason} }
		args, ok := cstr.SplitArgsStrings(line)
		if !ok {
			return fail("Unbalanced quotes in configuration line")
		}
		if len(args) == 0 {
			continue
		}
		name := strings.ToLower(args[0])
		if p := lookup(name); p != nil {
			if p.flags&multiArg == 0 && len(args) != 2 {
				return fail("wrong number of arguments")
			}
			vals := args[1:]
			if p.flags&multiArg != 0 && len(args) == 2 && args[1] != "" {
				// "--save '900 1'" arrives as one argument: split it.
				vals, _ = cstr.SplitArgsStrings(args[1])
			}
			if msg := p.setArgs(c, vals, &l.st); msg != "" {
				return fail(msg)
			}
			l.warnUnimplemented(p, file, i+1, name)
			continue
		}
		if len(args) == 2 && isDeprecated(name) {
			continue
		}
		var err error
		switch {
		case name == "include" && len(args) == 2:
			err = l.include(args[1])
		case name == "rename-command" && len(args) == 3:
			err = l.renameCommand(args[1], args[2], fail)
		case name == "user" && len(args) >= 2:
			for _, u := range c.Users {
				if u[0] == args[1] {
					return fail("Error in user declaration '" + args[1] + "': Duplicate user found. A user can only be defined once in config files")
				}
			}
			if msg, named := checkUser(args); msg != "" {
				return fail("Error in user declaration '" + named + "': " + msg)
			}
			c.Users = append(c.Users, args[1:])
		case name == "loadmodule" && len(args) >= 2:
			c.LoadModules = append(c.LoadModules, args[1:])
			l.warn(file, i+1, name, "modules are not supported by syncscope")
		case strings.Contains(name, "."):
			if len(args) != 2 {
				return fail("Module config specified without value")
			}
			c.ModuleConfigs[name] = args[1]
			l.warn(file, i+1, name, "module configs are not supported by syncscope")
		case name == "sentinel":
			if len(args) != 1 {
				return fail("sentinel directive while not in sentinel mode")
			}
			l.warn(file, i+1, name, "sentinel mode is not supported by syncscope")
		default:
			return fail("Bad directive or wrong number of arguments")
		}
		if err != nil {
			return err
		}
	}
	if c.ReplicaOf != nil && *c.extra["cluster-enabled"].(*bool) {
		return &Error{Reason: "replicaof directive not allowed in cluster mode"}
	}
	c.clampHz()
	return nil
}

func isDeprecated(name string) bool {
	for _, d := range deprecated {
		if d == name {
			return true
		}
	}
	return false
}

// include reads another file, or every file a wildcard pattern matches
// (concatenated, as Redis does), and applies it.
func (l *loader) include(name string) error {
	if l.depth >= 100 {
		// Redis would recurse until it crashes; stop with a readable error.
		return &Error{Open: true, File: name, Reason: "Too many levels of included files"}
	}
	var text []byte
	if strings.ContainsAny(name, "*?[") {
		var matches []string
		if l.c.env.Glob != nil {
			var err error
			if matches, err = l.c.env.Glob(name); err != nil {
				matches = nil // a failed glob is "no match": the include is skipped
			}
		}
		for _, m := range matches {
			b, err := readConfigFile(l.c.env, m)
			if err != nil {
				return err
			}
			text = append(text, b...)
		}
		if matches == nil {
			return nil
		}
	} else {
		b, err := readConfigFile(l.c.env, name)
		if err != nil {
			return err
		}
		text = b
	}
	l.depth++
	defer func() { l.depth-- }()
	return l.text(string(text), name)
}

// renameCommand applies rename-command old new ("" = remove the command)
// to the command table as it stands after the earlier renames.
// RenameCommands keeps original name -> current name.
func (l *loader) renameCommand(old, new string, fail func(string) error) error {
	c := l.c
	// current finds the original command now called name.
	current := func(name string) (string, bool) {
		for from, to := range c.RenameCommands {
			if to != "" && strings.EqualFold(to, name) {
				return from, true
			}
		}
		name = strings.ToLower(name)
		if _, renamed := c.RenameCommands[name]; renamed {
			return "", false
		}
		return name, c.env.CommandExists == nil || c.env.CommandExists(name)
	}
	origin, ok := current(old)
	if !ok {
		return fail("No such command in rename-command")
	}
	delete(c.RenameCommands, origin) // removed first, as Redis does
	c.RenameCommands[origin] = ""
	// Without a command table only earlier renames can collide.
	if owner, taken := current(new); new != "" && taken && (c.env.CommandExists != nil || owner != strings.ToLower(new)) {
		return fail("Target command name already exists")
	}
	c.RenameCommands[origin] = new
	return nil
}

func (l *loader) warn(file string, line int, directive, text string) {
	l.warnings = append(l.warnings, Warning{File: file, Line: line, Directive: directive, Text: text})
}

// warnUnimplemented notes a directive syncscope ignores, when the line sets
// it to something other than its default.
func (l *loader) warnUnimplemented(p *param, file string, line int, name string) {
	if p.acted() || p.getValue(l.c) == p.def {
		return
	}
	l.warn(file, line, name, "accepted but not implemented by syncscope (value kept for CONFIG GET/REWRITE)")
}

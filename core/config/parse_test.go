package config

import (
	"errors"
	"io/fs"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fatal builds redis-server's report for an error at a line.
func fatal(line, text, reason string) string {
	return "\n*** FATAL CONFIG FILE ERROR (Redis 7.0.15) ***\nReading the configuration file, at line " + line + "\n>>> '" + text + "'\n" + reason + "\n"
}

// badConfigs are config files redis-server 7.0.15 refuses, with its stderr
// report (recorded by hand, and re-checked by TestRealServerReports).
var badConfigs = []struct{ name, text, want string }{
	{"bad directive", "port 7301\nfoo bar\n", fatal("2", "foo bar", "Bad directive or wrong number of arguments")},
	{"bool", "daemonize maybe\n", fatal("1", "daemonize maybe", "argument must be 'yes' or 'no'")},
	{"port range", "port 70000\n", fatal("1", "port 70000", "argument must be between 0 and 65535 inclusive")},
	{"no value", "port\n", fatal("1", "port", "wrong number of arguments")},
	{"two values", "port 1 2\n", fatal("1", "port 1 2", "wrong number of arguments")},
	{"too many binds", "bind 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17\n", fatal("1", "bind 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17", "Too many bind addresses specified.")},
	{"save", "save 1 2 3\n", fatal("1", "save 1 2 3", "Invalid save parameters")},
	{"enum, trimmed line", "  # c\n\n  loglevel  loud  \n", fatal("3", "loglevel  loud", "argument(s) must be one of the following: debug, verbose, notice, warning")},
	{"unbalanced quotes", "requirepass \"abc\n", fatal("1", "requirepass \"abc", "Unbalanced quotes in configuration line")},
	{"single quote", "port 'abc\n", fatal("1", "port 'abc", "Unbalanced quotes in configuration line")},
	{"text after quote", "port \"70\"x\n", fatal("1", "port \"70\"x", "Unbalanced quotes in configuration line")},
	{"master port", "slaveof 127.0.0.1 x\n", fatal("1", "slaveof 127.0.0.1 x", "Invalid master port")},
	{"replicaof one arg", "slaveof 127.0.0.1\n", fatal("1", "slaveof 127.0.0.1", "wrong number of arguments")},
	{"sentinel", "sentinel monitor a b\n", fatal("1", "sentinel monitor a b", "sentinel directive while not in sentinel mode")},
	{"module config", "foo.bar\n", fatal("1", "foo.bar", "Module config specified without value")},
	{"cluster replica", "cluster-enabled yes\nreplicaof 1.2.3.4 5\n", "\n*** FATAL CONFIG FILE ERROR (Redis 7.0.15) ***\nreplicaof directive not allowed in cluster mode\n"},
	{"memory", "maxmemory 1x\n", fatal("1", "maxmemory 1x", "argument must be a memory value")},
	{"deprecated arity", "list-max-ziplist-entries 5\nlist-max-ziplist-value 5\nlua-replicate-commands yes\nlist-max-ziplist-entries 1 2\n", fatal("4", "list-max-ziplist-entries 1 2", "Bad directive or wrong number of arguments")},
	{"obuf", "client-output-buffer-limit normal 1 2\n", fatal("1", "client-output-buffer-limit normal 1 2", "Wrong number of arguments in buffer limit configuration.")},
	{"oom values", "oom-score-adj-values 0 200 9999\n", fatal("1", "oom-score-adj-values 0 200 9999", "Invalid oom-score-adj-values, elements must be between -2000 and 2000.")},
	{"shutdown flags", "shutdown-on-sigint save nosave\n", fatal("1", "shutdown-on-sigint save nosave", "shutdown options SAVE and NOSAVE can't be used simultaneously")},
	{"notify", "notify-keyspace-events Q\n", fatal("1", "notify-keyspace-events Q", "Invalid event class character. Use 'Ag$lshzxeKEtmdn'.")},
	{"percentiles", "latency-tracking-info-percentiles 101\n", fatal("1", "latency-tracking-info-percentiles 101", "latency-tracking-info-percentiles parameters should sit between [0.0,100.0]")},
	{"dbfilename", "dbfilename a/b\n", fatal("1", "dbfilename a/b", "dbfilename can't be a path, just a filename")},
	{"upper-case name", "PORT abc\n", fatal("1", "PORT abc", "argument couldn't be parsed into an integer")},
	{"socket mark", "socket-mark-id -1\n", fatal("1", "socket-mark-id -1", "argument must be between 0 and 4294967295 inclusive")},
	{"octal", "unixsocketperm 800\n", fatal("1", "unixsocketperm 800", "argument couldn't be parsed as an octal number")},
	{"octal range", "unixsocketperm 1000\n", fatal("1", "unixsocketperm 1000", "argument must be between 0 and 777 inclusive")},
	{"user rule", "user bob on badrule\n", fatal("1", "user bob on badrule", "Error in user declaration 'bob': Syntax error")},
	{"user rule first", "user bob badrule on\n", fatal("1", "user bob badrule on", "Error in user declaration 'user': Syntax error")},
	{"user hash", "user bob on #abc\n", fatal("1", "user bob on #abc", "Error in user declaration 'bob': The password hash must be exactly 64 characters and contain only lowercase hexadecimal characters")},
	{"user key flags", "user bob %RW~x %~x\n", fatal("1", "user bob %RW~x %~x", "Error in user declaration 'bob': Syntax error")},
	{"user allkeys", "user bob resetkeys ~a allkeys ~b\n", fatal("1", "user bob resetkeys ~a allkeys ~b", "Error in user declaration '~a': "+aclAfterAllKey)},
	{"user allchannels", "user bob allchannels &x\n", fatal("1", "user bob allchannels &x", "Error in user declaration 'bob': "+aclAfterAllCh)},
	{"user remove pass", "user bob nopass <x\n", fatal("1", "user bob nopass <x", "Error in user declaration 'bob': "+aclNoSuchPass)},
	{"user selector", "user bob (~* ~x)\n", fatal("1", "user bob (~* ~x)", "Error in user declaration 'user': "+aclAfterAllKey)},
	{"user open selector", "user bob (~x +get\n", fatal("1", "user bob (~x +get", "Error in user declaration 'user': "+aclUnknown)},
	{"user twice", "user bob on\nuser bob off\n", fatal("2", "user bob off", "Error in user declaration 'bob': Duplicate user found. A user can only be defined once in config files")},
	{"activedefrag", "activedefrag yes\n", fatal("1", "activedefrag yes", "Active defragmentation cannot be enabled: it requires a Redis server compiled with a modified Jemalloc like the one shipped by default with the Redis source distribution")},
}

func TestParseErrors(t *testing.T) {
	for _, tt := range badConfigs {
		_, _, err := Parse(tt.text, nil)
		require.Error(t, err, tt.name)
		var cerr *Error
		require.ErrorAs(t, err, &cerr)
		assert.Equal(t, tt.want, err.Error(), tt.name)
	}
}

func files(m map[string]string) func(string) ([]byte, error) {
	return func(name string) ([]byte, error) {
		s, ok := m[name]
		if !ok {
			return nil, errString("No such file or directory")
		}
		return []byte(s), nil
	}
}

func TestParse(t *testing.T) {
	c, warns, err := Parse("# walkthrough step 0x001\nport 6378\nslaveof 127.0.0.1 6379\n", nil)
	require.NoError(t, err)
	assert.Empty(t, warns)
	assert.Equal(t, 6378, c.Port)
	assert.Equal(t, &HostPort{"127.0.0.1", 6379}, c.ReplicaOf)

	c, _, err = Parse("replicaof 127.0.0.1 6379\nreplicaof no one\n", nil)
	require.NoError(t, err)
	assert.Nil(t, c.ReplicaOf)

	c, _, err = Parse("save 900 1\nsave \"\"\nsave 60 5\nsave 10 2\n", nil)
	require.NoError(t, err)
	assert.Equal(t, []SavePoint{{60, 5}, {10, 2}}, c.Save, "first save line replaces the defaults, \"\" clears")

	_, _, err = Parse("bind \"\"\nrequirepass 'it''s'\n", nil)
	require.Error(t, err, "a closing quote must be followed by a blank")
	c, _, err = Parse("bind \"\"\nrequirepass \"a\\x41\\n\"\nhz 100000\n", nil)
	require.NoError(t, err)
	assert.Empty(t, c.Bind)
	assert.Equal(t, "aA\n", c.RequirePass)
	assert.Equal(t, 500, c.Hz)

	c, _, err = Parse("maxmemory 2GB\nmaxmemory-policy ALLKEYS-LRU\nhash-max-ziplist-entries 10\nrename-command flushall \"\"\nrename-command CONFIG myconfig\n", nil)
	require.NoError(t, err)
	assert.Equal(t, int64(2<<30), c.MaxMemory)
	assert.Equal(t, "allkeys-lru", c.MaxMemoryPolicy)
	assert.Equal(t, 10, c.HashMaxListpackEntries)
	assert.Equal(t, map[string]string{"flushall": "", "config": "myconfig"}, c.RenameCommands)
}

func TestParseWarnings(t *testing.T) {
	_, warns, err := Parse("port 1\nappendonly yes\nappendonly no\nuser bob on\n", nil)
	require.NoError(t, err)
	require.Len(t, warns, 1, "user lines are ACL users: no warning")
	assert.Equal(t, Warning{Line: 2, Directive: "appendonly", Text: warns[0].Text}, warns[0])
	assert.True(t, Implemented("slave-read-only"))
	assert.True(t, Implemented("replicaof"))
	assert.False(t, Implemented("appendonly"))

	// Kept in Config's extra values but acted on by the node.
	_, warns, err = Parse("enable-debug-command local\nshutdown-timeout 3\n", nil)
	require.NoError(t, err)
	assert.Empty(t, warns)
	assert.True(t, Implemented("enable-debug-command"))
}

func TestParseInclude(t *testing.T) {
	read := files(map[string]string{"a.conf": "port 1\ninclude b.conf\n", "b.conf": "timeout 5\n\nhz x\n"})
	_, _, err := Parse("include a.conf\n", read)
	assert.Equal(t, fatal("3", "hz x", "argument couldn't be parsed into an integer"), err.Error(), "lines count in the included file")

	c, _, err := Parse("include a.conf\nport 2\n", files(map[string]string{"a.conf": "port 1\n"}))
	require.NoError(t, err)
	assert.Equal(t, 2, c.Port)

	_, _, err = Parse("include /nonexist.conf\n", read)
	assert.Equal(t, "Fatal error, can't open config file '/nonexist.conf': No such file or directory", err.Error())
	var cerr *Error
	require.ErrorAs(t, err, &cerr)
	assert.True(t, cerr.Open)

	loop := files(map[string]string{"x": "include x\n"})
	_, _, err = Parse("include x", loop)
	require.Error(t, err)

	c, _, err = ParseEnv("include conf.d/*.conf\ninclude none/*.conf\n", Env{
		ReadFile: files(map[string]string{"conf.d/1.conf": "port 5\n", "conf.d/2.conf": "timeout 9"}),
		Glob: func(p string) ([]string, error) {
			if p == "conf.d/*.conf" {
				return []string{"conf.d/1.conf", "conf.d/2.conf"}, nil
			}
			return nil, nil
		},
	})
	require.NoError(t, err)
	assert.Equal(t, 5, c.Port)
	assert.Equal(t, 9, c.Timeout)
}

func TestRenameCommand(t *testing.T) {
	env := Env{CommandExists: func(n string) bool { return n == "get" || n == "set" || n == "config" }}
	for _, tt := range []struct{ text, err string }{
		{"rename-command NOSUCH x", "No such command in rename-command"},
		{"rename-command get set", "Target command name already exists"},
		{"rename-command get x\nrename-command set x", "Target command name already exists"},
		{"rename-command get x\nrename-command get y", "No such command in rename-command"},
	} {
		_, _, err := ParseEnv(tt.text, env)
		require.Error(t, err, tt.text)
		assert.Contains(t, err.Error(), "\n"+tt.err+"\n", tt.text)
	}
	c, _, err := ParseEnv("rename-command get x\nrename-command x y\nrename-command set SET\nrename-command config \"\"", env)
	require.NoError(t, err)
	assert.Equal(t, map[string]string{"get": "y", "set": "SET", "config": ""}, c.RenameCommands)
}

// TestLoad follows redis-server's main(): the recorded results come from
// running redis-server 7.0.15 with the same arguments.
func TestLoad(t *testing.T) {
	read := files(map[string]string{"/etc/r.conf": "port 7000\nsave 900 1\n", "-": "loglevel verbose\n"})
	tests := []struct {
		args []string
		get  [][2]string // CONFIG GET results, or
		err  string
	}{
		{[]string{"--port", "7306", "--save"}, [][2]string{{"save", ""}}, ""},
		{[]string{"--port", "7306", "--save", "--dir", "/tmp"}, [][2]string{{"save", ""}, {"dir", "/tmp"}}, ""},
		{[]string{"--port", "7306", "--save", ""}, [][2]string{{"save", ""}}, ""},
		{[]string{"--port", "7306", "--save", "900", "1", "--save", "60", "5"}, [][2]string{{"save", "900 1 60 5"}}, ""},
		{[]string{"--port", "7306", "--save", "900 1"}, [][2]string{{"save", "900 1"}}, ""},
		{[]string{"--save", "900", "1", "--port", "7306", "--save", ""}, [][2]string{{"save", ""}}, ""},
		{[]string{"--port", "7306", "--replicaof", "127.0.0.1 7300"}, [][2]string{{"replicaof", "127.0.0.1 7300"}}, ""},
		{[]string{"--port", "7306", "--replicaof", "127.0.0.1", "7300"}, [][2]string{{"replicaof", "127.0.0.1 7300"}}, ""},
		{[]string{"--port", "7306", "--slaveof", "no", "one"}, [][2]string{{"replicaof", ""}}, ""},
		{[]string{"--port", "7306", "--bind", "127.0.0.1 ::1"}, [][2]string{{"bind", "127.0.0.1 ::1"}}, ""},
		{[]string{"--port 7306"}, [][2]string{{"port", "7306"}}, ""},
		{[]string{"--port", "7306", "--requirepass", "a b\"c"}, [][2]string{{"requirepass", "a b\"c"}}, ""},
		{[]string{"/etc/r.conf", "--port", "7306"}, [][2]string{{"port", "7306"}, {"save", "900 1"}}, ""},
		{[]string{"/etc/r.conf", "-"}, [][2]string{{"port", "7000"}, {"loglevel", "verbose"}}, ""},
		{[]string{"-", "--port", "1"}, [][2]string{{"port", "1"}, {"loglevel", "verbose"}}, ""},
		{[]string{"--port", "7306", "--port"}, nil, fatal("3", "port", "wrong number of arguments")},
		{[]string{"--port", "7306", "--loglevel"}, nil, fatal("3", "loglevel", "wrong number of arguments")},
		{[]string{"--port", "7306", "foo"}, nil, fatal("2", `port "7306" "foo"`, "wrong number of arguments")},
		{[]string{"--port", "7306", "--loglevel", "verbose warning"}, nil, fatal("3", `loglevel "verbose warning"`, "argument(s) must be one of the following: debug, verbose, notice, warning")},
		{[]string{"/missing.conf"}, nil, "Fatal error, can't open config file '/missing.conf': No such file or directory"},
	}
	for _, tt := range tests {
		c, _, err := Load(tt.args, read)
		if tt.err != "" {
			require.Error(t, err, tt.args)
			assert.Equal(t, tt.err, err.Error(), tt.args)
			continue
		}
		require.NoError(t, err, tt.args)
		for _, kv := range tt.get {
			assert.Equal(t, [][2]string{kv}, c.Get(kv[0]), tt.args)
		}
	}
	c, _, err := Load(nil, nil)
	require.NoError(t, err)
	assert.Equal(t, Default().Get("*"), c.Get("*"))
}

// TestStockConfig parses Debian's /etc/redis/redis.conf for Redis 7.0.15.
func TestStockConfig(t *testing.T) {
	b, err := os.ReadFile("testdata/redis.conf")
	require.NoError(t, err)
	c, _, err := Parse(string(b), nil)
	require.NoError(t, err)
	assert.Equal(t, []string{"127.0.0.1", "-::1"}, c.Bind)
	assert.True(t, c.Daemonize)
	assert.Equal(t, "/var/lib/redis", c.Dir)
	assert.Equal(t, "/var/log/redis/redis-server.log", c.LogFile)
}

// TestStockConfigCommented uncomments the "# directive value" lines of the
// stock file: each must be accepted or refused as redis-server 7.0.15 did
// (testdata/redis-conf-examples.txt, recorded by running it on each line;
// a missing include file is not a FATAL CONFIG FILE ERROR there).
func TestStockConfigCommented(t *testing.T) {
	b, err := os.ReadFile("testdata/redis-conf-examples.txt")
	require.NoError(t, err)
	accepted := 0
	for _, l := range strings.Split(strings.TrimSuffix(string(b), "\n"), "\n") {
		if strings.HasPrefix(l, "#") {
			continue
		}
		verdict, text, _ := strings.Cut(l, "\t")
		_, _, err := Parse(text, files(nil))
		var cerr *Error
		fatal := errors.As(err, &cerr) && !cerr.Open
		assert.Equal(t, verdict == "reject", fatal, "%q: %v", text, err)
		if verdict == "accept" {
			accepted++
		}
	}
	assert.Greater(t, accepted, 100)
}

func TestErrorUnwrap(t *testing.T) {
	_, _, err := Load([]string{"x.conf"}, func(string) ([]byte, error) { return nil, fs.ErrNotExist })
	assert.True(t, errors.Is(err, fs.ErrNotExist))
}

// User lines redis-server 7.0.15 accepts.
func TestUserAccepted(t *testing.T) {
	for _, l := range []string{
		"user bob on +nosuchcmd", "user bob on >pw ~* +@all", "user bob on +@nosuchcat", "user bob",
		"user bob (~x +get)", "user bob ~x)", "user bob >a <a", "user default off", `user bob >"a b"`,
		"user bob %R", "user bob ON NOPASS", "user bob %RW~* ~x", "user bob %rw~x", "user bob %W",
		"user bob (~x ~*) ~y", "user bob reset ~x allkeys",
	} {
		_, _, err := Parse(l, nil)
		assert.NoError(t, err, l)
	}
}

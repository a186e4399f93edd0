package playground

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/syncscope/syncscope/core/resp"
)

// What redis-cli 7.0.15 printed, interactive on a pty (TERM=dumb), talking
// to redis-server 7.0.15; "\r\n" written as "\n", the final newline
// dropped.
var realHelp = map[string]string{
	"help set": "\n  \x1b[1mSET\x1b[0m \x1b[90mkey value [NX|XX] [GET] [EX seconds|PX milliseconds|EXAT unix-time-seconds|PXAT unix-time-milliseconds|KEEPTTL]\x1b[0m\n" +
		"  \x1b[33msummary:\x1b[0m Set the string value of a key\n" +
		"  \x1b[33msince:\x1b[0m 1.0.0\n" +
		"  \x1b[33mgroup:\x1b[0m string\n",
	"HELP GET": "\n  \x1b[1mGET\x1b[0m \x1b[90mkey\x1b[0m\n" +
		"  \x1b[33msummary:\x1b[0m Get the value of a key\n" +
		"  \x1b[33msince:\x1b[0m 1.0.0\n" +
		"  \x1b[33mgroup:\x1b[0m string\n",
	"? get": "\n  \x1b[1mGET\x1b[0m \x1b[90mkey\x1b[0m\n" +
		"  \x1b[33msummary:\x1b[0m Get the value of a key\n" +
		"  \x1b[33msince:\x1b[0m 1.0.0\n" +
		"  \x1b[33mgroup:\x1b[0m string\n",
	"help config get": "\n  \x1b[1mCONFIG GET\x1b[0m \x1b[90mparameter [parameter ...]\x1b[0m\n" +
		"  \x1b[33msummary:\x1b[0m Get the values of configuration parameters\n" +
		"  \x1b[33msince:\x1b[0m 2.0.0\n" +
		"  \x1b[33mgroup:\x1b[0m server\n",
	"help client no-evict": "\n  \x1b[1mCLIENT NO-EVICT\x1b[0m \x1b[90mON|OFF\x1b[0m\n" +
		"  \x1b[33msummary:\x1b[0m Set client eviction mode for the current connection\n" +
		"  \x1b[33msince:\x1b[0m 7.0.0\n" +
		"  \x1b[33mgroup:\x1b[0m connection\n",
	"help zzz": "",
	"help": "redis-cli 7.0.15\n" +
		"To get help about Redis commands type:\n" +
		"      \"help @<group>\" to get a list of commands in <group>\n" +
		"      \"help <command>\" for help on <command>\n" +
		"      \"help <tab>\" to get a list of possible help topics\n" +
		"      \"quit\" to exit\n" +
		"\n" +
		"To set redis-cli preferences:\n" +
		"      \":set hints\" enable online hints\n" +
		"      \":set nohints\" disable online hints\n" +
		"Set your preferences in ~/.redisclirc",
}

func TestHelpMatchesRedisCLI(t *testing.T) {
	for line, want := range realHelp {
		t.Run(line, func(t *testing.T) {
			assert.Equal(t, Local{Op: "print", Text: want}, Interpret(line))
		})
	}
}

func TestHelpConfigListsTheContainerAndItsSubcommands(t *testing.T) {
	out := Help([]string{"config"})
	// redis-cli 7.0.15: CONFIG, then its subcommands in name order, each
	// after a blank line.
	var names []string
	for _, l := range strings.Split(out, "\n") {
		if name, ok := strings.CutPrefix(l, "  \x1b[1m"); ok {
			names = append(names, name[:strings.Index(name, "\x1b")])
		}
	}
	assert.Equal(t, []string{"CONFIG", "CONFIG GET", "CONFIG HELP", "CONFIG RESETSTAT", "CONFIG REWRITE", "CONFIG SET"}, names)
	assert.Contains(t, out, "\n  \x1b[1mCONFIG\x1b[0m \x1b[90m\x1b[0m\n  \x1b[33msummary:\x1b[0m A container for server configuration commands\n  \x1b[33msince:\x1b[0m 2.0.0\n  \x1b[33mgroup:\x1b[0m server\n")
}

func TestHelpGroup(t *testing.T) {
	out := Help([]string{"@connection"})
	// As redis-cli prints a group: no "group:" lines, names in order.
	assert.NotContains(t, out, "group:")
	assert.Contains(t, out, "\n  \x1b[1mPING\x1b[0m \x1b[90m[message]\x1b[0m\n  \x1b[33msummary:\x1b[0m Ping the server\n  \x1b[33msince:\x1b[0m 1.0.0\n")
	assert.Less(t, strings.Index(out, "CLIENT LIST"), strings.Index(out, "PING"))
	assert.NotContains(t, out, "\x1b[1mSET\x1b[0m")
	assert.Equal(t, Help([]string{"@connection"}), Help([]string{"@CONNECTION"}))
	assert.Equal(t, "", Help([]string{"@nosuchgroup"}))
}

func TestInterpret(t *testing.T) {
	for _, tc := range []struct {
		line string
		want Local
	}{
		{"", Local{}},
		{"   ", Local{}},
		{"get name", Local{Op: "send"}},
		{"3 incr x", Local{Op: "send"}},
		{"quit", Local{Op: "quit"}},
		{"EXIT now", Local{Op: "quit"}},
		{"3 quit", Local{Op: "send"}}, // redis-cli sends QUIT three times
		{"clear", Local{Op: "clear"}},
		{"CLEAR", Local{Op: "clear"}},
		{"clear x", Local{Op: "send"}}, // only a lone "clear" clears
		{"2 help get", Local{Op: "print", Text: Help([]string{"get"})}},
		{`set "a`, Local{Op: "print", Text: "Invalid argument(s)"}},
		{"0 get x", Local{Op: "print", Text: "Invalid redis-cli repeat command option value."}},
		{":set hints", Local{}},
		{":set NOHINTS", Local{}},
		{":set colors", Local{Op: "print", Text: "unknown redis-cli preference 'colors'"}},
		{":x", Local{Op: "print", Text: "unknown redis-cli internal command ':x'"}},
		{"restart", Local{Op: "print", Text: "Use 'restart' only in Lua debugging mode."}},
		{`""`, Local{Op: "send"}},
	} {
		assert.Equal(t, tc.want, Interpret(tc.line), tc.line)
	}
}

func TestRawReply(t *testing.T) {
	for _, tc := range []struct {
		args []string
		raw  bool
	}{
		{[]string{"info"}, true},
		{[]string{"INFO", "replication"}, true},
		{[]string{"lolwut"}, true},
		{[]string{"client", "list"}, true},
		{[]string{"client", "LIST", "type", "replica"}, true},
		{[]string{"client", "info"}, true},
		{[]string{"client", "id"}, false},
		{[]string{"client"}, false},
		{[]string{"memory", "doctor"}, true},
		{[]string{"memory", "malloc-stats"}, true},
		{[]string{"memory", "usage", "k"}, false},
		{[]string{"debug", "htstats", "0"}, true},
		{[]string{"debug", "htstats-key", "k"}, true},
		{[]string{"debug", "client-eviction"}, true},
		{[]string{"debug", "object", "k"}, false},
		{[]string{"cluster", "nodes"}, true},
		{[]string{"cluster", "info", "x"}, false},
		{[]string{"latency", "doctor"}, true},
		{[]string{"latency", "doctor", "x"}, false},
		{[]string{"latency", "graph", "command"}, true},
		{[]string{"latency", "graph"}, false},
		{[]string{"proxy", "info"}, true},
		{[]string{"get", "info"}, false},
		{nil, false},
	} {
		assert.Equal(t, tc.raw, rawReply(tc.args), "%q", tc.args)
	}
}

func TestFormatReply(t *testing.T) {
	info := resp.Value{Kind: resp.BulkString, Str: []byte("# Replication\r\nrole:master\r\nconnected_slaves:0\r\n")}
	assert.Equal(t, "# Replication\nrole:master\nconnected_slaves:0", formatReply([]string{"info", "replication"}, info))
	assert.Equal(t, `"# Replication\r\nrole:master\r\nconnected_slaves:0\r\n"`, formatReply([]string{"get", "k"}, info))
	errV := resp.Value{Kind: resp.Error, Str: []byte("ERR syntax error")}
	assert.Equal(t, "ERR syntax error", formatReply([]string{"client", "list", "x"}, errV))
	assert.Equal(t, "(error) ERR syntax error", formatReply([]string{"client", "kill", "x"}, errV))
}

func TestComplete(t *testing.T) {
	assert.Equal(t, []string{"SELECT", "SET", "SETBIT", "SETEX", "SETNX", "SETRANGE"}, Complete("se"))
	assert.Equal(t, []string{"CONFIG GET"}, Complete("config g"))
	assert.Equal(t, []string{"help @connection"}, Complete("help @conn"))
	assert.Equal(t, []string{"help  SET", "help  SETBIT", "help  SETEX", "help  SETNX", "help  SETRANGE"}, Complete("help  set"))
	assert.Equal(t, []string{}, Complete("@conn"), "groups complete only after help")
	assert.Equal(t, []string{}, Complete("nosuchcommand"))
	all := Complete("")
	require.NotEmpty(t, all)
	assert.Equal(t, len(helpTable), len(all), "every command and subcommand, no group")
}

// Every help entry names a command the node knows: help does not offer
// what the node would refuse as unknown.
func TestHelpTableCommandsAreKnown(t *testing.T) {
	p := New(1)
	require.NoError(t, p.StartNode(6379, "", false))
	for _, e := range helpTable {
		cmd, _, _ := strings.Cut(e.name, " ")
		var out string
		p.Exec(6379, "command info "+cmd, func(s string) { out = s })
		assert.NotEqual(t, "1) (nil)", out, "%s has help but the node does not know it", cmd)
		assert.NotEmpty(t, e.summary, e.name)
		assert.NotEmpty(t, e.group, e.name)
	}
}

// The terminal's INFO prints raw, line by line, as redis-cli shows it.
func TestExecPrintsInfoRaw(t *testing.T) {
	p := New(1)
	require.NoError(t, p.StartNode(6379, "", false))
	var out string
	p.Exec(6379, "info replication", func(s string) { out = s })
	assert.True(t, strings.HasPrefix(out, "# Replication\nrole:master\nconnected_slaves:0\n"), out)
	assert.NotContains(t, out, "\r")
	assert.NotContains(t, out, `\r\n`)
	p.Exec(6379, "help ping", func(s string) { out = s })
	assert.Contains(t, out, "summary:\x1b[0m Ping the server")
	assert.Len(t, p.Actions(), 2, "start and info; help is redis-cli's: not sent, not in the journal")
}

// The prompt shows what redis-cli's does: the database SELECTed, (TX) in
// a MULTI, and plain again after RESET or a lost connection.
func TestPrompt(t *testing.T) {
	p := New(1)
	require.NoError(t, p.StartNode(6379, "", false))
	for _, tc := range []struct{ line, prompt string }{
		{"ping", "127.0.0.1:6379> "},
		{"select 1", "127.0.0.1:6379[1]> "},
		{"select 100", "127.0.0.1:6379[1]> "}, // refused: unchanged
		{"select", "127.0.0.1:6379[1]> "},
		{"multi", "127.0.0.1:6379[1](TX)> "},
		{"set k v", "127.0.0.1:6379[1](TX)> "},
		{"discard", "127.0.0.1:6379[1]> "},
		{"multi", "127.0.0.1:6379[1](TX)> "},
		{"select 2", "127.0.0.1:6379[2](TX)> "}, // QUEUED is no error: redis-cli takes it at once
		{"exec", "127.0.0.1:6379[2]> "},
		{"multi", "127.0.0.1:6379[2](TX)> "},
		{"select 3", "127.0.0.1:6379[3](TX)> "},
		{"nosuchcommand", "127.0.0.1:6379[3](TX)> "},
		{"exec", "127.0.0.1:6379[2]> "}, // EXECABORT: back to the database before MULTI
		{"reset", "127.0.0.1:6379> "},
		{"select 4", "127.0.0.1:6379[4]> "},
	} {
		p.Exec(6379, tc.line, func(string) {})
		assert.Equal(t, tc.prompt, p.Prompt(6379), tc.line)
	}
	p.CrashNode(6379, false)
	var out string
	p.Exec(6379, "get k", func(s string) { out = s })
	assert.Contains(t, out, "Could not connect")
	assert.Equal(t, "127.0.0.1:6379> ", p.Prompt(6379), "a new connection is in database 0")
	assert.Equal(t, "127.0.0.1:6378> ", p.Prompt(6378))
	assert.Equal(t, 0, atoi("x"))
	assert.Equal(t, 12, atoi(" +12abc"))
	assert.Equal(t, -3, atoi("-3"))
}

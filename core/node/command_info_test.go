package node

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestSubcommandArityAndNames(t *testing.T) {
	w := newNet(t)
	a := w.client(w.start(6379, ""))
	assert.Equal(t, "-ERR wrong number of arguments for 'client|setname' command\r\n", a("CLIENT", "SETNAME"))
	assert.Equal(t, "-ERR wrong number of arguments for 'client|id' command\r\n", a("client", "ID", "x"))
	assert.Equal(t, "-ERR wrong number of arguments for 'command|getkeys' command\r\n", a("COMMAND", "GETKEYS", "ping"))
	assert.Equal(t, "-ERR unknown subcommand 'BOGUS'. Try CLIENT HELP.\r\n", a("CLIENT", "BOGUS"))
	assert.Contains(t, a("CLIENT", "INFO"), " cmd=client|info ")
}

func TestCommandGetkeysNumkeys(t *testing.T) {
	w := newNet(t)
	a := w.client(w.start(6379, ""))
	assert.Equal(t, "*3\r\n$1\r\nd\r\n$1\r\na\r\n$1\r\nb\r\n", a("COMMAND", "GETKEYS", "zunionstore", "d", "2", "a", "b"))
	assert.Equal(t, "*2\r\n$1\r\na\r\n$1\r\nb\r\n", a("COMMAND", "GETKEYS", "sintercard", "2", "a", "b", "LIMIT", "1"))
	assert.Equal(t, "-ERR Invalid arguments specified for command\r\n", a("COMMAND", "GETKEYS", "zunionstore", "d", "5", "a", "b"))
	assert.Equal(t, "-ERR Invalid arguments specified for command\r\n", a("COMMAND", "GETKEYS", "zunionstore", "d", "x", "a"))
	assert.Equal(t, "-ERR Invalid number of arguments specified for command\r\n", a("COMMAND", "GETKEYS", "get", "a", "b"))
	assert.Equal(t, "-ERR Invalid command specified\r\n", a("COMMAND", "GETKEYS", "nosuch", "a"))
}

func lastLine(s string) string {
	for i := len(s) - 3; i >= 0; i-- {
		if s[i] == '\n' {
			return s[i+1:]
		}
	}
	return s
}

func TestCommandInfoAsRedis(t *testing.T) {
	w := newNet(t)
	a := w.client(w.start(6379, ""))
	assert.Equal(t, "*1\r\n$-1\r\n", a("COMMAND", "INFO", "nosuch"))
	assert.Equal(t, "*1\r\n*10\r\n$4\r\nping\r\n:-1\r\n*1\r\n+fast\r\n:0\r\n:0\r\n:0\r\n*2\r\n+@fast\r\n+@connection\r\n*0\r\n*0\r\n*0\r\n", a("COMMAND", "INFO", "ping"))
	assert.Equal(t, "*1\r\n*10\r\n$15\r\nobject|encoding\r\n:3\r\n*1\r\n+readonly\r\n:2\r\n:2\r\n:1\r\n*3\r\n+@keyspace\r\n+@read\r\n+@slow\r\n*0\r\n*0\r\n*0\r\n", a("COMMAND", "INFO", "object|encoding"))
	assert.Contains(t, a("COMMAND", "INFO", "zunionstore"), "*3\r\n+write\r\n+denyoom\r\n+movablekeys\r\n")
	assert.Contains(t, a("COMMAND", "INFO", "auth"), "*6\r\n+noscript\r\n+loading\r\n+stale\r\n+fast\r\n+no_auth\r\n+allow_busy\r\n")
	assert.NotContains(t, a("COMMAND", "LIST"), "host:", "POST and Host: are not commands Redis lists")
}

// SORT's and GEORADIUS's destination keys move: COMMAND GETKEYS finds them
// as redis-server 7.0.15 does (SORT the last STORE, GEORADIUS the first
// STORE and the first STOREDIST after its fixed arguments).
func TestCommandGetkeysMovable(t *testing.T) {
	w := newNet(t)
	a := w.client(w.start(6379, ""))
	assert.Equal(t, "*2\r\n$3\r\nabc\r\n$3\r\ndef\r\n", a("COMMAND", "GETKEYS", "sort", "abc", "store", "invalid", "store", "stillbad", "store", "def"))
	assert.Equal(t, "*1\r\n$3\r\nabc\r\n", a("COMMAND", "GETKEYS", "sort", "abc", "limit", "store", "x", "get", "store"))
	assert.Equal(t, "*1\r\n$3\r\nabc\r\n", a("COMMAND", "GETKEYS", "sort_ro", "abc", "store", "x"))
	assert.Equal(t, "*3\r\n$1\r\nk\r\n$1\r\na\r\n$1\r\nb\r\n", a("COMMAND", "GETKEYS", "georadius", "k", "1", "2", "3", "km", "store", "a", "store", "c", "storedist", "b"))
	assert.Equal(t, "*1\r\n$1\r\nk\r\n", a("COMMAND", "GETKEYS", "georadius", "k", "1", "2", "3", "store", "a"))
	assert.Equal(t, "*2\r\n$1\r\nk\r\n$1\r\na\r\n", a("COMMAND", "GETKEYS", "georadiusbymember", "k", "m", "3", "km", "STORE", "a"))
	assert.Equal(t, "*2\r\n$1\r\nd\r\n$1\r\ns\r\n", a("COMMAND", "GETKEYS", "geosearchstore", "d", "s", "FROMLONLAT", "0", "0", "BYRADIUS", "1", "m"))
	assert.Contains(t, a("COMMAND", "INFO", "sort"), "*3\r\n+write\r\n+denyoom\r\n+movablekeys\r\n")
	assert.Contains(t, a("COMMAND", "INFO", "georadius"), "*3\r\n+write\r\n+denyoom\r\n+movablekeys\r\n")
}

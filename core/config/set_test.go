package config

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The replies below were recorded from redis-server 7.0.15 (redis-cli
// CONFIG SET against a server started with --port --save ” --bind --dir).
func TestSetErrors(t *testing.T) {
	const failed = "ERR CONFIG SET failed (possibly related to argument "
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"foo", "bar"}, "ERR Unknown option or number of arguments for CONFIG SET - 'foo'"},
		{[]string{"port"}, "ERR wrong number of arguments for 'config|set' command"},
		{[]string{"port", "1", "2"}, "ERR syntax error"},
		{[]string{"port", "abc"}, failed + "'port') - argument couldn't be parsed into an integer"},
		{[]string{"port", "70000"}, failed + "'port') - argument must be between 0 and 65535 inclusive"},
		{[]string{"port", "7300", "port", "7300"}, failed + "'port') - duplicate parameter"},
		{[]string{"port", "7300", "slaveof", "x"}, failed + "'slaveof') - can't set immutable config"},
		{[]string{"daemonize", "no"}, failed + "'daemonize') - can't set immutable config"},
		{[]string{"maxmemory", "1x"}, failed + "'maxmemory') - argument must be a memory value"},
		{[]string{"maxmemory", "-1"}, failed + "'maxmemory') - argument must be a memory value"},
		{[]string{"protected-mode", "maybe"}, failed + "'protected-mode') - argument must be 'yes' or 'no'"},
		{[]string{"loglevel", "loud"}, failed + "'loglevel') - argument(s) must be one of the following: debug, verbose, notice, warning"},
		{[]string{"maxmemory-clients", "101%"}, failed + "'maxmemory-clients') - percentage argument must be less or equal to 100"},
		{[]string{"maxmemory-clients", "-5%"}, failed + "'maxmemory-clients') - argument must be a memory or percent value"},
		{[]string{"maxclients", "-1"}, failed + "'maxclients') - argument must be between 1 and 4294967295 inclusive"},
		{[]string{"timeout", "01"}, failed + "'timeout') - argument couldn't be parsed into an integer"},
		{[]string{"timeout", "+1"}, failed + "'timeout') - argument couldn't be parsed into an integer"},
		{[]string{"timeout", " 1"}, failed + "'timeout') - argument couldn't be parsed into an integer"},
		{[]string{"timeout", "1.0"}, failed + "'timeout') - argument couldn't be parsed into an integer"},
		{[]string{"timeout", ""}, failed + "'timeout') - argument couldn't be parsed into an integer"},
		{[]string{"shutdown-on-sigint", "save nosave"}, failed + "'shutdown-on-sigint') - shutdown options SAVE and NOSAVE can't be used simultaneously"},
		{[]string{"shutdown-on-sigint", "bad"}, failed + "'shutdown-on-sigint') - argument(s) must be one of the following: default, save, nosave, now, force"},
		{[]string{"shutdown-on-sigint", ""}, failed + "'shutdown-on-sigint') - argument(s) must be one of the following: default, save, nosave, now, force"},
		{[]string{"propagation-error-behavior", "x"}, failed + "'propagation-error-behavior') - argument(s) must be one of the following: ignore, panic, panic-on-replicas"},
		{[]string{"oom-score-adj-values", "0 200 9999"}, failed + "'oom-score-adj-values') - Invalid oom-score-adj-values, elements must be between -2000 and 2000."},
		{[]string{"oom-score-adj-values", "0 200"}, failed + "'oom-score-adj-values') - wrong number of arguments"},
		{[]string{"notify-keyspace-events", "Q"}, failed + "'notify-keyspace-events') - Invalid event class character. Use 'Ag$lshzxeKEtmdn'."},
		{[]string{"save", "1 2 3"}, failed + "'save') - Invalid save parameters"},
		{[]string{"save", "0 1"}, failed + "'save') - Invalid save parameters"},
		{[]string{"save", "10 -1"}, failed + "'save') - Invalid save parameters"},
		{[]string{"save", "10  2"}, failed + "'save') - Invalid save parameters"},
		{[]string{"client-output-buffer-limit", "normal 1 2"}, failed + "'client-output-buffer-limit') - Wrong number of arguments in buffer limit configuration."},
		{[]string{"client-output-buffer-limit", "master 1 2 3"}, failed + "'client-output-buffer-limit') - Invalid client class specified in buffer limit configuration."},
		{[]string{"client-output-buffer-limit", "REPLICA 1x 2mb 3"}, failed + "'client-output-buffer-limit') - Error in hard, soft or soft_seconds setting in buffer limit configuration."},
		{[]string{"bind", "1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17"}, failed + "'bind') - Too many bind addresses specified."},
		{[]string{"dbfilename", "a/b"}, failed + "'dbfilename') - can't set protected config"},
		{[]string{"dir", "/tmp"}, failed + "'dir') - can't set protected config"},
		{[]string{"unixsocketperm", "999"}, failed + "'unixsocketperm') - can't set immutable config"},
		{[]string{"latency-tracking-info-percentiles", "50 101"}, failed + "'latency-tracking-info-percentiles') - latency-tracking-info-percentiles parameters should sit between [0.0,100.0]"},
		{[]string{"latency-tracking-info-percentiles", "x"}, failed + "'latency-tracking-info-percentiles') - Invalid latency-tracking-info-percentiles parameters"},
		{[]string{"replica-announce-port", "99999"}, failed + "'replica-announce-port') - argument must be between 0 and 65535 inclusive"},
		{[]string{"slowlog-max-len", "-1"}, failed + "'slowlog-max-len') - argument must be between 0 and 9223372036854775807 inclusive"},
		{[]string{"repl-backlog-size", "0"}, failed + "'repl-backlog-size') - argument must be between 1 and 9223372036854775807 inclusive"},
		{[]string{"proto-max-bulk-len", "1"}, failed + "'proto-max-bulk-len') - argument must be between 1048576 and 9223372036854775807 inclusive"},
		{[]string{"cluster-announce-hostname", "a_b"}, failed + "'cluster-announce-hostname') - Hostnames may only contain alphanumeric characters, hyphens or dots"},
		{[]string{"proc-title-template", "{bad}"}, failed + "'proc-title-template') - template format is invalid or contains unknown variables"},
		{[]string{"activedefrag", "yes"}, failed + "'activedefrag') - Active defragmentation cannot be enabled: it requires a Redis server compiled with a modified Jemalloc like the one shipped by default with the Redis source distribution"},
		{[]string{"appendfilename", "x"}, failed + "'appendfilename') - can't set immutable config"},
		{[]string{"port", "7300", "foo", "bar", "port", "abc"}, "ERR Unknown option or number of arguments for CONFIG SET - 'foo'"},
		{[]string{"daemonize", "no", "foo", "bar"}, failed + "'daemonize') - can't set immutable config"},
		{[]string{"port", "7300", "daemonize", "no"}, failed + "'daemonize') - can't set immutable config"},
	}
	for _, tt := range tests {
		c := Default()
		before := c.Get("*")
		err := c.Set(tt.args...)
		require.Error(t, err, tt.args)
		assert.Equal(t, tt.want, err.Error(), tt.args)
		assert.Equal(t, before, c.Get("*"), "a failed CONFIG SET changes nothing: %q", tt.args)
	}
}

// Values as the real server shows them after CONFIG SET.
func TestSetThenGet(t *testing.T) {
	tests := []struct{ name, value, get string }{
		{"maxmemory", "", "0"},
		{"maxmemory", "99999999999999999999999", "18446744073709551615"},
		{"maxmemory", "1GB", "1073741824"},
		{"maxmemory", "1k", "1000"},
		{"maxmemory-clients", "50%", "50%"},
		{"hz", "1000", "500"},
		{"hz", "0", "1"},
		{"shutdown-on-sigint", "save now", "save now"},
		{"shutdown-on-sigint", "now save", "save now"},
		{"shutdown-on-sigint", "default force", "force"},
		{"notify-keyspace-events", "KEA", "AKE"},
		{"notify-keyspace-events", "Kgxtd$lshz", "g$lshzxtdK"},
		{"notify-keyspace-events", "Em", "Em"},
		{"client-output-buffer-limit", "replica 1kb 2mb 3", "normal 0 0 0 slave 1024 2097152 3 pubsub 33554432 8388608 60"},
		{"latency-tracking-info-percentiles", "50.50 99.990000 1e1", "50.5 99.99 10"},
		{"list-max-ziplist-size", "5", "5"},
		{"save", "", ""},
		{"save", "900 1 60 5", "900 1 60 5"},
		{"bind", "", ""},
		{"oom-score-adj", "relative", "yes"},
		{"PORT", "7300", "7300"},
		{"slave-read-only", "NO", "no"},
		{"loglevel", "WARNING", "warning"},
	}
	for _, tt := range tests {
		c := Default()
		require.NoError(t, c.Set(tt.name, tt.value), tt)
		got := c.Get(tt.name)
		require.Len(t, got, 1, tt)
		assert.Equal(t, tt.get, got[0][1], tt)
	}
}

func TestSetTypedFields(t *testing.T) {
	c := Default()
	require.NoError(t, c.Set("slave-read-only", "no", "repl-backlog-size", "10mb", "client-output-buffer-limit", "replica 1mb 2mb 3 pubsub 0 0 0"))
	assert.False(t, c.ReplicaReadOnly)
	assert.Equal(t, int64(10<<20), c.ReplBacklogSize)
	assert.Equal(t, [3]BufferLimit{{}, {1 << 20, 2 << 20, 3}, {}}, c.ClientOutputBufferLimits)

	// A field changed directly is what CONFIG GET shows.
	c.ReplicaOf = &HostPort{"127.0.0.1", 6379}
	c.Port = 6378
	assert.Equal(t, [][2]string{{"port", "6378"}, {"replicaof", "127.0.0.1 6379"}, {"slaveof", "127.0.0.1 6379"}}, c.Get("port", "*of"))
}

func TestSetProtected(t *testing.T) {
	c, _, err := Parse("enable-protected-configs local", nil)
	require.NoError(t, err)
	require.Error(t, c.Set("dbfilename", "x.rdb"))
	require.NoError(t, c.SetFrom(true, "dbfilename", "x.rdb"))
	assert.Equal(t, "x.rdb", c.DBFilename)
	err = c.SetFrom(true, "dbfilename", "a/b")
	require.EqualError(t, err, "ERR CONFIG SET failed (possibly related to argument 'dbfilename') - dbfilename can't be a path, just a filename")

	dirs := 0
	c, _, err = ParseEnv("enable-protected-configs yes", Env{Chdir: func(d string) (string, error) {
		dirs++
		if d == "/nope" {
			return "", errString("No such file or directory")
		}
		return "/abs/" + d, nil
	}})
	require.NoError(t, err)
	require.NoError(t, c.Set("dir", "data"))
	assert.Equal(t, "/abs/data", c.Dir)
	require.EqualError(t, c.Set("dir", "/nope"), "ERR CONFIG SET failed (possibly related to argument 'dir') - No such file or directory")
	assert.Equal(t, 2, dirs)
}

type errString string

func (e errString) Error() string { return string(e) }

func TestGet(t *testing.T) {
	c := Default()
	assert.Equal(t, [][2]string{{"PORT", "6379"}}, c.Get("PORT"), "an exact name is echoed as given")
	assert.Equal(t, [][2]string{{"key-load-delay", "0"}}, c.Get("key-load-delay"), "hidden, exact")
	assert.Empty(t, c.Get("key-load-*"), "hidden from patterns")
	assert.Empty(t, c.Get("nosuch"))
	assert.Equal(t, [][2]string{{"hash-max-listpack-entries", "512"}, {"hash-max-ziplist-entries", "512"}}, c.Get("hash-max-*-entries"))
	assert.Equal(t, [][2]string{{"port", "6379"}}, c.Get("port", "po?t", "PORT"))
	assert.Len(t, c.Get("*"), 192)
}

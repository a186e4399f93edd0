//go:build !js

package e2e

import (
	"bytes"
	"fmt"
	"net"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/syncscope/syncscope/core/resp"
)

// streamReplica is a raw replica: it asks for a full sync, skips the RDB and
// records the command stream the master sends after it.
type streamReplica struct {
	t    *testing.T
	conn net.Conn
	buf  []byte
}

// scriptStream runs script on s and returns the replication stream s
// propagated for it, times normalized, for comparing two servers.
func scriptStream(t *testing.T, s *Server, script [][]string) string {
	t.Helper()
	r := newStreamReplica(t, s)
	c := s.Client()
	for _, cmd := range script {
		c.Do(cmd...)
	}
	c.Do("SET", "__end", "1")
	return format(normalizeTimes(r.until("SET", "__end", "1")))
}

// assertSameStream runs script on a redis-server and on a syncscope-server
// and compares the replication streams they propagate for it.
func assertSameStream(t *testing.T, script [][]string) {
	t.Helper()
	want, got := scriptStream(t, startRedis(t, ""), script), scriptStream(t, startOurs(t, ""), script)
	assert.Equal(t, want, got, "the replication stream of syncscope-server (actual) vs redis-server (expected)")
}

// assertSameNotifications runs script on a redis-server and on a
// syncscope-server and compares the keyspace notifications they publish.
func assertSameNotifications(t *testing.T, script [][]string) {
	t.Helper()
	assert.Equal(t, scriptNotifications(t, startRedis(t, ""), script), scriptNotifications(t, startOurs(t, ""), script))
}

// scriptNotifications runs script on s with every keyspace notification
// on and returns them in order ("channel message").
func scriptNotifications(t *testing.T, s *Server, script [][]string) []string {
	t.Helper()
	sub := s.Client()
	sub.Do("PSUBSCRIBE", "__key*__:*")
	c := s.Client()
	mustDo(t, c, "CONFIG", "SET", "notify-keyspace-events", "KEAn")
	for _, cmd := range script {
		c.Do(cmd...)
	}
	c.Do("SET", "__end", "1")
	var got []string
	for {
		m := sub.Read()
		require.Len(t, m.Elems, 4, resp.FormatCLI(m))
		got = append(got, string(m.Elems[2].Str)+" "+string(m.Elems[3].Str))
		if string(m.Elems[2].Str) == "__keyevent@0__:set" && string(m.Elems[3].Str) == "__end" {
			return got
		}
	}
}

func newStreamReplica(t *testing.T, s *Server) *streamReplica {
	t.Helper()
	conn, err := net.DialTimeout("tcp", fmt.Sprintf("127.0.0.1:%d", s.Port), Timeout)
	require.NoError(t, err)
	t.Cleanup(func() { conn.Close() })
	r := &streamReplica{t: t, conn: conn}
	r.send("REPLCONF", "listening-port", "1")
	require.Equal(t, "+OK", r.line())
	r.send("PSYNC", "?", "-1")
	full := r.line()
	require.True(t, strings.HasPrefix(full, "+FULLRESYNC "), full)
	// The master may send newlines as keepalives before the payload.
	hdr := r.line()
	require.True(t, strings.HasPrefix(hdr, "$"), hdr)
	n, err := strconv.Atoi(hdr[1:])
	require.NoError(t, err, hdr)
	r.fill(n)
	require.Equal(t, "REDIS", string(r.buf[:5]), "an RDB payload")
	r.buf = r.buf[n:]
	return r
}

func (r *streamReplica) send(args ...string) {
	var argv [][]byte
	for _, a := range args {
		argv = append(argv, []byte(a))
	}
	_, err := r.conn.Write(resp.AppendCommand(nil, argv...))
	require.NoError(r.t, err)
}

// fill reads until buf holds at least n bytes.
func (r *streamReplica) fill(n int) {
	r.conn.SetReadDeadline(time.Now().Add(Timeout))
	for len(r.buf) < n {
		var tmp [64 << 10]byte
		m, err := r.conn.Read(tmp[:])
		require.NoError(r.t, err)
		r.buf = append(r.buf, tmp[:m]...)
	}
}

// line reads one CRLF line, skipping bare keepalive newlines.
func (r *streamReplica) line() string {
	for {
		for len(r.buf) > 0 && r.buf[0] == '\n' {
			r.buf = r.buf[1:]
		}
		if i := bytes.Index(r.buf, []byte("\r\n")); i >= 0 {
			l := string(r.buf[:i])
			r.buf = r.buf[i+2:]
			return l
		}
		r.fill(len(r.buf) + 1)
	}
}

// until returns the commands of the stream up to and including the first
// whose arguments are marker, without PINGs and REPLCONF GETACKs.
func (r *streamReplica) until(marker ...string) [][]string {
	var p resp.Parser
	p.Limits = resp.DefaultLimits()
	var cmds [][]string
	for {
		args, n, err := p.Next(r.buf)
		require.NoError(r.t, err)
		if n == 0 {
			r.fill(len(r.buf) + 1)
			continue
		}
		r.buf = r.buf[n:]
		cmd := make([]string, len(args))
		for i, a := range args {
			cmd[i] = string(a)
		}
		if len(cmd) == 0 || strings.EqualFold(cmd[0], "ping") || strings.EqualFold(cmd[0], "replconf") {
			continue
		}
		cmds = append(cmds, cmd)
		if strings.Join(cmd, " ") == strings.Join(marker, " ") {
			return cmds
		}
	}
}

// normalizeTimes replaces absolute unix times (ms or s, within a day of
// now) by a placeholder: two servers never propagate the same instant.
func normalizeTimes(cmds [][]string) [][]string {
	now := time.Now()
	out := make([][]string, len(cmds))
	for i, cmd := range cmds {
		out[i] = make([]string, len(cmd))
		for j, a := range cmd {
			out[i][j] = a
			v, err := strconv.ParseInt(a, 10, 64)
			if err != nil {
				continue
			}
			switch {
			case v > now.Add(-24*time.Hour).UnixMilli() && v < now.Add(48*time.Hour).UnixMilli():
				out[i][j] = "<unix-ms>"
			case v > now.Add(-24*time.Hour).Unix() && v < now.Add(48*time.Hour).Unix():
				out[i][j] = "<unix-s>"
			}
		}
	}
	return out
}

// TestReplStreamMatchesRedis runs the same writes on syncscope-server and
// redis-server and compares the replication streams they send a replica,
// command by command: SELECT placement, MULTI/EXEC wrapping, relative
// expiries turned absolute, lazy and active expiry as DEL, random commands
// as their effects.
func TestReplStreamMatchesRedis(t *testing.T) {
	t.Parallel()
	// DEBUG SET-ACTIVE-EXPIRE keeps the active expiry cycle off while
	// "lazy" waits for its GET: on a loaded machine the cycle could delete
	// it between any two commands, a DEL in a different place each run.
	ours := startOurs(t, "enable-debug-command yes") // startRedis enables it
	redis := startRedis(t, "")

	script := [][]string{
		{"DEBUG", "SET-ACTIVE-EXPIRE", "0"},
		{"SET", "s", "v"},
		{"SET", "s", "v", "EX", "100"},
		{"SET", "s", "v", "PX", "100000"},
		{"SET", "s", "v", "EXAT", "4102444800"},
		{"SET", "s", "v", "KEEPTTL"},
		{"SET", "s", "w", "GET"},
		{"SET", "nx", "v", "NX"},
		{"SET", "nx", "v", "NX"}, // not set: nothing propagated
		{"SETEX", "se", "100", "v"},
		{"PSETEX", "pse", "100000", "v"},
		{"SETNX", "snx", "v"},
		{"GETEX", "s", "EX", "200"},
		{"GETEX", "s", "PERSIST"},
		{"GETDEL", "snx"},
		{"INCR", "n"},
		{"INCRBYFLOAT", "f", "1.5"},
		{"APPEND", "s", "x"},
		{"MSET", "a", "1", "b", "2"},
		{"MSETNX", "a", "1", "c", "3"},
		{"EXPIRE", "a", "100"},
		{"PEXPIRE", "b", "100000"},
		{"EXPIREAT", "a", "4102444800"},
		{"EXPIRE", "a", "100", "NX"},
		{"EXPIRE", "a", "-1"}, // a past TTL deletes the key
		{"PERSIST", "b"},
		{"RENAME", "b", "b2"},
		{"COPY", "b2", "b3"},
		{"DEL", "b3", "missing"},
		{"UNLINK", "b2"},
		{"SADD", "set", "x", "y"},
		{"SREM", "set", "y"},
		{"SPOP", "set"}, // the only member: deterministic
		{"SADD", "set", "x", "y"},
		{"SMOVE", "set", "set2", "x"},
		{"SINTERSTORE", "set3", "set", "set2"},
		{"ZADD", "z", "1", "a", "2", "b", "3", "c"},
		{"ZINCRBY", "z", "5", "a"},
		{"ZPOPMIN", "z"},
		{"ZREM", "z", "b"},
		{"ZREMRANGEBYSCORE", "z", "0", "100"},
		{"MULTI"}, {"SET", "t1", "1"}, {"INCR", "t1"}, {"EXEC"},
		{"MULTI"}, {"GET", "t1"}, {"EXEC"}, // read-only: no MULTI in the stream
		{"SELECT", "5"},
		{"SET", "db5", "1"},
		{"MOVE", "db5", "6"},
		{"SELECT", "0"},
		{"SET", "back0", "1"},
		{"FLUSHDB"},
		{"SET", "lazy", "v", "PX", "1"},
	}
	script = append(script,
		[]string{"RPUSH", "l", "a", "b", "c"},
		[]string{"LPOP", "l"},
		[]string{"LMOVE", "l", "l2", "LEFT", "RIGHT"},
		[]string{"HSET", "h", "f", "v", "g", "w"},
		[]string{"HINCRBYFLOAT", "h", "n", "0.5"},
		[]string{"HDEL", "h", "f"},
		[]string{"HSETNX", "h", "g", "x"},
		[]string{"HMSET", "h", "a", "1", "b", "2"},
		[]string{"RPOPLPUSH", "l2", "l3"},
		[]string{"LINSERT", "l3", "BEFORE", "c", "b"},
		[]string{"LSET", "l3", "0", "z"},
		[]string{"LTRIM", "l3", "0", "0"},
		[]string{"LREM", "l3", "0", "z"}, // empties the list: deleted
		[]string{"RPUSH", "l4", "a", "b"},
		[]string{"BLPOP", "l4", "0"}, // data there: propagated as LPOP
		[]string{"BLMOVE", "l4", "l5", "RIGHT", "LEFT", "0"},
		[]string{"BRPOP", "empty", "0.01"}, // times out: nothing
		[]string{"RPUSH", "sl", "3", "1", "2"},
		[]string{"SORT", "sl", "DESC", "STORE", "sd"},
		[]string{"SORT", "sl"},                     // no STORE: nothing
		[]string{"SORT", "missing", "STORE", "sd"}, // empty result deletes sd
		[]string{"SORT", "missing", "STORE", "sd"}, // nothing to delete: nothing
		[]string{"GEOADD", "geo", "13.361389", "38.115556", "Palermo", "15.087269", "37.502669", "Catania"}, // as ZADD
		[]string{"GEOADD", "geo", "ch", "XX", "13.361389", "38.115556", "Palermo"},                          // unchanged: nothing
		[]string{"GEOADD", "geo", "CH", "13.5", "38.1", "Palermo"},
		[]string{"GEORADIUS", "geo", "15", "37", "200", "km", "STORE", "gdst"},
		[]string{"GEORADIUSBYMEMBER", "geo", "Palermo", "500", "km", "STOREDIST", "gdst", "COUNT", "1"},
		[]string{"GEOSEARCHSTORE", "gdst2", "geo", "FROMLONLAT", "15", "37", "BYBOX", "400", "400", "km", "STOREDIST"},
		[]string{"GEOSEARCHSTORE", "gdst2", "geo", "FROMLONLAT", "0", "0", "BYRADIUS", "1", "m"}, // empty: deletes gdst2
		[]string{"GEORADIUS", "geo", "15", "37", "200", "km"},                                    // no STORE: nothing
	)
	run := func(s *Server) [][]string {
		r := newStreamReplica(t, s)
		c := s.Client()
		for _, cmd := range script {
			c.Do(cmd...)
		}
		// A pop that blocked and is served by another client's push.
		blocked := s.Client()
		blocked.Send("BLPOP", "wait", "0")
		waitUntil(t, "the BLPOP to block", func() bool {
			return strings.Contains(string(s.Client().Do("INFO", "clients").Str), "blocked_clients:1")
		})
		c.Do("RPUSH", "wait", "x", "y")
		require.Equal(t, "1) \"wait\"\n2) \"x\"", resp.FormatCLI(blocked.Read()))
		time.Sleep(20 * time.Millisecond) // "lazy" is now expired
		c.Do("GET", "lazy")               // lazy expiry: a DEL
		c.Do("DEBUG", "SET-ACTIVE-EXPIRE", "1")
		before := dbSize(t, s)
		c.Do("SET", "active", "v", "PX", "1")
		waitUntil(t, "active expiry", func() bool { return dbSize(t, s) == before })
		c.Do("SET", "__end", "1")
		return normalizeTimes(r.until("SET", "__end", "1"))
	}
	want, got := run(redis), run(ours)
	wantText, gotText := format(want), format(got)
	assert.Equal(t, wantText, gotText, "the replication stream of syncscope-server (actual) vs redis-server (expected)")
}

func format(cmds [][]string) string {
	var sb strings.Builder
	for _, c := range cmds {
		sb.WriteString(strings.Join(c, " "))
		sb.WriteByte('\n')
	}
	return sb.String()
}

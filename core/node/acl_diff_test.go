package node_test

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/syncscope/syncscope/core/node"
	"github.com/syncscope/syncscope/core/resp"
	"github.com/syncscope/syncscope/native/redistest"
)

// aclStep is one command of an ACL scenario: client c sends args and its
// reply is compared.
type aclStep struct {
	c    int
	args []string
}

// runACLDiff runs steps on redis-server and on a node, requiring the same
// bytes for every reply.
func runACLDiff(t *testing.T, clients int, steps []aclStep) {
	// The node first: what it answers says how many replies to wait for
	// from redis-server, so a slow machine makes no step look silent.
	w := startWorld(t, 6379, "")
	var ours []*conn
	for i := 0; i < clients; i++ {
		ours = append(ours, w.conn(6379))
	}
	var got []string
	for _, s := range steps {
		if len(s.args) > 0 {
			ours[s.c].send(s.args)
		}
		got = append(got, ours[s.c].pending())
	}
	srv := startRedis(t)
	var real []*redistest.Raw
	for i := 0; i < clients; i++ {
		real = append(real, srv.DialRaw(t))
	}
	for i, s := range steps {
		if len(s.args) > 0 {
			real[s.c].Send(s.args...)
		}
		var out string
		for range countReplies(t, got[i]) {
			out += real[s.c].Reply()
		}
		out += real[s.c].Pending(50 * time.Millisecond)
		require.Equal(t, normalizeACLLog(t, s.args, out), normalizeACLLog(t, s.args, got[i]), "step %d: client %d sends %q", i, s.c, s.args)
	}
}

// normalizeACLLog blanks what ACL LOG entries cannot share with
// redis-server (age-seconds, client-info) and ACL GENPASS's random hex
// (its length stays).
func normalizeACLLog(t *testing.T, args []string, reply string) string {
	reply = monitorStamp.ReplaceAllString(reply, "+T [$1 addr]")
	if len(args) < 2 || !strings.EqualFold(args[0], "ACL") || strings.HasPrefix(reply, "-") {
		return reply
	}
	switch strings.ToUpper(args[1]) {
	case "GENPASS":
		v, _, err := resp.ReadValue([]byte(reply))
		require.NoError(t, err)
		require.Regexp(t, "^[0-9a-f]*$", string(v.Str))
		return strings.Repeat("x", len(v.Str))
	case "LOG":
		v, _, err := resp.ReadValue([]byte(reply))
		require.NoError(t, err)
		if v.Kind == resp.Array {
			var b []byte
			b = append(b, fmt.Sprintf("*%d\r\n", len(v.Elems))...)
			for _, e := range v.Elems {
				for i := 0; i+1 < len(e.Elems); i += 2 {
					k := string(e.Elems[i].Str)
					val := string(e.Elems[i+1].Str)
					if k == "age-seconds" || k == "client-info" {
						val = "-"
					}
					if e.Elems[i+1].Kind == resp.Integer {
						val = fmt.Sprint(e.Elems[i+1].Int)
					}
					b = append(b, k+"="+val+";"...)
				}
				b = append(b, '\n')
			}
			return string(b)
		}
	}
	return reply
}

// monitorStamp is the time and address of a MONITOR line.
var monitorStamp = regexp.MustCompile(`(?m)^\+[0-9]+\.[0-9]+ \[([0-9]+) [^\]]*\]`)

func aclSteps(lines ...string) []aclStep {
	var steps []aclStep
	for _, l := range lines {
		c := 0
		if l == "1:" { // only read what client 1 received
			steps = append(steps, aclStep{c: 1})
			continue
		}
		if strings.HasPrefix(l, "1: ") {
			c, l = 1, l[3:]
		}
		steps = append(steps, aclStep{c: c, args: strings.Split(l, " ")})
	}
	return steps
}

// TestACLUsersDiffRedis compares users, rules, their descriptions, errors,
// authentication and command permissions with redis-server.
func TestACLUsersDiffRedis(t *testing.T) {
	hash := node.HashPassword("p2")
	runACLDiff(t, 2, aclSteps(
		"ACL WHOAMI", "ACL USERS", "ACL LIST", "ACL GETUSER default", "ACL GETUSER nobody", "ACL HELP",
		"ACL SETUSER alice", "ACL GETUSER alice", "ACL LIST",
		"ACL SETUSER alice on >p1 >p2 >p1 ~obj:* %R~ro:* %W~wo:* %RW~rw:* &chan +@string +select|0",
		"ACL GETUSER alice", "ACL LIST",
		"ACL SETUSER bob on nopass +@all -@dangerous -@bitmap +debug|object allkeys allchannels",
		"ACL GETUSER bob", "ACL LIST", "ACL USERS",
		"ACL SETUSER carol on (+get ~a*) (+set ~b* &x) +ping",
		"ACL GETUSER carol", "ACL LIST", "ACL SETUSER carol clearselectors", "ACL GETUSER carol",
		"ACL SETUSER carol reset", "ACL GETUSER carol",
		// Errors leave the user as it was.
		"ACL SETUSER alice +nosuch", "ACL SETUSER alice +@nosuch", "ACL SETUSER alice -select|0",
		"ACL SETUSER alice +config|get|x", "ACL SETUSER alice +select|", "ACL SETUSER alice +config|nosuch",
		"ACL SETUSER alice allkeys ~x", "ACL SETUSER alice allchannels &x", "ACL SETUSER alice <nope",
		"ACL SETUSER alice #abc", "ACL SETUSER alice !"+strings.Repeat("a", 64), "ACL SETUSER alice bogus",
		"ACL SETUSER alice (+get", "ACL SETUSER alice (+get ~x) (bogus)", "ACL SETUSER alice (-inf (a", "ACL SETUSER alice (+get (+set ~a) ~b", "ACL SETUSER alice %X~x",
		"ACL SETUSER sp\tace", "ACL GETUSER alice",
		"ACL SETUSER alice !"+hash, "ACL GETUSER alice",
		"ACL CAT", "ACL CAT nosuch", "ACL", "ACL SETUSER", "ACL NOSUCH", "ACL GETUSER a b",
		// Logging in and what the user may run.
		"1: AUTH alice wrong", "1: AUTH nobody x", "1: AUTH alice p2", "1: AUTH alice p1", "1: ACL WHOAMI",
		"1: GET obj:1", "1: SET obj:1 x", "1: LPUSH obj:1 x", "1: SELECT 0", "1: SELECT 1", "1: PING", "1: CLIENT SETNAME x",
		"1: PUBLISH chan x", "1: MULTI", "1: GET obj:1", "1: PING", "1: EXEC",
		"ACL SETUSER alice +multi +exec +publish +ping", "1: PUBLISH chan x", "1: PUBLISH other x",
		"1: MULTI", "1: GET obj:k", "ACL SETUSER alice -get", "1: EXEC",
		"1: HELLO 2 AUTH alice wrong", "1: AUTH bob anything", "1: DEBUG SLEEP 0", "1: FLUSHALL",
		"ACL SETUSER bob off", "1: AUTH bob x", "1: AUTH default x",
		// requirepass is the default user's password.
		"AUTH x", "CONFIG SET requirepass foo", "ACL GETUSER default", "1: AUTH foo", "1: ACL WHOAMI",
		"ACL SETUSER default resetpass", "1: AUTH foo", "CONFIG SET requirepass", "ACL GETUSER default",
		"ACL DELUSER default", "ACL DELUSER nobody carol", "ACL USERS",
	))
}

// TestACLKeysDiffRedis compares key and channel permissions (read and
// write patterns, selectors, key specs of every shape), ACL DRYRUN, ACL
// LOG and ACL GENPASS with redis-server.
func TestACLKeysDiffRedis(t *testing.T) {
	runACLDiff(t, 2, aclSteps(
		"ACL SETUSER k on nopass +@all -@dangerous +sort ~rw:* %R~r:* %W~w:* &ch:* (+get +set ~sel:*)",
		"RPUSH r:l 3 1 2", "SET r:1 v", "SET r:b x",
		"1: AUTH k x", "1: GET r:1", "1: SET r:1 v", "1: SET w:1 v", "1: GET w:1", "1: LPUSH w:l a",
		"1: LMOVE r:l w:l LEFT LEFT", "1: LMOVE rw:l w:l LEFT LEFT", "1: EXISTS r:1 w:1 other", "1: MSET w:1 a w:2 b",
		"1: MSET w:1 a r:2 b", "1: ZUNIONSTORE w:d 2 r:a r:b", "1: ZUNIONSTORE w:d 2 r:a x:b",
		"1: ZUNIONSTORE w:d 9 r:a r:b", "1: SORT r:l", "1: SORT r:l BY w:*", "1: SORT r:l BY nosort",
		"1: SORT r:l GET #", "1: SORT r:l STORE w:s", "1: SORT r:l STORE r:s", "1: SORT_RO r:l",
		"1: GET sel:1", "1: SET sel:1 v", "1: DEL sel:1", "1: SET w:x a GET", "1: SET rw:x a GET",
		"1: BITFIELD r:b GET u8 0", "1: BITFIELD r:b SET u8 0 1", "1: BITFIELD rw:b SET u8 0 1",
		"1: PUBLISH ch:1 m", "1: PUBLISH other m", "1: SUBSCRIBE ch:1 other", "1: PING",
		"1: PSUBSCRIBE ch:*", "1: PSUBSCRIBE ch:1*", "1: OBJECT ENCODING r:1", "1: OBJECT ENCODING w:1",
		"1: MULTI", "1: GET r:1", "1: SET r:1 x", "1: EXEC",
		"ACL LOG", "ACL LOG 2", "ACL LOG -1", "ACL LOG x",
		"ACL DRYRUN k GET r:1", "ACL DRYRUN k SET r:1 v", "ACL DRYRUN k SET w:1 v", "ACL DRYRUN nobody GET x",
		"ACL DRYRUN k NOSUCH", "ACL DRYRUN k GET", "ACL DRYRUN k CLIENT NOSUCH", "ACL DRYRUN k CLIENT|ID",
		"ACL DRYRUN k CLIENT KILL ID 1", "ACL DRYRUN k PUBLISH ch:1 m", "ACL DRYRUN k PUBLISH zz m",
		"ACL DRYRUN k FLUSHALL", "ACL DRYRUN k XADD r:x * a b", "ACL DRYRUN k XADD w:x * a b",
		"ACL DRYRUN k SORT r:l BY w:*", "ACL DRYRUN k MEMORY DOCTOR",
		"ACL GENPASS", "ACL GENPASS 1", "ACL GENPASS 5", "ACL GENPASS 4096", "ACL GENPASS 0",
		"ACL GENPASS 4097", "ACL GENPASS x", "ACL GENPASS 1 2",
		"1: AUTH k2 bad", "1: AUTH k2 bad", "ACL LOG 1", "ACL LOG RESET", "ACL LOG",
	))
}

// TestMonitorRedactsAuthDiffRedis: MONITOR shows AUTH and HELLO with
// their credentials "(redacted)", as far as Redis redacts them before a
// failure, and no admin command (ACL SETUSER) at all.
func TestMonitorRedactsAuthDiffRedis(t *testing.T) {
	runACLDiff(t, 2, aclSteps(
		"1: MONITOR", "AUTH x", "AUTH a b", "AUTH a b c", "HELLO 2 AUTH a b", "HELLO 2 AUTH a b SETNAME n",
		"HELLO 2 SETNAME n AUTH a b", "HELLO 4 AUTH a b", "HELLO 2 AUTH a", "HELLO 2 SETNAME a\x20b AUTH a b",
		"ACL SETUSER u on >p", "AUTH u p", "ACL WHOAMI", "1:",
	))
}

// TestACLCatDiffRedis compares ACL CAT of every category as sets: Redis
// lists them in its command dictionary's order, which is random.
func TestACLCatDiffRedis(t *testing.T) {
	real := startRedis(t).DialRaw(t)
	w := startWorld(t, 6379, "")
	ours := w.conn(6379)
	sorted := func(reply string) []string {
		v, _, err := resp.ReadValue([]byte(reply))
		require.NoError(t, err)
		var out []string
		for _, e := range v.Elems {
			out = append(out, string(e.Str))
		}
		sort.Strings(out)
		return out
	}
	for _, cat := range node.ACLCategoryNames {
		real.Send("ACL", "CAT", cat)
		require.Equal(t, sorted(real.Pending(time.Second)), sorted(ours.do("ACL", "CAT", cat)), cat)
	}
}

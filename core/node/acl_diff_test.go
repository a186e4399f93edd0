package node

import (
	gonet "net"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/syncscope/syncscope/core/resp"
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
	addr := startListRedis(t)
	var real []*realConn
	for i := 0; i < clients; i++ {
		conn, err := gonet.Dial("tcp", addr)
		require.NoError(t, err)
		t.Cleanup(func() { conn.Close() })
		real = append(real, &realConn{t: t, conn: conn})
	}
	var want []string
	for _, s := range steps {
		real[s.c].send(s.args...)
		want = append(want, real[s.c].pending(150*time.Millisecond))
	}
	w := newNet(t)
	m := w.start(6379, "")
	var ours []*blockClient
	for i := 0; i < clients; i++ {
		ours = append(ours, w.listClient(m))
	}
	for i, s := range steps {
		ours[s.c].send(s.args...)
		require.Equal(t, want[i], ours[s.c].pending(), "step %d: client %d sends %q", i, s.c, s.args)
	}
}

func aclSteps(lines ...string) []aclStep {
	var steps []aclStep
	for _, l := range lines {
		c := 0
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
	hash := hashPassword("p2")
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
		"ACL SETUSER alice (+get", "ACL SETUSER alice (+get ~x) (bogus)", "ACL SETUSER alice %X~x",
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

// TestACLCatDiffRedis compares ACL CAT of every category as sets: Redis
// lists them in its command dictionary's order, which is random.
func TestACLCatDiffRedis(t *testing.T) {
	addr := startListRedis(t)
	conn, err := gonet.Dial("tcp", addr)
	require.NoError(t, err)
	t.Cleanup(func() { conn.Close() })
	real := &realConn{t: t, conn: conn}
	w := newNet(t)
	ours := w.listClient(w.start(6379, ""))
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
	for _, cat := range aclCategoryNames {
		real.send("ACL", "CAT", cat)
		require.Equal(t, sorted(real.pending(time.Second)), sorted(ours.do("ACL", "CAT", cat)), cat)
	}
}

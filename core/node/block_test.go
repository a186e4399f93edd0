package node_test

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/syncscope/syncscope/native/redistest"
)

// TestListBlockingThroughStep drives blocking list pops through the node as
// Redis 7.0.15 serves them: blocked until another client pushes, a nil reply
// at the deadline, served from the key that became ready, replicated as the
// non-blocking form. The replies and the stream were checked against a
// real redis-server with the same commands.
func TestListBlockingThroughStep(t *testing.T) {
	w, stream := startStreamed(t, "")
	a, b := w.conn(6379), w.conn(6379)

	// BLPOP blocks, a later LPUSH from another client serves it.
	a.send([]string{"BLPOP", "q", "0"})
	require.Empty(t, a.pending(), "BLPOP on a missing key blocks")
	require.Equal(t, ":1\r\n", b.do("LPUSH", "q", "x"))
	require.Equal(t, "*2\r\n$1\r\nq\r\n$1\r\nx\r\n", a.pending())
	require.Equal(t, ":0\r\n", b.do("EXISTS", "q"))
	require.Equal(t, []string{"LPUSH q x", "LPOP q"}, stream())

	// A timeout ends with a nil reply, and nothing is replicated.
	a.send([]string{"BLPOP", "q", "1.5"})
	w.Advance(time.Second)
	require.Empty(t, a.pending())
	w.Advance(time.Second)
	require.Equal(t, "*-1\r\n", a.pending())
	a.send([]string{"BLMOVE", "q", "d", "LEFT", "LEFT", "0.5"})
	w.Advance(time.Second)
	require.Equal(t, "*-1\r\n", a.pending(), "BLMOVE times out with a null array too")
	require.Empty(t, stream())

	// A served BLMOVE replicates as LMOVE with the directions in lower
	// case; one served at once keeps the client's words.
	a.send([]string{"BLMOVE", "src", "dst", "RIGHT", "LEFT", "0"})
	require.Empty(t, a.pending())
	require.Equal(t, ":2\r\n", b.do("RPUSH", "src", "a", "b"))
	require.Equal(t, "$1\r\nb\r\n", a.pending())
	require.Equal(t, "$1\r\na\r\n", a.do("BLMOVE", "src", "dst", "Left", "RIGHT", "0"))
	require.Equal(t, "*2\r\n$1\r\nb\r\n$1\r\na\r\n", b.do("LRANGE", "dst", "0", "-1"))
	require.Equal(t, []string{"RPUSH src a b", "LMOVE src dst right left", "LMOVE src dst Left RIGHT"}, stream())

	// BRPOPLPUSH served later replicates as RPOPLPUSH.
	a.send([]string{"BRPOPLPUSH", "s2", "d2", "0"})
	require.Equal(t, ":1\r\n", b.do("LPUSH", "s2", "z"))
	require.Equal(t, "$1\r\nz\r\n", a.pending())
	require.Equal(t, []string{"LPUSH s2 z", "RPOPLPUSH s2 d2"}, stream())

	// BLMPOP served later replicates as a counted pop.
	a.send([]string{"BLMPOP", "0", "1", "s3", "RIGHT", "COUNT", "3"})
	require.Equal(t, ":2\r\n", b.do("RPUSH", "s3", "1", "2"))
	require.Equal(t, "*2\r\n$2\r\ns3\r\n*2\r\n$1\r\n2\r\n$1\r\n1\r\n", a.pending())
	require.Equal(t, []string{"RPUSH s3 1 2", "RPOP s3 2"}, stream())

	// A key created with another type does not serve the client: it stays
	// blocked, and a list pushed later still serves it.
	a.send([]string{"BLPOP", "s5", "0"})
	require.Equal(t, "+OK\r\n", b.do("SET", "s5", "foo"))
	require.Empty(t, a.pending())
	require.Equal(t, ":1\r\n", b.do("DEL", "s5"))
	require.Equal(t, ":1\r\n", b.do("RPUSH", "s5", "v"))
	require.Equal(t, "*2\r\n$2\r\ns5\r\n$1\r\nv\r\n", a.pending())

	// The destination's type is checked when served: WRONGTYPE, nothing moved.
	a.send([]string{"BLMOVE", "s4", "str", "LEFT", "LEFT", "0"})
	b.do("SET", "str", "foo")
	require.Equal(t, ":1\r\n", b.do("RPUSH", "s4", "q"))
	require.Equal(t, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", a.pending())
	require.Equal(t, "*1\r\n$1\r\nq\r\n", b.do("LRANGE", "s4", "0", "-1"))
	stream()

	// Served from the key that became ready first, not the first key named.
	a.send([]string{"BLPOP", "ka", "kb", "0"})
	require.Equal(t, "+OK\r\n", b.do("MULTI"))
	b.do("RPUSH", "kb", "1")
	b.do("RPUSH", "ka", "2")
	require.Equal(t, "*2\r\n:1\r\n:1\r\n", b.do("EXEC"))
	require.Equal(t, "*2\r\n$2\r\nkb\r\n$1\r\n1\r\n", a.pending())
	require.Equal(t, []string{"MULTI", "RPUSH kb 1", "RPUSH ka 2", "EXEC", "LPOP kb"}, stream())

	// Two clients blocked on one key are served in the order they blocked,
	// while elements last.
	c := w.conn(6379)
	a.send([]string{"BLPOP", "c", "0"})
	c.send([]string{"BLPOP", "c", "0"})
	require.Equal(t, ":1\r\n", b.do("RPUSH", "c", "1"))
	require.Equal(t, "*2\r\n$1\r\nc\r\n$1\r\n1\r\n", a.pending())
	require.Empty(t, c.pending())
	require.Equal(t, ":2\r\n", b.do("RPUSH", "c", "2", "3"))
	require.Equal(t, "*2\r\n$1\r\nc\r\n$1\r\n2\r\n", c.pending())
	require.Equal(t, "*1\r\n$1\r\n3\r\n", b.do("LRANGE", "c", "0", "-1"))

	// Inside MULTI nothing blocks: BLPOP and BLMPOP give a null array,
	// BLMOVE and BRPOPLPUSH a null bulk.
	b.do("MULTI")
	b.do("BLPOP", "e", "0")
	b.do("BLMOVE", "e", "d", "LEFT", "LEFT", "0")
	b.do("BRPOPLPUSH", "e", "d", "0")
	b.do("BLMPOP", "0", "1", "e", "LEFT")
	require.Equal(t, "*4\r\n*-1\r\n$-1\r\n$-1\r\n*-1\r\n", b.do("EXEC"))
}

// blockStep is one step of a blocking scenario: client c sends args (if
// any), then time passes, then the output of the clients in check (the
// sender included) is compared.
type blockStep struct {
	c     int
	args  []string
	wait  time.Duration
	check []int
}

// TestListBlockingDiffRedis runs blocking scenarios with three clients and
// a replica link on redis-server and on the node side by side, requiring
// the same bytes for every client at every step and the same replicated
// stream.
func TestListBlockingDiffRedis(t *testing.T) {
	st := func(c int, line string, check ...int) blockStep {
		return blockStep{c: c, args: strings.Fields(line), check: check}
	}
	wait := func(d time.Duration, check ...int) blockStep { return blockStep{c: -1, wait: d, check: check} }
	steps := []blockStep{
		st(0, "BLPOP q1 q2 0"), st(1, "RPUSH q2 a b", 0), st(1, "LRANGE q2 0 -1"),
		st(0, "BRPOP q3 0"), st(2, "BRPOP q3 0"), st(1, "LPUSH q3 x", 0, 2), st(1, "LPUSH q3 y z", 0, 2),
		st(0, "BLMOVE s d RIGHT LEFT 0"), st(1, "RPUSH s 1 2 3", 0), st(0, "BLMOVE s d Left Right 0"),
		st(1, "LRANGE d 0 -1"),
		st(0, "BRPOPLPUSH s2 d2 0"), st(1, "LPUSH s2 v", 0),
		st(0, "BLMPOP 0 2 m1 m2 RIGHT COUNT 5"), st(1, "RPUSH m2 1 2 3", 0),
		st(0, "BLPOP t1 0.3"), wait(600*time.Millisecond, 0),
		st(0, "BLMOVE t1 d LEFT LEFT 0.3"), wait(600*time.Millisecond, 0),
		st(0, "BLMPOP 0.3 1 t1 LEFT"), wait(600*time.Millisecond, 0),
		st(0, "BLPOP w 0"), st(1, "SET w str", 0), st(1, "DEL w", 0), st(1, "ZADD w 1 m", 0), st(1, "DEL w", 0),
		st(1, "RPUSH w ok", 0),
		st(0, "BZPOPMIN z 0"), st(1, "RPUSH z notzset", 0), st(1, "DEL z"), st(1, "ZADD z 5 m", 0),
		st(0, "BLMOVE src str LEFT LEFT 0"), st(1, "SET str foo"), st(1, "RPUSH src q", 0), st(1, "LRANGE src 0 -1"),
		st(0, "BLPOP ka kb 0"), st(1, "MULTI"), st(1, "RPUSH kb 1"), st(1, "RPUSH ka 2"), st(1, "EXEC", 0),
		st(0, "BLPOP e 0"), st(1, "MULTI"), st(1, "RPUSH e 1"), st(1, "LPOP e"), st(1, "EXEC", 0), st(1, "RPUSH e 2", 0),
		st(1, "MULTI"), st(1, "BLPOP none 0"), st(1, "BLMOVE none d LEFT LEFT 0"), st(1, "BRPOPLPUSH none d 0"),
		st(1, "BLMPOP 0 1 none LEFT"), st(1, "EXEC"),
		st(0, "BLMOVE same same LEFT RIGHT 0"), st(1, "LPUSH same a b", 0), st(1, "LRANGE same 0 -1"),
		// Keys that other commands create as lists serve blocked clients too.
		st(0, "BLPOP rq 0"), st(1, "RPUSH tmp a b"), st(1, "RENAME tmp rq", 0),
		st(0, "BRPOP cq 0"), st(1, "COPY rq cq", 0),
		st(0, "BLPOP mq 0"), st(1, "RPUSH mv x"), st(1, "LMOVE mv mq LEFT LEFT", 0), st(1, "EXISTS mq mv"),
		st(0, "BLPOP hq 0"), st(1, "HSET hq f v", 0), st(1, "DEL hq"), st(1, "RPUSH hq 1", 0),
		st(2, "SELECT 1"), st(2, "BLPOP mvq 0"), st(1, "RPUSH mvq y"), st(1, "MOVE mvq 1", 2),
	}

	runBlockingDiff(t, steps)
}

// TestSwapDBServesBlockedDiffRedis runs SWAPDB with clients blocked on keys
// of the swapped databases, on redis-server and on the node side by side:
// Redis 7.0 serves a client whose key exists after the swap
// (scanDatabaseForReadyKeys), in the order the clients blocked, leaves one
// blocked when the key holds another type, and replicates the pops.
func TestSwapDBServesBlockedDiffRedis(t *testing.T) {
	st := func(c int, line string, check ...int) blockStep {
		return blockStep{c: c, args: strings.Fields(line), check: check}
	}
	steps := []blockStep{
		// A client of db 1 blocks; the list is pushed in db 0 and swapped in.
		st(0, "SELECT 1"), st(0, "BLPOP sq 0"), st(1, "RPUSH sq a"), st(1, "SWAPDB 0 1", 0),
		st(1, "SELECT 1"), st(1, "LRANGE sq 0 -1"), st(1, "SELECT 0"),
		// Two clients on one key: the first takes the only element, the
		// second stays blocked until another push.
		st(0, "BRPOP two 0"), st(2, "SELECT 1"), st(2, "BRPOP two 0"), st(1, "RPUSH two x"),
		st(1, "SWAPDB 1 0", 0, 2), st(1, "SELECT 1"), st(1, "RPUSH two y", 0, 2), st(1, "SELECT 0"),
		// A key of another type does not serve; a sorted set serves BZPOPMIN.
		st(0, "BLPOP typed 0"), st(1, "SET typed str"), st(1, "SWAPDB 0 1", 0), st(1, "DEL typed"),
		st(1, "SELECT 1"), st(1, "DEL typed"), st(1, "RPUSH typed ok", 0), st(1, "SELECT 0"),
		st(0, "BZPOPMIN zk 0"), st(1, "ZADD zk 1 m"), st(1, "SWAPDB 1 0", 0),
		// Swapping a database with itself changes nothing; inside MULTI the
		// client is served after EXEC.
		st(0, "BLPOP self 0"), st(1, "SELECT 1"), st(1, "RPUSH self z", 0), st(1, "SELECT 0"),
		st(0, "BLPOP mx 0"), st(1, "SWAPDB 1 1", 0), st(1, "MULTI"), st(1, "RPUSH mx 1 2"), st(1, "SWAPDB 0 1"),
		st(1, "EXEC", 0), st(1, "SELECT 1"), st(1, "LRANGE mx 0 -1"),
	}

	runBlockingDiff(t, steps)
}

// TestBlockedOnExpiredKey: when SWAPDB or EXEC makes ready a key a client
// blocks on and that key has expired by then, the key is deleted (its DEL
// replicated) and the client stays blocked, as Redis's lookup when serving
// does; a DEBUG SLEEP inside EXEC ends the command when the sleep does, so
// the key is judged then. Redis's unit/type/list "... key already expired"
// tests, whose replication streams these are.
func TestBlockedOnExpiredKey(t *testing.T) {
	w, stream := startStreamed(t, "enable-debug-command yes")
	r, b := w.conn(6379), w.conn(6379)
	r.do("DEBUG", "SET-ACTIVE-EXPIRE", "0")

	r.do("SELECT", "1")
	r.do("RPUSH", "k", "hello")
	r.do("PEXPIRE", "k", "100")
	b.do("SELECT", "9")
	b.send([]string{"BRPOP", "k", "0"})
	w.Advance(150 * time.Millisecond)
	r.do("SWAPDB", "1", "9")
	assert.Empty(t, b.pending(), "still blocked")
	assert.Contains(t, r.do("CLIENT", "LIST"), "flags=b")
	got := stream()
	require.Len(t, got, 4, "%q", got)
	assert.Equal(t, []string{"RPUSH k hello", "SWAPDB 1 9", "DEL k"}, []string{got[0], got[2], got[3]})
	assert.Regexp(t, `^PEXPIREAT k \d+$`, got[1])

	r.do("SELECT", "9")
	r.do("MULTI")
	r.do("RPUSH", "k", "hello")
	r.do("PEXPIRE", "k", "100")
	r.do("DEBUG", "SLEEP", "0.2")
	r.send([]string{"EXEC"})
	w.Advance(300 * time.Millisecond)
	assert.Empty(t, b.pending(), "still blocked")
	assert.Equal(t, []string{"MULTI", "RPUSH k hello", "EXEC", "DEL k"}, dropPexpireat(t, stream()))
}

func dropPexpireat(t *testing.T, lines []string) []string {
	var out []string
	for _, l := range lines {
		if len(l) > 10 && l[:10] == "PEXPIREAT " {
			continue
		}
		out = append(out, l)
	}
	return out
}

// runBlockingDiff runs steps with three clients and a replica link on
// redis-server and on the node, requiring the same
// bytes for every client checked at every step and the same replicated
// stream.
func runBlockingDiff(t *testing.T, steps []blockStep) {
	srv := startRedis(t)
	// The node first: what it answers says how many replies to wait for
	// from redis-server, so a slow machine makes no step look silent.
	w, stream := startStreamed(t, "")
	ours := []*conn{w.conn(6379), w.conn(6379), w.conn(6379)}
	var got [][]string
	for _, s := range steps {
		if s.args != nil {
			ours[s.c].send(s.args)
		}
		w.Advance(s.wait)
		var step []string
		for _, c := range append([]int{s.c}, s.check...) {
			if c >= 0 {
				step = append(step, ours[c].pending())
			}
		}
		got = append(got, step)
	}
	ourStream := stream()

	// The real server, with a replica link by SYNC.
	real := []*redistest.Raw{srv.DialRaw(t), srv.DialRaw(t), srv.DialRaw(t)}
	repl := srv.DialRaw(t)
	repl.Send("SYNC")
	repl.SkipRDB()
	for i, s := range steps {
		if s.args != nil {
			real[s.c].Send(s.args...)
		}
		time.Sleep(s.wait)
		var want []string
		for _, c := range append([]int{s.c}, s.check...) {
			if c >= 0 {
				// As many replies as the node gave, however long they
				// take, then whatever else comes right behind them.
				var out string
				for range countReplies(t, got[i][len(want)]) {
					out += real[c].Reply()
				}
				want = append(want, out+real[c].Pending(50*time.Millisecond))
			}
		}
		require.Equal(t, want, got[i], "step %d: client %d sends %q", i, s.c, s.args)
	}
	realStream := streamLines(t, []byte(repl.Pending(300*time.Millisecond)))
	require.Equal(t, realStream, ourStream)
}

// A client CLIENT PAUSE WRITE holds counts in INFO's blocked_clients, as a
// list pop's blocked client does; clients_in_timeout_table counts only the
// blocked clients with a deadline, not a paused one nor BLPOP ... 0. A
// paused BLPOP, let go, blocks on its list. redis-server 7.0.15 gives
// these numbers for the same commands.
func TestPausedClientsCountAsBlocked(t *testing.T) {
	w := startWorld(t, 6379, "")
	fields := regexp.MustCompile(`(blocked_clients|clients_in_timeout_table):\d+`)
	counts := func() string {
		return strings.Join(fields.FindAllString(w.do(6379, "INFO", "clients"), -1), " ")
	}
	assert.Equal(t, "OK", w.do(6379, "CLIENT", "PAUSE", "5000", "WRITE"))
	w.conn(6379).send([]string{"SET", "k", "v"})
	w.conn(6379).send([]string{"BLPOP", "l", "0"})
	assert.Equal(t, "blocked_clients:2 clients_in_timeout_table:0", counts())
	assert.Equal(t, "OK", w.do(6379, "CLIENT", "UNPAUSE"))
	assert.Equal(t, "blocked_clients:1 clients_in_timeout_table:0", counts())
	w.conn(6379).send([]string{"BLPOP", "l2", "5"}) // a deadline: in the table
	assert.Equal(t, "blocked_clients:2 clients_in_timeout_table:1", counts())
}

// A replica under CLIENT PAUSE WRITE reads its master's stream but holds the
// writes unapplied: slave_read_repl_offset reaches the master's offset while
// slave_repl_offset stays, until UNPAUSE applies them (Redis's unit/pause
// "Test when replica paused, offset would not grow").
func TestPausedReplicaReadsButDoesNotApply(t *testing.T) {
	w := synced(t, "", "")
	offsets := regexp.MustCompile(`(slave_read_repl_offset|slave_repl_offset|master_repl_offset):\d+`)
	info := func(port int) []string { return offsets.FindAllString(w.do(port, "INFO", "replication"), -1) }
	assert.Equal(t, "OK", w.do(6379, "SET", "foo", "bar"))
	w.Advance(time.Second)
	before := info(6379)[0][len("master_repl_offset:"):]

	assert.Equal(t, "OK", w.do(6378, "CLIENT", "PAUSE", "100000", "WRITE"))
	assert.Equal(t, "OK", w.do(6379, "SET", "foo2", "bar2"))
	w.Advance(time.Second)
	master := info(6379)[0][len("master_repl_offset:"):]
	require.NotEqual(t, before, master)
	assert.Equal(t, []string{"slave_read_repl_offset:" + master, "slave_repl_offset:" + before, "master_repl_offset:" + before}, info(6378))
	assert.Equal(t, "(nil)", w.do(6378, "GET", "foo2"))

	assert.Equal(t, "OK", w.do(6378, "CLIENT", "UNPAUSE"))
	assert.Equal(t, []string{"slave_read_repl_offset:" + master, "slave_repl_offset:" + master, "master_repl_offset:" + master}, info(6378))
	assert.Equal(t, "\"bar2\"", w.do(6378, "GET", "foo2"))
}

//go:build !js

package e2e

import (
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/syncscope/syncscope/core/resp"
)

// The differential test: the same steps go to a real redis-server and to
// syncscope-server, each on its own connections, and the raw replies must
// be identical. Replies whose order Redis does not define are compared as
// sets; replies with version- or process-specific fields are compared after
// a normalisation that names what it drops.

// dstep is one exchange on one connection of each server.
type dstep struct {
	conn    int      // which client of the group
	args    []string // a command; nil for raw or dread-only steps
	raw     string   // bytes sent as they are (dinline commands)
	replies int      // replies to dread; 0 means 1, -1 means none
	norm    func(resp.Value) string
	custom  func(t *testing.T, c *Client) string // runs its own exchange on each server
	sleep   time.Duration
}

func dcmd(args ...string) dstep { return dstep{args: args} }

// dinline sends text as typed into telnet.
func dinline(raw string) dstep { return dstep{raw: raw} }

// dread reads one more reply on conn (a published message) without sending.
func dread(conn int) dstep { return dstep{conn: conn} }

func dpause(d time.Duration) dstep { return dstep{sleep: d, replies: -1} }

func (s dstep) on(conn int) dstep { s.conn = conn; return s }

// n reads n replies (SUBSCRIBE a b: one per channel); -1 reads none.
func (s dstep) n(n int) dstep { s.replies = n; return s }

// set compares the top-level elements in any order.
func (s dstep) set() dstep { s.norm = dsorted(1); return s }

// pairs compares key/value pairs in any order (CONFIG GET, HGETALL).
func (s dstep) pairs() dstep { s.norm = dsorted(2); return s }

func (s dstep) with(f func(resp.Value) string) dstep { s.norm = f; return s }

// didle is OBJECT IDLETIME key just after an access: both servers answer
// whole seconds of a coarse clock, so either may have ticked once between
// the two commands; 0 and 1 compare the same, anything else as it is.
func didle(key string) dstep {
	return dcmd("OBJECT", "IDLETIME", key).with(func(v resp.Value) string {
		if v.Kind == resp.Integer && (v.Int == 0 || v.Int == 1) {
			return "0 or 1"
		}
		return drender(v)
	})
}

// drender prints a reply with every field, for comparing normalised replies.
func drender(v resp.Value) string {
	var sb strings.Builder
	var walk func(v resp.Value)
	walk = func(v resp.Value) {
		fmt.Fprintf(&sb, "%c", v.Kind)
		switch {
		case v.Null:
			sb.WriteString("null")
		case v.Elems != nil:
			fmt.Fprintf(&sb, "%d[", len(v.Elems))
			for _, e := range v.Elems {
				walk(e)
				sb.WriteByte(' ')
			}
			sb.WriteByte(']')
		case v.Kind == resp.Integer || v.Kind == resp.Boolean:
			fmt.Fprintf(&sb, "%d", v.Int)
		default:
			fmt.Fprintf(&sb, "%q", v.Str)
		}
	}
	walk(v)
	return sb.String()
}

// dsorted renders a reply with its top-level elements (taken group at
// a time, so map entries stay whole) sorted.
func dsorted(group int) func(resp.Value) string {
	return func(v resp.Value) string {
		if v.Elems == nil || len(v.Elems)%group != 0 {
			return drender(v)
		}
		var items []string
		for i := 0; i < len(v.Elems); i += group {
			s := ""
			for _, e := range v.Elems[i : i+group] {
				s += drender(e) + "|"
			}
			items = append(items, s)
		}
		sort.Strings(items)
		return fmt.Sprintf("%c%d%q", v.Kind, len(v.Elems), items)
	}
}

// dintShape keeps only that the reply is an integer (CLIENT ID).
func dintShape(v resp.Value) string {
	if v.Kind == resp.Integer {
		return "an integer"
	}
	return drender(v)
}

var ddigits = regexp.MustCompile(`^[0-9]+$`)

// dtimeShape keeps only TIME's shape: two bulk strings of digits,
// microseconds below a million.
func dtimeShape(v resp.Value) string {
	if len(v.Elems) == 2 && ddigits.Match(v.Elems[0].Str) && ddigits.Match(v.Elems[1].Str) {
		if us, _ := strconv.Atoi(string(v.Elems[1].Str)); us < 1e6 && v.Elems[0].Kind == resp.BulkString {
			return "TIME shape"
		}
	}
	return drender(v)
}

// droundedMillis compares a millisecond TTL to the nearest second (the two
// servers run the command at different moments).
func droundedMillis(v resp.Value) string {
	if v.Kind == resp.Integer && v.Int > 0 {
		return fmt.Sprintf("~%ds", (v.Int+500)/1000)
	}
	return drender(v)
}

// dhelloNorm blanks HELLO's version and client id, which differ by nature.
func dhelloNorm(v resp.Value) string {
	for i := 0; i+1 < len(v.Elems); i += 2 {
		switch string(v.Elems[i].Str) {
		case "version":
			v.Elems[i+1] = resp.Value{Kind: resp.BulkString, Str: []byte("<version>")}
		case "id":
			v.Elems[i+1] = resp.Value{Kind: resp.Integer}
		}
	}
	return drender(v)
}

// dclientFields keeps the field names of a CLIENT INFO/LIST line and the
// values that do not depend on the process (name, db, flags, cmd...).
func dclientFields(v resp.Value) string {
	if v.Kind != resp.BulkString && v.Kind != resp.Verbatim {
		return drender(v)
	}
	stable := map[string]bool{"name": true, "db": true, "sub": true, "psub": true, "multi": true,
		"flags": true, "cmd": true, "resp": true, "user": true, "events": true, "redir": true}
	var out []string
	for _, f := range strings.Fields(strings.TrimPrefix(string(v.Str), "txt:")) {
		k, _, _ := strings.Cut(f, "=")
		if stable[k] {
			out = append(out, f)
		} else {
			out = append(out, k+"=?")
		}
	}
	return strings.Join(out, " ")
}

// dcommandCore keeps of each COMMAND INFO entry the name, arity, flags and
// ACL categories (as sets), and first/last/step key positions; tips, key
// specs and subcommands are not compared (syncscope does not report them).
func dcommandCore(v resp.Value) string {
	var out []string
	for _, e := range v.Elems {
		if len(e.Elems) < 7 {
			out = append(out, drender(e))
			continue
		}
		flags, cats := dsorted(1)(e.Elems[2]), dsorted(1)(e.Elems[6])
		out = append(out, fmt.Sprintf("%s %d %s %d %d %d %s", e.Elems[0].Str, e.Elems[1].Int, flags,
			e.Elems[3].Int, e.Elems[4].Int, e.Elems[5].Int, cats))
	}
	return strings.Join(out, "\n")
}

// dpeer is one server of the pair with the group's connections.
type dpeer struct {
	name  string
	s     *Server
	conns []*Client
}

func (p *dpeer) conn(i int) *Client {
	for len(p.conns) <= i {
		p.conns = append(p.conns, p.s.Client())
	}
	return p.conns[i]
}

// exchange performs st on p and returns what is compared.
func (p *dpeer) exchange(t *testing.T, st dstep) []string {
	t.Helper()
	c := p.conn(st.conn)
	if st.custom != nil {
		return []string{st.custom(t, c)}
	}
	switch {
	case st.args != nil:
		c.Send(st.args...)
	case st.raw != "":
		c.SendRaw([]byte(st.raw))
	}
	n := st.replies
	if n == 0 {
		n = 1
	}
	var out []string
	for range max(n, 0) {
		_, raw, err := c.readRaw()
		require.NoError(t, err, "%s: reading the reply to %q%q", p.name, st.args, st.raw)
		if st.norm != nil {
			v, _, err := resp.ReadValue(raw)
			require.NoError(t, err)
			out = append(out, st.norm(v))
		} else {
			out = append(out, string(raw))
		}
	}
	return out
}

// dpair is a real redis-server and a syncscope-server with the same
// configuration.
type dpair struct {
	redis, ours *Server
}

func startDiffPair(t *testing.T, config string) *dpair {
	t.Helper()
	return &dpair{
		redis: Start(t, Options{Redis: true, Config: config}),
		ours:  Start(t, Options{Config: config}),
	}
}

// run runs steps on fresh connections after FLUSHALL and compares every reply.
func (dp *dpair) run(t *testing.T, steps []dstep) {
	t.Helper()
	r := &dpeer{name: "redis-server", s: dp.redis}
	o := &dpeer{name: "syncscope-server", s: dp.ours}
	for _, p := range []*dpeer{r, o} {
		require.Equal(t, "OK", p.conn(0).CLI("FLUSHALL"))
	}
	for i, st := range steps {
		if st.sleep > 0 {
			time.Sleep(st.sleep)
			continue
		}
		want := r.exchange(t, st)
		got := o.exchange(t, st)
		what := fmt.Sprintf("step %d on conn %d: %q", i, st.conn, st.args)
		if st.args == nil {
			what = fmt.Sprintf("step %d on conn %d: raw %q", i, st.conn, st.raw)
		}
		if !assert.ObjectsAreEqual(want, got) {
			t.Errorf("%s:\n  redis-server:     %s\n  syncscope-server: %s", what, dshort(want), dshort(got))
		}
	}
}

// dshort quotes replies for a failure message, long ones cut.
func dshort(replies []string) string {
	var out []string
	for _, r := range replies {
		if len(r) > 300 {
			r = r[:300] + fmt.Sprintf("...(%d bytes)", len(r))
		}
		out = append(out, strconv.Quote(r))
	}
	return strings.Join(out, ", ")
}

// dscanAll iterates a SCAN-family command to cursor 0 (bounded) and returns
// the elements seen, sorted and without repeats (SCAN may repeat).
func dscanAll(group int, args ...string) dstep {
	return dstep{custom: func(t *testing.T, c *Client) string {
		seen := map[string]bool{}
		cursor := "0"
		for range 10000 {
			argv := dconcat([]string{"SCAN", cursor}, args[1:])
			if args[0] != "SCAN" { // SSCAN key cursor ...
				argv = dconcat([]string{args[0], args[1], cursor}, args[2:])
			}
			v := c.Do(argv...)
			if v.Kind != resp.Array || len(v.Elems) != 2 {
				return drender(v)
			}
			els := v.Elems[1].Elems
			for i := 0; i+group <= len(els); i += group {
				s := ""
				for _, e := range els[i : i+group] {
					s += drender(e) + "|"
				}
				seen[s] = true
			}
			cursor = string(v.Elems[0].Str)
			if cursor == "0" {
				break
			}
		}
		keys := make([]string, 0, len(seen))
		for k := range seen {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		return fmt.Sprintf("cursor %s, %d: %q", cursor, len(keys), keys)
	}}
}

// dfill runs one big write (MSET or SADD of hundreds) and compares its reply.
func dfill(args ...string) dstep {
	return dstep{custom: func(t *testing.T, c *Client) string {
		return drender(c.Do(args...))
	}}
}

func dseq(prefix string, n int, withValues bool) []string {
	var out []string
	for i := range n {
		out = append(out, prefix+strconv.Itoa(i))
		if withValues {
			out = append(out, strconv.Itoa(i*7))
		}
	}
	return out
}

func dconcat(head []string, tails ...[]string) []string {
	out := append([]string(nil), head...)
	for _, t := range tails {
		out = append(out, t...)
	}
	return out
}

func TestDiffRedis(t *testing.T) {
	// DEBUG is refused unless enabled (Redis's default); the digests need it.
	dp := startDiffPair(t, "enable-debug-command yes")
	groups := []struct {
		name  string
		steps []dstep
	}{
		{"strings", dStringSteps()},
		{"keys", dKeySteps()},
		{"expiry", dExpirySteps()},
		{"dump-restore", dDumpSteps()},
		{"sets", dSetSteps()},
		{"zsets", dZsetSteps()},
		{"transactions", dTxnSteps()},
		{"pubsub", dPubsubSteps()},
		{"connection", dConnSteps()},
		{"server", dServerSteps()},
		{"inline", dInlineSteps()},
		{"resp3", dResp3Steps()},
	}
	for _, g := range groups {
		t.Run(g.name, func(t *testing.T) { dp.run(t, g.steps) })
	}
}

func dStringSteps() []dstep {
	big := strings.Repeat("x", 45)
	return []dstep{
		dcmd("SET", "s", "hello"), dcmd("GET", "s"), dcmd("GET", "nosuch"),
		dcmd("SET", "s", "v2", "GET"), dcmd("SET", "s", "v3", "NX"), dcmd("SET", "s", "v3", "XX", "GET"),
		dcmd("SET", "n1", "v", "XX"), dcmd("SET", "s", "v", "NX", "XX"), dcmd("SET", "s", "v", "EX", "0"),
		dcmd("SET", "s", "v", "EX", "abc"), dcmd("SET", "s", "v", "PX", "-5"), dcmd("SET", "s", "v", "EX", "10", "PX", "10"),
		dcmd("SET", "s", "v", "KEEPTTL", "EX", "5"), dcmd("SET", "s", "v", "BOGUS"), dcmd("SET", "s"),
		dcmd("SETNX", "s", "x"), dcmd("SETNX", "s2", "x"), dcmd("SETEX", "s3", "100", "v"), dcmd("SETEX", "s3", "0", "v"),
		dcmd("PSETEX", "s4", "100000", "v"), dcmd("GETSET", "s", "gs"), dcmd("GETSET", "nokey", "v"), dcmd("GETDEL", "nokey"),
		dcmd("GETDEL", "s2"), dcmd("GETEX", "s", "EX", "100"), dcmd("TTL", "s"), dcmd("GETEX", "s", "PERSIST"), dcmd("TTL", "s"),
		dcmd("GETEX", "s", "EX", "1", "PX", "1"), dcmd("GETEX", "nokey"),
		dcmd("MSET", "a", "1", "b", "2", "c", "3"), dcmd("MSET", "a", "1", "b"), dcmd("MGET", "a", "b", "nokey", "c"),
		dcmd("MSETNX", "a", "9", "z", "9"), dcmd("MSETNX", "y", "1", "z", "2"), dcmd("MGET", "y", "z"),
		dcmd("INCR", "cnt"), dcmd("INCRBY", "cnt", "41"), dcmd("DECR", "cnt"), dcmd("DECRBY", "cnt", "-10"),
		dcmd("INCR", "s"), dcmd("INCRBY", "cnt", "1.5"), dcmd("SET", "max", "9223372036854775807"), dcmd("INCR", "max"),
		dcmd("DECRBY", "cnt", "-9223372036854775808"),
		dcmd("INCRBYFLOAT", "f", "1.5"), dcmd("INCRBYFLOAT", "f", "0.1"), dcmd("INCRBYFLOAT", "f", "1e3"),
		dcmd("INCRBYFLOAT", "f", "-1.6"), dcmd("INCRBYFLOAT", "f", "abc"), dcmd("INCRBYFLOAT", "f", "inf"),
		dcmd("SET", "f2", "3.0e3"), dcmd("INCRBYFLOAT", "f2", "0"), dcmd("SET", "f3", " 1"), dcmd("INCRBYFLOAT", "f3", "1"),
		dcmd("APPEND", "ap", "foo"), dcmd("APPEND", "ap", "bar"), dcmd("STRLEN", "ap"), dcmd("STRLEN", "nokey"),
		dcmd("GETRANGE", "ap", "0", "2"), dcmd("GETRANGE", "ap", "-3", "-1"), dcmd("GETRANGE", "ap", "4", "1"),
		dcmd("GETRANGE", "ap", "0", "100"), dcmd("GETRANGE", "nokey", "0", "1"), dcmd("GETRANGE", "ap", "x", "1"),
		dcmd("SETRANGE", "ap", "1", "XY"), dcmd("GET", "ap"), dcmd("SETRANGE", "sr", "5", "hi"), dcmd("GET", "sr"),
		dcmd("SETRANGE", "sr", "-1", "x"), dcmd("SETRANGE", "sr2", "0", ""), dcmd("EXISTS", "sr2"),
		dcmd("SETRANGE", "sr", "536870912", "x"),
		dcmd("SET", "int", "12345"), dcmd("OBJECT", "ENCODING", "int"), dcmd("OBJECT", "ENCODING", "ap"),
		dcmd("SET", "big", big), dcmd("OBJECT", "ENCODING", "big"), dcmd("SET", "emb", big[:44]), dcmd("OBJECT", "ENCODING", "emb"),
		dcmd("APPEND", "int", "6"), dcmd("OBJECT", "ENCODING", "int"), dcmd("SET", "neg", "-0"), dcmd("OBJECT", "ENCODING", "neg"),
		dcmd("SET", "lz", "007"), dcmd("OBJECT", "ENCODING", "lz"), dcmd("INCR", "lz"), dcmd("OBJECT", "ENCODING", "lz"),
		dcmd("SADD", "aset", "m"), dcmd("GET", "aset"), dcmd("APPEND", "aset", "x"), dcmd("INCR", "aset"), dcmd("STRLEN", "aset"),
		dcmd("GET"), dcmd("MGET"), dcmd("INCRBY", "cnt"),
	}
}

func dKeySteps() []dstep {
	return []dstep{
		dcmd("MSET", "k1", "v1", "k2", "v2", "k3", "v3"), dcmd("SADD", "kset", "a", "b"), dcmd("ZADD", "kz", "1", "a"),
		dcmd("DEL", "k1", "nokey", "k1"), dcmd("UNLINK", "k2"), dcmd("EXISTS", "k3", "k3", "nokey"),
		dcmd("TYPE", "k3"), dcmd("TYPE", "kset"), dcmd("TYPE", "kz"), dcmd("TYPE", "nokey"),
		dfill(dconcat([]string{"MSET"}, dseq("key:", 300, true))...),
		dcmd("KEYS", "key:1?").set(), dcmd("KEYS", "k[13]").set(), dcmd("KEYS", "*[").set(), dcmd("KEYS", "k\\*").set(),
		dscanAll(1, "SCAN"), dscanAll(1, "SCAN", "MATCH", "key:2*"), dscanAll(1, "SCAN", "COUNT", "7"),
		dscanAll(1, "SCAN", "TYPE", "set"), dscanAll(1, "SCAN", "TYPE", "string", "MATCH", "*9", "COUNT", "1000"),
		dcmd("SCAN", "0", "COUNT", "0"), dcmd("SCAN", "abc"), dcmd("SCAN", "0", "MATCH"), dcmd("SCAN", "0", "BOGUS", "x"),
		dcmd("SCAN", "18446744073709551616"), dcmd("SCAN", "0", "TYPE", "nosuchtype").n(1).with(func(v resp.Value) string {
			return fmt.Sprint(len(v.Elems))
		}),
		dcmd("RENAME", "k3", "k4"), dcmd("GET", "k4"), dcmd("RENAME", "nokey", "x"), dcmd("RENAME", "k4", "k4"),
		dcmd("RENAMENX", "k4", "kset"), dcmd("RENAMENX", "k4", "k5"), dcmd("RENAMENX", "nokey", "x"), dcmd("RENAMENX", "k5", "k5"),
		dcmd("EXPIRE", "k5", "100"), dcmd("RENAME", "k5", "k6"), dcmd("TTL", "k6"),
		dcmd("COPY", "k6", "k7"), dcmd("GET", "k7"), dcmd("TTL", "k7"), dcmd("COPY", "k6", "k7"), dcmd("COPY", "k6", "k7", "REPLACE"),
		dcmd("COPY", "kset", "kset2"), dcmd("SMEMBERS", "kset2").set(), dcmd("COPY", "k6", "k6"), dcmd("COPY", "nokey", "x"),
		dcmd("COPY", "k6", "k8", "DB", "3"), dcmd("COPY", "k6", "k8", "DB", "16"), dcmd("COPY", "k6", "k8", "DB", "x"),
		dcmd("COPY", "k6", "k8", "BOGUS"), dcmd("SELECT", "3"), dcmd("GET", "k8"), dcmd("SELECT", "0"),
		dcmd("MOVE", "k7", "1"), dcmd("MOVE", "k7", "1"), dcmd("MOVE", "k6", "0"), dcmd("MOVE", "k6", "99"), dcmd("MOVE", "nokey", "1"),
		dcmd("SELECT", "1"), dcmd("EXISTS", "k7"), dcmd("SELECT", "0"),
		dcmd("TOUCH", "k6", "nokey", "kset"), dcmd("OBJECT", "ENCODING", "nokey"), dcmd("OBJECT", "BOGUS", "k6"),
		dcmd("OBJECT", "REFCOUNT", "k6"), dcmd("OBJECT", "FREQ", "k6"), didle("k6"),
		dcmd("OBJECT", "HELP"),
		dcmd("RANDOMKEY").with(func(v resp.Value) string { return fmt.Sprintf("%c %v", v.Kind, v.Null) }),
		dcmd("SELECT", "5"), dcmd("RANDOMKEY"), dcmd("SELECT", "0"),
		dcmd("DEL"), dcmd("EXISTS"), dcmd("RENAME", "a"), dcmd("TYPE"),
	}
}

func dExpirySteps() []dstep {
	return []dstep{
		dcmd("SET", "e", "v"), dcmd("TTL", "e"), dcmd("PTTL", "e"), dcmd("TTL", "nokey"), dcmd("PTTL", "nokey"),
		dcmd("EXPIRETIME", "e"), dcmd("EXPIRETIME", "nokey"), dcmd("PERSIST", "e"),
		dcmd("EXPIRE", "e", "100"), dcmd("TTL", "e"), dcmd("PTTL", "e").with(droundedMillis),
		dcmd("EXPIRE", "e", "200", "NX"), dcmd("EXPIRE", "e", "200", "XX"), dcmd("EXPIRE", "e", "50", "GT"),
		dcmd("EXPIRE", "e", "500", "LT"), dcmd("EXPIRE", "e", "50", "LT"), dcmd("TTL", "e"),
		dcmd("EXPIRE", "e", "10", "NX", "XX"), dcmd("EXPIRE", "e", "10", "GT", "LT"), dcmd("EXPIRE", "e", "10", "BOGUS"),
		dcmd("EXPIRE", "e", "abc"), dcmd("EXPIRE", "e", "9223372036854775807"), dcmd("PEXPIRE", "e", "9223372036854775807"),
		dcmd("EXPIREAT", "e", "4102444800"), dcmd("EXPIRETIME", "e"), dcmd("PEXPIRETIME", "e"),
		dcmd("PEXPIREAT", "e", "4102444800123"), dcmd("PEXPIRETIME", "e"), dcmd("EXPIRETIME", "e"),
		dcmd("PEXPIRE", "e", "100000"), dcmd("PTTL", "e").with(droundedMillis), dcmd("PERSIST", "e"), dcmd("PERSIST", "e"),
		dcmd("TTL", "e"), dcmd("EXPIRE", "nokey", "10"),
		dcmd("SET", "gone", "v"), dcmd("EXPIRE", "gone", "-1"), dcmd("EXISTS", "gone"),
		dcmd("SET", "gone2", "v"), dcmd("EXPIREAT", "gone2", "1"), dcmd("GET", "gone2"),
		dcmd("SET", "gone3", "v"), dcmd("PEXPIRE", "gone3", "0"), dcmd("TYPE", "gone3"),
		dcmd("SET", "soon", "v", "PX", "30"), dcmd("SADD", "soonset", "a"), dcmd("PEXPIRE", "soonset", "30"),
		dcmd("SET", "later", "v", "EX", "1000"), dcmd("SET", "exat", "v", "EXAT", "4102444800"), dcmd("EXPIRETIME", "exat"),
		dcmd("SET", "pxat", "v", "PXAT", "4102444800999"), dcmd("PEXPIRETIME", "pxat"),
		dcmd("SET", "exat", "v2", "KEEPTTL"), dcmd("EXPIRETIME", "exat"), dcmd("SET", "exat", "v3"), dcmd("EXPIRETIME", "exat"),
		dpause(80 * time.Millisecond),
		dcmd("GET", "soon"), dcmd("EXISTS", "soonset"), dcmd("TTL", "later"), dcmd("DBSIZE"), dcmd("KEYS", "*").set(),
		dcmd("SET", "ex1", "v", "EX", "100"), dcmd("GETEX", "ex1", "PXAT", "4102444800000"), dcmd("PEXPIRETIME", "ex1"),
		dcmd("GETEX", "ex1", "EXAT", "1"), dcmd("EXISTS", "ex1"),
	}
}

func dDumpSteps() []dstep {
	ints := dconcat([]string{"SADD", "dints"}, dseq("", 20, false))
	bigints := dconcat([]string{"SADD", "dbigset"}, dseq("", 600, false))
	strs := dconcat([]string{"SADD", "dstrs"}, dseq("m", 20, false))
	zs := dconcat([]string{"ZADD", "dz"}, []string{"1", "a", "2.5", "b", "-3", "c", "inf", "d"})
	var bigz []string
	for i := range 200 {
		bigz = append(bigz, strconv.Itoa(i), "member"+strconv.Itoa(i))
	}
	bigzset := dconcat([]string{"ZADD", "dbigz"}, bigz)
	steps := []dstep{
		dcmd("SET", "dstr", "hello world"), dcmd("SET", "dint", "123456789"), dcmd("SET", "dneg", "-42"),
		dcmd("SET", "dlong", strings.Repeat("abcdefgh", 100)), dcmd("SET", "dsmall", "7"),
		dcmd(ints...), dcmd(bigints...), dcmd(strs...), dcmd(zs...), dcmd(bigzset...),
		dcmd("SET", "dhuge", strings.Repeat("z", 30000)),
	}
	// A hashtable's DUMP lists members in table order, which Redis does not
	// define: those are compared through the restored copy's digest only.
	ordered := map[string]bool{"dbigset": false, "dstrs": false}
	for _, k := range []string{"dstr", "dint", "dneg", "dlong", "dsmall", "dints", "dbigset", "dstrs", "dz", "dbigz", "dhuge"} {
		steps = append(steps, dcmd("OBJECT", "ENCODING", k))
		if _, unordered := ordered[k]; !unordered {
			steps = append(steps, dcmd("DUMP", k))
		}
		steps = append(steps, drestoreCopy(k, k+":copy"),
			dcmd("DEBUG", "DIGEST-VALUE", k, k+":copy"), dcmd("OBJECT", "ENCODING", k+":copy"))
	}
	steps = append(steps,
		dcmd("DUMP", "nokey"), dcmd("RESTORE", "dstr", "0", "junk"), dcmd("RESTORE", "new", "0", "junk"),
		dcmd("RESTORE", "new", "abc", "x"), dcmd("RESTORE", "new", "-1", "x"), dcmd("RESTORE", "new", "0", "x", "BOGUS"),
		drestoreWith("dstr", "dstr", "0"), drestoreWith("dstr", "dstr", "0", "REPLACE"),
		drestoreWith("dstr", "withttl", "100000"), dcmd("TTL", "withttl"),
		drestoreWith("dstr", "abs", "4102444800000", "ABSTTL"), dcmd("PEXPIRETIME", "abs"),
		drestoreWith("dstr", "past", "1000", "ABSTTL"), dcmd("EXISTS", "past"),
		drestoreWith("dstr", "idle", "0", "IDLETIME", "1000"),
		drestoreWith("dstr", "idle2", "0", "IDLETIME", "-1"), drestoreWith("dstr", "fq", "0", "FREQ", "5"),
		drestoreWith("dstr", "fq2", "0", "FREQ", "300"),
		dcmd("DEBUG", "DIGEST"),
	)
	return steps
}

// drestoreCopy DUMPs key and RESTOREs the payload to dst on the same server.
func drestoreCopy(key, dst string) dstep { return drestoreWith(key, dst, "0") }

func drestoreWith(key, dst string, opts ...string) dstep {
	return dstep{custom: func(t *testing.T, c *Client) string {
		v := c.Do("DUMP", key)
		if v.Kind != resp.BulkString || v.Null {
			return "DUMP: " + drender(v)
		}
		args := dconcat([]string{"RESTORE", dst, opts[0], string(v.Str)}, opts[1:])
		return drender(c.Do(args...))
	}}
}

func dSetSteps() []dstep {
	return []dstep{
		dcmd("SADD", "s1", "a", "b", "c", "d"), dcmd("SADD", "s1", "a", "e"), dcmd("SADD", "s2", "c", "d", "e", "f"),
		dcmd("SADD", "si", "1", "2", "3"), dcmd("OBJECT", "ENCODING", "si"), dcmd("OBJECT", "ENCODING", "s1"),
		dcmd("SADD", "si", "x"), dcmd("OBJECT", "ENCODING", "si"),
		dcmd("SMEMBERS", "s1").set(), dcmd("SMEMBERS", "nokey"), dcmd("SISMEMBER", "s1", "a"), dcmd("SISMEMBER", "s1", "z"),
		dcmd("SMISMEMBER", "s1", "a", "z", "b"), dcmd("SCARD", "s1"), dcmd("SCARD", "nokey"),
		dcmd("SREM", "s1", "a", "z"), dcmd("SREM", "nokey", "a"),
		dcmd("SINTER", "s1", "s2").set(), dcmd("SUNION", "s1", "s2").set(), dcmd("SDIFF", "s1", "s2").set(),
		dcmd("SINTER", "s1", "nokey"), dcmd("SDIFF", "nokey", "s1"),
		dcmd("SINTERSTORE", "d1", "s1", "s2"), dcmd("SMEMBERS", "d1").set(), dcmd("SUNIONSTORE", "d2", "s1", "s2"),
		dcmd("SDIFFSTORE", "d3", "s1", "s2"), dcmd("SINTERSTORE", "d1", "nokey"), dcmd("EXISTS", "d1"),
		dcmd("SINTERCARD", "2", "s1", "s2"), dcmd("SINTERCARD", "2", "s1", "s2", "LIMIT", "1"),
		dcmd("SINTERCARD", "0", "s1"), dcmd("SINTERCARD", "3", "s1", "s2"), dcmd("SINTERCARD", "1", "s1", "LIMIT", "-1"),
		dcmd("SMOVE", "s1", "s2", "b"), dcmd("SMOVE", "s1", "s2", "zz"), dcmd("SMOVE", "nokey", "s2", "a"),
		dcmd("SET", "str", "x"), dcmd("SMOVE", "s1", "str", "c"), dcmd("SADD", "str", "a"), dcmd("SINTER", "s1", "str"),
		dcmd("SPOP", "nokey"), dcmd("SPOP", "s1", "0"), dcmd("SPOP", "s1", "-1"), dcmd("SRANDMEMBER", "nokey"),
		dcmd("SRANDMEMBER", "nokey", "5"), dcmd("SRANDMEMBER", "s2", "0"), dcmd("SRANDMEMBER", "s2", "100").set(),
		dcmd("SRANDMEMBER", "s2", "-3").with(func(v resp.Value) string { return fmt.Sprint(len(v.Elems)) }),
		dcmd("SPOP", "s2", "100").set(), dcmd("EXISTS", "s2"),
		dfill(dconcat([]string{"SADD", "sbig"}, dseq("m", 300, false))...), dcmd("OBJECT", "ENCODING", "sbig"),
		dscanAll(1, "SSCAN", "sbig"), dscanAll(1, "SSCAN", "sbig", "MATCH", "m1*", "COUNT", "5"),
		dscanAll(1, "SSCAN", "si"), dcmd("SSCAN", "nokey", "0"), dcmd("SSCAN", "sbig", "x"),
		dfill(dconcat([]string{"SADD", "sints"}, dseq("", 513, false))...), dcmd("OBJECT", "ENCODING", "sints"),
		dcmd("SADD", "s"), dcmd("SINTERCARD", "x", "a"), dcmd("SMISMEMBER", "s1"),
	}
}

func dZsetSteps() []dstep {
	return []dstep{
		dcmd("ZADD", "z", "1", "a", "2", "b", "3", "c", "4", "d", "5", "e"), dcmd("ZADD", "z", "NX", "10", "a", "6", "f"),
		dcmd("ZADD", "z", "XX", "CH", "10", "a", "7", "g"), dcmd("ZADD", "z", "GT", "CH", "1", "b", "20", "c"),
		dcmd("ZADD", "z", "LT", "CH", "0", "d"), dcmd("ZADD", "z", "INCR", "5", "e"), dcmd("ZADD", "z", "INCR", "1", "a", "2", "b"),
		dcmd("ZADD", "z", "NX", "XX", "1", "a"), dcmd("ZADD", "z", "GT", "LT", "1", "a"), dcmd("ZADD", "z", "NX", "GT", "1", "a"),
		dcmd("ZADD", "z", "x", "a"), dcmd("ZADD", "z", "1"), dcmd("ZADD", "z", "nan", "a"), dcmd("ZADD", "z", "XX", "INCR", "1", "nokey"),
		dcmd("ZRANGE", "z", "0", "-1", "WITHSCORES"), dcmd("ZSCORE", "z", "a"), dcmd("ZSCORE", "z", "nope"),
		dcmd("ZMSCORE", "z", "a", "nope", "b"), dcmd("ZINCRBY", "z", "2.5", "b"), dcmd("ZINCRBY", "z", "x", "b"),
		dcmd("ZCARD", "z"), dcmd("ZCOUNT", "z", "1", "5"), dcmd("ZCOUNT", "z", "(1", "+inf"), dcmd("ZCOUNT", "z", "x", "1"),
		dcmd("ZADD", "lex", "0", "a", "0", "b", "0", "c", "0", "d"), dcmd("ZLEXCOUNT", "lex", "[b", "+"),
		dcmd("ZLEXCOUNT", "lex", "b", "+"), dcmd("ZRANGEBYLEX", "lex", "(a", "[c"), dcmd("ZREVRANGEBYLEX", "lex", "+", "-", "LIMIT", "1", "2"),
		dcmd("ZRANGE", "z", "1", "3"), dcmd("ZRANGE", "z", "-2", "-1", "REV"), dcmd("ZRANGE", "z", "2", "7", "BYSCORE", "WITHSCORES"),
		dcmd("ZRANGE", "z", "(20", "-inf", "BYSCORE", "REV", "LIMIT", "1", "2"), dcmd("ZRANGE", "lex", "[a", "(d", "BYLEX"),
		dcmd("ZRANGE", "z", "0", "-1", "LIMIT", "0", "1"), dcmd("ZRANGE", "lex", "0", "1", "BYLEX"),
		dcmd("ZRANGE", "z", "0", "1", "BYSCORE", "BYLEX"), dcmd("ZRANGE", "lex", "-", "+", "BYLEX", "WITHSCORES"),
		dcmd("ZRANGESTORE", "zdst", "z", "0", "2"), dcmd("ZRANGE", "zdst", "0", "-1", "WITHSCORES"),
		dcmd("ZRANGESTORE", "zdst", "z", "100", "200"), dcmd("EXISTS", "zdst"),
		dcmd("ZRANGEBYSCORE", "z", "-inf", "+inf", "WITHSCORES", "LIMIT", "1", "-1"), dcmd("ZREVRANGEBYSCORE", "z", "+inf", "5"),
		dcmd("ZREVRANGE", "z", "0", "2", "WITHSCORES"), dcmd("ZRANK", "z", "c"), dcmd("ZREVRANK", "z", "c"), dcmd("ZRANK", "z", "nope"),
		dcmd("ZREM", "z", "a", "nope"), dcmd("ZREMRANGEBYRANK", "z", "0", "0"), dcmd("ZREMRANGEBYSCORE", "z", "(6", "7"),
		dcmd("ZREMRANGEBYLEX", "lex", "[a", "[b"), dcmd("ZPOPMIN", "z"), dcmd("ZPOPMAX", "z", "2"), dcmd("ZPOPMIN", "z", "-1"),
		dcmd("ZPOPMIN", "nokey"), dcmd("ZRANGE", "z", "0", "-1", "WITHSCORES"),
		dcmd("ZADD", "z1", "1", "a", "2", "b", "3", "c"), dcmd("ZADD", "z2", "10", "b", "20", "c", "30", "d"), dcmd("SADD", "zs", "a", "d"),
		dcmd("ZUNIONSTORE", "u", "2", "z1", "z2"), dcmd("ZRANGE", "u", "0", "-1", "WITHSCORES"),
		dcmd("ZUNIONSTORE", "u", "3", "z1", "z2", "zs", "WEIGHTS", "2", "1", "0.5", "AGGREGATE", "MAX"), dcmd("ZRANGE", "u", "0", "-1", "WITHSCORES"),
		dcmd("ZINTERSTORE", "i", "2", "z1", "z2", "AGGREGATE", "MIN"), dcmd("ZRANGE", "i", "0", "-1", "WITHSCORES"),
		dcmd("ZINTERSTORE", "i", "0", "z1"), dcmd("ZUNIONSTORE", "u", "2", "z1"), dcmd("ZUNIONSTORE", "u", "1", "z1", "WEIGHTS", "x"),
		dcmd("ZINTERSTORE", "i", "2", "z1", "nokey"), dcmd("EXISTS", "i"),
		dcmd("OBJECT", "ENCODING", "z1"), dfill(dconcat([]string{"ZADD", "zbig"}, dseq("", 260, true))...),
		dcmd("OBJECT", "ENCODING", "zbig"), dcmd("ZADD", "zlong", "1", strings.Repeat("m", 65)), dcmd("OBJECT", "ENCODING", "zlong"),
		dscanAll(2, "ZSCAN", "zbig"), dscanAll(2, "ZSCAN", "z1"), dscanAll(2, "ZSCAN", "zbig", "MATCH", "*5", "COUNT", "3"),
		dcmd("ZADD", "zinf", "-inf", "a", "+inf", "b", "0.1", "c", "1e100", "d", "-0", "e"), dcmd("ZRANGE", "zinf", "0", "-1", "WITHSCORES"),
		dcmd("ZINCRBY", "zinf", "-inf", "b"), dcmd("ZSCORE", "zinf", "d"),
		dcmd("SET", "zstr", "x"), dcmd("ZADD", "zstr", "1", "a"), dcmd("ZRANGE", "zstr", "0", "1"), dcmd("ZUNIONSTORE", "u", "1", "zstr"),
		dcmd("BZPOPMIN", "z1", "0"), dcmd("BZPOPMAX", "nokey", "z2", "0.01"), dcmd("BZPOPMIN", "nokey", "0.01"),
		dcmd("BZPOPMIN", "z1", "-1"), dcmd("BZPOPMIN", "z1", "x"),
	}
}

func dTxnSteps() []dstep {
	return []dstep{
		dcmd("MULTI"), dcmd("SET", "t", "1"), dcmd("INCR", "t"), dcmd("GET", "t"), dcmd("EXEC"),
		dcmd("MULTI"), dcmd("MULTI"), dcmd("SET", "t", "x"), dcmd("INCR", "t"), dcmd("EXEC"), dcmd("GET", "t"),
		dcmd("EXEC"), dcmd("DISCARD"),
		dcmd("MULTI"), dcmd("SET", "t", "y"), dcmd("DISCARD"), dcmd("GET", "t"),
		dcmd("MULTI"), dcmd("NOSUCHCMD"), dcmd("SET", "t", "z"), dcmd("EXEC"), dcmd("GET", "t"),
		dcmd("MULTI"), dcmd("GET"), dcmd("EXEC"),
		dcmd("MULTI"), dcmd("WATCH", "t"), dcmd("DISCARD"),
		dcmd("SET", "w", "0"), dcmd("WATCH", "w"), dcmd("SET", "w", "1").on(1), dcmd("MULTI"), dcmd("INCR", "w"), dcmd("EXEC"), dcmd("GET", "w"),
		dcmd("WATCH", "w"), dcmd("MULTI"), dcmd("INCR", "w"), dcmd("EXEC"), dcmd("GET", "w"),
		dcmd("WATCH", "w", "w2"), dcmd("UNWATCH"), dcmd("SET", "w", "5").on(1), dcmd("MULTI"), dcmd("INCR", "w"), dcmd("EXEC"),
		dcmd("WATCH", "gone"), dcmd("SET", "gone", "x").on(1), dcmd("DEL", "gone").on(1), dcmd("MULTI"), dcmd("PING"), dcmd("EXEC"),
		dcmd("WATCH", "nokey"), dcmd("MULTI"), dcmd("PING"), dcmd("EXEC"),
		dcmd("WATCH", "nokey"), dcmd("FLUSHDB").on(1), dcmd("MULTI"), dcmd("PING"), dcmd("EXEC"),
		dcmd("SET", "dead", "v", "PX", "10"), dpause(30 * time.Millisecond), dcmd("WATCH", "dead"), dcmd("MULTI"),
		dcmd("PING"), dcmd("EXEC"),
		dcmd("SET", "dead", "v", "PX", "10"), dpause(30 * time.Millisecond), dcmd("WATCH", "dead"), dcmd("GET", "dead").on(1),
		dcmd("MULTI"), dcmd("PING"), dcmd("EXEC"),
		dcmd("SET", "dead", "v", "PX", "10"), dpause(30 * time.Millisecond), dcmd("WATCH", "dead"), dcmd("SET", "dead", "x").on(1),
		dcmd("MULTI"), dcmd("PING"), dcmd("EXEC"),
		dcmd("EXEC", "x"), dcmd("MULTI"), dcmd("EXEC", "x"), dcmd("EXEC"),
		dcmd("SET", "fw", "1"), dcmd("WATCH", "fw"), dcmd("FLUSHDB").on(1), dcmd("MULTI"), dcmd("PING"), dcmd("EXEC"),
		dcmd("SET", "ew", "1", "PX", "20"), dcmd("WATCH", "ew"), dpause(50 * time.Millisecond), dcmd("MULTI"), dcmd("PING"), dcmd("EXEC"),
		dcmd("MULTI"), dcmd("SET", "str", "x"), dcmd("INCR", "str"), dcmd("SADD", "str", "a"), dcmd("GET", "str"), dcmd("EXEC"),
		dcmd("MULTI"), dcmd("SUBSCRIBE", "ch"), dcmd("EXEC"),
		dcmd("MULTI"), dcmd("SELECT", "1"), dcmd("SET", "indb1", "v"), dcmd("EXEC"), dcmd("GET", "indb1"), dcmd("SELECT", "0"),
		dcmd("MULTI"), dcmd("EXEC"),
		dcmd("WATCH"), dcmd("MULTI", "x"),
	}
}

func dPubsubSteps() []dstep {
	return []dstep{
		dcmd("SUBSCRIBE", "news", "sport").on(1).n(2), dcmd("PSUBSCRIBE", "n*", "x?").on(2).n(2),
		dcmd("PUBLISH", "news", "hello"), dread(1), dread(2),
		dcmd("PUBLISH", "sport", "goal"), dread(1), dcmd("PUBLISH", "xy", "p"), dread(2), dcmd("PUBLISH", "nobody", "m"), dread(2), dcmd("PUBLISH", "zzz", "m"),
		dcmd("PUBSUB", "CHANNELS").set(), dcmd("PUBSUB", "CHANNELS", "s*"), dcmd("PUBSUB", "NUMSUB", "news", "sport", "none"),
		dcmd("PUBSUB", "NUMPAT"), dcmd("PUBSUB", "NUMSUB"), dcmd("PUBSUB", "BOGUS"), dcmd("PUBSUB", "HELP"),
		dcmd("GET", "x").on(1), dcmd("PING").on(1), dcmd("PING", "hi").on(1), dcmd("SET", "a", "b").on(2),
		dcmd("SUBSCRIBE", "news").on(1), dcmd("UNSUBSCRIBE", "news").on(1), dcmd("UNSUBSCRIBE", "nosuch").on(1),
		// conn 2's n* gets "news" too: read it, or the PUNSUBSCRIBE below
		// would take it for its reply and race the next PUBLISH.
		dcmd("PUBLISH", "news", "again"), dcmd("PUBLISH", "sport", "two"), dread(1), dread(2),
		dcmd("PUNSUBSCRIBE", "x?").on(2), dcmd("PUBLISH", "xy", "p"), dcmd("PUBLISH", "nnn", "q"), dread(2),
		dcmd("UNSUBSCRIBE").on(1), dcmd("GET", "x").on(1), dcmd("UNSUBSCRIBE").on(1),
		dcmd("PUNSUBSCRIBE").on(2), dcmd("PUNSUBSCRIBE").on(2), dcmd("PUBSUB", "NUMPAT"), dcmd("PUBSUB", "CHANNELS"),
		dcmd("PSUBSCRIBE", "a", "a").on(3).n(2), dcmd("SUBSCRIBE", "c", "c").on(3).n(2), dcmd("PUBLISH", "a", "x"), dread(3),
		dcmd("PUBLISH", "c", "y"), dread(3), dcmd("UNSUBSCRIBE", "c", "d").on(3).n(2), dcmd("PUNSUBSCRIBE", "a", "b").on(3).n(2),
		dcmd("SUBSCRIBE"), dcmd("PUBLISH", "a"),
		// RESP3 subscribers get pushes and may run any command.
		dcmd("HELLO", "3").on(4).with(dhelloNorm), dcmd("SUBSCRIBE", "r3").on(4), dcmd("SET", "k", "v").on(4), dcmd("GET", "k").on(4),
		dcmd("PUBLISH", "r3", "m"), dread(4), dcmd("PING").on(4), dcmd("UNSUBSCRIBE").on(4),
	}
}

func dConnSteps() []dstep {
	return []dstep{
		dcmd("PING"), dcmd("PING", "hello"), dcmd("PING", "a", "b"), dcmd("ECHO", "x y"), dcmd("ECHO"), dcmd("ECHO", "a", "b"),
		dcmd("SELECT", "16"), dcmd("SELECT", "-1"), dcmd("SELECT", "abc"), dcmd("SELECT", "15"), dcmd("SET", "in15", "v"), dcmd("SELECT", "0"),
		dcmd("SET", "in0", "v"), dcmd("SWAPDB", "0", "15"), dcmd("GET", "in15"), dcmd("GET", "in0"), dcmd("SWAPDB", "0", "16"),
		dcmd("SWAPDB", "x", "1"), dcmd("SWAPDB", "0"), dcmd("SWAPDB", "3", "3"), dcmd("DBSIZE"), dcmd("SELECT", "15"), dcmd("DBSIZE"),
		dcmd("SELECT", "0"),
		dcmd("HELLO").with(dhelloNorm), dcmd("HELLO", "2").with(dhelloNorm), dcmd("HELLO", "4"), dcmd("HELLO", "x"), dcmd("HELLO", "1"),
		dcmd("HELLO", "2", "AUTH", "default", "x").with(dhelloNorm), dcmd("HELLO", "2", "SETNAME", "hn").with(dhelloNorm), dcmd("CLIENT", "GETNAME"),
		dcmd("HELLO", "2", "BOGUS"), dcmd("HELLO", "2", "SETNAME", "bad name"), dcmd("HELLO", "3").with(dhelloNorm),
		dcmd("CLIENT", "GETNAME"), dcmd("HELLO", "2").with(dhelloNorm),
		dcmd("CLIENT", "SETNAME", "myname"), dcmd("CLIENT", "GETNAME"), dcmd("CLIENT", "SETNAME", "bad name"),
		dcmd("CLIENT", "SETNAME", "bad\nname"), dcmd("CLIENT", "SETNAME", ""), dcmd("CLIENT", "GETNAME"),
		dcmd("CLIENT", "SETNAME"), dcmd("CLIENT", "ID").with(dintShape), dcmd("CLIENT", "ID", "x"),
		dcmd("CLIENT", "SETNAME", "info-me"), dcmd("CLIENT", "INFO").with(dclientFields),
		dcmd("CLIENT", "SETINFO", "lib-name", "x"), dcmd("CLIENT", "BOGUS"), dcmd("CLIENT"),
		dcmd("CLIENT", "KILL", "ID", "999999"), dcmd("CLIENT", "KILL", "1.2.3.4:5"), dcmd("CLIENT", "KILL", "BOGUS", "x"),
		dcmd("CLIENT", "LIST", "TYPE", "bogus"), dcmd("CLIENT", "LIST", "ID", "x"),
		// A type name is a C string: it ends at a NUL, in the match and the error.
		dcmd("CLIENT", "LIST", "TYPE", "bo\x00gus"), dcmd("CLIENT", "KILL", "TYPE", "bo\x00gus"),
		dcmd("CLIENT", "HELP"), dcmd("CONFIG", "HELP"), dcmd("COMMAND", "HELP"), dcmd("OBJECT", "HELP"),
		dcmd("PUBSUB", "HELP"),
		dcmd("AUTH", "x"), dcmd("AUTH", "a", "b"), dcmd("AUTH"),
		dcmd("QUIT").on(1), dstep{conn: 1, custom: func(t *testing.T, c *Client) string { return fmt.Sprint(c.Closed()) }},
	}
}

var dconfigParams = []string{
	"databases", "maxclients", "timeout", "tcp-keepalive", "tcp-backlog", "hz", "dynamic-hz", "loglevel",
	"save", "appendonly", "appendfsync", "rdbcompression", "rdbchecksum", "dbfilename", "stop-writes-on-bgsave-error",
	"maxmemory", "maxmemory-policy", "maxmemory-samples", "proto-max-bulk-len", "client-query-buffer-limit",
	"hash-max-listpack-entries", "hash-max-listpack-value", "hash-max-ziplist-entries", "set-max-intset-entries",
	"zset-max-listpack-entries", "zset-max-listpack-value", "zset-max-ziplist-value", "list-max-listpack-size",
	"list-compress-depth", "repl-backlog-size", "repl-backlog-ttl", "repl-timeout", "repl-diskless-sync",
	"repl-diskless-sync-delay", "repl-ping-replica-period", "replica-dread-only", "replica-serve-stale-data",
	"replica-priority", "min-replicas-to-write", "min-replicas-max-lag", "masterauth", "masteruser", "replicaof",
	"requirepass", "protected-mode", "notify-keyspace-events", "lazyfree-lazy-eviction", "lazyfree-lazy-expire",
	"activerehashing", "lua-time-limit", "busy-reply-threshold", "slowlog-log-slower-than", "slowlog-max-len",
	"latency-monitor-threshold", "client-output-buffer-limit", "daemonize", "supervised", "syslog-enabled",
	"io-threads", "active-expire-effort", "lfu-log-factor", "lfu-decay-time", "maxmemory-clients",
	"set-proc-title", "crash-log-enabled", "oom-score-adj", "tls-port", "unixsocket", "bind-source-addr",
}

func dServerSteps() []dstep {
	steps := []dstep{}
	for _, p := range dconfigParams {
		steps = append(steps, dcmd("CONFIG", "GET", p).pairs())
	}
	steps = append(steps,
		dcmd(dconcat([]string{"CONFIG", "GET"}, dconfigParams[:20])...).pairs(),
		dcmd("CONFIG", "GET", "*max-*-entries*").pairs(), dcmd("CONFIG", "GET", "repl*").pairs(),
		dcmd("CONFIG", "GET", "nosuch"), dcmd("CONFIG", "GET"),
		dcmd("CONFIG", "SET", "nosuch", "1"), dcmd("CONFIG", "SET", "maxmemory", "abc"), dcmd("CONFIG", "SET", "hz", "x"),
		dcmd("CONFIG", "SET", "daemonize", "yes"), dcmd("CONFIG", "SET", "maxmemory"), dcmd("CONFIG", "SET", "hz", "5", "hz", "6"),
		dcmd("CONFIG", "SET", "appendfsync", "sometimes"), dcmd("CONFIG", "SET", "maxmemory-policy", "bogus"),
		dcmd("CONFIG", "SET", "timeout", "-1"), dcmd("CONFIG", "SET", "save", "x"), dcmd("CONFIG", "SET", "databases", "4"),
		dcmd("CONFIG", "SET", "maxmemory", "10mb"), dcmd("CONFIG", "GET", "maxmemory"), dcmd("CONFIG", "SET", "maxmemory", "0"),
		dcmd("CONFIG", "SET", "hz", "20", "timeout", "0"), dcmd("CONFIG", "GET", "hz"), dcmd("CONFIG", "SET", "hz", "10"),
		dcmd("CONFIG", "SET", "notify-keyspace-events", "KEA"), dcmd("CONFIG", "GET", "notify-keyspace-events"),
		dcmd("CONFIG", "SET", "notify-keyspace-events", "Q"), dcmd("CONFIG", "SET", "notify-keyspace-events", ""),
		dcmd("CONFIG", "BOGUS"), dcmd("CONFIG", "RESETSTAT"),
		dcmd("COMMAND", "INFO", "get", "set", "mget", "mset", "del", "expire", "sadd", "zadd", "zrange", "zunionstore",
			"sintercard", "multi", "exec", "watch", "subscribe", "publish", "ping", "echo", "select", "swapdb", "hello",
			"dbsize", "flushdb", "time", "rename", "copy", "dump", "restore", "scan", "bzpopmin", "nosuch").with(dcommandCore),
		dcmd("COMMAND", "INFO", "auth", "quit", "keys", "object", "touch", "getex", "setrange", "incrbyfloat", "zrangestore",
			"randomkey", "move", "smove", "spop", "srandmember", "info", "save", "bgsave", "lastsave", "shutdown", "monitor").with(dcommandCore),
		dcmd("COMMAND", "INFO", "config|get", "client|setname", "object|encoding", "pubsub|channels").with(dcommandCore),
		dcmd("COMMAND", "BOGUS"), dcmd("COMMAND", "GETKEYS", "set", "a", "b"), dcmd("COMMAND", "GETKEYS", "mset", "a", "1", "b", "2"),
		dcmd("COMMAND", "GETKEYS", "ping"), dcmd("COMMAND", "GETKEYS", "zunionstore", "d", "2", "a", "b"),
		dcmd("DBSIZE"), dcmd("SET", "a", "1"), dcmd("SADD", "b", "x"), dcmd("DBSIZE"), dcmd("FLUSHDB"), dcmd("DBSIZE"),
		dcmd("FLUSHDB", "ASYNC"), dcmd("FLUSHDB", "SYNC"), dcmd("FLUSHDB", "BOGUS"), dcmd("FLUSHALL", "BOGUS"),
		dcmd("TIME").with(dtimeShape), dcmd("TIME", "x"), dcmd("LASTSAVE").with(dintShape),
		dcmd("DEBUG", "DIGEST"),
		dcmd("SET", "d1", "v1"), dcmd("SET", "d2", "12345"), dcmd("SADD", "d3", "a", "b", "1"), dcmd("ZADD", "d4", "1.5", "x", "2", "y"),
		dcmd("SELECT", "2"), dcmd("SET", "d1", "other"), dcmd("SELECT", "0"), dcmd("EXPIREAT", "d1", "4102444800"),
		dcmd("DEBUG", "DIGEST"), dcmd("DEBUG", "DIGEST-VALUE", "d1", "d2", "d3", "d4", "nokey"),
		dcmd("PERSIST", "d1"), dcmd("DEBUG", "DIGEST"), dcmd("DEBUG", "BOGUS"),
		dcmd("NOSUCH"), dcmd("NOSUCH", "a", "b"), dcmd("nosuch", strings.Repeat("x", 200)), dcmd("GET", "a", "b"),
		dcmd("get"), dcmd("SeT", "a"), dcmd("PING", "x", "y", "z"), dcmd("DBSIZE", "x"), dcmd(""),
		dcmd("SAVE"), dcmd("LASTSAVE", "x"), dcmd("INFO", "keyspace"),
	)
	return steps
}

func dInlineSteps() []dstep {
	return []dstep{
		dinline("PING\r\n"), dinline("SET greeting \"hello world\"\r\n"), dinline("GET greeting\r\n"),
		dinline("SET q 'it\\'s'\r\n"), dinline("GET q\r\n"), dinline("SET q2 \"a\\x41\\n\\tb\"\r\n"), dinline("GET q2\r\n"), dinline("ECHO 'a\\'b'\r\n"),
		dinline("   ECHO    spaced   out  \r\n"), dinline("echo x\n"), dinline("\r\n").n(-1), dinline("PING\r\n"),
		dinline("ECHO \"\"\r\n"), dinline("SET\r\n"), dinline("NOSUCH a b\r\n"), dinline("MGET greeting q\r\nPING\r\n").n(2),
		dinline("ECHO \"unbalanced\r\n").on(1),
		dstep{conn: 1, custom: func(t *testing.T, c *Client) string { return fmt.Sprint(c.Closed()) }},
		dinline("ECHO \"a\"b\r\n").on(2),
		dstep{conn: 2, custom: func(t *testing.T, c *Client) string { return fmt.Sprint(c.Closed()) }},
		dinline("*1\r\n$4\r\nPING\r\nPING\r\n").n(2), dinline("*0\r\nPING\r\n"), dinline("*-1\r\nPING\r\n"),
		dinline("*2\r\n$4\r\nECHO\r\n$0\r\n\r\n"),
	}
}

func dResp3Steps() []dstep {
	return []dstep{
		dcmd("HELLO", "3").with(dhelloNorm),
		dcmd("SET", "k", "v"), dcmd("GET", "k"), dcmd("GET", "nokey"), dcmd("MGET", "k", "nokey"), dcmd("EXISTS", "k"),
		dcmd("INCRBYFLOAT", "f", "1.5"), dcmd("SADD", "s", "a", "b", "c"), dcmd("SMEMBERS", "s").set(),
		dcmd("SISMEMBER", "s", "a"), dcmd("SMISMEMBER", "s", "a", "z"), dcmd("SINTER", "s", "s").set(), dcmd("SPOP", "nokey"),
		dcmd("SRANDMEMBER", "nokey", "3"),
		dcmd("ZADD", "z", "1", "a", "2.5", "b"), dcmd("ZADD", "z", "INCR", "1", "a"), dcmd("ZADD", "z", "NX", "INCR", "1", "a"),
		dcmd("ZSCORE", "z", "b"), dcmd("ZSCORE", "z", "x"), dcmd("ZMSCORE", "z", "a", "x"), dcmd("ZINCRBY", "z", "1", "b"),
		dcmd("ZRANGE", "z", "0", "-1", "WITHSCORES"), dcmd("ZRANGEBYSCORE", "z", "-inf", "inf", "WITHSCORES"),
		dcmd("ZPOPMIN", "z"), dcmd("ZPOPMAX", "z", "3"), dcmd("ZRANK", "z", "x"), dcmd("BZPOPMIN", "nokey", "0.01"),
		dcmd("ZADD", "z", "1", "a", "2", "b"), dcmd("BZPOPMIN", "z", "0"), dcmd("ZRANDMEMBER", "nokey", "2", "WITHSCORES"),
		dcmd("CONFIG", "GET", "maxmemory", "hz", "databases").pairs(), dcmd("CONFIG", "GET", "nosuch"),
		dcmd("SCAN", "0", "MATCH", "k"), dcmd("TTL", "k"), dcmd("OBJECT", "ENCODING", "k"), dcmd("TYPE", "k"),
		dcmd("MULTI"), dcmd("GET", "k"), dcmd("ZSCORE", "z", "b"), dcmd("SMEMBERS", "nokey"), dcmd("EXEC"),
		dcmd("WATCH", "k"), dcmd("SET", "k", "2").on(1), dcmd("MULTI"), dcmd("GET", "k"), dcmd("EXEC"),
		dcmd("PING"), dcmd("ECHO", "e"), dcmd("TIME").with(dtimeShape), dcmd("CLIENT", "INFO").with(dclientFields),
		dcmd("COMMAND", "INFO", "get", "nosuch").with(dcommandCore), dcmd("PUBSUB", "NUMSUB", "a"), dcmd("DEBUG", "DIGEST-VALUE", "k"),
		dcmd("DUMP", "nokey"), dcmd("NOSUCH"), dcmd("GET"),
		dcmd("HELLO", "2").with(dhelloNorm), dcmd("ZSCORE", "z", "b"),
	}
}

// TestDiffListsHashes is the differential test of the list and hash
// commands, blocking pops served from another connection included.
func TestDiffListsHashes(t *testing.T) {
	dp := startDiffPair(t, "enable-debug-command yes")
	t.Run("lists", func(t *testing.T) { dp.run(t, dListSteps()) })
	t.Run("hashes", func(t *testing.T) { dp.run(t, dHashSteps()) })
}

func dListSteps() []dstep {
	long := strings.Repeat("v", 70)
	return []dstep{
		dcmd("RPUSH", "l", "a", "b", "c"), dcmd("LPUSH", "l", "z", "y"), dcmd("LRANGE", "l", "0", "-1"),
		dcmd("LPUSHX", "nokey", "a"), dcmd("RPUSHX", "l", "d"), dcmd("LLEN", "l"), dcmd("LLEN", "nokey"),
		dcmd("LINDEX", "l", "0"), dcmd("LINDEX", "l", "-1"), dcmd("LINDEX", "l", "100"), dcmd("LINDEX", "l", "x"),
		dcmd("LSET", "l", "1", "Y"), dcmd("LSET", "l", "100", "x"), dcmd("LSET", "nokey", "0", "x"),
		dcmd("LRANGE", "l", "-100", "100"), dcmd("LRANGE", "l", "3", "1"), dcmd("LRANGE", "nokey", "0", "-1"),
		dcmd("RPUSH", "r", "a", "b", "a", "c", "a"), dcmd("LREM", "r", "-2", "a"), dcmd("LRANGE", "r", "0", "-1"),
		dcmd("LREM", "r", "0", "a"), dcmd("LREM", "r", "1", "zz"), dcmd("LTRIM", "l", "1", "-2"), dcmd("LRANGE", "l", "0", "-1"),
		dcmd("LTRIM", "l", "5", "1"), dcmd("EXISTS", "l"),
		dcmd("RPUSH", "i", "a", "b", "c"), dcmd("LINSERT", "i", "BEFORE", "b", "x"), dcmd("LINSERT", "i", "AFTER", "c", "y"),
		dcmd("LINSERT", "i", "AFTER", "nope", "y"), dcmd("LINSERT", "i", "MIDDLE", "b", "y"), dcmd("LINSERT", "nokey", "BEFORE", "a", "b"),
		dcmd("LRANGE", "i", "0", "-1"),
		dcmd("RPUSH", "p", "a", "b", "c", "1", "2", "3", "c", "c"), dcmd("LPOS", "p", "c"), dcmd("LPOS", "p", "c", "RANK", "-1"),
		dcmd("LPOS", "p", "c", "COUNT", "0"), dcmd("LPOS", "p", "c", "COUNT", "2", "RANK", "2"), dcmd("LPOS", "p", "c", "MAXLEN", "3"),
		dcmd("LPOS", "p", "c", "RANK", "0"), dcmd("LPOS", "p", "x"), dcmd("LPOS", "p", "c", "COUNT", "-1"),
		dcmd("LPOP", "p"), dcmd("RPOP", "p"), dcmd("LPOP", "p", "2"), dcmd("RPOP", "p", "0"), dcmd("LPOP", "nokey"),
		dcmd("LPOP", "nokey", "2"), dcmd("LPOP", "p", "-1"), dcmd("RPOP", "p", "100"), dcmd("EXISTS", "p"),
		dcmd("RPUSH", "m", "1", "2", "3"), dcmd("RPOPLPUSH", "m", "m2"), dcmd("LMOVE", "m", "m2", "LEFT", "RIGHT"),
		dcmd("LMOVE", "m", "m", "LEFT", "RIGHT"), dcmd("LMOVE", "m", "m2", "UP", "LEFT"), dcmd("LRANGE", "m", "0", "-1"),
		dcmd("LRANGE", "m2", "0", "-1"), dcmd("RPOPLPUSH", "nokey", "m2"),
		dcmd("LMPOP", "2", "nokey", "m2", "LEFT", "COUNT", "5"), dcmd("LMPOP", "1", "nokey", "LEFT"), dcmd("LMPOP", "0", "m", "LEFT"),
		dcmd("BLPOP", "nokey", "m", "0"), dcmd("BRPOP", "nokey", "0.01"), dcmd("BLMOVE", "m", "m3", "RIGHT", "LEFT", "0.01"),
		dcmd("BLPOP", "m", "-1"), dcmd("BLMPOP", "0.01", "1", "nokey", "LEFT"),
		dcmd("BLPOP", "bl", "0").on(1).n(-1), dcmd("RPUSH", "bl", "x", "y"), dread(1), dcmd("LRANGE", "bl", "0", "-1"),
		dcmd("BRPOPLPUSH", "bl2", "bl3", "0").on(2).n(-1), dcmd("LPUSH", "bl2", "q"), dread(2), dcmd("LRANGE", "bl3", "0", "-1"),
		dcmd("RPUSH", "enc", "a", "1"), dcmd("OBJECT", "ENCODING", "enc"), dcmd("RPUSH", "enc", long), dcmd("OBJECT", "ENCODING", "enc"),
		dfill(dconcat([]string{"RPUSH", "big"}, dseq("e", 200, false))...), dcmd("OBJECT", "ENCODING", "big"),
		dcmd("DUMP", "enc"), dcmd("DUMP", "big"), drestoreCopy("big", "big:copy"), dcmd("DEBUG", "DIGEST-VALUE", "big", "big:copy"),
		dcmd("LRANGE", "big:copy", "190", "-1"), dcmd("SET", "str", "x"), dcmd("LPUSH", "str", "a"), dcmd("LRANGE", "str", "0", "1"),
		dcmd("LPUSH", "l"), dcmd("LINDEX", "l"), dcmd("DEBUG", "DIGEST"),
	}
}

func dHashSteps() []dstep {
	var many []string
	for i := range 600 {
		many = append(many, "f"+strconv.Itoa(i), strconv.Itoa(i))
	}
	return []dstep{
		dcmd("HSET", "h", "a", "1", "b", "2"), dcmd("HSET", "h", "a", "3", "c", "4"), dcmd("HSET", "h", "a"),
		dcmd("HSETNX", "h", "a", "x"), dcmd("HSETNX", "h", "d", "5"), dcmd("HMSET", "h", "e", "6"), dcmd("HGET", "h", "a"),
		dcmd("HGET", "h", "nope"), dcmd("HGET", "nokey", "a"), dcmd("HMGET", "h", "a", "nope", "b"), dcmd("HMGET", "nokey", "a"),
		dcmd("HDEL", "h", "e", "nope"), dcmd("HEXISTS", "h", "a"), dcmd("HEXISTS", "h", "e"), dcmd("HLEN", "h"), dcmd("HLEN", "nokey"),
		dcmd("HKEYS", "h"), dcmd("HVALS", "h"), dcmd("HGETALL", "h"), dcmd("HGETALL", "nokey"),
		dcmd("HINCRBY", "h", "a", "10"), dcmd("HINCRBY", "h", "new", "-5"), dcmd("HINCRBY", "h", "a", "x"),
		dcmd("HSET", "h", "s", "abc"), dcmd("HINCRBY", "h", "s", "1"), dcmd("HINCRBYFLOAT", "h", "f", "1.5"),
		dcmd("HINCRBYFLOAT", "h", "f", "0.1"), dcmd("HINCRBYFLOAT", "h", "s", "1"), dcmd("HINCRBYFLOAT", "h", "f", "inf"),
		dcmd("HSET", "h", "max", "9223372036854775807"), dcmd("HINCRBY", "h", "max", "1"),
		dcmd("HSTRLEN", "h", "s"), dcmd("HSTRLEN", "h", "nope"), dcmd("HRANDFIELD", "nokey"), dcmd("HRANDFIELD", "h", "0"),
		dcmd("HRANDFIELD", "h", "100").set(), dcmd("HRANDFIELD", "h", "100", "WITHVALUES").pairs(),
		dcmd("HRANDFIELD", "h", "-5").with(func(v resp.Value) string { return fmt.Sprint(len(v.Elems)) }),
		dcmd("HRANDFIELD", "h", "x"), dcmd("HRANDFIELD", "h", "1", "BOGUS"),
		dcmd("OBJECT", "ENCODING", "h"), dfill(dconcat([]string{"HSET", "hbig"}, many)...), dcmd("OBJECT", "ENCODING", "hbig"),
		dcmd("HGETALL", "hbig").pairs(), dcmd("HKEYS", "hbig").set(), dcmd("HSET", "hlong", "f", strings.Repeat("x", 65)),
		dcmd("OBJECT", "ENCODING", "hlong"),
		dscanAll(2, "HSCAN", "hbig"), dscanAll(2, "HSCAN", "h"), dscanAll(2, "HSCAN", "hbig", "MATCH", "f1*", "COUNT", "7"),
		dcmd("HSCAN", "nokey", "0"), dcmd("HSCAN", "h", "x"),
		dcmd("DUMP", "h"), drestoreCopy("h", "h:copy"), drestoreCopy("hbig", "hbig:copy"),
		dcmd("DEBUG", "DIGEST-VALUE", "h", "h:copy", "hbig", "hbig:copy"), dcmd("OBJECT", "ENCODING", "hbig:copy"),
		dcmd("HELLO", "3").with(dhelloNorm), dcmd("HGETALL", "h"), dcmd("HGETALL", "hbig").pairs(), dcmd("HRANDFIELD", "h", "2", "WITHVALUES").with(func(v resp.Value) string { return fmt.Sprint(len(v.Elems)) }),
		dcmd("HGET", "h", "nope"), dcmd("HMGET", "h", "a", "nope"), dcmd("HELLO", "2").with(dhelloNorm),
		dcmd("SET", "str", "x"), dcmd("HSET", "str", "a", "b"), dcmd("HGET", "str", "a"), dcmd("HSET", "h"), dcmd("HGET", "h"),
		dcmd("DEBUG", "DIGEST"),
	}
}

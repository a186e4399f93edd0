package rdb

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// The fixtures in testdata/*.rdb were written by a real redis-server 7.0.15
// (testdata/gen.sh) after it was filled with fixtureDataset's commands;
// testdata/expected.json is that dataset as the tests read it back.

var (
	fixtureCmds   = flag.String("fixture-cmds", "", "write fixtureDataset as RESP commands to this file (for gen.sh)")
	fixtureExpect = flag.String("fixture-expect", "", "write fixtureDataset as expected.json to this file (for gen.sh)")
)

// fixtureExpireMs are fixed absolute expiries (2100-01-01 and a bit) so the
// fixtures are reproducible.
const fixtureExpireMs = 4102444800000

func bs(s string) []byte { return []byte(s) }

// fixtureDataset has every type in its small and large encodings.
func fixtureDataset() []*Entry {
	var es []*Entry
	add := func(db int, key string, exp int64, en Entry) {
		en.DB, en.Key, en.ExpireMs = db, bs(key), exp
		es = append(es, &en)
	}
	str := func(db int, key, val string) { add(db, key, -1, Entry{Kind: KindString, Str: bs(val)}) }
	binary := make([]byte, 256)
	for i := range binary {
		binary[i] = byte(i)
	}
	str(0, "str:int", "42")
	str(0, "str:neg", "-12345")
	str(0, "str:int32", "-2147483648")
	str(0, "str:2^40", "1099511627776")
	str(0, "str:leading-zero", "007")
	str(0, "str:short", "hello")
	str(0, "str:empty", "")
	str(0, "str:long", strings.Repeat("syncscope replicates redis ", 40))
	str(0, "str:21", strings.Repeat("a", 21))
	add(0, "str:binary", -1, Entry{Kind: KindString, Str: binary})
	str(0, "12345", "integer key")
	add(0, "str:ttl", fixtureExpireMs, Entry{Kind: KindString, Str: bs("expires")})

	h := func(n, valLen int) []Field {
		var fs []Field
		for i := range n {
			v := strconv.Itoa(i * 7)
			if valLen > 0 && i == n-1 {
				v = strings.Repeat("v", valLen)
			}
			fs = append(fs, Field{bs("field:" + strconv.Itoa(i)), bs(v)})
		}
		return fs
	}
	add(0, "hash:small", -1, Entry{Kind: KindHash, Hash: []Field{{bs("name"), bs("redis")}, {bs("port"), bs("6379")}, {bs("empty"), bs("")}}})
	add(0, "hash:200", -1, Entry{Kind: KindHash, Hash: h(200, 0)})
	add(0, "hash:600", -1, Entry{Kind: KindHash, Hash: h(600, 0)})
	add(0, "hash:bigvalue", -1, Entry{Kind: KindHash, Hash: h(3, 100)})
	add(0, "hash:ttl", fixtureExpireMs+123, Entry{Kind: KindHash, Hash: h(2, 0)})

	ints := func(n, mul, off int) [][]byte {
		var s [][]byte
		for i := range n {
			s = append(s, bs(strconv.Itoa(i*mul+off)))
		}
		return s
	}
	add(0, "set:intset16", -1, Entry{Kind: KindSet, Set: [][]byte{bs("3"), bs("1"), bs("-7"), bs("2")}})
	add(0, "set:intset32", -1, Entry{Kind: KindSet, Set: [][]byte{bs("100000"), bs("-5")}})
	add(0, "set:intset64", -1, Entry{Kind: KindSet, Set: [][]byte{bs("1099511627776"), bs("-1099511627776"), bs("0")}})
	add(0, "set:strings", -1, Entry{Kind: KindSet, Set: [][]byte{bs("a"), bs("b"), bs("c"), bs("007")}})
	add(0, "set:600ints", -1, Entry{Kind: KindSet, Set: ints(600, 3, -100)})
	add(0, "set:512ints", -1, Entry{Kind: KindSet, Set: ints(512, 1000, 0)})

	zs := func(n int, memberLen int) []ZMember {
		var z []ZMember
		for i := range n {
			m := "member:" + strconv.Itoa(i)
			if memberLen > 0 && i == 0 {
				m = strings.Repeat("m", memberLen)
			}
			z = append(z, ZMember{bs(m), float64(i%17) * 1.25})
		}
		return z
	}
	add(0, "zset:small", -1, Entry{Kind: KindZSet, ZSet: []ZMember{{bs("one"), 1}, {bs("two.5"), 2.5}, {bs("minus"), -3}, {bs("tie"), 1}}})
	add(0, "zset:inf", -1, Entry{Kind: KindZSet, ZSet: []ZMember{{bs("pinf"), math.Inf(1)}, {bs("ninf"), math.Inf(-1)}, {bs("tiny"), 1e-300}, {bs("big"), 1.5e300}, {bs("third"), 1.0 / 3}}})
	add(0, "zset:200", -1, Entry{Kind: KindZSet, ZSet: zs(200, 0)})
	add(0, "zset:longmember", -1, Entry{Kind: KindZSet, ZSet: zs(3, 100)})

	list := func(n int) [][]byte {
		var l [][]byte
		for i := range n {
			switch i % 4 {
			case 0:
				l = append(l, bs(strconv.Itoa(i)))
			case 1:
				l = append(l, bs("item:"+strconv.Itoa(i)))
			case 2:
				l = append(l, bs(strconv.Itoa(-i*1000003)))
			default:
				l = append(l, bs(strings.Repeat("x", i%40)))
			}
		}
		return l
	}
	add(0, "list:small", -1, Entry{Kind: KindList, List: [][]byte{bs("a"), bs("b"), bs("1"), bs("-5"), bs("300"), bs("70000"), bs("9999999999"), bs("")}})
	add(0, "list:10000", -1, Entry{Kind: KindList, List: list(10000)})
	add(0, "list:bigelements", -1, Entry{Kind: KindList, List: [][]byte{bs(strings.Repeat("y", 5000)), bs("small"), bs(strings.Repeat("z", 20000)), bs("tail")}})
	add(0, "list:ttl", fixtureExpireMs+456, Entry{Kind: KindList, List: [][]byte{bs("x")}})

	str(1, "db1:str", "in db 1")
	add(1, "db1:list", -1, Entry{Kind: KindList, List: [][]byte{bs("p"), bs("q")}})
	add(5, "db5:zset", fixtureExpireMs, Entry{Kind: KindZSet, ZSet: []ZMember{{bs("z"), 26}}})
	return es
}

// fillCommands returns the RESP commands that build es in a Redis server.
func fillCommands(es []*Entry) []byte {
	var b bytes.Buffer
	cmd := func(args ...[]byte) {
		fmt.Fprintf(&b, "*%d\r\n", len(args))
		for _, a := range args {
			fmt.Fprintf(&b, "$%d\r\n%s\r\n", len(a), a)
		}
	}
	score := func(f float64) []byte {
		switch {
		case math.IsInf(f, 1):
			return bs("+inf")
		case math.IsInf(f, -1):
			return bs("-inf")
		}
		return strconv.AppendFloat(nil, f, 'g', 17, 64)
	}
	db := -1
	for _, e := range es {
		if e.DB != db {
			db = e.DB
			cmd(bs("SELECT"), bs(strconv.Itoa(db)))
		}
		switch e.Kind {
		case KindString:
			cmd(bs("SET"), e.Key, e.Str)
		case KindList:
			for part := range slices.Chunk(e.List, 500) {
				cmd(append([][]byte{bs("RPUSH"), e.Key}, part...)...)
			}
		case KindSet:
			cmd(append([][]byte{bs("SADD"), e.Key}, e.Set...)...)
		case KindHash:
			args := [][]byte{bs("HSET"), e.Key}
			for _, f := range e.Hash {
				args = append(args, f.Field, f.Value)
			}
			cmd(args...)
		case KindZSet:
			args := [][]byte{bs("ZADD"), e.Key}
			for _, z := range e.ZSet {
				args = append(args, score(z.Score), z.Member)
			}
			cmd(args...)
		}
		if e.ExpireMs >= 0 {
			cmd(bs("PEXPIREAT"), e.Key, bs(strconv.FormatInt(e.ExpireMs, 10)))
		}
	}
	return b.Bytes()
}

// jsonEntry is one key of expected.json. Byte strings are base64 (JSON's
// form for []byte) so binary values survive; scores are strings so that
// infinities do.
type jsonEntry struct {
	DB       int         `json:"db"`
	Key      []byte      `json:"key"`
	ExpireMs int64       `json:"expire_ms"`
	Kind     string      `json:"kind"`
	Str      []byte      `json:"str,omitempty"`
	List     [][]byte    `json:"list,omitempty"`
	Set      [][]byte    `json:"set,omitempty"`
	Hash     [][2][]byte `json:"hash,omitempty"`
	ZSet     [][2]string `json:"zset,omitempty"`
}

type expectedFile struct {
	Entries []jsonEntry `json:"entries"`
}

func toJSON(e *Entry) jsonEntry {
	j := jsonEntry{DB: e.DB, Key: e.Key, ExpireMs: e.ExpireMs, Kind: e.Kind.String(), Str: e.Str, List: e.List, Set: e.Set}
	for _, f := range e.Hash {
		j.Hash = append(j.Hash, [2][]byte{f.Field, f.Value})
	}
	for _, z := range e.ZSet {
		j.ZSet = append(j.ZSet, [2]string{string(z.Member), strconv.FormatFloat(z.Score, 'g', -1, 64)})
	}
	return j
}

func fromJSON(t *testing.T, j jsonEntry) *Entry {
	e := &Entry{DB: j.DB, Key: j.Key, ExpireMs: j.ExpireMs, Str: j.Str, List: j.List, Set: j.Set}
	k := slices.Index(kindNames[:], j.Kind)
	require.GreaterOrEqual(t, k, 0, "kind %q", j.Kind)
	e.Kind = Kind(k)
	for _, f := range j.Hash {
		e.Hash = append(e.Hash, Field{f[0], f[1]})
	}
	for _, z := range j.ZSet {
		f, err := strconv.ParseFloat(z[1], 64)
		require.NoError(t, err)
		e.ZSet = append(e.ZSet, ZMember{bs(z[0]), f})
	}
	if e.Kind == KindString && e.Str == nil {
		e.Str = []byte{}
	}
	return e
}

// TestWriteFixtureInputs is gen.sh's hook: with -fixture-cmds/-fixture-expect
// it writes the dataset out; otherwise it only checks the dataset is sane.
func TestWriteFixtureInputs(t *testing.T) {
	es := fixtureDataset()
	require.NotEmpty(t, fillCommands(es))
	if *fixtureCmds != "" {
		require.NoError(t, os.WriteFile(*fixtureCmds, fillCommands(es), 0o644))
	}
	if *fixtureExpect != "" {
		// One key per line keeps the file diffable.
		b := []byte("{\"entries\": [\n")
		for i, e := range es {
			line, err := json.Marshal(toJSON(e))
			require.NoError(t, err)
			if i > 0 {
				b = append(b, ",\n"...)
			}
			b = append(b, line...)
		}
		b = append(b, "\n]}\n"...)
		require.NoError(t, os.WriteFile(*fixtureExpect, b, 0o644))
	}
}

// normalize sorts what has no order (set members, hash fields, zset members)
// and the keys themselves, so datasets compare with require.Equal.
func normalize(es []*Entry) []*Entry {
	out := make([]*Entry, 0, len(es))
	for _, e := range es {
		c := *e
		c.Set = slices.Clone(c.Set)
		slices.SortFunc(c.Set, bytes.Compare)
		c.Hash = slices.Clone(c.Hash)
		slices.SortFunc(c.Hash, func(a, b Field) int { return bytes.Compare(a.Field, b.Field) })
		c.ZSet = slices.Clone(c.ZSet)
		slices.SortFunc(c.ZSet, func(a, b ZMember) int { return bytes.Compare(a.Member, b.Member) })
		if c.Kind == KindString && c.Str == nil {
			c.Str = []byte{}
		}
		c.ListNodes = nil // node boundaries are not content
		out = append(out, &c)
	}
	slices.SortFunc(out, func(a, b *Entry) int {
		if a.DB != b.DB {
			return a.DB - b.DB
		}
		return bytes.Compare(a.Key, b.Key)
	})
	return out
}

// cloneEntry copies the element slice of e's kind, which Load reuses for
// the next key (the byte slices in it are the caller's already).
func cloneEntry(e *Entry) *Entry {
	c := Entry{DB: e.DB, Key: e.Key, ExpireMs: e.ExpireMs, Kind: e.Kind, Str: e.Str}
	switch e.Kind {
	case KindList:
		c.List, c.ListNodes = slices.Clone(e.List), slices.Clone(e.ListNodes)
	case KindSet:
		c.Set = slices.Clone(e.Set)
	case KindHash:
		c.Hash = slices.Clone(e.Hash)
	case KindZSet:
		c.ZSet = slices.Clone(e.ZSet)
	}
	return &c
}

func loadAll(t testing.TB, data []byte) (Info, []*Entry) {
	var es []*Entry
	info, err := Load(data, func(e *Entry) error {
		es = append(es, cloneEntry(e))
		return nil
	})
	require.NoError(t, err)
	return info, es
}

func readExpected(t *testing.T) []*Entry {
	b, err := os.ReadFile("testdata/expected.json")
	require.NoError(t, err)
	var f expectedFile
	require.NoError(t, json.Unmarshal(b, &f))
	var es []*Entry
	for _, j := range f.Entries {
		es = append(es, fromJSON(t, j))
	}
	return es
}

func TestExpectedMatchesDataset(t *testing.T) {
	require.Equal(t, normalize(fixtureDataset()), normalize(readExpected(t)),
		"testdata/expected.json is stale: run testdata/gen.sh")
}

func TestLoadRedisFixtures(t *testing.T) {
	want := normalize(readExpected(t))
	files, err := filepath.Glob("testdata/redis-7.0.15-*.rdb")
	require.NoError(t, err)
	require.Len(t, files, 3)
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			data, err := os.ReadFile(file)
			require.NoError(t, err)
			info, es := loadAll(t, data)
			require.Equal(t, 10, info.Version)
			v, ok := info.Get("redis-ver")
			require.True(t, ok)
			require.Equal(t, "7.0.15", v)
			bits, _ := info.Get("redis-bits")
			require.Equal(t, "64", bits)
			if strings.Contains(file, "replica") {
				id, ok := info.Get("repl-id")
				require.True(t, ok, "a replica's RDB carries repl-id")
				require.Len(t, id, 40)
				off, ok := info.Get("repl-offset")
				require.True(t, ok)
				n, err := strconv.ParseInt(off, 10, 64)
				require.NoError(t, err)
				require.GreaterOrEqual(t, n, int64(0))
			}
			require.Equal(t, want, normalize(es))
		})
	}
}

package plainjson

import (
	"encoding/json"
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/syncscope/syncscope/wasm/playground"
)

type inner struct {
	A int `json:"a"`
	B string
}

type Embedded struct {
	E1 int    `json:"e1"`
	E2 string `json:"e2,omitempty"`
}

type outer struct {
	Embedded
	*inner
	Name    string            `json:"name"`
	Skip    string            `json:"-"`
	Omit    int               `json:"omit,omitempty"`
	OmitP   *inner            `json:"omitp,omitempty"`
	P       *inner            `json:"p"`
	Any     any               `json:"any"`
	M       map[string]int    `json:"m"`
	IM      map[int]string    `json:"im"`
	S       []string          `json:"s"`
	Arr     [2]bool           `json:"arr"`
	Bytes   []byte            `json:"bytes"`
	F32     float32           `json:"f32"`
	D       time.Duration     `json:"d"`
	T       time.Time         `json:"t"`
	Empty   map[string]string `json:"empty,omitempty"`
	private int
}

// Marshal writes what encoding/json writes, byte for byte.
func TestMarshalAsEncodingJSON(t *testing.T) {
	strs := []string{"", "plain", `q"b\s`, "\x00\x01\x1f\x7f", "\b\f\n\r\t", "<a href='x'>&amp;</a>",
		"héllo wörld", "日本", "\u2028\u2029", "bad \xff\xfe utf8", "\xc3", "emoji 😀", "a\u0085b"}
	floats := []float64{0, math.Copysign(0, -1), 1, -1.5, 0.1, 1e-6, 9.99e-7, 1e20, 1e21, 1.5e300, -2.5e-300,
		math.MaxFloat64, math.SmallestNonzeroFloat64, 123456789.125, 1.0 / 3}
	cases := []any{
		nil, true, false, 0, -1, math.MaxInt64, math.MinInt64, uint64(math.MaxUint64), int8(-8), uint8(200),
		float32(0.1), float32(1e-7), float32(3e21), []int(nil), []int{}, []int{1, 2}, map[string]int(nil),
		map[string]any{"b": 1, "a": []any{"x", nil, 2.5}, "": true}, map[int]int{10: 1, 9: 2, -1: 3},
		map[uint16]string{7: "x"}, []byte(nil), []byte{}, []byte("hello\x00\xff"), [0]int{}, (*inner)(nil),
		&inner{A: 1, B: "b"}, struct{}{}, outer{}, time.Date(2026, 12, 6, 8, 0, 0, 123, time.UTC),
		outer{Embedded: Embedded{E1: 1, E2: "e"}, inner: &inner{A: 2}, Name: "n", Skip: "s", Omit: 3,
			OmitP: &inner{}, P: &inner{B: "<&>"}, Any: map[string]any{"k": []string{"v"}}, M: map[string]int{"z": 1, "y": 2},
			IM: map[int]string{2: "two", 10: "ten"}, S: []string{"a", ""}, Arr: [2]bool{true}, Bytes: []byte{1, 2, 3},
			F32: 1.25, D: time.Second, T: time.Unix(1e9, 5).UTC(), Empty: map[string]string{}, private: 1},
	}
	for _, s := range strs {
		cases = append(cases, s, map[string]string{s: s})
	}
	for _, f := range floats {
		cases = append(cases, f, -f)
	}
	for _, v := range cases {
		want, err := json.Marshal(v)
		require.NoError(t, err, "%#v", v)
		got, err := Marshal(v)
		require.NoError(t, err, "%#v", v)
		assert.Equal(t, string(want), string(got), "%#v", v)
	}
}

// What encoding/json refuses, Marshal refuses.
func TestMarshalRefuses(t *testing.T) {
	for _, v := range []any{math.NaN(), math.Inf(1), float32(math.Inf(-1)), make(chan int), func() {}, complex(1, 2),
		map[float64]int{1: 1}, []any{1, math.NaN()}} {
		_, jerr := json.Marshal(v)
		require.Error(t, jerr, "%#v", v)
		_, err := Marshal(v)
		assert.Error(t, err, "%#v", v)
	}
}

// The playground's own values, as the bindings hand them to JavaScript:
// nodes, states, logs, messages, the timeline, lessons, the RDB view.
func TestMarshalPlaygroundValues(t *testing.T) {
	p := playground.New(1)
	require.NoError(t, p.StartNode(6379, "", false))
	require.NoError(t, p.StartNode(6378, "port 6378\nslaveof 127.0.0.1 6379\n", false))
	p.Advance(8 * time.Second)
	done := false
	p.Exec(6379, `set name "<redis>\xff"`, func(string) { done = true })
	for i := 0; !done && i < 100; i++ {
		p.Advance(100 * time.Millisecond)
	}
	require.True(t, done)
	p.Latency(6379, 6378, 1500*time.Microsecond)
	p.Cut(6379, 6378)
	p.Advance(time.Second)
	paused, speed := p.Clock()
	at, building := p.Checkpoints()
	values := []any{
		p.Nodes(), p.State(6379), p.State(6378), p.Logs(6378, 0), p.TakeMessages(), p.Actions(), p.Position(),
		p.Said(), p.Cuts(), p.Links(), p.Moments(), p.RDBParts(6378), p.Timeline("", 0, 0, 0),
		p.Lesson("", nil), playground.Interpret(`set a "b c"`), playground.Complete("SE"),
		map[string]any{"paused": paused, "speed": speed}, map[string]any{"at": at, "building": building},
	}
	for i, v := range values {
		want, err := json.Marshal(v)
		require.NoError(t, err, "value %d", i)
		got, err := Marshal(v)
		require.NoError(t, err, "value %d", i)
		assert.Equal(t, string(want), string(got), "value %d", i)
		assert.NotContains(t, []string{"null", "[]", "{}"}, string(got), "value %d is not empty", i)
	}
}

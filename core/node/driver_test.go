package node_test

import (
	"fmt"
	"os/exec"
	"reflect"
	"runtime"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/syncscope/syncscope/core/node"
)

// TestDriverMissingEffectDoesNotBuild builds testdata/forgetful, a driver
// without RewriteFile: the compiler refuses it, and accepts it once the
// method is there (so the refusal is about that method, nothing else).
func TestDriverMissingEffectDoesNotBuild(t *testing.T) {
	if runtime.GOOS == "js" {
		t.Skip("no go command under js/wasm")
	}
	gobin, err := exec.LookPath("go") // go test puts its own first on PATH
	if err != nil {
		t.Skip("the go command is not available")
	}
	build := func(tags string) (string, error) {
		out, err := exec.Command(gobin, "build", "-tags", tags, "-o", "/dev/null", "./testdata/forgetful").CombinedOutput()
		return string(out), err
	}
	out, err := build("complete")
	require.NoError(t, err, "the complete driver builds: %s", out)
	out, err = build("")
	require.Error(t, err)
	assert.Contains(t, out, "missing method RewriteFile")
}

// TestDriverHasAMethodPerEffect: every effect field of Ready has its Driver
// method, so a new effect cannot be added without every driver learning it.
func TestDriverHasAMethodPerEffect(t *testing.T) {
	method := map[string]string{
		"Logs": "Log", "Writes": "Write", "Closes": "Close", "Drops": "Drop", "Dials": "Dial",
		"Snapshots": "Snapshot", "Files": "RewriteFile", "WakeAt": "WakeAt", "Exit": "Exit", "ExitCode": "Exit",
	}
	driver := reflect.TypeFor[node.Driver]()
	used := map[string]bool{}
	for f := range reflect.TypeFor[node.Ready]().Fields() {
		m, ok := method[f.Name]
		if assert.True(t, ok, "Ready.%s has no Driver method: add one and apply it in Ready.Apply", f.Name) {
			_, found := driver.MethodByName(m)
			assert.True(t, found, "Driver.%s", m)
			used[m] = true
		}
	}
	assert.Equal(t, driver.NumMethod(), len(used), "every Driver method carries a Ready effect")
}

// recorder is a Driver that notes each effect it is given.
type recorder []string

func (r *recorder) add(s string)            { *r = append(*r, s) }
func (r *recorder) Log(l []node.LogLine)    { r.add("log " + l[0].Text) }
func (r *recorder) Write(w node.Write)      { r.add("write " + string(w.Data)) }
func (r *recorder) Close(node.ConnID)       { r.add("close") }
func (r *recorder) Drop(node.ConnID)        { r.add("drop") }
func (r *recorder) Dial(d node.Dial)        { r.add("dial " + d.Addr) }
func (r *recorder) Snapshot(node.Snapshot)  { r.add("snapshot") }
func (r *recorder) RewriteFile(f node.File) { r.add("file " + f.Name) }
func (r *recorder) WakeAt(t time.Time)      { r.add("wake " + t.Format("15:04")) }
func (r *recorder) Exit(code int)           { r.add(fmt.Sprintf("exit %d", code)) }

func TestApplyOrder(t *testing.T) {
	at := time.Date(2026, 1, 2, 3, 4, 0, 0, time.UTC)
	rd := node.Ready{
		Files: []node.File{{Name: "redis.conf"}}, Snapshots: []node.Snapshot{{}}, Dials: []node.Dial{{Addr: "m:1"}},
		Drops: []node.ConnID{1}, Closes: []node.ConnID{2}, Writes: []node.Write{{Data: []byte("a")}, {Data: []byte("b")}},
		Logs: []node.LogLine{{Text: "hi"}}, WakeAt: at,
	}
	var r recorder
	assert.False(t, rd.Apply(&r))
	assert.Equal(t, recorder{"log hi", "write a", "write b", "close", "drop", "dial m:1", "snapshot", "file redis.conf", "wake 03:04"}, r)

	// An exit comes last and wants no wake.
	r = nil
	assert.True(t, node.Ready{Writes: rd.Writes[:1], WakeAt: at, Exit: true, ExitCode: 1}.Apply(&r))
	assert.Equal(t, recorder{"write a", "exit 1"}, r)
}

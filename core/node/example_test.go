package node_test

import (
	"fmt"
	"time"

	"github.com/syncscope/syncscope/core/config"
	"github.com/syncscope/syncscope/core/node"
)

// printer is the smallest Driver: it prints what the node writes and
// ignores the rest (a real driver dials, saves, rewrites and exits).
type printer struct{}

func (printer) Write(w node.Write)       { fmt.Printf("conn %d <- %q\n", w.Conn, w.Data) }
func (printer) Log([]node.LogLine)       {}
func (printer) Close(node.ConnID)        {}
func (printer) Drop(node.ConnID)         {}
func (printer) Dial(node.Dial)           {}
func (printer) Snapshot(s node.Snapshot) { s.Snap.Release() }
func (printer) RewriteFile(node.File)    {}
func (printer) WakeAt(time.Time)         {}
func (printer) Exit(int)                 {}

// A driver's loop: step each event into the node, then apply the effects
// it has accumulated. Time is whatever the driver says it is.
func ExampleNode() {
	cfg, _, _ := config.Parse("port 6379\nsave \"\"\n", nil)
	now := time.Date(2026, 12, 6, 0, 0, 0, 0, time.UTC)
	n, err := node.New(cfg, node.Env{Now: now, Seed: [2]uint64{1, 2}, Pid: 1})
	if err != nil {
		panic(err)
	}
	n.Ready().Apply(printer{}) // the start-up log
	for _, ev := range []node.Event{
		node.Accepted{Conn: 1, Peer: "127.0.0.1:50000", Local: "127.0.0.1:6379"},
		node.Received{Conn: 1, Data: []byte("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\nGET k\r\n")},
		node.Wake{},
	} {
		now = now.Add(time.Millisecond)
		if err := n.Step(now, ev); err != nil {
			panic(err)
		}
		n.Ready().Apply(printer{})
	}
	// Output:
	// conn 1 <- "+OK\r\n$1\r\nv\r\n"
}

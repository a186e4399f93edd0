// Package forgetful is a driver that forgets to rewrite files, as
// syncscope-server once did: driver_test.go checks that it does not build
// (and that it does with the rewrite_complete.go method added).
package forgetful

import (
	"time"

	"github.com/syncscope/syncscope/core/node"
)

type driver struct{}

func (driver) Log([]node.LogLine)     {}
func (driver) Write(node.Write)       {}
func (driver) Close(node.ConnID)      {}
func (driver) Drop(node.ConnID)       {}
func (driver) Dial(node.Dial)         {}
func (driver) Snapshot(node.Snapshot) {}
func (driver) WakeAt(time.Time)       {}
func (driver) Exit(int)               {}

// Run applies a node's effects with the driver.
func Run(n *node.Node) bool { return n.Ready().Apply(driver{}) }

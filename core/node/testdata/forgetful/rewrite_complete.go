//go:build complete

package forgetful

import "github.com/syncscope/syncscope/core/node"

func (driver) RewriteFile(node.File) {}

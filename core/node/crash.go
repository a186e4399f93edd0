package node

import (
	"fmt"
	"strings"

	"github.com/syncscope/syncscope/core/cstr"
)

// CrashReport renders the part of Redis's bug report (printCrashReport) that
// shows the server's state: INFO, CLIENT LIST and the client whose command
// was running, with its argv. The driver calls it after a panic escaped a
// Step, so the state may be half-changed: a section that panics in turn is
// replaced by a line saying so, and the rest is still written.
func (n *Node) CrashReport() string {
	var sb strings.Builder
	section := func(title string, render func() string) {
		sb.WriteString("\n------ " + title + " ------\n")
		func() {
			defer func() {
				if v := recover(); v != nil {
					fmt.Fprintf(&sb, "(could not be rendered: %v)\n", v)
				}
			}()
			sb.WriteString(render())
		}()
	}
	section("INFO OUTPUT", func() string { return n.Info("all") }) // with its CRLFs, as Redis logs it
	section("CLIENT LIST OUTPUT", func() string {
		var lines strings.Builder
		for _, c := range n.order {
			lines.WriteString(n.clientInfo(c) + "\n")
		}
		return lines.String()
	})
	section("CURRENT CLIENT INFO", func() string {
		c := n.current
		if c == nil {
			return ""
		}
		var lines strings.Builder
		lines.WriteString(n.clientInfo(c) + "\n")
		for i, a := range n.currentArgs {
			fmt.Fprintf(&lines, "argv[%d]: '%s'\n", i, cstr.Repr(a[:min(len(a), 128)]))
		}
		return lines.String()
	})
	return sb.String()
}

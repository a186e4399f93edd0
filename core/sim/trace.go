package sim

import (
	"fmt"
	"strings"
)

// FormatTrace renders w's trace per node, oldest first: the world's own
// lines (cuts, heals, violations) under "world", then each node's events,
// log lines and state changes. last > 0 keeps only each part's last lines.
func FormatTrace(w *World, last int) string {
	var b strings.Builder
	parts := append([]int{0}, w.Ports()...)
	for _, port := range parts {
		var lines []TraceLine
		for _, l := range w.trace {
			if l.Port == port {
				lines = append(lines, l)
			}
		}
		name := fmt.Sprintf("node %d", port)
		if port == 0 {
			name = "world"
		}
		fmt.Fprintf(&b, "=== %s (%d lines)\n", name, len(lines))
		if last > 0 && len(lines) > last {
			fmt.Fprintf(&b, "    ... %d earlier lines\n", len(lines)-last)
			lines = lines[len(lines)-last:]
		}
		for _, l := range lines {
			fmt.Fprintf(&b, "%s %s\n", l.At.Sub(Epoch).Truncate(1000), l.Text)
		}
	}
	return b.String()
}

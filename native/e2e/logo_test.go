//go:build !js

package e2e

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// always-show-logo yes prints Redis's ASCII logo in place of the "Running
// mode" line; Redis's test harness waits for its " PID: <pid>" line before
// it runs a single test. The banner must be redis-server's, byte for byte.
func TestAlwaysShowLogo(t *testing.T) {
	logo := func(redis bool) string {
		s := Start(t, Options{Redis: redis, Config: "always-show-logo yes"})
		log := s.WaitLog("Ready to accept connections")
		require.Contains(t, log, fmt.Sprintf(" PID: %d\n", s.Proc.Pid()))
		start := strings.Index(log, "                _._")
		end := strings.Index(log, "Server initialized")
		require.True(t, start >= 0 && end > start, "no logo before Server initialized:\n%s", log)
		block := log[start:end]
		block = block[:strings.LastIndex(block, "\n")+1] // up to the next line's prefix
		block = strings.Replace(block, fmt.Sprintf("Port: %d\n", s.Port), "Port: PORT\n", 1)
		return strings.Replace(block, fmt.Sprintf("PID: %d\n", s.Proc.Pid()), "PID: PID\n", 1)
	}
	want := logo(true)
	assert.Equal(t, want, logo(false))
	assert.NotContains(t, want, "Running mode=")
}

// Without it (and with a log file, not a terminal) there is one line.
func TestNoLogoByDefault(t *testing.T) {
	s := Start(t, Options{})
	log := s.WaitLog("Ready to accept connections")
	assert.Contains(t, log, fmt.Sprintf("Running mode=standalone, port=%d.", s.Port))
	assert.NotContains(t, log, "PID: ")
}

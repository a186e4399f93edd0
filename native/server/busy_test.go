package server

import (
	"net"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// waitBusy sends PING on c until it is answered BUSY (the script passed
// busy-reply-threshold), and returns the reply.
func waitBusy(t *testing.T, c net.Conn) string {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		_, err := c.Write(command("PING"))
		require.NoError(t, err)
		got := string(readValue(t, c).Str)
		if strings.HasPrefix(got, "BUSY") || time.Now().After(deadline) {
			return got
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// Both engines serve other clients while a script runs long (the node's
// Busy: the loop's channel or the poller, drained from inside a Step) and
// wait for the debugging client's next command in a SCRIPT DEBUG SYNC
// session while the others wait.
func TestEngineBusyScript(t *testing.T) {
	engines(t, func(t *testing.T, opts Options) {
		srv, _, _ := startWith(t, "busy-reply-threshold 10", opts)
		addr := srv.Addrs()[0].String()
		slow, other := dial(t, addr), dial(t, addr)
		_, err := slow.Write(command("EVAL", "while true do end", "0"))
		require.NoError(t, err)
		assert.Equal(t, "BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.", waitBusy(t, other))
		_, err = other.Write(command("SCRIPT", "KILL"))
		require.NoError(t, err)
		assert.Equal(t, "OK", string(readValue(t, other).Str))
		assert.Contains(t, string(readValue(t, slow).Str), "Script killed by user with SCRIPT KILL...")

		dbg := dial(t, addr)
		_, err = dbg.Write(command("SCRIPT", "DEBUG", "SYNC"))
		require.NoError(t, err)
		require.Equal(t, "OK", string(readValue(t, dbg).Str))
		_, err = dbg.Write(command("EVAL", "local x = 1\nreturn x", "0"))
		require.NoError(t, err)
		assert.Equal(t, "* Stopped at 1, stop reason = step over", string(readValue(t, dbg).Elems[0].Str))
		_, err = other.Write(command("PING"))
		require.NoError(t, err)
		_, err = dbg.Write(command("continue"))
		require.NoError(t, err)
		assert.Equal(t, "<endsession>", string(readValue(t, dbg).Elems[0].Str))
		assert.Equal(t, int64(1), readValue(t, dbg).Int)
		assert.Equal(t, "PONG", string(readValue(t, other).Str), "served once the session ended")
	})
}

package e2e

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// DEBUG is refused as Redis refuses it when enable-debug-command is no,
// inside MULTI too, after the arity check.
func TestDiffDebugRefused(t *testing.T) {
	dp := startDiffPair(t, "enable-debug-command no")
	dp.run(t, []dstep{
		dcmd("DEBUG", "DIGEST"), dcmd("DEBUG"), dcmd("DEBUG", "SLEEP", "0"),
		dcmd("MULTI"), dcmd("DEBUG", "DIGEST"), dcmd("EXEC"),
	})
}

// DEBUG RELOAD and SET-ACTIVE-EXPIRE against redis-server: the dataset and
// its expiry times survive a reload, the options and errors match, and an
// expired key stays counted while active expiry is off.
func TestDiffDebugReload(t *testing.T) {
	dp := startDiffPair(t, "enable-debug-command yes")
	dp.run(t, []dstep{
		dcmd("SET", "a", "1"), dcmd("RPUSH", "l", "x", "y", "z"), dcmd("HSET", "h", "f", "v"),
		dcmd("ZADD", "z", "1", "a", "2", "b"), dcmd("SADD", "s", "1", "2"),
		dcmd("SET", "t", "x", "PXAT", "99999999999999"),
		dcmd("DEBUG", "DIGEST"), dcmd("DEBUG", "RELOAD"), dcmd("DEBUG", "DIGEST"),
		dcmd("PEXPIRETIME", "t"), dcmd("DBSIZE"),
		dcmd("SET", "later", "1"), dcmd("DEBUG", "RELOAD", "NOSAVE"), dcmd("EXISTS", "later"),
		dcmd("SET", "a", "2"), dcmd("DEBUG", "RELOAD", "nosave", "noflush", "merge"), dcmd("GET", "a"),
		dcmd("DEBUG", "DIGEST"), dcmd("DEBUG", "RELOAD", "bogus"),
		dcmd("DEBUG", "SET-ACTIVE-EXPIRE", "0"), dcmd("SET", "e", "1", "PX", "20"),
		dpause(400 * time.Millisecond), dcmd("DBSIZE"), dcmd("GET", "e"), dcmd("DBSIZE"),
		dcmd("DEBUG", "SET-ACTIVE-EXPIRE", "1"), dcmd("DEBUG", "SLEEP", "0"),
	})
}

// DEBUG SLEEP holds the whole server: another client's PING is answered
// only after the sleep, on both servers.
func TestDebugSleepBlocksOtherClients(t *testing.T) {
	for _, k := range []struct {
		name  string
		redis bool
	}{{"ours", false}, {"redis", true}} {
		t.Run(k.name, func(t *testing.T) {
			s := startKind(t, k.redis, "")
			sleeper, other := s.Client(), s.Client()
			require.Equal(t, "PONG", other.CLI("PING"))
			start := time.Now()
			sleeper.Send("DEBUG", "SLEEP", "0.5")
			time.Sleep(50 * time.Millisecond)
			assert.Equal(t, "PONG", other.CLI("PING"))
			assert.GreaterOrEqual(t, time.Since(start), 450*time.Millisecond, "PING answered during the sleep")
			assert.Equal(t, "OK", string(sleeper.Read().Str))
		})
	}
}

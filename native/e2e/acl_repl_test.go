//go:build !js

package e2e

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// aclMaster protects a master with requirepass and gives replicas a user
// of their own that may only replicate.
const aclMaster = "requirepass adminpw\nuser repl on >rpass +psync +replconf +ping\n"

// TestACLMasterUser: a replica authenticates to its master as an ACL user
// (masteruser/masterauth), syncscope-server replicating from redis-server
// and redis-server from syncscope-server; the master lists the link with
// user=repl and writes reach the replica. A wrong password is refused and
// logged by the replica as Redis logs it.
func TestACLMasterUser(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name                string
		redisMaster, redisR bool
	}{{"ours replica of redis", true, false}, {"redis replica of ours", false, true}} {
		t.Run(tc.name, func(t *testing.T) {
			m := startKind(t, tc.redisMaster, aclMaster)
			c := m.Client()
			mustDo(t, c, "AUTH", "adminpw")
			mustDo(t, c, "SET", "before", "1")
			r := syncedReplica(t, m, tc.redisR, "masteruser repl\nmasterauth rpass\n")
			mustDo(t, c, "SET", "after", "2")
			list := string(mustDo(t, c, "CLIENT", "LIST", "TYPE", "REPLICA").Str)
			require.Contains(t, list, "user=repl", "the master's replica client")
			rc := r.Client()
			deadline := time.Now().Add(Timeout)
			for string(rc.Do("GET", "after").Str) != "2" {
				require.True(t, time.Now().Before(deadline), "the write never reached the replica")
				time.Sleep(5 * time.Millisecond)
			}
			require.Equal(t, "1", string(rc.Do("GET", "before").Str))

			bad := startKind(t, tc.redisR, replicaOf(m)+"masteruser repl\nmasterauth wrong\n")
			log := bad.WaitLog("Unable to AUTH to MASTER")
			require.True(t, strings.Contains(log, "Unable to AUTH to MASTER: -WRONGPASS invalid username-password pair or user is disabled."), log)
		})
	}
}

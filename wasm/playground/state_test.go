package playground

import (
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// INFO replication as real Redis 7.0.15 prints it, for a master and its
// replica (testdata, captured with redis-cli).
func TestParseInfoRedis(t *testing.T) {
	master, err := os.ReadFile("testdata/redis-7.0.15-info-replication-master.txt")
	require.NoError(t, err)
	st := ParseInfo(6379, string(master))
	assert.Equal(t, State{
		Port: 6379, Running: true, Role: "master",
		ReplID: "eadeae728590db07fa8ec1681d57169fd1cf14e9", ReplID2: "0000000000000000000000000000000000000000",
		Offset: 57, Offset2: -1,
		Backlog:  Backlog{Active: true, Size: 1048576, First: 1, HistLen: 57},
		Replicas: []Replica{{IP: "127.0.0.1", Port: 51053, State: "online", Offset: 57, Lag: 0}},
	}, st)

	replica, err := os.ReadFile("testdata/redis-7.0.15-info-replication-replica.txt")
	require.NoError(t, err)
	st = ParseInfo(6378, string(replica))
	assert.Equal(t, "slave", st.Role)
	assert.True(t, st.ReadOnly)
	assert.Equal(t, &MasterLink{Host: "127.0.0.1", Port: 52131, Status: "up", LastIO: 1, ReplOffset: 57}, st.Master)
	assert.Empty(t, st.Replicas)
	assert.Equal(t, int64(57), st.Offset)
}

func TestParseInfoSyncing(t *testing.T) {
	st := ParseInfo(6378, "role:slave\r\nmaster_host:127.0.0.1\r\nmaster_port:6379\r\nmaster_link_status:down\r\n"+
		"master_sync_in_progress:1\r\nmaster_sync_total_bytes:1000\r\nmaster_sync_read_bytes:250\r\nmaster_link_down_since_seconds:3\r\n"+
		"slaveX:not a replica line\r\nslave12:ip=10.0.0.1,port=7000,state=wait_bgsave,offset=0,lag=2\r\ngarbage\r\n")
	require.NotNil(t, st.Master)
	assert.True(t, st.Master.Syncing)
	assert.Equal(t, int64(1000), st.Master.SyncTotal)
	assert.Equal(t, int64(250), st.Master.SyncRead)
	assert.Equal(t, int64(3), st.Master.DownSince)
	assert.Equal(t, []Replica{{IP: "10.0.0.1", Port: 7000, State: "wait_bgsave", Lag: 2}}, st.Replicas)
}

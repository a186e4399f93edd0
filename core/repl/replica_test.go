package repl

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestReplicaState(t *testing.T) {
	for s, want := range map[ReplicaState]string{WaitBgsave: "wait_bgsave", WaitBgsaveEnd: "wait_bgsave",
		SendBulk: "send_bulk", Online: "online", ReplicaState(9): "unknown"} {
		require.Equal(t, want, s.String())
	}
}

func TestReplicaName(t *testing.T) {
	r := &Replica{Addr: "127.0.0.1"}
	require.Equal(t, "127.0.0.1:<unknown-replica-port>", r.Name())
	r.ListeningPort = 6378
	require.Equal(t, "127.0.0.1:6378", r.Name())
	r.AnnouncedIP = "::1"
	require.Equal(t, "[::1]:6378", r.Name())
}

func TestHandleReplconf(t *testing.T) {
	// Error texts checked against redis-server 7.0.15 with redis-cli.
	for _, tc := range []struct {
		argv  []string
		reply string
		err   string
	}{
		{[]string{"REPLCONF", "listening-port", "6378"}, "+OK\r\n", ""},
		{[]string{"replconf", "LISTENING-PORT", "6378", "capa", "eof", "capa", "psync2", "capa", "weird"}, "+OK\r\n", ""},
		{[]string{"REPLCONF", "listening-port"}, "", "ERR syntax error"},
		{[]string{"REPLCONF", "listening-port", "abc"}, "", "ERR value is not an integer or out of range"},
		{[]string{"REPLCONF", "listening-port", "01"}, "", "ERR value is not an integer or out of range"},
		{[]string{"REPLCONF", "foo", "bar"}, "", "ERR Unrecognized REPLCONF option: foo"},
		{[]string{"REPLCONF", "rdb-only", "5"}, "", "ERR value is out of range, value must between 0 and 1"},
		{[]string{"REPLCONF", "rdb-only", "x"}, "", "ERR value is not an integer or out of range"},
		{[]string{"REPLCONF", "rdb-only", "1"}, "+OK\r\n", ""},
		{[]string{"REPLCONF", "rdb-filter-only", "functions x"}, "", "ERR Unsupported rdb-filter-only option: x"},
		{[]string{"REPLCONF", "rdb-filter-only", `"abc`}, "", "ERR Missing rdb-filter-only values"},
		{[]string{"REPLCONF", "rdb-filter-only", `"functions"`}, "+OK\r\n", ""},
		{[]string{"REPLCONF", "ip-address", strings.Repeat("a", 256)}, "", "ERR REPLCONF ip-address provided by replica instance is too long: 256 bytes"},
		{[]string{"REPLCONF", "ip-address", "10.0.0.7"}, "+OK\r\n", ""},
		{[]string{"REPLCONF", "getack", "*"}, "", ""},
		{[]string{"REPLCONF"}, "+OK\r\n", ""},
	} {
		r := &Replica{}
		reply, err := r.HandleReplconf(args(tc.argv...), t0)
		require.Equal(t, tc.reply, string(reply), tc.argv)
		require.Equal(t, tc.err, err, tc.argv)
	}

	r := &Replica{}
	_, _ = r.HandleReplconf(args("REPLCONF", "listening-port", "6378", "ip-address", "10.0.0.7", "capa", "EOF", "capa", "psync2"), t0)
	require.Equal(t, &Replica{ListeningPort: 6378, AnnouncedIP: "10.0.0.7", CapaEOF: true, CapaPSync2: true}, r)
	_, _ = r.HandleReplconf(args("REPLCONF", "rdb-filter-only", ""), t0)
	require.True(t, r.ExcludeData)
	require.True(t, r.ExcludeFunctions)
	_, _ = r.HandleReplconf(args("REPLCONF", "rdb-filter-only", "functions"), t0)
	require.False(t, r.ExcludeFunctions)
	// Options before a bad one stay applied.
	_, err := r.HandleReplconf(args("REPLCONF", "listening-port", "7000", "bogus", "1"), t0)
	require.NotEmpty(t, err)
	require.Equal(t, 7000, r.ListeningPort)
}

func TestHandleReplconfAck(t *testing.T) {
	r := &Replica{}
	// Not a replica yet: ignored, no reply.
	reply, err := r.HandleReplconf(args("REPLCONF", "ACK", "100"), t0)
	require.Nil(t, reply)
	require.Empty(t, err)
	require.Equal(t, int64(0), r.AckOffset)

	r.Attached, r.State, r.StreamOnAck = true, Online, true
	t1 := t0.Add(time.Second)
	reply, err = r.HandleReplconf(args("REPLCONF", "ACK", "100", "FACK", "90"), t1)
	require.Nil(t, reply)
	require.Empty(t, err)
	require.Equal(t, int64(100), r.AckOffset)
	require.Equal(t, t1, r.AckTime)
	require.False(t, r.StreamOnAck)

	// Offsets never go back; a bad one is ignored silently.
	_, _ = r.HandleReplconf(args("REPLCONF", "ACK", "50"), t1.Add(time.Second))
	require.Equal(t, int64(100), r.AckOffset)
	require.Equal(t, t1.Add(time.Second), r.AckTime)
	_, err = r.HandleReplconf(args("REPLCONF", "ACK", "x"), t1.Add(2*time.Second))
	require.Empty(t, err)
	require.Equal(t, t1.Add(time.Second), r.AckTime)
}

func TestParsePsync(t *testing.T) {
	id, off, err := ParsePsync(args("PSYNC", "?", "-1"))
	require.NoError(t, err)
	require.Equal(t, "?", id)
	require.Equal(t, int64(-1), off)

	id, off, err = ParsePsync(args("psync", idA.String(), "72", "FAILOVER"))
	require.NoError(t, err)
	require.Equal(t, idA.String(), id)
	require.Equal(t, int64(72), off)

	_, _, err = ParsePsync(args("PSYNC", "abc"))
	require.EqualError(t, err, "ERR wrong number of arguments for 'psync' command")
	_, _, err = ParsePsync(args("PSYNC", "abc", "01"))
	require.ErrorIs(t, err, ErrPsyncOffset)
	require.EqualError(t, err, "ERR value is not an integer or out of range")
}

func TestMasterReplies(t *testing.T) {
	require.Equal(t, "+FULLRESYNC "+idA.String()+" 0\r\n", string(AppendFullResync(nil, idA, 0)))
	require.Equal(t, "+CONTINUE "+idA.String()+"\r\n", string(AppendContinue(nil, idA, true)))
	require.Equal(t, "+CONTINUE\r\n", string(AppendContinue(nil, idA, false)))
}

package repl

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestHistoryContinue(t *testing.T) {
	// We are the new master: ID2 (the old master's) is valid up to 72.
	h := History{ID: idB, ID2: idA, Offset: 126, Offset2: 72}
	b := NewBacklog(64, 50) // holds offsets 50..126: one block
	b.Append(make([]byte, 77))
	require.Equal(t, int64(126), b.End())

	for _, tc := range []struct {
		name string
		id   string
		off  int64
		b    *Backlog
		ok   bool
		why  string
	}{
		{"id, in the backlog", idB.String(), 100, b, true, ""},
		{"id, upper case", "2CCFF40346CB7BE8766987CC79CD26712F80605E", 100, b, true, ""},
		{"id, exactly the end", idB.String(), 127, b, true, ""},
		{"id, first byte held", idB.String(), 50, b, true, ""},
		{"id2 up to its offset", idA.String(), 72, b, true, ""},
		{"id2 just past its offset", idA.String(), 73, b, false, "Partial resynchronization not accepted: Requested offset for second ID was 73, but I can reply up to 72"},
		{"unknown id", "0123456789012345678901234567890123456789", 100, b, false,
			"Partial resynchronization not accepted: Replication ID mismatch (Replica asked for '0123456789012345678901234567890123456789', my replication IDs are '" + idB.String() + "' and '" + idA.String() + "')"},
		{"forced", "?", -1, b, false, "Full resync requested by replica "},
		{"before the backlog", idB.String(), 49, b, false, "Unable to partial resync with replica  for lack of backlog (Replica request was: 49)."},
		{"past the end", idB.String(), 128, b, false, "Unable to partial resync with replica  for lack of backlog (Replica request was: 128)."},
		{"no backlog", idB.String(), 100, nil, false, "Unable to partial resync with replica  for lack of backlog (Replica request was: 100)."},
	} {
		ok, why := h.Continue(tc.id, tc.off, tc.b)
		require.Equal(t, tc.ok, ok, tc.name)
		require.Equal(t, tc.why, why, tc.name)
	}

	// ContinueFor names the replica and adds the warning when the replica is
	// ahead of us.
	ok, logs := h.ContinueFor("127.0.0.1:6377", idB.String(), 200, b)
	require.False(t, ok)
	require.Equal(t, []ActLog{
		notice("Unable to partial resync with replica 127.0.0.1:6377 for lack of backlog (Replica request was: 200)."),
		warning("Warning: replica 127.0.0.1:6377 tried to PSYNC with an offset that is greater than the master replication offset."),
	}, logs)
	_, logs = h.ContinueFor("127.0.0.1:6377", "?", -1, b)
	require.Equal(t, []ActLog{notice("Full resync requested by replica 127.0.0.1:6377")}, logs)

	// A fresh master: ID2 is NoID (forty zeros) and Offset2 -1; asking for the
	// zeros never works.
	fresh := NewHistory(idA)
	ok, why := fresh.Continue(NoID.String(), 0, NewBacklog(16, 1))
	require.False(t, ok)
	require.Equal(t, "Partial resynchronization not accepted: Requested offset for second ID was 0, but I can reply up to -1", why)
	// The line the reference log shows.
	_, why = History{ID: idA, ID2: NoID, Offset: 85, Offset2: -1}.Continue(idB.String(), 126, nil)
	require.Equal(t, "Partial resynchronization not accepted: Replication ID mismatch (Replica asked for '2ccff40346cb7be8766987cc79cd26712f80605e', my replication IDs are 'fb06f43d9db47e77eafb003c6ca8044b156037f2' and '0000000000000000000000000000000000000000')", why)
}

func TestHistoryShift(t *testing.T) {
	h := History{ID: idA, ID2: NoID, Offset: 71, Offset2: -1}
	line := h.Shift(idB)
	// The line 6378 logs in the reference walkthrough when it is promoted.
	require.Equal(t, "Setting secondary replication ID to fb06f43d9db47e77eafb003c6ca8044b156037f2, valid up to offset: 72. New replication ID is 2ccff40346cb7be8766987cc79cd26712f80605e", line)
	require.Equal(t, History{ID: idB, ID2: idA, Offset: 71, Offset2: 72}, h)

	// Its old replica, at 71, continues with the new master by ID2.
	b := NewBacklog(1024, 1)
	b.Append(make([]byte, 71))
	ok, _ := h.Continue(idA.String(), 72, b)
	require.True(t, ok)

	h.ClearID2()
	require.Equal(t, History{ID: idB, ID2: NoID, Offset: 71, Offset2: -1}, h)
}

func TestCacheMyself(t *testing.T) {
	c, line := CacheMyself(History{ID: idA, ID2: idB, Offset: 71, Offset2: 10})
	require.Equal(t, &History{ID: idA, Offset: 71, ID2: NoID, Offset2: -1}, c)
	require.Equal(t, notice("Before turning into a replica, using my own master parameters to synthesize a cached master: I may be able to synchronize with the new master with just a partial transfer."), line)
}

func TestRestart(t *testing.T) {
	h := History{ID: idA, ID2: idB, Offset: 71, Offset2: 10}
	h.Restart(idB)
	require.Equal(t, History{ID: idB, ID2: NoID, Offset: 71, Offset2: -1}, h)
}

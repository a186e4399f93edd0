package rdb

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// streamNodeLP builds a one-entry stream node as XADD would: the master
// entry (count 1, deleted 0, fields, 0) and the entry with SAMEFIELDS.
func streamNodeLP(fields ...string) []byte {
	lp := LPAppendInt(LPAppendInt(LPAppendInt(LPNew(), 1), 0), int64(len(fields)))
	for _, f := range fields {
		lp = LPAppend(lp, []byte(f))
	}
	lp = LPAppendInt(lp, 0)
	lp = LPAppendInt(LPAppendInt(LPAppendInt(lp, StreamFlagSameFields), 0), 0)
	for range fields {
		lp = LPAppend(lp, []byte("v"))
	}
	return LPAppendInt(lp, int64(len(fields)+3))
}

func TestStreamPayloadRoundTrip(t *testing.T) {
	s := &Stream{
		Nodes:  []StreamNode{{Master: StreamID{1, 0}, LP: streamNodeLP("a", "12")}, {Master: StreamID{5, 2}, LP: streamNodeLP("b")}},
		Length: 2, LastID: StreamID{5, 2}, FirstID: StreamID{1, 0}, MaxDeletedID: StreamID{3, 0}, EntriesAdded: 3,
		Groups: []StreamGroup{{
			Name: []byte("g1"), LastID: StreamID{5, 2}, EntriesRead: -1,
			PEL:       []StreamNACK{{ID: StreamID{1, 0}, DeliveryTime: 1700000000000, DeliveryCount: 2}, {ID: StreamID{5, 2}, DeliveryTime: 5, DeliveryCount: 1}},
			Consumers: []StreamConsumer{{Name: []byte("1"), SeenTime: 42, PEL: []StreamID{{1, 0}}}, {Name: []byte("bob"), SeenTime: 7, PEL: []StreamID{{5, 2}}}},
		}},
	}
	en := &Entry{Key: []byte("k"), Kind: KindStream, Stream: s, ExpireMs: -1}
	payload := DumpPayload(en, DefaultOptions())
	got, err := ParsePayload(payload)
	require.NoError(t, err)
	require.Equal(t, KindStream, got.Kind)
	require.Equal(t, s.Nodes, got.Stream.Nodes)
	require.Equal(t, s.Groups, got.Stream.Groups)
	require.Equal(t, s.EntriesAdded, got.Stream.EntriesAdded)
	require.Equal(t, s.MaxDeletedID, got.Stream.MaxDeletedID)
	require.Equal(t, payload, DumpPayload(got, DefaultOptions()))
}

func TestStreamListpackWalk(t *testing.T) {
	lp := streamNodeLP("f1", "f2")
	require.NoError(t, ValidateStreamListpack(lp))
	var all []int64
	for p := LPFirst(lp); p >= 0; p = LPNext(lp, p) {
		if s, v := LPGet(lp, p); s == nil {
			all = append(all, v)
		}
	}
	require.Equal(t, []int64{1, 0, 2, 0, 2, 0, 0, 5}, all)
	// Backwards from the end reaches the first element.
	p, n := LPLast(lp), 1
	for q := LPPrev(lp, p); q >= 0; q = LPPrev(lp, q) {
		p, n = q, n+1
	}
	require.Equal(t, LPFirst(lp), p)
	require.Equal(t, 12, n)
	// Replacing an integer with a wider one keeps the listpack valid.
	lp = LPReplaceInt(lp, LPFirst(lp), 5000)
	require.Equal(t, int64(5000), LPGetInt(lp, LPFirst(lp)))
	require.Error(t, ValidateStreamListpack(lp)) // counts no longer agree
	require.Error(t, ValidateStreamListpack(LPAppendInt(streamNodeLP("x"), 9)))
}

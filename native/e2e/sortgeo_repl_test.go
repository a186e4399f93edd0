//go:build !js

package e2e

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/syncscope/syncscope/core/resp"
)

// sortGeoScript writes with SORT ... STORE and the geo commands, including
// the calls Redis does not propagate (nothing stored, nothing deleted, a
// GEOADD that changes nothing) and SORT's conversion of a small sorted set
// to a skiplist, which DUMP shows.
var sortGeoScript = [][]string{
	{"RPUSH", "l", "3", "1", "2"},
	{"SADD", "s", "pear", "apple", "fig"},
	{"ZADD", "z", "1", "x", "2", "y"},
	{"SORT", "l", "STORE", "sl"},
	{"SORT", "s", "BY", "nosort", "STORE", "ss"}, // a set BY a constant is sorted when stored
	{"SORT", "z", "BY", "nosort", "DESC"},        // converts z to a skiplist: nothing propagated
	{"SET", "sl2", "v", "EX", "100"},
	{"SORT", "l", "DESC", "LIMIT", "0", "2", "STORE", "sl2"}, // the TTL goes with the old value
	{"SORT", "missing", "STORE", "sl2"},                      // deletes sl2
	{"SORT", "missing", "STORE", "sl2"},                      // nothing
	{"GEOADD", "g", "13.361389", "38.115556", "Palermo", "15.087269", "37.502669", "Catania"},
	{"GEOADD", "g", "NX", "CH", "13.361389", "38.115556", "Palermo"}, // nothing
	{"GEOADD", "g", "xx", "ch", "13.5", "38.2", "Palermo", "1", "1", "nosuch"},
	{"GEORADIUS", "g", "15", "37", "200", "km", "STORE", "gr"},
	{"GEORADIUSBYMEMBER", "g", "Palermo", "300", "km", "STOREDIST", "gd", "COUNT", "1", "DESC"},
	{"GEOSEARCHSTORE", "gs", "g", "FROMLONLAT", "15", "37", "BYBOX", "500", "500", "km", "STOREDIST"},
	{"GEOSEARCHSTORE", "gs", "g", "FROMLONLAT", "0", "0", "BYRADIUS", "1", "m"}, // deletes gs
	{"GEORADIUS", "nokey", "0", "0", "1", "m", "STORE", "gr"},                   // deletes gr
	{"GEOSEARCH", "g", "FROMMEMBER", "Palermo", "BYRADIUS", "500", "km", "ASC"},
	{"GEODIST", "g", "Palermo", "Catania"},
}

// TestSortGeoReplStreamMatchesRedis compares the replication stream of SORT
// and the geo commands with redis-server's (GEOADD goes as a ZADD).
func TestSortGeoReplStreamMatchesRedis(t *testing.T) {
	t.Parallel()
	assertSameStream(t, sortGeoScript)
}

// TestSortGeoNotificationsMatchRedis compares the keyspace notifications
// (sortstore, georadiusstore, geosearchstore, zadd, del...) with redis-server's.
func TestSortGeoNotificationsMatchRedis(t *testing.T) {
	t.Parallel()
	assertSameNotifications(t, sortGeoScript)
}

// TestSortGeoRedisReplicaOfOurs: a real redis-server replicating from
// syncscope-server ends with the same data (DEBUG DIGEST).
func TestSortGeoRedisReplicaOfOurs(t *testing.T) {
	t.Parallel()
	requireReplicaMatches(t, kindPair{replicaRedis: true}, [][]string{
		{"GEOADD", "before", "2.35", "48.85", "Paris"},
		{"RPUSH", "lb", "b", "a"},
		{"SORT", "lb", "ALPHA", "STORE", "lbs"},
	}, sortGeoScript)
}

// TestSortGeoOursReplicaOfRedis: syncscope-server replicating from
// redis-server applies the same stream; the DUMP of a sorted set SORT
// converted, and of a stored geo set, is the same both ways.
func TestSortGeoOursReplicaOfRedis(t *testing.T) {
	t.Parallel()
	m, _ := requireReplicaMatches(t, kindPair{masterRedis: true}, [][]string{{"GEOADD", "before", "2.35", "48.85", "Paris"}}, sortGeoScript)
	c := m.Client()
	ours := startOurs(t, "")
	oc := ours.Client()
	for _, cmd := range sortGeoScript {
		oc.Do(cmd...)
	}
	for _, key := range []string{"z", "g", "gd", "sl"} {
		require.Equal(t, resp.FormatCLI(c.Do("OBJECT", "ENCODING", key)), resp.FormatCLI(oc.Do("OBJECT", "ENCODING", key)), "OBJECT ENCODING %s", key)
		require.Equal(t, resp.FormatCLI(c.Do("DUMP", key)), resp.FormatCLI(oc.Do("DUMP", key)), "DUMP %s", key)
	}
}

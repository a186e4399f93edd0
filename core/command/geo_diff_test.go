//go:build !js

package command

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestGeoDiff(t *testing.T) {
	runDiff(t, []diffCase{
		// GEOADD: options, scores, errors.
		dc("GEOADD g 13.361389 38.115556 Palermo 15.087269 37.502669 Catania"),
		dc("ZRANGE g 0 -1 WITHSCORES"), dc("OBJECT ENCODING g"),
		dc("GEOADD g 13.361389 38.115556 Palermo"), dc("GEOADD g CH 13.361390 38.115556 Palermo"),
		dc("GEOADD g NX 1 1 Palermo 2 2 n"), dc("GEOADD g XX 1 1 Palermo 2 2 x"), dc("GEOADD g XX CH 1 1 Palermo"),
		dc("GEOADD g NX XX 1 1 a"), dc("GEOADD g GT 1 1 a"), dc("GEOADD g 1 1"), dc("GEOADD g 1 1 a 2"),
		dc("GEOADD g 200 1 a"), dc("GEOADD g 1 86 a"), dc("GEOADD g -180 -85.05112878 sw 180 85.05112878 ne"),
		dc("GEOADD g inf 1 a"), dc("GEOADD g 1 -inf a"), dc("GEOADD g x 1 a"), dc("GEOADD g 1 nan a"),
		dc("GEOADD g 0 0 zero -0 -0 negzero 0.000001 0.000001 tiny"),
		dc("ZRANGE g 0 -1 WITHSCORES"),
		dc("SET str v"), dc("GEOADD str 1 1 a"),
		// GEOPOS, GEOHASH, GEODIST.
		dc("GEOPOS g Palermo Catania nosuch sw ne zero negzero tiny"), dc("GEOPOS g"), dc("GEOPOS nokey a b"), dc("GEOPOS str a"),
		dc("GEOHASH g Palermo Catania nosuch sw ne zero"), dc("GEOHASH nokey a"), dc("GEOHASH g"), dc("GEOHASH str a"),
		dc("GEODIST g Palermo Catania"), dc("GEODIST g Palermo Catania km"), dc("GEODIST g Palermo Catania MI"),
		dc("GEODIST g Palermo Catania ft"), dc("GEODIST g Palermo Catania m"), dc("GEODIST g Palermo Catania yd"),
		dc("GEODIST g Palermo Catania km x"), dc("GEODIST g Palermo nosuch"), dc("GEODIST nokey a b"),
		dc("GEODIST str a b"), dc("GEODIST g Palermo Palermo"), dc("GEODIST g sw ne"), dc("GEODIST g zero tiny"),
		dc("ZADD g -5 weird 1e300 huge"), dc("GEOPOS g weird huge"), dc("GEOHASH g weird huge"), dc("GEODIST g weird huge"),
		dc("ZREM g weird huge"),
		// GEORADIUS and friends.
		dc("GEOADD p 13.361389 38.115556 Palermo 15.087269 37.502669 Catania 13.583333 37.316667 Agrigento 12.758489 38.788135 edge2 17.241510 38.788135 edge1"),
		dc("GEORADIUS p 15 37 200 km"), dc("GEORADIUS p 15 37 200 km ASC"), dc("GEORADIUS p 15 37 200 km DESC"),
		dc("GEORADIUS p 15 37 200 km WITHDIST"), dc("GEORADIUS p 15 37 200 km WITHCOORD WITHDIST WITHHASH ASC"),
		dc("GEORADIUS p 15 37 200 km WITHHASH COUNT 2"), dc("GEORADIUS p 15 37 200 km COUNT 2 DESC"),
		dc("GEORADIUS p 15 37 200 km COUNT 1 ANY"), dc("GEORADIUS p 15 37 200 km COUNT 3 ANY ASC"), dc("GEORADIUS p 15 37 200 km ANY"),
		dc("GEORADIUS p 15 37 200 km COUNT 0"), dc("GEORADIUS p 15 37 200 km COUNT -1"), dc("GEORADIUS p 15 37 200 km COUNT x"),
		dc("GEORADIUS p 15 37 200 km COUNT"), dc("GEORADIUS p 15 37 -1 km"), dc("GEORADIUS p 15 37 x km"),
		dc("GEORADIUS p 15 37 200 yd"), dc("GEORADIUS p 15 100 200 km"), dc("GEORADIUS p 15 37 200 km FOO"),
		dc("GEORADIUS p 15 37 0 km"), dc("GEORADIUS p 13.361389 38.115556 0 m"), dc("GEORADIUS p 15 37 50000 km"),
		dc("GEORADIUS p 0 0 1 m"), dc("GEORADIUS nokey 15 37 200 km"), dc("GEORADIUS str 15 37 200 km"),
		dc("GEORADIUS p 15 37 200 km STORE dst"), dc("ZRANGE dst 0 -1 WITHSCORES"), dc("OBJECT ENCODING dst"),
		dc("GEORADIUS p 15 37 200 km STOREDIST dst COUNT 2 DESC"), dc("ZRANGE dst 0 -1 WITHSCORES"),
		dc("GEORADIUS p 15 37 200 km STORE dst WITHDIST"), dc("GEORADIUS p 0 0 1 m STORE dst"), dc("EXISTS dst"),
		dc("SET dst x"), dc("GEORADIUS nokey 0 0 1 m STORE dst"), dc("EXISTS dst"),
		dc("GEORADIUS_RO p 15 37 200 km STORE dst"), dc("GEORADIUS_RO p 15 37 200 km WITHDIST"),
		dc("GEORADIUSBYMEMBER p Palermo 200 km WITHDIST"), dc("GEORADIUSBYMEMBER p nosuch 200 km"),
		dc("GEORADIUSBYMEMBER nokey nosuch x y WITHDIST"), dc("GEORADIUSBYMEMBER nokey nosuch x y STORE d WITHDIST"),
		dc("GEORADIUSBYMEMBER p Palermo 200 km STOREDIST dst"), dc("ZRANGE dst 0 -1 WITHSCORES"),
		dc("GEORADIUSBYMEMBER_RO p Agrigento 100 km WITHCOORD"), dc("GEORADIUSBYMEMBER_RO p Agrigento 100 km STORE x"),
		// GEOSEARCH and GEOSEARCHSTORE.
		dc("GEOSEARCH p FROMLONLAT 15 37 BYRADIUS 200 km ASC"), dc("GEOSEARCH p FROMMEMBER Palermo BYBOX 400 400 km ASC WITHDIST WITHCOORD"),
		dc("GEOSEARCH p FROMLONLAT 15 37 BYBOX 400 400 km DESC COUNT 2 WITHHASH"),
		dc("GEOSEARCH p FROMLONLAT 15 37 FROMMEMBER Palermo BYRADIUS 1 km"), dc("GEOSEARCH p FROMMEMBER Palermo FROMLONLAT 15 37 BYRADIUS 1 km"),
		dc("GEOSEARCH p BYRADIUS 1 km ASC"), dc("GeoSearch p FROMMEMBER Palermo ASC COUNT 1"),
		dc("GEOSEARCH p FROMMEMBER Palermo BYRADIUS 1 km BYBOX 1 1 km"), dc("GEOSEARCH p FROMMEMBER nosuch BYRADIUS 1 km"),
		dc("GEOSEARCH p FROMLONLAT 15 37 BYBOX -1 1 km"), dc("GEOSEARCH p FROMLONLAT 15 37 BYBOX x 1 km"), dc("GEOSEARCH p FROMLONLAT 15 37 BYBOX 1 x km"),
		dc("GEOSEARCH p FROMLONLAT 15 37 BYBOX 1 1 yd"), dc("GEOSEARCH p FROMLONLAT 15 37 BYRADIUS 1 km STORE x"),
		dc("GEOSEARCH p FROMLONLAT 15 37 BYRADIUS 1 km STOREDIST"), dc("GEOSEARCH nokey FROMMEMBER x BYRADIUS 1 km"),
		dc("GEOSEARCH nokey FROMLONLAT 15 37 BYRADIUS 1 km"), dc("GEOSEARCH str FROMLONLAT 15 37 BYRADIUS 1 km"),
		dc("GEOSEARCHSTORE d p FROMLONLAT 15 37 BYRADIUS 200 km"), dc("ZRANGE d 0 -1 WITHSCORES"),
		dc("GEOSEARCHSTORE d p FROMLONLAT 15 37 BYBOX 400 400 km STOREDIST COUNT 2"), dc("ZRANGE d 0 -1 WITHSCORES"),
		dc("GEOSEARCHSTORE d p FROMLONLAT 15 37 BYRADIUS 200 km WITHDIST"), dc("GEOSEARCHSTORE d p FROMLONLAT 15 37 BYRADIUS 200 km STORE x"),
		dc("GEOSEARCHSTORE d nokey FROMLONLAT 15 37 BYRADIUS 200 km"), dc("EXISTS d"), dc("GEOSEARCHSTORE d str FROMLONLAT 15 37 BYRADIUS 200 km"),
		// Ties: equal points, sorted with COUNT (pqsort) and without.
		dc("GEOADD t 10 10 a 10 10 b 10 10 c 10 10 d 10 10 e 10 10 f 10 10 g 10 10 h 10.1 10 i"),
		dc("GEOSEARCH t FROMLONLAT 10 10 BYRADIUS 100 km ASC"), dc("GEOSEARCH t FROMLONLAT 10 10 BYRADIUS 100 km DESC"),
		dc("GEOSEARCH t FROMLONLAT 10 10 BYRADIUS 100 km COUNT 3"), dc("GEOSEARCH t FROMLONLAT 10 10 BYRADIUS 100 km COUNT 4 DESC"),
		// Poles, the antimeridian, a huge radius.
		dc("GEOADD w -179.9 0 w1 179.9 0 w2 0 85 n1 180 85 n2 0 -85 s1"),
		dc("GEOSEARCH w FROMLONLAT 180 0 BYRADIUS 50 km ASC WITHDIST"), dc("GEOSEARCH w FROMLONLAT -180 0 BYBOX 100 100 km ASC"),
		dc("GEORADIUS w 0 85 20000 km ASC WITHDIST"), dc("GEORADIUS w 0 0 50000 km WITHDIST"),
		dc("GEOSEARCH w FROMMEMBER n1 BYBOX 40000 10 km ASC WITHDIST"),
		// Boundaries: infinite and huge sizes, huge counts, the corners.
		dc("GEOSEARCH p FROMLONLAT 15 37 BYRADIUS inf km ASC"), dc("GEOSEARCH p FROMLONLAT 15 37 BYRADIUS 1e308 km ASC"),
		dc("GEOSEARCH p FROMLONLAT 15 37 BYBOX inf inf m ASC"), dc("GEOSEARCH p FROMLONLAT 15 37 BYBOX 0 0 m"),
		dc("GEOSEARCH p FROMLONLAT 15 37 BYRADIUS 0 m WITHDIST"), dc("GEOSEARCH p FROMLONLAT 15 37 BYRADIUS -0 m WITHDIST"),
		dc("GEORADIUS p 15 37 200 km COUNT 9223372036854775807"), dc("GEORADIUS p 15 37 200 km COUNT 9223372036854775808"),
		dc("GEORADIUS p 15 37 200 km COUNT 9223372036854775807 ANY"),
		dc("GEORADIUS p 180 85.05112878 1 m"), dc("GEORADIUS p -180 -85.05112878 20000 km ASC"), dc("GEORADIUS p 180.0000001 0 1 m"),
		dc("GEODIST p Palermo Catania KM"), dc("GEOSEARCH p FROMLONLAT 15 37 BYRADIUS 200 KM WITHDIST asc"),
	})
}

// TestGeoRandomDiff adds random points and searches around random centers
// with random radii and boxes: same members, same order, same distances.
func TestGeoRandomDiff(t *testing.T) {
	r := rand.New(rand.NewPCG(14, 55))
	f := func(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }
	var cases []diffCase
	for round := range 4 {
		key := fmt.Sprintf("geo%d", round)
		// Cluster the points around a center so searches find some.
		clon, clat := r.Float64()*360-180, r.Float64()*170-85
		spread := []float64{0.01, 1, 10, 90}[round]
		args := []string{"GEOADD", key}
		for i := range 150 {
			lon := clon + (r.Float64()*2-1)*spread
			lat := clat + (r.Float64()*2-1)*spread/2
			lon = max(min(lon, 180), -180)
			lat = max(min(lat, 85.05), -85.05)
			args = append(args, f(lon), f(lat), fmt.Sprintf("m%d", i))
		}
		cases = append(cases, diffCase{Args: args})
		for range 25 {
			lon := max(min(clon+(r.Float64()*2-1)*spread, 180), -180)
			lat := max(min(clat+(r.Float64()*2-1)*spread/2, 85), -85)
			radius := r.Float64() * spread * 111 * 1.5
			unit := []string{"km", "m", "mi", "ft"}[r.IntN(4)]
			conv := map[string]float64{"km": 1, "m": 1000, "mi": 0.621371, "ft": 3280.84}[unit]
			rs := f(radius * conv)
			cases = append(cases,
				diffCase{Args: []string{"GEOSEARCH", key, "FROMLONLAT", f(lon), f(lat), "BYRADIUS", rs, unit, "ASC", "WITHDIST", "WITHCOORD", "WITHHASH"}},
				diffCase{Args: []string{"GEOSEARCH", key, "FROMLONLAT", f(lon), f(lat), "BYBOX", rs, f(radius * conv / 2), unit, "DESC", "WITHDIST"}},
				diffCase{Args: []string{"GEORADIUS", key, f(lon), f(lat), rs, unit, "WITHDIST", "COUNT", strconv.Itoa(1 + r.IntN(20))}},
				diffCase{Args: []string{"GEORADIUSBYMEMBER", key, fmt.Sprintf("m%d", r.IntN(150)), rs, unit, "COUNT", strconv.Itoa(1 + r.IntN(20)), "ANY"}},
				diffCase{Args: []string{"GEODIST", key, fmt.Sprintf("m%d", r.IntN(150)), fmt.Sprintf("m%d", r.IntN(150)), unit}},
			)
		}
		cases = append(cases, diffCase{Args: []string{"GEOHASH", key, "m0", "m1", "m2", "m3"}},
			diffCase{Args: []string{"GEOPOS", key, "m0", "m1", "m2", "m3"}})
	}
	require.NotEmpty(t, cases)
	runDiff(t, cases)
}

// TestGeoSortDiffRESP3 compares the RESP3 replies: coordinates are doubles
// there, missing members nulls, distances and hashes unchanged.
func TestGeoSortDiffRESP3(t *testing.T) {
	var cases []diffCase
	for _, line := range []string{
		"GEOADD g 13.361389 38.115556 Palermo 15.087269 37.502669 Catania 0 0 zero",
		"GEOPOS g Palermo nosuch zero", "GEOPOS nokey a", "GEODIST g Palermo nosuch", "GEODIST nokey a b",
		"GEODIST g Palermo Catania km", "GEOHASH g Palermo nosuch",
		"GEOSEARCH g FROMLONLAT 15 37 BYRADIUS 200 km WITHCOORD WITHDIST WITHHASH ASC",
		"GEORADIUS g 15 37 200 km WITHCOORD COUNT 1", "GEOSEARCH g FROMLONLAT 0 0 BYRADIUS 1 m", "GEOSEARCH nokey FROMLONLAT 0 0 BYRADIUS 1 m",
		"RPUSH l b a", "SORT l ALPHA GET # GET nosuch*", "SORT nokey", "SORT l STORE dst",
	} {
		cases = append(cases, diffCase{Args: splitArgs(line)})
	}
	runResp3Diff(t, cases)
}

package command

import (
	"math"
	"sort"
	"strconv"

	"github.com/syncscope/syncscope/core/cstr"
	"github.com/syncscope/syncscope/core/geohash"
	"github.com/syncscope/syncscope/core/store"
)

// The geo commands on a sorted set whose scores are 52-bit geohashes, as
// Redis 7.0's geo.c: GEOADD is a ZADD of the encoded scores (and propagates
// as one), the searches scan the nine geohash boxes around the center.

// Search variants (Redis's RADIUS_* flags).
const (
	geoCoords      = 1 << iota // GEORADIUS: around coordinates
	geoMember                  // GEORADIUSBYMEMBER: around a member
	geoNoStore                 // the _RO variants: no STORE/STOREDIST
	geoSearch                  // GEOSEARCH's arguments
	geoSearchStore             // GEOSEARCHSTORE: STOREDIST is a flag
)

const (
	errGeoUnit   = "ERR unsupported unit provided. please use M, KM, FT, MI"
	errGeoMember = "ERR could not decode requested zset member"
)

// geoLongLat parses a longitude and a latitude (extractLongLatOrReply).
func geoLongLat(c *Ctx, args [][]byte) (lon, lat float64, ok bool) {
	if lon, ok = ParseFloat(args[0]); ok {
		lat, ok = ParseFloat(args[1])
	}
	if !ok {
		c.Error(ErrNotFloat)
		return 0, 0, false
	}
	if lon < geohash.LongMin || lon > geohash.LongMax || lat < geohash.LatMin || lat > geohash.LatMax {
		// printf's %f of each, as Redis words it.
		msg := cstr.AppendFloat([]byte("ERR invalid longitude,latitude pair "), lon, 'f', 6)
		c.Error(string(cstr.AppendFloat(append(msg, ','), lat, 'f', 6)))
		return 0, 0, false
	}
	return lon, lat, true
}

// geoUnit is extractUnitOrReply: meters per unit, or -1 after an error.
func geoUnit(c *Ctx, u []byte) float64 {
	if i := oneOf(u, "m", "km", "ft", "mi"); i >= 0 {
		return [...]float64{1, 1000, 0.3048, 1609.34}[i]
	}
	c.Error(errGeoUnit)
	return -1
}

// geoRadius is extractDistanceOrReply: a radius and its unit.
func geoRadius(c *Ctx, args [][]byte) (radius, conversion float64, ok bool) {
	if radius, ok = ParseFloat(args[0]); !ok {
		c.Error("ERR need numeric radius")
		return 0, 0, false
	}
	if radius < 0 {
		c.Error("ERR radius cannot be negative")
		return 0, 0, false
	}
	if conversion = geoUnit(c, args[1]); conversion < 0 {
		return 0, 0, false
	}
	return radius, conversion, true
}

// geoBox is extractBoxOrReply: a width, a height and their unit.
func geoBox(c *Ctx, args [][]byte) (w, h, conversion float64, ok bool) {
	if w, ok = ParseFloat(args[0]); !ok {
		c.Error("ERR need numeric width")
		return 0, 0, 0, false
	}
	if h, ok = ParseFloat(args[1]); !ok {
		c.Error("ERR need numeric height")
		return 0, 0, 0, false
	}
	if h < 0 || w < 0 {
		c.Error("ERR height or width cannot be negative")
		return 0, 0, 0, false
	}
	if conversion = geoUnit(c, args[2]); conversion < 0 {
		return 0, 0, 0, false
	}
	return w, h, conversion, true
}

// geoMemberPos is longLatFromMember.
func geoMemberPos(z *store.ZSet, member []byte) (lon, lat float64, ok bool) {
	score, ok := z.Score(member)
	if !ok {
		return 0, 0, false
	}
	lon, lat = geohash.DecodeScore(score)
	return lon, lat, true
}

// geoDistanceText is addReplyDoubleDistance's text: fixedpoint_d2string
// with 4 decimals (llrint of d*10^4).
func geoDistanceText(d float64) []byte {
	if d == 0 {
		return []byte("0.0000")
	}
	v := d * 10000
	var sv int64
	if r := math.RoundToEven(v); math.IsNaN(v) || r >= 0x1p63 || r < -0x1p63 {
		sv = math.MinInt64 // llrint's x86 result out of range
	} else {
		sv = int64(r)
	}
	var out []byte
	u := uint64(sv)
	if sv < 0 {
		out = append(out, '-')
		u = -u
	}
	digits := strconv.FormatUint(u, 10)
	for len(digits) < 5 {
		digits = "0" + digits
	}
	out = append(out, digits[:len(digits)-4]...)
	out = append(out, '.')
	return append(out, digits[len(digits)-4:]...)
}

// geoHumanDouble writes a coordinate as addReplyHumanLongDouble does: a
// bulk string in RESP2, a double in RESP3, "%.17Lf" without trailing zeros.
func geoHumanDouble(c *Ctx, f float64) {
	s := zsetHumanScore(f)
	if c.W.Proto >= 3 {
		c.W.Raw([]byte("," + s + "\r\n"))
		return
	}
	c.W.BulkString(s)
}

func geoaddCmd(c *Ctx) {
	xx, nx, longidx := false, false, 2
	for ; longidx < len(c.Args); longidx++ {
		a := c.Args[longidx]
		if EqualFold(a, "nx") {
			nx = true
		} else if EqualFold(a, "xx") {
			xx = true
		} else if !EqualFold(a, "ch") {
			break
		}
	}
	if (len(c.Args)-longidx)%3 != 0 || (xx && nx) {
		c.Error(ErrSyntax)
		return
	}
	elements := (len(c.Args) - longidx) / 3
	argv := make([][]byte, longidx+elements*2)
	argv[0] = []byte("zadd")
	for i := 1; i < longidx; i++ {
		argv[i] = append([]byte(nil), c.Args[i]...)
	}
	for i := range elements {
		lon, lat, ok := geoLongLat(c, c.Args[longidx+i*3:])
		if !ok {
			return
		}
		h, _ := geohash.EncodeWGS84(lon, lat, geohash.StepMax)
		argv[longidx+i*2] = strconv.AppendUint(nil, geohash.Align52(h), 10)
		argv[longidx+i*2+1] = append([]byte(nil), c.Args[longidx+i*3+2]...)
	}
	// Redis replaces the command by this ZADD, which is what replicas get.
	c.Args = argv
	zaddGeneric(c, false)
	if c.Dirty > 0 {
		c.Propagate(argv...)
	}
}

func geohashCmd(c *Ctx) {
	const alphabet = "0123456789bcdefghjkmnpqrstuvwxyz"
	geoEachPos(c, c.W.Null, func(lon, lat float64) {
		// Scores use latitudes within ±85.05; the standard geohash ±90.
		h, _ := geohash.Encode(geohash.Range{Min: -180, Max: 180}, geohash.Range{Min: -90, Max: 90}, lon, lat, 26)
		var buf [11]byte
		for i := range 10 {
			buf[i] = alphabet[(h.Bits>>(52-(i+1)*5))&0x1f]
		}
		buf[10] = alphabet[0] // 52 bits make 10 characters; Redis pads an 11th
		c.W.Bulk(buf[:])
	})
}

func geoposCmd(c *Ctx) {
	geoEachPos(c, c.W.NullArray, func(lon, lat float64) {
		c.W.ArrayLen(2)
		geoHumanDouble(c, lon)
		geoHumanDouble(c, lat)
	})
}

// geoEachPos is GEOHASH and GEOPOS: an array with, for each member named
// from Args[2] on, found of its position or missing when it has none.
func geoEachPos(c *Ctx, missing func(), found func(lon, lat float64)) {
	z, ok := lookupAs[*store.ZSet](c, c.Args[1], false)
	if !ok {
		return
	}
	c.W.ArrayLen(len(c.Args) - 2)
	for _, m := range c.Args[2:] {
		var lon, lat float64
		if z != nil {
			lon, lat, ok = geoMemberPos(z, m)
		}
		if z == nil || !ok {
			missing()
			continue
		}
		found(lon, lat)
	}
}

func geodistCmd(c *Ctx) {
	toMeter := 1.0
	if len(c.Args) == 5 {
		if toMeter = geoUnit(c, c.Args[4]); toMeter < 0 {
			return
		}
	} else if len(c.Args) > 5 {
		c.Error(ErrSyntax)
		return
	}
	z, ok := lookupOrReply[*store.ZSet](c, c.Args[1], false, c.W.Null)
	if !ok {
		return
	}
	lon1, lat1, ok1 := geoMemberPos(z, c.Args[2])
	lon2, lat2, ok2 := geoMemberPos(z, c.Args[3])
	if !ok1 || !ok2 {
		c.W.Null()
		return
	}
	c.W.Bulk(geoDistanceText(geohash.Distance(lon1, lat1, lon2, lat2) / toMeter))
}

// geoPoint is one search result.
type geoPoint struct {
	lon, lat, dist, score float64
	member                string
}

func geoSearchCmd(srcIdx, flags int) func(*Ctx) {
	return func(c *Ctx) { geoSearchGeneric(c, srcIdx, flags) }
}

// geoSearchGeneric is georadiusGeneric: GEORADIUS*, GEOSEARCH and
// GEOSEARCHSTORE, with their argument order, errors and replies.
func geoSearchGeneric(c *Ctx, srcIdx, flags int) {
	var storekey []byte
	storedist := false
	z, ok := lookupAs[*store.ZSet](c, c.Args[srcIdx], false)
	if !ok {
		return
	}
	var shape geohash.Shape
	var baseArgs int
	switch {
	case flags&geoCoords != 0:
		baseArgs = 6
		if shape.Longitude, shape.Latitude, ok = geoLongLat(c, c.Args[2:]); !ok {
			return
		}
		if shape.Radius, shape.Conversion, ok = geoRadius(c, c.Args[4:]); !ok {
			return
		}
	case flags&geoMember != 0 && z == nil:
		// No key: parse the options anyway, for which reply to give.
		baseArgs = 5
	case flags&geoMember != 0:
		baseArgs = 5
		if shape.Longitude, shape.Latitude, ok = geoMemberPos(z, c.Args[2]); !ok {
			c.Error(errGeoMember)
			return
		}
		if shape.Radius, shape.Conversion, ok = geoRadius(c, c.Args[3:]); !ok {
			return
		}
	default:
		baseArgs = 2
		if flags&geoSearchStore != 0 {
			baseArgs = 3
			storekey = c.Args[1]
		}
	}

	var withdist, withhash, withcoords, frommember, fromloc, byradius, bybox, any bool
	sortDir := 0 // 0 none, 1 ascending, -1 descending
	var count int64
	search, nostore := flags&geoSearch != 0, flags&geoNoStore != 0
	args := c.Args[baseArgs:]
	for i := 0; i < len(args); i++ {
		a, left := args[i], len(args)-i-1
		switch {
		case EqualFold(a, "withdist"):
			withdist = true
		case EqualFold(a, "withhash"):
			withhash = true
		case EqualFold(a, "withcoord"):
			withcoords = true
		case EqualFold(a, "any"):
			any = true
		case EqualFold(a, "asc"):
			sortDir = 1
		case EqualFold(a, "desc"):
			sortDir = -1
		case EqualFold(a, "count") && left >= 1:
			n, ok := intArg(c, args[i+1])
			if !ok {
				return
			}
			if n <= 0 {
				c.Error("ERR COUNT must be > 0")
				return
			}
			count = n
			i++
		case EqualFold(a, "store") && left >= 1 && !nostore && !search:
			storekey, storedist = args[i+1], false
			i++
		case EqualFold(a, "storedist") && left >= 1 && !nostore && !search:
			storekey, storedist = args[i+1], true
			i++
		case EqualFold(a, "storedist") && search && flags&geoSearchStore != 0:
			storedist = true
		case EqualFold(a, "frommember") && left >= 1 && search && !fromloc:
			if z != nil {
				if shape.Longitude, shape.Latitude, ok = geoMemberPos(z, args[i+1]); !ok {
					c.Error(errGeoMember)
					return
				}
			}
			frommember = true
			i++
		case EqualFold(a, "fromlonlat") && left >= 2 && search && !frommember:
			if shape.Longitude, shape.Latitude, ok = geoLongLat(c, args[i+1:]); !ok {
				return
			}
			fromloc = true
			i += 2
		case EqualFold(a, "byradius") && left >= 2 && search && !bybox:
			if shape.Radius, shape.Conversion, ok = geoRadius(c, args[i+1:]); !ok {
				return
			}
			shape.Box, byradius = false, true
			i += 2
		case EqualFold(a, "bybox") && left >= 3 && search && !byradius:
			if shape.Width, shape.Height, shape.Conversion, ok = geoBox(c, args[i+1:]); !ok {
				return
			}
			shape.Box, bybox = true, true
			i += 3
		default:
			c.Error(ErrSyntax)
			return
		}
	}

	if storekey != nil && (withdist || withhash || withcoords) {
		what := "STORE option in GEORADIUS"
		if flags&geoSearchStore != 0 {
			what = "GEOSEARCHSTORE"
		}
		c.Error("ERR " + what + " is not compatible with WITHDIST, WITHHASH and WITHCOORD options")
		return
	}
	if search && !(frommember || fromloc) {
		c.Error("ERR exactly one of FROMMEMBER or FROMLONLAT can be specified for " + sanitizeErr(c.Args[0]))
		return
	}
	if search && !(byradius || bybox) {
		c.Error("ERR exactly one of BYRADIUS and BYBOX can be specified for " + sanitizeErr(c.Args[0]))
		return
	}
	if any && count == 0 {
		c.Error("ERR the ANY argument requires COUNT argument")
		return
	}

	if z == nil {
		if storekey != nil {
			if c.DB.Delete(storekey) {
				c.Touch(storekey)
				c.Notify(store.NotifyGeneric, "del", storekey)
				c.Dirty++
			}
			c.W.Int(0)
		} else {
			c.W.ArrayLen(0)
		}
		return
	}
	// COUNT needs the nearest: ascending unless ANY.
	if count != 0 && sortDir == 0 && !any {
		sortDir = 1
	}

	var limit int
	if any {
		limit = int(min(count, math.MaxInt32))
	}
	points := geoPointsInShape(z, &shape, limit)
	if len(points) == 0 && storekey == nil {
		c.W.ArrayLen(0)
		return
	}
	returned := len(points)
	if count != 0 && int64(returned) > count {
		returned = int(count)
	}
	if sortDir != 0 {
		cmp := func(i, j int) int {
			a, b := points[i].dist, points[j].dist
			r := -1
			if a > b {
				r = 1
			} else if a == b {
				r = 0
			}
			return r * sortDir
		}
		if returned == len(points) {
			sort.SliceStable(points, func(i, j int) bool { return cmp(i, j) < 0 })
		} else {
			pqsort(len(points), cmp, func(i, j int) { points[i], points[j] = points[j], points[i] }, 0, returned-1)
		}
	}

	if storekey == nil {
		opts := 0
		for _, on := range []bool{withdist, withcoords, withhash} {
			if on {
				opts++
			}
		}
		c.W.ArrayLen(returned)
		for _, p := range points[:returned] {
			p.dist /= shape.Conversion
			if opts > 0 {
				c.W.ArrayLen(opts + 1)
			}
			c.W.BulkString(p.member)
			if withdist {
				c.W.Bulk(geoDistanceText(p.dist))
			}
			if withhash {
				c.W.Int(int64(p.score))
			}
			if withcoords {
				c.W.ArrayLen(2)
				geoHumanDouble(c, p.lon)
				geoHumanDouble(c, p.lat)
			}
		}
		return
	}
	if returned > 0 {
		dst := store.NewZSet()
		for _, p := range points[:returned] {
			score := p.score
			if storedist {
				score = p.dist / shape.Conversion
			}
			dst.Add([]byte(p.member), score, c.Store.Limits)
		}
		c.DB.Set(storekey, dst)
		c.Touch(storekey)
		event := "georadiusstore"
		if search {
			event = "geosearchstore"
		}
		c.Notify(store.NotifyZSet, event, storekey)
		c.Dirty += returned
	} else if c.DB.Delete(storekey) {
		c.Touch(storekey)
		c.Notify(store.NotifyGeneric, "del", storekey)
		c.Dirty++
	}
	c.W.Int(int64(returned))
}

// geoPointsInShape is membersOfAllNeighbors: the members of the nine boxes
// that are inside shape, box by box in score order; with limit (ANY) it
// stops once that many are found.
func geoPointsInShape(z *store.ZSet, shape *geohash.Shape, limit int) []geoPoint {
	var points []geoPoint
	boxes := geohash.Areas(shape)
	last := 0
	for i, box := range boxes {
		if box.IsZero() {
			continue
		}
		// Huge radii make neighbors repeat: skip a box equal to the last one.
		if last != 0 && box == boxes[last] {
			continue
		}
		if len(points) > 0 && limit > 0 && len(points) >= limit {
			break
		}
		next := box
		next.Bits++
		r := store.ScoreRange{Min: float64(geohash.Align52(box)), Max: float64(geohash.Align52(next)), MaxEx: true}
		if first, lastRank, ok := z.ScoreRanks(r); ok {
			z.Range(first, lastRank, false, func(m string, score float64) bool {
				lon, lat := geohash.DecodeScore(score)
				if d, in := shape.Within(lon, lat); in {
					points = append(points, geoPoint{lon: lon, lat: lat, dist: d, score: score, member: m})
				}
				return !(len(points) > 0 && limit > 0 && len(points) >= limit)
			})
		}
		last = i
	}
	return points
}

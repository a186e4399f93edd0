// Package geohash is Redis 7.0's geohash: longitude and latitude
// interleaved into 52 bits (26 steps each) that a sorted set keeps as the
// score, the nine boxes that cover a radius or box search, and the
// haversine distance, computed step by step as Redis's geohash.c and
// geohash_helper.c do so that scores, distances and the boxes searched are
// the ones redis-server finds.
package geohash

import "math"

// Limits of the coordinates Redis can index (EPSG:900913).
const (
	LatMin  = -85.05112878
	LatMax  = 85.05112878
	LongMin = -180.0
	LongMax = 180.0
	StepMax = 26 // 26*2 = 52 bits
)

const (
	earthRadiusInMeters = 6372797.560856
	mercatorMax         = 20037726.37
)

// Bits is a geohash of step*2 bits.
type Bits struct {
	Bits uint64
	Step uint8
}

// IsZero reports an unset hash (HASHISZERO).
func (h Bits) IsZero() bool { return h.Bits == 0 && h.Step == 0 }

// Range is a coordinate interval.
type Range struct{ Min, Max float64 }

// Area is a hash with the longitude and latitude intervals it covers.
type Area struct {
	Hash                Bits
	Longitude, Latitude Range
}

// WGS84 are the coordinate ranges Redis encodes scores with.
func WGS84() (long, lat Range) {
	return Range{LongMin, LongMax}, Range{LatMin, LatMax}
}

func interleave64(xlo, ylo uint32) uint64 {
	b := [...]uint64{0x5555555555555555, 0x3333333333333333, 0x0F0F0F0F0F0F0F0F, 0x00FF00FF00FF00FF, 0x0000FFFF0000FFFF}
	s := [...]uint{1, 2, 4, 8, 16}
	x, y := uint64(xlo), uint64(ylo)
	for i := 4; i >= 0; i-- {
		x = (x | x<<s[i]) & b[i]
		y = (y | y<<s[i]) & b[i]
	}
	return x | y<<1
}

func deinterleave64(v uint64) uint64 {
	b := [...]uint64{0x5555555555555555, 0x3333333333333333, 0x0F0F0F0F0F0F0F0F, 0x00FF00FF00FF00FF, 0x0000FFFF0000FFFF, 0x00000000FFFFFFFF}
	s := [...]uint{0, 1, 2, 4, 8, 16}
	x, y := v, v>>1
	for i := 0; i < 6; i++ {
		x = (x | x>>s[i]) & b[i]
		y = (y | y>>s[i]) & b[i]
	}
	return x | y<<32
}

// Encode hashes (longitude, latitude) in step steps within the ranges; ok
// is false outside them (geohashEncode).
func Encode(long, lat Range, longitude, latitude float64, step uint8) (Bits, bool) {
	if step > 32 || step == 0 || (lat.Min == 0 && lat.Max == 0) || (long.Min == 0 && long.Max == 0) {
		return Bits{}, false
	}
	if longitude > LongMax || longitude < LongMin || latitude > LatMax || latitude < LatMin {
		return Bits{}, false
	}
	if latitude < lat.Min || latitude > lat.Max || longitude < long.Min || longitude > long.Max {
		return Bits{Step: step}, false
	}
	latOffset := (latitude - lat.Min) / (lat.Max - lat.Min)
	longOffset := (longitude - long.Min) / (long.Max - long.Min)
	latOffset *= float64(uint64(1) << step)
	longOffset *= float64(uint64(1) << step)
	return Bits{Bits: interleave64(uint32(latOffset), uint32(longOffset)), Step: step}, true
}

// EncodeWGS84 hashes a point with the score ranges.
func EncodeWGS84(longitude, latitude float64, step uint8) (Bits, bool) {
	long, lat := WGS84()
	return Encode(long, lat, longitude, latitude, step)
}

// Decode returns the area of hash within the ranges (geohashDecode).
func Decode(long, lat Range, h Bits) (Area, bool) {
	if h.IsZero() || (lat.Min == 0 && lat.Max == 0) || (long.Min == 0 && long.Max == 0) {
		return Area{}, false
	}
	sep := deinterleave64(h.Bits)
	latScale := lat.Max - lat.Min
	longScale := long.Max - long.Min
	ilato := uint32(sep)
	ilono := uint32(sep >> 32)
	div := float64(uint64(1) << h.Step)
	return Area{
		Hash:      h,
		Latitude:  Range{lat.Min + (float64(ilato)*1.0/div)*latScale, lat.Min + (float64(ilato+1)*1.0/div)*latScale},
		Longitude: Range{long.Min + (float64(ilono)*1.0/div)*longScale, long.Min + (float64(ilono+1)*1.0/div)*longScale},
	}, true
}

// DecodeToLongLat returns the center of hash's area, clamped to the limits.
func DecodeToLongLat(h Bits) (longitude, latitude float64, ok bool) {
	long, lat := WGS84()
	a, ok := Decode(long, lat, h)
	if !ok {
		return 0, 0, false
	}
	longitude = min(max((a.Longitude.Min+a.Longitude.Max)/2, LongMin), LongMax)
	latitude = min(max((a.Latitude.Min+a.Latitude.Max)/2, LatMin), LatMax)
	return longitude, latitude, true
}

// DecodeScore decodes a sorted-set score as Redis's decodeGeohash does,
// converting the double to 64 bits as C does on x86-64.
func DecodeScore(score float64) (longitude, latitude float64) {
	lo, la, _ := DecodeToLongLat(Bits{Bits: DoubleToUint64(score), Step: StepMax})
	return lo, la
}

// DoubleToUint64 is C's (uint64_t) cast of a double as gcc compiles it for
// x86-64 (comisd, cvttsd2si): values below 2^63 and NaN through a signed
// conversion (whose overflow gives 2^63), the rest offset by 2^63.
func DoubleToUint64(f float64) uint64 {
	if !(f >= 0x1p63) { // NaN too: comisd's unordered result
		if f <= -0x1p63 || math.IsNaN(f) {
			return 1 << 63 // cvttsd2si's "integer indefinite"
		}
		return uint64(int64(f))
	}
	g := f - 0x1p63
	if g >= 0x1p63 {
		return 0 // the indefinite 2^63, xor 2^63
	}
	return uint64(int64(g)) ^ 1<<63
}

// Align52 shifts hash to 52 bits: the score of a point.
func Align52(h Bits) uint64 { return h.Bits << (52 - uint(h.Step)*2) }

func moveX(h *Bits, d int) { move(h, d, 0xaaaaaaaaaaaaaaaa) }

func moveY(h *Bits, d int) { move(h, d, 0x5555555555555555) }

// move steps h by one box (d > 0 up, d < 0 down) along the axis whose
// bits are interleaved at the positions of moving (geohash_move_x/_y).
func move(h *Bits, d int, moving uint64) {
	if d == 0 {
		return
	}
	shift := 64 - uint(h.Step)*2
	a := h.Bits & moving
	b := h.Bits &^ moving
	zz := ^moving >> shift
	if d > 0 {
		a = a + (zz + 1)
	} else {
		a = a | zz
		a = a - (zz + 1)
	}
	a &= moving >> shift
	h.Bits = a | b
}

// Neighbors are the eight boxes around a hash.
type Neighbors struct {
	North, East, West, South, NorthEast, SouthEast, NorthWest, SouthWest Bits
}

func neighborsOf(h Bits) Neighbors {
	move := func(dx, dy int) Bits {
		n := h
		moveX(&n, dx)
		moveY(&n, dy)
		return n
	}
	return Neighbors{
		East: move(1, 0), West: move(-1, 0), South: move(0, -1), North: move(0, 1),
		NorthWest: move(-1, 1), NorthEast: move(1, 1), SouthEast: move(1, -1), SouthWest: move(-1, -1),
	}
}

// Shape is a search area: a circle of Radius or a box of Width x Height
// (in units of Conversion meters) around (Longitude, Latitude).
type Shape struct {
	Longitude, Latitude float64
	Box                 bool
	Radius              float64
	Width, Height       float64
	Conversion          float64
}

// Bounds are the bounding box of shape: min longitude, min latitude, max
// longitude, max latitude (geohashBoundingBox).
func (s *Shape) Bounds() [4]float64 {
	height, width := s.Conversion*s.Radius, s.Conversion*s.Radius
	if s.Box {
		height, width = s.Conversion*(s.Height/2), s.Conversion*(s.Width/2)
	}
	latDelta := radDeg(height / earthRadiusInMeters)
	longDeltaTop := radDeg(width / earthRadiusInMeters / cos(degRad(s.Latitude+latDelta)))
	longDeltaBottom := radDeg(width / earthRadiusInMeters / cos(degRad(s.Latitude-latDelta)))
	var b [4]float64
	if s.Latitude < 0 {
		b[0], b[2] = s.Longitude-longDeltaBottom, s.Longitude+longDeltaBottom
	} else {
		b[0], b[2] = s.Longitude-longDeltaTop, s.Longitude+longDeltaTop
	}
	b[1], b[3] = s.Latitude-latDelta, s.Latitude+latDelta
	return b
}

// dR is C's M_PI / 180.0: the double nearest pi divided in double
// arithmetic, which may differ in the last bit from Go's exact constant.
func dR() float64 {
	pi := math.Pi
	return pi / 180.0
}

func degRad(a float64) float64 { return a * dR() }
func radDeg(a float64) float64 { return a / dR() }

// EstimateSteps is the step of the nine boxes for a search of range meters
// at latitude lat (geohashEstimateStepsByRadius).
func EstimateSteps(rangeMeters, lat float64) uint8 {
	if rangeMeters == 0 {
		return 26
	}
	step := 1
	for rangeMeters < mercatorMax {
		rangeMeters *= 2
		step++
	}
	step -= 2
	if lat > 66 || lat < -66 {
		step--
		if lat > 80 || lat < -80 {
			step--
		}
	}
	return uint8(min(max(step, 1), 26))
}

// Areas returns the nine boxes to search for shape, in Redis's order:
// the center, then north, south, east, west, north-east, north-west,
// south-east, south-west; a box not needed is zero
// (geohashCalculateAreasByShapeWGS84).
func Areas(s *Shape) [9]Bits {
	b := s.Bounds()
	minLon, minLat, maxLon, maxLat := b[0], b[1], b[2], b[3]
	radius := s.Radius
	if s.Box {
		radius = math.Sqrt((s.Width/2)*(s.Width/2) + (s.Height/2)*(s.Height/2))
	}
	radius *= s.Conversion
	steps := EstimateSteps(radius, s.Latitude)
	long, lat := WGS84()
	hash, _ := Encode(long, lat, s.Longitude, s.Latitude, steps)
	nb := neighborsOf(hash)
	area, _ := Decode(long, lat, hash)

	// Step back once when a side box does not reach the bounding box.
	north, _ := Decode(long, lat, nb.North)
	south, _ := Decode(long, lat, nb.South)
	east, _ := Decode(long, lat, nb.East)
	west, _ := Decode(long, lat, nb.West)
	decrease := north.Latitude.Max < maxLat || south.Latitude.Min > minLat ||
		east.Longitude.Max < maxLon || west.Longitude.Min > minLon
	if steps > 1 && decrease {
		steps--
		hash, _ = Encode(long, lat, s.Longitude, s.Latitude, steps)
		nb = neighborsOf(hash)
		area, _ = Decode(long, lat, hash)
	}
	// Drop the boxes the search area cannot reach.
	if steps >= 2 {
		if area.Latitude.Min < minLat {
			nb.South, nb.SouthWest, nb.SouthEast = Bits{}, Bits{}, Bits{}
		}
		if area.Latitude.Max > maxLat {
			nb.North, nb.NorthEast, nb.NorthWest = Bits{}, Bits{}, Bits{}
		}
		if area.Longitude.Min < minLon {
			nb.West, nb.SouthWest, nb.NorthWest = Bits{}, Bits{}, Bits{}
		}
		if area.Longitude.Max > maxLon {
			nb.East, nb.SouthEast, nb.NorthEast = Bits{}, Bits{}, Bits{}
		}
	}
	return [9]Bits{hash, nb.North, nb.South, nb.East, nb.West, nb.NorthEast, nb.NorthWest, nb.SouthEast, nb.SouthWest}
}

// LatDistance is the distance in meters between two latitudes on a meridian.
func LatDistance(lat1, lat2 float64) float64 {
	return earthRadiusInMeters * math.Abs(degRad(lat2)-degRad(lat1))
}

// Distance is the haversine distance in meters (geohashGetDistance).
func Distance(lon1, lat1, lon2, lat2 float64) float64 {
	lon1r, lon2r := degRad(lon1), degRad(lon2)
	v := sin((lon2r - lon1r) / 2)
	if v == 0 {
		return LatDistance(lat1, lat2)
	}
	lat1r, lat2r := degRad(lat1), degRad(lat2)
	u := sin((lat2r - lat1r) / 2)
	a := u*u + cos(lat1r)*cos(lat2r)*v*v
	return 2.0 * earthRadiusInMeters * asin(math.Sqrt(a))
}

// Within reports whether the point (lon, lat) is inside shape, and its
// distance in meters from the shape's center (geoWithinShape).
func (s *Shape) Within(lon, lat float64) (dist float64, ok bool) {
	if !s.Box {
		d := Distance(s.Longitude, s.Latitude, lon, lat)
		return d, !(d > s.Radius*s.Conversion)
	}
	w, h := s.Width*s.Conversion, s.Height*s.Conversion
	if LatDistance(lat, s.Latitude) > h/2 {
		return 0, false
	}
	if Distance(lon, lat, s.Longitude, lat) > w/2 {
		return 0, false
	}
	return Distance(s.Longitude, s.Latitude, lon, lat), true
}

package geohash

import "math"

// Redis computes distances with glibc's sin, cos and asin, which round
// (almost always) correctly; Go's math package differs from them in the
// last bit for about a quarter of all arguments, enough to change
// STOREDIST scores and the points found at a search's edge. These compute
// in double-double arithmetic (about 106 bits) and round once, which gives
// glibc's results.

// dd is an unevaluated sum hi + lo with |lo| <= ulp(hi)/2.
type dd struct{ hi, lo float64 }

func twoSum(a, b float64) dd {
	s := a + b
	bb := s - a
	return dd{s, (a - (s - bb)) + (b - bb)}
}

func quickTwoSum(a, b float64) dd {
	s := a + b
	return dd{s, b - (s - a)}
}

func twoProd(a, b float64) dd {
	p := a * b
	return dd{p, math.FMA(a, b, -p)}
}

func (a dd) add(b dd) dd {
	s := twoSum(a.hi, b.hi)
	t := twoSum(a.lo, b.lo)
	s.lo += t.hi
	s = quickTwoSum(s.hi, s.lo)
	s.lo += t.lo
	return quickTwoSum(s.hi, s.lo)
}

func (a dd) neg() dd { return dd{-a.hi, -a.lo} }

func (a dd) mul(b dd) dd {
	p := twoProd(a.hi, b.hi)
	p.lo += a.hi*b.lo + a.lo*b.hi
	return quickTwoSum(p.hi, p.lo)
}

func (a dd) mulF(b float64) dd {
	p := twoProd(a.hi, b)
	p.lo += a.lo * b
	return quickTwoSum(p.hi, p.lo)
}

func (a dd) div(b dd) dd {
	q1 := a.hi / b.hi
	r := a.add(b.mulF(q1).neg())
	q2 := r.hi / b.hi
	r = r.add(b.mulF(q2).neg())
	q3 := r.hi / b.hi
	return quickTwoSum(q1, q2).add(dd{q3, 0})
}

func (a dd) sqrt() dd {
	if a.hi <= 0 {
		return dd{math.Sqrt(a.hi), 0}
	}
	x := math.Sqrt(a.hi)
	// One Newton step: x + (a - x*x) / (2x).
	r := a.add(twoProd(x, x).neg())
	return twoSum(x, r.hi/(2*x))
}

// pi/2 in three parts.
const (
	pio2a = 0x1.921fb54442d18p+0
	pio2b = 0x1.1a62633145c07p-54
	pio2c = -0x1.f1976b7ed8fbcp-110
)

// sinCoef and cosCoef are the Taylor coefficients -1/3!, 1/5!, ... and
// -1/2!, 1/4!, ... in double-double.
var (
	sinCoef = [...]dd{
		{-0x1.5555555555555p-3, -0x1.5555555555555p-57},
		{0x1.1111111111111p-7, 0x1.1111111111111p-63},
		{-0x1.a01a01a01a01ap-13, -0x1.a01a01a01a01ap-73},
		{0x1.71de3a556c734p-19, -0x1.c154f8ddc6c00p-73},
		{-0x1.ae64567f544e4p-26, 0x1.c062e06d1f209p-80},
		{0x1.6124613a86d09p-33, 0x1.f28e0cc748ebep-87},
		{-0x1.ae7f3e733b81fp-41, -0x1.1d8656b0ee8cbp-97},
		{0x1.952c77030ad4ap-49, 0x1.ac981465ddc6cp-103},
		{-0x1.2f49b46814157p-57, -0x1.2650f61dbdcb4p-112},
		{0x1.71b8ef6dcf572p-66, -0x1.d043ae40c4647p-120},
		{-0x1.761b41316381ap-75, 0x1.3423c7d91404fp-130},
		{0x1.3f3ccdd165fa9p-84, -0x1.58ddadf344487p-139},
	}
	cosCoef = [...]dd{
		{-0x1.0000000000000p-1, 0},
		{0x1.5555555555555p-5, 0x1.5555555555555p-59},
		{-0x1.6c16c16c16c17p-10, 0x1.f49f49f49f49fp-65},
		{0x1.a01a01a01a01ap-16, 0x1.a01a01a01a01ap-76},
		{-0x1.27e4fb7789f5cp-22, -0x1.cbbc05b4fa99ap-76},
		{0x1.1eed8eff8d898p-29, -0x1.2aec959e14c06p-83},
		{-0x1.93974a8c07c9dp-37, -0x1.05d6f8a2efd1fp-92},
		{0x1.ae7f3e733b81fp-45, 0x1.1d8656b0ee8cbp-101},
		{-0x1.6827863b97d97p-53, -0x1.eec01221a8b0bp-107},
		{0x1.e542ba4020225p-62, 0x1.ea72b4afe3c2fp-120},
		{-0x1.0ce396db7f853p-70, 0x1.aebcdbd20331cp-124},
		{0x1.f2cf01972f578p-80, -0x1.9ada5fcc1ab14p-135},
	}
)

// sinCosDD returns sin and cos of x (|x| <= pi/4) by their Taylor series
// (to x^25 and x^24: the next terms are below 2^-110 of the result).
func sinCosDD(x dd) (s, c dd) {
	x2 := x.mul(x)
	// The terms from x^9 on are below 2^-18 of the result: double
	// precision is enough for them.
	ts, tc := sinCoef[len(sinCoef)-1].hi, cosCoef[len(cosCoef)-1].hi
	for i := len(sinCoef) - 2; i >= 3; i-- {
		ts = ts*x2.hi + sinCoef[i].hi
		tc = tc*x2.hi + cosCoef[i].hi
	}
	ps, pc := dd{ts, 0}, dd{tc, 0}
	for i := 2; i >= 0; i-- {
		ps = ps.mul(x2).add(sinCoef[i])
		pc = pc.mul(x2).add(cosCoef[i])
	}
	return x.add(x.mul(x2).mul(ps)), dd{1, 0}.add(x2.mul(pc))
}

// sinCos returns sin(x) and cos(x) in double-double for a double x.
func sinCos(x float64) (s, c dd) {
	k := math.Round(x / pio2a)
	r := dd{x, 0}.add(twoProd(-k, pio2a)).add(twoProd(-k, pio2b)).add(dd{-k * pio2c, 0})
	s, c = sinCosDD(r)
	switch int64(k) & 3 {
	case 1:
		s, c = c, s.neg()
	case 2:
		s, c = s.neg(), c.neg()
	case 3:
		s, c = c.neg(), s
	}
	return s, c
}

func sin(x float64) float64 {
	if math.IsInf(x, 0) || math.IsNaN(x) || math.Abs(x) > 1e6 {
		return math.Sin(x)
	}
	if x == 0 {
		return x
	}
	s, _ := sinCos(x)
	return s.hi + s.lo
}

func cos(x float64) float64 {
	if math.IsInf(x, 0) || math.IsNaN(x) || math.Abs(x) > 1e6 {
		return math.Cos(x)
	}
	_, c := sinCos(x)
	return c.hi + c.lo
}

// asinDD is asin of a in [0, 0.5] (and a little more) by Newton's method
// from math.Asin's estimate.
func asinDD(a dd) dd {
	y := math.Asin(a.hi)
	s, c := sinCos(y)
	return dd{y, 0}.add(a.add(s.neg()).div(c))
}

func asin(x float64) float64 {
	if math.IsNaN(x) || x > 1 || x < -1 {
		return math.NaN()
	}
	if x == 0 {
		return x
	}
	neg := x < 0
	a := math.Abs(x)
	var r dd
	if a <= 0.5 {
		r = asinDD(dd{a, 0})
	} else {
		// asin(a) = pi/2 - 2 asin(sqrt((1-a)/2)), well conditioned near 1.
		t := dd{(1 - a) / 2, 0} // exact for a in [0.5, 1]
		r = dd{pio2a, pio2b}.add(asinDD(t.sqrt()).mulF(-2))
	}
	v := r.hi + r.lo
	if neg {
		v = -v
	}
	return v
}

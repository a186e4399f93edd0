package node

import (
	"math/bits"
	"slices"
	"strconv"
	"strings"
)

// latencyHist is one command's latency histogram for INFO latencystats:
// the HdrHistogram Redis keeps per command (hdr_init(1, 1000000000, 2)),
// values in nanoseconds from 1 ns to 1 s with two significant digits.
// Only the buckets used are kept, in index order: a command's durations
// fall in a handful of them, where Redis allocates all 3072.
type latencyHist struct {
	counts []histCount
	total  int64
}

type histCount struct {
	idx   int32
	count int64
}

// The histogram's layout for those bounds (hdr_calculate_bucket_config):
// 256 sub-buckets (two significant digits need 200), half of them per
// bucket after the first, unit 1 ns.
const (
	histMin           = 1
	histMax           = 1_000_000_000
	histHalfMagnitude = 7
	histHalfCount     = 1 << histHalfMagnitude
	histSubBucketMask = 2*histHalfCount - 1
	// histCountsLen is counts_len: 23 buckets reach 1 s, plus one.
	histCountsLen = 24 * histHalfCount
)

// record is updateCommandLatencyHistogram: ns clamped to the bounds.
func (h *latencyHist) record(ns int64) {
	ns = min(max(ns, histMin), histMax)
	b := histBucket(ns)
	idx := int32((b+1)<<histHalfMagnitude + int(ns>>b) - histHalfCount)
	i, found := slices.BinarySearchFunc(h.counts, idx, func(c histCount, idx int32) int { return int(c.idx - idx) })
	if !found {
		h.counts = slices.Insert(h.counts, i, histCount{idx: idx})
	}
	h.counts[i].count++
	h.total++
}

// histBucket is get_bucket_index: the power of two above v, less the
// sub-bucket bits.
func histBucket(v int64) int {
	return 64 - bits.LeadingZeros64(uint64(v|histSubBucketMask)) - (histHalfMagnitude + 1)
}

// valueAt is hdr_value_at_percentile: the highest value equivalent to the
// one holding the count at p (the lowest for p = 0).
func (h *latencyHist) valueAt(p float64) int64 {
	want := int64(min(p, 100)/100*float64(h.total) + 0.5)
	want = max(want, 1)
	var v, sum int64
	for _, c := range h.counts {
		if sum += c.count; sum >= want {
			v = histValueAt(int(c.idx))
			break
		}
	}
	if p == 0 {
		return histLowest(v)
	}
	return histHighest(v)
}

// histValueAt is hdr_value_at_index.
func histValueAt(idx int) int64 {
	b := idx>>histHalfMagnitude - 1
	sub := int64(idx&(histHalfCount-1)) + histHalfCount
	if b < 0 {
		sub -= histHalfCount
		b = 0
	}
	return sub << b
}

// histLowest and histHighest are the bounds of v's bucket
// (lowest_equivalent_value, highest_equivalent_value).
func histLowest(v int64) int64 { b := histBucket(v); return v >> b << b }

func histHighest(v int64) int64 { return histLowest(v) + 1<<histBucket(v) - 1 }

// cdf is what LATENCY HISTOGRAM reads with hdr_iter_log_init(1024, 2):
// stepping up the buckets to each power of two from 1024 ns, the bucket
// reached (its highest value, in µs) and the count up to it, each time
// that count grew.
func (h *latencyHist) cdf(yield func(usec, cumulative int64)) {
	level := int64(1024)
	levelLow := histLowest(level)
	idx, next := -1, 0 // next: the first of h.counts not yet passed
	var value, cum, prev int64
	for cum < h.total || (idx < histCountsLen && histValueAt(idx+1) > levelLow) {
		for value < levelLow {
			if idx++; idx >= histCountsLen {
				break
			}
			if next < len(h.counts) && int(h.counts[next].idx) == idx {
				cum += h.counts[next].count
				next++
			}
			value = histValueAt(idx)
		}
		if value >= levelLow {
			level *= 2
			levelLow = histLowest(level)
		}
		if cum > prev {
			yield(histHighest(value)/1000, cum)
		}
		prev = cum
	}
}

// writePercentiles is fillPercentileDistributionLatencies' line for
// command name: each percentile in µs with three decimals.
func (h *latencyHist) writePercentiles(sb *strings.Builder, name string, ps []float64, names []string) {
	sb.WriteString("latency_percentiles_usec_")
	sb.WriteString(name)
	sb.WriteByte(':')
	for i, p := range ps {
		if i > 0 {
			sb.WriteByte(',')
		}
		sb.WriteByte('p')
		sb.WriteString(names[i])
		sb.WriteByte('=')
		sb.WriteString(strconv.FormatFloat(float64(h.valueAt(p))/1000, 'f', 3, 64))
	}
	sb.WriteString("\r\n")
}

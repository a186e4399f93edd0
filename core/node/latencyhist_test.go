package node

import (
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestLatencyHistPercentiles: the values INFO latencystats prints, which
// Redis reads from its HdrHistogram (1 ns to 1 s, two significant digits):
// the highest value of the bucket holding the percentile's count, the
// lowest for p0. 1.003 and 21.119 are what redis-server 7.0.15 printed for
// commands of 1 µs and 21 µs.
func TestLatencyHistPercentiles(t *testing.T) {
	tests := []struct {
		name string
		ns   []int64
		ps   []float64
		want string
	}{
		{"a 0 µs command counts as 1 ns", []int64{0}, []float64{50}, "p50=0.001"},
		{"1 µs", []int64{1000}, []float64{50}, "p50=1.003"},
		{"21 µs", []int64{21000}, []float64{99.9}, "p99.9=21.119"},
		{"above 1 s is 1 s", []int64{5_000_000_000}, []float64{100}, "p100=1002438.655"},
		{"p0 is the lowest of its bucket", []int64{1000, 21000, 50_000_000}, []float64{0, 50, 99.9, 100},
			"p0=1.000,p50=21.119,p99.9=50069.503,p100=50069.503"},
		{"the count rounds", []int64{1000, 1000, 21000, 21000}, []float64{37.4, 37.6, 62.4, 62.6},
			"p37.4=1.003,p37.6=1.003,p62.4=1.003,p62.6=21.119"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var h latencyHist
			for _, ns := range tt.ns {
				h.record(ns)
			}
			names := make([]string, len(tt.ps))
			for i, p := range tt.ps {
				names[i] = strconv.FormatFloat(p, 'f', -1, 64)
			}
			var sb strings.Builder
			h.writePercentiles(&sb, "x", tt.ps, names)
			assert.Equal(t, "latency_percentiles_usec_x:"+tt.want+"\r\n", sb.String())
		})
	}
}

// TestLatencyHistCDF: LATENCY HISTOGRAM's distribution, as Redis's
// logarithmic iteration from 1024 ns by powers of two reports it: the
// highest value (µs) of the bucket where each step lands, and the count up
// to it, when it grew. redis-server 7.0.15 gave 135266 and 270532 for a
// 100 ms and a 200 ms DEBUG SLEEP (native/e2e's TestLatencyAsRedis).
func TestLatencyHistCDF(t *testing.T) {
	tests := []struct {
		name string
		ns   []int64
		want []int64
	}{
		{"0 µs commands", []int64{0, 0, 0}, []int64{1, 3}},
		{"three sizes", []int64{1000, 21000, 50_000_000}, []int64{1, 1, 33, 2, 67633, 3}},
		{"sleeps", []int64{200_000_000, 100_000_000}, []int64{135266, 1, 270532, 2}},
		// The iteration runs off the last bucket before its next step: that
		// bucket is reported (redis-server gave 1073741 for DEBUG SLEEP 1.1).
		{"1 s and more", []int64{1_000_000_000, 7_000_000_000}, []int64{1073741, 2}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var h latencyHist
			for _, ns := range tt.ns {
				h.record(ns)
			}
			var got []int64
			h.cdf(func(usec, cum int64) { got = append(got, usec, cum) })
			assert.Equal(t, tt.want, got)
		})
	}
}

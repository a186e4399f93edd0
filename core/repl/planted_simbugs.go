//go:build simbugs

package repl

// Bugs that core/sim's tests plant, one at a time, to show that the default
// seed set catches each. They exist only in test builds with -tags simbugs
// (a build tag rather than an exported variable, so that no production
// build can turn one on).
var (
	// From starts one byte after the asked offset: an off-by-one in the
	// backlog arithmetic (a partial resync skips a byte of the stream).
	plantedBacklogOffByOne bool
	// Shift keeps the old replid as the primary one and files the new one
	// as replid2: a replid2 mix-up after promotion.
	plantedReplid2MixUp bool
)

// Plant turns the named planted bug on or off and reports whether it is one
// of this package's: "backlog-off-by-one", "replid2-mixup".
func Plant(name string, on bool) bool {
	switch name {
	case "backlog-off-by-one":
		plantedBacklogOffByOne = on
	case "replid2-mixup":
		plantedReplid2MixUp = on
	default:
		return false
	}
	return true
}

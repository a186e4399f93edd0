//go:build simbugs

package node

// plantedChainDropsPing makes a replica apply its master's PINGs without
// forwarding them to its backlog and sub-replicas: a chained replica that
// forwards a different byte count than it received. Only in test builds
// with -tags simbugs, which core/sim's tests use to show they catch it.
var plantedChainDropsPing bool

// Plant turns the named planted bug on or off and reports whether it is
// this package's: "chain-drops-ping".
func Plant(name string, on bool) bool {
	if name != "chain-drops-ping" {
		return false
	}
	plantedChainDropsPing = on
	return true
}

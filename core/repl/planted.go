//go:build !simbugs

package repl

// Bugs planted on purpose, to show that core/sim catches them (see
// planted_simbugs.go). Outside the simbugs build tag they are false
// constants: the compiler drops the code behind them.
const (
	plantedBacklogOffByOne = false
	plantedReplid2MixUp    = false
)

//go:build !simbugs

package node

// A bug planted on purpose, to show that core/sim catches it (see
// planted_simbugs.go); a false constant outside the simbugs build tag.
const plantedChainDropsPing = false

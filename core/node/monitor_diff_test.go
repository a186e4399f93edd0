//go:build !js

package node_test

import "testing"

// TestMonitorOrderDiffRedis compares with redis-server what MONITOR shows
// and in which order: a command once it ran, with the database it left
// selected (SELECT shows its new one), so EXEC after the commands it ran
// and an aborted EXEC after MULTI; EVAL before its script's commands.
func TestMonitorOrderDiffRedis(t *testing.T) {
	runACLDiff(t, 2, aclSteps(
		"1: MONITOR", "MULTI", "SET foo bar", "EXEC", "1:",
		"MULTI", "NOSUCH x", "EXEC", "1:",
		"MULTI", "SELECT 2", "GET foo", "CONFIG GET maxmemory", "EXEC", "1:",
		"SELECT 3", "EVAL redis.call('set','k','v') 0", "MULTI", "EVAL redis.call('get','k') 0", "PING", "EXEC", "1:",
		"MULTI", "EXEC x", "1:", "GET", "SELECT 0", "1:",
	))
}

//go:build !js

package command

import (
	"testing"
)

// setBig returns "SADD key m0 m1 ..." with n members made by prefix.
func setBig(key, prefix string, n int) diffCase {
	return bigCase("SADD", key, n, func(i string) []string { return []string{prefix + i} })
}

func TestSetDiff(t *testing.T) {
	runDiff(t, []diffCase{
		// SADD, encodings, SMEMBERS order of an intset.
		dc("SADD s1 5 3 -1 10 3"), dc("OBJECT ENCODING s1"), dc("SMEMBERS s1"), dc("SCARD s1"),
		dc("SADD s1 0"), dc("SMEMBERS s1"),
		dc("SADD s2 a b c 1"), dc("OBJECT ENCODING s2"), dcu("SMEMBERS s2"),
		dc("SADD s3 1 2 007"), dc("OBJECT ENCODING s3"),
		dc("SADD s4 -0"), dc("OBJECT ENCODING s4"),
		dc("SADD s5 9223372036854775807 -9223372036854775808"), dc("OBJECT ENCODING s5"), dc("SMEMBERS s5"),
		dc("SADD s6 9223372036854775808"), dc("OBJECT ENCODING s6"),
		setBig("big", "", 512), dc("OBJECT ENCODING big"), dc("SADD big 512"), dc("OBJECT ENCODING big"),
		dc("SREM big 512 511"), dc("OBJECT ENCODING big"), dc("SCARD big"),
		dc("SADD"), dc("SADD s1"), dc("SET str v"), dc("SADD str a"), dc("SCARD str"), dc("SMEMBERS str"),
		dc("SMEMBERS nokey"), dc("SCARD nokey"),
		// SREM, SISMEMBER, SMISMEMBER.
		dc("SREM s1 10 99 -1"), dc("SMEMBERS s1"), dc("SREM nokey a"), dc("SREM str a"), dc("SREM s1"),
		dc("SADD tmp x"), dc("SREM tmp x y"), dc("EXISTS tmp"),
		dc("SISMEMBER s1 5"), dc("SISMEMBER s1 05"), dc("SISMEMBER s2 a"), dc("SISMEMBER nokey a"),
		dc("SISMEMBER str a"), dc("SISMEMBER s1"),
		dc("SMISMEMBER s2 a z 1"), dc("SMISMEMBER nokey a b"), dc("SMISMEMBER str a"), dc("SMISMEMBER s2"),
		// SPOP / SRANDMEMBER: only the deterministic cases.
		dc("SPOP nokey"), dc("SPOP nokey 3"), dc("SPOP str"), dc("SPOP str 1"), dc("SPOP s1 -1"),
		dc("SPOP s1 x"), dc("SPOP s1 1 2"), dc("SPOP s1 0"), dc("SADD one 42"), dc("SPOP one"),
		dc("EXISTS one"), dc("SADD three 3 1 2"), dc("SPOP three 3"), dc("EXISTS three"),
		dc("SADD three 3 1 2"), dc("SPOP three 10"), dc("SADD p a"), dc("SPOP p 5"),
		dc("SRANDMEMBER nokey"), dc("SRANDMEMBER nokey 5"), dc("SRANDMEMBER str"), dc("SRANDMEMBER str 2"),
		dc("SRANDMEMBER s1 x"), dc("SRANDMEMBER s1 1 2"), dc("SRANDMEMBER s1 0"), dc("SRANDMEMBER s1 100"),
		dc("SRANDMEMBER s1 -9223372036854775808"), dcu("SRANDMEMBER s2 4"), dc("SRANDMEMBER one -3"),
		dc("SADD one 7"), dc("SRANDMEMBER one -3"), dc("SRANDMEMBER one"), dc("SRANDMEMBER one 1"),
		// Algebra.
		dc("SADD a 1 2 3 4 5"), dc("SADD b 4 5 6"), dc("SADD c 5 6 7 x"),
		dc("SINTER a b"), dc("SINTER a b c"), dc("SINTER a nokey"), dc("SINTER nokey a"), dc("SINTER a str"),
		dc("SINTER nokey str"), dc("SINTER a a"),
		dc("SUNION a b"), dcu("SUNION a c"), dc("SUNION nokey"), dc("SUNION a str"),
		dc("SDIFF a b"), dc("SDIFF a b c"), dc("SDIFF a a"), dc("SDIFF nokey a"), dc("SDIFF a nokey"), dc("SDIFF a str"),
		dc("SINTERSTORE d a b"), dc("SMEMBERS d"), dc("OBJECT ENCODING d"), dc("SINTERSTORE d a nokey"),
		dc("EXISTS d"), dc("SINTERSTORE d nokey"), dc("SINTERSTORE str a"), dc("TYPE str"), dc("SET str v"),
		dc("SINTERSTORE d a str"),
		dc("SUNIONSTORE d a c"), dc("SCARD d"), dc("OBJECT ENCODING d"), dc("SUNIONSTORE d a b"), dc("OBJECT ENCODING d"),
		dc("SUNIONSTORE d nokey"), dc("EXISTS d"),
		dc("SDIFFSTORE d a b"), dc("SMEMBERS d"), dc("SDIFFSTORE d a a"), dc("EXISTS d"), dc("SDIFFSTORE d a str"),
		dc("SINTERCARD 2 a b"), dc("SINTERCARD 2 a b LIMIT 1"), dc("SINTERCARD 2 a b LIMIT 0"),
		dc("SINTERCARD 1 a limit 3"), dc("SINTERCARD 0 a"), dc("SINTERCARD x a"), dc("SINTERCARD -1 a"),
		dc("SINTERCARD 3 a b"), dc("SINTERCARD 1 a LIMIT -1"), dc("SINTERCARD 1 a LIMIT x"),
		dc("SINTERCARD 1 a LIMIT"), dc("SINTERCARD 1 a foo 1"), dc("SINTERCARD 2 a nokey"),
		dc("SINTERCARD 2 a str"), dc("SINTERCARD 1 a LIMIT 1 LIMIT 2"),
		// SMOVE.
		dc("SMOVE a b 1"), dc("SMEMBERS a"), dc("SMEMBERS b"), dc("SMOVE a b 99"), dc("SMOVE a b 4"),
		dc("SMOVE a a 2"), dc("SMOVE a a 99"), dc("SMOVE nokey a 1"), dc("SMOVE nokey str 1"), dc("SMOVE a str 2"),
		dc("SMOVE str a 2"), dc("SMOVE a newset 2"), dc("OBJECT ENCODING newset"), dc("SMOVE c newset2 x"),
		dc("OBJECT ENCODING newset2"), dc("SADD single z"), dc("SMOVE single b z"), dc("EXISTS single"),
		dcu("SMEMBERS b"),
		// SSCAN over an intset (returned whole) and errors.
		dc("SSCAN s1 0"), dc("SSCAN s1 0 COUNT 1"), dc("SSCAN s1 0 MATCH 5*"), dc("SSCAN s1 0 MATCH *"),
		dc("SSCAN s1 7 COUNT 100"), dc("SSCAN nokey 0"), dc("SSCAN nokey 0 COUNT 0"), dc("SSCAN str 0"),
		dc("SSCAN s1 x"), dc("SSCAN s1 -1"), dc("SSCAN s1 +0"), dc("SSCAN s1 18446744073709551616"),
		dc("SSCAN s1 0 COUNT 0"), dc("SSCAN s1 0 COUNT x"), dc("SSCAN s1 0 COUNT"), dc("SSCAN s1 0 MATCH"),
		dc("SSCAN s1 0 FOO bar"), dc("SSCAN s1 0 TYPE string"),
		dcu("SSCAN s2 0 COUNT 1000"), dcu("SSCAN s2 0 MATCH [ab]"),
		{Args: []string{"SSCAN", "s1", ""}}, {Args: []string{"SSCAN", "s1", " 0"}},
		{Args: []string{"SADD", "sp", "", "a b"}}, {Args: []string{"SISMEMBER", "sp", ""}},
	})
}

//go:build !js

package command

import (
	"testing"
)

// zsetBig returns "ZADD key 0 m0 1 m1 ..." with n members made by prefix.
func zsetBig(key, prefix string, n int) diffCase {
	return bigCase("ZADD", key, n, func(i string) []string { return []string{i, prefix + i} })
}

func TestZSetDiffWrite(t *testing.T) {
	runDiff(t, []diffCase{
		dc("ZADD z 1 a 2 b 3 c"), dc("ZADD z 1 a"), dc("ZADD z CH 5 a 2 b 9 d"), dc("ZRANGE z 0 -1 WITHSCORES"),
		dc("ZADD z NX 100 a 100 e"), dc("ZADD z XX 100 a 100 f"), dc("ZADD z XX CH 100 a 100 f"),
		dc("ZADD z GT 50 a"), dc("ZADD z GT CH 150 a"), dc("ZADD z LT CH 150 a 1 b"), dc("ZADD z LT CH 0 b"),
		dc("ZADD z GT XX CH 200 a"), dc("ZADD z LT XX CH 1 zz"), dc("ZADD z GT 5 newgt"),
		dc("ZADD z INCR 2.5 a"), dc("ZADD z INCR -inf c"), dc("ZADD z INCR +inf c"), dc("ZADD z INCR 1 c"),
		dc("ZADD z NX INCR 1 a"), dc("ZADD z XX INCR 1 nope"), dc("ZADD z GT INCR -1 a"), dc("ZADD z LT INCR -1 a"),
		dc("ZADD z INCR 1 a 2 b"), dc("ZADD z NX XX 1 a"), dc("ZADD z GT LT 1 a"), dc("ZADD z NX GT 1 a"),
		dc("ZADD z NX LT 1 a"), dc("ZADD z 1"), dc("ZADD z 1 a 2"), dc("ZADD z foo 1 a"), dc("ZADD z nan a"),
		dc("ZADD z x a"), dc("ZADD z 1 a x b"), dc("ZADD z inf inf -inf ninf +inf pinf"), dc("ZADD z 1e3 e3 -0 negz"),
		dc("ZADD z 0.1 tenth 1.5 half 3.0000000000000004 odd 1e-7 tiny 123456789012345678 huge"),
		dc("ZRANGE z 0 -1 WITHSCORES"), dc("ZSCORE z negz"), dc("ZSCORE z tenth"),
		dc("ZADD nokeyxx XX 1 a"), dc("EXISTS nokeyxx"), dc("ZADD nokeyxx XX INCR 1 a"),
		dc("SET str v"), dc("ZADD str 1 a"), dc("ZINCRBY str 1 a"),
		dc("ZINCRBY z 1 a"), dc("ZINCRBY z -1.5 new"), dc("ZINCRBY z x a"), dc("ZINCRBY z nx 1"),
		dc("ZINCRBY z +inf inf"), dc("ZINCRBY z -inf inf"), dc("ZINCRBY z"), dc("ZINCRBY z 1 a b"),
		// Encodings.
		dc("ZADD small 1 a"), dc("OBJECT ENCODING small"),
		{Args: []string{"ZADD", "longm", "1", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"}},
		dc("OBJECT ENCODING longm"),
		zsetBig("big", "m", 128), dc("OBJECT ENCODING big"), dc("ZADD big 1000 x"), dc("OBJECT ENCODING big"),
		dc("ZREM big x m1 m2"), dc("OBJECT ENCODING big"), dc("ZCARD big"),
		// ZREM.
		dc("ZREM z a b nope"), dc("ZREM z"), dc("ZREM nokey a"), dc("ZREM str a"),
		dc("ZADD gone 1 a"), dc("ZREM gone a b"), dc("EXISTS gone"),
		// ZREMRANGEBY*.
		dc("ZADD r 1 a 2 b 3 c 4 d 5 e 6 f"), dc("ZREMRANGEBYRANK r 0 1"), dc("ZREMRANGEBYRANK r -1 -1"),
		dc("ZREMRANGEBYRANK r 5 10"), dc("ZREMRANGEBYRANK r 2 1"), dc("ZREMRANGEBYRANK r x 1"),
		dc("ZREMRANGEBYRANK nokey 0 -1"), dc("ZREMRANGEBYRANK str 0 -1"), dc("ZRANGE r 0 -1"),
		dc("ZREMRANGEBYSCORE r (3 4"), dc("ZREMRANGEBYSCORE r x 1"), dc("ZREMRANGEBYSCORE r 1 (x"),
		dc("ZREMRANGEBYSCORE r 10 1"), dc("ZREMRANGEBYSCORE nokey -inf +inf"), dc("ZRANGE r 0 -1 WITHSCORES"),
		dc("ZREMRANGEBYSCORE r -inf +inf"), dc("EXISTS r"),
		dc("ZADD l 0 a 0 b 0 c 0 d 0 e"), dc("ZREMRANGEBYLEX l [b (d"), dc("ZRANGE l 0 -1"),
		dc("ZREMRANGEBYLEX l a b"), dc("ZREMRANGEBYLEX l - +"), dc("EXISTS l"), dc("ZREMRANGEBYLEX str - +"),
		// Pops.
		dc("ZADD p 1 a 2 b 3 c 4 d 5 e"), dc("ZPOPMIN p"), dc("ZPOPMAX p"), dc("ZPOPMIN p 2"), dc("ZPOPMAX p 0"),
		dc("ZPOPMIN p -1"), dc("ZPOPMIN p x"), dc("ZPOPMIN p 1 2"), dc("ZPOPMAX p 10"), dc("EXISTS p"),
		dc("ZPOPMIN nokey"), dc("ZPOPMIN nokey 3"), dc("ZPOPMIN str"), dc("ZPOPMAX nokey 0"),
		dc("ZADD p 1 a 2 b 3 c"), dc("ZMPOP 1 p MIN"), dc("ZMPOP 2 nokey p MAX COUNT 10"), dc("EXISTS p"),
		dc("ZMPOP 1 p MIN"), dc("ZMPOP 0 p MIN"), dc("ZMPOP x p MIN"), dc("ZMPOP 2 p MIN"), dc("ZMPOP 1 p FOO"),
		dc("ZMPOP 1 p MIN COUNT 0"), dc("ZMPOP 1 p MIN COUNT x"), dc("ZMPOP 1 p MIN COUNT 1 COUNT 2"),
		dc("ZMPOP 1 p MIN COUNT"), dc("ZMPOP 1 p MIN BAR"), dc("ZMPOP 2 nokey str MIN"), dc("ZMPOP 2 str nokey MIN"),
		dc("ZMPOP 9223372036854775807 p MIN"), dc("BZMPOP 0 9223372036854775807 p MIN"), dc("ZMPOP 4611686018427387904 p MIN"),
		dc("ZADD bp 1 a 2 b"), dc("BZPOPMIN nokey bp 0"), dc("BZPOPMAX bp 1.5"), dc("EXISTS bp"),
		dc("BZPOPMIN bp -1"), dc("BZPOPMIN bp x"), dc("BZPOPMIN bp inf"), dc("BZPOPMIN bp 1e300"),
		dc("BZPOPMIN str 0"), dc("ZADD bp 1 a 2 b 3 c"), dc("BZMPOP 0 2 nokey bp MAX COUNT 2"), dc("BZMPOP 0 1 bp MIN"),
		dc("BZMPOP 0 0 bp MIN"), dc("BZMPOP -1 1 bp MIN"), dc("BZMPOP x 1 bp MIN"), dc("BZMPOP 0 1 bp MIN COUNT 0"),
		dc("BZMPOP 0 1 str MIN"),
		// Stores.
		dc("ZADD s1 1 a 2 b 3 c"), dc("ZADD s2 10 b 20 c 30 d"), dc("SADD plain a d x"),
		dc("ZUNIONSTORE u 2 s1 s2"), dc("ZRANGE u 0 -1 WITHSCORES"), dc("OBJECT ENCODING u"),
		dc("ZUNIONSTORE u 2 s1 s2 WEIGHTS 2 0.5 AGGREGATE MAX"), dc("ZRANGE u 0 -1 WITHSCORES"),
		dc("ZUNIONSTORE u 3 s1 s2 plain AGGREGATE MIN"), dc("ZRANGE u 0 -1 WITHSCORES"),
		dc("ZINTERSTORE i 2 s1 s2"), dc("ZRANGE i 0 -1 WITHSCORES"), dc("ZINTERSTORE i 2 s1 s2 AGGREGATE min WEIGHTS 1 -1"),
		dc("ZRANGE i 0 -1 WITHSCORES"), dc("ZINTERSTORE i 2 s1 plain"), dc("ZRANGE i 0 -1 WITHSCORES"),
		dc("ZINTERSTORE i 2 s1 nokey"), dc("EXISTS i"), dc("ZINTERSTORE i 2 s1 s1 WEIGHTS 1 2"), dc("ZRANGE i 0 -1 WITHSCORES"),
		dc("ZDIFFSTORE df 2 s1 s2"), dc("ZRANGE df 0 -1 WITHSCORES"), dc("ZDIFFSTORE df 2 s1 s1"), dc("EXISTS df"),
		dc("ZDIFFSTORE df 1 plain"), dc("ZRANGE df 0 -1 WITHSCORES"),
		dc("ZUNIONSTORE u 0 s1"), dc("ZUNIONSTORE u -1 s1"), dc("ZUNIONSTORE u x s1"), dc("ZUNIONSTORE u 3 s1 s2"),
		dc("ZUNIONSTORE u 2 s1 str"), dc("ZUNIONSTORE u 1 s1 WEIGHTS"), dc("ZUNIONSTORE u 1 s1 WEIGHTS x"),
		dc("ZUNIONSTORE u 1 s1 AGGREGATE avg"), dc("ZUNIONSTORE u 1 s1 AGGREGATE"), dc("ZUNIONSTORE u 1 s1 WITHSCORES"),
		dc("ZDIFFSTORE u 1 s1 WEIGHTS 1"), dc("ZDIFFSTORE u 1 s1 AGGREGATE SUM"), dc("ZINTERSTORE u 1 s1 LIMIT 1"),
		dc("ZADD infs +inf a -inf b"), dc("ZUNIONSTORE u 2 infs infs WEIGHTS 1 -1"), dc("ZRANGE u 0 -1 WITHSCORES"),
		dc("ZUNIONSTORE u 1 infs WEIGHTS 0"), dc("ZRANGE u 0 -1 WITHSCORES"),
		zsetBig("bigsrc", "m", 200), dc("ZUNIONSTORE u 1 bigsrc"), dc("OBJECT ENCODING u"),
		dc("ZINTERSTORE u 2 bigsrc s1"), dc("ZRANGESTORE u bigsrc 0 2"), dc("OBJECT ENCODING u"),
		// ZRANGESTORE.
		dc("ZRANGESTORE rs s2 0 -1"), dc("ZRANGE rs 0 -1 WITHSCORES"), dc("ZRANGESTORE rs s2 (10 +inf BYSCORE"),
		dc("ZRANGE rs 0 -1 WITHSCORES"), dc("ZRANGESTORE rs s2 +inf -inf BYSCORE REV LIMIT 0 1"), dc("ZRANGE rs 0 -1 WITHSCORES"),
		dc("ZRANGESTORE rs s2 [c + BYLEX"), dc("ZRANGESTORE rs nokey 0 -1"), dc("EXISTS rs"),
		dc("ZRANGESTORE rs s2 5 10"), dc("ZRANGESTORE rs s2 0 -1 WITHSCORES"), dc("ZRANGESTORE rs str 0 -1"),
		dc("ZRANGESTORE rs s2 0"),
	})
}

func TestZSetDiffRead(t *testing.T) {
	runDiff(t, []diffCase{
		dc("ZADD z 1 a 2 b 2 c 3 d 4.5 e -inf ninf +inf pinf"), dc("SET str v"),
		dc("ZSCORE z e"), dc("ZSCORE z ninf"), dc("ZSCORE z nope"), dc("ZSCORE nokey a"), dc("ZSCORE str a"),
		dc("ZMSCORE z a nope pinf"), dc("ZMSCORE nokey a b"), dc("ZMSCORE str a"), dc("ZMSCORE z"),
		dc("ZCARD z"), dc("ZCARD nokey"), dc("ZCARD str"),
		dc("ZRANK z a"), dc("ZRANK z pinf"), dc("ZRANK z nope"), dc("ZRANK nokey a"), dc("ZRANK str a"),
		dc("ZREVRANK z a"), dc("ZREVRANK z pinf"), dc("ZRANK z a withscore"),
		// ZCOUNT and score ranges.
		dc("ZCOUNT z -inf +inf"), dc("ZCOUNT z 2 2"), dc("ZCOUNT z (2 3"), dc("ZCOUNT z 2 (3"), dc("ZCOUNT z (2 (2"),
		dc("ZCOUNT z (1.5 (4.5"), dc("ZCOUNT z 5 1"), dc("ZCOUNT z -inf -inf"), dc("ZCOUNT z (-inf (+inf"),
		dc("ZCOUNT z x 1"), dc("ZCOUNT z 1 (x"), dc("ZCOUNT z nan 1"), dc("ZCOUNT z 0x1 10"),
		dc("ZCOUNT z -INF +Infinity"), dc("ZCOUNT nokey 0 1"), dc("ZCOUNT str 0 1"), dc("ZCOUNT nokey x 1"),
		{Args: []string{"ZCOUNT", "z", "", ""}}, {Args: []string{"ZCOUNT", "z", " 1", "3"}},
		{Args: []string{"ZCOUNT", "z", "1 ", "3"}}, {Args: []string{"ZCOUNT", "z", "(", "5"}},
		// ZRANGE by rank.
		dc("ZRANGE z 0 -1"), dc("ZRANGE z 0 -1 WITHSCORES"), dc("ZRANGE z 1 2 withscores"), dc("ZRANGE z -2 -1"),
		dc("ZRANGE z -100 100"), dc("ZRANGE z 5 1"), dc("ZRANGE z 100 200"), dc("ZRANGE z 0 -1 REV"),
		dc("ZRANGE z 0 1 REV WITHSCORES"), dc("ZRANGE z 0 1 LIMIT 0 1"), dc("ZRANGE z 0 1 LIMIT 0 -1"),
		dc("ZRANGE z x 1"), dc("ZRANGE z 0 1 REV REV"), dc("ZRANGE z 0 1 BYSCORE BYLEX"), dc("ZRANGE z 0 1 FOO"),
		dc("ZRANGE z 0 1 LIMIT 0"), dc("ZRANGE z 0 1 BYSCORE LIMIT x 1"), dc("ZRANGE nokey 0 -1"), dc("ZRANGE str 0 -1"),
		dc("ZRANGE z 0 9223372036854775807"), dc("ZRANGE z -9223372036854775808 0"), dc("ZRANGE z 0 99999999999999999999"),
		dc("ZREVRANGE z 0 -1"), dc("ZREVRANGE z 0 1 WITHSCORES"), dc("ZREVRANGE z 0 1 REV"), dc("ZREVRANGE z 0 1 LIMIT 0 1"),
		// By score.
		dc("ZRANGE z 2 3 BYSCORE"), dc("ZRANGE z (2 +inf BYSCORE WITHSCORES"), dc("ZRANGE z +inf 2 BYSCORE REV"),
		dc("ZRANGE z -inf +inf BYSCORE LIMIT 1 3"), dc("ZRANGE z -inf +inf BYSCORE LIMIT 1 -1"),
		dc("ZRANGE z -inf +inf BYSCORE LIMIT -1 3"), dc("ZRANGE z -inf +inf BYSCORE LIMIT 100 3"),
		dc("ZRANGE z -inf +inf BYSCORE LIMIT 2 0"), dc("ZRANGE z +inf -inf BYSCORE REV LIMIT 1 2 WITHSCORES"),
		dc("ZRANGE z 2 3 BYSCORE REV"), dc("ZRANGE z x 3 BYSCORE"),
		dc("ZRANGEBYSCORE z 2 3"), dc("ZRANGEBYSCORE z -inf +inf WITHSCORES LIMIT 0 2"), dc("ZRANGEBYSCORE z 2 3 REV"),
		dc("ZRANGEBYSCORE z 2 3 BYSCORE"), dc("ZRANGEBYSCORE z (1 (4.5"), dc("ZRANGEBYSCORE z 3 2"),
		dc("ZREVRANGEBYSCORE z 3 2"), dc("ZREVRANGEBYSCORE z +inf -inf WITHSCORES"), dc("ZREVRANGEBYSCORE z 2 3"),
		dc("ZREVRANGEBYSCORE z (3 (1 LIMIT 0 1"), dc("ZRANGEBYSCORE nokey 0 1"), dc("ZRANGEBYSCORE str 0 1"),
		dc("ZRANGEBYSCORE z 0 1 LIMIT"), dc("ZRANGEBYSCORE z 0 1 LIMIT 1"),
		// By lex.
		dc("ZADD lex 0 a 0 b 0 c 0 d 0 e 0 ee 0 f"),
		dc("ZRANGE lex - + BYLEX"), dc("ZRANGE lex [b (e BYLEX"), dc("ZRANGE lex (b [e BYLEX"), dc("ZRANGE lex + - BYLEX REV"),
		dc("ZRANGE lex [e - BYLEX REV LIMIT 1 2"), dc("ZRANGE lex - + BYLEX WITHSCORES"), dc("ZRANGE lex a b BYLEX"),
		dc("ZRANGE lex + + BYLEX"), dc("ZRANGE lex - - BYLEX"), dc("ZRANGE lex + - BYLEX"), dc("ZRANGE lex [e [b BYLEX"),
		dc("ZRANGE lex [b [b BYLEX"), dc("ZRANGE lex (b [b BYLEX"), dc("ZRANGE lex [ + BYLEX"), dc("ZRANGE lex ( + BYLEX"),
		dc("ZRANGE lex -a + BYLEX"), dc("ZRANGE lex - +a BYLEX"),
		dc("ZRANGEBYLEX lex [c +"), dc("ZRANGEBYLEX lex - + LIMIT 2 2"), dc("ZRANGEBYLEX lex - + WITHSCORES"),
		dc("ZREVRANGEBYLEX lex + -"), dc("ZREVRANGEBYLEX lex (ee [b"), dc("ZREVRANGEBYLEX lex + - LIMIT 1 1"),
		dc("ZRANGEBYLEX lex x y"), dc("ZRANGEBYLEX nokey - +"), dc("ZRANGEBYLEX str - +"),
		dc("ZLEXCOUNT lex - +"), dc("ZLEXCOUNT lex [b [e"), dc("ZLEXCOUNT lex (b (e"), dc("ZLEXCOUNT lex + -"),
		dc("ZLEXCOUNT lex x +"), dc("ZLEXCOUNT nokey - +"), dc("ZLEXCOUNT str - +"), dc("ZLEXCOUNT lex [ee [ee"),
		// Union/inter/diff replies.
		dc("ZADD s1 1 a 2 b 3 c"), dc("ZADD s2 10 b 20 c 30 d"), dc("SADD plain a d x"),
		dc("ZUNION 2 s1 s2"), dc("ZUNION 2 s1 s2 WITHSCORES"), dc("ZUNION 3 s1 s2 plain WEIGHTS 1 2 3 WITHSCORES"),
		dc("ZUNION 2 s1 nokey WITHSCORES AGGREGATE MAX"), dc("ZUNION 1 nokey"), dc("ZUNION 2 s1 str"),
		dc("ZINTER 2 s1 s2 WITHSCORES"), dc("ZINTER 2 s1 plain WITHSCORES"), dc("ZINTER 2 s1 nokey"),
		dc("ZINTER 2 s1 s2 AGGREGATE MAX WITHSCORES"), dc("ZINTER 0 s1"), dc("ZINTER 1 s1 WITHSCORES WITHSCORES"),
		dc("ZDIFF 2 s1 s2 WITHSCORES"), dc("ZDIFF 2 s2 s1"), dc("ZDIFF 1 nokey"), dc("ZDIFF 2 s1 s1"),
		dc("ZDIFF 2 s1 plain WITHSCORES"), dc("ZDIFF 1 s1 WEIGHTS 2"),
		dc("ZINTERCARD 2 s1 s2"), dc("ZINTERCARD 2 s1 s2 LIMIT 1"), dc("ZINTERCARD 2 s1 s2 LIMIT 0"),
		dc("ZINTERCARD 2 s1 plain"), dc("ZINTERCARD 2 s1 nokey"), dc("ZINTERCARD 0 s1"), dc("ZINTERCARD x s1"),
		dc("ZINTERCARD 3 s1 s2"), dc("ZINTERCARD 1 s1 LIMIT -1"), dc("ZINTERCARD 1 s1 LIMIT x"),
		dc("ZINTERCARD 1 s1 WITHSCORES"), dc("ZINTERCARD 2 s1 str"), dc("ZINTERCARD 1 s1 LIMIT"),
		// ZRANDMEMBER: the deterministic cases.
		dc("ZRANDMEMBER nokey"), dc("ZRANDMEMBER nokey 3"), dc("ZRANDMEMBER str"), dc("ZRANDMEMBER str 3"),
		dc("ZRANDMEMBER s1 0"), dc("ZRANDMEMBER s1 10"), dc("ZRANDMEMBER s1 3 WITHSCORES"), dc("ZRANDMEMBER s1 x"),
		dc("ZRANDMEMBER s1 1 FOO"), dc("ZRANDMEMBER s1 1 WITHSCORES x"), dc("ZRANDMEMBER s1 -9223372036854775808"),
		dc("ZADD one 5 only"), dc("ZRANDMEMBER one"), dc("ZRANDMEMBER one -3 WITHSCORES"), dc("ZRANDMEMBER one 1"),
		// ZSCAN on a listpack (returned whole, scores as stored).
		dc("ZADD sc 1 a 2.5 b 0.1 c -0 d 1e20 e 1e-5 f +inf g 4503599627370497 h"), dc("ZSCAN sc 0"),
		dc("ZSCAN sc 0 COUNT 1 MATCH [a-c]"), dc("ZSCAN sc 42"), dc("ZSCAN nokey 0"), dc("ZSCAN str 0"), dc("ZSCAN sc x"),
		dc("ZSCAN sc 0 COUNT 0"), dc("ZSCAN sc 0 MATCH"),
		zsetBig("big", "m", 129), dc("ZADD big 0.1 frac 1e20 e20 -0 negz"),
		dc("ZRANGE big 0 5 WITHSCORES"), dc("ZRANGE big -3 -1 WITHSCORES"), dc("ZRANK big m100"), dc("ZREVRANK big m100"),
		dc("ZCOUNT big 10 (20"), dc("ZRANGE big (10 15 BYSCORE LIMIT 1 2 WITHSCORES"), dc("ZRANDMEMBER big 1000"),
		diffCase{Args: []string{"ZSCAN", "big", "0", "COUNT", "1000"}, Unordered: true, Pairs: true},
		diffCase{Args: []string{"ZSCAN", "big", "0", "COUNT", "1000", "MATCH", "*frac*"}, Unordered: true, Pairs: true},
		diffCase{Args: []string{"ZSCAN", "big", "0", "COUNT", "1000", "MATCH", "e2?"}, Unordered: true, Pairs: true},
		diffCase{Args: []string{"ZSCAN", "big", "0", "COUNT", "1000", "MATCH", "negz"}, Unordered: true, Pairs: true},
	})
}

// TestSetZSetDiffResp3 compares the RESP3 shapes (nested score pairs, sets,
// doubles, nulls) with redis-server after HELLO 3.
func TestSetZSetDiffResp3(t *testing.T) {
	runResp3Diff(t, []diffCase{
		dc("ZADD z 1 a 2.5 b -inf c"), dc("SADD s 3 1 2"), dc("SET str v"),
		dc("ZRANGE z 0 -1 WITHSCORES"), dc("ZRANGE z 0 -1"), dc("ZRANGEBYSCORE z -inf +inf WITHSCORES"),
		dc("ZREVRANGE z 0 1 WITHSCORES"), dc("ZSCORE z b"), dc("ZSCORE z c"), dc("ZSCORE z nope"), dc("ZMSCORE z a nope"),
		dc("ZRANK z nope"), dc("ZINCRBY z 1 a"), dc("ZADD z XX INCR 1 nope"), dc("ZUNION 2 z s WITHSCORES"),
		dc("ZINTER 2 z z WITHSCORES"), dc("ZDIFF 1 z WITHSCORES"), dc("ZRANDMEMBER z 10 WITHSCORES"),
		dc("ZRANDMEMBER nokey"), dc("ZRANDMEMBER nokey 2"), dc("ZSCAN z 0"), dc("ZRANGE nokey 0 -1"),
		dc("SMEMBERS s"), dc("SMEMBERS nokey"), dc("SUNION s nokey"), dc("SINTER s nokey"), dc("SDIFF s s"),
		dc("SPOP nokey"), dc("SPOP nokey 2"), dc("SPOP s 0"), dc("SRANDMEMBER nokey"), dc("SRANDMEMBER nokey 2"),
		dc("SRANDMEMBER s 5"), dc("SMISMEMBER s 1 9"), dc("SSCAN s 0"),
		dc("ZPOPMIN nokey"), dc("ZPOPMIN nokey 2"), dc("ZPOPMIN z 1"), dc("ZPOPMAX z"), dc("ZMPOP 1 nokey MIN"),
		dc("ZADD z 1 a 2 b 3 c 4 d"), dc("ZMPOP 1 z MAX COUNT 2"), dc("BZPOPMIN z 0"), dc("BZMPOP 0 1 z MIN"),
		dc("ZADD z 1 a 2 b"), dc("ZPOPMAX z 0"), dc("SPOP s 3"),
	})
}

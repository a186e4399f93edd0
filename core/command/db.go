package command

import "github.com/syncscope/syncscope/core/cstr"

// dbsizeCmd counts every key, logically expired ones not yet deleted
// included, as Redis's dictSize does.
func dbsizeCmd(c *Ctx) { c.W.Int(int64(c.DB.Len())) }

// flushMode checks FLUSHDB/FLUSHALL's optional ASYNC or SYNC, which make no
// difference here: there is no background freeing.
func flushMode(c *Ctx) bool {
	if len(c.Args) == 1 || (len(c.Args) == 2 && (EqualFold(c.Args[1], "sync") || EqualFold(c.Args[1], "async"))) {
		return true
	}
	c.Error(ErrSyntax)
	return false
}

// flushdbCmd empties the current database. Redis propagates FLUSHDB even
// when the database was already empty (forceCommandPropagation), hence at
// least one change.
func flushdbCmd(c *Ctx) { flushWith(c, c.DB.Len, c.DB.Flush) }

// flushallCmd empties every database. The node does the rest of Redis's
// flushAllDataAndResetRDB: it stops a background save in progress and, when
// save points are configured, saves the now empty dataset.
func flushallCmd(c *Ctx) { flushWith(c, c.Store.Len, c.Store.FlushAll) }

// flushWith empties what flush empties, counting the keys it held (size)
// as changes, at least one.
func flushWith(c *Ctx, size func() int, flush func()) {
	if !flushMode(c) {
		return
	}
	n := size()
	flush()
	c.Dirty += max(n, 1)
	c.W.SimpleString("OK")
}

// swapdbCmd exchanges two databases. The node must treat every key of both
// databases as modified (Redis's touchAllWatchedKeysInDb for WATCH, and
// blocked clients whose keys now exist): that is not signalled key by key
// here.
func swapdbCmd(c *Ctx) {
	a, ok := swapdbIndex(c, c.Args[1], "ERR invalid first DB index")
	if !ok {
		return
	}
	b, ok := swapdbIndex(c, c.Args[2], "ERR invalid second DB index")
	if !ok {
		return
	}
	if a < 0 || a >= len(c.Store.DBs) || b < 0 || b >= len(c.Store.DBs) {
		c.Error(errDBRange)
		return
	}
	if a != b {
		c.Store.SwapDB(a, b)
	}
	c.Dirty++
	c.W.SimpleString("OK")
}

// swapdbIndex parses an int as getIntFromObjectOrReply does with a custom
// message, used both for a non-integer and for one out of int range.
func swapdbIndex(c *Ctx, b []byte, msg string) (int, bool) {
	n, ok := cstr.String2ll(b)
	if !ok || n < -1<<31 || n > 1<<31-1 {
		c.Error(msg)
		return 0, false
	}
	return int(n), true
}

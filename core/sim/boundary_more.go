package sim

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// lengthEdges writes arguments whose lengths and counts sit on either side
// of the stream encoding's cases (one, two and more digits: 9, 10, 99, 100,
// 999, 1000), so a header encoded wrongly at an edge reaches a replica.
func (sc *scenario) lengthEdges() error {
	for _, n := range []int{9, 10, 99, 100, 999, 1000} {
		if _, err := sc.do(bM, "SET", "bnd:len", strings.Repeat("v", n)); err != nil {
			return err
		}
	}
	// SADD key m1..mk is k+2 arguments.
	for _, args := range []int{9, 10, 99, 100} {
		cmd := []string{"SADD", fmt.Sprintf("bnd:set:%d", args)}
		for i := range args - 2 {
			cmd = append(cmd, itoa(i))
		}
		if _, err := sc.do(bM, cmd...); err != nil {
			return err
		}
	}
	return sc.waitSync()
}

// changeID runs DEBUG CHANGE-REPL-ID on M: a new replid and no replid2
// (changeReplicationId, clearReplicationId2) at the same offset. Its
// replicas keep the old replid until they reconnect: the script drops
// them, and their PSYNC of the old replid must be refused (as a probe's).
func (sc *scenario) changeID() error {
	if err := sc.waitSync(); err != nil {
		return err
	}
	before := sc.infoOf(bM)
	if _, err := sc.do(bM, "DEBUG", "CHANGE-REPL-ID"); err != nil {
		return err
	}
	after := sc.infoOf(bM)
	if after.ReplID == before.ReplID || after.ReplID2 != noReplid || after.Offset2 != -1 || after.Offset != before.Offset {
		sc.k.failf("DEBUG CHANGE-REPL-ID on %d: replid %s replid2 %s second_repl_offset %d offset %d; before: replid %s offset %d (want a new replid, no replid2, the same offset)",
			bM, after.ReplID, after.ReplID2, after.Offset2, after.Offset, before.ReplID, before.Offset)
		return nil
	}
	if err := sc.probe(bM, before.ReplID, before.Offset+1, false); err != nil {
		return err
	}
	if _, err := sc.do(bM, "CLIENT", "KILL", "TYPE", "replica"); err != nil {
		return err
	}
	return sc.waitSync()
}

// noReplid is master_replid2 when there is none.
var noReplid = strings.Repeat("0", 40)

// waitAll writes to master p with every replica in sync and asks WAIT for
// all of them with a short timeout: the master asks for acknowledgements
// (REPLCONF GETACK) and the replicas answer at once, so it must not time
// out (a replica acknowledging only once a second would).
func (sc *scenario) waitAll(p int) error {
	if err := sc.waitSync(); err != nil {
		return err
	}
	n := int64(len(sc.infoOf(p).Replicas))
	c, err := sc.scriptClient(p)
	if err != nil {
		return err
	}
	defer c.Close()
	c.Exec("SET", "bnd:wait", itoa(sc.r.IntN(1000)))
	call := c.Exec("WAIT", strconv.FormatInt(n, 10), "200")
	for !call.Done() {
		sc.w.Advance(time.Millisecond)
	}
	if got := string(call.Reply()); got != fmt.Sprintf(":%d\r\n", n) {
		sc.k.failf("WAIT %d 200 on %d, every replica in sync and its link up: %q", n, p, got)
	}
	return nil
}

// Package sim drives many core/node nodes in one deterministic world: a
// virtual clock, a seeded scheduler and an in-memory network whose
// connections deliver bytes in order, as TCP does. Every choice the world
// makes (chunk sizes, delays, stalls, resets, the nodes' own randomness)
// comes from its seed, so a run is replayed exactly from that seed. The
// browser playground drives a World for pause, step and replay; this
// package's tests run random scenarios (Run) over thousands of seeds and
// check replication's invariants.
//
// # The World
//
//	w := sim.New(seed)                          // no faults: fully predictable
//	w.Start(6379, "")                           // a node from redis.conf text
//	w.Start(6378, "replicaof 127.0.0.1 6379")   // dials sim node 6379
//	c := w.Exec(6379, "SET", "name", "redis")  // a client command
//	w.Advance(2 * time.Second)                 // run every event up to Now()+2s
//	c.Done(), c.Reply(), c.Text()              // true, "+OK\r\n", "OK"
//
// Nodes are named by port and live at 127.0.0.1:<port>; a node's config
// text, dump.rdb and log survive its restarts. Time moves only when the
// driver calls Step (the next scheduled event) or Advance; Next says when
// the next event is due. The clock starts at Epoch.
//
//   - Start(port, conf), Restart(port): boot from config text and the dump.
//   - Stop(port, save): SHUTDOWN SAVE|NOSAVE; it runs the world until the
//     node exits, since Redis 7.0 first waits (up to shutdown-timeout) for
//     lagging replicas.
//   - Crash(port, loseDisk): gone without a word; connections reset.
//   - Exec(port, args...): a command on the node's default client
//     connection; Client(port) opens another (MULTI state, SELECT and WAIT
//     are per connection). Calls on a connection are answered in order;
//     a SHUTDOWN that goes through is done when the node exits, one refused
//     or aborted with its reply.
//   - Cut(a, b), Heal(a, b), Latency(a, b, d): a partition holds the bytes
//     (dials time out after repl-timeout); healing delivers them in order.
//   - OnDeliver(f): every chunk crossing a node-to-node link (Delivery);
//     OnSend(f) every write as it is written, OnLost(f) every chunk never
//     delivered (a reset, or a receiver that had closed its end).
//   - Node(port), Logs(port), Dump(port), TraceLines(), NodeSeconds().
//
// Scripting, when set, links a scripting engine into every node started
// from then on (node.Env.Scripting; core/script/lua's New, as the server
// links it); without it EVAL and FUNCTION answer that none is linked.
//
// NewWithFaults adds seeded misbehaviour to node-to-node links only: chunks
// of 1..MaxChunk bytes, jitter, stalls, resets, slow snapshots. Client
// connections are never chunked. The world is single-threaded: use a World
// from one goroutine. Distinct worlds share nothing and run in parallel.
//
// # External connections
//
// A sim node can be linked to something outside the world (the playground
// links it to a native node over a websocket). Dialer decides whether a
// dial to an address that is not a sim node connects: it returns an
// External (NewExternal) whose OnData receives what the node writes and
// whose Deliver injects bytes towards the node, through the scheduler like
// any other bytes. Accept opens an external connection into a sim node.
//
// # Determinism
//
// The scheduler orders events by (time, sequence number); nodes are kept in
// a slice sorted by port, and no scheduling decision ranges over a map.
// TestReplayIsIdentical runs seeds twice and compares the whole trace.
//
// # Random scenarios and invariants
//
// Run(seed) draws swarm knobs from the seed (2-5 nodes in a random forest of
// chains, faults, backlog sizes down to a few hundred bytes, disk or
// diskless sync, repl-timeout and ping period, persistence, writable
// replicas), then a chaos phase of commands over every type with expiries,
// MULTI/EXEC, SELECT and WAIT, aimed at masters and replicas, mixed with
// cuts, crashes (with or without the disk), shutdowns, restarts, REPLICAOF
// changes and promotions. Then it heals everything, restarts every node,
// stops writing, and waits for quiescence. Checked as it runs (check.go):
// Redis's PSYNC rule against the master's INFO at the moment it reads the
// PSYNC; one history per replid (every byte streamed under a replid at an
// offset agrees, so a chained replica forwards exactly its master's bytes);
// INFO's backlog fields add up; REPLICAOF NO ONE keeps the old replid as
// replid2 up to offset+1; a read-only replica refuses every write; a
// writable replica's own keys never appear in a replication stream; WAIT
// never reports more replicas than acknowledged the client's offset; no
// panic, no driver error. At quiescence (quiesce.go): every replica's link
// is up with its master's replid, offset and data (a digest over all
// databases with exact TTLs); what each master streamed since a FULLRESYNC,
// replayed into a fresh node, rebuilds the master's data and offset; no
// client buffer and no link holds more than 1 MB.
//
// One seed in six runs the boundary script first (boundary.go): offsets
// put exactly at the edges of the replication rules (a replica's lag of
// histlen-1, histlen and histlen+1 bytes, the first byte of a backlog block, a
// master restarted from a dump behind its replicas, the middle of a chain
// promoted mid-stream) and probes, clients that send PSYNC themselves one
// byte before, at and past each edge. A probe's PSYNC is checked against
// Redis's rule computed from the master's INFO, and every backlog byte a
// partial resync resends (to a probe or a replica) against the byte the
// stream held at that offset. The script also restarts nodes from their
// dumps, fails over, changes a replid and falls back to SYNC, and checks
// what each must leave behind. Everywhere: a replica that got +CONTINUE or
// +FULLRESYNC sends nothing but REPLCONF afterwards, keeps or shifts its
// replids as Redis does, and INFO's sync counters never count fewer
// answers than were seen. TestSeeds requires every edge reached.
//
// make mutants (native/cmd/mutants) measures how good all this is: it runs
// the default seeds against one-site mutants of the replication rules and
// lists the ones that survive; core/sim/testdata/equivalent-mutants.txt
// explains those that cannot be told apart.
//
// go test ./core/sim runs a fixed seed set; make sim SEEDS=10000 (TestSweep
// -seeds=N) runs a sweep in parallel and reports simulated node-seconds per
// second. A failure prints the seed, "go test ./core/sim -run TestSeed
// -seed=N -v" to replay it, and a per-node trace (events, log lines, state
// changes). Under -tags simbugs, core/repl and core/node expose three bugs
// that TestPlantedBugs plants one at a time to show the default seeds catch
// each; without the tag they are false constants and compile away.
package sim

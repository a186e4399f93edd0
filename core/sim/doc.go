// Package sim drives many core/node nodes in one deterministic world: a
// virtual clock, a seeded scheduler and an in-memory network whose
// connections deliver bytes in order, as TCP does. Every choice the world
// makes (chunk sizes, delays, stalls, cuts, the nodes' own randomness) comes
// from its seed, so a run is replayed exactly from that seed. The browser
// playground uses a World for pause, step and replay; the tests in this
// package run random scenarios (Run) over thousands of seeds and check
// replication's invariants (see check.go).
//
// # The World
//
//	w := sim.New(seed)                          // no faults: fully predictable
//	w.Start(6379, "")                           // a node from redis.conf text
//	w.Start(6378, "replicaof 127.0.0.1 6379")   // dials sim node 6379
//	c := w.Exec(6379, "SET", "name", "redis")  // a client command
//	w.Advance(2 * time.Second)                 // run every event up to Now()+2s
//	c.Done(), c.Reply()                        // true, "+OK\r\n"
//
// Nodes are named by port and live at 127.0.0.1:<port>. Time only moves when
// the driver calls Step (one scheduled event) or Advance. Node-to-node
// connections have a latency (Latency sets it per pair) and can be Cut (a
// partition: bytes wait, dials time out) and Healed (the waiting bytes are
// delivered in order). Stop shuts a node down as SHUTDOWN [NOSAVE] does,
// Crash kills it (optionally losing its disk), Restart starts it again from
// its config text and its dump.rdb. OnDeliver reports every chunk of bytes
// crossing a node-to-node connection, for drawing messages on links.
//
// Faults (NewWithFaults) add seeded chunking, jitter, stalls and
// connection resets on node-to-node links; the random scenarios use them.
// Client connections are never chunked.
//
// # External connections
//
// A sim node can be linked to something outside the world (the playground
// links it to a native node over a websocket): Dialer decides whether a
// dial to an address that is not a sim node connects, and hands over an
// External whose Deliver injects bytes towards the node; Accept opens an
// external connection into a sim node. The world never blocks on them.
//
// # Determinism
//
// The scheduler orders events by (time, sequence number); nodes are kept in
// a slice sorted by port and no scheduling decision ranges over a map. The
// world is single-threaded: a World must not be used from two goroutines at
// once.
package sim

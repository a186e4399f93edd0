// Package repl holds the pure pieces of Redis 7.0 replication that a node
// drives: replication IDs, the backlog (Redis 7.0's replication buffer of
// blocks shared with the replicas' output), the replid/replid2 history and
// its PSYNC rule, the encoding of the command stream for replicas, the
// master-side bookkeeping of a replica (REPLCONF, PSYNC arguments) and the
// replica-side link to a master as an explicit state machine (Link).
//
// Nothing here does I/O, reads the clock or draws random numbers: inputs come
// in as arguments (bytes, the current time, an io.Reader of randomness) and
// effects go out as values (Action). Log texts and levels are Redis 7.0.15's,
// word for word, so a Redis user recognises them.
//
// Who logs what on the replica side: the Link logs every line of
// src/replication.c on the path connect → handshake → PSYNC → transfer,
// including "Flushing old data" and "Loading DB in memory" right before it
// hands the payload over (ActFullSync), and "Finished with success" or the
// load failure when the node reports back (Link.Loaded). The node logs what
// the RDB loader prints ("Loading RDB produced by version ...", "Done loading
// RDB, ...") while it loads, and the lines of its own sub-replicas when it
// executes ActDropReplicas ("Connection with replica ... lost.").
//
// Driving a Link, as the node does:
//
//   - Call Tick when NextTick is reached (at once at start): it dials in
//     state Connect, checks repl-timeout and sends REPLCONF ACK once a second.
//   - Forward only the events of the connection the last ActDial opened:
//     Dialed, Received, Closed (reason "" when the master hung up).
//   - Perform the actions in order. On ActFullSync load the RDB and call
//     Loaded before anything else reaches the link; on ActStream apply the
//     commands and call Processed with the bytes applied; answer the
//     master's REPLCONF GETACK with Ack, before calling Processed for it.
//   - Serve sub-replicas' PSYNC only while State == Connected (else
//     -NOMASTERLINK), and feed them exactly the bytes the link streamed.
//   - REPLICAOF elsewhere: Stop, then NewLink(new master, cfg, old.Cached)
//     and Start. REPLICAOF NO ONE: Stop, Discard, History.Shift. A master
//     becoming a replica: CacheMyself(its History) as the cached master.
package repl

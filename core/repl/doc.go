// Package repl holds the pure pieces of Redis 7.0 replication that a node
// drives: replication IDs, the backlog ring, the replid/replid2 history and
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
package repl

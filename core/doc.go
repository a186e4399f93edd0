// Package core holds syncscope's replication core: RESP, RDB, the keyspace,
// the command table, configuration, replication and the node state machine.
// Nothing under core/ opens sockets or files, starts goroutines, reads the wall
// clock or keeps global mutable state: drivers (native/, wasm/, core/sim) own
// the world and step the node.
package core

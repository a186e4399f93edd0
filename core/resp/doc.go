// Package resp speaks the Redis serialization protocol as Redis 7.0.15 does.
//
// Parser splits a client's query buffer into commands (multibulk and inline)
// with Redis's exact protocol error messages; AppendCommand encodes commands
// for propagation and handshakes; Writer encodes replies in RESP2 or RESP3;
// ReadValue decodes replies; FormatCLI renders a reply the way redis-cli 7.0
// prints it on a terminal.
//
// Everything here works on byte slices: no I/O, no clock, no goroutines.
package resp

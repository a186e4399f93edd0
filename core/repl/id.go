package repl

import (
	"encoding/hex"
	"fmt"
	"io"
)

// ID is a replication ID: 40 lowercase hex characters, as Redis keeps
// server.replid. The zero value is NoID.
type ID [40]byte

// NoID is the absent ID. It prints as forty zeros, as Redis shows a cleared
// replid2.
var NoID ID

const zeroIDText = "0000000000000000000000000000000000000000"

// NewID draws 20 bytes from r and renders them as hex, as
// changeReplicationId does.
func NewID(r io.Reader) (ID, error) {
	var raw [20]byte
	if _, err := io.ReadFull(r, raw[:]); err != nil {
		return NoID, fmt.Errorf("drawing a new replication ID: %w", err)
	}
	var id ID
	hex.Encode(id[:], raw[:])
	return canonical(id), nil
}

// ParseID reads a 40-character hex ID (either case; stored lowercase).
func ParseID(s string) (ID, bool) {
	var id ID
	if len(s) != len(id) {
		return NoID, false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9', c >= 'a' && c <= 'f':
		case c >= 'A' && c <= 'F':
			c += 'a' - 'A'
		default:
			return NoID, false
		}
		id[i] = c
	}
	return canonical(id), true
}

// rawID keeps 40 bytes exactly as a master sent them (Redis copies the
// +FULLRESYNC / +CONTINUE ID without checking it).
func rawID(s string) ID {
	var id ID
	copy(id[:], s)
	return canonical(id)
}

// canonical maps the forty-zeros text to NoID so both compare equal.
func canonical(id ID) ID {
	if string(id[:]) == zeroIDText {
		return NoID
	}
	return id
}

// String returns the 40 characters; NoID gives forty zeros.
func (id ID) String() string {
	if id == NoID {
		return zeroIDText
	}
	return string(id[:])
}

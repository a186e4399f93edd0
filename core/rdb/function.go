package rdb

import (
	"encoding/binary"
	"errors"
)

// Function writes one FUNCTION library (RDB_OPCODE_FUNCTION2 and its
// code as a string), as rdbSaveFunctions does before the databases.
func (e *Encoder) Function(code []byte) error {
	e.buf = append(e.buf, opFunction2)
	e.buf = e.v.appendString(e.buf, code)
	return e.maybeFlush()
}

// FunctionsPayload is what FUNCTION DUMP returns: each library as the RDB
// stores it, then the RDB version and a CRC64, as a DUMP payload ends.
func FunctionsPayload(codes [][]byte, opt Options) []byte {
	v := valueEncoder{opt: opt}
	var b []byte
	for _, code := range codes {
		b = v.appendString(append(b, opFunction2), code)
	}
	b = binary.LittleEndian.AppendUint16(b, rdbVersion)
	return binary.LittleEndian.AppendUint64(b, CRC64(0, b))
}

// ParseFunctionsPayload reads FUNCTION RESTORE's payload into the
// libraries' code. A wrong version or checksum matches ErrBadPayload;
// the other errors are worded as Redis replies them.
func ParseFunctionsPayload(payload []byte) ([][]byte, error) {
	n := len(payload)
	if n < 10 || int(binary.LittleEndian.Uint16(payload[n-10:])) > rdbVersion ||
		binary.LittleEndian.Uint64(payload[n-8:]) != CRC64(0, payload[:n-8]) {
		return nil, ErrBadPayload
	}
	d := decoder{data: payload[:n-10]}
	var codes [][]byte
	for d.pos < len(d.data) {
		t, err := d.byte1("the type")
		if err != nil {
			return nil, errors.New("can not read data type")
		}
		if t != opFunction2 {
			return nil, errors.New("given type is not a function")
		}
		code, err := d.str("the library code")
		if err != nil {
			return nil, errors.New("failed loading the given functions payload")
		}
		codes = append(codes, append([]byte(nil), code...))
	}
	return codes, nil
}

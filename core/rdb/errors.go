package rdb

import (
	"errors"
	"strconv"
	"strings"
)

// Sentinel errors, matched with errors.Is on an *Error.
var (
	ErrTruncated   = errors.New("unexpected end of data")
	ErrCorrupt     = errors.New("corrupt data")
	ErrChecksum    = errors.New("checksum mismatch")
	ErrUnsupported = errors.New("unsupported content")
	// ErrBadPayload is what RESTORE reports as "DUMP payload version or checksum are wrong".
	ErrBadPayload = errors.New("DUMP payload version or checksum are wrong")
)

// Error describes where and why decoding failed.
type Error struct {
	Offset int    // byte offset in the file or payload
	Key    []byte // key being decoded, nil outside a key
	Type   string // RDB value type name (redis-check-rdb's names) when known
	Err    error  // one of the sentinel errors above
	Detail string // what was expected or found
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("rdb: at byte ")
	b.WriteString(strconv.Itoa(e.Offset))
	if e.Key != nil {
		k := e.Key
		if len(k) > 64 {
			k = k[:64]
		}
		b.WriteString(", key ")
		b.WriteString(strconv.Quote(string(k)))
	}
	if e.Type != "" {
		b.WriteString(" (")
		b.WriteString(e.Type)
		b.WriteString(")")
	}
	b.WriteString(": ")
	b.WriteString(e.Err.Error())
	if e.Detail != "" {
		b.WriteString(": ")
		b.WriteString(e.Detail)
	}
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

// blobError is a fault inside an encoded blob (listpack, ziplist, zipmap,
// intset); the decoder adds where the blob sits in the file.
type blobError struct {
	off int
	msg string
}

func (e *blobError) Error() string { return "byte " + strconv.Itoa(e.off) + " of the blob: " + e.msg }

func blobErr(off int, msg string) error { return &blobError{off, msg} }

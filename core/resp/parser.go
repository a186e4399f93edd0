package resp

import (
	"bytes"
	"cmp"
	"math"

	"github.com/syncscope/syncscope/core/cstr"
)

// ProtocolError is a malformed request. Redis replies "-ERR " + Error() and
// closes the connection.
type ProtocolError struct{ Msg string }

func (e *ProtocolError) Error() string { return "Protocol error: " + e.Msg }

// Limits bound what a request may contain (networking.c, Redis 7.0.15).
type Limits struct {
	// MaxBulkLen is proto-max-bulk-len. Redis does not apply it to its
	// master's stream: a replica parsing that stream sets it to math.MaxInt64.
	MaxBulkLen int64
	// MaxInlineLen is PROTO_INLINE_MAX_SIZE: the longest inline line and the
	// longest multibulk or bulk count line.
	MaxInlineLen int
	// Unauthenticated applies the limits Redis sets before AUTH succeeds:
	// at most 10 arguments and 16384 bytes per argument.
	Unauthenticated bool
}

// DefaultLimits returns Redis's defaults.
func DefaultLimits() Limits {
	return Limits{MaxBulkLen: 512 * 1024 * 1024, MaxInlineLen: 64 * 1024}
}

// Limits before authentication (networking.c).
const (
	unauthMaxArgs    = 10
	unauthMaxBulkLen = 16384
)

// Parser splits requests. Limits fields left zero take Redis's defaults. Its
// scratch space makes steady-state parsing allocation-free.
type Parser struct {
	Limits Limits

	args   [][]byte
	inline []byte // unescaped inline arguments
	ends   []int  // end offset of each inline argument in inline

	// An incomplete multibulk's progress: mbPos is the offset of its next
	// bulk header (0: none pending), mbLeft the bulks still to come, mbSpans
	// the start and end offsets of the bulks parsed so far.
	mbPos   int
	mbLeft  int64
	mbSpans []int
}

// Next parses one request at the start of buf and returns its arguments and
// the number of bytes it used.
//
// (nil, 0, nil) means the request is incomplete: call again with the same
// bytes followed by more (the parser resumes where it stopped, so this
// contract matters). A blank inline line, "*0\r\n" and "*-1\r\n" return
// empty args with n > 0, which the caller skips, as Redis does. An error is a
// *ProtocolError.
//
// args alias buf (or the parser's scratch for inline requests) and the args
// slice itself is reused: both are valid until the next call. Copy what you
// keep.
//
// As Redis, Next rejects a line longer than MaxInlineLen only when buf ends
// before the line does: the outcome depends on how the bytes were split, so
// the node feeds it as Redis reads, 16 KB at a time.
func (p *Parser) Next(buf []byte) (args [][]byte, n int, err error) {
	if len(buf) == 0 {
		return nil, 0, nil
	}
	if p.args == nil {
		p.args = make([][]byte, 0, 8)
	}
	if p.Limits.MaxInlineLen <= 0 || p.Limits.MaxBulkLen <= 0 {
		def := DefaultLimits()
		p.Limits.MaxInlineLen = cmp.Or(max(p.Limits.MaxInlineLen, 0), def.MaxInlineLen)
		p.Limits.MaxBulkLen = cmp.Or(max(p.Limits.MaxBulkLen, 0), def.MaxBulkLen)
	}
	if buf[0] == '*' {
		return p.multibulk(buf)
	}
	return p.inlineRequest(buf)
}

// findLine returns the index of the first c in buf, or -1. Like Redis's
// strchr on the NUL-terminated query buffer, a NUL byte ends the search.
func findLine(buf []byte, c byte) int {
	i := bytes.IndexByte(buf, c)
	if i < 0 || bytes.IndexByte(buf[:i], 0) >= 0 {
		return -1
	}
	return i
}

func protoErr(msg string) error { return &ProtocolError{Msg: msg} }

// countLine locates the count line ("*N\r\n" or "$N\r\n") at the start of
// buf. It returns the index of its '\r', or -1 when more bytes are needed.
// Like Redis, it only requires one byte after the '\r' and does not check
// that it is '\n'.
func (p *Parser) countLine(buf []byte, tooBig string) (int, error) {
	cr := findLine(buf, '\r')
	if cr < 0 {
		if len(buf) > p.Limits.MaxInlineLen {
			return -1, protoErr(tooBig)
		}
		return -1, nil
	}
	if cr > len(buf)-2 {
		return -1, nil
	}
	return cr, nil
}

func (p *Parser) multibulk(buf []byte) ([][]byte, int, error) {
	var count int64
	var pos int
	if p.mbPos > 0 && p.mbPos <= len(buf) {
		// Resume the request this buffer starts with, as Redis keeps
		// c->multibulklen: a request arriving in many reads costs linear time.
		count, pos = p.mbLeft, p.mbPos
	} else {
		p.mbSpans = p.mbSpans[:0]
		cr, err := p.countLine(buf, "too big mbulk count string")
		if cr < 0 {
			return nil, 0, err
		}
		var ok bool
		count, ok = cstr.String2ll(buf[1:cr])
		if !ok || count > math.MaxInt32 {
			return nil, 0, protoErr("invalid multibulk length")
		}
		if count > unauthMaxArgs && p.Limits.Unauthenticated {
			return nil, 0, protoErr("unauthenticated multibulk length")
		}
		pos = cr + 2
	}
	p.mbPos = 0
	for ; count > 0; count-- {
		line := buf[pos:]
		size, cr := p.plainBulkHeader(line)
		if cr < 0 {
			var err error
			if cr, err = p.countLine(line, "too big bulk count string"); cr < 0 {
				if err == nil {
					p.mbPos, p.mbLeft = pos, count
				}
				return nil, 0, err
			}
			if line[0] != '$' {
				return nil, 0, protoErr("expected '$', got '" + replyChar(line[0]) + "'")
			}
			var ok bool
			size, ok = cstr.String2ll(line[1:cr])
			if !ok || size < 0 || size > p.Limits.MaxBulkLen {
				return nil, 0, protoErr("invalid bulk length")
			}
			if size > unauthMaxBulkLen && p.Limits.Unauthenticated {
				return nil, 0, protoErr("unauthenticated bulk length")
			}
		}
		// Like Redis, skip the two bytes after the argument unchecked.
		if int64(len(buf)-pos-cr-2)-2 < size {
			p.mbPos, p.mbLeft = pos, count
			return nil, 0, nil
		}
		start := pos + cr + 2
		end := start + int(size)
		p.mbSpans = append(p.mbSpans, start, end)
		pos = end + 2
	}
	args := p.args[:0]
	for i := 0; i < len(p.mbSpans); i += 2 {
		start, end := p.mbSpans[i], p.mbSpans[i+1]
		args = append(args, buf[start:end:end])
	}
	p.mbSpans = p.mbSpans[:0]
	p.args = args
	return args, pos, nil
}

// plainBulkHeader is the fast path for the bulk header every client sends,
// "$<digits>\r" plus one more byte, within every limit: it returns the size
// and the index of the '\r', or cr -1 to let the general path parse (or
// refuse) the header exactly as Redis does.
func (p *Parser) plainBulkHeader(line []byte) (size int64, cr int) {
	if len(line) < 4 || line[0] != '$' || line[1] < '0' || line[1] > '9' {
		return 0, -1
	}
	i := 1
	for ; i < len(line) && i <= 18 && '0' <= line[i] && line[i] <= '9'; i++ {
		size = size*10 + int64(line[i]-'0')
	}
	if i >= len(line)-1 || line[i] != '\r' || (line[1] == '0' && i > 2) || i > p.Limits.MaxInlineLen ||
		size > p.Limits.MaxBulkLen || (size > unauthMaxBulkLen && p.Limits.Unauthenticated) {
		return 0, -1
	}
	return size, i
}

// replyChar renders a byte inside an error reply: Redis turns CR and LF into
// spaces so the reply stays one line.
func replyChar(c byte) string {
	if c == '\r' || c == '\n' {
		return " "
	}
	return string([]byte{c})
}

func (p *Parser) inlineRequest(buf []byte) ([][]byte, int, error) {
	nl := findLine(buf, '\n')
	if nl < 0 && len(buf) > p.Limits.MaxInlineLen {
		return nil, 0, protoErr("too big inline request")
	}
	if nl < 0 {
		return nil, 0, nil
	}
	line := buf[:nl]
	if nl > 0 && line[nl-1] == '\r' {
		line = line[:nl-1]
	}
	var ok bool
	p.inline, p.ends, ok = cstr.SplitArgs(line, p.inline[:0], p.ends[:0])
	if !ok {
		return nil, 0, protoErr("unbalanced quotes in request")
	}
	p.args = sliceArgs(p.args[:0], p.inline, p.ends)
	return p.args, nl + 1, nil
}

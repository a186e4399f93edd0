// Package resp is the Redis serialization protocol: parsing client requests
// (multibulk and inline), writing RESP2/RESP3 replies, and reading replies
// (a replica reading its master, tests, the browser's terminal).
package resp

import (
	"bytes"
	"strconv"
)

// ProtocolError is a malformed request. Redis replies "-ERR " + Error() and
// closes the connection.
type ProtocolError struct{ Msg string }

func (e *ProtocolError) Error() string { return "Protocol error: " + e.Msg }

// Limits bound what one request may claim.
type Limits struct {
	MaxBulkLen      int64 // proto-max-bulk-len
	MaxInlineLen    int   // PROTO_INLINE_MAX_SIZE
	Unauthenticated bool  // stricter limits before AUTH, as Redis 7.0 applies
}

// DefaultLimits are Redis 7.0's defaults.
func DefaultLimits() Limits {
	return Limits{MaxBulkLen: 512 << 20, MaxInlineLen: 64 << 10}
}

// Parser parses requests from a connection's query buffer.
type Parser struct {
	Limits Limits
	args   [][]byte
}

func protoErr(msg string) error { return &ProtocolError{Msg: msg} }

// Next parses one request at the start of buf. The returned args alias buf
// and the args slice is reused by the next call. (nil, 0, nil) means the
// request is incomplete. An empty request (a blank inline line, "*0") returns
// no args with n > 0.
func (p *Parser) Next(buf []byte) (args [][]byte, n int, err error) {
	if len(buf) == 0 {
		return nil, 0, nil
	}
	if p.Limits.MaxInlineLen == 0 {
		p.Limits = DefaultLimits()
	}
	if buf[0] != '*' {
		return p.inline(buf)
	}
	nl := bytes.IndexByte(buf, '\n')
	if nl < 0 {
		if len(buf) > p.Limits.MaxInlineLen {
			return nil, 0, protoErr("too big mbulk count string")
		}
		return nil, 0, nil
	}
	if nl < 2 || buf[nl-1] != '\r' {
		// Redis searches for "\r": a lone "\n" leaves the count unparsable.
		return nil, 0, protoErr("invalid multibulk length")
	}
	count, ok := parseLen(buf[1 : nl-1])
	if !ok || count > 1<<31-1 {
		return nil, 0, protoErr("invalid multibulk length")
	}
	if p.Limits.Unauthenticated && count > 10 {
		return nil, 0, protoErr("unauthenticated multibulk length")
	}
	pos := nl + 1
	if count <= 0 {
		return p.args[:0], pos, nil
	}
	args = p.args[:0]
	for i := int64(0); i < count; i++ {
		if pos >= len(buf) {
			return nil, 0, nil
		}
		if buf[pos] != '$' {
			return nil, 0, protoErr("expected '$', got '" + string(buf[pos]) + "'")
		}
		nl = bytes.IndexByte(buf[pos:], '\n')
		if nl < 0 {
			if len(buf)-pos > p.Limits.MaxInlineLen {
				return nil, 0, protoErr("too big bulk count string")
			}
			return nil, 0, nil
		}
		nl += pos
		if buf[nl-1] != '\r' {
			return nil, 0, protoErr("invalid bulk length")
		}
		size, ok := parseLen(buf[pos+1 : nl-1])
		if !ok || size < 0 || size > p.Limits.MaxBulkLen {
			return nil, 0, protoErr("invalid bulk length")
		}
		if p.Limits.Unauthenticated && size > 16384 {
			return nil, 0, protoErr("unauthenticated bulk length")
		}
		start := nl + 1
		if int64(len(buf)-start) < size+2 {
			return nil, 0, nil
		}
		end := start + int(size)
		args = append(args, buf[start:end:end])
		pos = end + 2
	}
	p.args = args
	return args, pos, nil
}

// parseLen parses a RESP length as Redis's string2ll: digits with an optional '-'.
func parseLen(b []byte) (int64, bool) {
	if len(b) == 0 || len(b) > 20 {
		return 0, false
	}
	v, err := strconv.ParseInt(string(b), 10, 64)
	if err != nil || b[0] == '+' {
		return 0, false
	}
	return v, true
}

// inline parses a telnet-style command line with sdssplitargs' quoting.
func (p *Parser) inline(buf []byte) ([][]byte, int, error) {
	nl := bytes.IndexByte(buf, '\n')
	if nl < 0 {
		if len(buf) > p.Limits.MaxInlineLen {
			return nil, 0, protoErr("too big inline request")
		}
		return nil, 0, nil
	}
	line := buf[:nl]
	if len(line) > 0 && line[len(line)-1] == '\r' {
		line = line[:len(line)-1]
	}
	args, ok := SplitArgs(line, p.args[:0])
	if !ok {
		return nil, 0, protoErr("unbalanced quotes in request")
	}
	p.args = args
	return args, nl + 1, nil
}

// SplitArgs splits a line as Redis's sdssplitargs does: spaces separate
// arguments; "double quotes" take \n \r \t \b \a \\ \" and \xHH escapes;
// 'single quotes' take only \'; a closing quote must be followed by a space
// or the end. ok is false on unbalanced quotes. Arguments with escapes are
// copied; others alias line.
func SplitArgs(line []byte, dst [][]byte) (args [][]byte, ok bool) {
	args = dst
	i := 0
	for {
		for i < len(line) && isSpace(line[i]) {
			i++
		}
		if i >= len(line) {
			return args, true
		}
		var cur []byte
		start := i
		aliased := true
		inDQ, inSQ := false, false
		for {
			if inDQ {
				if i >= len(line) {
					return nil, false
				}
				c := line[i]
				switch {
				case c == '\\' && i+3 < len(line) && line[i+1] == 'x' && isHex(line[i+2]) && isHex(line[i+3]):
					cur = append(cur, unhex(line[i+2])<<4|unhex(line[i+3]))
					i += 3
				case c == '\\' && i+1 < len(line):
					i++
					switch line[i] {
					case 'n':
						cur = append(cur, '\n')
					case 'r':
						cur = append(cur, '\r')
					case 't':
						cur = append(cur, '\t')
					case 'b':
						cur = append(cur, '\b')
					case 'a':
						cur = append(cur, '\a')
					default:
						cur = append(cur, line[i])
					}
				case c == '"':
					if i+1 < len(line) && !isSpace(line[i+1]) {
						return nil, false
					}
					i++
					goto done
				default:
					cur = append(cur, c)
				}
				i++
				continue
			}
			if inSQ {
				if i >= len(line) {
					return nil, false
				}
				c := line[i]
				switch {
				case c == '\\' && i+1 < len(line) && line[i+1] == '\'':
					cur = append(cur, '\'')
					i++
				case c == '\'':
					if i+1 < len(line) && !isSpace(line[i+1]) {
						return nil, false
					}
					i++
					goto done
				default:
					cur = append(cur, c)
				}
				i++
				continue
			}
			if i >= len(line) || isSpace(line[i]) {
				goto done
			}
			switch line[i] {
			case '"':
				inDQ, aliased = true, false
				cur = append([]byte{}, line[start:i]...)
			case '\'':
				inSQ, aliased = true, false
				cur = append([]byte{}, line[start:i]...)
			default:
				if !aliased {
					cur = append(cur, line[i])
				}
			}
			i++
		}
	done:
		if aliased {
			cur = line[start:i:i]
		} else if cur == nil {
			cur = []byte{}
		}
		args = append(args, cur)
	}
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\v' || c == '\f'
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case '0' <= c && c <= '9':
		return c - '0'
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10
	}
	return c - 'A' + 10
}

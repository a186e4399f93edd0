package resp

// SplitArgs splits a line as Redis's sdssplitargs does (inline requests, and
// redis-cli's prompt): blanks separate arguments; "double quotes" take
// \n \r \t \b \a \xHH and \<any> escapes; 'single quotes' take only \';
// a closing quote must be followed by a blank or the end of the line. The
// arguments are appended to dst, in one fresh buffer. ok is false on
// unbalanced quotes.
func SplitArgs(line []byte, dst [][]byte) (args [][]byte, ok bool) {
	out, ends, ok := splitArgs(line, nil, nil)
	if !ok {
		return dst, false
	}
	return sliceArgs(dst, out, ends), true
}

// sliceArgs appends the arguments packed in out, ending at ends, to dst.
func sliceArgs(dst [][]byte, out []byte, ends []int) [][]byte {
	start := 0
	for _, end := range ends {
		dst = append(dst, out[start:end:end])
		start = end
	}
	return dst
}

// splitArgs appends the unescaped arguments of line to out and the end
// offset of each to ends.
func splitArgs(line, out []byte, ends []int) ([]byte, []int, bool) {

	// at returns line[i], or 0 past the end as C's terminating NUL would.
	at := func(i int) byte {
		if i < len(line) {
			return line[i]
		}
		return 0
	}
	i := 0
	for {
		for i < len(line) && isSpace(line[i]) {
			i++
		}
		if i == len(line) {
			return out, ends, true
		}
		inDouble, inSingle := false, false
		for done := false; !done; i++ {
			c := at(i)
			switch {
			case inDouble:
				switch {
				case c == 0:
					return out, ends, false
				case c == '\\' && at(i+1) == 'x' && isHex(at(i+2)) && isHex(at(i+3)):
					out = append(out, unhex(at(i+2))<<4|unhex(at(i+3)))
					i += 3
				case c == '\\' && at(i+1) != 0:
					i++
					out = append(out, unescape(line[i]))
				case c == '"':
					if next := at(i + 1); next != 0 && !isSpace(next) {
						return out, ends, false
					}
					done = true
				default:
					out = append(out, c)
				}
			case inSingle:
				switch {
				case c == 0:
					return out, ends, false
				case c == '\\' && at(i+1) == '\'':
					i++
					out = append(out, '\'')
				case c == '\'':
					if next := at(i + 1); next != 0 && !isSpace(next) {
						return out, ends, false
					}
					done = true
				default:
					out = append(out, c)
				}
			default:
				switch c {
				case ' ', '\n', '\r', '\t', 0:
					done = true
				case '"':
					inDouble = true
				case '\'':
					inSingle = true
				default:
					out = append(out, c)
				}
			}
		}
		// The C loop does not step past the terminating NUL.
		if i > len(line) {
			i = len(line)
		}
		ends = append(ends, len(out))
	}
}

// isSpace is C's isspace in the "C" locale.
func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r'
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case c <= '9':
		return c - '0'
	case c >= 'a':
		return c - 'a' + 10
	default:
		return c - 'A' + 10
	}
}

func unescape(c byte) byte {
	switch c {
	case 'n':
		return '\n'
	case 'r':
		return '\r'
	case 't':
		return '\t'
	case 'b':
		return '\b'
	case 'a':
		return '\a'
	}
	return c
}

// parseInt is Redis's string2ll: optional '-', no '+', no leading zeros
// (except "0" itself), no blanks, at most 20 bytes, no overflow.
func parseInt(s []byte) (int64, bool) {
	if len(s) == 0 || len(s) >= 21 {
		return 0, false
	}
	if len(s) == 1 && s[0] == '0' {
		return 0, true
	}
	neg := s[0] == '-'
	if neg {
		s = s[1:]
	}
	if len(s) == 0 || s[0] < '1' || s[0] > '9' {
		return 0, false
	}
	var v uint64
	for _, c := range s {
		if c < '0' || c > '9' {
			return 0, false
		}
		d := uint64(c - '0')
		if v > (1<<64-1)/10 || v*10 > 1<<64-1-d {
			return 0, false
		}
		v = v*10 + d
	}
	if neg {
		if v > 1<<63 {
			return 0, false
		}
		return -int64(v), true
	}
	if v > 1<<63-1 {
		return 0, false
	}
	return int64(v), true
}

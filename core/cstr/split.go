package cstr

// SplitArgs splits a line as sds.c's sdssplitargs does (inline requests,
// config files, redis-cli's prompt): blanks separate arguments; "double
// quotes" take \n \r \t \b \a \xHH and \<any> escapes; 'single quotes' take
// only \'; a closing quote must be followed by a blank or the end. The line
// is read as a C string: it ends at its first NUL. The unescaped arguments
// are appended to out, back to back, and the end offset of each in out to
// ends (no allocation per argument). ok is false on unbalanced quotes.
func SplitArgs[T string | []byte](line T, out []byte, ends []int) (_ []byte, _ []int, ok bool) {
	n := len(line)
	for i := 0; i < n; i++ {
		if line[i] == 0 {
			n = i
			break
		}
	}
	// at returns line[i], or 0 past the end as C's terminating NUL would.
	at := func(i int) byte {
		if i < n {
			return line[i]
		}
		return 0
	}
	i := 0
	for {
		for i < n && IsSpace(line[i]) {
			i++
		}
		if i == n {
			return out, ends, true
		}
		inDouble, inSingle := false, false
		for done := false; !done; {
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
					if next := at(i + 1); next != 0 && !IsSpace(next) {
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
					if next := at(i + 1); next != 0 && !IsSpace(next) {
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
			// The C loop does not step past the terminating NUL.
			if i < n {
				i++
			}
		}
		ends = append(ends, len(out))
	}
}

// SplitArgsStrings is SplitArgs with the arguments as strings; a line of
// blanks gives an empty, non-nil slice.
func SplitArgsStrings(line string) ([]string, bool) {
	out, ends, ok := SplitArgs(line, nil, nil)
	if !ok {
		return nil, false
	}
	args := make([]string, len(ends))
	all := string(out)
	start := 0
	for i, end := range ends {
		args[i] = all[start:end]
		start = end
	}
	return args, true
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

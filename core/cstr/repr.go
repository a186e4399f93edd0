package cstr

// AppendRepr appends s quoted as sds.c's sdscatrepr does (redis-cli's
// strings, MONITOR, CONFIG REWRITE, CLIENT LIST): \\ \" \n \r \t \a \b
// escaped, printable ASCII as it is, every other byte as \xHH — so UTF-8
// "é" is "\xc3\xa9".
func AppendRepr[T string | []byte](dst []byte, s T) []byte {
	dst = append(dst, '"')
	dst = AppendReprBody(dst, s)
	return append(dst, '"')
}

// AppendReprBody is AppendRepr without the quotes.
func AppendReprBody[T string | []byte](dst []byte, s T) []byte {
	const hex = "0123456789abcdef"
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch c {
		case '\\', '"':
			dst = append(dst, '\\', c)
		case '\n':
			dst = append(dst, '\\', 'n')
		case '\r':
			dst = append(dst, '\\', 'r')
		case '\t':
			dst = append(dst, '\\', 't')
		case '\a':
			dst = append(dst, '\\', 'a')
		case '\b':
			dst = append(dst, '\\', 'b')
		default:
			if c >= ' ' && c <= '~' {
				dst = append(dst, c)
			} else {
				dst = append(dst, '\\', 'x', hex[c>>4], hex[c&15])
			}
		}
	}
	return dst
}

// Repr is AppendRepr as a string.
func Repr[T string | []byte](s T) string { return string(AppendRepr(make([]byte, 0, len(s)+2), s)) }

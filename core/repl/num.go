package repl

// parseLL is Redis's string2ll: an optional '-', then digits with no leading
// zero (except "0" itself), no spaces, no '+', and no overflow.
func parseLL(b []byte) (int64, bool) {
	if len(b) == 0 || len(b) > 20 {
		return 0, false
	}
	if len(b) == 1 && b[0] == '0' {
		return 0, true
	}
	neg := b[0] == '-'
	if neg {
		b = b[1:]
	}
	if len(b) == 0 || b[0] < '1' || b[0] > '9' {
		return 0, false
	}
	var v uint64
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		d := uint64(c - '0')
		if v > (1<<64-1-d)/10 {
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

// strtoll is C's strtoll(s, NULL, 10), which Redis uses on the master's
// replies: leading spaces, an optional sign, then as many digits as there are;
// anything else ends the number, and overflow saturates.
func strtoll(s string) int64 {
	i := 0
	for i < len(s) && (s[i] == ' ' || (s[i] >= '\t' && s[i] <= '\r')) {
		i++
	}
	neg := false
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		neg = s[i] == '-'
		i++
	}
	var v uint64
	for ; i < len(s) && s[i] >= '0' && s[i] <= '9'; i++ {
		if v > (1<<63)/10 {
			v = 1 << 63 // saturated; later digits cannot bring it back
			continue
		}
		if v = v*10 + uint64(s[i]-'0'); v > 1<<63 {
			v = 1 << 63
		}
	}
	switch {
	case neg:
		return -int64(v) // -(1<<63) wraps to itself: LLONG_MIN
	case v > 1<<63-1:
		return 1<<63 - 1
	}
	return int64(v)
}

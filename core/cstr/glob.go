package cstr

// Glob reports whether s matches the glob-style pattern the way Redis's
// stringmatchlen does (used by CONFIG GET, KEYS, SCAN MATCH and PSUBSCRIBE):
// * matches any run of bytes, ? one byte, [abc] [^abc] [a-z] a class, and a
// backslash quotes the next byte. nocase folds ASCII letters.
func Glob(pattern, s string, nocase bool) bool {
	skip := false
	return globAt(pattern, s, nocase, &skip, 0)
}

// globAt walks pattern and s together. Out-of-range reads give 0, standing in
// for the NUL terminator the C code relies on. skipLonger prunes the search
// once a tail failed to match anywhere (the CVE-2022-36021 fix), which keeps
// patterns like "a*a*a*a*b" from taking exponential time.
func globAt(pat, str string, nocase bool, skipLonger *bool, nesting int) bool {
	if nesting > 1000 {
		return false
	}
	pc := func(i int) byte {
		if i < len(pat) {
			return pat[i]
		}
		return 0
	}
	p, s := 0, 0
	for p < len(pat) && s < len(str) {
		switch pat[p] {
		case '*':
			for p < len(pat) && pc(p+1) == '*' {
				p++
			}
			if p == len(pat)-1 {
				return true
			}
			for s < len(str) {
				if globAt(pat[p+1:], str[s:], nocase, skipLonger, nesting+1) {
					return true
				}
				if *skipLonger {
					return false
				}
				s++
			}
			*skipLonger = true
			return false
		case '?':
			s++
		case '[':
			p++
			not := pc(p) == '^'
			if not {
				p++
			}
			if matchClass(pat, &p, str[s], nocase) == not {
				return false
			}
			s++
		case '\\':
			if len(pat)-p >= 2 {
				p++
			}
			fallthrough
		default:
			if pat[p] != str[s] && (!nocase || Lower(pat[p]) != Lower(str[s])) {
				return false
			}
			s++
		}
		p++
		if s == len(str) {
			for pc(p) == '*' {
				p++
			}
			break
		}
	}
	return p >= len(pat) && s == len(str)
}

// matchClass matches c against the class starting at *p (just after '[' and
// any '^') and leaves *p on the closing ']'; an unterminated class ends one
// byte before the end of the pattern, as in Redis.
func matchClass(pat string, p *int, c byte, nocase bool) bool {
	match := false
	for {
		i := *p
		switch {
		case i < len(pat) && pat[i] == '\\' && len(pat)-i >= 2:
			*p = i + 1
			if pat[i+1] == c {
				match = true
			}
		case i < len(pat) && pat[i] == ']':
			return match
		case i >= len(pat):
			*p = i - 1
			return match
		case len(pat)-i >= 3 && pat[i+1] == '-':
			start, end, cc := pat[i], pat[i+2], c
			if start > end {
				start, end = end, start
			}
			if nocase {
				start, end, cc = Lower(start), Lower(end), Lower(cc)
			}
			*p = i + 2
			if cc >= start && cc <= end {
				match = true
			}
		default:
			if pat[i] == c || (nocase && Lower(pat[i]) == Lower(c)) {
				match = true
			}
		}
		*p++
	}
}

// Lower is C's tolower in the "C" locale.
func Lower(c byte) byte {
	if c >= 'A' && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

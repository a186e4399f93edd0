package cstr

// UntilNUL is s as C reads a string: up to its first NUL byte. Redis
// prints arguments with %s and parses them with strtod, strtoul and
// strcasecmp, so a NUL inside an argument ends what its replies show.
func UntilNUL[S ~string | ~[]byte](s S) S {
	for i := 0; i < len(s); i++ {
		if s[i] == 0 {
			return s[:i]
		}
	}
	return s
}

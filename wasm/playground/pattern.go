package playground

import (
	"strings"
	"unicode/utf8"
)

// pattern is a line pattern in a small subset of regexp's syntax, enough
// for the lessons' goals and the timeline's markers: literal text (with \
// before punctuation), ^ and $, the classes \S+, \S*, \d+ and .*, each
// captured when written in parentheses, e.g. `^wait 1 (\d+)$`. The same
// text means the same to regexp (the tests compare them); the package
// keeps regexp and its unicode tables, about 100 KB of brotli, out of the
// browser's main.wasm.
type pattern struct {
	begin, end bool // anchored by ^ / $
	fold       bool // case-insensitive, as (?i)
	toks       []tok
	groups     int
}

// tok is a literal or a class run.
type tok struct {
	lit   string
	class byte // 0 for a literal; 'S' (\S), 'd' (\d) or '.' (any)
	min   int  // fewest characters of class
	group int  // capture group number, 0 when not captured
}

// compilePattern parses text and panics when it is outside the subset:
// the patterns are the package's own constants.
func compilePattern(text string, fold bool) *pattern {
	p := &pattern{fold: fold}
	s := text
	if strings.HasPrefix(s, "^") {
		p.begin, s = true, s[1:]
	}
	if strings.HasSuffix(s, "$") && !strings.HasSuffix(s, `\$`) {
		p.end, s = true, s[:len(s)-1]
	}
	var lit strings.Builder
	flush := func() {
		if lit.Len() > 0 {
			p.toks = append(p.toks, tok{lit: lit.String()})
			lit.Reset()
		}
	}
	classAt := func(s string) (tok, int) {
		for _, c := range []struct {
			text  string
			class byte
			min   int
		}{{`\S+`, 'S', 1}, {`\S*`, 'S', 0}, {`\d+`, 'd', 1}, {`.*`, '.', 0}} {
			if strings.HasPrefix(s, c.text) {
				return tok{class: c.class, min: c.min}, len(c.text)
			}
		}
		return tok{}, 0
	}
	for len(s) > 0 {
		if t, n := classAt(s); n > 0 {
			flush()
			p.toks = append(p.toks, t)
			s = s[n:]
			continue
		}
		if s[0] == '(' {
			t, n := classAt(s[1:])
			if n == 0 || len(s) < n+2 || s[n+1] != ')' {
				panic("playground: pattern outside the subset: " + text)
			}
			flush()
			p.groups++
			t.group = p.groups
			p.toks = append(p.toks, t)
			s = s[n+2:]
			continue
		}
		switch c := s[0]; {
		case c == '\\' && len(s) > 1 && strings.IndexByte(`\.()[]{}*+?^$|`, s[1]) >= 0:
			lit.WriteByte(s[1])
			s = s[2:]
		case strings.IndexByte(`\.()[]{}*+?^$|`, c) >= 0:
			panic("playground: pattern outside the subset: " + text)
		default:
			lit.WriteByte(c)
			s = s[1:]
		}
	}
	flush()
	return p
}

// match returns the submatches as regexp's FindStringSubmatch does (the
// whole match, then each group), nil when s does not match.
func (p *pattern) match(s string) []string {
	spans := make([]int, 2+2*p.groups)
	for start := 0; start <= len(s); {
		if !p.begin && !p.fold && len(p.toks) > 0 && p.toks[0].class == 0 {
			// Only where the leading literal is can a match start.
			at := strings.Index(s[start:], p.toks[0].lit)
			if at < 0 {
				return nil
			}
			start += at
		}
		if end, ok := p.matchAt(s, start, 0, spans); ok {
			out := make([]string, 1+p.groups)
			out[0] = s[start:end]
			for g := 1; g <= p.groups; g++ {
				out[g] = s[spans[2*g]:spans[2*g+1]]
			}
			return out
		}
		if p.begin || start == len(s) {
			break
		}
		_, n := utf8.DecodeRuneInString(s[start:])
		start += n
	}
	return nil
}

// matchAt matches toks[k:] at s[i:], greedy first, and returns where the
// match ends.
func (p *pattern) matchAt(s string, i, k int, spans []int) (int, bool) {
	if k == len(p.toks) {
		return i, !p.end || i == len(s)
	}
	t := p.toks[k]
	if t.class == 0 {
		n := len(t.lit)
		if i+n > len(s) || !(s[i:i+n] == t.lit || p.fold && strings.EqualFold(s[i:i+n], t.lit)) {
			return 0, false
		}
		return p.matchAt(s, i+n, k+1, spans)
	}
	// The class's run, rune by rune as regexp reads (an invalid byte is a
	// rune of its own), then the longest that lets the rest match.
	ends := []int{i}
	for j := i; j < len(s); {
		r, n := utf8.DecodeRuneInString(s[j:])
		if !inClass(t.class, r) {
			break
		}
		j += n
		ends = append(ends, j)
	}
	for x := len(ends) - 1; x >= t.min; x-- {
		if end, ok := p.matchAt(s, ends[x], k+1, spans); ok {
			if t.group > 0 {
				spans[2*t.group], spans[2*t.group+1] = i, ends[x]
			}
			return end, true
		}
	}
	return 0, false
}

// inClass tests one rune: \S is anything but white space as regexp's Perl
// class has it ([\t\n\f\r ]), \d an ASCII digit, . anything but a newline.
func inClass(class byte, r rune) bool {
	switch class {
	case 'S':
		return r != ' ' && r != '\t' && r != '\n' && r != '\f' && r != '\r'
	case 'd':
		return r >= '0' && r <= '9'
	}
	return r != '\n'
}

// expand writes template with $1..$9 replaced by the submatches.
func expand(template string, m []string) string {
	var sb strings.Builder
	for i := 0; i < len(template); i++ {
		if c := template[i]; c == '$' && i+1 < len(template) && template[i+1] >= '1' && template[i+1] <= '9' {
			if g := int(template[i+1] - '0'); g < len(m) {
				sb.WriteString(m[g])
			}
			i++
			continue
		}
		sb.WriteByte(template[i])
	}
	return sb.String()
}

package playground

import (
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The patterns the package uses, and a few more of the subset's forms.
func testPatterns() []string {
	out := []string{`^wait 1 \d+$`, `^set name redis$`, `^get name$`, `^set `, `^ping$`, `a(\S*)b(.*)`,
		`(\d+)x`, `^(\S+) (\S*)$`, `(.*)`, `\S*`, `x\.y\(z\)`, `(\S+)`, `^$`}
	for _, lm := range logMarks {
		out = append(out, patternText[lm.re])
	}
	for _, r := range recapSaid {
		out = append(out, r.line)
	}
	return out
}

var patternLines = []string{
	"", "x", "wait 1 100", "wait 1 ", "wait 1 5000x", "WAIT 1 7", "set name redis", "SET Name Redis", "set name redis ",
	"get name", "gEt NaMe", "set k v", "ping", "PING", "pingpong", "aXYZbrest", "ab", "a\u00e9b\xff\xfez", "123x",
	"  12x", "x1x2x", "x.y(z)", "xay(z)", "héllo wörld", "one two", "one", "tab\there", "a\nb", "\xffb", "a\x80b",
	"Full resync from master: 8a3f:0", "Full resync requested by replica 127.0.0.1:6378",
	"Partial resynchronization request from 127.0.0.1:6378 accepted. Sending 1234 bytes of backlog starting from offset 5.",
	"Partial resynchronization request from 127.0.0.1:6378 acceptedX Sending 12 bytes",
	"Successful partial resynchronization with master.", "Partial resynchronization not accepted: Replication ID mismatch (x)",
	"Partial resynchronization not possible (no cached master)", "Unable to partial resync with replica  for lack of backlog",
	"Unable to partial resync with replica 127.0.0.1:6378 for lack of backlog (Replica request was: 9).",
	"Connection with master lost.", "Connection with replica 127.0.0.1:6378 lost.", "Connection with replica  lost.",
	"I/O error trying to sync with MASTER: connection lost", "Error condition on socket for SYNC: Connection refused",
	"MASTER MODE enabled (user request from 'id=3')", "Setting secondary replication ID to abc, valid up to offset: 5.",
	"Master replication ID changed to 0123456789abcdef", "MASTER <-> REPLICA sync: Finished with success",
	"Synchronization with replica 127.0.0.1:6378 succeeded", "Ready to accept connections tcp", "User requested shutdown...",
}

// patternText is each log marker's pattern as written, for the tests.
var patternText = map[*pattern]string{}

func init() {
	texts := []string{`Full resync from master: (\S+)`, `Full resync requested by replica (\S+)`,
		`Partial resynchronization request from (\S+) accepted\. Sending (\d+) bytes`,
		`Successful partial resynchronization with master`, `Partial resynchronization not accepted: (.*)`,
		`Partial resynchronization not possible \(no cached master\)`,
		`Unable to partial resync with replica (\S*) for lack of backlog`, `Connection with master lost`,
		`Connection with replica (\S+) lost`, `I/O error trying to sync with MASTER: (.*)`,
		`Error condition on socket for SYNC: (.*)`, `MASTER MODE enabled`, `Setting secondary replication ID`,
		`Master replication ID changed to \S+`, `MASTER <-> REPLICA sync: Finished with success`,
		`Synchronization with replica (\S+) succeeded`, `Ready to accept connections`, `User requested shutdown`}
	for i, lm := range logMarks {
		patternText[lm.re] = texts[i]
	}
}

// A pattern matches what regexp matches with the same text, with the same
// submatches, and expand writes what regexp's Expand writes.
func TestPatternAsRegexp(t *testing.T) {
	require.Len(t, patternText, len(logMarks))
	for _, text := range testPatterns() {
		for _, fold := range []bool{false, true} {
			p := compilePattern(text, fold)
			re := regexp.MustCompile(text)
			if fold {
				re = regexp.MustCompile("(?i)" + text)
			}
			for _, line := range patternLines {
				assert.Equal(t, re.FindStringSubmatch(line), p.match(line), "%q on %q (fold %v)", text, line, fold)
			}
		}
	}
	for _, lm := range logMarks {
		re := regexp.MustCompile(patternText[lm.re])
		for _, line := range patternLines {
			if m := re.FindStringSubmatchIndex(line); m != nil {
				assert.Equal(t, string(re.ExpandString(nil, lm.label, line, m)), expand(lm.label, lm.re.match(line)), "%q", line)
			}
		}
	}
}

// Every log marker's pattern is the one it is tested as.
func TestLogMarksPatterns(t *testing.T) {
	for _, lm := range logMarks {
		assert.Equal(t, compilePattern(patternText[lm.re], false), lm.re)
	}
}

func FuzzPatternAsRegexp(f *testing.F) {
	for _, line := range patternLines {
		f.Add(line)
	}
	pats := testPatterns()
	res := make([]*regexp.Regexp, len(pats))
	ps := make([]*pattern, len(pats))
	for i, text := range pats {
		res[i], ps[i] = regexp.MustCompile(text), compilePattern(text, false)
	}
	f.Fuzz(func(t *testing.T, line string) {
		for i := range pats {
			if want, got := res[i].FindStringSubmatch(line), ps[i].match(line); !assert.Equal(t, want, got, "%q on %q", pats[i], line) {
				return
			}
		}
	})
}

// Text outside the subset is refused when the package starts.
func TestPatternRefusesOtherSyntax(t *testing.T) {
	for _, text := range []string{`a|b`, `a+`, `[ab]`, `(a)`, `\S{8}`, `a?`, `(\S+`, `.`} {
		assert.Panics(t, func() { compilePattern(text, false) }, text)
	}
	assert.NotPanics(t, func() { compilePattern(strings.Repeat(`\S+ `, 3), false) })
}

package config

import (
	"strings"
	"testing"
)

// FuzzParse: any text either parses or gives a report; a parsed config
// answers CONFIG GET, and its CONFIG REWRITE parses back to the same values.
func FuzzParse(f *testing.F) {
	f.Add("port 6378\nslaveof 127.0.0.1 6379\n")
	f.Add("save 900 1\nsave \"\"\nbind \"\"\nrequirepass \"a\\x41\"\n")
	f.Add("user \"\" on\n")
	f.Fuzz(func(t *testing.T, text string) {
		read := files(map[string]string{"inc.conf": "timeout 5\n"})
		c, _, err := Parse(text, read)
		if err != nil {
			if err.Error() == "" {
				t.Fatal("empty error report")
			}
			return
		}
		all := c.Get("*")
		out := c.Rewrite(text)
		if strings.IndexByte(text, 0) >= 0 {
			// Redis reads configs as C strings: a NUL line kept by the
			// rewrite hides the lines after it, in Redis too.
			return
		}
		again, _, err := Parse(out, read)
		if err != nil {
			t.Fatalf("rewrite of %q does not parse: %q: %v", text, out, err)
		}
		if got := again.Get("*"); !equalPairs(all, got) {
			t.Fatalf("rewrite of %q changed values:\n%v\n%v", text, all, got)
		}
	})
}

func equalPairs(a, b [][2]string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

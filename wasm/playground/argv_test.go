package playground

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestParseLine(t *testing.T) {
	for _, tc := range []struct {
		line   string
		args   []string
		repeat int
		err    string
	}{
		{line: "set name redis", args: []string{"set", "name", "redis"}, repeat: 1},
		{line: `  set "a b" 'c d'  `, args: []string{"set", "a b", "c d"}, repeat: 1},
		{line: `set k "\x41\n"`, args: []string{"set", "k", "A\n"}, repeat: 1},
		{line: "", args: []string{}, repeat: 1},
		{line: "3 incr x", args: []string{"incr", "x"}, repeat: 3},
		{line: "3", args: []string{"3"}, repeat: 1}, // a lone number is a command
		{line: "0 incr x", err: "Invalid redis-cli repeat command option value."},
		{line: "-1 incr x", err: "Invalid redis-cli repeat command option value."},
		{line: `set "a b`, err: "Invalid argument(s)"},
		{line: `set "a"b`, err: "Invalid argument(s)"},
	} {
		l := ParseLine(tc.line)
		assert.Equal(t, tc.err, l.Err, tc.line)
		if tc.err != "" {
			continue
		}
		got := []string{}
		for _, a := range l.Args {
			got = append(got, string(a))
		}
		assert.Equal(t, tc.args, got, tc.line)
		assert.Equal(t, tc.repeat, l.Repeat, tc.line)
	}
}

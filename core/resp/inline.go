package resp

import "github.com/syncscope/syncscope/core/cstr"

// SplitArgs splits a line as Redis's sdssplitargs does (cstr.SplitArgs):
// the arguments are appended to dst, in one fresh buffer. ok is false on
// unbalanced quotes.
func SplitArgs(line []byte, dst [][]byte) (args [][]byte, ok bool) {
	out, ends, ok := cstr.SplitArgs(line, nil, nil)
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

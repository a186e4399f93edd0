//go:build !linux

package server

// quietStderr leaves standard error alone where dup3 is missing: the
// runtime's trace follows the report there.
func quietStderr() {}

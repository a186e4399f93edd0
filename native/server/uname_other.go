//go:build !linux

package server

import "runtime"

// uname is INFO's os field; outside Linux, the platform's name.
func uname() string { return runtime.GOOS + " " + runtime.GOARCH }

package server

import (
	"context"
	"errors"
	"io"
	"net"
	"os"
	"syscall"
	"unicode"
	"unicode/utf8"
)

// ErrText words err as Redis logs it, that is as C's strerror does:
// "Connection refused", not Go's "dial tcp 127.0.0.1:6379: connect:
// connection refused". io.EOF (an orderly close) is "".
func ErrText(err error) string {
	if err == nil || errors.Is(err, io.EOF) {
		return ""
	}
	var errno syscall.Errno
	if errors.As(err, &errno) {
		return strerror(errno)
	}
	if errors.Is(err, os.ErrDeadlineExceeded) || errors.Is(err, context.DeadlineExceeded) {
		return strerror(syscall.ETIMEDOUT)
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return strerror(syscall.ETIMEDOUT)
	}
	var dnsErr *net.DNSError
	if errors.As(err, &dnsErr) {
		// What getaddrinfo's gai_strerror says for an unknown host.
		return "Name or service not known"
	}
	// Innermost message without Go's "op addr: " prefixes.
	for {
		next := errors.Unwrap(err)
		if next == nil {
			return capitalize(err.Error())
		}
		err = next
	}
}

// strerror is glibc's message for errno: Go's table holds the same words
// with a lower-case first letter.
func strerror(errno syscall.Errno) string {
	return capitalize(errno.Error())
}

func capitalize(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if r == utf8.RuneError {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}

package server

import (
	"io"
	"os"
	"sync"

	"github.com/syncscope/syncscope/core/node"
)

// logSink is where log lines go: standard output, or a file opened for
// appending as Redis's logfile is.
type logSink struct {
	mu  sync.Mutex
	w   io.Writer
	f   *os.File // nil when writing to standard output
	buf []byte
}

func openLog(path string, stdout io.Writer) (*logSink, error) {
	if path == "" {
		if stdout == nil {
			stdout = os.Stdout
		}
		return &logSink{w: stdout}, nil
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return nil, err
	}
	return &logSink{w: f, f: f}, nil
}

// write formats lines and writes them in one call, so a Ready's lines stay
// together even when several processes append to one file.
func (l *logSink) write(lines []node.LogLine, pid int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.buf = l.buf[:0]
	for _, line := range lines {
		l.buf = append(l.buf, line.Format(pid)...)
		l.buf = append(l.buf, '\n')
	}
	l.w.Write(l.buf) // like Redis, a log that cannot be written is not fatal
}

func (l *logSink) close() {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.f != nil {
		l.f.Close()
		l.f = nil
		l.w = io.Discard
	}
}

package server

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/syncscope/syncscope/core/node"
)

// effects is the Server as the node's node.Driver: node.Ready.Apply calls
// these methods on the loop goroutine.
type effects Server

var _ node.Driver = (*effects)(nil)

func (e *effects) Log(lines []node.LogLine) { e.log.write(lines, e.pid) }

func (e *effects) Write(w node.Write) {
	s := (*Server)(e)
	c := s.conns[w.Conn]
	if c == nil {
		return
	}
	if n := c.send(w.Data); n > 0 {
		// Written at once: the node learns it now, not by an event, and
		// builds the next replies in the same buffer.
		if s.applyNow.IsZero() {
			s.applyNow = time.Now()
		}
		s.step(s.applyNow, node.Written{Conn: w.Conn, N: n})
		if n == len(w.Data) {
			s.n.Recycle(w.Conn, w.Data)
		}
	}
}

func (e *effects) Close(id node.ConnID) {
	if c := e.conns[id]; c != nil {
		delete(e.conns, id)
		c.closeAfterFlush()
	} else if cancel := e.dialing[id]; cancel != nil {
		delete(e.dialing, id)
		cancel()
	}
}

func (e *effects) Drop(id node.ConnID) {
	if c := e.conns[id]; c != nil {
		delete(e.conns, id)
		c.abort()
	}
}

func (e *effects) Dial(d node.Dial) { (*Server)(e).dial(d) }

func (e *effects) Snapshot(job node.Snapshot) { (*Server)(e).startSnapshot(job) }

// RewriteFile rewrites (or reads) a file on the loop, as Redis does in its
// main thread (the rewrite reads the live config); FileDone is stepped
// after the Ready is applied.
func (e *effects) RewriteFile(f node.File) {
	done := node.FileDone{Name: f.Name}
	if f.Rewrite == nil {
		b, err := os.ReadFile(f.Name)
		if err != nil {
			done.Err = ErrText(err)
		}
		done.Data = string(b)
	} else if err := rewriteFile(f.Name, f.Rewrite, e.pid); err != nil {
		done.Err = ErrText(err)
	}
	e.filesDone = append(e.filesDone, done)
}

func (e *effects) WakeAt(t time.Time) { e.wakeAt = t }

func (e *effects) Exit(code int) { (*Server)(e).exit(code) }

// rewriteFile replaces path with rewrite(its content) as Redis's
// rewriteConfigOverwriteFile does: a temp file beside it, fsync, mode 0644,
// rename over path, fsync the directory. A missing file reads as empty.
func rewriteFile(path string, rewrite func(string) string, pid int) error {
	old, err := os.ReadFile(path)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, filepath.Base(path)+fmt.Sprintf(".tmp-%d-*", pid))
	if err != nil {
		return err
	}
	tmp := f.Name()
	_, err = f.WriteString(rewrite(string(old)))
	if err == nil {
		err = f.Sync()
	}
	if err == nil {
		err = f.Chmod(0o644)
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
		return err
	}
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
	return nil
}

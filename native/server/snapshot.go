package server

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/syncscope/syncscope/core/node"
)

// startSnapshot runs a Snapshot effect off the loop, as Redis's BGSAVE
// child does.
func (s *Server) startSnapshot(job node.Snapshot) {
	s.snapsLive++
	if s.snapsLive == 1 {
		s.procs.encode(1)
	}
	if job.File != "" {
		s.newestFileJob.Store(job.ID)
	}
	go s.snapshot(job)
}

// snapshotDone releases finished snapshots and reports one. The store has
// one copy-on-write flag for all its snapshots, so they are released (on
// the loop: Release belongs to the store's goroutine) only when none is
// still being encoded.
func (s *Server) snapshotDone(now time.Time, ev event) {
	s.snapsLive--
	s.snapsDone = append(s.snapsDone, ev.release)
	if s.snapsLive == 0 {
		s.procs.encode(0)
		for _, sn := range s.snapsDone {
			sn.Release()
		}
		clear(s.snapsDone)
		s.snapsDone = s.snapsDone[:0]
	}
	s.step(now, ev.snap)
}

// snapshot encodes job, writes the file atomically when one is named, and
// reports to the loop.
func (s *Server) snapshot(job node.Snapshot) {
	defer s.crashOnPanic(false)
	var buf bytes.Buffer
	err := job.Snap.WriteRDB(&buf, job.Opts, job.Aux)
	done := node.SnapshotDone{ID: job.ID}
	if err != nil {
		done.Err = err.Error()
	} else {
		done.Data = buf.Bytes()
		if job.File != "" {
			s.saving.Lock()
			// A newer save to disk supersedes this one, as Redis kills its
			// child: its file must not replace the newer one.
			if job.ID < s.newestFileJob.Load() {
				done.Err = "superseded by a newer save"
			} else if err = writeRDBFile(job.File, done.Data, s.pid); err != nil {
				done.Err = err.Error()
			}
			s.saving.Unlock()
		}
	}
	s.post(event{kind: evSnapshot, snap: done, release: job.Snap})
}

// writeRDBFile replaces path with data so that a crash at any point leaves
// either the old file or the new one: write temp-<pid>.rdb beside it, fsync,
// rename over path, fsync the directory. Errors are worded as rdbSave's.
func writeRDBFile(path string, data []byte, pid int) error {
	dir := filepath.Dir(path)
	// Redis names its getcwd(), "unknown" when the directory is gone.
	root := dir
	if _, err := os.Stat(dir); err != nil {
		root = "unknown"
	}
	tmp := filepath.Join(dir, fmt.Sprintf("temp-%d.rdb", pid))
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return fmt.Errorf("Failed opening the temp RDB file %s (in server root dir %s) for saving: %s", filepath.Base(tmp), root, ErrText(err))
	}
	// Redis writes through stdio, so a full disk shows at fflush.
	op := "fflush"
	_, err = f.Write(data)
	if err == nil {
		op = "fsync"
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil && cerr != nil {
		op, err = "fclose", cerr
	}
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("Write error saving DB on disk(%s): %s", op, ErrText(err))
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("Error moving temp DB file %s on the final destination %s (in server root dir %s): %s", filepath.Base(tmp), filepath.Base(path), root, ErrText(err))
	}
	// The rename is durable only once the directory is on disk.
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
	return nil
}

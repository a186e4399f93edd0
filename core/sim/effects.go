package sim

import (
	"time"

	"github.com/syncscope/syncscope/core/node"
)

// effects is the world as one host's node.Driver.
type effects struct {
	w *World
	h *host
}

var _ node.Driver = (*effects)(nil)

func (e *effects) Log(lines []node.LogLine) {
	for _, l := range lines {
		e.h.logs = append(e.h.logs, l)
		e.w.tracef(e.h.port, "log %c %s", l.Level, l.Text)
	}
}

func (e *effects) Write(wr node.Write) {
	w, h := e.w, e.h
	if end := h.ends[wr.Conn]; end != nil {
		if w.hooks != nil && end.p.kind == pipeClient {
			w.hooks.replying(h, end.p.ends[0].client, wr.Data)
		}
		w.send(end, wr.Data, true)
	}
}

func (e *effects) Close(c node.ConnID) {
	w, h := e.w, e.h
	if end := h.ends[c]; end != nil {
		delete(h.ends, c)
		w.closeEnd(end)
	} else if h.dialing[c] {
		delete(h.dialing, c)
		w.tracef(h.port, "dial %d abandoned", c)
	}
}

func (e *effects) Drop(c node.ConnID) {
	if end := e.h.ends[c]; end != nil {
		delete(e.h.ends, c)
		e.w.reset(end.p, end.side)
	}
}

func (e *effects) Dial(d node.Dial) { e.w.dialFrom(e.h, d) }

func (e *effects) Snapshot(s node.Snapshot) { e.w.snapshot(e.h, s) }

func (e *effects) RewriteFile(f node.File) { e.w.file(e.h, f) }

// WakeAt schedules one Wake at the time the node asked for; a later change
// of mind (or a restart) voids the earlier one.
func (e *effects) WakeAt(at time.Time) {
	w, h := e.w, e.h
	if at.IsZero() || at.Equal(h.wakeAt) {
		return
	}
	h.wakeAt = at
	h.wakeTok++
	tok, inc := h.wakeTok, h.inc
	if at.Before(w.now) {
		at = w.now
	}
	w.at(at, h, func() {
		if h.inc == inc && h.wakeTok == tok {
			h.wakeAt = time.Time{}
			w.step(h, node.Wake{})
		}
	})
}

func (e *effects) Exit(code int) {
	w, h := e.w, e.h
	w.tracef(h.port, "exit (code %d)", code)
	h.down(w.now)
	for _, end := range h.sortedEnds() {
		w.closeEnd(end)
	}
	h.ends, h.dialing = nil, nil
}

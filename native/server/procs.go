package server

import (
	"os"
	"runtime"
)

// procs sizes the Go scheduler like Redis's threads: the loop serves
// clients on one CPU (with more Ps the scheduler wakes an idle thread for
// each hand-off between a connection goroutine and the loop, and those
// futex calls cost more than the request), and a snapshot being encoded
// (BGSAVE, a full sync) gets the machine's other CPUs, as Redis's fork does.
// A GOMAXPROCS set in the environment is left alone.
type procs struct {
	serving, encoding int // 0: not managed
}

func newProcs() procs {
	if os.Getenv("GOMAXPROCS") != "" || runtime.NumCPU() < 2 {
		return procs{}
	}
	p := procs{serving: 1, encoding: runtime.GOMAXPROCS(0)}
	runtime.GOMAXPROCS(p.serving)
	return p
}

// encode is called when the number of snapshots being encoded changes.
func (p procs) encode(live int) {
	if p.serving == 0 {
		return
	}
	if live > 0 {
		runtime.GOMAXPROCS(p.encoding)
	} else {
		runtime.GOMAXPROCS(p.serving)
	}
}

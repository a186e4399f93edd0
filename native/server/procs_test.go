package server

import (
	"runtime"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestProcsServeOnOneAndEncodeOnAll(t *testing.T) {
	if runtime.NumCPU() < 2 {
		t.Skip("one CPU: nothing to size")
	}
	before := runtime.GOMAXPROCS(0)
	t.Cleanup(func() { runtime.GOMAXPROCS(before) })

	t.Setenv("GOMAXPROCS", "")
	p := newProcs()
	assert.Equal(t, 1, runtime.GOMAXPROCS(0), "serving on one P")
	p.encode(1)
	assert.Equal(t, before, runtime.GOMAXPROCS(0), "a snapshot being encoded gets the other CPUs")
	p.encode(0)
	assert.Equal(t, 1, runtime.GOMAXPROCS(0))

	runtime.GOMAXPROCS(before)
	t.Setenv("GOMAXPROCS", "2")
	q := newProcs()
	q.encode(1)
	q.encode(0)
	assert.Equal(t, before, runtime.GOMAXPROCS(0), "a GOMAXPROCS from the environment is left alone")
}

// Package proc starts server processes for syncscope's end-to-end tests and
// benchmarks: free ports, waiting for a port to answer, stopping by PID.
package proc

import (
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// PortsEnv, when set to a range such as "7800-7899", confines FreePort to
// it (for machines where test ports are allotted).
const PortsEnv = "SYNCSCOPE_TEST_PORTS"

var portMu sync.Mutex
var portNext int // offset into the PortsEnv range: one process never hands a port out twice in a row

// FreePort returns a TCP port on 127.0.0.1 that nothing listens on now:
// one the kernel picks, or one from the PortsEnv range.
func FreePort() (int, error) {
	r := os.Getenv(PortsEnv)
	if r == "" {
		ln, err := net.Listen("tcp4", "127.0.0.1:0")
		if err != nil {
			return 0, fmt.Errorf("finding a free port: %w", err)
		}
		defer ln.Close()
		return ln.Addr().(*net.TCPAddr).Port, nil
	}
	lo, hi, err := parseRange(r)
	if err != nil {
		return 0, err
	}
	portMu.Lock()
	defer portMu.Unlock()
	if portNext == 0 {
		// Processes sharing the range start at different places.
		portNext = os.Getpid() % (hi - lo + 1)
	}
	for range hi - lo + 1 {
		port := lo + portNext%(hi-lo+1)
		portNext++
		ln, err := net.Listen("tcp4", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)))
		if err == nil {
			ln.Close()
			return port, nil
		}
	}
	return 0, fmt.Errorf("no free port in %s=%s", PortsEnv, r)
}

func parseRange(r string) (lo, hi int, err error) {
	a, b, ok := strings.Cut(r, "-")
	lo, err1 := strconv.Atoi(a)
	hi, err2 := strconv.Atoi(b)
	if !ok || err1 != nil || err2 != nil || lo <= 0 || hi < lo {
		return 0, 0, fmt.Errorf("%s=%q: want a range such as 7800-7899", PortsEnv, r)
	}
	return lo, hi, nil
}

// Process is a started server.
type Process struct {
	Cmd  *exec.Cmd
	Port int
	done chan struct{}
	err  error // from Wait, valid once done is closed
}

// Start runs bin with args, its output appended to out (which may be nil),
// and returns at once; see WaitPort.
func Start(bin string, port int, out *os.File, args ...string) (*Process, error) {
	cmd := exec.Command(bin, args...)
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("starting %s: %w", bin, err)
	}
	p := &Process{Cmd: cmd, Port: port, done: make(chan struct{})}
	go func() {
		p.err = cmd.Wait()
		close(p.done)
	}()
	return p, nil
}

// Addr is "127.0.0.1:<port>".
func (p *Process) Addr() string { return net.JoinHostPort("127.0.0.1", strconv.Itoa(p.Port)) }

// Pid is the process's ID.
func (p *Process) Pid() int { return p.Cmd.Process.Pid }

// WaitPort waits until the process accepts connections on its port, or
// fails when it exits or the timeout passes.
func (p *Process) WaitPort(timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	for {
		c, err := net.DialTimeout("tcp", p.Addr(), 100*time.Millisecond)
		if err == nil {
			c.Close()
			return nil
		}
		select {
		case <-p.done:
			return fmt.Errorf("%s exited before listening on %d: %v", p.Cmd.Path, p.Port, p.err)
		default:
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%s not listening on %d after %v: %w", p.Cmd.Path, p.Port, timeout, err)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// Exited reports whether the process has ended.
func (p *Process) Exited() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// Wait waits up to timeout for the process to end and returns its exit
// code (-1 when killed by a signal).
func (p *Process) Wait(timeout time.Duration) (int, error) {
	select {
	case <-p.done:
	case <-time.After(timeout):
		return 0, fmt.Errorf("%s (pid %d) still running after %v", p.Cmd.Path, p.Pid(), timeout)
	}
	var exitErr *exec.ExitError
	if p.err != nil && !errors.As(p.err, &exitErr) {
		return 0, p.err
	}
	return p.Cmd.ProcessState.ExitCode(), nil
}

// Signal sends sig to the process.
func (p *Process) Signal(sig syscall.Signal) error {
	if p.Exited() {
		return nil
	}
	return p.Cmd.Process.Signal(sig)
}

// Stop ends the process: SIGTERM, then SIGKILL if it lingers.
func (p *Process) Stop() {
	if p.Exited() {
		return
	}
	p.Signal(syscall.SIGTERM)
	if _, err := p.Wait(10 * time.Second); err != nil {
		p.Signal(syscall.SIGKILL)
		p.Wait(5 * time.Second)
	}
}

// Package server is syncscope's native driver: it runs one core/node.Node
// on real TCP sockets, files, signals and the wall clock. One goroutine owns
// the node, like Redis's event loop; on Linux it also serves every socket
// through epoll (poller), elsewhere each connection has a reader and a
// writer goroutine (conn). The driver holds no Redis logic: it moves bytes
// and events in and applies the node's effects.
package server

import (
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"runtime/metrics"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/syncscope/syncscope/core/config"
	"github.com/syncscope/syncscope/core/node"
	"github.com/syncscope/syncscope/core/script"
	"github.com/syncscope/syncscope/core/script/lua"
	"github.com/syncscope/syncscope/core/store"
)

// Options are the facts about the process a Server cannot read from its
// Config.
type Options struct {
	// ConfigFile is the absolute path of the config file, "" when none.
	ConfigFile string
	// Stdout receives the log when the config names no logfile; nil means
	// os.Stdout.
	Stdout io.Writer

	// goroutineIO serves connections with a goroutine pair each even where
	// the poller works, so that tests cover both engines.
	goroutineIO bool
}

// ErrStartup is wrapped by the errors Start returns after it has already
// logged why, Redis-style, to the server's log: the caller only exits 1.
var ErrStartup = errors.New("server: start-up failed")

// Server is a running node with its listeners.
type Server struct {
	cfg *config.Config
	pid int
	log *logSink
	n   *node.Node
	// lns are the listeners: the loop replaces the TCP ones at CONFIG SET
	// port while Addrs may read them.
	lnMu sync.Mutex
	lns  []net.Listener
	pidf string // pidfile written at start, removed at exit

	events  chan event
	signals chan string
	stop    chan struct{} // closed when the loop exits: accept loops end
	exited  chan struct{}
	code    int

	nextID atomic.Uint64 // IDs of accepted connections (the node numbers its dials above 1<<62)

	// Owned by the loop goroutine.
	p         *poller // nil: a goroutine pair per connection
	conns     map[node.ConnID]link
	dialing   map[node.ConnID]func() // cancels a dial in progress
	eofs      []node.ConnID          // conns whose peer closed, to close after this turn's writes
	filesDone []node.FileDone        // config rewrites done while applying, to step after
	applyNow  time.Time              // the time of the Written events stepped while applying; zero until one is
	wakeAt    time.Time
	// While the node polls from inside a Step (busy), what would be
	// stepped is collected in polled instead; gone is set once the server
	// exited, even from there.
	polling   bool
	polled    []node.Event
	gone      bool
	snapsLive int               // snapshots being encoded
	procs     procs             // GOMAXPROCS while serving and while encoding
	snapsDone []*store.Snapshot // encoded, to release when none is live

	saving        sync.Mutex    // serialises writes of the temp RDB file
	newestFileJob atomic.Uint64 // ID of the newest snapshot that writes a file
}

// Start loads the dump, listens, creates the node and runs it until it asks
// to exit (see Wait). Errors wrapping ErrStartup have been logged already.
func Start(cfg *config.Config, opts Options) (*Server, error) {
	if cfg.Daemonize {
		return nil, errors.New("daemonize yes is not supported by syncscope-server: run it in the foreground (daemonize no) under a supervisor, or with & in a shell")
	}
	s := &Server{
		cfg:     cfg,
		pid:     os.Getpid(),
		events:  make(chan event, 4096),
		signals: make(chan string, 4),
		stop:    make(chan struct{}),
		exited:  make(chan struct{}),
		conns:   make(map[node.ConnID]link),
		dialing: make(map[node.ConnID]func()),
	}
	var err error
	if s.log, err = openLog(s.path(cfg.LogFile), opts.Stdout); err != nil {
		// Redis refuses the config in this case, with this report.
		return nil, &config.Error{Reason: "Can't open the log file: " + ErrText(err)}
	}
	fail := func(format string, args ...any) error {
		s.logf('#', format, args...)
		s.log.close()
		return fmt.Errorf("%w: "+format, append([]any{ErrStartup}, args...)...)
	}

	dump, err := os.ReadFile(s.path(cfg.DBFilename))
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, fail("Fatal error loading the DB: %s. Exiting.", ErrText(err))
	}
	if err := s.listen(); err != nil {
		return nil, fail("%s", err)
	}

	env := node.Env{
		Now:        time.Now(),
		Seed:       seed(),
		Pid:        s.pid,
		Dump:       dump,
		OS:         uname(),
		Arch:       "64",
		ConfigFile: opts.ConfigFile,
		MemoryUsed: heapInUse,
		LogIsTTY:   s.cfg.LogFile == "" && opts.Stdout == nil && isTerminal(os.Stdout),
		Scripting:  func() script.Engine { return lua.New() },
		Busy:       (*busy)(s),
		Listen:     s.relisten,
	}
	env.Executable, _ = os.Executable()
	if v := cfg.Get("aclfile"); len(v) == 1 && v[0][1] != "" {
		b, err := os.ReadFile(s.path(v[0][1]))
		if err != nil {
			env.ACLFileErr = ErrText(err)
		}
		env.ACLFile = string(b)
	}
	if s.n, err = node.New(cfg, env); err != nil {
		s.closeListeners()
		if s.n != nil { // the node logged why it refused the dump
			s.log.write(s.n.Ready().Logs, s.pid)
			s.log.close()
			return nil, fmt.Errorf("%w: %v", ErrStartup, err)
		}
		return nil, fail("%s", err)
	}
	if cfg.PidFile != "" {
		s.pidf = s.path(cfg.PidFile)
		if err := os.WriteFile(s.pidf, fmt.Appendf(nil, "%d\n", s.pid), 0o644); err != nil {
			s.logf('#', "Failed to write PID file: %s", ErrText(err))
			s.pidf = ""
		}
	}
	s.procs = newProcs()
	if !opts.goroutineIO {
		s.p = newPoller()
	}
	for _, ln := range s.lns {
		go s.acceptLoop(ln)
	}
	go s.loop()
	return s, nil
}

// Addrs returns the addresses the server listens on.
func (s *Server) Addrs() []net.Addr {
	s.lnMu.Lock()
	defer s.lnMu.Unlock()
	addrs := make([]net.Addr, len(s.lns))
	for i, ln := range s.lns {
		addrs[i] = ln.Addr()
	}
	return addrs
}

// Signal delivers a termination signal ("SIGTERM", "SIGINT") to the node,
// which then shuts down as Redis does (saving first when configured to);
// "SIGABRT" crashes the server with Redis's bug report, as its
// sigsegvHandler does.
func (s *Server) Signal(name string) {
	select {
	case s.signals <- name:
		if s.p != nil {
			s.p.wake()
		}
	case <-s.exited:
	}
}

// Wait blocks until the node has exited and returns its exit code.
func (s *Server) Wait() int {
	<-s.exited
	return s.code
}

// path resolves a file name from the config as Redis does after its
// chdir(dir): relative names are inside Dir.
func (s *Server) path(name string) string {
	if name == "" || filepath.IsAbs(name) {
		return name
	}
	return filepath.Join(s.cfg.Dir, name)
}

// logf writes a line of the driver's own in Redis's format.
func (s *Server) logf(level byte, format string, args ...any) {
	role := byte('M')
	if s.cfg.ReplicaOf != nil {
		role = 'S'
	}
	line := node.LogLine{Time: time.Now(), Level: level, Role: role, Text: fmt.Sprintf(format, args...)}
	s.log.write([]node.LogLine{line}, s.pid)
}

// listen opens a listener per bind address, worded like Redis on failure.
// An address written "-addr" is optional: skipped when the host lacks it.
func (s *Server) listen() error {
	if err := s.listenUnix(); err != nil {
		return err
	}
	if s.cfg.Port == 0 {
		return nil // Redis: port 0 means no TCP listener
	}
	lns, err := s.listenTCP(s.cfg.Port)
	if err != nil {
		s.closeListeners()
		return err
	}
	s.lns = append(s.lns, lns...)
	return nil
}

// listenTCP opens a listener on port per bind address (listenToPort),
// logging Redis's warning and closing those it opened when one fails.
func (s *Server) listenTCP(port int) ([]net.Listener, error) {
	var lns []net.Listener
	for _, b := range s.cfg.Bind {
		addr, optional := strings.CutPrefix(b, "-")
		network, host := "tcp4", addr
		switch {
		case addr == "*":
			host = "0.0.0.0"
		case addr == "::*":
			network, host = "tcp6", "::"
		case strings.Contains(addr, ":"):
			network = "tcp6"
		}
		ln, err := net.Listen(network, net.JoinHostPort(host, fmt.Sprint(port)))
		if err != nil {
			if optional && unavailable(err) {
				continue
			}
			for _, ln := range lns {
				ln.Close()
			}
			s.logf('#', "Warning: Could not create server TCP listening socket %s:%d: %s", addr, port, listenErrText(err))
			return nil, fmt.Errorf("Failed listening on port %d (TCP), aborting.", port)
		}
		lns = append(lns, ln)
	}
	if len(lns) == 0 {
		return nil, fmt.Errorf("Failed listening on port %d (TCP), aborting.", port)
	}
	return lns, nil
}

// relisten is Env.Listen (changeListenPort at CONFIG SET port): the TCP
// listeners move to port, or close for port 0. The new ones are opened
// first, so that a port in use leaves the server on its old one (Redis
// closes first and listens on the old port again when it rolls back).
func (s *Server) relisten(port int) error {
	var lns []net.Listener
	if port != 0 {
		var err error
		if lns, err = s.listenTCP(port); err != nil {
			return err
		}
	}
	s.lnMu.Lock()
	var keep []net.Listener // the unix socket's
	for _, ln := range s.lns {
		if _, tcp := ln.(*net.TCPListener); tcp {
			ln.Close()
		} else {
			keep = append(keep, ln)
		}
	}
	s.lns = append(keep, lns...)
	s.lnMu.Unlock()
	for _, ln := range lns {
		go s.acceptLoop(ln)
	}
	return nil
}

// listenUnix opens the unixsocket listener when one is configured, as
// Redis does: a stale socket file is removed first, unixsocketperm applied.
func (s *Server) listenUnix() error {
	var path, perm string
	for _, kv := range s.cfg.Get("unixsocket", "unixsocketperm") {
		switch kv[0] {
		case "unixsocket":
			path = kv[1]
		case "unixsocketperm":
			perm = kv[1]
		}
	}
	if path == "" {
		return nil
	}
	os.Remove(path)
	ln, err := net.Listen("unix", path)
	if err != nil {
		s.logf('#', "Failed opening Unix socket: %s", listenErrText(err))
		return errors.New("Failed opening Unix socket, aborting.")
	}
	if mode, err := strconv.ParseUint(perm, 8, 32); err == nil && mode != 0 {
		os.Chmod(path, os.FileMode(mode))
	}
	s.lns = append(s.lns, ln)
	return nil
}

// unavailable reports the errors for which Redis skips an optional bind
// address (the protocol or the address is missing on this host).
func unavailable(err error) bool {
	for _, e := range []syscall.Errno{syscall.ENOPROTOOPT, syscall.EPROTONOSUPPORT, syscall.ESOCKTNOSUPPORT, syscall.EPFNOSUPPORT, syscall.EAFNOSUPPORT, syscall.EADDRNOTAVAIL} {
		if errors.Is(err, e) {
			return true
		}
	}
	return false
}

// listenErrText is anetTcpServer's wording: the failing call, then strerror.
func listenErrText(err error) string {
	var op *net.OpError
	if errors.As(err, &op) {
		var sys *os.SyscallError
		if errors.As(op.Err, &sys) {
			return sys.Syscall + ": " + ErrText(sys.Err)
		}
	}
	return ErrText(err)
}

func (s *Server) closeListeners() {
	s.lnMu.Lock()
	defer s.lnMu.Unlock()
	for _, ln := range s.lns {
		ln.Close()
	}
}

func (s *Server) acceptLoop(ln net.Listener) {
	for {
		nc, err := ln.Accept()
		if err != nil {
			select {
			case <-s.stop:
				return
			default:
			}
			if errors.Is(err, net.ErrClosed) {
				return
			}
			// Out of file descriptors and the like: Redis logs and goes on.
			s.post(event{kind: evLog, err: "Accepting client connection: " + ErrText(err)})
			time.Sleep(10 * time.Millisecond)
			continue
		}
		// The loop adopts it and only then reads it, so the node knows the
		// connection before any of its bytes.
		peer, local := nc.RemoteAddr().String(), nc.LocalAddr().String()
		if ua, ok := ln.Addr().(*net.UnixAddr); ok {
			// Redis names both ends of a unix socket connection "<path>:0".
			peer, local = ua.Name+":0", ua.Name+":0"
		}
		s.post(event{kind: evAccepted, conn: node.ConnID(s.nextID.Add(1)), nc: nc, peer: peer, local: local})
	}
}

// isTerminal reports whether f is a character device, Redis's isatty test
// for showing the logo.
func isTerminal(f *os.File) bool {
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// seed draws the node's seed from the operating system.
func seed() [2]uint64 {
	var b [16]byte
	rand.Read(b[:])
	return [2]uint64{binary.LittleEndian.Uint64(b[:8]), binary.LittleEndian.Uint64(b[8:])}
}

// heapInUse is INFO's used_memory: what the Go heap holds, read without
// stopping the world.
func heapInUse() int64 {
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(sample)
	if sample[0].Value.Kind() != metrics.KindUint64 {
		return 0
	}
	return int64(sample[0].Value.Uint64())
}

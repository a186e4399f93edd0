// Command syncscope-server is syncscope's Redis-compatible server. It takes
// redis-server's command line:
//
//	syncscope-server [/path/to/redis.conf] [--directive value ...] [-]
package main

import (
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"syscall"
	"time"

	"github.com/syncscope/syncscope/core/config"
	"github.com/syncscope/syncscope/core/node"
	"github.com/syncscope/syncscope/native/server"
)

const usage = `Usage: syncscope-server [/path/to/redis.conf] [options] [-]
       syncscope-server - (read config from stdin)
       syncscope-server -v or --version
       syncscope-server -h or --help

Examples:
       syncscope-server (run the server with default conf)
       echo 'maxmemory 128mb' | syncscope-server -
       syncscope-server /etc/redis/6379.conf
       syncscope-server --port 7777
       syncscope-server --port 7777 --replicaof 127.0.0.1 8888
       syncscope-server /etc/myredis.conf --loglevel verbose -
       syncscope-server /etc/myredis.conf --loglevel verbose
`

// profileEnv names a file to write a CPU profile of the whole run to.
const profileEnv = "SYNCSCOPE_CPUPROFILE"

func main() {
	if path := os.Getenv(profileEnv); path != "" {
		f, err := os.Create(path)
		if err == nil {
			err = pprof.StartCPUProfile(f)
		}
		if err != nil {
			fmt.Fprintf(os.Stderr, "syncscope-server: %s: %v\n", profileEnv, err)
			os.Exit(1)
		}
		code := run(os.Args[1:], os.Stdout, os.Stderr)
		pprof.StopCPUProfile()
		f.Close()
		os.Exit(code)
	}
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 {
		switch args[0] {
		case "-v", "--version":
			fmt.Fprintln(stdout, version())
			return 0
		case "-h", "--help":
			fmt.Fprint(stderr, usage)
			return 1
		case "--test-memory", "--check-system", "--sentinel":
			fmt.Fprintf(stderr, "syncscope-server: %s is not supported\n", args[0])
			return 1
		}
	}
	args, playgroundAddr, err := takePlayground(args)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	configFile := ""
	if len(args) > 0 && args[0] != "-" && len(args[0]) > 0 && args[0][0] != '-' {
		// Redis names the file by its absolute path in messages and INFO.
		if abs, err := filepath.Abs(args[0]); err == nil {
			args = append([]string{abs}, args[1:]...)
		}
		configFile = args[0]
	}
	cfg, warnings, err := config.LoadEnv(args, config.Env{
		ReadFile:      readFile,
		Glob:          filepath.Glob,
		Chdir:         chdir,
		CommandExists: node.CommandExists,
	})
	if err != nil {
		var cerr *config.Error
		if errors.As(err, &cerr) && cerr.Open {
			// Redis logs this one rather than printing the FATAL report.
			line := node.LogLine{Time: time.Now(), Level: '#', Role: 'C', Text: err.Error()}
			fmt.Fprintln(stdout, line.Format(os.Getpid()))
		} else {
			fmt.Fprint(stderr, err.Error())
		}
		return 1
	}
	if cfg.Dir == "." {
		// No dir given: Redis's CONFIG GET dir (and CONFIG REWRITE) say
		// where it runs, as getcwd() does.
		if wd, err := os.Getwd(); err == nil {
			cfg.Dir = wd
		}
	}
	for _, w := range warnings {
		where := "command line"
		if w.File != "" {
			where = w.File
		} else if configFile != "" {
			where = configFile
		}
		fmt.Fprintf(stderr, "syncscope-server: %s:%d: %s: %s\n", where, w.Line, w.Directive, w.Text)
	}

	var playgroundLn net.Listener
	if playgroundAddr != "" {
		if playgroundLn, err = listenPlayground(playgroundAddr); err != nil {
			fmt.Fprintln(stderr, err)
			return 1
		}
		defer playgroundLn.Close()
	}
	// Caught from before the server runs: a signal during start-up waits
	// for it rather than taking Go's default action.
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, syscall.SIGTERM, syscall.SIGINT, syscall.SIGABRT)
	defer signal.Stop(sigs)
	srv, err := server.Start(cfg, server.Options{ConfigFile: configFile, Stdout: stdout})
	var cerr *config.Error
	switch {
	case err == nil:
	case errors.As(err, &cerr):
		fmt.Fprint(stderr, err.Error()) // ends with its own newline
		return 1
	case errors.Is(err, server.ErrStartup): // already in the log
		return 1
	default:
		fmt.Fprintln(stderr, err.Error())
		return 1
	}
	if playgroundLn != nil {
		servePlayground(playgroundLn, cfg.Port, stdout)
	}
	go func() {
		for sig := range sigs {
			name := "SIGTERM"
			switch sig {
			case syscall.SIGINT:
				name = "SIGINT"
			case syscall.SIGABRT:
				name = "SIGABRT" // Redis logs its bug report, then dies by it
				signal.Reset(syscall.SIGABRT)
			}
			srv.Signal(name)
		}
	}()
	return srv.Wait()
}

// readFile reads a config file ("-" = standard input) with its error worded
// as strerror, which is how Redis reports it.
func readFile(name string) ([]byte, error) {
	var b []byte
	var err error
	if name == "-" {
		b, err = io.ReadAll(os.Stdin)
	} else {
		b, err = os.ReadFile(name)
	}
	if err != nil {
		return nil, errors.New(server.ErrText(err))
	}
	return b, nil
}

// chdir enters dir as Redis's "dir" directive does, so relative paths in
// the config (logfile, pidfile) are inside it.
func chdir(dir string) (string, error) {
	if err := os.Chdir(dir); err != nil {
		return "", errors.New(server.ErrText(err))
	}
	wd, err := os.Getwd()
	if err != nil {
		return "", errors.New(server.ErrText(err))
	}
	return wd, nil
}

// version is the --version line, in redis-server's shape.
func version() string {
	sha, dirty := "00000000", "0"
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, s := range info.Settings {
			switch {
			case s.Key == "vcs.revision" && len(s.Value) >= 8:
				sha = s.Value[:8]
			case s.Key == "vcs.modified" && s.Value == "true":
				dirty = "1"
			}
		}
	}
	return fmt.Sprintf("syncscope server v=%s sha=%s:%s malloc=go bits=64 build=%s", node.Version, sha, dirty, runtime.Version())
}

// Package config reads redis.conf text and redis-server command lines into a
// Config, and implements the CONFIG GET / SET / REWRITE table, the way Redis
// 7.0.15 does: the same directives, aliases, defaults, value syntax, error
// texts and rewrite rules. It is pure text to Config: reading files,
// changing directory and knowing the command table come in through Env, so
// the browser build can run it too.
package config

import (
	"maps"
	"slices"
)

// Version is the Redis version this package is compatible with; it appears
// in the FATAL CONFIG FILE ERROR report.
const Version = "7.0.15"

// SavePoint is one "save <seconds> <changes>" rule.
type SavePoint struct{ Seconds, Changes int }

// HostPort is a master address (replicaof).
type HostPort struct {
	Host string
	Port int
}

// BufferLimit is one client-output-buffer-limit class: a client is closed
// when its output buffer reaches Hard bytes, or stays above Soft bytes for
// SoftSeconds.
type BufferLimit struct {
	Hard, Soft  int64
	SoftSeconds int
}

// Client classes of ClientOutputBufferLimits, in Redis's order.
const (
	ClassNormal = iota
	ClassReplica
	ClassPubSub
)

// Config is a redis-server configuration. The typed fields are the ones the
// node reads; they are the storage of their directives, so changing a field
// is what CONFIG SET does. Every other directive is kept too (CONFIG GET
// shows it, CONFIG REWRITE writes it) but has no typed field.
type Config struct {
	Port          int
	Bind          []string
	ProtectedMode bool
	RequirePass   string // "" = none
	Databases     int
	Hz            int

	Dir                     string
	DBFilename              string
	Save                    []SavePoint
	RDBCompression          bool
	RDBChecksum             bool
	StopWritesOnBgsaveError bool

	LogLevel  string // debug, verbose, notice, warning
	LogFile   string // "" = standard output
	PidFile   string
	Daemonize bool
	// AlwaysShowLogo prints the ASCII logo at start even when the log is
	// not a terminal (Redis's test harness waits for its "PID:" line).
	AlwaysShowLogo bool

	ReplicaOf                   *HostPort // nil = this node is a master
	MasterAuth, MasterUser      string
	ReplicaReadOnly             bool
	ReplicaServeStaleData       bool
	ReplBacklogSize             int64
	ReplBacklogTTL              int
	ReplPingReplicaPeriod       int
	ReplTimeout                 int
	ReplDisklessSync            bool
	ReplDisklessSyncDelay       int
	ReplDisklessSyncMaxReplicas int
	SlowlogLogSlowerThan        int64 // µs; negative: off
	SlowlogMaxLen               int64
	LatencyTracking             bool   // INFO latencystats: per-command histograms
	LatencyMonitorThreshold     int64  // ms; 0: LATENCY records no events
	ReplDisklessLoad            string // disabled, on-empty-db, swapdb
	ReplicaPriority             int
	ReplicaAnnounced            bool
	ReplicaAnnounceIP           string
	ReplicaAnnouncePort         int
	MinReplicasToWrite          int
	MinReplicasMaxLag           int
	// BusyReplyThreshold is busy-reply-threshold (lua-time-limit), in
	// ms: read on every script run, so kept typed.
	BusyReplyThreshold int64

	ClientOutputBufferLimits [3]BufferLimit // indexed by ClassNormal, ClassReplica, ClassPubSub
	ClientQueryBufferLimit   int64
	ProtoMaxBulkLen          int64
	MaxClients               int
	Timeout                  int
	TCPKeepalive             int

	MaxMemory       int64
	MaxMemoryPolicy string

	HashMaxListpackEntries int
	HashMaxListpackValue   int
	HLLSparseMaxBytes      int
	SetMaxIntsetEntries    int
	ZSetMaxListpackEntries int
	ZSetMaxListpackValue   int
	ListMaxListpackSize    int
	StreamNodeMaxBytes     int64
	StreamNodeMaxEntries   int64

	// RenameCommands maps a lower-cased command name to its new name, from
	// rename-command (config file only); "" disables the command.
	RenameCommands map[string]string
	// Users holds the arguments of each "user" directive (after "user"),
	// which the node applies as ACL users; LoadModules those of each
	// "loadmodule", ModuleConfigs the "module.name value" lines: kept for
	// the driver, not interpreted here.
	Users         [][]string
	LoadModules   [][]string
	ModuleConfigs map[string]string

	extra       map[string]any // directives without a typed field: *bool, *int64 or *string
	notify      int            // notify-keyspace-events flags
	oomValues   [3]int         // oom-score-adj-values
	percentiles []float64      // latency-tracking-info-percentiles
	env         Env
}

// Env is what parsing needs from the outside world. Every field is optional.
type Env struct {
	// ReadFile returns a file's text: the config file, included files, and
	// "-" for standard input. Its error text is reported as strerror would
	// be, e.g. "No such file or directory".
	ReadFile func(name string) ([]byte, error)
	// Glob expands an include pattern containing * ? or [ (no match = skip).
	// Nil: such includes match nothing.
	Glob func(pattern string) ([]string, error)
	// Chdir checks and enters the directory of "dir" (and CONFIG SET dir)
	// and returns the absolute path that CONFIG GET dir shows. Nil: the
	// value is kept as written.
	Chdir func(dir string) (string, error)
	// CommandExists tells whether rename-command may rename this command.
	// Nil: every name exists.
	CommandExists func(name string) bool
}

// Default returns the configuration redis-server 7.0.15 runs with when it is
// given no config file and no options (Dir is "." until a driver resolves it).
func Default() *Config {
	c := &Config{
		RenameCommands: map[string]string{},
		ModuleConfigs:  map[string]string{},
		extra:          map[string]any{},
	}
	for i := range params {
		p := &params[i]
		if p.field == nil && p.kind != kindSpecial {
			switch p.kind {
			case kindBool:
				c.extra[p.name] = new(bool)
			case kindNum:
				c.extra[p.name] = new(int64)
			default:
				c.extra[p.name] = new(string)
			}
		}
		if p.name == "replicaof" {
			continue // no default master
		}
		if msg := p.setValue(c, p.def, &loadState{}); msg != "" {
			panic("config: bad default for " + p.name + ": " + msg)
		}
	}
	return c
}

// Clone returns a deep copy of c.
func (c *Config) Clone() *Config {
	n := *c
	n.Bind = slices.Clone(c.Bind)
	n.Save = slices.Clone(c.Save)
	if c.ReplicaOf != nil {
		r := *c.ReplicaOf
		n.ReplicaOf = &r
	}
	n.RenameCommands = maps.Clone(c.RenameCommands)
	n.Users = slices.Clone(c.Users)
	n.LoadModules = slices.Clone(c.LoadModules)
	n.ModuleConfigs = maps.Clone(c.ModuleConfigs)
	n.percentiles = slices.Clone(c.percentiles)
	n.extra = make(map[string]any, len(c.extra))
	for k, v := range c.extra {
		switch v := v.(type) {
		case *bool:
			b := *v
			n.extra[k] = &b
		case *int64:
			i := *v
			n.extra[k] = &i
		case *string:
			s := *v
			n.extra[k] = &s
		}
	}
	return &n
}

// Implemented reports whether syncscope acts on a directive (by its name or
// alias). Parse warns about the others when a file changes them.
func Implemented(name string) bool {
	p := lookup(name)
	return p != nil && p.acted()
}

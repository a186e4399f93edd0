package config

import (
	"math"
	"strings"

	"github.com/syncscope/syncscope/core/cstr"
)

type kind uint8

const (
	kindBool kind = iota
	kindString
	kindEnum
	kindNum
	kindSpecial
)

type pflag uint16

const (
	immutable pflag = 1 << iota // CONFIG SET refuses it
	protected                   // CONFIG SET refuses it unless enable-protected-configs allows
	multiArg                    // takes several arguments (save, bind, ...)
	hidden                      // CONFIG GET shows it only when asked by exact name
	emptyNull                   // string: "" means unset, which CONFIG REWRITE drops
	memory                      // number: accepts 1k, 1kb, 1m, 1mb, 1g, 1gb
	percent                     // number: accepts N% (stored as -N)
	octal                       // number: written in base 8
	unsigned                    // number: bounds are compared as unsigned
	bitflags                    // enum: several names OR-ed together
)

type enumVal struct {
	name string
	val  int
}

// param is one row of the table: a directive and how to parse, show and
// rewrite it. Defaults are written the way CONFIG GET shows them.
type param struct {
	name, alias string
	kind        kind
	flags       pflag
	def         string
	lo          int64  // numbers: lower bound
	hi          uint64 // numbers: upper bound (as unsigned when the type is)
	enum        []enumVal
	check       func(v string) string // extra validity check: returns Redis's error text
	field       func(c *Config) any   // the typed field (*bool, *int, *int64, *string); nil = Config.extra
	implemented bool                  // special params syncscope acts on

	set     func(c *Config, args []string, st *loadState) string
	get     func(c *Config) string
	rewrite func(c *Config, p *param, rw *rewriter)
}

// loadState is what a set needs to know about the load in progress.
type loadState struct {
	file       bool // reading a config file (not CONFIG SET)
	saveLoaded bool // a save line was already read: append instead of reset
}

const (
	intMax   = math.MaxInt32
	intMin   = math.MinInt32
	uintMax  = math.MaxUint32
	longMax  = math.MaxInt64
	ullMax   = math.MaxUint64
	defaultH = "{title} {listen-addr} {server-mode}"
)

func pBool(name, alias string, flags pflag, def string, field func(*Config) any) param {
	return param{name: name, alias: alias, kind: kindBool, flags: flags, def: def, field: field}
}

func pStr(name, alias string, flags pflag, def string, check func(string) string, field func(*Config) any) param {
	return param{name: name, alias: alias, kind: kindString, flags: flags, def: def, check: check, field: field}
}

func pEnum(name, alias string, flags pflag, def string, enum []enumVal, field func(*Config) any) param {
	return param{name: name, alias: alias, kind: kindEnum, flags: flags, def: def, enum: enum, field: field}
}

func pNum(name, alias string, flags pflag, lo int64, hi uint64, def string, field func(*Config) any) param {
	return param{name: name, alias: alias, kind: kindNum, flags: flags, lo: lo, hi: hi, def: def, field: field}
}

// acted marks a param kept in Config.extra that the node acts on all the
// same (it reads it with Get), so that setting it draws no warning.
func acted(p param) param {
	p.implemented = true
	return p
}

func names(ns ...string) []enumVal {
	e := make([]enumVal, len(ns))
	for i, n := range ns {
		e[i] = enumVal{n, i}
	}
	return e
}

var (
	yesNoLocal = names("no", "yes", "local")
	shutdownOn = []enumVal{{"default", 0}, {"save", 1}, {"nosave", 2}, {"now", 4}, {"force", 8}}
)

// params is the directive table of Redis 7.0.15 (config.c standardConfig),
// sorted by name.
var params = []param{
	pEnum("acl-pubsub-default", "", 0, "resetchannels", []enumVal{{"allchannels", 1}, {"resetchannels", 0}}, nil),
	pStr("aclfile", "", immutable, "", nil, nil),
	pNum("acllog-max-len", "", 0, 0, longMax, "128", nil),
	pNum("active-defrag-cycle-max", "", 0, 1, 99, "25", nil),
	pNum("active-defrag-cycle-min", "", 0, 1, 99, "1", nil),
	pNum("active-defrag-ignore-bytes", "", memory|unsigned, 1, longMax, "104857600", nil),
	pNum("active-defrag-max-scan-fields", "", 0, 1, longMax, "1000", nil),
	pNum("active-defrag-threshold-lower", "", 0, 0, 1000, "10", nil),
	pNum("active-defrag-threshold-upper", "", 0, 0, 1000, "100", nil),
	pNum("active-expire-effort", "", 0, 1, 10, "1", nil),
	{name: "activedefrag", kind: kindBool, def: "no", check: checkActiveDefrag},
	pBool("activerehashing", "", 0, "yes", nil),
	pBool("always-show-logo", "", immutable, "no", func(c *Config) any { return &c.AlwaysShowLogo }),
	pBool("aof-disable-auto-gc", "", 0, "no", nil),
	pBool("aof-load-truncated", "", 0, "yes", nil),
	pBool("aof-rewrite-incremental-fsync", "", 0, "yes", nil),
	pBool("aof-timestamp-enabled", "", 0, "no", nil),
	pBool("aof-use-rdb-preamble", "", 0, "yes", nil),
	pStr("aof_rewrite_cpulist", "", immutable|emptyNull, "", nil, nil),
	pStr("appenddirname", "", immutable, "appendonlydir", checkBaseName("appenddirname", "dirname", false), nil),
	pStr("appendfilename", "", immutable, "appendonly.aof", checkBaseName("appendfilename", "filename", false), nil),
	pEnum("appendfsync", "", 0, "everysec", names("everysec", "always", "no"), nil),
	pBool("appendonly", "", 0, "no", nil),
	pNum("auto-aof-rewrite-min-size", "", memory, 0, longMax, "67108864", nil),
	pNum("auto-aof-rewrite-percentage", "", 0, 0, intMax, "100", nil),
	pStr("bgsave_cpulist", "", immutable|emptyNull, "", nil, nil),
	{name: "bind", kind: kindSpecial, flags: multiArg, def: "* -::*", set: setBind, get: getBind, rewrite: rewriteBind, implemented: true},
	pStr("bind-source-addr", "", emptyNull, "", nil, nil),
	pStr("bio_cpulist", "", immutable|emptyNull, "", nil, nil),
	pNum("busy-reply-threshold", "lua-time-limit", 0, 0, longMax, "5000", func(c *Config) any { return &c.BusyReplyThreshold }),
	{name: "client-output-buffer-limit", kind: kindSpecial, flags: multiArg, def: "normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60",
		set: setOBufLimit, get: getOBufLimit, rewrite: rewriteOBufLimit, implemented: true},
	pNum("client-query-buffer-limit", "", memory|unsigned, 1024*1024, longMax, "1073741824", func(c *Config) any { return &c.ClientQueryBufferLimit }),
	pBool("cluster-allow-pubsubshard-when-down", "", 0, "yes", nil),
	pBool("cluster-allow-reads-when-down", "", 0, "no", nil),
	pBool("cluster-allow-replica-migration", "", 0, "yes", nil),
	pNum("cluster-announce-bus-port", "", 0, 0, 65535, "0", nil),
	pStr("cluster-announce-hostname", "", emptyNull, "", checkHostname, nil),
	pStr("cluster-announce-ip", "", emptyNull, "", nil, nil),
	pNum("cluster-announce-port", "", 0, 0, 65535, "0", nil),
	pNum("cluster-announce-tls-port", "", 0, 0, 65535, "0", nil),
	pStr("cluster-config-file", "", immutable, "nodes.conf", nil, nil),
	pBool("cluster-enabled", "", immutable, "no", nil),
	pNum("cluster-link-sendbuf-limit", "", memory|unsigned, 0, ullMax, "0", nil),
	pNum("cluster-migration-barrier", "", 0, 0, intMax, "1", nil),
	pNum("cluster-node-timeout", "", 0, 0, longMax, "15000", nil),
	pNum("cluster-port", "", immutable, 0, 65535, "0", nil),
	pEnum("cluster-preferred-endpoint-type", "", 0, "ip", names("ip", "hostname", "unknown-endpoint"), nil),
	pBool("cluster-replica-no-failover", "cluster-slave-no-failover", 0, "no", nil),
	pNum("cluster-replica-validity-factor", "cluster-slave-validity-factor", 0, 0, intMax, "10", nil),
	pBool("cluster-require-full-coverage", "", 0, "yes", nil),
	pBool("crash-log-enabled", "", 0, "yes", nil),
	pBool("crash-memcheck-enabled", "", 0, "yes", nil),
	pBool("daemonize", "", immutable, "no", func(c *Config) any { return &c.Daemonize }),
	pNum("databases", "", immutable, 1, intMax, "16", func(c *Config) any { return &c.Databases }),
	pStr("dbfilename", "", protected, "dump.rdb", checkBaseName("dbfilename", "filename", true), func(c *Config) any { return &c.DBFilename }),
	{name: "dir", kind: kindSpecial, flags: protected, def: ".", set: setDir, get: func(c *Config) string { return c.Dir }, rewrite: rewriteDir, implemented: true},
	pBool("disable-thp", "", immutable, "yes", nil),
	pBool("dynamic-hz", "", 0, "yes", nil),
	acted(pEnum("enable-debug-command", "", immutable, "no", yesNoLocal, nil)), // read by the node through Get
	pEnum("enable-module-command", "", immutable, "no", yesNoLocal, nil),
	pEnum("enable-protected-configs", "", immutable, "no", yesNoLocal, nil),
	pNum("hash-max-listpack-entries", "hash-max-ziplist-entries", unsigned, 0, longMax, "512", func(c *Config) any { return &c.HashMaxListpackEntries }),
	pNum("hash-max-listpack-value", "hash-max-ziplist-value", memory|unsigned, 0, longMax, "64", func(c *Config) any { return &c.HashMaxListpackValue }),
	pNum("hll-sparse-max-bytes", "", memory|unsigned, 0, longMax, "3000", func(c *Config) any { return &c.HLLSparseMaxBytes }),
	{name: "hz", kind: kindNum, lo: 0, hi: intMax, def: "10", field: func(c *Config) any { return &c.Hz }},
	pStr("ignore-warnings", "", 0, "", nil, nil),
	pNum("io-threads", "", immutable, 1, 128, "1", nil),
	pBool("io-threads-do-reads", "", immutable, "no", nil),
	pBool("jemalloc-bg-thread", "", 0, "yes", nil),
	pNum("key-load-delay", "", hidden, intMin, intMax, "0", nil),
	pNum("latency-monitor-threshold", "", 0, 0, longMax, "0", func(c *Config) any { return &c.LatencyMonitorThreshold }),
	pBool("latency-tracking", "", 0, "yes", func(c *Config) any { return &c.LatencyTracking }),
	{name: "latency-tracking-info-percentiles", kind: kindSpecial, flags: multiArg, def: "50 99 99.9",
		set: setPercentiles, get: getPercentiles, rewrite: rewritePercentiles},
	pBool("lazyfree-lazy-eviction", "", 0, "no", nil),
	pBool("lazyfree-lazy-expire", "", 0, "no", nil),
	pBool("lazyfree-lazy-server-del", "", 0, "no", nil),
	pBool("lazyfree-lazy-user-del", "", 0, "no", nil),
	pBool("lazyfree-lazy-user-flush", "", 0, "no", nil),
	pNum("lfu-decay-time", "", 0, 0, intMax, "1", nil),
	pNum("lfu-log-factor", "", 0, 0, intMax, "10", nil),
	pNum("list-compress-depth", "", 0, 0, intMax, "0", nil),
	{name: "list-max-listpack-size", alias: "list-max-ziplist-size", kind: kindNum, lo: intMin, hi: intMax, def: "-2",
		field: func(c *Config) any { return &c.ListMaxListpackSize }},
	pNum("loading-process-events-interval-bytes", "", hidden, 1024, intMax, "2097152", nil),
	pStr("logfile", "", immutable, "", nil, func(c *Config) any { return &c.LogFile }),
	pEnum("loglevel", "", 0, "notice", names("debug", "verbose", "notice", "warning"), func(c *Config) any { return &c.LogLevel }),
	pStr("masterauth", "", emptyNull, "", nil, func(c *Config) any { return &c.MasterAuth }),
	pStr("masteruser", "", emptyNull, "", nil, func(c *Config) any { return &c.MasterUser }),
	pNum("maxclients", "", unsigned, 1, uintMax, "10000", func(c *Config) any { return &c.MaxClients }),
	pNum("maxmemory", "", memory|unsigned, 0, ullMax, "0", func(c *Config) any { return &c.MaxMemory }),
	{name: "maxmemory-clients", kind: kindNum, flags: memory | percent, lo: -100, hi: longMax, def: "0"},
	pNum("maxmemory-eviction-tenacity", "", 0, 0, 100, "10", nil),
	pEnum("maxmemory-policy", "", 0, "noeviction", []enumVal{{"volatile-lru", 0}, {"volatile-lfu", 1}, {"volatile-random", 2}, {"volatile-ttl", 3},
		{"allkeys-lru", 4}, {"allkeys-lfu", 5}, {"allkeys-random", 6}, {"noeviction", 7}}, func(c *Config) any { return &c.MaxMemoryPolicy }),
	pNum("maxmemory-samples", "", 0, 1, intMax, "5", nil),
	pNum("min-replicas-max-lag", "min-slaves-max-lag", 0, 0, intMax, "10", func(c *Config) any { return &c.MinReplicasMaxLag }),
	pNum("min-replicas-to-write", "min-slaves-to-write", 0, 0, intMax, "0", func(c *Config) any { return &c.MinReplicasToWrite }),
	pBool("no-appendfsync-on-rewrite", "", 0, "no", nil),
	{name: "notify-keyspace-events", kind: kindSpecial, def: "", set: setNotify, get: func(c *Config) string { return notifyFlagsString(c.notify) }, rewrite: rewriteNotify},
	pEnum("oom-score-adj", "", 0, "no", []enumVal{{"no", 0}, {"yes", 1}, {"relative", 1}, {"absolute", 2}}, nil),
	{name: "oom-score-adj-values", kind: kindSpecial, flags: multiArg, def: "0 200 800", set: setOOMValues, get: getOOMValues, rewrite: rewriteOOMValues},
	pStr("pidfile", "", immutable|emptyNull, "", nil, func(c *Config) any { return &c.PidFile }),
	pNum("port", "", 0, 0, 65535, "6379", func(c *Config) any { return &c.Port }),
	pStr("proc-title-template", "", 0, defaultH, checkProcTitle, nil),
	pEnum("propagation-error-behavior", "", 0, "ignore", names("ignore", "panic", "panic-on-replicas"), nil),
	pBool("protected-mode", "", 0, "yes", func(c *Config) any { return &c.ProtectedMode }),
	pNum("proto-max-bulk-len", "", memory, 1024*1024, longMax, "536870912", func(c *Config) any { return &c.ProtoMaxBulkLen }),
	pBool("rdb-del-sync-files", "", 0, "no", nil),
	pNum("rdb-key-save-delay", "", hidden, intMin, intMax, "0", nil),
	pBool("rdb-save-incremental-fsync", "", 0, "yes", nil),
	pBool("rdbchecksum", "", immutable, "yes", func(c *Config) any { return &c.RDBChecksum }),
	pBool("rdbcompression", "", 0, "yes", func(c *Config) any { return &c.RDBCompression }),
	pNum("repl-backlog-size", "", memory, 1, longMax, "1048576", func(c *Config) any { return &c.ReplBacklogSize }),
	pNum("repl-backlog-ttl", "", 0, 0, longMax, "3600", func(c *Config) any { return &c.ReplBacklogTTL }),
	pBool("repl-disable-tcp-nodelay", "", 0, "no", nil),
	pEnum("repl-diskless-load", "", 0, "disabled", names("disabled", "on-empty-db", "swapdb"), func(c *Config) any { return &c.ReplDisklessLoad }),
	pBool("repl-diskless-sync", "", 0, "yes", func(c *Config) any { return &c.ReplDisklessSync }),
	pNum("repl-diskless-sync-delay", "", 0, 0, intMax, "5", func(c *Config) any { return &c.ReplDisklessSyncDelay }),
	pNum("repl-diskless-sync-max-replicas", "", 0, 0, intMax, "0", func(c *Config) any { return &c.ReplDisklessSyncMaxReplicas }),
	pNum("repl-ping-replica-period", "repl-ping-slave-period", 0, 1, intMax, "10", func(c *Config) any { return &c.ReplPingReplicaPeriod }),
	pNum("repl-timeout", "", 0, 1, intMax, "60", func(c *Config) any { return &c.ReplTimeout }),
	pStr("replica-announce-ip", "slave-announce-ip", emptyNull, "", nil, func(c *Config) any { return &c.ReplicaAnnounceIP }),
	pNum("replica-announce-port", "slave-announce-port", 0, 0, 65535, "0", func(c *Config) any { return &c.ReplicaAnnouncePort }),
	pBool("replica-announced", "", 0, "yes", func(c *Config) any { return &c.ReplicaAnnounced }),
	pBool("replica-ignore-disk-write-errors", "", 0, "no", nil),
	pBool("replica-ignore-maxmemory", "slave-ignore-maxmemory", 0, "yes", nil),
	pBool("replica-lazy-flush", "slave-lazy-flush", 0, "no", nil),
	pNum("replica-priority", "slave-priority", 0, 0, intMax, "100", func(c *Config) any { return &c.ReplicaPriority }),
	pBool("replica-read-only", "slave-read-only", 0, "yes", func(c *Config) any { return &c.ReplicaReadOnly }),
	pBool("replica-serve-stale-data", "slave-serve-stale-data", 0, "yes", func(c *Config) any { return &c.ReplicaServeStaleData }),
	{name: "replicaof", alias: "slaveof", kind: kindSpecial, flags: immutable | multiArg, set: setReplicaOf, get: getReplicaOf, rewrite: rewriteReplicaOf, implemented: true},
	pStr("requirepass", "", emptyNull, "", nil, func(c *Config) any { return &c.RequirePass }),
	pEnum("sanitize-dump-payload", "", 0, "no", names("no", "yes", "clients"), nil),
	{name: "save", kind: kindSpecial, flags: multiArg, def: "3600 1 300 100 60 10000", set: setSave, get: getSave, rewrite: rewriteSave, implemented: true},
	pStr("server_cpulist", "", immutable|emptyNull, "", nil, nil),
	pNum("set-max-intset-entries", "", unsigned, 0, longMax, "512", func(c *Config) any { return &c.SetMaxIntsetEntries }),
	pBool("set-proc-title", "", immutable, "yes", nil),
	{name: "shutdown-on-sigint", kind: kindEnum, flags: multiArg | bitflags, def: "default", enum: shutdownOn, check: checkShutdownFlags},
	{name: "shutdown-on-sigterm", kind: kindEnum, flags: multiArg | bitflags, def: "default", enum: shutdownOn, check: checkShutdownFlags},
	acted(pNum("shutdown-timeout", "", 0, 0, intMax, "10", nil)), // read by the node through Get
	pNum("slowlog-log-slower-than", "", 0, -1, longMax, "10000", func(c *Config) any { return &c.SlowlogLogSlowerThan }),
	pNum("slowlog-max-len", "", 0, 0, longMax, "128", func(c *Config) any { return &c.SlowlogMaxLen }),
	pNum("socket-mark-id", "", immutable|unsigned, 0, uintMax, "0", nil),
	pBool("stop-writes-on-bgsave-error", "", 0, "yes", func(c *Config) any { return &c.StopWritesOnBgsaveError }),
	pNum("stream-node-max-bytes", "", memory|unsigned, 0, longMax, "4096", func(c *Config) any { return &c.StreamNodeMaxBytes }),
	pNum("stream-node-max-entries", "", 0, 0, longMax, "100", func(c *Config) any { return &c.StreamNodeMaxEntries }),
	pEnum("supervised", "", immutable, "no", names("upstart", "systemd", "auto", "no"), nil),
	pBool("syslog-enabled", "", immutable, "no", nil),
	pEnum("syslog-facility", "", immutable, "local0", names("user", "local0", "local1", "local2", "local3", "local4", "local5", "local6", "local7"), nil),
	pStr("syslog-ident", "", immutable, "redis", nil, nil),
	pNum("tcp-backlog", "", immutable, 0, intMax, "511", nil),
	pNum("tcp-keepalive", "", 0, 0, intMax, "300", func(c *Config) any { return &c.TCPKeepalive }),
	pNum("timeout", "", 0, 0, intMax, "0", func(c *Config) any { return &c.Timeout }),
	pEnum("tls-auth-clients", "", 0, "yes", names("no", "yes", "optional"), nil),
	pStr("tls-ca-cert-dir", "", emptyNull, "", nil, nil),
	pStr("tls-ca-cert-file", "", emptyNull, "", nil, nil),
	pStr("tls-cert-file", "", emptyNull, "", nil, nil),
	pStr("tls-ciphers", "", emptyNull, "", nil, nil),
	pStr("tls-ciphersuites", "", emptyNull, "", nil, nil),
	pStr("tls-client-cert-file", "", emptyNull, "", nil, nil),
	pStr("tls-client-key-file", "", emptyNull, "", nil, nil),
	pStr("tls-client-key-file-pass", "", emptyNull, "", nil, nil),
	pBool("tls-cluster", "", 0, "no", nil),
	pStr("tls-dh-params-file", "", emptyNull, "", nil, nil),
	pStr("tls-key-file", "", emptyNull, "", nil, nil),
	pStr("tls-key-file-pass", "", emptyNull, "", nil, nil),
	pNum("tls-port", "", 0, 0, 65535, "0", nil),
	pBool("tls-prefer-server-ciphers", "", 0, "no", nil),
	pStr("tls-protocols", "", emptyNull, "", nil, nil),
	pBool("tls-replication", "", 0, "no", nil),
	pNum("tls-session-cache-size", "", 0, 0, intMax, "20480", nil),
	pNum("tls-session-cache-timeout", "", 0, 0, intMax, "300", nil),
	pBool("tls-session-caching", "", 0, "yes", nil),
	pNum("tracking-table-max-keys", "", unsigned, 0, longMax, "1000000", nil),
	pStr("unixsocket", "", immutable|emptyNull, "", nil, nil),
	pNum("unixsocketperm", "", immutable|octal|unsigned, 0, 0o777, "0", nil),
	pBool("use-exit-on-panic", "", hidden, "no", nil),
	pNum("watchdog-period", "", hidden, 0, intMax, "0", nil),
	pNum("zset-max-listpack-entries", "zset-max-ziplist-entries", unsigned, 0, longMax, "128", func(c *Config) any { return &c.ZSetMaxListpackEntries }),
	pNum("zset-max-listpack-value", "zset-max-ziplist-value", memory|unsigned, 0, longMax, "64", func(c *Config) any { return &c.ZSetMaxListpackValue }),
}

// acted reports whether syncscope acts on p: the typed fields and the
// special params marked implemented.
func (p *param) acted() bool { return p.field != nil || p.implemented }

// deprecated directives are accepted (with exactly one value) and ignored.
var deprecated = []string{"list-max-ziplist-entries", "list-max-ziplist-value", "lua-replicate-commands"}

// lookup finds a directive by name or alias, case-insensitively.
func lookup(name string) *param {
	lo, hi := 0, len(params)
	for lo < hi { // binary search on the sorted primary names
		m := (lo + hi) / 2
		switch c := compareFold(params[m].name, name); {
		case c == 0:
			return &params[m]
		case c < 0:
			lo = m + 1
		default:
			hi = m
		}
	}
	for i := range params {
		if params[i].alias != "" && strings.EqualFold(params[i].alias, name) {
			return &params[i]
		}
	}
	return nil
}

// compareFold compares a lower-case table name with an input name as if
// the input were lower-cased too.
func compareFold(tableName, name string) int {
	for i := 0; i < len(tableName) && i < len(name); i++ {
		a, b := tableName[i], cstr.Lower(name[i])
		if a != b {
			if a < b {
				return -1
			}
			return 1
		}
	}
	return len(tableName) - len(name)
}

package node

import (
	"fmt"
	"sort"
	"strings"
)

// infoSections are INFO's sections in Redis's order; the bool says whether
// the section is in the default set.
var infoSections = []struct {
	name    string
	deflt   bool
	render  func(n *Node, sb *strings.Builder)
	heading string
}{
	{"server", true, (*Node).infoServer, "Server"},
	{"clients", true, (*Node).infoClients, "Clients"},
	{"memory", true, (*Node).infoMemory, "Memory"},
	{"persistence", true, (*Node).infoPersistence, "Persistence"},
	{"stats", true, (*Node).infoStats, "Stats"},
	{"replication", true, (*Node).infoReplication, "Replication"},
	{"cpu", true, (*Node).infoCPU, "CPU"},
	{"modules", true, func(*Node, *strings.Builder) {}, "Modules"},
	{"commandstats", false, (*Node).infoCommandStats, "Commandstats"},
	{"errorstats", true, (*Node).infoErrorStats, "Errorstats"},
	{"latencystats", false, (*Node).infoLatencyStats, "Latencystats"},
	{"cluster", true, func(_ *Node, sb *strings.Builder) { sb.WriteString("cluster_enabled:0\r\n") }, "Cluster"},
	{"keyspace", true, (*Node).infoKeyspace, "Keyspace"},
}

// Info renders INFO for the given section names (none = the default set).
func (n *Node) Info(sections ...string) string {
	want := map[string]bool{}
	all, everything := false, false
	for _, s := range sections {
		s = strings.ToLower(s)
		switch s {
		case "all":
			all = true
		case "everything":
			everything = true
		case "default":
			for _, sec := range infoSections {
				if sec.deflt {
					want[sec.name] = true
				}
			}
		default:
			want[s] = true
		}
	}
	if len(sections) == 0 {
		for _, sec := range infoSections {
			if sec.deflt {
				want[sec.name] = true
			}
		}
	}
	var sb strings.Builder
	for _, sec := range infoSections {
		if !(want[sec.name] || everything || all && sec.name != "modules") {
			continue
		}
		if sb.Len() > 0 {
			sb.WriteString("\r\n")
		}
		sb.WriteString("# " + sec.heading + "\r\n")
		sec.render(n, &sb)
	}
	return sb.String()
}

func cmdInfo(n *Node, c *client, args [][]byte) {
	var secs []string
	for _, a := range args[1:] {
		secs = append(secs, string(a))
	}
	c.out.Verbatim("txt", n.Info(secs...))
}

func kv(sb *strings.Builder, key string, val any) {
	fmt.Fprintf(sb, "%s:%v\r\n", key, val)
}

func (n *Node) infoServer(sb *strings.Builder) {
	uptime := int64(n.now.Sub(n.started).Seconds())
	hz := n.cfg.Hz
	kv(sb, "redis_version", Version)
	kv(sb, "redis_git_sha1", "00000000")
	kv(sb, "redis_git_dirty", 0)
	kv(sb, "redis_build_id", "syncscope")
	kv(sb, "redis_mode", "standalone")
	kv(sb, "os", orDefault(n.env.OS, "syncscope"))
	kv(sb, "arch_bits", 64)
	kv(sb, "monotonic_clock", "syncscope driver clock")
	kv(sb, "multiplexing_api", "syncscope")
	kv(sb, "atomicvar_api", "none")
	kv(sb, "gcc_version", "0.0.0")
	kv(sb, "process_id", n.env.Pid)
	kv(sb, "process_supervised", "no")
	kv(sb, "run_id", n.repl.runID)
	kv(sb, "tcp_port", n.cfg.Port)
	kv(sb, "server_time_usec", n.now.UnixMicro())
	kv(sb, "uptime_in_seconds", uptime)
	kv(sb, "uptime_in_days", uptime/86400)
	kv(sb, "hz", hz)
	kv(sb, "configured_hz", hz)
	kv(sb, "lru_clock", (n.now.UnixMilli()/1000)&(1<<24-1))
	kv(sb, "executable", n.env.Executable)
	kv(sb, "config_file", n.env.ConfigFile)
	kv(sb, "io_threads_active", 0)
}

func orDefault(s, d string) string {
	if s == "" {
		return d
	}
	return s
}

func (n *Node) infoClients(sb *strings.Builder) {
	// Redis 7.0 counts the clients a pause holds (BLOCKED_POSTPONE) as
	// blocked; only a client with a deadline waits in the timeout table,
	// which a paused one and a block "forever" (timeout 0) do not have.
	blocked, timed := 0, 0
	normal := 0
	for _, c := range n.order {
		if c.blocked != nil {
			blocked++
			if !c.blocked.postponed && !c.blocked.timeout.IsZero() {
				timed++
			}
		}
		if c.replica == nil {
			normal++
		}
	}
	kv(sb, "connected_clients", normal)
	kv(sb, "cluster_connections", 0)
	kv(sb, "maxclients", n.cfg.MaxClients)
	kv(sb, "client_recent_max_input_buffer", 0)
	kv(sb, "client_recent_max_output_buffer", 0)
	kv(sb, "blocked_clients", blocked)
	kv(sb, "tracking_clients", 0)
	kv(sb, "clients_in_timeout_table", timed)
}

// humanBytes formats like Redis's bytesToHuman.
func humanBytes(b int64) string {
	f := float64(b)
	switch {
	case b < 1024:
		return fmt.Sprintf("%dB", b)
	case b < 1024*1024:
		return fmt.Sprintf("%.2fK", f/1024)
	case b < 1024*1024*1024:
		return fmt.Sprintf("%.2fM", f/(1024*1024))
	case b < 1024*1024*1024*1024:
		return fmt.Sprintf("%.2fG", f/(1024*1024*1024))
	}
	return fmt.Sprintf("%.2fT", f/(1024*1024*1024*1024))
}

func (n *Node) usedMemory() int64 {
	if n.env.MemoryUsed != nil {
		return n.env.MemoryUsed()
	}
	return int64(1<<20 + n.st.Len()*64)
}

func (n *Node) infoMemory(sb *strings.Builder) {
	mh := n.memoryOverhead()
	used := mh.total
	total := mh.backlog + mh.replicas
	kv(sb, "used_memory", used)
	kv(sb, "used_memory_human", humanBytes(used))
	kv(sb, "used_memory_rss", used)
	kv(sb, "used_memory_rss_human", humanBytes(used))
	kv(sb, "used_memory_peak", used)
	kv(sb, "used_memory_peak_human", humanBytes(used))
	kv(sb, "used_memory_peak_perc", "100.00%")
	kv(sb, "used_memory_overhead", mh.overheadTotal)
	kv(sb, "used_memory_startup", mh.startup)
	kv(sb, "used_memory_dataset", mh.dataset)
	kv(sb, "used_memory_dataset_perc", fmt.Sprintf("%.2f%%", mh.datasetPerc))
	scripts, libs, funcs := n.scriptCounts()
	kv(sb, "number_of_cached_scripts", scripts)
	kv(sb, "number_of_functions", funcs)
	kv(sb, "number_of_libraries", libs)
	kv(sb, "maxmemory", n.cfg.MaxMemory)
	kv(sb, "maxmemory_human", humanBytes(n.cfg.MaxMemory))
	kv(sb, "maxmemory_policy", n.cfg.MaxMemoryPolicy)
	kv(sb, "mem_fragmentation_ratio", "1.00")
	kv(sb, "mem_replication_backlog", mh.backlog)
	kv(sb, "mem_total_replication_buffers", total)
	kv(sb, "mem_clients_slaves", mh.replicas)
	kv(sb, "mem_clients_normal", mh.clientsNormal)
	kv(sb, "mem_aof_buffer", 0)
	kv(sb, "mem_allocator", "go")
	kv(sb, "active_defrag_running", 0)
	kv(sb, "lazyfree_pending_objects", 0)
	kv(sb, "lazyfreed_objects", 0)
}

func (n *Node) infoPersistence(sb *strings.Builder) {
	p := &n.persist
	inProgress := 0
	current := int64(-1)
	if p.bgsave != nil {
		inProgress = 1
		current = int64(n.now.Sub(p.bgsave.started).Seconds())
	}
	status := "ok"
	if !p.lastBgsaveOK {
		status = "err"
	}
	loading, async := n.loadingNow()
	kv(sb, "loading", boolInt(loading && !async))
	kv(sb, "async_loading", boolInt(async))
	kv(sb, "current_cow_peak", 0)
	kv(sb, "current_cow_size", 0)
	kv(sb, "current_cow_size_age", 0)
	kv(sb, "current_fork_perc", "0.00")
	kv(sb, "current_save_keys_processed", 0)
	kv(sb, "current_save_keys_total", 0)
	kv(sb, "rdb_changes_since_last_save", p.dirty)
	kv(sb, "rdb_bgsave_in_progress", inProgress)
	kv(sb, "rdb_last_save_time", p.lastSave.Unix())
	kv(sb, "rdb_last_bgsave_status", status)
	kv(sb, "rdb_last_bgsave_time_sec", p.lastBgsaveSecs)
	kv(sb, "rdb_current_bgsave_time_sec", current)
	kv(sb, "rdb_saves", p.saves)
	kv(sb, "rdb_last_cow_size", 0)
	kv(sb, "rdb_last_load_keys_expired", p.lastLoadExpired)
	kv(sb, "rdb_last_load_keys_loaded", p.lastLoadKeys)
	kv(sb, "aof_enabled", 0)
	kv(sb, "aof_rewrite_in_progress", 0)
	kv(sb, "aof_rewrite_scheduled", 0)
	kv(sb, "aof_last_rewrite_time_sec", -1)
	kv(sb, "aof_current_rewrite_time_sec", -1)
	kv(sb, "aof_last_bgrewrite_status", "ok")
	kv(sb, "aof_rewrites", 0)
	kv(sb, "aof_rewrites_consecutive_failures", 0)
	kv(sb, "aof_last_write_status", "ok")
	kv(sb, "aof_last_cow_size", 0)
	kv(sb, "module_fork_in_progress", 0)
	kv(sb, "module_fork_last_cow_size", 0)
}

func (n *Node) infoStats(sb *strings.Builder) {
	s := &n.stats
	kv(sb, "total_connections_received", s.connections)
	kv(sb, "total_commands_processed", s.commands)
	kv(sb, "instantaneous_ops_per_sec", 0)
	kv(sb, "total_net_input_bytes", s.netIn)
	kv(sb, "total_net_output_bytes", s.netOut)
	kv(sb, "total_net_repl_input_bytes", n.repl.netIn)
	kv(sb, "total_net_repl_output_bytes", n.repl.netOut)
	kv(sb, "instantaneous_input_kbps", "0.00")
	kv(sb, "instantaneous_output_kbps", "0.00")
	kv(sb, "instantaneous_input_repl_kbps", "0.00")
	kv(sb, "instantaneous_output_repl_kbps", "0.00")
	kv(sb, "rejected_connections", s.rejected)
	kv(sb, "sync_full", s.syncFull)
	kv(sb, "sync_partial_ok", s.syncPartialOK)
	kv(sb, "sync_partial_err", s.syncPartialErr)
	kv(sb, "expired_keys", n.st.ExpiredKeys)
	kv(sb, "expired_stale_perc", "0.00")
	kv(sb, "expired_time_cap_reached_count", 0)
	kv(sb, "expire_cycle_cpu_milliseconds", 0)
	kv(sb, "evicted_keys", n.stats.evicted)
	kv(sb, "evicted_clients", 0)
	kv(sb, "total_eviction_exceeded_time", 0)
	kv(sb, "current_eviction_exceeded_time", 0)
	kv(sb, "keyspace_hits", n.st.Hits)
	kv(sb, "keyspace_misses", n.st.Misses)
	kv(sb, "pubsub_channels", len(n.pubsub.channels))
	kv(sb, "pubsub_patterns", len(n.pubsub.patterns))
	kv(sb, "pubsubshard_channels", len(n.pubsub.shard))
	kv(sb, "latest_fork_usec", 0)
	kv(sb, "total_forks", n.persist.forks)
	kv(sb, "migrate_cached_sockets", 0)
	kv(sb, "slave_expires_tracked_keys", 0)
	kv(sb, "active_defrag_hits", 0)
	kv(sb, "active_defrag_misses", 0)
	kv(sb, "active_defrag_key_hits", 0)
	kv(sb, "active_defrag_key_misses", 0)
	kv(sb, "total_active_defrag_time", 0)
	kv(sb, "current_active_defrag_time", 0)
	kv(sb, "tracking_total_keys", 0)
	kv(sb, "tracking_total_items", 0)
	kv(sb, "tracking_total_prefixes", 0)
	kv(sb, "unexpected_error_replies", 0)
	kv(sb, "total_error_replies", s.errors.Total)
	kv(sb, "dump_payload_sanitizations", 0)
	kv(sb, "total_reads_processed", 0)
	kv(sb, "total_writes_processed", 0)
	kv(sb, "io_threaded_reads_processed", 0)
	kv(sb, "io_threaded_writes_processed", 0)
	kv(sb, "reply_buffer_shrinks", 0)
	kv(sb, "reply_buffer_expands", 0)
}

func (n *Node) infoCPU(sb *strings.Builder) {
	for _, k := range []string{"used_cpu_sys", "used_cpu_user", "used_cpu_sys_children", "used_cpu_user_children", "used_cpu_sys_main_thread", "used_cpu_user_main_thread"} {
		kv(sb, k, "0.000000")
	}
}

func (n *Node) infoKeyspace(sb *strings.Builder) {
	for i, db := range n.st.DBs {
		if db.Len() == 0 {
			continue
		}
		fmt.Fprintf(sb, "db%d:keys=%d,expires=%d,avg_ttl=0\r\n", i, db.Len(), db.ExpiresLen())
	}
}

// cmdStat returns the commandstats entry of a command, made on first use.
func (n *Node) cmdStat(name string) *cmdStat {
	st := n.stats.cmds[name]
	if st == nil {
		if n.stats.cmds == nil {
			n.stats.cmds = make(map[string]*cmdStat)
		}
		st = &cmdStat{}
		n.stats.cmds[name] = st
	}
	return st
}

// infoCommandStats is Redis's commandstats section; usec is the modelled
// time (see Node.held). Redis lists them in its command table's hash
// order; syncscope by name.
func (n *Node) infoCommandStats(sb *strings.Builder) {
	for _, name := range n.statNames(func(st *cmdStat) bool { return st.calls > 0 || st.rejected > 0 || st.failed > 0 }) {
		st := n.stats.cmds[name]
		var perCall float32 // Redis divides in float
		if st.calls > 0 {
			perCall = float32(st.usec) / float32(st.calls)
		}
		fmt.Fprintf(sb, "cmdstat_%s:calls=%d,usec=%d,usec_per_call=%.2f,rejected_calls=%d,failed_calls=%d\r\n", name, st.calls, st.usec, perCall, st.rejected, st.failed)
	}
}

// infoLatencyStats is Redis's latencystats section: the percentiles of
// each command's histogram, none while latency-tracking is off.
func (n *Node) infoLatencyStats(sb *strings.Builder) {
	if !n.cfg.LatencyTracking {
		return
	}
	ps, names := n.cfg.LatencyPercentiles()
	for _, name := range n.statNames(func(st *cmdStat) bool { return st.hist != nil }) {
		n.stats.cmds[name].hist.writePercentiles(sb, name, ps, names)
	}
}

// statNames are the names of the commands whose stats pass keep, sorted.
func (n *Node) statNames(keep func(*cmdStat) bool) []string {
	names := make([]string, 0, len(n.stats.cmds))
	for name, st := range n.stats.cmds {
		if keep(st) {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	return names
}

// infoErrorStats is Redis's errorstats section, by error code in byte order.
func (n *Node) infoErrorStats(sb *strings.Builder) {
	codes := make([]string, 0, len(n.stats.errors.ByCode))
	for code := range n.stats.errors.ByCode {
		codes = append(codes, code)
	}
	sort.Strings(codes)
	for _, code := range codes {
		fmt.Fprintf(sb, "errorstat_%s:count=%d\r\n", code, n.stats.errors.ByCode[code])
	}
}

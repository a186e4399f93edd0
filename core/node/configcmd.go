package node

import (
	"strings"

	"github.com/syncscope/syncscope/core/config"
)

// denyLoadingConfig: CONFIG SET of a DENY_LOADING_CONFIG parameter while
// loading gets LOADING, before any other error of the command.
func (n *Node) denyLoadingConfig(pairs []string) bool {
	if loading, _ := n.loadingNow(); !loading || len(pairs)%2 != 0 {
		return false
	}
	for i := 0; i < len(pairs); i += 2 {
		switch strings.ToLower(pairs[i]) {
		case "appendonly", "repl-diskless-load", "dir":
			return true
		}
	}
	return false
}

// The CONFIG subcommands, each bound to its record in handlers.go; dispatch
// has checked their arity.

var configHelp = []string{
	"GET <pattern>",
	"    Return parameters matching the glob-like <pattern> and their values.",
	"SET <directive> <value>",
	"    Set the configuration <directive> to <value>.",
	"RESETSTAT",
	"    Reset statistics reported by the INFO command.",
	"REWRITE",
	"    Rewrite the configuration file.",
}

// cmdConfigGet is CONFIG GET pattern...
func cmdConfigGet(n *Node, c *client, args [][]byte) {
	var pats []string
	for _, a := range args[2:] {
		pats = append(pats, string(a))
	}
	pairs := n.cfg.Get(pats...)
	c.out.MapLen(len(pairs))
	for _, p := range pairs {
		c.out.BulkString(p[0])
		c.out.BulkString(p[1])
	}
}

// cmdConfigSet is CONFIG SET name value [name value...].
func cmdConfigSet(n *Node, c *client, args [][]byte) {
	var pairs []string
	for _, a := range args[2:] {
		pairs = append(pairs, string(a))
	}
	if n.denyLoadingConfig(pairs) {
		c.out.Error(errLoading)
		return
	}
	before := *n.cfg
	var saved *config.Config // for a rollback (before shares the values' pointers)
	if n.env.Listen != nil {
		saved = n.cfg.Clone()
	}
	// enable-protected-configs local lets a loopback client set them.
	if err := n.cfg.SetFrom(isLoopback(c.addr), pairs...); err != nil {
		c.out.Error(err.Error())
		return
	}
	if n.cfg.Port != before.Port && n.env.Listen != nil {
		// updatePort: a port the driver cannot listen on undoes the whole
		// CONFIG SET, as Redis rolls back every config of a failed apply.
		if err := n.env.Listen(n.cfg.Port); err != nil {
			n.log('#', "Failed applying new configuration. Possibly related to new port setting. Restoring previous settings.")
			*n.cfg = *saved
			c.out.Error("ERR CONFIG SET failed (possibly related to argument 'port') - Unable to listen on this port. Check server logs.")
			return
		}
	}
	n.configChanged(&before)
	c.out.SimpleString("OK")
}

func cmdConfigResetstat(n *Node, c *client, args [][]byte) {
	n.stats = stats{}
	n.st.Hits, n.st.Misses, n.st.ExpiredKeys = 0, 0, 0
	c.out.SimpleString("OK")
}

// cmdConfigRewrite is CONFIG REWRITE: the reply waits for the driver's
// rewrite of the file (Ready.Files).
func cmdConfigRewrite(n *Node, c *client, args [][]byte) {
	if n.env.ConfigFile == "" {
		c.out.Error("ERR The server is running without a config file")
		return
	}
	n.rewriteConfig(c, false)
}

// rewriter is a client waiting for its rewrite of the config file: CONFIG
// REWRITE, or DEBUG CONFIG-REWRITE-FORCE-ALL (all), which writes every
// directive, default values included, and logs nothing.
type rewriter struct {
	c   *client
	all bool
}

// rewriteConfig asks the driver to rewrite the config file and blocks c
// until it is done (fileDone).
func (n *Node) rewriteConfig(c *client, all bool) {
	// The users are written as they are now (rewriteConfigUserOption).
	cfg := n.cfg.Clone()
	cfg.Users = n.aclUserLines()
	rewrite := cfg.Rewrite
	if all {
		rewrite = cfg.RewriteAll
	}
	n.out.Files = append(n.out.Files, File{Name: n.env.ConfigFile, Rewrite: rewrite})
	n.persist.rewriters = append(n.persist.rewriters, rewriter{c: c, all: all})
	c.blocked = &blockState{}
}

// replBacklogMinSize is CONFIG_REPL_BACKLOG_MIN_SIZE.
const replBacklogMinSize = 16 * 1024

// configChanged applies CONFIG SET changes that need more than the new value.
func (n *Node) configChanged(before *config.Config) {
	if n.cfg.MaxMemory != before.MaxMemory {
		defer n.maxmemoryLowered()
	}
	if n.cfg.ReplBacklogSize != before.ReplBacklogSize {
		// CONFIG SET raises a tiny size to Redis's minimum; a config file's
		// value stands as written (resizeReplicationBacklog).
		n.cfg.ReplBacklogSize = max(n.cfg.ReplBacklogSize, replBacklogMinSize)
		if n.repl.backlog != nil {
			n.repl.backlog.Resize(int(n.cfg.ReplBacklogSize))
		}
	}
	if n.repl.link != nil {
		n.repl.link.SetConfig(n.linkConfig())
	}
	n.st.Limits = n.storeLimits()
	n.st.NotifyFlags = notifyFlags(n.cfg)
	n.st.LFU = lfuConfig(n.cfg)
	if n.cfg.RequirePass != before.RequirePass {
		n.setDefaultPassword(n.cfg.RequirePass)
	}
}

func (n *Node) fileDone(ev FileDone) {
	if (ev.Name != n.env.ConfigFile || len(n.persist.rewriters) == 0) && n.aclFileDone(ev) {
		return
	}
	for _, w := range n.persist.rewriters {
		c := w.c
		if c.closed {
			continue
		}
		c.blocked = nil
		switch {
		case ev.Err != "" && w.all:
			c.out.Error("ERR CONFIG-REWRITE-FORCE-ALL failed: " + ev.Err)
		case ev.Err != "":
			n.log('#', "CONFIG REWRITE failed: "+ev.Err)
			c.out.Error("ERR Rewriting config file: " + ev.Err)
		case w.all:
			c.out.SimpleString("OK")
		default:
			n.log('*', "CONFIG REWRITE executed with success.")
			c.out.SimpleString("OK")
		}
		n.queueOutput(c)
		n.processInput(c)
	}
	n.persist.rewriters = nil
}

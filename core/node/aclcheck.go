package node

import (
	"strings"

	"github.com/syncscope/syncscope/core/command"
	"github.com/syncscope/syncscope/core/cstr"
)

// Why a command was denied (Redis's ACL_DENIED_*), in the order Redis
// ranks them when several selectors deny for different reasons.
const (
	aclOK = iota
	aclDeniedCmd
	aclDeniedKey
	aclDeniedAuth
	aclDeniedChannel
)

// Where a denial happened (ACL_LOG_CTX_*).
const (
	aclCtxToplevel = iota
	aclCtxLua
	aclCtxMulti
	aclCtxModule
)

// aclPermit checks c's user may run the command (processCommand's
// ACLCheckAllPerm) and otherwise logs and refuses it. Dispatch calls it
// only for users that are not unrestricted.
func (n *Node) aclPermit(c *client, fullName string, flags command.Flag, args [][]byte) bool {
	res, pos := n.aclCheck(c.user, fullName, flags, args)
	if res == aclOK {
		return true
	}
	ctx := aclCtxToplevel
	if c.multi != nil {
		ctx = aclCtxMulti
	}
	n.aclLogDenial(c, res, ctx, fullName, args, pos)
	switch res {
	case aclDeniedCmd:
		n.reject(c, "NOPERM this user has no permissions to run the '"+fullName+"' command")
	case aclDeniedKey:
		n.reject(c, "NOPERM this user has no permissions to access one of the keys used as arguments")
	default:
		n.reject(c, "NOPERM this user has no permissions to access one of the channels used as arguments")
	}
	return false
}

// aclExecDenial checks a command EXEC is about to run, in case the rules
// changed since it was queued (execCommand): the reason, "" when allowed.
func (n *Node) aclExecDenial(c *client, args [][]byte) string {
	if c.user == nil || c.user.unrestricted {
		return ""
	}
	fullName, flags, ok := n.commandIdentity(args)
	if !ok {
		return ""
	}
	res, pos := n.aclCheck(c.user, fullName, flags, args)
	if res == aclOK {
		return ""
	}
	n.aclLogDenial(c, res, aclCtxMulti, fullName, args, pos)
	switch res {
	case aclDeniedCmd:
		return "no permission to execute the command or subcommand"
	case aclDeniedKey:
		return "no permission to touch the specified keys"
	}
	return "no permission to access one of the channels used as arguments"
}

// commandIdentity looks a command up as dispatch does: its full name
// ("client|kill" for a known subcommand) and flags.
func (n *Node) commandIdentity(args [][]byte) (fullName string, flags command.Flag, ok bool) {
	cmd := command.Lookup(args[0])
	if cmd == nil {
		return "", 0, false
	}
	if cmd.Container() && len(args) > 1 {
		if sub := cmd.Sub(args[1]); sub != nil {
			cmd = sub
		}
	}
	return cmd.Name, cmd.Flags, true
}

// aclCheck is ACLCheckAllUserCommandPerm: the command is allowed when one
// selector allows it; otherwise it reports the most relevant denial and
// the argument it is about. The keys are found once, for every selector.
func (n *Node) aclCheck(u *aclUser, fullName string, flags command.Flag, args [][]byte) (res, pos int) {
	id, known := aclCommands.byName[fullName]
	res = aclDeniedCmd
	keysFound, hasKeys := false, false
	for _, s := range u.selectors {
		r, p := s.checkCommand(id, known, flags, args)
		if r == aclOK && !s.allKeys {
			if !keysFound {
				hasKeys = n.commandKeys(fullName, args)
				keysFound = true
			}
			if hasKeys {
				r, p = s.checkKeys(n.aclKeys, args)
			}
		}
		if r == aclOK && !s.allChannels {
			r, p = s.checkChannels(fullName, args)
		}
		if r == aclOK {
			return aclOK, 0
		}
		if r > res || r == res && p > pos {
			res, pos = r, p
		}
	}
	return res, pos
}

// checkCommand is the command part of ACLSelectorCheckCmd: the command's
// bit, or an allowed first argument.
func (s *aclSelector) checkCommand(id int, known bool, flags command.Flag, args [][]byte) (int, int) {
	if s.allCommands || flags&command.NoAuth != 0 {
		return aclOK, 0
	}
	if !known {
		return aclDeniedCmd, 0
	}
	if s.bit(id) {
		return aclOK, 0
	}
	idx := 1
	if aclCommands.cmds[id].parent >= 0 {
		idx = 2
	}
	if len(args) > idx {
		for _, a := range s.firstArgs[id] {
			if strings.EqualFold(a, string(args[idx])) {
				return aclOK, 0
			}
		}
	}
	return aclDeniedCmd, 0
}

// commandKeys finds the keys of the command fullName names (served or
// not: ACL DRYRUN may name any) into n.aclKeys, with the walker COMMAND
// GETKEYS uses; false when the command has no keys (doesCommandHaveKeys).
func (n *Node) commandKeys(fullName string, args [][]byte) bool {
	cmd := command.RedisLookup(fullName)
	if cmd == nil || !cmd.HasKeys() {
		n.aclKeys = n.aclKeys[:0]
		return false
	}
	n.aclKeys = cmd.KeysAndFlags(n.aclKeys[:0], args)
	return true
}

// checkKeys is ACLSelectorCheckKey for each key: some pattern granting
// at least the permissions the key's flags ask for must match it (a key
// without flags, from a numkeys getkeys_proc, asks for none).
func (s *aclSelector) checkKeys(keys []command.KeyRef, args [][]byte) (int, int) {
next:
	for _, k := range keys {
		var perm uint8
		if k.Flags&command.KeyAccess != 0 {
			perm |= aclRead
		}
		if k.Flags&(command.KeyInsert|command.KeyDelete|command.KeyUpdate) != 0 {
			perm |= aclWrite
		}
		for _, p := range s.keys {
			if p.perm&perm == perm && cstr.Glob(p.pattern, string(args[k.Pos]), false) {
				continue next
			}
		}
		return aclDeniedKey, k.Pos
	}
	return aclOK, 0
}

// checkChannels checks the channels a publishing or subscribing command
// names (getChannelsFromCommand; unsubscribing is always allowed).
func (s *aclSelector) checkChannels(fullName string, args [][]byte) (int, int) {
	first, last, pattern := 0, 0, false
	switch fullName {
	case "publish", "spublish":
		first, last = 1, 1
	case "subscribe", "ssubscribe":
		first, last = 1, len(args)-1
	case "psubscribe":
		first, last, pattern = 1, len(args)-1, true
	default:
		return aclOK, 0
	}
	for i := first; i <= last; i++ {
		if !channelAllowed(s.channels, string(args[i]), pattern) {
			return aclDeniedChannel, i
		}
	}
	return aclOK, 0
}

// aclLogged is one ACL LOG entry.
type aclLogged struct {
	count    int64
	reason   int
	context  int
	object   string
	username string
	ctime    int64 // unix ms
	cinfo    string
}

// aclLogDenial logs a refused command: the command's full name, or the
// key or channel refused.
func (n *Node) aclLogDenial(c *client, res, ctx int, fullName string, args [][]byte, pos int) {
	obj := fullName
	if res == aclDeniedKey || res == aclDeniedChannel {
		obj = string(args[pos])
	}
	n.aclLog(c, res, ctx, c.user.name, obj)
}

// aclLog adds an entry to the ACL log, or bumps a similar recent one
// (addACLLogEntry).
func (n *Node) aclLog(c *client, reason, ctx int, user, object string) {
	now := n.now.UnixMilli()
	e := &aclLogged{count: 1, reason: reason, context: ctx, object: object, username: user, ctime: now, cinfo: n.clientInfo(c)}
	for i, old := range n.acl.log {
		if i == 10 {
			break
		}
		delta := old.ctime - e.ctime
		if delta < 0 {
			delta = -delta
		}
		if old.reason == e.reason && old.context == e.context && delta <= 60000 && old.object == e.object && old.username == e.username {
			copy(n.acl.log[1:i+1], n.acl.log[:i])
			n.acl.log[0] = old
			old.cinfo, old.ctime = e.cinfo, e.ctime
			old.count++
			return
		}
	}
	n.acl.log = append(n.acl.log, nil)
	copy(n.acl.log[1:], n.acl.log)
	n.acl.log[0] = e
	if max := n.aclLogMax(); len(n.acl.log) > max {
		clear(n.acl.log[max:])
		n.acl.log = n.acl.log[:max]
	}
}

func (n *Node) aclLogMax() int {
	v := n.cfg.Get("acllog-max-len")
	if len(v) != 1 {
		return 128
	}
	m := 0
	for _, ch := range v[0][1] {
		m = m*10 + int(ch-'0')
	}
	return m
}

// aclReadsAnyKey is ACLUserCheckCmdWithUnrestrictedKeyAccess for reads:
// whether a selector that allows the command also reads every key.
func (n *Node) aclReadsAnyKey(u *aclUser, fullName string, args [][]byte) bool {
	id, known := aclCommands.byName[fullName]
	for _, s := range u.selectors {
		if r, _ := s.checkCommand(id, known, 0, args); r != aclOK {
			continue
		}
		hasKeys := n.commandKeys(fullName, args)
		keys := n.aclKeys
		if hasKeys && !s.allKeys {
			if r, _ := s.checkKeys(keys, args); r != aclOK {
				continue
			}
		}
		if !s.allChannels {
			if r, _ := s.checkChannels(fullName, args); r != aclOK {
				continue
			}
		}
		if s.allKeys {
			return true
		}
		for _, p := range s.keys {
			if p.perm&aclRead != 0 && p.pattern == "*" {
				return true
			}
		}
	}
	return false
}

package node

import (
	"fmt"
	"sort"
	"strings"

	"github.com/syncscope/syncscope/core/command"
	"github.com/syncscope/syncscope/core/cstr"
)

// aclState is the node's users and its ACL log.
type aclState struct {
	users   map[string]*aclUser
	def     *aclUser     // the default user, never deleted
	log     []*aclLogged // newest first
	fileOps []aclFileOp  // ACL LOAD/SAVE waiting for the driver
}

// initACL creates the default user, gives it requirepass, then applies the
// config file's "user" lines (Redis's ACLInit, ACLUpdateDefaultUserPassword
// while the config is read, then ACLLoadConfiguredUsers).
func (n *Node) initACL() error {
	def := newACLUser("default", false)
	for _, op := range []string{"+@all", "~*", "&*", "on", "nopass"} {
		_ = def.apply(op, false)
	}
	def.refresh()
	n.acl = aclState{users: map[string]*aclUser{"default": def}, def: def}
	n.setDefaultPassword(n.cfg.RequirePass)
	allCh := n.aclPubsubDefault()
	for _, line := range n.cfg.Users {
		name := line[0]
		if hasSpaces(name) {
			n.log('#', "Spaces not allowed in ACL usernames")
			return fmt.Errorf("acl: spaces in the user name %q", name)
		}
		u := n.acl.users[name]
		if u == nil {
			u = newACLUser(name, allCh)
			n.acl.users[name] = u
		} else {
			_ = u.apply("reset", allCh)
		}
		rules, bad, ok := mergeSelectorArgs(line[1:])
		if !ok {
			n.log('#', fmt.Sprintf("Error loading ACL rule '%s' for the user named '%s': Unmatched parenthesis", bad, name))
			return fmt.Errorf("acl: unmatched parenthesis in the rules of user %q", name)
		}
		for _, op := range rules {
			if err := u.apply(op, allCh); err != nil {
				n.log('#', fmt.Sprintf("Error loading ACL rule '%s' for the user named '%s': %s", op, name, err))
				n.log('#', "Critical error while loading ACLs. Exiting.")
				return fmt.Errorf("acl: user %q, rule %q: %w", name, op, err)
			}
			n.warnFirstArgs(op)
		}
		u.refresh()
		if u.flags&userOff != 0 {
			n.log('*', fmt.Sprintf("The user '%s' is disabled (there is no 'on' modifier in the user description). Make sure this is not a configuration error.", name))
		}
	}
	return n.loadACLFile()
}

// aclPubsubDefault reports whether new users and selectors get every
// channel (acl-pubsub-default allchannels).
func (n *Node) aclPubsubDefault() bool {
	v := n.cfg.Get("acl-pubsub-default")
	return len(v) == 1 && v[0][1] == "allchannels"
}

// setDefaultPassword keeps the default user in step with requirepass
// (ACLUpdateDefaultUserPassword).
func (n *Node) setDefaultPassword(pass string) {
	def := n.acl.def
	_ = def.apply("resetpass", false)
	if pass != "" {
		_ = def.apply(">"+pass, false)
	} else {
		_ = def.apply("nopass", false)
	}
}

// authRequired is Redis's authRequired: a client must authenticate unless
// it did or the default user is enabled and needs no password.
func (n *Node) authRequired(c *client) bool {
	return !c.authed && n.acl.def.flags&(userNopass|userOff) != userNopass
}

// defaultAuth gives c the default user, authenticated when it needs no
// password (clientSetDefaultAuth).
func (n *Node) defaultAuth(c *client) {
	c.user = n.acl.def
	c.authed = c.user.flags&(userNopass|userOff) == userNopass
}

// authenticate logs c in as user, or logs the failure (ACLAuthenticateUser).
func (n *Node) authenticate(c *client, user, pass string) bool {
	u := n.acl.users[user]
	if u != nil && u.checkPassword(pass) {
		c.authed, c.user = true, u
		return true
	}
	ctx := aclCtxToplevel
	if c.multi != nil {
		ctx = aclCtxMulti
	}
	obj := "AUTH"
	if n.currentArgs != nil {
		obj = string(n.currentArgs[0])
	}
	n.aclLog(c, aclDeniedAuth, ctx, user, obj)
	return false
}

func userName(c *client) string {
	if c.user == nil {
		return "(superuser)"
	}
	return c.user.name
}

const errACLNoFile = "ERR This Redis instance is not configured to use an ACL file. You may want to specify users via the ACL SETUSER command and then issue a CONFIG REWRITE (assuming you have a Redis configuration file set) in order to store users in the Redis configuration."

// The ACL subcommands, each bound to its record in handlers.go; dispatch
// has checked their arity.

// cmdACLDeluser is ACL DELUSER name...
func cmdACLDeluser(n *Node, c *client, args [][]byte) {
	for _, a := range args[2:] {
		if string(a) == "default" {
			c.out.Error("ERR The 'default' user cannot be removed")
			return
		}
	}
	deleted := 0
	for _, a := range args[2:] {
		u := n.acl.users[string(a)]
		if u == nil {
			continue
		}
		delete(n.acl.users, u.name)
		n.killUserClients(c, u)
		deleted++
	}
	c.out.Int(int64(deleted))
}

func cmdACLGetuser(n *Node, c *client, args [][]byte) { n.aclGetUser(c, string(args[2])) }

// cmdACLList is ACL LIST, and ACL USERS when names: the users as config
// lines, or their names alone.
func cmdACLList(names bool) nodeHandler {
	return func(n *Node, c *client, args [][]byte) {
		users := n.userNames()
		c.out.ArrayLen(len(users))
		for _, name := range users {
			if names {
				c.out.BulkString(name)
			} else {
				c.out.BulkString("user " + name + " " + n.acl.users[name].describe())
			}
		}
	}
}

func cmdACLWhoami(n *Node, c *client, args [][]byte) {
	if c.user == nil {
		c.out.Null()
	} else {
		c.out.BulkString(c.user.name)
	}
}

// cmdACLFile is ACL LOAD, and ACL SAVE when save.
func cmdACLFile(save bool) nodeHandler {
	return func(n *Node, c *client, args [][]byte) {
		if n.aclFileName() == "" {
			c.out.Error(errACLNoFile)
			return
		}
		n.aclFileCommand(c, save)
	}
}

// cmdACLCat is ACL CAT [category].
func cmdACLCat(n *Node, c *client, args [][]byte) {
	switch len(args) {
	case 2:
		c.out.ArrayLen(len(aclCategoryNames))
		for _, name := range aclCategoryNames {
			c.out.BulkString(name)
		}
		return
	case 3:
	default:
		subcommandError(c, args)
		return
	}
	flag := aclCategoryFlag(string(args[2]))
	if flag == 0 {
		cat := string(args[2])
		if len(cat) > 128 {
			cat = cat[:128]
		}
		c.out.Error(fmt.Sprintf("ERR Unknown category '%s'", cstr.UntilNUL(cat)))
		return
	}
	var names []string
	for _, cmd := range aclCommands.cmds {
		if cmd.cats&flag != 0 {
			names = append(names, cmd.name)
		}
	}
	c.out.ArrayLen(len(names))
	for _, name := range names {
		c.out.BulkString(name)
	}
}

// cmdACLGenpass is ACL GENPASS [bits].
func cmdACLGenpass(n *Node, c *client, args [][]byte) {
	if len(args) > 3 {
		subcommandError(c, args)
		return
	}
	bits := int64(256)
	if len(args) == 3 {
		v, ok := intArg(c, args[2])
		if !ok {
			return
		}
		bits = v
	}
	if bits <= 0 || bits > 4096 {
		c.out.Error("ERR ACL GENPASS argument must be the number of bits for the output password, a positive number up to 4096")
		return
	}
	const hexdigits = "0123456789abcdef"
	pass := make([]byte, (bits+3)/4)
	for i := range pass {
		pass[i] = hexdigits[n.rand.IntN(16)]
	}
	c.out.Bulk(pass)
}

var aclHelp = []string{
	"CAT [<category>]",
	"    List all commands that belong to <category>, or all command categories",
	"    when no category is specified.",
	"DELUSER <username> [<username> ...]",
	"    Delete a list of users.",
	"DRYRUN <username> <command> [<arg> ...]",
	"    Returns whether the user can execute the given command without executing the command.",
	"GETUSER <username>",
	"    Get the user's details.",
	"GENPASS [<bits>]",
	"    Generate a secure 256-bit user password. The optional `bits` argument can",
	"    be used to specify a different size.",
	"LIST",
	"    Show users details in config file format.",
	"LOAD",
	"    Reload users from the ACL file.",
	"LOG [<count> | RESET]",
	"    Show the ACL log entries.",
	"SAVE",
	"    Save the current config to the ACL file.",
	"SETUSER <username> <attribute> [<attribute> ...]",
	"    Create or modify a user with the specified attributes.",
	"USERS",
	"    List all the registered usernames.",
	"WHOAMI",
	"    Return the current connection username.",
}

func (n *Node) userNames() []string {
	names := make([]string, 0, len(n.acl.users))
	for name := range n.acl.users {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}

// aclSetUser is ACL SETUSER (ACLStringSetUser): the rules are applied to a
// copy, which replaces the user only when every rule was valid.
func (n *Node) aclSetUser(c *client, args [][]byte) {
	name := string(args[2])
	if hasSpaces(name) {
		c.out.Error("ERR Usernames can't contain spaces or null characters")
		return
	}
	ops := make([]string, 0, len(args)-3)
	for _, a := range args[3:] {
		ops = append(ops, string(a))
	}
	rules, bad, ok := mergeSelectorArgs(ops)
	if !ok {
		c.out.Error(fmt.Sprintf("ERR Unmatched parenthesis in acl selector starting at '%s'.", cstr.UntilNUL(bad)))
		return
	}
	allCh := n.aclPubsubDefault()
	old := n.acl.users[name]
	var tmp *aclUser
	if old != nil {
		tmp = old.clone()
	} else {
		tmp = newACLUser(name, allCh)
	}
	for _, op := range rules {
		if err := tmp.apply(op, allCh); err != nil {
			c.out.Error(fmt.Sprintf("ERR Error in ACL SETUSER modifier '%s': %s", cstr.UntilNUL(op), err))
			return
		}
		n.warnFirstArgs(op)
	}
	tmp.refresh()
	if old == nil {
		n.acl.users[name] = tmp
	} else {
		n.killRevokedSubscribers(c, tmp, old)
		*old = *tmp
	}
	c.out.SimpleString("OK")
}

func (n *Node) aclGetUser(c *client, name string) {
	u := n.acl.users[name]
	if u == nil {
		c.out.Null()
		return
	}
	c.out.MapLen(6)
	c.out.BulkString("flags")
	var flags []string
	for i, f := range userFlagNames {
		if u.flags&(1<<i) != 0 {
			flags = append(flags, f)
		}
	}
	c.out.SetLen(len(flags))
	for _, f := range flags {
		c.out.BulkString(f)
	}
	c.out.BulkString("passwords")
	c.out.ArrayLen(len(u.passwords))
	for _, p := range u.passwords {
		c.out.BulkString(p)
	}
	describeSelectorReply(c, u.root())
	c.out.BulkString("selectors")
	c.out.ArrayLen(len(u.selectors) - 1)
	for _, s := range u.selectors[1:] {
		c.out.MapLen(3)
		describeSelectorReply(c, s)
	}
}

// describeSelectorReply writes a selector's commands, keys and channels
// fields (aclAddReplySelectorDescription).
func describeSelectorReply(c *client, s *aclSelector) {
	c.out.BulkString("commands")
	c.out.BulkString(s.describeCommands())
	c.out.BulkString("keys")
	c.out.BulkString(strings.Join(s.keyRules(), " "))
	c.out.BulkString("channels")
	c.out.BulkString(strings.Join(s.channelRules(), " "))
}

// killUserClients disconnects the clients authenticated as a deleted user
// (ACLFreeUserAndKillClients): the one running the command once its reply
// is written, the others now.
func (n *Node) killUserClients(by *client, u *aclUser) {
	for _, x := range append([]*client(nil), n.order...) {
		if x.user != u {
			continue
		}
		x.user, x.authed = n.acl.def, false
		if x == by {
			x.closeAfter = true
		} else {
			n.closeClient(x)
		}
	}
}

// killRevokedSubscribers disconnects the pub/sub clients of a user whose
// new channel permissions no longer cover their subscriptions
// (ACLKillPubsubClientsIfNeeded).
func (n *Node) killRevokedSubscribers(by *client, upd, orig *aclUser) {
	var upcoming []string
	for _, s := range upd.selectors {
		if s.allChannels {
			return
		}
		upcoming = append(upcoming, s.channels...)
	}
	superset := true
	for _, s := range orig.selectors {
		if s.allChannels {
			superset = false
			break
		}
		for _, ch := range s.channels {
			if !containsString(upcoming, ch) {
				superset = false
			}
		}
	}
	if superset {
		return
	}
	for _, x := range append([]*client(nil), n.order...) {
		if x.user != orig || !x.pubsubMode() {
			continue
		}
		kill := false
		for _, p := range x.patOrder {
			kill = kill || !channelAllowed(upcoming, p, true)
		}
		for _, ch := range x.chanOrder {
			kill = kill || !channelAllowed(upcoming, ch, false)
		}
		for _, ch := range x.shardOrder {
			kill = kill || !channelAllowed(upcoming, ch, false)
		}
		if kill {
			if x == by {
				x.closeAfter = true
			} else {
				n.closeClient(x)
			}
		}
	}
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// channelAllowed is ACLCheckChannelAgainstList: a channel matches the
// patterns as a glob; a PSUBSCRIBE pattern only matches one literally.
func channelAllowed(patterns []string, ch string, isPattern bool) bool {
	for _, p := range patterns {
		if isPattern && p == ch || !isPattern && cstr.Glob(p, ch, false) {
			return true
		}
	}
	return false
}

// aclLogCommand is ACL LOG [count | RESET].
func (n *Node) aclLogCommand(c *client, args [][]byte) {
	if len(args) > 3 {
		subcommandError(c, args)
		return
	}
	count := int64(10)
	if len(args) == 3 {
		if lower(args[2]) == "reset" {
			clear(n.acl.log)
			n.acl.log = n.acl.log[:0]
			c.out.SimpleString("OK")
			return
		}
		v, ok := intArg(c, args[2])
		if !ok {
			return
		}
		count = max(v, 0)
	}
	count = min(count, int64(len(n.acl.log)))
	now := n.now.UnixMilli()
	c.out.ArrayLen(int(count))
	for _, e := range n.acl.log[:count] {
		c.out.MapLen(7)
		c.out.BulkString("count")
		c.out.Int(e.count)
		c.out.BulkString("reason")
		c.out.BulkString([...]string{"unknown", "command", "key", "auth", "channel"}[e.reason])
		c.out.BulkString("context")
		c.out.BulkString([...]string{"toplevel", "lua", "multi", "module"}[e.context])
		c.out.BulkString("object")
		c.out.BulkString(e.object)
		c.out.BulkString("username")
		c.out.BulkString(e.username)
		c.out.BulkString("age-seconds")
		c.out.Double(float64(now-e.ctime) / 1000)
		c.out.BulkString("client-info")
		c.out.BulkString(e.cinfo)
	}
}

// aclDryRun is ACL DRYRUN user command [arg...]: whether the user could
// run the command, without running it.
func (n *Node) aclDryRun(c *client, args [][]byte) {
	u := n.acl.users[string(args[2])]
	if u == nil {
		c.out.Error(fmt.Sprintf("ERR User '%s' not found", cstr.UntilNUL(args[2])))
		return
	}
	argv := args[3:]
	fullName := lower(argv[0])
	cmd := command.RedisLookup(fullName)
	if cmd == nil || strings.Contains(fullName, "|") {
		c.out.Error(fmt.Sprintf("ERR Command '%s' not found", cstr.UntilNUL(argv[0])))
		return
	}
	if len(argv) > 1 && cmd.Container() {
		fullName += "|" + lower(argv[1])
		if cmd = command.RedisLookup(fullName); cmd == nil {
			c.out.Error(fmt.Sprintf("ERR Command '%s' not found", cstr.UntilNUL(argv[0])))
			return
		}
	}
	if !cmd.ArityOK(len(argv)) {
		c.out.Error(fmt.Sprintf("ERR wrong number of arguments for '%s' command", fullName))
		return
	}
	var flags command.Flag
	if _, fl, ok := n.commandIdentity(argv); ok {
		flags = fl
	}
	switch res, pos := n.aclCheck(u, fullName, flags, argv); res {
	case aclOK:
		c.out.SimpleString("OK")
	case aclDeniedCmd:
		c.out.BulkString(fmt.Sprintf("This user has no permissions to run the '%s' command", fullName))
	case aclDeniedKey:
		c.out.BulkString(fmt.Sprintf("This user has no permissions to access the '%s' key", cstr.UntilNUL(argv[pos])))
	default:
		c.out.BulkString(fmt.Sprintf("This user has no permissions to access the '%s' channel", cstr.UntilNUL(argv[pos])))
	}
}

// redactedArgs are the arguments of AUTH and HELLO that MONITOR shows as
// "(redacted)", as a bit per position: the ones authCommand and
// helloCommand redact before they can fail (redactClientCommandArgument).
func redactedArgs(name string, args [][]byte) uint64 {
	switch name {
	case "auth":
		switch len(args) {
		case 2:
			return 1 << 1
		case 3:
			return 1<<1 | 1<<2
		}
	case "hello":
		if len(args) < 2 {
			return 0
		}
		if v, ok := cstr.String2ll(args[1]); !ok || v < 2 || v > 3 {
			return 0
		}
		var r uint64
		for j := 2; j < len(args) && j < 62; j++ {
			more := len(args) - 1 - j
			switch opt := lower(args[j]); {
			case opt == "auth" && more >= 2:
				r |= 1<<(j+1) | 1<<(j+2)
				j += 2
			case opt == "setname" && more >= 1:
				if !validClientName(args[j+1]) {
					return r
				}
				j++
			default:
				return r
			}
		}
		return r
	}
	return 0
}

// warnFirstArgs logs, as ACLSetSelector does, each rule of op that allows
// a first argument of a command without subcommands (+select|0).
func (n *Node) warnFirstArgs(op string) {
	rules := []string{op}
	if len(op) > 1 && op[0] == '(' && op[len(op)-1] == ')' {
		rules, _ = cstr.SplitArgsStrings(op[1 : len(op)-1])
	}
	for _, r := range rules {
		if len(r) < 2 || r[0] != '+' || r[1] == '@' {
			continue
		}
		i := strings.LastIndexByte(r, '|')
		if i < 0 || i == len(r)-1 {
			continue
		}
		if id, ok := aclCommands.lookup(r[1:i]); ok && aclCommands.cmds[id].parent < 0 && len(aclCommands.cmds[id].subs) == 0 {
			n.log('#', "Deprecation warning: Allowing a first arg of an otherwise blocked command is a misuse of ACL and may get disabled in the future (offender: "+r[1:]+")")
		}
	}
}

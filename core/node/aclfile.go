package node

import (
	"fmt"
	"path"
	"strings"
)

// aclFileOp is an ACL LOAD or SAVE waiting for its FileDone.
type aclFileOp struct {
	c    *client
	save bool
	name string
}

// aclFileName is the aclfile as configured, "" without one.
func (n *Node) aclFileName() string {
	v := n.cfg.Get("aclfile")
	if len(v) != 1 {
		return ""
	}
	return v[0][1]
}

// aclFilePath is where the aclfile is: relative to dir, as Redis (which
// works in dir) opens it.
func (n *Node) aclFilePath() string {
	name := n.aclFileName()
	if path.IsAbs(name) || n.cfg.Dir == "" || n.cfg.Dir == "." {
		return name
	}
	return path.Join(n.cfg.Dir, name)
}

// loadACLFile checks the users at start: config "user" lines and an
// aclfile do not mix, and the aclfile must load (ACLLoadUsersAtStartup).
func (n *Node) loadACLFile() error {
	name := n.aclFileName()
	if name == "" {
		return nil
	}
	if len(n.cfg.Users) > 0 {
		n.log('#', "Configuring Redis with users defined in redis.conf and at the same setting an ACL file path is invalid. This setup is very likely to lead to configuration errors and security holes, please define either an ACL file or declare users directly in your redis.conf, but not both.")
		return fmt.Errorf("acl: users in the config file and an aclfile (%s)", name)
	}
	errs := ""
	if n.env.ACLFileErr != "" {
		errs = fmt.Sprintf("Error loading ACLs, opening file '%s': %s", name, n.env.ACLFileErr)
	} else {
		errs = n.loadACLText(n.env.ACLFile, nil)
	}
	if errs != "" {
		n.log('#', "Aborting Redis startup because of ACL errors: "+errs)
		return fmt.Errorf("acl: %s", errs)
	}
	return nil
}

// loadACLText replaces the users with those of an ACL file's text
// (ACLLoadFromFile), or changes nothing and returns the errors found. The
// default user keeps its identity (clients authenticated as it stay);
// the clients of every other user are disconnected, by after its reply.
func (n *Node) loadACLText(text string, by *client) string {
	name := n.aclFileName()
	allCh := n.aclPubsubDefault()
	users := map[string]*aclUser{}
	var errs strings.Builder
	for i, line := range strings.Split(cText(text), "\n") {
		num := i + 1
		line = strings.Trim(line, " \t\r\n")
		if line == "" {
			continue
		}
		argv := strings.Split(line, " ")
		if argv[0] != "user" || len(argv) < 2 {
			fmt.Fprintf(&errs, "%s:%d should start with user keyword followed by the username. ", name, num)
			continue
		}
		if hasSpaces(argv[1]) {
			fmt.Fprintf(&errs, "'%s:%d: username '%s' contains invalid characters. ", name, num, argv[1])
			continue
		}
		if users[argv[1]] != nil {
			fmt.Fprintf(&errs, "WARNING: Duplicate user '%s' found on line %d. ", argv[1], num)
			continue
		}
		u := newACLUser(argv[1], allCh)
		users[u.name] = u
		rules, _, ok := mergeSelectorArgs(argv[2:])
		if !ok {
			fmt.Fprintf(&errs, "%s:%d: Unmatched parenthesis in selector definition.", name, num)
		}
		syntax := false
		for _, op := range rules {
			op = strings.Trim(op, "\t\r\n")
			err := u.apply(op, allCh)
			if err == nil {
				n.warnFirstArgs(op)
			} else {
				if err == errACLUnknown {
					fmt.Fprintf(&errs, "%s:%d: Error in applying operation '%s': %s. ", name, num, op, err)
				} else if !syntax {
					fmt.Fprintf(&errs, "%s:%d: %s. ", name, num, err)
					syntax = true
				}
			}
		}
		u.refresh()
	}
	if errs.Len() > 0 {
		return errs.String() + "WARNING: ACL errors detected, no change to the previously active ACL rules was performed"
	}
	def := n.acl.def
	if nd := users["default"]; nd != nil {
		*def = *nd
	} else {
		*def = *newACLUser("default", false)
		for _, op := range []string{"+@all", "~*", "&*", "on", "nopass"} {
			_ = def.apply(op, false)
		}
		def.refresh()
	}
	users["default"] = def
	old := n.acl.users
	n.acl.users = users
	for _, u := range old {
		if u != def {
			n.killUserClients(by, u)
		}
	}
	return ""
}

// aclFileCommand starts ACL LOAD or SAVE: the driver reads or writes the
// file, and the client waits for the FileDone (see aclFileDone).
func (n *Node) aclFileCommand(c *client, save bool) {
	p := n.aclFilePath()
	f := File{Name: p}
	if save {
		var b strings.Builder
		for _, name := range n.userNames() {
			b.WriteString("user " + name + " " + n.acl.users[name].describe() + "\n")
		}
		text := b.String()
		f.Rewrite = func(string) string { return text }
	}
	n.out.Files = append(n.out.Files, f)
	n.acl.fileOps = append(n.acl.fileOps, aclFileOp{c: c, save: save, name: p})
	c.blocked = &blockState{}
}

// aclFileDone answers the ACL LOAD or SAVE the FileDone is for; false when
// it is for none.
func (n *Node) aclFileDone(ev FileDone) bool {
	if len(n.acl.fileOps) == 0 || n.acl.fileOps[0].name != ev.Name {
		return false
	}
	op := n.acl.fileOps[0]
	n.acl.fileOps = n.acl.fileOps[1:]
	c := op.c
	if c.closed {
		c = nil
	}
	reply := "OK"
	switch {
	case op.save && ev.Err != "":
		n.log('#', "Opening temp ACL file for ACL SAVE: "+ev.Err)
		reply = "-ERR There was an error trying to save the ACLs. Please check the server logs for more information"
	case !op.save && ev.Err != "":
		reply = fmt.Sprintf("-ERR Error loading ACLs, opening file '%s': %s", n.aclFileName(), ev.Err)
	case !op.save:
		if errs := n.loadACLText(ev.Data, c); errs != "" {
			reply = "-ERR " + errs
		}
	}
	if c == nil {
		return true
	}
	c.blocked = nil
	if reply == "OK" {
		c.out.SimpleString(reply)
	} else {
		c.out.Error(reply[1:])
	}
	n.queueOutput(c)
	n.processInput(c)
	return true
}

// aclUserLines are the users as CONFIG REWRITE writes them without an
// aclfile: name and rules, by name.
func (n *Node) aclUserLines() [][]string {
	var lines [][]string
	for _, name := range n.userNames() {
		// The words of a "user" line, as the config holds a file's: the
		// rewrite quotes a word that would not read back as one.
		lines = append(lines, append([]string{name}, strings.Fields(n.acl.users[name].describe())...))
	}
	return lines
}

// cText is the file as Redis reads it, with fgets into a 1024-byte buffer
// appended as C strings: each chunk ends at its first NUL.
func cText(text string) string {
	if strings.IndexByte(text, 0) < 0 {
		return text
	}
	var b strings.Builder
	for len(text) > 0 {
		n := strings.IndexByte(text, '\n') + 1
		if n == 0 || n > 1023 {
			n = min(len(text), 1023)
		}
		chunk := text[:n]
		if i := strings.IndexByte(chunk, 0); i >= 0 {
			chunk = chunk[:i]
		}
		b.WriteString(chunk)
		text = text[n:]
	}
	return b.String()
}

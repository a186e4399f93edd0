//go:build !js

package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/syncscope/syncscope/core/resp"
)

// userACL is an aclfile as Redis's suite has it (tests/assets/user.acl).
const userACL = "user alice on allcommands allkeys &* >alice\nuser bob on -@all +@set +acl ~set* &* >bob\nuser default on nopass ~* &* +@all\n"

// TestACLFileMatchesRedis runs the same aclfile session on redis-server and
// syncscope-server: users loaded at start, ACL SAVE's file, ACL LOAD of a
// good file (the clients of replaced users are disconnected) and of broken
// ones (nothing changes, the same errors), and CONFIG REWRITE's user lines
// without an aclfile.
func TestACLFileMatchesRedis(t *testing.T) {
	t.Parallel()
	type result struct {
		replies []string
		saved   string
		rewrite []string
	}
	run := func(redis bool) result {
		dir := t.TempDir()
		require.NoError(t, os.WriteFile(filepath.Join(dir, "users.acl"), []byte(userACL), 0o644))
		s := Start(t, Options{Redis: redis, Dir: dir, Config: "aclfile users.acl\n"})
		var r result
		c := s.Client()
		do := func(c *Client, args ...string) {
			v := c.Do(args...)
			r.replies = append(r.replies, strings.Join(args, " ")+" -> "+resp.FormatCLI(v))
		}
		do(c, "ACL", "LIST")
		do(c, "ACL", "SETUSER", "eve", "+get", "allkeys", ">eve", "on")
		do(c, "ACL", "SAVE")
		saved, err := os.ReadFile(filepath.Join(dir, "users.acl"))
		require.NoError(t, err)
		r.saved = string(saved)
		bob := s.Client()
		do(bob, "AUTH", "bob", "bob")
		do(c, "ACL", "LOAD")
		do(c, "ACL", "USERS")
		r.replies = append(r.replies, "bob's connection closed after LOAD: "+map[bool]string{true: "yes", false: "no"}[bob.Closed()])
		for _, broken := range []string{
			userACL + "user alice on nopass ~* -@all\n",
			userACL + "user carol on +nosuch +@nosuch bogus ~x allkeys\n",
			"nouser here\nuser sp\x00ace on\n",
		} {
			require.NoError(t, os.WriteFile(filepath.Join(dir, "users.acl"), []byte(broken), 0o644))
			do(c, "ACL", "LOAD")
		}
		do(c, "ACL", "GETUSER", "alice")
		require.NoError(t, os.Remove(filepath.Join(dir, "users.acl")))
		do(c, "ACL", "LOAD")

		plain := Start(t, Options{Redis: redis, Config: "user bob on >bob ~set* +@set\n"})
		pc := plain.Client()
		do(pc, "ACL", "SAVE")
		do(pc, "ACL", "SETUSER", "zed", "on", "nopass", "+@hash", "~h*")
		do(pc, "ACL", "SETUSER", "default", ">pw")
		do(pc, "CONFIG", "REWRITE")
		conf, err := os.ReadFile(plain.Conf)
		require.NoError(t, err)
		for _, l := range strings.Split(string(conf), "\n") {
			if strings.HasPrefix(l, "user ") {
				r.rewrite = append(r.rewrite, l)
			}
		}
		return r
	}
	want, got := run(true), run(false)
	require.Equal(t, want.replies, got.replies)
	require.Equal(t, want.saved, got.saved)
	require.Equal(t, want.rewrite, got.rewrite)
}

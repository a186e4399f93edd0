package node_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/syncscope/syncscope/core/config"
	"github.com/syncscope/syncscope/core/node"
)

// TestACLStartupRefusals: the users Redis refuses to start with, and the
// line it logs before exiting.
func TestACLStartupRefusals(t *testing.T) {
	for _, tc := range []struct {
		name, conf, file, fileErr, log string
	}{
		{"users and aclfile", "aclfile users.acl\nuser bob on\n", "", "",
			"Configuring Redis with users defined in redis.conf and at the same setting an ACL file path is invalid."},
		{"unreadable aclfile", "aclfile users.acl\n", "", "No such file or directory",
			"Aborting Redis startup because of ACL errors: Error loading ACLs, opening file 'users.acl': No such file or directory"},
		{"bad aclfile", "aclfile users.acl\n", "user a on +nosuch\n", "",
			"Aborting Redis startup because of ACL errors: users.acl:1: Error in applying operation '+nosuch': Unknown command or category name in ACL. WARNING: ACL errors detected"},
		{"bad user line", "user bob on +nosuch\n", "", "",
			"Error loading ACL rule '+nosuch' for the user named 'bob': Unknown command or category name in ACL"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg, _, err := config.Parse(tc.conf, nil)
			require.NoError(t, err)
			n, err := node.New(cfg, node.Env{Now: time.Unix(0, 0), ACLFile: tc.file, ACLFileErr: tc.fileErr})
			require.Error(t, err)
			var logs []string
			for _, l := range n.Ready().Logs {
				logs = append(logs, l.Text)
			}
			require.Contains(t, strings.Join(logs, "\n"), tc.log)
		})
	}
	cfg, _, err := config.Parse("aclfile users.acl\n", nil)
	require.NoError(t, err)
	n, err := node.New(cfg, node.Env{Now: time.Unix(0, 0), ACLFile: "user a on >p ~* +get +acl|users\r\n\nuser default off\n"})
	require.NoError(t, err)
	n.Ready()
	l := &lone{t: t, n: n, now: time.Unix(0, 0)}
	l.step(node.Accepted{Conn: 1, Peer: "127.0.0.1:1"})
	require.Equal(t, "-NOAUTH Authentication required.\r\n", l.do(1, "PING\r\n"), "the file's default user is off")
	require.Equal(t, "+OK\r\n", l.do(1, "AUTH a p\r\n"))
	require.Equal(t, "*2\r\n$1\r\na\r\n$7\r\ndefault\r\n", l.do(1, "ACL USERS\r\n"))

	// Allowing a first argument is logged as Redis logs it.
	cfg, _, err = config.Parse("user u on +select|0 (+debug|object ~x) +client|id\n", nil)
	require.NoError(t, err)
	n, err = node.New(cfg, node.Env{Now: time.Unix(0, 0)})
	require.NoError(t, err)
	var warned []string
	for _, l := range n.Ready().Logs {
		if strings.HasPrefix(l.Text, "Deprecation warning") {
			warned = append(warned, l.Text)
		}
	}
	require.Equal(t, []string{
		"Deprecation warning: Allowing a first arg of an otherwise blocked command is a misuse of ACL and may get disabled in the future (offender: select|0)",
		"Deprecation warning: Allowing a first arg of an otherwise blocked command is a misuse of ACL and may get disabled in the future (offender: debug|object)",
	}, warned)
}

package node_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

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
			require.Contains(t, refusedLogs(t, tc.conf, node.Env{ACLFile: tc.file, ACLFileErr: tc.fileErr}), tc.log)
		})
	}
	l := newLoneEnv(t, "aclfile users.acl\n", node.Env{ACLFile: "user a on >p ~* +get +acl|users\r\n\nuser default off\n"})
	l.step(node.Accepted{Conn: 1, Peer: "127.0.0.1:1"})
	require.Equal(t, "-NOAUTH Authentication required.\r\n", l.do(1, "PING\r\n"), "the file's default user is off")
	require.Equal(t, "+OK\r\n", l.do(1, "AUTH a p\r\n"))
	require.Equal(t, "*2\r\n$1\r\na\r\n$7\r\ndefault\r\n", l.do(1, "ACL USERS\r\n"))

	// Allowing a first argument is logged as Redis logs it.
	l = newLone(t, "user u on +select|0 (+debug|object ~x) +client|id\n")
	var warned []string
	for _, line := range l.rd.Logs {
		if strings.HasPrefix(line.Text, "Deprecation warning") {
			warned = append(warned, line.Text)
		}
	}
	require.Equal(t, []string{
		"Deprecation warning: Allowing a first arg of an otherwise blocked command is a misuse of ACL and may get disabled in the future (offender: select|0)",
		"Deprecation warning: Allowing a first arg of an otherwise blocked command is a misuse of ACL and may get disabled in the future (offender: debug|object)",
	}, warned)
}

package node

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/syncscope/syncscope/core/config"
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
			n, err := New(cfg, Env{Now: time.Unix(0, 0), ACLFile: tc.file, ACLFileErr: tc.fileErr})
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
	n, err := New(cfg, Env{Now: time.Unix(0, 0), ACLFile: "user a on >p ~* +get\r\n\nuser default off\n"})
	require.NoError(t, err)
	require.Equal(t, []string{"a", "default"}, n.userNames())
	require.True(t, n.acl.users["a"].checkPassword("p"))
	require.True(t, n.authRequired(&client{}), "the file's default user is off")

	// Allowing a first argument is logged as Redis logs it.
	cfg, _, err = config.Parse("user u on +select|0 (+debug|object ~x) +client|id\n", nil)
	require.NoError(t, err)
	n, err = New(cfg, Env{Now: time.Unix(0, 0)})
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

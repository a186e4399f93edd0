package config

import "strings"

// ACL rule errors of "user" lines, as Redis's ACLSetUserStringError words them.
const (
	aclSyntax      = "Syntax error"
	aclUnknown     = "Unknown command or category name in ACL"
	aclAfterAllKey = "Adding a pattern after the * pattern (or the 'allkeys' flag) is not valid and does not have any effect. Try 'resetkeys' to start with an empty list of patterns"
	aclAfterAllCh  = "Adding a pattern after the * pattern (or the 'allchannels' flag) is not valid and does not have any effect. Try 'resetchannels' to start with an empty list of channels"
	aclNoSuchPass  = "The password you are trying to remove from the user does not exist"
	aclBadHash     = "The password hash must be exactly 64 characters and contain only lowercase hexadecimal characters"
)

// aclSelector is what checking a rule needs to remember.
type aclSelector struct {
	allKeys, allChannels bool
	passwords            map[string]bool // passwords and hashes set so far
}

// checkUser checks the rules of a "user name rule..." line (args includes
// "user") the way ACLAppendUserForLoading does when loading the config: the
// syntax only, since unknown commands and categories are checked later.
// It returns the error text and the argument Redis names in its message:
// Redis 7.0.15 names the one two places before the faulty rule.
func checkUser(args []string) (string, string) {
	sel := aclSelector{passwords: map[string]bool{}}
	for j := 2; j < len(args); j++ {
		op := args[j]
		if strings.HasPrefix(op, "(") && !strings.HasSuffix(op, ")") {
			// A selector given as several words: join them up to the ")".
			k := j + 1
			for k < len(args) && !strings.HasSuffix(args[k], ")") {
				k++
			}
			if k == len(args) {
				return aclUnknown, args[j-2]
			}
			op = strings.Join(args[j:k+1], " ")
			if msg := checkSelector(op); msg != "" {
				return msg, args[j-2]
			}
			j = k
			continue
		}
		if len(op) >= 2 && op[0] == '(' {
			if msg := checkSelector(op); msg != "" {
				return msg, args[j-2]
			}
			continue
		}
		if msg := sel.apply(op, true); msg != "" {
			return msg, args[j-2]
		}
	}
	return "", ""
}

// checkSelector checks the rules of a "(rule rule ...)" selector.
func checkSelector(op string) string {
	sel := aclSelector{passwords: map[string]bool{}}
	for _, r := range strings.Fields(op[1 : len(op)-1]) {
		if msg := sel.apply(r, false); msg != "" {
			return msg
		}
	}
	return ""
}

// apply checks one rule; user-level rules (passwords, on/off) are only
// valid outside selectors.
func (s *aclSelector) apply(op string, user bool) string {
	switch strings.ToLower(op) {
	case "allkeys":
		s.allKeys = true
		return ""
	case "resetkeys":
		s.allKeys = false
		return ""
	case "allchannels":
		s.allChannels = true
		return ""
	case "resetchannels":
		s.allChannels = false
		return ""
	case "allcommands", "nocommands":
		return ""
	case "on", "off", "skip-sanitize-payload", "sanitize-payload", "clearselectors":
		if user {
			return ""
		}
	case "nopass", "resetpass":
		if user {
			clear(s.passwords)
			return ""
		}
	case "reset":
		if user {
			clear(s.passwords)
			s.allKeys, s.allChannels = false, false
			return ""
		}
	}
	if op == "" {
		return aclSyntax
	}
	switch op[0] {
	case '+', '-':
		return "" // unknown commands are reported when the users are loaded
	case '~':
		if s.allKeys {
			return aclAfterAllKey
		}
		s.allKeys = op == "~*"
		return ""
	case '%':
		return s.keyPermission(op)
	case '&':
		if s.allChannels {
			return aclAfterAllCh
		}
		s.allChannels = op == "&*"
		return ""
	}
	if !user {
		return aclSyntax
	}
	switch op[0] {
	case '>':
		s.passwords[op[1:]] = true
	case '<':
		if !s.passwords[op[1:]] {
			return aclNoSuchPass
		}
		delete(s.passwords, op[1:])
	case '#', '!':
		h := op[1:]
		if len(h) != 64 || strings.Trim(h, "0123456789abcdef") != "" {
			return aclBadHash
		}
		if op[0] == '!' {
			if !s.passwords["#"+h] {
				return aclNoSuchPass
			}
			delete(s.passwords, "#"+h)
		} else {
			s.passwords["#"+h] = true
		}
	default:
		return aclSyntax
	}
	return ""
}

// keyPermission checks "%R~pattern", "%W~pattern", "%RW~pattern".
func (s *aclSelector) keyPermission(op string) string {
	read, write := false, false
	for _, c := range op[1:] {
		switch {
		case (c == 'R' || c == 'r') && !read:
			read = true
			continue
		case (c == 'W' || c == 'w') && !write:
			write = true
			continue
		case c == '~':
		default:
			return aclSyntax
		}
		break
	}
	if !read && !write {
		return aclSyntax
	}
	if s.allKeys {
		return aclAfterAllKey
	}
	return ""
}

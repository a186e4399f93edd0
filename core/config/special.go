package config

import (
	"strconv"
	"strings"

	"github.com/syncscope/syncscope/core/cstr"
)

// Directives with their own syntax (config.c's createSpecialConfig rows) and
// the extra validity checks of ordinary ones.

func setBind(c *Config, args []string, _ *loadState) string {
	if len(args) > 16 { // CONFIG_BINDADDR_MAX
		return "Too many bind addresses specified."
	}
	if len(args) == 1 && args[0] == "" {
		args = nil
	}
	c.Bind = append([]string(nil), args...)
	return ""
}

func getBind(c *Config) string { return strings.Join(c.Bind, " ") }

func setSave(c *Config, args []string, st *loadState) string {
	if len(args) == 1 && args[0] == "" {
		c.Save = nil
		st.saveLoaded = true
		return ""
	}
	if len(args)%2 != 0 {
		return "Invalid save parameters"
	}
	points := make([]SavePoint, 0, len(args)/2)
	for j := 0; j < len(args); j += 2 {
		secs, rest1, _ := cstr.Strtoll(args[j], 10)
		changes, rest2, _ := cstr.Strtoll(args[j+1], 10)
		if rest1 != "" || rest2 != "" || secs < 1 || changes < 0 {
			return "Invalid save parameters"
		}
		points = append(points, SavePoint{Seconds: int(secs), Changes: int(int32(changes))})
	}
	// In a file the first save line replaces the defaults and later ones
	// add to it; CONFIG SET always replaces.
	if !st.file || !st.saveLoaded {
		c.Save = nil
	}
	st.saveLoaded = true
	c.Save = append(c.Save, points...)
	return ""
}

func getSave(c *Config) string {
	words := make([]string, 0, 2*len(c.Save))
	for _, s := range c.Save {
		words = append(words, strconv.Itoa(s.Seconds), strconv.Itoa(s.Changes))
	}
	return strings.Join(words, " ")
}

// clientClass is getClientTypeByName for the classes that have limits.
func clientClass(name string) int {
	switch strings.ToLower(name) {
	case "normal":
		return ClassNormal
	case "slave", "replica":
		return ClassReplica
	case "pubsub":
		return ClassPubSub
	}
	return -1
}

var classNames = [3]string{"normal", "slave", "pubsub"}

func setOBufLimit(c *Config, args []string, _ *loadState) string {
	if len(args)%4 != 0 {
		return "Wrong number of arguments in buffer limit configuration."
	}
	limits := c.ClientOutputBufferLimits
	for j := 0; j < len(args); j += 4 {
		class := clientClass(args[j])
		if class < 0 {
			return "Invalid client class specified in buffer limit configuration."
		}
		hard, ok1 := memtoull(args[j+1])
		soft, ok2 := memtoull(args[j+2])
		secs, rest, _ := cstr.Strtoll(args[j+3], 10)
		if !ok1 || !ok2 || secs < 0 || rest != "" {
			return "Error in hard, soft or soft_seconds setting in buffer limit configuration."
		}
		limits[class] = BufferLimit{Hard: int64(hard), Soft: int64(soft), SoftSeconds: int(int32(secs))}
	}
	c.ClientOutputBufferLimits = limits
	return ""
}

func getOBufLimit(c *Config) string {
	words := make([]string, 0, 4*len(c.ClientOutputBufferLimits))
	for i, l := range c.ClientOutputBufferLimits {
		words = append(words, classNames[i], strconv.FormatUint(uint64(l.Hard), 10),
			strconv.FormatUint(uint64(l.Soft), 10), strconv.Itoa(l.SoftSeconds))
	}
	return strings.Join(words, " ")
}

func setDir(c *Config, args []string, _ *loadState) string {
	if len(args) != 1 {
		return "wrong number of arguments"
	}
	dir := args[0]
	if c.env.Chdir != nil {
		abs, err := c.env.Chdir(dir)
		if err != nil {
			return err.Error()
		}
		dir = abs
	}
	c.Dir = dir
	return ""
}

func setReplicaOf(c *Config, args []string, _ *loadState) string {
	if len(args) != 2 {
		return "wrong number of arguments"
	}
	c.ReplicaOf = nil
	if strings.EqualFold(args[0], "no") && strings.EqualFold(args[1], "one") {
		return ""
	}
	port, rest, overflow := cstr.Strtoll(args[1], 10)
	if overflow || port < 0 || port > 65535 || rest != "" {
		return "Invalid master port"
	}
	c.ReplicaOf = &HostPort{Host: args[0], Port: int(port)}
	return ""
}

func getReplicaOf(c *Config) string {
	if c.ReplicaOf == nil {
		return ""
	}
	return c.ReplicaOf.Host + " " + strconv.Itoa(c.ReplicaOf.Port)
}

func setOOMValues(c *Config, args []string, _ *loadState) string {
	if len(args) != 3 {
		return "wrong number of arguments"
	}
	var v [3]int
	for i, a := range args {
		n, rest, _ := cstr.Strtoll(a, 10)
		if rest != "" || n < -2000 || n > 2000 {
			return "Invalid oom-score-adj-values, elements must be between -2000 and 2000."
		}
		v[i] = int(n)
	}
	c.oomValues = v
	return ""
}

func getOOMValues(c *Config) string {
	v := c.oomValues
	return strconv.Itoa(v[0]) + " " + strconv.Itoa(v[1]) + " " + strconv.Itoa(v[2])
}

func setPercentiles(c *Config, args []string, _ *loadState) string {
	if len(args) == 1 && args[0] == "" {
		args = nil
	}
	ps := make([]float64, 0, len(args))
	for _, a := range args {
		f, ok := string2d(a)
		if !ok {
			return "Invalid latency-tracking-info-percentiles parameters"
		}
		if f > 100 || f < 0 {
			return "latency-tracking-info-percentiles parameters should sit between [0.0,100.0]"
		}
		ps = append(ps, f)
	}
	c.percentiles = ps
	return ""
}

// string2d accepts what Redis's string2d does: a whole strtod number with
// no leading blank, not NaN, not overflowing.
func string2d(s string) (float64, bool) {
	if s == "" || cstr.IsSpace(s[0]) || strings.ContainsRune(s, '_') {
		return 0, false
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f != f {
		return 0, false
	}
	return f, true
}

// LatencyPercentiles are latency-tracking-info-percentiles, each with the
// name INFO latencystats gives it ("99.9" for p99.9).
func (c *Config) LatencyPercentiles() (ps []float64, names []string) {
	names = make([]string, len(c.percentiles))
	for i, f := range c.percentiles {
		names[i] = formatPercentile(f)
	}
	return c.percentiles, names
}

func getPercentiles(c *Config) string {
	_, names := c.LatencyPercentiles()
	return strings.Join(names, " ")
}

// Keyspace notification classes (notify.c); "A" is every class from g to d.
const (
	notifyKeyspace = 1 << iota
	notifyKeyevent
	notifyGeneric
	notifyString
	notifyList
	notifySet
	notifyHash
	notifyZSet
	notifyExpired
	notifyEvicted
	notifyStream
	notifyKeyMiss
	notifyLoaded
	notifyModule
	notifyNew

	notifyAll = notifyGeneric | notifyString | notifyList | notifySet | notifyHash | notifyZSet |
		notifyExpired | notifyEvicted | notifyStream | notifyModule
)

var notifyChars = []struct {
	c    byte
	flag int
}{
	{'g', notifyGeneric}, {'$', notifyString}, {'l', notifyList}, {'s', notifySet}, {'h', notifyHash},
	{'z', notifyZSet}, {'x', notifyExpired}, {'e', notifyEvicted}, {'t', notifyStream}, {'d', notifyModule},
	{'n', notifyNew},
}

func setNotify(c *Config, args []string, _ *loadState) string {
	if len(args) != 1 {
		return "wrong number of arguments"
	}
	flags := 0
	s := cstr.UntilNUL(args[0])
	for i := 0; i < len(s); i++ {
		switch ch := s[i]; ch {
		case 'A':
			flags |= notifyAll
		case 'K':
			flags |= notifyKeyspace
		case 'E':
			flags |= notifyKeyevent
		case 'm':
			flags |= notifyKeyMiss
		default:
			found := false
			for _, n := range notifyChars {
				if n.c == ch {
					flags |= n.flag
					found = true
				}
			}
			if !found {
				return "Invalid event class character. Use 'Ag$lshzxeKEtmdn'."
			}
		}
	}
	c.notify = flags
	return ""
}

// NotifyKeyspaceEvents returns the notify-keyspace-events flags as Redis
// stores them (NOTIFY_* bits of server.h).
func (c *Config) NotifyKeyspaceEvents() int { return c.notify }

func notifyFlagsString(flags int) string {
	var b []byte
	if flags&notifyAll == notifyAll {
		b = append(b, 'A')
	} else {
		for _, n := range notifyChars {
			if flags&n.flag != 0 {
				b = append(b, n.c)
			}
		}
	}
	if flags&notifyKeyspace != 0 {
		b = append(b, 'K')
	}
	if flags&notifyKeyevent != 0 {
		b = append(b, 'E')
	}
	if flags&notifyKeyMiss != 0 {
		b = append(b, 'm')
	}
	return string(b)
}

func checkActiveDefrag(v string) string {
	// Debian's redis-server is built without Redis's patched jemalloc, so it
	// refuses to enable active defragmentation; syncscope has none either.
	if strings.EqualFold(v, "yes") {
		return "Active defragmentation cannot be enabled: it requires a Redis server compiled with a modified Jemalloc like the one shipped by default with the Redis source distribution"
	}
	return ""
}

// checkBaseName is the check of dbfilename, appendfilename and
// appenddirname (isValidAOFfilename, isValidAOFdirname): a name in the
// working directory, not a path (kind: filename or dirname), and not empty
// unless mayBeEmpty.
func checkBaseName(name, kind string, mayBeEmpty bool) func(string) string {
	return func(v string) string {
		if v == "" && !mayBeEmpty {
			return name + " can't be empty"
		}
		if strings.ContainsRune(v, '/') {
			return name + " can't be a path, just a " + kind
		}
		return ""
	}
}

func checkHostname(v string) string {
	if len(v) >= 256 { // NET_HOST_STR_LEN
		return "Hostnames must be less than 256 characters"
	}
	for i := 0; i < len(v); i++ {
		c := v[i]
		if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '.') {
			return "Hostnames may only contain alphanumeric characters, hyphens or dots"
		}
	}
	return ""
}

func checkShutdownFlags(v string) string {
	save, nosave := false, false
	for _, f := range strings.Fields(v) {
		save = save || f == "save"
		nosave = nosave || f == "nosave"
	}
	if save && nosave {
		return "shutdown options SAVE and NOSAVE can't be used simultaneously"
	}
	return ""
}

// checkProcTitle validates a proc-title-template like sdstemplate: {name}
// must be a known variable, {{ and }} are literal braces.
func checkProcTitle(v string) string {
	const bad = "template format is invalid or contains unknown variables"
	for i := 0; i < len(v); i++ {
		switch v[i] {
		case '{':
			if i+1 < len(v) && v[i+1] == '{' {
				i++
				continue
			}
			end := strings.IndexByte(v[i+1:], '}')
			if end < 0 {
				return bad
			}
			switch v[i+1 : i+1+end] {
			case "title", "listen-addr", "server-mode", "port", "tls-port", "unixsocket", "config-file":
			default:
				return bad
			}
			i += end + 1
		case '}':
			if i+1 < len(v) && v[i+1] == '}' {
				i++
				continue
			}
			return bad
		}
	}
	return ""
}

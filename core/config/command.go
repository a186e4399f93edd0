package config

import (
	"errors"
	"sort"
	"strings"

	"github.com/syncscope/syncscope/core/cstr"
)

// Get answers CONFIG GET: each pattern is either an exact name (hidden
// directives included, the name echoed as given) or a glob matched
// case-insensitively against every name and alias. Pairs come sorted by name.
func (c *Config) Get(patterns ...string) [][2]string {
	var out [][2]string
	taken := map[string]bool{} // lower-cased names already in out
	seen := func(name string) bool {
		key := strings.ToLower(name)
		if taken[key] {
			return true
		}
		taken[key] = true
		return false
	}
	for _, pat := range patterns {
		if !strings.ContainsAny(pat, "[*?") {
			if p := lookup(pat); p != nil && !seen(pat) {
				out = append(out, [2]string{pat, p.getValue(c)})
			}
			continue
		}
		for i := range params {
			p := &params[i]
			if p.flags&hidden != 0 {
				continue
			}
			for _, name := range [2]string{p.name, p.alias} {
				if name != "" && cstr.Glob(pat, name, true) && !seen(name) {
					out = append(out, [2]string{name, p.getValue(c)})
				}
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i][0] < out[j][0] })
	return out
}

// Set answers CONFIG SET name value [name value ...] from a non-local
// client: see SetFrom.
func (c *Config) Set(pairs ...string) error { return c.SetFrom(false, pairs...) }

// SetFrom answers CONFIG SET for a client that is local (loopback or unix
// socket) or not, which matters for protected directives when
// enable-protected-configs is "local". It changes all the values or none,
// and its errors are Redis's replies without the leading '-'.
func (c *Config) SetFrom(local bool, pairs ...string) error {
	if len(pairs) < 2 {
		return errors.New("ERR wrong number of arguments for 'config|set' command")
	}
	if len(pairs)%2 != 0 {
		return errors.New("ERR syntax error")
	}
	allowProtected := c.extraString("enable-protected-configs") == "yes" ||
		(local && c.extraString("enable-protected-configs") == "local")
	// First find every directive, as Redis does before changing anything;
	// the first unknown name wins over other errors found after it.
	found := make([]*param, 0, len(pairs)/2)
	unknown, errName, errText := "", "", ""
	for i := 0; i < len(pairs); i += 2 {
		p := lookup(pairs[i])
		if p == nil {
			if errName == "" && unknown == "" {
				unknown = pairs[i]
			}
			continue
		}
		if unknown != "" || errName != "" {
			continue
		}
		switch {
		case p.flags&immutable != 0:
			errName, errText = pairs[i], "can't set immutable config"
		case p.flags&protected != 0 && !allowProtected:
			errName, errText = pairs[i], "can't set protected config"
		case containsParam(found, p):
			errName, errText = pairs[i], "duplicate parameter"
		}
		found = append(found, p)
	}
	if unknown != "" {
		return errors.New("ERR Unknown option or number of arguments for CONFIG SET - '" + unknown + "'")
	}
	if errName != "" {
		return errors.New("ERR CONFIG SET failed (possibly related to argument '" + errName + "') - " + errText)
	}
	next := c.Clone()
	st := loadState{}
	for i, p := range found {
		if msg := p.setValue(next, pairs[2*i+1], &st); msg != "" {
			name := p.name
			if !strings.EqualFold(pairs[2*i], p.name) {
				name = p.alias
			}
			return errors.New("ERR CONFIG SET failed (possibly related to argument '" + name + "') - " + msg)
		}
	}
	next.clampHz()
	*c = *next
	return nil
}

func containsParam(ps []*param, p *param) bool {
	for _, q := range ps {
		if q == p {
			return true
		}
	}
	return false
}

// extraString reads a directive kept without a typed field.
func (c *Config) extraString(name string) string { return *c.extra[name].(*string) }

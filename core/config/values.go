package config

import (
	"strconv"
	"strings"

	"github.com/syncscope/syncscope/core/cstr"
)

// ref returns the storage of a non-special param.
func (c *Config) ref(p *param) any {
	if p.field != nil {
		return p.field(c)
	}
	return c.extra[p.name]
}

// setValue sets p from one CONFIG SET style value: multi-argument params
// split it on single spaces, as Redis's performInterfaceSet does.
func (p *param) setValue(c *Config, value string, st *loadState) string {
	if p.flags&multiArg == 0 {
		return p.setArgs(c, []string{value}, st)
	}
	var args []string
	if value != "" {
		args = strings.Split(value, " ")
	}
	return p.setArgs(c, args, st)
}

// setArgs is Redis's interface.set: it checks and stores args, or returns
// the error text Redis reports.
func (p *param) setArgs(c *Config, args []string, st *loadState) string {
	switch p.kind {
	case kindBool:
		var b bool
		switch strings.ToLower(args[0]) {
		case "yes":
			b = true
		case "no":
		default:
			return "argument must be 'yes' or 'no'"
		}
		if p.check != nil {
			if msg := p.check(args[0]); msg != "" {
				return msg
			}
		}
		*c.ref(p).(*bool) = b
	case kindString:
		if p.check != nil {
			if msg := p.check(args[0]); msg != "" {
				return msg
			}
		}
		*c.ref(p).(*string) = args[0]
	case kindEnum:
		name, msg := p.parseEnum(args)
		if msg != "" {
			return msg
		}
		*c.ref(p).(*string) = name
	case kindNum:
		v, msg := p.parseNum(args[0])
		if msg != "" {
			return msg
		}
		switch f := c.ref(p).(type) {
		case *int:
			*f = int(v)
		case *int64:
			*f = v
		}
	default:
		return p.set(c, args, st)
	}
	return ""
}

// getValue is CONFIG GET's value of p.
func (p *param) getValue(c *Config) string {
	switch p.kind {
	case kindBool:
		if *c.ref(p).(*bool) {
			return "yes"
		}
		return "no"
	case kindString, kindEnum:
		return *c.ref(p).(*string)
	case kindNum:
		return p.formatNum(c.num(p))
	}
	return p.get(c)
}

func (c *Config) num(p *param) int64 {
	switch f := c.ref(p).(type) {
	case *int:
		return int64(*f)
	case *int64:
		return *f
	}
	return 0
}

func (p *param) formatNum(v int64) string {
	switch {
	case p.flags&percent != 0 && v < 0:
		return strconv.FormatInt(-v, 10) + "%"
	case p.flags&memory != 0:
		return strconv.FormatUint(uint64(v), 10)
	case p.flags&octal != 0:
		return strconv.FormatUint(uint64(v), 8)
	}
	return strconv.FormatInt(v, 10)
}

// parseEnum maps names to the canonical name CONFIG GET shows.
func (p *param) parseEnum(args []string) (string, string) {
	val, ok := 0, len(args) > 0 && (p.flags&bitflags != 0 || len(args) == 1)
	for _, a := range args {
		found := false
		for _, e := range p.enum {
			if strings.EqualFold(a, e.name) {
				val |= e.val
				found = true
			}
		}
		ok = ok && found
	}
	if !ok {
		var b strings.Builder
		b.WriteString("argument(s) must be one of the following: ")
		for i, e := range p.enum {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(e.name)
		}
		msg := b.String()
		if len(msg) > 255 { // Redis formats it into a 256-byte buffer
			msg = msg[:255]
		}
		return "", msg
	}
	name := p.enumName(val)
	if p.check != nil {
		if msg := p.check(name); msg != "" {
			return "", msg
		}
	}
	return name, ""
}

// enumName renders a value like configEnumGetName: the first exact match,
// else (bitflags) the names of the set bits in table order.
func (p *param) enumName(val int) string {
	var names []string
	rest := val
	for _, e := range p.enum {
		if e.val == val {
			return e.name
		}
		if p.flags&bitflags != 0 && e.val != 0 && e.val == rest&e.val {
			names = append(names, e.name)
			rest &^= e.val
		}
	}
	if names == nil || rest != 0 {
		return "unknown"
	}
	return strings.Join(names, " ")
}

// parseNum parses and range-checks a number like numericParseString and
// numericBoundaryCheck.
func (p *param) parseNum(s string) (int64, string) {
	v, ok := int64(0), false
	if p.flags&memory != 0 {
		var u uint64
		u, ok = memtoull(s)
		v = int64(u)
	}
	if !ok && p.flags&percent != 0 && len(s) > 1 && s[len(s)-1] == '%' {
		if n, good := cstr.String2ll(s[:len(s)-1]); good && n >= 0 {
			v, ok = -n, true
		}
	}
	if !ok && p.flags&octal != 0 {
		n, rest, overflow := cstr.Strtoll(s, 8)
		v, ok = n, !overflow && rest == ""
	}
	if !ok && p.flags&(memory|percent|octal) == 0 {
		v, ok = cstr.String2ll(s)
	}
	if !ok {
		switch {
		case p.flags&memory != 0 && p.flags&percent != 0:
			return 0, "argument must be a memory or percent value"
		case p.flags&memory != 0:
			return 0, "argument must be a memory value"
		case p.flags&octal != 0:
			return 0, "argument couldn't be parsed as an octal number"
		}
		return 0, "argument couldn't be parsed into an integer"
	}
	if p.flags&unsigned != 0 {
		if u := uint64(v); u > p.hi || u < uint64(p.lo) {
			if p.flags&octal != 0 {
				return 0, "argument must be between " + strconv.FormatUint(uint64(p.lo), 8) + " and " + strconv.FormatUint(p.hi, 8) + " inclusive"
			}
			return 0, "argument must be between " + strconv.FormatUint(uint64(p.lo), 10) + " and " + strconv.FormatUint(p.hi, 10) + " inclusive"
		}
	} else if p.flags&percent != 0 && v < 0 {
		if v < p.lo {
			return 0, "percentage argument must be less or equal to " + strconv.FormatInt(-p.lo, 10)
		}
	} else if v > int64(p.hi) || v < p.lo {
		return 0, "argument must be between " + strconv.FormatInt(p.lo, 10) + " and " + strconv.FormatUint(p.hi, 10) + " inclusive"
	}
	return v, ""
}

// clampHz applies Redis's hz limits (CONFIG_MIN_HZ 1, CONFIG_MAX_HZ 500):
// hz is a hint, so out-of-range values are accepted and capped.
func (c *Config) clampHz() {
	c.Hz = min(max(c.Hz, 1), 500)
}

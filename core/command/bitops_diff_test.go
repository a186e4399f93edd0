//go:build !js

package command

import (
	"math/rand/v2"
	"strconv"
	"testing"
)

func bc(args ...string) diffCase { return diffCase{Args: args} }

// TestBitopsDiff runs the bitmap commands, their options, errors and edges
// side by side with redis-server.
func TestBitopsDiff(t *testing.T) {
	runDiff(t, []diffCase{
		// SETBIT / GETBIT
		bc("SETBIT", "b", "0", "1"), bc("SETBIT", "b", "0", "1"), bc("SETBIT", "b", "7", "1"), bc("GET", "b"),
		bc("SETBIT", "b", "100", "1"), bc("STRLEN", "b"), bc("GETBIT", "b", "100"), bc("GETBIT", "b", "99"),
		bc("GETBIT", "b", "1000000"), bc("GETBIT", "nokey", "5"), bc("OBJECT", "ENCODING", "b"),
		bc("SETBIT", "b", "-1", "1"), bc("SETBIT", "b", "x", "1"), bc("SETBIT", "b", "1", "2"), bc("SETBIT", "b", "1", "-1"),
		bc("SETBIT", "b", "1", "x"), bc("SETBIT", "b", "1", ""), bc("SETBIT", "b", "1", " 1"), bc("SETBIT", "b", "01", "1"),
		bc("SETBIT", "b", "4294967296", "1"), bc("SETBIT", "b", "4294967295", "x"), bc("SETBIT", "b", "9223372036854775807", "1"),
		bc("SETBIT", "b", "9223372036854775808", "1"), bc("SETBIT", "b", "-9223372036854775808", "1"),
		bc("GETBIT", "b", "4294967296"), bc("GETBIT", "b", "4294967295"), bc("GETBIT", "b", "-1"), bc("GETBIT", "b", "1.5"),
		bc("SET", "i", "12"), bc("OBJECT", "ENCODING", "i"), bc("GETBIT", "i", "2"), bc("GETBIT", "i", "3"), bc("GETBIT", "i", "15"),
		bc("SETBIT", "i", "0", "0"), bc("OBJECT", "ENCODING", "i"), bc("GET", "i"),
		bc("SET", "i2", "-7"), bc("SETBIT", "i2", "20", "1"), bc("GET", "i2"), bc("OBJECT", "ENCODING", "i2"),
		bc("SET", "short", "ab"), bc("OBJECT", "ENCODING", "short"), bc("SETBIT", "short", "1", "1"), bc("OBJECT", "ENCODING", "short"),
		bc("LPUSH", "l", "a"), bc("SETBIT", "l", "0", "1"), bc("GETBIT", "l", "0"), bc("SETBIT", "l", "-1", "1"), bc("GETBIT", "l", "x"),
		bc("SETBIT", "b"), bc("GETBIT", "b"), bc("SETBIT", "b", "1", "1", "1"),
		bc("SET", "e", "v", "EX", "100"), bc("SETBIT", "e", "3", "1"), bc("TTL", "e"),

		// BITCOUNT
		bc("SET", "s", "foobar"), bc("BITCOUNT", "s"), bc("BITCOUNT", "s", "0", "0"), bc("BITCOUNT", "s", "1", "1"),
		bc("BITCOUNT", "s", "1", "-2"), bc("BITCOUNT", "s", "-1", "-2"), bc("BITCOUNT", "s", "-2", "-1"), bc("BITCOUNT", "s", "-100", "100"),
		bc("BITCOUNT", "s", "5", "30"), bc("BITCOUNT", "s", "0", "-1", "BYTE"), bc("BITCOUNT", "s", "0", "-1", "bit"),
		bc("BITCOUNT", "s", "5", "30", "BIT"), bc("BITCOUNT", "s", "3", "3", "BIT"), bc("BITCOUNT", "s", "1", "6", "BIT"),
		bc("BITCOUNT", "s", "-5", "-1", "BIT"), bc("BITCOUNT", "s", "-1", "-5", "BIT"), bc("BITCOUNT", "s", "9", "8", "BIT"),
		bc("BITCOUNT", "s", "0", "1000", "bit"), bc("BITCOUNT", "s", "47", "47", "bit"), bc("BITCOUNT", "s", "40", "47", "bit"),
		bc("BITCOUNT", "s", "0"), bc("BITCOUNT", "s", "0", "1", "2"), bc("BITCOUNT", "s", "0", "1", "BIT", "x"),
		bc("BITCOUNT", "s", "x", "1"), bc("BITCOUNT", "s", "1", "x"), bc("BITCOUNT", "s", "x", "y", "z"),
		bc("BITCOUNT", "s", "-9223372036854775808", "9223372036854775807"), bc("BITCOUNT", "s", "-9223372036854775808", "-9223372036854775808", "BIT"),
		bc("BITCOUNT", "s", "9223372036854775807", "9223372036854775807", "BIT"), bc("BITCOUNT", "s", "-1", "-1", "BIT"),
		bc("BITCOUNT", "nokey"), bc("BITCOUNT", "nokey", "0"), bc("BITCOUNT", "nokey", "x", "y", "BIT"), bc("BITCOUNT", "l"), bc("BITCOUNT", "l", "x"),
		bc("BITCOUNT", "i"), bc("BITCOUNT", "i", "0", "0"), bc("SET", "empty", ""), bc("BITCOUNT", "empty"), bc("BITCOUNT", "empty", "0", "-1"),
		bc("BITCOUNT", "empty", "0", "-1", "BIT"), bc("BITCOUNT", "s", "0", "-1", "b\x00it"), bc("BITCOUNT", "s", "0", "-1", "bit\x00x"),

		// BITPOS
		bc("SET", "p", "\xff\xf0\x00"), bc("BITPOS", "p", "0"), bc("BITPOS", "p", "1"), bc("BITPOS", "p", "0", "2"), bc("BITPOS", "p", "1", "2"),
		bc("BITPOS", "p", "0", "0", "1"), bc("BITPOS", "p", "0", "0", "0"), bc("BITPOS", "p", "1", "2", "-1"), bc("BITPOS", "p", "0", "0", "-1"),
		bc("BITPOS", "p", "0", "3", "10", "BIT"), bc("BITPOS", "p", "0", "7", "11", "BIT"), bc("BITPOS", "p", "1", "7", "15", "BIT"),
		bc("BITPOS", "p", "1", "12", "23", "BIT"), bc("BITPOS", "p", "0", "12", "-1", "BIT"), bc("BITPOS", "p", "1", "5", "-10", "BIT"),
		bc("BITPOS", "p", "0", "5", "3", "BIT"), bc("BITPOS", "p", "1", "-3", "-1", "BIT"), bc("BITPOS", "p", "0", "-100", "-90", "BIT"),
		bc("BITPOS", "p", "0", "0", "11", "BIT"), bc("BITPOS", "p", "0", "4", "11", "bit"), bc("BITPOS", "p", "0", "4", "11", "byte"),
		bc("BITPOS", "p", "1", "9", "9", "BIT"), bc("BITPOS", "p", "1", "8", "8", "BIT"), bc("BITPOS", "p", "0", "9", "9", "BIT"),
		bc("BITPOS", "p", "1", "1000"), bc("BITPOS", "p", "0", "1000"), bc("BITPOS", "p", "0", "1000", "2000", "BIT"),
		bc("BITPOS", "p", "2"), bc("BITPOS", "p", "-1"), bc("BITPOS", "p", "x"), bc("BITPOS", "p", "1", "x"), bc("BITPOS", "p", "1", "0", "x"),
		bc("BITPOS", "p", "1", "0", "1", "BITS"), bc("BITPOS", "p", "1", "0", "1", "BIT", "x"), bc("BITPOS", "p", "1", "x", "1", "FOO"),
		bc("BITPOS", "nokey", "0"), bc("BITPOS", "nokey", "1"), bc("BITPOS", "nokey", "1", "x"), bc("BITPOS", "nokey", "2"),
		bc("BITPOS", "l", "1"), bc("BITPOS", "l", "5"), bc("BITPOS", "i", "1"), bc("BITPOS", "i", "0", "1"), bc("BITPOS", "empty", "0"),
		bc("BITPOS", "empty", "1"), bc("BITPOS", "empty", "0", "0", "-1", "BIT"), bc("SET", "ones", "\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff"),
		bc("BITPOS", "ones", "0"), bc("BITPOS", "ones", "0", "0", "-1"), bc("BITPOS", "ones", "0", "3"), bc("BITPOS", "ones", "0", "3", "-1", "BIT"),
		bc("BITPOS", "ones", "0", "3", "BIT"), bc("BITPOS", "ones", "1", "3", "BIT"),
		bc("BITPOS", "p", "1", "-9223372036854775808", "9223372036854775807", "BIT"), bc("BITPOS", "p", "0", "9223372036854775807"),

		// BITOP
		bc("SET", "a", "\x01\x02\xff"), bc("SET", "b2", "\xf0"), bc("BITOP", "AND", "dst", "a", "b2"), bc("GET", "dst"), bc("OBJECT", "ENCODING", "dst"),
		bc("BITOP", "or", "dst", "a", "b2", "nokey"), bc("GET", "dst"), bc("BITOP", "XoR", "dst", "a", "b2", "a"), bc("GET", "dst"),
		bc("BITOP", "NOT", "dst", "a"), bc("GET", "dst"), bc("BITOP", "NOT", "dst", "a", "b2"), bc("BITOP", "NOT", "dst", "nokey"), bc("EXISTS", "dst"),
		bc("SET", "dst", "x"), bc("BITOP", "AND", "dst", "nokey", "nokey2"), bc("EXISTS", "dst"), bc("BITOP", "AND", "dst", "nokey", "a"), bc("GET", "dst"),
		bc("BITOP", "AND", "dst", "a", "empty"), bc("GET", "dst"), bc("BITOP", "OR", "dst", "empty"), bc("EXISTS", "dst"),
		bc("BITOP", "NAND", "dst", "a"), bc("BITOP", "AND", "dst", "a", "l"), bc("BITOP", "AND", "l", "a"), bc("TYPE", "l"),
		bc("BITOP", "AND", "dst"), bc("BITOP", "and\x00x", "dst", "a"), bc("BITOP", "OR", "i", "i", "a"), bc("GET", "i"),
		bc("SET", "tt", "v", "EX", "100"), bc("BITOP", "OR", "tt", "a"), bc("TTL", "tt"), bc("SET", "n1", "123"), bc("BITOP", "XOR", "dst", "n1", "a"),
		bc("GET", "dst"),

		// BITFIELD and BITFIELD_RO
		bc("BITFIELD", "f", "SET", "i8", "0", "-100", "GET", "i8", "0", "GET", "u8", "0", "GET", "u4", "4", "GET", "i4", "4"),
		bc("BITFIELD", "f", "INCRBY", "u2", "100", "1", "OVERFLOW", "SAT", "incrby", "u2", "102", "1"), bc("GET", "f"), bc("OBJECT", "ENCODING", "f"),
		bc("BITFIELD", "f", "SET", "u8", "#1", "255", "GET", "u8", "#1", "GET", "u8", "8", "SET", "i5", "#3", "5", "GET", "i5", "15"),
		bc("BITFIELD", "f", "OVERFLOW", "WRAP", "INCRBY", "u8", "0", "300", "INCRBY", "i8", "0", "-300", "INCRBY", "u63", "0", "-1"),
		bc("BITFIELD", "f", "OVERFLOW", "SAT", "INCRBY", "u8", "0", "300", "INCRBY", "i8", "0", "-300", "SET", "i8", "0", "1000", "SET", "u8", "0", "-1"),
		bc("BITFIELD", "f", "OVERFLOW", "FAIL", "INCRBY", "u8", "0", "300", "INCRBY", "i8", "0", "-300", "SET", "i8", "0", "1000", "GET", "u8", "0"),
		bc("BITFIELD", "f", "OVERFLOW", "FAIL", "INCRBY", "u8", "0", "1", "OVERFLOW", "WRAP", "SET", "u8", "0", "-1", "GET", "u8", "0"),
		bc("BITFIELD", "g", "SET", "i64", "0", "9223372036854775807", "INCRBY", "i64", "0", "1", "GET", "i64", "0"),
		bc("BITFIELD", "g", "OVERFLOW", "SAT", "INCRBY", "i64", "0", "1", "INCRBY", "i64", "0", "-9223372036854775808", "INCRBY", "i64", "0", "-9223372036854775808"),
		bc("BITFIELD", "g", "OVERFLOW", "FAIL", "INCRBY", "i64", "0", "-9223372036854775808", "SET", "i64", "0", "-9223372036854775808", "INCRBY", "i64", "0", "-1"),
		bc("BITFIELD", "g", "SET", "i8", "0", "-9223372036854775808", "OVERFLOW", "SAT", "SET", "i8", "0", "-9223372036854775808", "SET", "i8", "0", "9223372036854775807"),
		bc("BITFIELD", "g", "SET", "u63", "0", "-1", "SET", "u63", "0", "9223372036854775807", "GET", "u63", "0", "GET", "i64", "0", "GET", "u1", "63"),
		bc("BITFIELD", "g", "SET", "i1", "0", "1", "GET", "i1", "0", "SET", "i1", "0", "-1", "INCRBY", "i1", "0", "1", "INCRBY", "u1", "0", "3"),
		bc("BITFIELD", "g", "GET", "u64", "0"), bc("BITFIELD", "g", "GET", "i65", "0"), bc("BITFIELD", "g", "GET", "i0", "0"), bc("BITFIELD", "g", "GET", "x8", "0"),
		bc("BITFIELD", "g", "GET", "I8", "0"), bc("BITFIELD", "g", "GET", "", "0"), bc("BITFIELD", "g", "GET", "u08", "0"), bc("BITFIELD", "g", "GET", "u8\x00z", "0"),
		bc("BITFIELD", "g", "GET", "u8", "-1"), bc("BITFIELD", "g", "GET", "u8", "#-1"), bc("BITFIELD", "g", "GET", "u8", "#"), bc("BITFIELD", "g", "GET", "u8", "x"),
		bc("BITFIELD", "g", "GET", "u8", "4294967288"), bc("BITFIELD", "g", "GET", "u8", "4294967295"), bc("BITFIELD", "g", "GET", "u8", "4294967296"),
		bc("BITFIELD", "g", "GET", "u8", "#536870911"), bc("BITFIELD", "g", "GET", "u8", "#536870912"), bc("BITFIELD", "g", "GET", "i64", "#9223372036854775807"),
		bc("BITFIELD", "g", "GET", "u2", "#4611686018427387904"), bc("BITFIELD", "g", "GET", "i3", "#3074457345618258603"), bc("BITFIELD", "g", "GET", "u8", "##1"),
		bc("BITFIELD", "g", "GET", "u8"), bc("BITFIELD", "g", "SET", "u8", "0"), bc("BITFIELD", "g", "INCRBY", "u8", "0"), bc("BITFIELD", "g", "OVERFLOW"),
		bc("BITFIELD", "g", "OVERFLOW", "BOO", "GET", "u8", "0"), bc("BITFIELD", "g", "FOO", "u8", "0"), bc("BITFIELD", "g", "SET", "u8", "0", "x"),
		bc("BITFIELD", "g", "SET", "u8", "0", "1.5"), bc("BITFIELD", "g", "GET", "u8", "0", "SET", "u8", "x", "1"), bc("BITFIELD", "g"),
		bc("BITFIELD", "nokey", "GET", "u8", "0", "GET", "i64", "100"), bc("EXISTS", "nokey"), bc("BITFIELD", "nokey"), bc("BITFIELD", "l"), bc("BITFIELD", "l", "GET", "u8", "0"),
		bc("BITFIELD", "l", "SET", "u8", "0", "1"), bc("BITFIELD", "l", "SET", "u8", "x", "1"), bc("BITFIELD", "i", "GET", "u8", "0", "GET", "u16", "0"),
		bc("SET", "i3", "255"), bc("BITFIELD", "i3", "GET", "u1", "0"), bc("BITFIELD", "i3", "SET", "u1", "0", "1"), bc("GET", "i3"), bc("OBJECT", "ENCODING", "i3"),
		bc("BITFIELD", "ff", "OVERFLOW", "FAIL", "SET", "i8", "0", "1000"), bc("EXISTS", "ff"), bc("GET", "ff"),
		bc("BITFIELD", "ff2", "SET", "u8", "64", "0"), bc("GET", "ff2"), bc("BITFIELD", "get\x00x", "gEt\x00y", "u8", "0", "overflow", "sat\x00", "set", "u8", "0", "1"),
		bc("BITFIELD_RO", "f", "GET", "u8", "0", "GET", "i4", "#3"), bc("BITFIELD_RO", "f"), bc("BITFIELD_RO", "nokey", "GET", "u8", "0"),
		bc("BITFIELD_RO", "f", "SET", "u8", "0", "1", "GET", "u8", "0"), bc("BITFIELD_RO", "f", "INCRBY", "u8", "0", "1"), bc("BITFIELD_RO", "f", "OVERFLOW", "SAT"),
		bc("BITFIELD_RO", "f", "SET", "u8", "0", "x"), bc("BITFIELD_RO", "f", "GET", "u99", "0"), bc("BITFIELD_RO", "l", "GET", "u8", "0"),
		bc("BITFIELD_RO", "l", "SET", "u8", "0", "1"), bc("BITFIELD_RO", "f", "FOO"), bc("BITFIELD", "f", "GET", "u8", "0", "GET"),
		bc("BITFIELD", "reg", "SET", "i8", "0", "10", "SET", "i8", "64", "10", "INCRBY", "i8", "10", "99900"),
	})
}

// TestBitfieldRandomDiff draws BITFIELD operations of every width at random
// offsets (byte-aligned and not, near the string's end and past it), with
// values around each width's limits, and BITPOS/BITCOUNT ranges over the
// result, side by side with redis-server.
func TestBitfieldRandomDiff(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 14))
	edge := func(width int) string {
		switch rng.IntN(6) {
		case 0:
			return strconv.FormatInt(int64(1)<<(width-1)-1+int64(rng.IntN(3))-1, 10)
		case 1:
			return strconv.FormatInt(-(int64(1)<<(width-1))+int64(rng.IntN(3))-1, 10)
		case 2:
			return strconv.FormatInt(int64(rng.Uint64()), 10)
		case 3:
			return strconv.FormatUint(uint64(1)<<(width%64), 10)
		default:
			return strconv.Itoa(rng.IntN(2000) - 1000)
		}
	}
	var cases []diffCase
	for range 400 {
		args := []string{"BITFIELD", "rk"}
		for range 1 + rng.IntN(4) {
			signed := rng.IntN(2) == 0
			var typ string
			var width int
			if signed {
				width = 1 + rng.IntN(64)
				typ = "i" + strconv.Itoa(width)
			} else {
				width = 1 + rng.IntN(63)
				typ = "u" + strconv.Itoa(width)
			}
			off := strconv.Itoa(rng.IntN(200))
			if rng.IntN(4) == 0 {
				off = "#" + strconv.Itoa(rng.IntN(4))
			}
			switch rng.IntN(5) {
			case 0:
				args = append(args, "GET", typ, off)
			case 1:
				args = append(args, "SET", typ, off, edge(width))
			case 2:
				args = append(args, "OVERFLOW", []string{"WRAP", "SAT", "FAIL"}[rng.IntN(3)])
			default:
				args = append(args, "INCRBY", typ, off, edge(width))
			}
		}
		cases = append(cases, diffCase{Args: args})
		if rng.IntN(4) == 0 {
			unit := []string{"BIT", "BYTE"}[rng.IntN(2)]
			a, b := strconv.Itoa(rng.IntN(240)-120), strconv.Itoa(rng.IntN(240)-120)
			cases = append(cases,
				bc("BITCOUNT", "rk", a, b, unit),
				bc("BITPOS", "rk", strconv.Itoa(rng.IntN(2)), a, b, unit),
				bc("BITPOS", "rk", strconv.Itoa(rng.IntN(2)), a),
				bc("BITPOS", "rk", strconv.Itoa(rng.IntN(2)), a, b),
			)
		}
		if rng.IntN(20) == 0 {
			cases = append(cases, bc("GET", "rk"), bc("DEL", "rk"))
		}
	}
	cases = append(cases, bc("GET", "rk"))
	runDiff(t, cases)
}

//go:build !js

package command

import (
	"math/rand/v2"
	"strconv"
	"testing"
)

// TestBitopsDiff runs the bitmap commands, their options, errors and edges
// side by side with redis-server.
func TestBitopsDiff(t *testing.T) {
	runDiff(t, []diffCase{
		// SETBIT / GETBIT
		dca("SETBIT", "b", "0", "1"), dca("SETBIT", "b", "0", "1"), dca("SETBIT", "b", "7", "1"), dca("GET", "b"),
		dca("SETBIT", "b", "100", "1"), dca("STRLEN", "b"), dca("GETBIT", "b", "100"), dca("GETBIT", "b", "99"),
		dca("GETBIT", "b", "1000000"), dca("GETBIT", "nokey", "5"), dca("OBJECT", "ENCODING", "b"),
		dca("SETBIT", "b", "-1", "1"), dca("SETBIT", "b", "x", "1"), dca("SETBIT", "b", "1", "2"), dca("SETBIT", "b", "1", "-1"),
		dca("SETBIT", "b", "1", "x"), dca("SETBIT", "b", "1", ""), dca("SETBIT", "b", "1", " 1"), dca("SETBIT", "b", "01", "1"),
		dca("SETBIT", "b", "4294967296", "1"), dca("SETBIT", "b", "4294967295", "x"), dca("SETBIT", "b", "9223372036854775807", "1"),
		dca("SETBIT", "b", "9223372036854775808", "1"), dca("SETBIT", "b", "-9223372036854775808", "1"),
		dca("GETBIT", "b", "4294967296"), dca("GETBIT", "b", "4294967295"), dca("GETBIT", "b", "-1"), dca("GETBIT", "b", "1.5"),
		dca("SET", "i", "12"), dca("OBJECT", "ENCODING", "i"), dca("GETBIT", "i", "2"), dca("GETBIT", "i", "3"), dca("GETBIT", "i", "15"),
		dca("SETBIT", "i", "0", "0"), dca("OBJECT", "ENCODING", "i"), dca("GET", "i"),
		dca("SET", "i2", "-7"), dca("SETBIT", "i2", "20", "1"), dca("GET", "i2"), dca("OBJECT", "ENCODING", "i2"),
		dca("SET", "short", "ab"), dca("OBJECT", "ENCODING", "short"), dca("SETBIT", "short", "1", "1"), dca("OBJECT", "ENCODING", "short"),
		dca("LPUSH", "l", "a"), dca("SETBIT", "l", "0", "1"), dca("GETBIT", "l", "0"), dca("SETBIT", "l", "-1", "1"), dca("GETBIT", "l", "x"),
		dca("SETBIT", "b"), dca("GETBIT", "b"), dca("SETBIT", "b", "1", "1", "1"),
		dca("SET", "e", "v", "EX", "100"), dca("SETBIT", "e", "3", "1"), dca("TTL", "e"),

		// BITCOUNT
		dca("SET", "s", "foobar"), dca("BITCOUNT", "s"), dca("BITCOUNT", "s", "0", "0"), dca("BITCOUNT", "s", "1", "1"),
		dca("BITCOUNT", "s", "1", "-2"), dca("BITCOUNT", "s", "-1", "-2"), dca("BITCOUNT", "s", "-2", "-1"), dca("BITCOUNT", "s", "-100", "100"),
		dca("BITCOUNT", "s", "5", "30"), dca("BITCOUNT", "s", "0", "-1", "BYTE"), dca("BITCOUNT", "s", "0", "-1", "bit"),
		dca("BITCOUNT", "s", "5", "30", "BIT"), dca("BITCOUNT", "s", "3", "3", "BIT"), dca("BITCOUNT", "s", "1", "6", "BIT"),
		dca("BITCOUNT", "s", "-5", "-1", "BIT"), dca("BITCOUNT", "s", "-1", "-5", "BIT"), dca("BITCOUNT", "s", "9", "8", "BIT"),
		dca("BITCOUNT", "s", "0", "1000", "bit"), dca("BITCOUNT", "s", "47", "47", "bit"), dca("BITCOUNT", "s", "40", "47", "bit"),
		dca("BITCOUNT", "s", "0"), dca("BITCOUNT", "s", "0", "1", "2"), dca("BITCOUNT", "s", "0", "1", "BIT", "x"),
		dca("BITCOUNT", "s", "x", "1"), dca("BITCOUNT", "s", "1", "x"), dca("BITCOUNT", "s", "x", "y", "z"),
		dca("BITCOUNT", "s", "-9223372036854775808", "9223372036854775807"), dca("BITCOUNT", "s", "-9223372036854775808", "-9223372036854775808", "BIT"),
		dca("BITCOUNT", "s", "9223372036854775807", "9223372036854775807", "BIT"), dca("BITCOUNT", "s", "-1", "-1", "BIT"),
		dca("BITCOUNT", "nokey"), dca("BITCOUNT", "nokey", "0"), dca("BITCOUNT", "nokey", "x", "y", "BIT"), dca("BITCOUNT", "l"), dca("BITCOUNT", "l", "x"),
		dca("BITCOUNT", "i"), dca("BITCOUNT", "i", "0", "0"), dca("SET", "empty", ""), dca("BITCOUNT", "empty"), dca("BITCOUNT", "empty", "0", "-1"),
		dca("BITCOUNT", "empty", "0", "-1", "BIT"), dca("BITCOUNT", "s", "0", "-1", "b\x00it"), dca("BITCOUNT", "s", "0", "-1", "bit\x00x"),

		// BITPOS
		dca("SET", "p", "\xff\xf0\x00"), dca("BITPOS", "p", "0"), dca("BITPOS", "p", "1"), dca("BITPOS", "p", "0", "2"), dca("BITPOS", "p", "1", "2"),
		dca("BITPOS", "p", "0", "0", "1"), dca("BITPOS", "p", "0", "0", "0"), dca("BITPOS", "p", "1", "2", "-1"), dca("BITPOS", "p", "0", "0", "-1"),
		dca("BITPOS", "p", "0", "3", "10", "BIT"), dca("BITPOS", "p", "0", "7", "11", "BIT"), dca("BITPOS", "p", "1", "7", "15", "BIT"),
		dca("BITPOS", "p", "1", "12", "23", "BIT"), dca("BITPOS", "p", "0", "12", "-1", "BIT"), dca("BITPOS", "p", "1", "5", "-10", "BIT"),
		dca("BITPOS", "p", "0", "5", "3", "BIT"), dca("BITPOS", "p", "1", "-3", "-1", "BIT"), dca("BITPOS", "p", "0", "-100", "-90", "BIT"),
		dca("BITPOS", "p", "0", "0", "11", "BIT"), dca("BITPOS", "p", "0", "4", "11", "bit"), dca("BITPOS", "p", "0", "4", "11", "byte"),
		dca("BITPOS", "p", "1", "9", "9", "BIT"), dca("BITPOS", "p", "1", "8", "8", "BIT"), dca("BITPOS", "p", "0", "9", "9", "BIT"),
		dca("BITPOS", "p", "1", "1000"), dca("BITPOS", "p", "0", "1000"), dca("BITPOS", "p", "0", "1000", "2000", "BIT"),
		dca("BITPOS", "p", "2"), dca("BITPOS", "p", "-1"), dca("BITPOS", "p", "x"), dca("BITPOS", "p", "1", "x"), dca("BITPOS", "p", "1", "0", "x"),
		dca("BITPOS", "p", "1", "0", "1", "BITS"), dca("BITPOS", "p", "1", "0", "1", "BIT", "x"), dca("BITPOS", "p", "1", "x", "1", "FOO"),
		dca("BITPOS", "nokey", "0"), dca("BITPOS", "nokey", "1"), dca("BITPOS", "nokey", "1", "x"), dca("BITPOS", "nokey", "2"),
		dca("BITPOS", "l", "1"), dca("BITPOS", "l", "5"), dca("BITPOS", "i", "1"), dca("BITPOS", "i", "0", "1"), dca("BITPOS", "empty", "0"),
		dca("BITPOS", "empty", "1"), dca("BITPOS", "empty", "0", "0", "-1", "BIT"), dca("SET", "ones", "\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff"),
		dca("BITPOS", "ones", "0"), dca("BITPOS", "ones", "0", "0", "-1"), dca("BITPOS", "ones", "0", "3"), dca("BITPOS", "ones", "0", "3", "-1", "BIT"),
		dca("BITPOS", "ones", "0", "3", "BIT"), dca("BITPOS", "ones", "1", "3", "BIT"),
		dca("BITPOS", "p", "1", "-9223372036854775808", "9223372036854775807", "BIT"), dca("BITPOS", "p", "0", "9223372036854775807"),

		// BITOP
		dca("SET", "a", "\x01\x02\xff"), dca("SET", "b2", "\xf0"), dca("BITOP", "AND", "dst", "a", "b2"), dca("GET", "dst"), dca("OBJECT", "ENCODING", "dst"),
		dca("BITOP", "or", "dst", "a", "b2", "nokey"), dca("GET", "dst"), dca("BITOP", "XoR", "dst", "a", "b2", "a"), dca("GET", "dst"),
		dca("BITOP", "NOT", "dst", "a"), dca("GET", "dst"), dca("BITOP", "NOT", "dst", "a", "b2"), dca("BITOP", "NOT", "dst", "nokey"), dca("EXISTS", "dst"),
		dca("SET", "dst", "x"), dca("BITOP", "AND", "dst", "nokey", "nokey2"), dca("EXISTS", "dst"), dca("BITOP", "AND", "dst", "nokey", "a"), dca("GET", "dst"),
		dca("BITOP", "AND", "dst", "a", "empty"), dca("GET", "dst"), dca("BITOP", "OR", "dst", "empty"), dca("EXISTS", "dst"),
		dca("BITOP", "NAND", "dst", "a"), dca("BITOP", "AND", "dst", "a", "l"), dca("BITOP", "AND", "l", "a"), dca("TYPE", "l"),
		dca("BITOP", "AND", "dst"), dca("BITOP", "and\x00x", "dst", "a"), dca("BITOP", "OR", "i", "i", "a"), dca("GET", "i"),
		dca("SET", "tt", "v", "EX", "100"), dca("BITOP", "OR", "tt", "a"), dca("TTL", "tt"), dca("SET", "n1", "123"), dca("BITOP", "XOR", "dst", "n1", "a"),
		dca("GET", "dst"),

		// BITFIELD and BITFIELD_RO
		dca("BITFIELD", "f", "SET", "i8", "0", "-100", "GET", "i8", "0", "GET", "u8", "0", "GET", "u4", "4", "GET", "i4", "4"),
		dca("BITFIELD", "f", "INCRBY", "u2", "100", "1", "OVERFLOW", "SAT", "incrby", "u2", "102", "1"), dca("GET", "f"), dca("OBJECT", "ENCODING", "f"),
		dca("BITFIELD", "f", "SET", "u8", "#1", "255", "GET", "u8", "#1", "GET", "u8", "8", "SET", "i5", "#3", "5", "GET", "i5", "15"),
		dca("BITFIELD", "f", "OVERFLOW", "WRAP", "INCRBY", "u8", "0", "300", "INCRBY", "i8", "0", "-300", "INCRBY", "u63", "0", "-1"),
		dca("BITFIELD", "f", "OVERFLOW", "SAT", "INCRBY", "u8", "0", "300", "INCRBY", "i8", "0", "-300", "SET", "i8", "0", "1000", "SET", "u8", "0", "-1"),
		dca("BITFIELD", "f", "OVERFLOW", "FAIL", "INCRBY", "u8", "0", "300", "INCRBY", "i8", "0", "-300", "SET", "i8", "0", "1000", "GET", "u8", "0"),
		dca("BITFIELD", "f", "OVERFLOW", "FAIL", "INCRBY", "u8", "0", "1", "OVERFLOW", "WRAP", "SET", "u8", "0", "-1", "GET", "u8", "0"),
		dca("BITFIELD", "g", "SET", "i64", "0", "9223372036854775807", "INCRBY", "i64", "0", "1", "GET", "i64", "0"),
		dca("BITFIELD", "g", "OVERFLOW", "SAT", "INCRBY", "i64", "0", "1", "INCRBY", "i64", "0", "-9223372036854775808", "INCRBY", "i64", "0", "-9223372036854775808"),
		dca("BITFIELD", "g", "OVERFLOW", "FAIL", "INCRBY", "i64", "0", "-9223372036854775808", "SET", "i64", "0", "-9223372036854775808", "INCRBY", "i64", "0", "-1"),
		dca("BITFIELD", "g", "SET", "i8", "0", "-9223372036854775808", "OVERFLOW", "SAT", "SET", "i8", "0", "-9223372036854775808", "SET", "i8", "0", "9223372036854775807"),
		dca("BITFIELD", "g", "SET", "u63", "0", "-1", "SET", "u63", "0", "9223372036854775807", "GET", "u63", "0", "GET", "i64", "0", "GET", "u1", "63"),
		dca("BITFIELD", "g", "SET", "i1", "0", "1", "GET", "i1", "0", "SET", "i1", "0", "-1", "INCRBY", "i1", "0", "1", "INCRBY", "u1", "0", "3"),
		dca("BITFIELD", "g", "GET", "u64", "0"), dca("BITFIELD", "g", "GET", "i65", "0"), dca("BITFIELD", "g", "GET", "i0", "0"), dca("BITFIELD", "g", "GET", "x8", "0"),
		dca("BITFIELD", "g", "GET", "I8", "0"), dca("BITFIELD", "g", "GET", "", "0"), dca("BITFIELD", "g", "GET", "u08", "0"), dca("BITFIELD", "g", "GET", "u8\x00z", "0"),
		dca("BITFIELD", "g", "GET", "u8", "-1"), dca("BITFIELD", "g", "GET", "u8", "#-1"), dca("BITFIELD", "g", "GET", "u8", "#"), dca("BITFIELD", "g", "GET", "u8", "x"),
		dca("BITFIELD", "g", "GET", "u8", "4294967288"), dca("BITFIELD", "g", "GET", "u8", "4294967295"), dca("BITFIELD", "g", "GET", "u8", "4294967296"),
		dca("BITFIELD", "g", "GET", "u8", "#536870911"), dca("BITFIELD", "g", "GET", "u8", "#536870912"), dca("BITFIELD", "g", "GET", "i64", "#9223372036854775807"),
		dca("BITFIELD", "g", "GET", "u2", "#4611686018427387904"), dca("BITFIELD", "g", "GET", "i3", "#3074457345618258603"), dca("BITFIELD", "g", "GET", "u8", "##1"),
		dca("BITFIELD", "g", "GET", "u8"), dca("BITFIELD", "g", "SET", "u8", "0"), dca("BITFIELD", "g", "INCRBY", "u8", "0"), dca("BITFIELD", "g", "OVERFLOW"),
		dca("BITFIELD", "g", "OVERFLOW", "BOO", "GET", "u8", "0"), dca("BITFIELD", "g", "FOO", "u8", "0"), dca("BITFIELD", "g", "SET", "u8", "0", "x"),
		dca("BITFIELD", "g", "SET", "u8", "0", "1.5"), dca("BITFIELD", "g", "GET", "u8", "0", "SET", "u8", "x", "1"), dca("BITFIELD", "g"),
		dca("BITFIELD", "nokey", "GET", "u8", "0", "GET", "i64", "100"), dca("EXISTS", "nokey"), dca("BITFIELD", "nokey"), dca("BITFIELD", "l"), dca("BITFIELD", "l", "GET", "u8", "0"),
		dca("BITFIELD", "l", "SET", "u8", "0", "1"), dca("BITFIELD", "l", "SET", "u8", "x", "1"), dca("BITFIELD", "i", "GET", "u8", "0", "GET", "u16", "0"),
		dca("SET", "i3", "255"), dca("BITFIELD", "i3", "GET", "u1", "0"), dca("BITFIELD", "i3", "SET", "u1", "0", "1"), dca("GET", "i3"), dca("OBJECT", "ENCODING", "i3"),
		dca("BITFIELD", "ff", "OVERFLOW", "FAIL", "SET", "i8", "0", "1000"), dca("EXISTS", "ff"), dca("GET", "ff"),
		dca("BITFIELD", "ff2", "SET", "u8", "64", "0"), dca("GET", "ff2"), dca("BITFIELD", "get\x00x", "gEt\x00y", "u8", "0", "overflow", "sat\x00", "set", "u8", "0", "1"),
		dca("BITFIELD_RO", "f", "GET", "u8", "0", "GET", "i4", "#3"), dca("BITFIELD_RO", "f"), dca("BITFIELD_RO", "nokey", "GET", "u8", "0"),
		dca("BITFIELD_RO", "f", "SET", "u8", "0", "1", "GET", "u8", "0"), dca("BITFIELD_RO", "f", "INCRBY", "u8", "0", "1"), dca("BITFIELD_RO", "f", "OVERFLOW", "SAT"),
		dca("BITFIELD_RO", "f", "SET", "u8", "0", "x"), dca("BITFIELD_RO", "f", "GET", "u99", "0"), dca("BITFIELD_RO", "l", "GET", "u8", "0"),
		dca("BITFIELD_RO", "l", "SET", "u8", "0", "1"), dca("BITFIELD_RO", "f", "FOO"), dca("BITFIELD", "f", "GET", "u8", "0", "GET"),
		dca("BITFIELD", "reg", "SET", "i8", "0", "10", "SET", "i8", "64", "10", "INCRBY", "i8", "10", "99900"),
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
				dca("BITCOUNT", "rk", a, b, unit),
				dca("BITPOS", "rk", strconv.Itoa(rng.IntN(2)), a, b, unit),
				dca("BITPOS", "rk", strconv.Itoa(rng.IntN(2)), a),
				dca("BITPOS", "rk", strconv.Itoa(rng.IntN(2)), a, b),
			)
		}
		if rng.IntN(20) == 0 {
			cases = append(cases, dca("GET", "rk"), dca("DEL", "rk"))
		}
	}
	cases = append(cases, dca("GET", "rk"))
	runDiff(t, cases)
}

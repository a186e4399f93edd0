package lua

import (
	"encoding/binary"
	"math"
	"strings"

	glua "github.com/yuin/gopher-lua"
)

// stringDump is Lua 5.1's string.dump: a function as a binary chunk in
// ldump.c's format (the header of a 64-bit little-endian build, then the
// prototype with its debug information). The instructions are gopher-
// lua's, recoded in Lua 5.1's layout and opcode numbers, so the bytes are
// Lua 5.1's format but not always redis-server's bytes (the compilers
// allocate registers differently). Redis's Lua loads no binary chunk
// (loadstring reads it as text and fails), so a dump only travels.
func stringDump(L *glua.LState) int {
	fn := L.CheckFunction(1)
	if fn.IsG || fn.Proto == nil {
		L.RaiseError("unable to dump given function")
	}
	b := []byte{0x1b, 'L', 'u', 'a', 0x51, 0, 1, 4, 8, 4, 8, 0}
	src := fn.Proto.SourceName
	if src == "user_script" || src == "user_function" {
		src = "@" + src // the chunk names Redis loads scripts with
	} else {
		src = "=" + src // already shown as Lua shows it
	}
	b = dumpProto(b, fn.Proto, src)
	L.Push(glua.LString(b))
	return 1
}

// dumpProto is ldump.c's DumpFunction (debug information kept).
func dumpProto(b []byte, p *glua.FunctionProto, src string) []byte {
	b = dumpString(b, src, src != "")
	b = dumpInt(b, p.LineDefined)
	b = dumpInt(b, p.LastLineDefined)
	b = append(b, p.NumUpvalues, p.NumParameters, p.IsVarArg, p.NumUsedRegisters)
	b = dumpInt(b, len(p.Code))
	for _, i := range p.Code {
		b = binary.LittleEndian.AppendUint32(b, lua51Instruction(i))
	}
	b = dumpInt(b, len(p.Constants))
	for _, k := range p.Constants {
		switch k := k.(type) {
		case glua.LNumber:
			b = append(b, 3)
			b = binary.LittleEndian.AppendUint64(b, math.Float64bits(float64(k)))
		case glua.LString:
			b = append(b, 4)
			b = dumpString(b, string(k), true)
		case glua.LBool:
			b = append(b, 1)
			if k {
				b = append(b, 1)
			} else {
				b = append(b, 0)
			}
		default:
			b = append(b, 0) // nil
		}
	}
	b = dumpInt(b, len(p.FunctionPrototypes))
	for _, sub := range p.FunctionPrototypes {
		b = dumpProto(b, sub, "") // the parent's source: not repeated
	}
	b = dumpInt(b, len(p.DbgSourcePositions))
	for _, line := range p.DbgSourcePositions {
		b = dumpInt(b, line)
	}
	b = dumpInt(b, len(p.DbgLocals))
	for _, lv := range p.DbgLocals {
		b = dumpString(b, lv.Name, true)
		b = dumpInt(b, lv.StartPc)
		b = dumpInt(b, lv.EndPc)
	}
	b = dumpInt(b, len(p.DbgUpvalues))
	for _, name := range p.DbgUpvalues {
		b = dumpString(b, name, true)
	}
	return b
}

func dumpInt(b []byte, n int) []byte {
	return binary.LittleEndian.AppendUint32(b, uint32(int32(n)))
}

// dumpString is DumpString: a size_t length counting the terminating NUL,
// then the bytes and the NUL; an absent string is length 0.
func dumpString(b []byte, s string, present bool) []byte {
	if !present {
		return binary.LittleEndian.AppendUint64(b, 0)
	}
	b = binary.LittleEndian.AppendUint64(b, uint64(len(s)+1))
	b = append(b, s...)
	return append(b, 0)
}

// lua51Instruction recodes a gopher-lua instruction (opcode in the top 6
// bits, then A, C, B) in Lua 5.1's layout (opcode in the low 6 bits, then
// A, C, B) and numbering. gopher-lua's own opcodes become their Lua 5.1
// equals: MOVEN is a MOVE (the MOVEs it stands for follow it), GETTABLEKS
// and SETTABLEKS are GETTABLE and SETTABLE, NOP a JMP to the next.
func lua51Instruction(i uint32) uint32 {
	op := opOf(i)
	a, b, c := uint32(argA(i)), uint32(argB(i)), uint32(argC(i))
	var lop uint32
	switch {
	case op == glua.OP_MOVE || op == glua.OP_MOVEN:
		lop, c = 0, 0
	case op < glua.OP_GETTABLEKS: // LOADK..GETTABLE
		lop = uint32(op - 1)
	case op == glua.OP_GETTABLEKS:
		lop = 6
	case op < glua.OP_SETTABLEKS: // SETGLOBAL..SETTABLE
		lop = uint32(op - 2)
	case op == glua.OP_SETTABLEKS:
		lop = 9
	case op == glua.OP_NOP:
		return 22 | uint32(0x3ffff>>1)<<14 // JMP 0
	default: // NEWTABLE..VARARG
		lop = uint32(op - 3)
	}
	switch op {
	case glua.OP_LOADK, glua.OP_GETGLOBAL, glua.OP_SETGLOBAL, glua.OP_CLOSURE,
		glua.OP_JMP, glua.OP_FORLOOP, glua.OP_FORPREP:
		return lop | a<<6 | uint32(argBx(i))<<14
	}
	return lop | a<<6 | c<<14 | b<<23
}

// loadstring is Lua 5.1's, over Redis's Lua, which reads every chunk as
// text: a binary one (string.dump's) fails to parse, and loadstring
// returns nil and the syntax error. The chunk is named as luaO_chunkid
// names it: in 80 bytes in a syntax error (llex.c's MAXSRC), in 60 in a
// runtime error's position (LUA_IDSIZE).
func loadstring(L *glua.LState) int {
	s := L.CheckString(1)
	source := L.OptString(2, s)
	fn, err := compile(L, []byte(s), chunkID(source, 80))
	if err != nil {
		L.Push(glua.LNil)
		L.Push(glua.LString(err.Error()))
		return 2
	}
	rename(fn.Proto, chunkID(source, 60))
	L.Push(fn)
	return 1
}

// rename gives a prototype and those nested in it the source name their
// runtime errors show.
func rename(p *glua.FunctionProto, name string) {
	p.SourceName = name
	for _, sub := range p.FunctionPrototypes {
		rename(sub, name)
	}
}

// chunkID is luaO_chunkid in size bytes: "=name" is name, "@file" is the
// file's name (its last part when long), any other source is [string
// "its first line"], cut to fit. Sources are C strings to it.
func chunkID(source string, size int) string {
	if i := strings.IndexByte(source, 0); i >= 0 {
		source = source[:i]
	}
	if s, ok := strings.CutPrefix(source, "="); ok {
		return s[:min(len(s), size-1)]
	}
	if s, ok := strings.CutPrefix(source, "@"); ok {
		if max := size - len(" '...' ") - 1; len(s) > max {
			return "..." + s[len(s)-max:]
		}
		return s
	}
	n := strings.IndexAny(source, "\n\r")
	if n < 0 {
		n = len(source)
	}
	n = min(n, size-len(" [string \"...\"] ")-1)
	if n < len(source) {
		return `[string "` + source[:n] + `..."]`
	}
	return `[string "` + source + `"]`
}

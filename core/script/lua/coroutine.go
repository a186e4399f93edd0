package lua

import (
	glua "github.com/yuin/gopher-lua"
)

// openCoroutine opens Lua 5.1's coroutine library, which lbaselib.c opens
// with the base library (gopher-lua's OpenBase leaves it out), over
// gopher-lua's own. Its create, resume, status, yield and wrap are
// wrapped so that:
//   - a coroutine runs under the script's instruction hook (Lua 5.1's
//     lua_newthread copies the hook: a busy loop in a coroutine is stopped,
//     or served SCRIPT KILL, as one in the script is); gopher-lua's thread
//     only watches a cancel context derived from it;
//   - the errors are worded as lbaselib.c words them. (An error raised
//     inside a coroutine keeps gopher-lua's wording: the Lua 5.1 names of
//     runtime errors are found at the raise, which a coroutine's failure
//     has unwound by the time resume returns.)
func openCoroutine(L *glua.LState) {
	L.Push(L.NewFunction(glua.OpenCoroutine))
	L.Push(glua.LString(glua.CoroutineLibName))
	L.Call(1, 1)
	co := L.Get(-1).(*glua.LTable)
	L.Pop(1)
	create, resume, status := co.RawGetString("create"), co.RawGetString("resume"), co.RawGetString("status")

	// newThread pushes a new coroutine running the Lua function at 1.
	newThread := func(L *glua.LState) *glua.LState {
		fn, ok := L.Get(1).(*glua.LFunction)
		if !ok || fn.IsG {
			L.ArgError(1, "Lua function expected")
		}
		L.Push(create)
		L.Push(fn)
		L.Call(1, 1)
		th := L.Get(-1).(*glua.LState)
		if ctx := L.Context(); ctx != nil {
			th.SetContext(ctx)
		}
		return th
	}
	// resumeTh resumes th with the arguments above index from, leaving
	// resume's results (true and the values, or false and the error).
	resumeTh := func(L *glua.LState, th *glua.LState, from int) int {
		if st := L.Status(th); st != "suspended" {
			L.SetTop(0)
			L.Push(glua.LFalse)
			L.Push(glua.LString("cannot resume " + st + " coroutine"))
			return 2
		}
		args := L.GetTop() - from
		L.Insert(th, from+1)
		L.Insert(resume, from+1)
		L.Call(args+1, glua.MultRet)
		return L.GetTop() - from
	}
	co.RawSetString("create", L.NewFunction(func(L *glua.LState) int {
		newThread(L)
		return 1
	}))
	co.RawSetString("resume", L.NewFunction(func(L *glua.LState) int {
		th, ok := L.Get(1).(*glua.LState)
		if !ok {
			L.ArgError(1, "coroutine expected")
		}
		L.Remove(1)
		return resumeTh(L, th, 0)
	}))
	co.RawSetString("status", L.NewFunction(func(L *glua.LState) int {
		if _, ok := L.Get(1).(*glua.LState); !ok {
			L.ArgError(1, "coroutine expected")
		}
		L.SetTop(1)
		L.Insert(status, 1)
		L.Call(1, 1)
		return 1
	}))
	co.RawSetString("yield", L.NewFunction(func(L *glua.LState) int {
		if L == L.G.MainThread {
			L.Error(glua.LString("attempt to yield across metamethod/C-call boundary"), 0)
		}
		return -1 // gopher-lua's yield: the values on the stack go to resume
	}))
	co.RawSetString("wrap", L.NewFunction(func(L *glua.LState) int {
		th := newThread(L)
		L.Push(L.NewClosure(func(L *glua.LState) int {
			n := resumeTh(L, th, 0)
			if L.Get(1) == glua.LTrue {
				L.Remove(1)
				return n - 1
			}
			// auxwrap: the error goes on, a string one with the caller's
			// position in front.
			errv := L.Get(2)
			if s, ok := errv.(glua.LString); ok {
				errv = glua.LString(where(L, 1) + string(s))
			}
			L.Error(errv, 0)
			return 0
		}))
		return 1
	}))
}

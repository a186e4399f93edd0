//go:build js && wasm

// Command wasm is the playground's core in the browser: it runs a
// wasm/playground Page paced by the page's clock and exposes it to
// JavaScript as window.syncscope (see site/static/js/main.js for how the
// page loads it, and README for the API).
package main

import (
	"errors"
	"strconv"
	"time"

	"github.com/hack-pad/safejs"

	"github.com/syncscope/syncscope/core/script"
	"github.com/syncscope/syncscope/core/script/lua"
	"github.com/syncscope/syncscope/wasm/plainjson"
	"github.com/syncscope/syncscope/wasm/playground"
)

// frame is how often the clock advances while playing, and paused how
// often the loop looks again while paused.
const (
	frame      = 16 * time.Millisecond
	paused     = 100 * time.Millisecond
	idle       = 3 * time.Millisecond
	idlePaused = 10 * time.Millisecond
)

func main() {
	b := &bindings{page: playground.New(1), subs: map[int]safejs.Value{}}
	b.page.SetScripting(func() script.Engine { return lua.New() })
	api, err := safejs.Global().Get("syncscope")
	if err != nil || api.IsUndefined() || api.IsNull() {
		api = mustObject()
		must(safejs.Global().Set("syncscope", api))
	}
	b.export(api)
	go b.pace()
	if ready, err := api.Get("_ready"); err == nil && ready.Type() == safejs.TypeFunction {
		_, err = ready.Invoke()
		must(err)
	}
	select {} // the exported functions and the loop live on
}

type bindings struct {
	page    *playground.Page
	subs    map[int]safejs.Value
	nextSub int
	funcs   []safejs.Func // kept for the page's lifetime
}

// pace advances the world by real time and hands out the messages.
func (b *bindings) pace() {
	last := time.Now()
	building := false
	for {
		isPaused, _ := b.page.Clock()
		if isPaused && !building {
			time.Sleep(paused)
		} else {
			time.Sleep(frame)
		}
		now := time.Now()
		b.page.Tick(now.Sub(last))
		last = now
		b.publish()
		// Checkpoints for going back in time, built a little at a time
		// (more while paused: the world takes nothing then).
		if isPaused {
			building = b.page.Idle(idlePaused)
		} else {
			building = b.page.Idle(idle)
		}
	}
}

// publish calls the subscribers with each message since the last call.
func (b *bindings) publish() {
	msgs := b.page.TakeMessages()
	if len(msgs) == 0 || len(b.subs) == 0 {
		return
	}
	arr := toJS(msgs)
	n, err := arr.Length()
	if err != nil {
		return
	}
	for i := range n {
		m, err := arr.Index(i)
		if err != nil {
			return
		}
		for id := 0; id < b.nextSub; id++ {
			if fn, ok := b.subs[id]; ok {
				fn.Invoke(m) // a throwing subscriber must not stop the others
			}
		}
	}
}

func (b *bindings) export(api safejs.Value) {
	b.fn(api, "startNode", func(args []safejs.Value) any {
		port, conf := intArg(args, 0), strArg(args, 1)
		restart := len(args) < 2 || args[1].IsUndefined() || args[1].IsNull()
		return promiseOf(func() (any, error) {
			err := b.page.StartNode(port, conf, restart)
			return nil, err
		})
	})
	b.fn(api, "stopNode", func(args []safejs.Value) any {
		port, save := intArg(args, 0), optBool(args, 1, "save", true)
		return promiseOf(func() (any, error) { return nil, b.page.StopNode(port, save) })
	})
	b.fn(api, "crashNode", func(args []safejs.Value) any {
		b.page.CrashNode(intArg(args, 0), optBool(args, 1, "loseDisk", false))
		return nil
	})
	b.fn(api, "exec", func(args []safejs.Value) any {
		port, line := intArg(args, 0), strArg(args, 1)
		p, resolve, _ := newPromise()
		b.page.Exec(port, line, func(out string) { resolve(out) })
		return p
	})
	b.fn(api, "cli", func(args []safejs.Value) any { return toJS(playground.Interpret(strArg(args, 0))) })
	b.fn(api, "complete", func(args []safejs.Value) any { return toJS(playground.Complete(strArg(args, 0))) })
	b.fn(api, "prompt", func(args []safejs.Value) any { return b.page.Prompt(intArg(args, 0)) })
	b.fn(api, "logs", func(args []safejs.Value) any {
		return toJS(b.page.Logs(intArg(args, 0), intArg(args, 1)))
	})
	b.fn(api, "state", func(args []safejs.Value) any { return toJS(b.page.State(intArg(args, 0))) })
	b.fn(api, "nodes", func([]safejs.Value) any { return toJS(b.page.Nodes()) })
	b.fn(api, "cuts", func([]safejs.Value) any { return toJS(b.page.Cuts()) })
	b.fn(api, "cut", func(args []safejs.Value) any {
		b.page.Cut(intArg(args, 0), intArg(args, 1))
		return nil
	})
	b.fn(api, "heal", func(args []safejs.Value) any {
		b.page.Heal(intArg(args, 0), intArg(args, 1))
		return nil
	})
	b.fn(api, "latency", func(args []safejs.Value) any {
		b.page.Latency(intArg(args, 0), intArg(args, 1), millis(floatArg(args, 2)))
		return nil
	})
	b.fn(api, "pause", func([]safejs.Value) any {
		b.page.Pause()
		return nil
	})
	b.fn(api, "play", func(args []safejs.Value) any {
		b.page.Play(floatArg(args, 0))
		return nil
	})
	b.fn(api, "step", func([]safejs.Value) any {
		ok := b.page.Step()
		b.publish()
		return ok
	})
	b.fn(api, "advance", func(args []safejs.Value) any {
		b.page.Advance(millis(floatArg(args, 0)))
		b.publish()
		return nil
	})
	b.fn(api, "now", func([]safejs.Value) any { return b.page.Now() })
	b.fn(api, "clock", func([]safejs.Value) any {
		p, s := b.page.Clock()
		return toJS(map[string]any{"paused": p, "speed": s})
	})
	b.fn(api, "seed", func([]safejs.Value) any { return float64(b.page.Seed()) })
	b.fn(api, "reset", func(args []safejs.Value) any {
		b.page.Reset(uint64(floatArg(args, 0)))
		b.page.TakeMessages()
		return nil
	})
	b.fn(api, "actions", func([]safejs.Value) any { return toJS(b.page.Actions()) })
	b.fn(api, "hold", func(args []safejs.Value) any {
		on := len(args) > 0
		if on {
			on, _ = args[0].Truthy()
		}
		b.page.Hold(on)
		return nil
	})
	b.fn(api, "position", func([]safejs.Value) any { return toJS(b.page.Position()) })
	b.fn(api, "goto", func(args []safejs.Value) any {
		a, err := actionArg(args)
		if err != nil {
			return err.Error()
		}
		if err := b.page.Goto(a.Steps, a.T, a.Paused); err != nil {
			return err.Error()
		}
		b.publish()
		return nil
	})
	b.fn(api, "apply", func(args []safejs.Value) any {
		p, resolve, reject := newPromise()
		a, err := actionArg(args)
		if err == nil {
			err = b.page.Apply(a, func(out string) { resolve(out) })
		}
		if err != nil {
			reject(err.Error())
		} else if a.Op != "exec" {
			resolve(nil)
		}
		return p
	})
	b.fn(api, "error", func([]safejs.Value) any { return b.page.Err() })
	// The timeline: what changed since (epoch, seq, markers, items).
	b.fn(api, "timeline", func(args []safejs.Value) any {
		return toJS(b.page.Timeline(strArg(args, 0), intArg(args, 1), intArg(args, 2), intArg(args, 3)))
	})
	// seek({steps, t}) shows a moment (t in virtual ms; steps -1: by time).
	b.fn(api, "seek", func(args []safejs.Value) any {
		pos, err := objectArg(args)
		if err != nil {
			return err.Error()
		}
		steps, t := int64(numField(pos, "steps")), numField(pos, "t")
		if err := b.page.Seek(playground.Pos{Steps: steps, T: int64(t * float64(time.Millisecond))}); err != nil {
			return err.Error()
		}
		return nil
	})
	b.fn(api, "live", func([]safejs.Value) any {
		b.page.Live()
		return nil
	})
	b.fn(api, "stepEvent", func([]safejs.Value) any {
		ok := b.page.StepEvent()
		b.publish()
		return ok
	})
	b.fn(api, "stepBack", func([]safejs.Value) any { return b.page.StepBack() })
	b.fn(api, "links", func([]safejs.Value) any { return toJS(b.page.Links()) })
	b.fn(api, "said", func([]safejs.Value) any { return toJS(b.page.Said()) })
	b.fn(api, "checkpoints", func([]safejs.Value) any {
		at, building := b.page.Checkpoints()
		return toJS(map[string]any{"at": at, "building": building})
	})
	b.fn(api, "rate", func(args []safejs.Value) any {
		b.page.Rate(intArg(args, 0), intArg(args, 1), intArg(args, 2))
		return nil
	})
	b.fn(api, "removeNode", func(args []safejs.Value) any {
		b.page.RemoveNode(intArg(args, 0))
		return nil
	})
	b.fn(api, "conf", func(args []safejs.Value) any { return b.page.Conf(intArg(args, 0)) })
	b.fn(api, "syncDelay", func(args []safejs.Value) any { return b.page.SyncDelay(intArg(args, 0)) })
	b.fn(api, "moments", func([]safejs.Value) any { return toJS(b.page.Moments()) })
	b.fn(api, "markLesson", func([]safejs.Value) any {
		b.page.MarkLesson()
		return nil
	})
	b.fn(api, "lesson", func(args []safejs.Value) any {
		confs := map[int]string{}
		if byPort, err := objectArg(args[min(1, len(args)):]); err == nil {
			keys, _ := objectKeys.Invoke(byPort)
			n, _ := keys.Length()
			for i := range n {
				k, _ := keys.Index(i)
				name, _ := k.String()
				if port, err := strconv.Atoi(name); err == nil {
					confs[port] = strField(byPort, name)
				}
			}
		}
		return toJS(b.page.Lesson(strArg(args, 0), confs))
	})
	b.fn(api, "rdb", func(args []safejs.Value) any {
		data := b.page.RDB(intArg(args, 0))
		if data == nil {
			return nil
		}
		return bytesToJS(data)
	})
	b.fn(api, "rdbParts", func(args []safejs.Value) any {
		parts := b.page.RDBParts(intArg(args, 0))
		if parts == nil {
			return nil
		}
		return toJS(parts)
	})
	b.fn(api, "onMessage", func(args []safejs.Value) any {
		if len(args) == 0 || args[0].Type() != safejs.TypeFunction {
			return nil
		}
		id := b.nextSub
		b.nextSub++
		b.subs[id] = args[0]
		return b.newFunc(func([]safejs.Value) any {
			delete(b.subs, id)
			return nil
		})
	})
	b.fn(api, "linkNative", func(args []safejs.Value) any {
		var ports []int
		if len(args) > 0 {
			n, _ := args[0].Length()
			for i := range n {
				v, err := args[0].Index(i)
				if err == nil {
					p, _ := v.Int()
					ports = append(ports, p)
				}
			}
		}
		b.page.SetRemote(websockets{}, ports)
		return nil
	})
}

// fn exports f as api[name].
func (b *bindings) fn(api safejs.Value, name string, f func(args []safejs.Value) any) {
	must(api.Set(name, b.newFunc(f)))
}

func (b *bindings) newFunc(f func(args []safejs.Value) any) safejs.Func {
	fn, err := safejs.FuncOf(func(_ safejs.Value, args []safejs.Value) any { return f(args) })
	must(err)
	b.funcs = append(b.funcs, fn)
	return fn
}

func millis(ms float64) time.Duration { return time.Duration(ms * float64(time.Millisecond)) }

func intArg(args []safejs.Value, i int) int {
	if i >= len(args) {
		return 0
	}
	if args[i].Type() == safejs.TypeString {
		s, _ := args[i].String()
		n, _ := strconv.Atoi(s)
		return n
	}
	n, _ := args[i].Int()
	return n
}

func floatArg(args []safejs.Value, i int) float64 {
	if i >= len(args) {
		return 0
	}
	f, _ := args[i].Float()
	return f
}

func strArg(args []safejs.Value, i int) string {
	if i >= len(args) || args[i].Type() != safejs.TypeString {
		return ""
	}
	s, _ := args[i].String()
	return s
}

// optBool reads opts[key] from an options object argument.
func optBool(args []safejs.Value, i int, key string, def bool) bool {
	if i >= len(args) || args[i].Type() != safejs.TypeObject {
		return def
	}
	v, err := args[i].Get(key)
	if err != nil || v.IsUndefined() {
		return def
	}
	b, _ := v.Truthy()
	return b
}

// objectArg is args[0] when it is an object.
func objectArg(args []safejs.Value) (safejs.Value, error) {
	if len(args) == 0 || args[0].Type() != safejs.TypeObject || args[0].IsNull() {
		return safejs.Null(), errors.New("an object argument is needed")
	}
	return args[0], nil
}

// actionArg reads args[0], an action or position as Actions and Position
// write them: {steps, t, paused, op, args}.
func actionArg(args []safejs.Value) (playground.Action, error) {
	o, err := objectArg(args)
	if err != nil {
		return playground.Action{}, err
	}
	a := playground.Action{
		Steps:  int64(numField(o, "steps")),
		T:      int64(numField(o, "t")),
		Paused: boolField(o, "paused"),
		Op:     strField(o, "op"),
	}
	if list, err := o.Get("args"); err == nil && list.Type() == safejs.TypeObject && !list.IsNull() {
		n, _ := list.Length()
		for i := range n {
			v, _ := list.Index(i)
			s, _ := v.String()
			a.Args = append(a.Args, s)
		}
	}
	return a, nil
}

// numField, strField and boolField read o[key] (0, "" and false when it
// is missing or of another type).
func numField(o safejs.Value, key string) float64 {
	v, err := o.Get(key)
	if err != nil || v.Type() != safejs.TypeNumber {
		return 0
	}
	f, _ := v.Float()
	return f
}

func strField(o safejs.Value, key string) string {
	v, err := o.Get(key)
	if err != nil || v.Type() != safejs.TypeString {
		return ""
	}
	s, _ := v.String()
	return s
}

func boolField(o safejs.Value, key string) bool {
	v, err := o.Get(key)
	if err != nil {
		return false
	}
	b, _ := v.Truthy()
	return b
}

// toJS converts v to a JavaScript value through JSON: plain data only.
func toJS(v any) safejs.Value {
	data, err := plainjson.Marshal(v)
	must(err)
	out, err := jsonParse.Invoke(string(data))
	must(err)
	return out
}

var (
	jsonObj    = safejs.MustGetGlobal("JSON")
	jsonParse  = mustBind(jsonObj, "parse")
	objectCtor = safejs.MustGetGlobal("Object")
	objectKeys = mustBind(objectCtor, "keys")
	promiseCtr = safejs.MustGetGlobal("Promise")
	errorCtor  = safejs.MustGetGlobal("Error")
	uint8Array = safejs.MustGetGlobal("Uint8Array")
)

func mustBind(obj safejs.Value, name string) safejs.Value {
	fn, err := obj.Get(name)
	must(err)
	bound, err := fn.Call("bind", obj)
	must(err)
	return bound
}

func mustObject() safejs.Value {
	o, err := objectCtor.New()
	must(err)
	return o
}

// newPromise returns a Promise and the functions that settle it.
func newPromise() (safejs.Value, func(any), func(string)) {
	var resolve, reject safejs.Value
	exec, err := safejs.FuncOf(func(_ safejs.Value, args []safejs.Value) any {
		resolve, reject = args[0], args[1]
		return nil
	})
	must(err)
	p, err := promiseCtr.New(exec)
	must(err)
	exec.Release() // the executor ran synchronously inside New
	return p, func(v any) { resolve.Invoke(v) }, func(msg string) {
		e, err := errorCtor.New(msg)
		if err == nil {
			reject.Invoke(e)
		}
	}
}

// promiseOf runs f now and returns a Promise settled with its outcome.
func promiseOf(f func() (any, error)) safejs.Value {
	p, resolve, reject := newPromise()
	v, err := f()
	if err != nil {
		reject(err.Error())
	} else {
		resolve(v)
	}
	return p
}

func bytesToJS(b []byte) safejs.Value {
	arr, err := uint8Array.New(len(b))
	must(err)
	_, err = safejs.CopyBytesToJS(arr, b)
	must(err)
	return arr
}

// must panics on errors that mean the JavaScript environment is not the
// browser's (or node's): nothing sensible is left to do then.
func must(err error) {
	if err != nil {
		panic("syncscope: " + err.Error())
	}
}

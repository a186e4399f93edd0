//go:build js && wasm

package main

import (
	"strconv"

	"github.com/hack-pad/safejs"

	"github.com/syncscope/syncscope/wasm/playground"
)

// websockets opens links to native nodes through the browser's WebSocket,
// to the /ws endpoint of the server that served the page. Driving it
// through safejs keeps net/http out of the wasm.
type websockets struct{}

var webSocket = safejs.MustGetGlobal("WebSocket")

// wsConn is one WebSocket carrying a RESP byte stream.
type wsConn struct {
	ws      safejs.Value
	open    bool
	closed  bool
	queued  [][]byte
	funcs   []safejs.Func
	onData  func([]byte)
	onClose func(string)
}

func (websockets) Open(port int, onData func([]byte), onClose func(string)) playground.RemoteConn {
	c := &wsConn{onData: onData, onClose: onClose}
	ws, err := webSocket.New(wsURL(port))
	if err != nil {
		// Report the failure later, as the Remote contract asks.
		go onClose("Connection refused")
		c.closed = true
		return c
	}
	c.ws = ws
	must(ws.Set("binaryType", "arraybuffer"))
	c.on("open", func(safejs.Value) {
		c.open = true
		for _, b := range c.queued {
			c.send(b)
		}
		c.queued = nil
	})
	c.on("message", func(ev safejs.Value) {
		data, err := ev.Get("data")
		if err != nil {
			return
		}
		arr, err := uint8Array.New(data)
		if err != nil {
			return
		}
		n, _ := arr.Length()
		b := make([]byte, n)
		if _, err := safejs.CopyBytesToGo(b, arr); err == nil {
			c.onData(b)
		}
	})
	c.on("close", func(ev safejs.Value) {
		reason := "Connection reset by peer"
		if !c.open {
			reason = "Connection refused"
		}
		c.finish(reason)
	})
	return c
}

// wsURL is ws(s)://<the page's host>/ws?port=N.
func wsURL(port int) string {
	loc := safejs.MustGetGlobal("location")
	proto, _ := loc.Get("protocol")
	host, _ := loc.Get("host")
	p, _ := proto.String()
	h, _ := host.String()
	scheme := "ws:"
	if p == "https:" {
		scheme = "wss:"
	}
	return scheme + "//" + h + "/ws?port=" + strconv.Itoa(port)
}

func (c *wsConn) on(event string, f func(ev safejs.Value)) {
	fn, err := safejs.FuncOf(func(_ safejs.Value, args []safejs.Value) any {
		if len(args) > 0 {
			f(args[0])
		}
		return nil
	})
	must(err)
	c.funcs = append(c.funcs, fn)
	_, err = c.ws.Call("addEventListener", event, fn)
	must(err)
}

func (c *wsConn) Send(p []byte) {
	if c.closed {
		return
	}
	if !c.open {
		c.queued = append(c.queued, append([]byte(nil), p...))
		return
	}
	c.send(p)
}

func (c *wsConn) send(p []byte) {
	c.ws.Call("send", bytesToJS(p))
}

func (c *wsConn) Close() {
	if c.closed {
		return
	}
	c.closed = true
	c.ws.Call("close")
	c.release()
}

// finish reports the end of the stream once, and frees the callbacks.
func (c *wsConn) finish(reason string) {
	if c.closed {
		c.release()
		return
	}
	c.closed = true
	c.release()
	c.onClose(reason)
}

func (c *wsConn) release() {
	for _, f := range c.funcs {
		f.Release()
	}
	c.funcs = nil
}

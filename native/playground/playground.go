// Package playground serves the browser playground next to native nodes: the
// page (site/static) over HTTP, and a websocket endpoint, /ws?port=N, that
// carries a RESP byte stream to one of the native nodes this process runs,
// so a node in the browser can replicate from it and a user sees in the page
// what they type into redis-cli. Only the listed nodes can be reached: the
// endpoint is not a proxy to arbitrary addresses.
package playground

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"path"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/coder/websocket"
)

// Options configure a Handler.
type Options struct {
	// Site holds the page: index.html, main.wasm, wasm_exec.js, js/, css/.
	Site fs.FS
	// Nodes are the native nodes the websocket endpoint may reach, by port;
	// each is dialed at 127.0.0.1:port.
	Nodes []int
	// Logf, when set, reports bridged connections and their errors.
	Logf func(format string, args ...any)
}

// maxMessage bounds a message from the browser. A browser node sends
// commands and REPLCONF ACKs, and an RDB when it is a master; 64 MB is far
// beyond what a page's node holds.
const maxMessage = 64 << 20

// Handler serves the site and the /ws endpoint.
func Handler(opts Options) http.Handler {
	h := &handler{opts: opts, files: http.FileServerFS(opts.Site), enc: map[string]*encoded{}}
	// Read or compress the wasm now, not on the first visitor's request.
	go h.encoded("main.wasm", "br")
	go h.encoded("main.wasm", "gzip")
	mux := http.NewServeMux()
	mux.HandleFunc("GET /ws", h.serveWS)
	mux.HandleFunc("GET /native.json", h.serveNodes)
	mux.HandleFunc("GET /", h.serveFile)
	return mux
}

type handler struct {
	opts  Options
	files http.Handler

	mu  sync.Mutex
	enc map[string]*encoded // by encoding and name, read or compressed once
}

// encoded is a file as served in one Content-Encoding.
type encoded struct {
	once sync.Once
	enc  string // "br" or "gzip"
	data []byte
	raw  int // uncompressed size, for the page's loading percentage
	err  error
}

// serveNodes tells the page which native nodes it can link to. Its absence
// (a static host) tells the page it has in-memory links only.
func (h *handler) serveNodes(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	nodes := h.opts.Nodes
	if nodes == nil {
		nodes = []int{}
	}
	json.NewEncoder(w).Encode(map[string]any{"nodes": nodes})
}

// compressible are the types worth compressing; the wasm is most of the
// page's bytes and shrinks to about a third.
var compressible = map[string]bool{".wasm": true, ".js": true, ".css": true, ".html": true, ".svg": true, ".json": true}

// serveFile serves the site compressed when the browser accepts it: with
// the brotli or gzip file make wasm wrote beside it (main.wasm.br,
// main.wasm.gz) when there is one, else gzip-compressed here, once.
func (h *handler) serveFile(w http.ResponseWriter, r *http.Request) {
	name := strings.TrimPrefix(path.Clean(r.URL.Path), "/")
	if name == "" || strings.HasSuffix(r.URL.Path, "/") {
		name = path.Join(name, "index.html")
	}
	// The wasm and the page change together on every build.
	w.Header().Set("Cache-Control", "no-cache")
	if !compressible[path.Ext(name)] || r.Header.Get("Range") != "" {
		h.files.ServeHTTP(w, r)
		return
	}
	w.Header().Set("Vary", "Accept-Encoding")
	var f *encoded
	for _, enc := range []string{"br", "gzip"} {
		if accepts(r, enc) {
			if v, err := h.encoded(name, enc); err == nil {
				f = v
				break
			}
		}
	}
	if f == nil {
		h.files.ServeHTTP(w, r) // not found, or no encoding the browser takes
		return
	}
	w.Header().Set("Content-Type", mimeTypes[path.Ext(name)])
	w.Header().Set("Content-Encoding", f.enc)
	w.Header().Set("Content-Length", strconv.Itoa(len(f.data)))
	w.Header().Set("X-Raw-Length", strconv.Itoa(f.raw))
	if r.Method != http.MethodHead {
		w.Write(f.data)
	}
}

var mimeTypes = map[string]string{
	".wasm": "application/wasm",
	".js":   "text/javascript; charset=utf-8",
	".css":  "text/css; charset=utf-8",
	".html": "text/html; charset=utf-8",
	".svg":  "image/svg+xml",
	".json": "application/json",
}

// accepts reports whether the request's Accept-Encoding takes enc.
func accepts(r *http.Request, enc string) bool {
	for _, part := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		name, q, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.TrimSpace(name) == enc && strings.ReplaceAll(q, " ", "") != "q=0" {
			return true
		}
	}
	return false
}

// encodings are the files make wasm writes beside a file, by encoding.
var encodings = map[string]string{"br": ".br", "gzip": ".gz"}

// encoded returns name in encoding enc: the file make wasm wrote, or for
// gzip without one, compressed here (once; later requests share it).
func (h *handler) encoded(name, enc string) (*encoded, error) {
	key := enc + ":" + name
	h.mu.Lock()
	f := h.enc[key]
	if f == nil {
		f = &encoded{enc: enc}
		h.enc[key] = f
	}
	h.mu.Unlock()
	f.once.Do(func() {
		st, err := fs.Stat(h.opts.Site, name)
		if err != nil {
			f.err = err
			return
		}
		f.raw = int(st.Size())
		if data, err := fs.ReadFile(h.opts.Site, name+encodings[enc]); err == nil {
			f.data = data
			return
		}
		if enc != "gzip" {
			f.err = fmt.Errorf("%s has no %s file beside it", name, enc)
			return
		}
		raw, err := fs.ReadFile(h.opts.Site, name)
		if err != nil {
			f.err = err
			return
		}
		var buf bytes.Buffer
		// The default level: 3x faster than the best, for 2% more bytes.
		zw := gzip.NewWriter(&buf)
		zw.Write(raw)
		zw.Close()
		f.data = buf.Bytes()
	})
	return f, f.err
}

// serveWS bridges one websocket to one TCP connection to a listed node.
// Binary messages carry the byte stream both ways; closing either side
// closes the other, which the page's node sees as a lost connection.
func (h *handler) serveWS(w http.ResponseWriter, r *http.Request) {
	port, err := strconv.Atoi(r.URL.Query().Get("port"))
	if err != nil || !h.allowed(port) {
		http.Error(w, "syncscope playground: port must be one of the native nodes this server runs: "+h.list(), http.StatusForbidden)
		return
	}
	// Accept checks that Origin matches Host: another site open in the same
	// browser cannot drive the local nodes.
	ws, err := websocket.Accept(w, r, nil)
	if err != nil {
		h.logf("playground: websocket for port %d refused: %v", port, err)
		return
	}
	ws.SetReadLimit(maxMessage)
	var d net.Dialer
	tcp, err := d.DialContext(r.Context(), "tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)))
	if err != nil {
		// The page's node reports it as a failed connect, like a refused dial.
		ws.Close(websocket.StatusTryAgainLater, "dial 127.0.0.1:"+strconv.Itoa(port)+": "+errText(err))
		return
	}
	h.logf("playground: browser %s linked to 127.0.0.1:%d", r.RemoteAddr, port)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	browser := websocket.NetConn(ctx, ws, websocket.MessageBinary)
	done := make(chan error, 2)
	go func() { _, err := io.Copy(tcp, browser); done <- err }()
	go func() { _, err := io.Copy(browser, tcp); done <- err }()
	err = <-done
	tcp.Close()
	browser.Close()
	<-done
	h.logf("playground: browser %s unlinked from 127.0.0.1:%d%s", r.RemoteAddr, port, reason(err))
}

func reason(err error) string {
	if err == nil || errors.Is(err, net.ErrClosed) || errors.Is(err, io.EOF) {
		return ""
	}
	return ": " + err.Error()
}

// errText is the part of a dial error a user can act on ("connect:
// connection refused").
func errText(err error) string {
	var op *net.OpError
	if errors.As(err, &op) && op.Err != nil {
		return op.Err.Error()
	}
	return err.Error()
}

func (h *handler) allowed(port int) bool {
	for _, p := range h.opts.Nodes {
		if p == port {
			return true
		}
	}
	return false
}

func (h *handler) list() string {
	if len(h.opts.Nodes) == 0 {
		return "(none)"
	}
	s := make([]string, len(h.opts.Nodes))
	for i, p := range h.opts.Nodes {
		s[i] = strconv.Itoa(p)
	}
	return strings.Join(s, ", ")
}

func (h *handler) logf(format string, args ...any) {
	if h.opts.Logf != nil {
		h.opts.Logf(format, args...)
	}
}

// Serve runs the handler on ln until ctx ends.
func Serve(ctx context.Context, ln net.Listener, opts Options) error {
	srv := &http.Server{Handler: Handler(opts), ReadHeaderTimeout: 10 * time.Second}
	go func() {
		<-ctx.Done()
		srv.Close()
	}()
	err := srv.Serve(ln)
	if errors.Is(err, http.ErrServerClosed) {
		return nil
	}
	return err
}

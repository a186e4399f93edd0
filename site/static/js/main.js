// Boot: load the Go core (main.wasm) with a progress count, start it, then
// build the page. window.syncscope is the core's API; tests and curious
// users in devtools drive it directly. The wasm, the page's modules and the
// list of native nodes load at once: the first node answers sooner.

const api = (window.syncscope = window.syncscope || {});
api.timing = { start: performance.now() };
api.ready = new Promise((resolve) => {
  // The Go side calls this once every function is exported.
  api._ready = () => {
    api.timing.ready = performance.now();
    resolve();
  };
});

// counted passes a response's body on, reporting the bytes read.
function counted(resp, onProgress, total) {
  let loaded = 0;
  return resp.body.pipeThrough(new TransformStream({
    transform(chunk, ctl) {
      loaded += chunk.byteLength;
      onProgress(loaded, total);
      ctl.enqueue(chunk);
    },
  }));
}

// fetchWasm fetches the core: main.wasm as the server sends it (the
// playground server sends it brotli- or gzip-encoded, as do hosts that
// compress). From a static host that sends it raw (8 MB), it stops at the
// headers and fetches main.wasm.gz (make wasm writes it) to unpack here.
async function fetchWasm(onProgress) {
  const wasm = { headers: { 'Content-Type': 'application/wasm' } };
  const abort = new AbortController();
  let resp = await fetch('main.wasm', { signal: abort.signal });
  const type = resp.headers.get('Content-Type') || '';
  const encoded = resp.headers.get('Content-Encoding');
  if (resp.ok && !type.startsWith('text/html') && (encoded || resp.headers.get('X-Raw-Length'))) {
    // The playground server says how big the uncompressed file is.
    const total = Number(resp.headers.get('X-Raw-Length')) || 0;
    return resp.body ? new Response(counted(resp, onProgress, total), wasm) : resp;
  }
  abort.abort();
  resp = await fetch('main.wasm.gz');
  if (!resp.ok) throw new Error(`main.wasm.gz: HTTP ${resp.status}`);
  const body = counted(resp, onProgress, Number(resp.headers.get('Content-Length')) || 0);
  // A host that sends the .gz with Content-Encoding: gzip had the browser
  // unpack it already.
  return new Response(resp.headers.get('Content-Encoding') ? body : body.pipeThrough(new DecompressionStream('gzip')), wasm);
}

async function boot() {
  const app = import('./app.js');
  api.nativeNodes = fetch('native.json', { cache: 'no-store' })
    .then((r) => (r.ok ? r.json() : {}))
    .then((j) => j.nodes || [])
    .catch(() => []);
  const out = document.getElementById('load-pct');
  const progress = (loaded, total) => {
    out.textContent = total ? `${Math.min(100, Math.round((100 * loaded) / total))}%` : `${(loaded / 1e6).toFixed(1)} MB`;
  };
  const go = new Go();
  let instance;
  try {
    ({ instance } = await WebAssembly.instantiateStreaming(await fetchWasm(progress), go.importObject));
    api.timing.compiled = performance.now();
  } catch (err) {
    // Some static hosts serve .wasm with the wrong type: compile from bytes.
    const again = await fetchWasm(() => {});
    ({ instance } = await WebAssembly.instantiate(await again.arrayBuffer(), go.importObject));
  }
  go.run(instance);
  await api.ready;
  document.getElementById('loading').hidden = true;
  document.getElementById('app').hidden = false;
  const { App } = await app;
  api.app = new App(api);
  await api.app.start();
}

boot().catch((err) => {
  const el = document.getElementById('loading');
  el.textContent = `The playground could not start: ${err.message}`;
  console.error(err);
});

// Boot: load the Go core (main.wasm) with a progress count, start it, then
// build the page. window.syncscope is the core's API; tests and curious
// users in devtools drive it directly.
import { App } from './app.js';

const api = (window.syncscope = window.syncscope || {});
api.timing = { start: performance.now() };
api.ready = new Promise((resolve) => {
  // The Go side calls this once every function is exported.
  api._ready = () => {
    api.timing.ready = performance.now();
    resolve();
  };
});

async function fetchWasm(url, onProgress) {
  const resp = await fetch(url);
  if (!resp.ok) throw new Error(`${url}: HTTP ${resp.status}`);
  // The playground server says how big the uncompressed file is; a static
  // host's Content-Length is right unless it compresses.
  const total = Number(resp.headers.get('X-Raw-Length')) ||
    (resp.headers.get('Content-Encoding') ? 0 : Number(resp.headers.get('Content-Length')) || 0);
  if (!resp.body) return resp;
  let loaded = 0;
  const counted = resp.body.pipeThrough(new TransformStream({
    transform(chunk, ctl) {
      loaded += chunk.byteLength;
      onProgress(loaded, total);
      ctl.enqueue(chunk);
    },
  }));
  return new Response(counted, { headers: { 'Content-Type': 'application/wasm' } });
}

async function boot() {
  const out = document.getElementById('load-pct');
  const progress = (loaded, total) => {
    out.textContent = total ? `${Math.min(100, Math.round((100 * loaded) / total))}%` : `${(loaded / 1e6).toFixed(1)} MB`;
  };
  const go = new Go();
  const resp = await fetchWasm('main.wasm', progress);
  let instance;
  try {
    ({ instance } = await WebAssembly.instantiateStreaming(resp, go.importObject));
  } catch (err) {
    // Some static hosts serve .wasm with the wrong type: compile from bytes.
    const again = await fetch('main.wasm');
    ({ instance } = await WebAssembly.instantiate(await again.arrayBuffer(), go.importObject));
  }
  go.run(instance);
  await api.ready;
  document.getElementById('loading').hidden = true;
  document.getElementById('app').hidden = false;
  const app = new App(api);
  api.app = app;
  await app.start();
}

boot().catch((err) => {
  const el = document.getElementById('loading');
  el.textContent = `The playground could not start: ${err.message}`;
  console.error(err);
});

// The RDB a replica received in its full sync, byte by byte. core/rdb reads
// it (api.rdbParts: the same decoder the nodes load with) into parts with
// their byte offsets; this file only shows them: one line per part, a key's
// type byte, name and value under it, and the bytes of the selected part
// highlighted in the hex grid.

const MAX_BYTES = 8192;

const hex = (n) => `0x${n.toString(16).toUpperCase().padStart(2, '0')}`;

// quoted is a name or string value as the core quoted it ("redis"), with
// … when the core sent only the start of it.
const quoted = (s, len, sent) => (len > sent ? `${s}…` : s);

// unquote shows an aux field's quoted name or value bare when it is plain.
const unquote = (s) => (/^"[ -!#-[\]-~]*"$/.test(s) ? s.slice(1, -1) : s);

const stamp = (ms) => {
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) ? String(ms) : d.toISOString();
};

function label(sp) {
  switch (sp.kind) {
    case 'header': return `header: magic "REDIS", RDB version ${sp.value}`;
    case 'aux': return `aux field (${hex(sp.op)}): ${unquote(sp.name)} = ${unquote(sp.value)} [${sp.enc}]`;
    case 'selectdb': return `select database (${hex(sp.op)}): db ${sp.n || 0}`;
    case 'resizedb': return `resize db (${hex(sp.op)}): ${sp.n || 0} keys, ${sp.m || 0} with an expiry`;
    case 'slotinfo': return `slot info (${hex(sp.op)})`;
    case 'expire-ms': return `expiry in ms (${hex(sp.op)}): ${sp.n} = ${stamp(sp.n)}`;
    case 'expire-s': return `expiry in s (${hex(sp.op)}): ${sp.n} = ${stamp(sp.n * 1000)}`;
    case 'idle': return `LRU idle time (${hex(sp.op)}): ${sp.n || 0} s`;
    case 'freq': return `LFU frequency (${hex(sp.op)}): ${sp.n || 0}`;
    case 'type': return `value type ${sp.op || 0} (${hex(sp.op || 0)}): ${sp.type}`;
    case 'key': return `key ${quoted(sp.name, sp.len || 0, 64)} [${sp.enc}]`;
    case 'value': return `value ${value(sp)}`;
    case 'eof': return `end of file (${hex(sp.op)})`;
    case 'checksum': return `CRC64 checksum 0x${sp.value}`;
    default: return sp.kind;
  }
}

function value(sp) {
  if (sp.type === 'string') return `${quoted(sp.value, sp.len || 0, 64)} [${sp.enc}]`;
  const n = sp.n || 0;
  const s = (k, word) => `${k} ${word}${k === 1 ? '' : 's'}`;
  if (sp.type.startsWith('quicklist')) return `${s(n, 'element')} in ${s(sp.m || 0, 'node')}`;
  if (sp.type.startsWith('list')) return s(n, 'element');
  if (sp.type.startsWith('hash')) return s(n, 'field');
  return s(n, 'member');
}

// parts groups a key's type byte, name and value under one line.
function parts(spans) {
  const out = [];
  for (let i = 0; i < spans.length; i++) {
    const sp = spans[i];
    if (sp.kind === 'type' && spans[i + 2]?.kind === 'value') {
      const [t, k, v] = spans.slice(i, i + 3);
      const text = `key ${quoted(k.name, k.len || 0, 64)}: type ${t.op || 0} (${t.type}), value ${value(v)}`;
      out.push({ start: t.start, end: v.end, text, children: [t, k, v].map((c) => ({ start: c.start, end: c.end, text: label(c) })) });
      i += 2;
    } else {
      out.push({ start: sp.start, end: sp.end, text: label(sp) });
    }
  }
  return out;
}

// renderRDB is the step's view of the snapshot node port received.
export function renderRDB(app, port) {
  const root = document.createElement('div');
  root.className = 'rdb-view';
  const data = app.api.rdb(port);
  const read = app.api.rdbParts(port);
  if (!data || !read) {
    root.textContent = `No full sync into ${port} yet.`;
    return root;
  }
  const bytes = data.subarray(0, MAX_BYTES);
  const items = parts(read.spans);
  if (read.error) items.push({ start: read.at, end: data.length, text: `not decoded: ${read.error}` });
  const cap = document.createElement('p');
  cap.textContent = `${data.length} bytes received by ${port}${data.length > MAX_BYTES ? ` (first ${MAX_BYTES} shown)` : ''}, read by core/rdb.`;
  const grid = document.createElement('div');
  grid.className = 'rdb-bytes';
  grid.setAttribute('aria-hidden', 'true');
  const cells = [];
  for (let i = 0; i < bytes.length; i++) {
    const s = document.createElement('span');
    s.textContent = bytes[i].toString(16).padStart(2, '0');
    cells.push(s);
    grid.append(s);
  }
  let selected = null;
  const button = (item) => {
    const b = document.createElement('button');
    b.type = 'button';
    b.textContent = `${item.start}–${item.end - 1}: ${item.text}`;
    b.addEventListener('click', () => {
      if (selected) for (let i = selected.start; i < Math.min(selected.end, cells.length); i++) cells[i].classList.remove('hl');
      selected = item;
      for (let i = item.start; i < Math.min(item.end, cells.length); i++) cells[i].classList.add('hl');
      cells[Math.min(item.start, cells.length - 1)]?.scrollIntoView({ block: 'nearest' });
    });
    return b;
  };
  const list = document.createElement('ol');
  list.className = 'rdb-spans';
  for (const item of items) {
    const li = document.createElement('li');
    li.append(button(item));
    if (item.children) {
      const sub = document.createElement('ol');
      sub.className = 'rdb-parts';
      for (const c of item.children) {
        const cli = document.createElement('li');
        cli.append(button(c));
        sub.append(cli);
      }
      li.append(sub);
    }
    list.append(li);
  }
  root.append(cap, list, grid);
  return root;
}

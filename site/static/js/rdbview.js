// The RDB a replica received in its full sync, decoded byte by byte: each
// part (header, aux field, db selector, key, end mark, checksum) is a span
// of bytes; selecting one highlights its bytes.

const TYPES = {
  0: 'string', 1: 'list', 2: 'set', 3: 'zset', 4: 'hash', 5: 'zset (zset2)', 9: 'zipmap hash', 10: 'ziplist list',
  11: 'intset set', 12: 'ziplist zset', 13: 'ziplist hash', 14: 'quicklist list', 16: 'listpack hash',
  17: 'listpack zset', 18: 'quicklist list (listpack nodes)', 19: 'stream', 20: 'listpack set',
};
const MAX_BYTES = 8192;

class Reader {
  constructor(b) {
    this.b = b;
    this.pos = 0;
  }

  byte() {
    if (this.pos >= this.b.length) throw new Error('truncated');
    return this.b[this.pos++];
  }

  skip(n) {
    if (this.pos + n > this.b.length) throw new Error('truncated');
    this.pos += n;
  }

  // length reads a length encoding: {len} or {enc} for special strings.
  length() {
    const first = this.byte();
    switch (first >> 6) {
      case 0: return { len: first & 0x3f };
      case 1: return { len: ((first & 0x3f) << 8) | this.byte() };
      case 2: {
        const n = first === 0x80 ? 4 : first === 0x81 ? 8 : 0;
        if (!n) throw new Error(`bad length byte 0x${first.toString(16)}`);
        let v = 0;
        for (let i = 0; i < n; i++) v = v * 256 + this.byte();
        return { len: v };
      }
      default: return { enc: first & 0x3f };
    }
  }

  // string reads a string and says how it was encoded.
  string() {
    const l = this.length();
    if (l.len !== undefined) {
      const s = this.b.subarray(this.pos, this.pos + l.len);
      this.skip(l.len);
      return { text: printable(s), enc: 'raw' };
    }
    switch (l.enc) {
      case 0: { const v = (this.byte() << 24) >> 24; return { text: String(v), enc: 'int8' }; }
      case 1: { const v = this.byte() | (this.byte() << 8); return { text: String((v << 16) >> 16), enc: 'int16' }; }
      case 2: { const v = this.byte() | (this.byte() << 8) | (this.byte() << 16) | (this.byte() << 24); return { text: String(v), enc: 'int32' }; }
      case 3: {
        const clen = this.length().len;
        const len = this.length().len;
        this.skip(clen);
        return { text: `(${len} bytes, LZF-compressed to ${clen})`, enc: 'lzf' };
      }
      default: throw new Error(`unknown string encoding ${l.enc}`);
    }
  }
}

function printable(bytes) {
  let s = '';
  for (const c of bytes.subarray(0, 64)) s += c >= 32 && c < 127 ? String.fromCharCode(c) : `\\x${c.toString(16).padStart(2, '0')}`;
  return bytes.length > 64 ? `${s}…` : s;
}

// decode splits an RDB into labelled spans; on something it cannot read
// it says so and stops (the rest is one "not decoded" span).
export function decode(b) {
  const r = new Reader(b);
  const spans = [];
  const add = (start, label) => spans.push({ start, end: r.pos, label });
  try {
    r.skip(9);
    add(0, `header: magic "REDIS", RDB version ${printable(b.subarray(5, 9))}`);
    for (;;) {
      const start = r.pos;
      const op = r.byte();
      if (op === 0xfa) {
        const k = r.string();
        const v = r.string();
        add(start, `aux field (0xFA): ${k.text} = ${v.text} [${v.enc}]`);
      } else if (op === 0xfe) {
        const db = r.length().len;
        add(start, `select database (0xFE): db ${db}`);
      } else if (op === 0xfb) {
        const n = r.length().len;
        const e = r.length().len;
        add(start, `resize db (0xFB): ${n} keys, ${e} with an expiry`);
      } else if (op === 0xfc) {
        r.skip(8);
        add(start, 'expiry in ms (0xFC), 8 bytes little-endian');
      } else if (op === 0xfd) {
        r.skip(4);
        add(start, 'expiry in s (0xFD), 4 bytes');
      } else if (op === 0xf8) {
        r.length();
        add(start, 'LRU idle time (0xF8)');
      } else if (op === 0xf7) {
        r.byte();
        add(start, 'LFU frequency (0xF7)');
      } else if (op === 0xf5) {
        r.string();
        add(start, 'function library (0xF5)');
      } else if (op === 0xff) {
        add(start, 'end of file (0xFF)');
        const cs = r.pos;
        r.skip(8);
        add(cs, 'CRC64 checksum, 8 bytes');
        break;
      } else if (TYPES[op] !== undefined) {
        const key = r.string();
        const what = value(r, op);
        add(start, `key "${key.text}": type ${op} (${TYPES[op]}), ${what}`);
      } else {
        throw new Error(`opcode 0x${op.toString(16)} not decoded here`);
      }
    }
  } catch (err) {
    if (r.pos < b.length) spans.push({ start: r.pos, end: b.length, label: `not decoded: ${err.message}` });
  }
  return spans;
}

function value(r, type) {
  switch (type) {
    case 0: {
      const v = r.string();
      return `value "${v.text}" [${v.enc}]`;
    }
    case 1: case 2: {
      const n = r.length().len;
      for (let i = 0; i < n; i++) r.string();
      return `${n} elements`;
    }
    case 4: {
      const n = r.length().len;
      for (let i = 0; i < 2 * n; i++) r.string();
      return `${n} fields`;
    }
    case 5: {
      const n = r.length().len;
      for (let i = 0; i < n; i++) {
        r.string();
        r.skip(8);
      }
      return `${n} members with binary doubles`;
    }
    case 14: {
      const n = r.length().len;
      for (let i = 0; i < n; i++) r.string();
      return `${n} ziplist nodes`;
    }
    case 18: {
      const n = r.length().len;
      for (let i = 0; i < n; i++) {
        r.length();
        r.string();
      }
      return `${n} listpack node${n === 1 ? '' : 's'}`;
    }
    case 9: case 10: case 11: case 12: case 13: case 16: case 17: case 20: {
      const v = r.string();
      return `one ${TYPES[type].split(' ')[0]} blob [${v.enc}]`;
    }
    default:
      throw new Error(`type ${type} (${TYPES[type]}) not decoded here`);
  }
}

// renderRDB is the step's view of the snapshot node port received.
export function renderRDB(app, port) {
  const root = document.createElement('div');
  root.className = 'rdb-view';
  const data = app.api.rdb(port);
  if (!data) {
    root.textContent = `No full sync into ${port} yet.`;
    return root;
  }
  const bytes = data.subarray(0, MAX_BYTES);
  const spans = decode(data);
  const cap = document.createElement('p');
  cap.textContent = `${data.length} bytes received by ${port}${data.length > MAX_BYTES ? ` (first ${MAX_BYTES} shown)` : ''}.`;
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
  const list = document.createElement('ol');
  list.className = 'rdb-spans';
  let selected = null;
  spans.forEach((sp) => {
    const li = document.createElement('li');
    const b = document.createElement('button');
    b.type = 'button';
    b.textContent = `${sp.start}–${sp.end - 1}: ${sp.label}`;
    b.addEventListener('click', () => {
      if (selected) for (let i = selected.start; i < Math.min(selected.end, cells.length); i++) cells[i].classList.remove('hl');
      selected = sp;
      for (let i = sp.start; i < Math.min(sp.end, cells.length); i++) cells[i].classList.add('hl');
      cells[Math.min(sp.start, cells.length - 1)]?.scrollIntoView({ block: 'nearest' });
    });
    li.append(b);
    list.append(li);
  });
  root.append(cap, list, grid);
  return root;
}

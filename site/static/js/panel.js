// The replication panel of one node: role, replid and replid2, offsets,
// link status, and the backlog drawn as a ring with the window of history
// it holds.

const NS = 'http://www.w3.org/2000/svg';

function el(name, attrs = {}, text) {
  const e = document.createElementNS(NS, name);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
}

function arc(cx, cy, r, a0, a1) {
  const p = (a) => [cx + r * Math.sin(a), cy - r * Math.cos(a)];
  const [x0, y0] = p(a0);
  const [x1, y1] = p(a1);
  const large = a1 - a0 > Math.PI ? 1 : 0;
  return `M ${x0.toFixed(2)} ${y0.toFixed(2)} A ${r} ${r} 0 ${large} 1 ${x1.toFixed(2)} ${y1.toFixed(2)}`;
}

export function bytes(n) {
  if (n >= 1 << 20) return `${(n / (1 << 20)).toFixed(n % (1 << 20) ? 1 : 0)}mb`;
  if (n >= 1024) return `${(n / 1024).toFixed(n % 1024 ? 1 : 0)}kb`;
  return `${n}b`;
}

export class Panel {
  constructor(root) {
    this.root = root;
    this.svg = el('svg', { viewBox: '0 0 92 92', class: 'ring', role: 'img' });
    this.svgTitle = el('title');
    this.svg.append(this.svgTitle);
    this.svg.append(el('circle', { class: 'track', cx: 46, cy: 46, r: 38 }));
    this.window = el('path', { class: 'window' });
    this.head = el('line', { class: 'head' });
    this.label = el('text', { x: 46, y: 44 });
    this.label2 = el('text', { x: 46, y: 56 });
    this.svg.append(this.window, this.head, this.label, this.label2);
    this.dl = document.createElement('dl');
    // A full sync's progress (bytes read of the RDB) and the master's
    // repl-diskless-sync-delay counting down.
    this.bar = document.createElement('div');
    this.bar.className = 'sync-bar';
    this.bar.setAttribute('role', 'progressbar');
    this.bar.setAttribute('aria-label', 'RDB received');
    this.bar.append(document.createElement('i'));
    this.bar.hidden = true;
    this.wait = document.createElement('p');
    this.wait.className = 'delay';
    this.wait.hidden = true;
    root.append(this.svg, this.dl, this.bar, this.wait);
    this.last = '';
  }

  // delay shows the seconds left before a diskless sync starts (< 0: none).
  delay(left) {
    const text = left >= 0 ? `diskless sync starts in ${left.toFixed(1)} s (repl-diskless-sync-delay)` : '';
    if (this.wait.textContent !== text) this.wait.textContent = text;
    this.wait.hidden = left < 0;
  }

  update(st) {
    const key = JSON.stringify(st);
    if (key === this.last) return;
    this.last = key;
    const rows = [];
    if (!st.running) {
      rows.push(['state', 'not running']);
    } else {
      rows.push(['role', st.role]);
      if (st.master) {
        rows.push(['master', `${st.master.host}:${st.master.port}`]);
        const m = st.master;
        // A diskless transfer ($EOF:) has no size known in advance: INFO says -1.
        let link = m.status;
        if (m.syncing && m.sync_total > 0) link = `syncing ${bytes(m.sync_read || 0)} of ${bytes(m.sync_total)}`;
        else if (m.syncing && m.sync_read > 0) link = `syncing, ${bytes(m.sync_read)} read`;
        else if (m.syncing) link = 'syncing, waiting for the RDB';
        rows.push(['link', link, st.master.status === 'up' ? 'up' : 'downs']);
        rows.push(['read-only', st.read_only ? 'yes' : 'no']);
      }
      rows.push(['replid', st.replid]);
      rows.push(['replid2', st.replid2]);
      rows.push(['offset', String(st.offset)]);
      if (st.second_offset !== -1) rows.push(['2nd offset', String(st.second_offset)]);
      for (const r of st.replicas) rows.push([`replica`, `${r.ip}:${r.port} ${r.state} off=${r.offset} lag=${r.lag}`]);
    }
    this.dl.replaceChildren();
    for (const [k, v, cls] of rows) {
      const dt = document.createElement('dt');
      dt.textContent = k;
      const dd = document.createElement('dd');
      dd.textContent = v;
      dd.title = v;
      if (cls) dd.className = cls;
      this.dl.append(dt, dd);
    }
    this.ring(st);
    const m = st.running && st.master;
    const total = m && m.syncing ? m.sync_total || 0 : 0;
    this.bar.hidden = !(total > 0);
    if (total > 0) {
      const pct = Math.min(100, (100 * (m.sync_read || 0)) / total);
      this.bar.firstChild.style.width = `${pct.toFixed(1)}%`;
      this.bar.setAttribute('aria-valuenow', String(Math.round(pct)));
    }
  }

  // ring draws the backlog: a circle of repl_backlog_size bytes, the arc
  // of histlen bytes it holds, ending at the write position (the master
  // offset modulo the size).
  ring(st) {
    const b = st.backlog || {};
    if (!st.running || !b.active) {
      this.window.setAttribute('d', '');
      this.head.setAttribute('x1', 46); this.head.setAttribute('y1', 46);
      this.head.setAttribute('x2', 46); this.head.setAttribute('y2', 46);
      this.label.textContent = 'no';
      this.label2.textContent = 'backlog';
      this.svgTitle.textContent = 'No replication backlog yet: a master creates it when its first replica attaches.';
      return;
    }
    const full = 2 * Math.PI;
    const end = ((b.first + b.histlen - 1) % b.size) / b.size * full;
    const span = Math.min(1, b.histlen / b.size) * full;
    const start = end - span;
    if (span >= full - 1e-6) {
      this.window.setAttribute('d', `${arc(46, 46, 38, 0, Math.PI)} ${arc(46, 46, 38, Math.PI, full - 1e-3).replace('M', 'L')}`);
    } else {
      this.window.setAttribute('d', arc(46, 46, 38, start, Math.max(end, start + 0.02)));
    }
    this.head.setAttribute('x1', 46 + 30 * Math.sin(end)); this.head.setAttribute('y1', 46 - 30 * Math.cos(end));
    this.head.setAttribute('x2', 46 + 46 * Math.sin(end)); this.head.setAttribute('y2', 46 - 46 * Math.cos(end));
    this.label.textContent = bytes(b.histlen);
    this.label2.textContent = `of ${bytes(b.size)}`;
    this.svgTitle.textContent = `Backlog: ${b.histlen} of ${b.size} bytes, offsets ${b.first} to ${b.first + b.histlen - 1}.`;
  }
}

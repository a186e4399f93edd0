// The topology: nodes, replication links (replica -> its master) labelled
// with their latency, rate and cut state, and the messages crossing them,
// drawn above the nodes from their send to their delivery: a dot per
// message (commands blue, housekeeping yellow), the RDB as a progress bar
// along its link. A message stays on screen at least MIN_VIS ms at any
// speed so the eye can follow it, and a reply or a forward leaves a node
// only once what caused it has visibly arrived there, so a chained write
// shows its two hops in order. With reduced motion nothing moves: the dots
// wait at mid-link while in flight, and the timeline carries the messages.

const NS = 'http://www.w3.org/2000/svg';
const W = 600;
const Y = 120;
const MAX_DOTS = 60;
const MIN_VIS = 700; // ms on screen for any message
const RDB_VIS = 1500; // ms on screen for a snapshot
const MAX_LAG = 1500; // ms a dot may wait for its cause to arrive
const CAUSE = 20; // virtual ms: a send this soon after a delivery follows it

function el(name, attrs = {}, text) {
  const e = document.createElementNS(NS, name);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
}

// keyActivate makes Enter and Space act on el as a click does. It acts on
// keyup: acting on keydown moves the focus before the key's keypress, which
// would then press the newly focused button (or type into the terminal).
// Only a key pressed here acts: the Enter that pressed a menu's Cut, which
// puts the focus back on the link, must not open the menu again as it
// comes up.
function keyActivate(el, act) {
  let pressed = false;
  el.addEventListener('keydown', (ev) => {
    if (ev.key === 'Enter' || ev.key === ' ') {
      ev.preventDefault();
      pressed = true;
    }
  });
  el.addEventListener('keyup', (ev) => {
    if ((ev.key === 'Enter' || ev.key === ' ') && pressed) {
      pressed = false;
      ev.preventDefault();
      act(ev);
    }
  });
  el.addEventListener('blur', () => { pressed = false; });
}

const pairKey = (a, b) => (a < b ? `${a}-${b}` : `${b}-${a}`);

const rateText = (r) => (r >= 1e6 ? `${(r / 1e6).toFixed(1)} MB/s` : r >= 1000 ? `${Math.round(r / 1000)} KB/s` : `${r} B/s`);

export class Topology {
  constructor(svg, api, { onNode, onLink, onMessage }) {
    this.svg = svg;
    this.api = api;
    this.gLinks = svg.querySelector('#links');
    this.gMsgs = svg.querySelector('#messages');
    this.gNodes = svg.querySelector('#nodes');
    this.onNode = onNode;
    this.onLink = onLink;
    this.onMessage = onMessage;
    this.ports = [];
    this.states = new Map();
    this.latency = new Map(); // pair -> ms, as the core's links say
    this.rates = new Map();
    this.linkPaths = new Map();
    this.vis = new Map(); // message id -> {m, start, dur, el}
    this.inVis = new Map(); // port -> {at, end}: the last arrival drawn into it
    this.last = '';
    this.speed = 1;
    this.cursor = { live: true, at: 0 };
    this.reduced = window.matchMedia('(prefers-reduced-motion: reduce)').matches;
    requestAnimationFrame((t) => this.animate(t));
  }

  pos(port) {
    const i = this.ports.indexOf(port);
    const n = this.ports.length;
    return { x: (W / (n + 1)) * (i + 1), y: Y };
  }

  // pairs are the links to draw: replication links and any cut, slow or
  // rate-limited pair.
  pairs(cuts) {
    const out = new Map();
    for (const [port, st] of this.states) {
      if (st.master && this.ports.includes(st.master.port)) {
        out.set(pairKey(port, st.master.port), { a: port, b: st.master.port, repl: true, up: st.master.status === 'up', retrying: st.running && st.master.status !== 'up' });
      }
    }
    for (const [a, b] of cuts) {
      const k = pairKey(a, b);
      if (!out.has(k)) out.set(k, { a, b, repl: false, up: false });
    }
    for (const k of new Set([...this.latency.keys(), ...this.rates.keys()])) {
      if (!out.has(k)) {
        const [a, b] = k.split('-').map(Number);
        if (this.ports.includes(a) && this.ports.includes(b)) out.set(k, { a, b, repl: false, up: false });
      }
    }
    for (const [k, v] of out) v.cut = cuts.some(([a, b]) => pairKey(a, b) === k);
    return out;
  }

  path(a, b) {
    const p = this.pos(a);
    const q = this.pos(b);
    const ia = this.ports.indexOf(a);
    const ib = this.ports.indexOf(b);
    if (Math.abs(ia - ib) <= 1) return `M ${p.x} ${p.y} L ${q.x} ${q.y}`;
    // Not neighbours: arc above the row.
    const mx = (p.x + q.x) / 2;
    return `M ${p.x} ${p.y} Q ${mx} ${Y - 110} ${q.x} ${q.y}`;
  }

  // geom is the shape of the link from a to b, computed (no layout read
  // in a frame): at(f) is the point at fraction f of the way, len its
  // length.
  geom(a, b) {
    const p = this.pos(a);
    const q = this.pos(b);
    const ia = this.ports.indexOf(a);
    const ib = this.ports.indexOf(b);
    if (ia < 0 || ib < 0) return null;
    if (Math.abs(ia - ib) <= 1) {
      return { len: Math.hypot(q.x - p.x, q.y - p.y), at: (f) => ({ x: p.x + (q.x - p.x) * f, y: p.y + (q.y - p.y) * f }) };
    }
    const c = { x: (p.x + q.x) / 2, y: Y - 110 };
    const at = (f) => {
      const u = 1 - f;
      return { x: u * u * p.x + 2 * u * f * c.x + f * f * q.x, y: u * u * p.y + 2 * u * f * c.y + f * f * q.y };
    };
    let len = 0;
    let prev = p;
    for (let i = 1; i <= 16; i++) {
      const pt = at(i / 16);
      len += Math.hypot(pt.x - prev.x, pt.y - prev.y);
      prev = pt;
    }
    return { len, at };
  }

  // setLinks takes the core's links (latency, rate, cut per pair).
  setLinks(links) {
    this.latency.clear();
    this.rates.clear();
    for (const l of links) {
      const k = pairKey(l.a, l.b);
      if (l.latency !== 1) this.latency.set(k, l.latency);
      if (l.rate) this.rates.set(k, l.rate);
    }
  }

  update(ports, states, cuts, links) {
    if (links) this.setLinks(links);
    this.ports = ports;
    this.states = states;
    const pairs = this.pairs(cuts);
    const key = JSON.stringify([ports, [...states.values()].map((s) => [s.port, s.running, s.role, s.master && s.master.port, s.master && s.master.status, s.master && s.master.syncing, s.retryNow]), [...pairs.values()], [...this.latency], [...this.rates]]);
    if (key === this.last) return;
    this.last = key;
    // The keyboard's place survives the redraw: the same link or node gets
    // the focus back (a Cut or Heal redraws the link it was done on).
    const focused = this.svg.contains(document.activeElement) ? document.activeElement : null;
    const refocus = focused && (focused.dataset.pair ? `[data-pair="${focused.dataset.pair}"]` : focused.dataset.port ? `[data-port="${focused.dataset.port}"]` : null);
    this.gLinks.replaceChildren();
    // Paths are kept by pair, so dots in flight survive a redraw: they
    // look their link up again each frame.
    this.linkPaths = new Map();
    for (const [k, l] of pairs) {
      const d = this.path(l.a, l.b);
      const lat = this.latency.get(k) || 0;
      const rate = this.rates.get(k) || 0;
      const g = el('g', { class: `link${l.up ? ' up' : ''}${l.cut ? ' cut' : ''}${lat ? ' slow' : ''}${l.retrying ? ' retrying' : ''}`, tabindex: 0, role: 'button', 'data-pair': `${l.a}-${l.b}` });
      const what = l.repl ? `replication link ${l.a} to ${l.b}` : `link ${l.a} - ${l.b}`;
      g.setAttribute('aria-label', `${what}${l.cut ? ', cut' : ''}${l.retrying ? ', down: the replica retries' : ''}${lat ? `, latency ${lat} ms` : ''}${rate ? `, ${rateText(rate)}` : ''}. Press Enter for actions.`);
      const shown = el('path', { d, class: 'shown', fill: 'none' });
      const hit = el('path', { d, class: 'hit', fill: 'none', stroke: 'transparent', 'stroke-width': 18 });
      g.append(hit, shown);
      const geo = this.geom(l.a, l.b);
      this.linkPaths.set(`${l.a}>${l.b}`, { el: shown, g, d, geo, reverse: false, cut: l.cut });
      this.linkPaths.set(`${l.b}>${l.a}`, { el: shown, g, d, geo, reverse: true, cut: l.cut });
      const p = this.pos(l.a);
      const q = this.pos(l.b);
      const notNeighbours = Math.abs(this.ports.indexOf(l.a) - this.ports.indexOf(l.b)) > 1;
      // Above the circles, so a long label never hides a node.
      const labelY = notNeighbours ? Y - 62 : Y - 46;
      const rs = this.states.get(l.a);
      // Redis says master_link_status:down while the RDB crosses; the link is busy, not broken.
      const down = l.retrying ? (rs?.master?.syncing ? 'syncing' : rs?.retryNow ? 'retrying' : 'link down') : '';
      const label = [l.cut ? 'cut' : '', !l.cut ? down : '', lat ? `${lat} ms` : '', rate ? rateText(rate) : ''].filter(Boolean).join(' · ');
      if (label) g.append(el('text', { x: (p.x + q.x) / 2, y: labelY, class: 'link-label' }, label));
      const open = (ev) => this.onLink(l.a, l.b, ev);
      g.addEventListener('click', open);
      keyActivate(g, open);
      this.gLinks.append(g);
    }
    this.gNodes.replaceChildren();
    for (const port of ports) {
      const st = states.get(port) || { running: false };
      const { x, y } = this.pos(port);
      const retrying = st.running && st.role === 'slave' && st.master && st.master.status !== 'up';
      const cls = !st.running ? 'down' : st.role === 'master' ? 'master' : `replica${retrying ? ' retrying' : ''}`;
      const g = el('g', { class: `node ${cls}`, tabindex: 0, role: 'button', 'data-port': port });
      const role = !st.running ? 'not running' : st.role === 'slave' ? (retrying ? (st.master.syncing ? 'replica · syncing' : st.retryNow ? 'replica · retrying' : 'replica · link down') : 'replica') : st.native ? 'native master' : 'master';
      g.setAttribute('aria-label', `node ${port}, ${role}. Press Enter to use its terminal.`);
      g.append(el('circle', { class: 'node-shape', cx: x, cy: y, r: 38 }));
      g.append(el('text', { x, y: y + 5 }, String(port)));
      g.append(el('text', { x, y: y + 60, class: 'small' }, role));
      g.addEventListener('click', () => this.onNode(port));
      keyActivate(g, () => this.onNode(port));
      this.gNodes.append(g);
    }
    if (refocus) this.svg.querySelector(refocus)?.focus();
  }

  // feed takes the messages the timeline saw change; cursor is the moment
  // shown ({live, at} in virtual ms).
  feed(msgs, cursor, all) {
    const wasLive = this.cursor.live;
    this.cursor = cursor;
    if (!cursor.live) {
      this.showAt(all, cursor.at);
      return;
    }
    if (!wasLive) this.clear();
    const now = performance.now();
    for (const m of msgs) {
      const v = this.vis.get(m.id);
      if (v) {
        v.m = m;
        if (m.state === 'done') this.arrived(v);
        continue;
      }
      if (m.state !== 'flight' && m.at < cursor.at - 1000) continue; // long gone
      let start = now;
      const cause = this.inVis.get(m.from);
      if (cause && m.sent - cause.at <= CAUSE && cause.end > start) start = Math.min(cause.end, now + MAX_LAG);
      const virt = Math.max(0, m.due - m.sent) / this.speed;
      const dur = Math.max(m.kind === 'rdb' && m.bytes > 64 ? RDB_VIS : MIN_VIS, virt);
      const nv = { m, start, dur };
      this.vis.set(m.id, nv);
      if (m.state === 'done') this.arrived(nv);
      if (this.onMessage && m.state === 'done') this.onMessage(m, false);
    }
    if (this.vis.size > MAX_DOTS) {
      for (const [id, v] of this.vis) {
        if (this.vis.size <= MAX_DOTS) break;
        if (v.m.state !== 'flight') this.drop(id);
      }
    }
  }

  arrived(v) {
    const prev = this.inVis.get(v.m.to);
    const end = v.start + v.dur;
    if (!prev || prev.at <= v.m.at) this.inVis.set(v.m.to, { at: v.m.at, end: Math.max(end, prev && prev.at === v.m.at ? prev.end : 0) });
  }

  drop(id) {
    const v = this.vis.get(id);
    if (v && v.el) v.el.remove();
    this.vis.delete(id);
  }

  clear() {
    for (const id of [...this.vis.keys()]) this.drop(id);
    this.inVis.clear();
  }

  // showAt draws the messages in flight at virtual time t, where they were.
  showAt(all, t) {
    this.clear();
    if (!all) return;
    for (const m of all.values()) {
      if (m.sent <= t && (m.state === 'flight' || m.at > t)) {
        const end = m.state === 'flight' ? Math.max(m.due, t + 1) : m.at;
        this.vis.set(m.id, { m, still: Math.min(0.95, (t - m.sent) / Math.max(0.001, end - m.sent)) });
      }
    }
  }

  linkFor(m) {
    return this.linkPaths.get(`${m.from}>${m.to}`);
  }

  animate(now) {
    requestAnimationFrame((t) => this.animate(t));
    this.frame(now);
  }

  // frame draws every message on screen at real time now.
  frame(now) {
    // One progress bar per link direction: a snapshot written in several
    // pieces (or a finished one still fading) must not print a second label
    // over the transfer in flight. The newest piece in flight wins.
    const bars = new Map();
    for (const [id, v] of this.vis) {
      const m = v.m;
      if (!(m.kind === 'rdb' && m.bytes > 64)) continue;
      const k = `${m.from}>${m.to}`;
      const cur = bars.get(k);
      const better = !cur || (m.state === 'flight') > (cur.m.state === 'flight') || ((m.state === 'flight') === (cur.m.state === 'flight') && id > cur.id);
      if (better) bars.set(k, { id, m });
    }
    for (const [id, v] of this.vis) {
      const m = v.m;
      const link = this.linkFor(m);
      if (m.kind === 'rdb' && m.bytes > 64 && bars.get(`${m.from}>${m.to}`).id !== id) {
        if (m.state !== 'flight') this.drop(id);
        else if (v.el) v.el.setAttribute('visibility', 'hidden');
        continue;
      }
      let f;
      if (v.still !== undefined) f = v.still;
      else if (this.reduced) f = 0.5;
      else f = Math.max(0, Math.min(1, (now - v.start) / v.dur));
      const inFlight = m.state === 'flight';
      const cut = link && link.cut;
      if (inFlight) f = Math.min(f, cut ? 0.5 : 0.9);
      const over = v.still === undefined && !inFlight && (this.reduced ? now - (v.seen || (v.seen = now)) > MIN_VIS : f >= 1);
      if (over || !link) {
        if (over || m.state !== 'flight') this.drop(id);
        else if (v.el) v.el.setAttribute('visibility', 'hidden');
        continue;
      }
      if (!v.el) v.el = this.dotFor(m);
      v.el.removeAttribute('visibility');
      const len = link.geo.len;
      if (v.bar) {
        const frac = m.bytes ? m.done / m.bytes : 0;
        // The bar fills with the bytes delivered, at least as fast as the
        // minimum time on screen lets the eye follow.
        const shown = v.still !== undefined ? frac : Math.min(Math.max(frac, inFlight ? 0 : 1), this.reduced ? 1 : f);
        // From the sender's edge, as far as the bytes went.
        const edge = Math.min(42, len * 0.3) / len;
        const pts = [];
        for (let i = 0; i <= 12; i++) {
          const f0 = edge + (i / 12) * shown * (1 - 2 * edge);
          const pt = link.geo.at(link.reverse ? 1 - f0 : f0);
          pts.push(`${pt.x.toFixed(1)},${pt.y.toFixed(1)}`);
        }
        v.bar.setAttribute('points', pts.join(' '));
        const at = link.geo.at(0.5);
        v.label.setAttribute('x', at.x);
        v.label.setAttribute('y', at.y + 26);
        v.label.textContent = `RDB ${m.done}/${m.bytes} bytes`;
        v.el.dataset.progress = shown.toFixed(3);
        continue;
      }
      // From the sender's edge to the receiver's, not under the circles.
      const edge = Math.min(42, len * 0.3);
      const d = edge + f * (len - 2 * edge);
      const at = link.geo.at((link.reverse ? len - d : d) / len);
      v.dot.setAttribute('cx', at.x);
      v.dot.setAttribute('cy', at.y);
    }
  }

  dotFor(m) {
    const g = el('g', { class: `msg ${m.kind}`, 'data-id': m.id, 'data-from': m.from, 'data-to': m.to });
    g.append(el('title', {}, `${m.from} → ${m.to}: ${m.parts.join(', ')}`));
    const v = this.vis.get(m.id);
    if (m.kind === 'rdb' && m.bytes > 64) {
      v.bar = el('polyline', { class: 'xfer', fill: 'none' });
      v.label = el('text', { class: 'xfer-label' });
      g.append(v.bar, v.label);
    } else {
      const r = m.kind === 'rdb' ? 9 : m.kind === 'cmd' ? 6 : 4.5;
      v.dot = el('circle', { r, class: 'dot' });
      g.append(v.dot);
    }
    g.addEventListener('click', () => this.onMessage && this.onMessage(m, true));
    this.gMsgs.append(g);
    return g;
  }
}

// The topology: nodes, replication links (replica -> its master), cuts and
// latencies, and the messages crossing links as dots (the RDB as a thick
// pulse, commands as small dots, housekeeping in yellow).

const NS = 'http://www.w3.org/2000/svg';
const W = 600;
const Y = 120;
const MAX_DOTS = 40;

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
    this.latency = new Map();
    this.dots = [];
    this.last = '';
    this.speed = 1;
    this.reduced = window.matchMedia('(prefers-reduced-motion: reduce)').matches;
    requestAnimationFrame((t) => this.animate(t));
  }

  pos(port) {
    const i = this.ports.indexOf(port);
    const n = this.ports.length;
    return { x: (W / (n + 1)) * (i + 1), y: Y };
  }

  // pairs are the links to draw: replication links and any cut or slow pair.
  pairs(cuts) {
    const out = new Map();
    for (const [port, st] of this.states) {
      if (st.master && this.ports.includes(st.master.port)) {
        out.set(pairKey(port, st.master.port), { a: port, b: st.master.port, repl: true, up: st.master.status === 'up' });
      }
    }
    for (const [a, b] of cuts) {
      const k = pairKey(a, b);
      if (!out.has(k)) out.set(k, { a, b, repl: false, up: false });
    }
    for (const [k, ms] of this.latency) {
      if (ms > 0 && !out.has(k)) {
        const [a, b] = k.split('-').map(Number);
        out.set(k, { a, b, repl: false, up: false });
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

  update(ports, states, cuts) {
    this.ports = ports;
    this.states = states;
    const pairs = this.pairs(cuts);
    const key = JSON.stringify([ports, [...states.values()].map((s) => [s.port, s.running, s.role, s.master && s.master.port, s.master && s.master.status]), [...pairs.values()], [...this.latency]]);
    if (key === this.last) return;
    this.last = key;
    // The keyboard's place survives the redraw: the same link or node gets
    // the focus back (a Cut or Heal redraws the link it was done on).
    const focused = this.svg.contains(document.activeElement) ? document.activeElement : null;
    const refocus = focused && (focused.dataset.pair ? `[data-pair="${focused.dataset.pair}"]` : focused.dataset.port ? `[data-port="${focused.dataset.port}"]` : null);
    this.gLinks.replaceChildren();
    this.linkPaths = new Map();
    for (const [k, l] of pairs) {
      const d = this.path(l.a, l.b);
      const g = el('g', { class: `link${l.up ? ' up' : ''}${l.cut ? ' cut' : ''}${this.latency.get(k) > 0 ? ' slow' : ''}`, tabindex: 0, role: 'button', 'data-pair': `${l.a}-${l.b}` });
      const lat = this.latency.get(k) || 0;
      const what = l.repl ? `replication link ${l.a} to ${l.b}` : `link ${l.a} - ${l.b}`;
      g.setAttribute('aria-label', `${what}${l.cut ? ', cut' : ''}${lat ? `, latency ${lat} ms` : ''}. Press Enter for actions.`);
      const shown = el('path', { d, class: 'shown', fill: 'none' });
      const hit = el('path', { d, class: 'hit', fill: 'none', stroke: 'transparent', 'stroke-width': 18 });
      g.append(hit, shown);
      this.linkPaths.set(`${l.a}>${l.b}`, { el: shown, reverse: false });
      this.linkPaths.set(`${l.b}>${l.a}`, { el: shown, reverse: true });
      const p = this.pos(l.a);
      const q = this.pos(l.b);
      const notNeighbours = Math.abs(this.ports.indexOf(l.a) - this.ports.indexOf(l.b)) > 1;
      const labelY = notNeighbours ? Y - 62 : Y - 12;
      const label = [l.cut ? 'cut' : '', lat ? `${lat} ms` : ''].filter(Boolean).join(', ');
      if (label) g.append(el('text', { x: (p.x + q.x) / 2, y: labelY }, label));
      const open = (ev) => this.onLink(l.a, l.b, ev);
      g.addEventListener('click', open);
      keyActivate(g, open);
      this.gLinks.append(g);
    }
    this.gNodes.replaceChildren();
    for (const port of ports) {
      const st = states.get(port) || { running: false };
      const { x, y } = this.pos(port);
      const cls = !st.running ? 'down' : st.role === 'master' ? 'master' : 'replica';
      const g = el('g', { class: `node ${cls}`, tabindex: 0, role: 'button', 'data-port': port });
      const role = !st.running ? 'not running' : st.role === 'slave' ? 'replica' : st.native ? 'native master' : 'master';
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

  // message adds a dot for m travelling from m.from to m.to.
  message(m) {
    if (!this.linkPaths) return;
    const link = this.linkPaths.get(`${m.from}>${m.to}`);
    if (!link) return;
    if (this.dots.length >= MAX_DOTS) {
      const old = this.dots.shift();
      old.el.remove();
    }
    const r = m.kind === 'rdb' ? 9 : m.kind === 'cmd' ? 6 : 4.5;
    const dot = el('circle', { r, class: `msg ${m.kind}`, tabindex: -1 });
    const t = el('title', {}, `${m.from} → ${m.to}: ${m.parts.join(', ')}`);
    dot.append(t);
    dot.addEventListener('click', () => this.onMessage(m, true));
    this.gMsgs.append(dot);
    const lat = this.latency.get(pairKey(m.from, m.to)) || 1;
    // A dot takes at least 600 ms on screen so the eye can follow it, and
    // as long as the link's latency takes in real time at this speed.
    const dur = this.reduced ? 0 : Math.max(600, lat / this.speed);
    this.dots.push({ el: dot, link, start: performance.now(), dur, m });
    this.onMessage(m, false);
  }

  animate(now) {
    const keep = [];
    for (const d of this.dots) {
      const f = d.dur ? (now - d.start) / d.dur : 1;
      if (f >= 1 || !d.link.el.isConnected) {
        d.el.remove();
        continue;
      }
      const len = d.link.el.getTotalLength();
      const at = d.link.el.getPointAtLength((d.link.reverse ? 1 - f : f) * len);
      d.el.setAttribute('cx', at.x);
      d.el.setAttribute('cy', at.y);
      keep.push(d);
    }
    this.dots = keep;
    requestAnimationFrame((t) => this.animate(t));
  }
}

// The protocol timeline: a sequence chart with one lane per node and time
// going down. Every write between nodes is an arrow from its sender's lane
// when it was sent to its receiver's lane when it arrived, labelled as the
// core decoded it; markers on a lane for the log lines that matter and for
// what was done to links. Each row is one thing that happened (a send, a
// delivery, a marker), at least ROW px apart and further apart when more
// time passed, so a burst stays readable and a pause shows. Clicking a row
// (or dragging the cursor) shows the whole page as it was then.
//
// The data comes from the Go core (api.timeline); this module only lays it
// out and draws the rows in view.

const NS = 'http://www.w3.org/2000/svg';
const ROW = 20; // px between rows
const TOP = 8;
const ZOOMS = [0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1]; // px per virtual ms
const OVERSCAN = 400; // px drawn above and below the view

const esc = (s) => String(s).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);

export class Timeline {
  constructor(root, api, { onSeek }) {
    this.root = root;
    this.api = api;
    this.onSeek = onSeek;
    this.scroller = root.querySelector('.tl-scroll');
    this.svg = root.querySelector('.tl-svg');
    this.lanesHead = root.querySelector('.tl-lanes');
    this.detail = root.querySelector('.tl-detail');
    this.status = root.querySelector('.tl-status');
    this.zoom = 3;
    this.follow = true;
    this.reset();
    // Sizes and the scroll position are kept from events, so drawing a
    // frame reads no layout.
    this.width = this.scroller.clientWidth || 600;
    this.viewH = this.scroller.clientHeight || 300;
    this.top = 0;
    new ResizeObserver(() => {
      this.width = this.scroller.clientWidth || this.width;
      this.viewH = this.scroller.clientHeight || this.viewH;
      this.dirty = true;
    }).observe(this.scroller);
    this.scroller.addEventListener('scroll', () => {
      this.top = this.scroller.scrollTop;
      const bottom = this.top + this.viewH >= this.height() - 4;
      // Our own scroll to the end lands where we put it; a reader's scroll
      // that comes before its event was delivered must still stop following.
      const ours = this.autoTarget !== undefined && Math.abs(this.top - this.autoTarget) <= 1;
      if (!ours) this.follow = bottom;
      this.autoTarget = undefined;
      this.dirty = true;
    });
    // Click or drag on the chart: go to that row.
    this.scroller.addEventListener('pointerdown', (ev) => {
      if (ev.button !== 0 || ev.target.closest('.tl-msg')) return;
      this.dragging = true;
      this.scroller.setPointerCapture?.(ev.pointerId);
      this.seekAtY(this.yOf(ev));
    });
    this.scroller.addEventListener('pointermove', (ev) => {
      if (this.dragging) this.seekAtY(this.yOf(ev));
    });
    const stop = () => {
      this.dragging = false;
    };
    this.scroller.addEventListener('pointerup', stop);
    this.scroller.addEventListener('pointercancel', stop);
    this.svg.addEventListener('click', (ev) => {
      const g = ev.target.closest('.tl-msg');
      if (g) this.seekToMessage(Number(g.dataset.id), ev.shiftKey);
    });
    this.svg.addEventListener('pointerover', (ev) => this.hover(ev.target));
    this.svg.addEventListener('focusin', (ev) => this.hover(ev.target));
    this.svg.addEventListener('keydown', (ev) => {
      const g = ev.target.closest('.tl-msg');
      if (g && (ev.key === 'Enter' || ev.key === ' ')) {
        ev.preventDefault();
        this.seekToMessage(Number(g.dataset.id));
      }
    });
  }

  reset() {
    this.epoch = '';
    this.seq = 0;
    this.msgs = new Map();
    this.markers = new Map();
    this.items = [];
    this.ys = [];
    this.ports = [];
    this.cursor = { at: 0, steps: 0, live: true, now: 0 };
    this.dirty = true;
    this.svg.replaceChildren();
  }

  yOf(ev) {
    const box = this.svg.getBoundingClientRect();
    return ev.clientY - box.top;
  }

  px() {
    return ZOOMS[this.zoom];
  }

  setZoom(i) {
    this.zoom = Math.max(0, Math.min(ZOOMS.length - 1, i));
    this.relayout();
  }

  // pull takes what changed from the core; it returns the update.
  pull() {
    const u = this.api.timeline(this.epoch, this.seq, this.markers.size, this.items.length);
    if (u.full) {
      this.msgs.clear();
      this.markers.clear();
      this.items = [];
      this.ys = [];
      this.epoch = u.epoch;
    }
    for (const m of u.messages) this.msgs.set(m.id, m);
    for (const m of u.markers) this.markers.set(m.id, m);
    let lanes = false;
    const seePort = (p) => {
      if (p && !this.ports.includes(p)) {
        this.ports.push(p);
        lanes = true;
      }
    };
    for (const m of u.messages) {
      seePort(m.from);
      seePort(m.to);
    }
    for (const m of u.markers) seePort(m.port);
    if (u.full) {
      this.items = u.items;
      this.relayout();
    } else if (u.items.length) {
      for (const it of u.items) this.place(it);
      this.items.push(...u.items);
      this.dirty = true;
    }
    this.seq = u.seq;
    const c = this.cursor;
    if (c.at !== u.cursor || c.steps !== u.steps || c.live !== u.live || u.messages.length) this.dirty = true;
    if (!u.live && (c.steps !== u.steps || c.live)) this.reveal = true; // a moment away: show it
    this.cursor = { at: u.cursor, steps: u.steps, live: u.live, now: u.now };
    if (lanes) {
      this.ports.sort((a, b) => b - a);
      this.dirty = true;
    }
    return u;
  }

  // place computes the row of the next item.
  place(it) {
    const n = this.ys.length;
    let y = TOP;
    if (n > 0) {
      const prev = this.items[n - 1] || it;
      y = this.ys[n - 1] + Math.max(ROW, (it.at - prev.at) * this.px());
    }
    this.ys.push(y);
    if (it.k === 'send') this.sendRow(it.id, n);
    else if (it.k === 'recv' || it.k === 'lost') this.endRow(it.id, n);
  }

  sendRow(id, n) {
    this.rowOf = this.rowOf || new Map();
    this.rowOf.set(id, [n, -1]);
  }

  endRow(id, n) {
    const r = this.rowOf.get(id);
    if (r) r[1] = n;
  }

  relayout() {
    this.ys = [];
    this.rowOf = new Map();
    const items = this.items;
    this.items = [];
    for (const it of items) {
      this.place(it);
      this.items.push(it);
    }
    this.dirty = true;
  }

  laneX(port) {
    const w = this.width;
    const i = this.ports.indexOf(port);
    const n = Math.max(1, this.ports.length);
    return Math.round((w / n) * (i + 0.5));
  }

  height() {
    const n = this.ys.length;
    return (n ? this.ys[n - 1] : 0) + ROW * 3;
  }

  // rowAt is the last row at or above y.
  rowAt(y) {
    let lo = 0;
    let hi = this.ys.length - 1;
    if (hi < 0 || y < this.ys[0]) return -1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.ys[mid] <= y + ROW / 2) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  // cursorY is where the moment shown is: after the last row it holds.
  cursorY() {
    const c = this.cursor;
    let lo = 0;
    let hi = this.items.length - 1;
    if (hi < 0) return TOP;
    if (c.live) return this.ys[hi] + ROW / 2;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.items[mid].steps <= c.steps) lo = mid;
      else hi = mid - 1;
    }
    if (this.items[lo].steps > c.steps) return TOP - ROW / 2;
    return this.ys[lo] + ROW / 2;
  }

  seekAtY(y) {
    const i = this.rowAt(y);
    if (i < 0) return;
    const it = this.items[i];
    if (this.pendingSeek) {
      this.pendingSeek = it;
      return;
    }
    this.pendingSeek = it;
    requestAnimationFrame(() => {
      const target = this.pendingSeek;
      this.pendingSeek = null;
      this.follow = false;
      this.onSeek({ steps: target.steps, t: target.at }, i === this.items.length - 1 && target === this.items[this.items.length - 1]);
    });
  }

  seekToMessage(id, end) {
    const r = this.rowOf.get(id);
    if (!r) return;
    const row = end && r[1] >= 0 ? r[1] : r[0];
    const it = this.items[row];
    this.follow = false;
    this.onSeek({ steps: it.steps, t: it.at }, false);
  }

  hover(target) {
    const g = target.closest && target.closest('.tl-msg, .tl-mark');
    if (!g) return;
    if (g.classList.contains('tl-msg')) {
      const m = this.msgs.get(Number(g.dataset.id));
      if (m) this.detail.textContent = describe(m);
    } else {
      const m = this.markers.get(Number(g.dataset.id));
      if (m) this.detail.textContent = `${m.port} at ${(m.at / 1000).toFixed(3)} s: ${m.text || m.label}`;
    }
  }

  // render draws the rows in view (and a margin), the lanes and the
  // cursor. It does nothing when nothing changed.
  render() {
    if (this.follow && this.cursor.live) {
      const want = Math.max(0, this.height() - this.viewH);
      if (Math.abs(this.top - want) > 1) {
        this.autoTarget = want;
        this.pendingTop = want;
        this.top = want;
        this.dirty = true;
      }
    }
    if (this.reveal) {
      this.reveal = false;
      const y = this.cursorY();
      if (y < this.top + ROW || y > this.top + this.viewH - ROW) {
        this.pendingTop = Math.max(0, y - this.viewH / 2);
        this.top = this.pendingTop;
        this.autoTarget = this.pendingTop;
        this.dirty = true;
      }
    }
    const top = this.top;
    if (!this.dirty && this.drawnTop !== undefined && Math.abs(top - this.drawnTop) < OVERSCAN / 2) return false;
    this.dirty = false;
    this.drawnTop = top;
    const w = this.width;
    const h = this.height();
    this.svg.setAttribute('width', w);
    this.svg.setAttribute('height', h);
    this.svg.setAttribute('viewBox', `0 0 ${w} ${h}`);
    const y0 = top - OVERSCAN;
    const y1 = top + this.viewH + OVERSCAN;
    const out = [];
    for (const p of this.ports) {
      const x = this.laneX(p);
      out.push(`<line class="tl-lane" x1="${x}" x2="${x}" y1="0" y2="${h}"/>`);
    }
    // Rows in view; an arrow is drawn from its send row.
    const first = Math.max(0, this.rowAt(y0) - 1);
    const drawn = new Set();
    let i = first;
    // Arrows that started above the view and end in or below it.
    for (const [id, r] of this.rowOf) {
      if (r[0] < first && (r[1] < 0 || r[1] >= first)) drawn.add(id);
    }
    for (; i < this.items.length && this.ys[i] <= y1; i++) {
      const it = this.items[i];
      if (it.k === 'send') drawn.add(it.id);
      else if (it.k === 'mark') out.push(this.markerSVG(this.markers.get(it.id), this.ys[i], i));
    }
    const curY = this.cursorY();
    for (const id of drawn) {
      const m = this.msgs.get(id);
      if (m) out.push(this.arrowSVG(m, curY));
    }
    out.push(`<line class="tl-cursor${this.cursor.live ? ' live' : ''}" x1="0" x2="${w}" y1="${curY}" y2="${curY}"/>`);
    this.svg.innerHTML = out.join('');
    if (this.pendingTop !== undefined) {
      this.scroller.scrollTop = this.pendingTop; // after the chart grew
      this.pendingTop = undefined;
    }
    this.lanesHead.replaceChildren(...this.ports.map((p) => {
      const s = document.createElement('span');
      s.textContent = String(p);
      s.style.left = `${this.laneX(p)}px`;
      return s;
    }));
    this.status.textContent = this.cursor.live ? `live, t = ${(this.cursor.now / 1000).toFixed(3)} s` : `at t = ${(this.cursor.at / 1000).toFixed(3)} s (of ${(this.cursor.now / 1000).toFixed(3)} s): going on from here drops what came after`;
    this.root.classList.toggle('past', !this.cursor.live);
    return true;
  }

  arrowSVG(m, curY) {
    const r = this.rowOf.get(m.id);
    if (!r) return '';
    const ya = this.ys[r[0]];
    const yb = r[1] >= 0 ? this.ys[r[1]] : Math.max(ya + ROW / 2, curY);
    const xa = this.laneX(m.from);
    const xb = this.laneX(m.to);
    // A stream's SELECT comes first: name the write by what it carries.
    const main = m.parts.find((p) => !/^SELECT /.test(p)) || m.parts[0];
    const label = m.parts.length > 1 ? `${main} (+${m.parts.length - 1})` : main || `${m.bytes} bytes`;
    const short = label.length > 42 ? `${label.slice(0, 40)}…` : label;
    const dir = xb >= xa ? 1 : -1;
    const tx = xa + dir * 6;
    const anchor = dir > 0 ? 'start' : 'end';
    // The message is in the future of the moment shown: drawn faint.
    const future = !this.cursor.live && m.sent_step > this.cursor.steps;
    const cls = `tl-msg ${m.kind} ${m.state}${future ? ' future' : ''}`;
    const head = m.state === 'lost' ? `<path class="tl-x" d="M ${xb - 5} ${yb - 5} L ${xb + 5} ${yb + 5} M ${xb - 5} ${yb + 5} L ${xb + 5} ${yb - 5}"/>` : `<path class="tl-head" d="M ${xb} ${yb} l ${-dir * 8} -4 l 0 8 z"/>`;
    return `<g class="${cls}" tabindex="0" role="button" data-id="${m.id}" data-from="${m.from}" data-to="${m.to}" data-parts="${esc(m.parts.join('\n'))}" aria-label="${esc(`${m.from} to ${m.to}: ${label}`)}">` +
      `<title>${esc(describe(m))}</title>` +
      `<line class="tl-hit" x1="${xa}" y1="${ya}" x2="${xb}" y2="${yb}"/>` +
      `<line class="tl-line" x1="${xa}" y1="${ya}" x2="${xb}" y2="${yb}"/>${head}` +
      `<text x="${tx}" y="${ya - 4}" text-anchor="${anchor}">${esc(short)}</text></g>`;
  }

  markerSVG(m, y, row) {
    if (!m) return '';
    const x = this.laneX(m.port);
    const left = this.ports.indexOf(m.port) === this.ports.length - 1 && this.ports.length > 1;
    const tx = left ? x - 9 : x + 9;
    return `<g class="tl-mark ${m.kind}" tabindex="0" data-id="${m.id}" data-row="${row}" data-kind="${m.kind}">` +
      `<title>${esc(m.text || m.label)}</title>` +
      `<rect x="${x - 5}" y="${y - 5}" width="10" height="10" transform="rotate(45 ${x} ${y})"/>` +
      `<text x="${tx}" y="${y + 4}" text-anchor="${left ? 'end' : 'start'}">${esc(m.label)}</text></g>`;
  }
}

// describe is a message as the detail line shows it: who, when, what, and
// its first bytes.
export function describe(m) {
  const t = (ms) => `${(ms / 1000).toFixed(3)} s`;
  const when = m.state === 'done' ? `sent ${t(m.sent)}, delivered ${t(m.at)}` : m.state === 'lost' ? `sent ${t(m.sent)}, lost ${t(m.at)}` : `sent ${t(m.sent)}, in flight (${m.done}/${m.bytes} bytes arrived)`;
  return `${m.from} → ${m.to}, ${m.bytes} bytes, ${when}: ${m.parts.join(' · ')}\nbytes: ${m.raw}`;
}

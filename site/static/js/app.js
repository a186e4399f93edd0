// The page: node cards (terminal, replication panel, log), the topology,
// the clock controls, the tutorial and the URL (scenario, seed, step).

import { Terminal } from './terminal.js';
import { Panel } from './panel.js';
import { Topology } from './topology.js';
import { Timeline } from './timeline.js';
import { STEPS, Runner } from './tutorial.js';

const SPEEDS = [0.1, 0.25, 0.5, 1, 2, 5, 10];
const DEFAULT_CONFS = { 6379: '', 6378: 'port 6378\n', 6377: 'port 6377\n' };
const PROGRESS_KEY = 'syncscope.done';

const $ = (sel, root = document) => root.querySelector(sel);

// A journal in a URL: JSON, base64url.
function encodeLog(log) {
  const bytes = new TextEncoder().encode(JSON.stringify(log));
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function decodeLog(text) {
  if (!text) return null;
  try {
    const bin = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
    const log = JSON.parse(new TextDecoder().decode(Uint8Array.from(bin, (c) => c.charCodeAt(0))));
    return Array.isArray(log.actions) && log.end ? log : null;
  } catch {
    return null; // a damaged link: the step from the seed instead
  }
}

function h(tag, attrs = {}, ...kids) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') e.className = v;
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v);
  }
  for (const k of kids.flat()) if (k !== null && k !== undefined) e.append(k);
  return e;
}

export class App {
  constructor(api) {
    this.api = api;
    this.cards = new Map();
    this.starting = new Map(); // port -> the start under way
    this.order = [];
    this.native = [];
    this.confs = { ...DEFAULT_CONFS };
    this.logs = new Map(); // port -> lines seen so far
    this.rates = new Map(); // "a-b" -> bytes per second
    this.gen = 0;
    this.stepIndex = 0;
    this.stepBusy = false;
    this.done = new Set(JSON.parse(localStorage.getItem(PROGRESS_KEY) || '[]'));
    this.speedIndex = 3;
    this.topology = new Topology($('#topology'), api, {
      onNode: (port) => this.cards.get(port)?.term.focus(),
      onLink: (a, b, ev) => this.linkMenu(a, b, ev),
      onMessage: (m, pinned) => this.showMessage(m, pinned),
    });
    this.timeline = new Timeline($('#timeline'), api, { onSeek: (pos) => this.seek(pos) });
    $('#timeline .tl-live').addEventListener('click', () => {
      this.api.live();
      this.timeline.follow = true;
      this.afterSeek();
    });
    $('#timeline .tl-zoom-in').addEventListener('click', () => this.timeline.setZoom(this.timeline.zoom + 1));
    $('#timeline .tl-zoom-out').addEventListener('click', () => this.timeline.setZoom(this.timeline.zoom - 1));
    api.timing.frames = [];
    const frame = () => {
      requestAnimationFrame(frame);
      if (!this.started && !this.api.nodes().length) return;
      const t0 = performance.now();
      const u = this.timeline.pull();
      // Drawing only writes to the DOM (no layout read), chart first.
      this.timeline.render();
      this.topology.feed(u.messages, { live: u.live, at: u.cursor }, this.timeline.msgs);
      this.topology.frame(t0);
      // Frame times (topology and timeline drawn), and the time between
      // frames (the world's own work included), for the budget test.
      const f = api.timing.frames;
      f.push(performance.now() - t0);
      if (f.length > 600) f.splice(0, f.length - 600);
      const g = (api.timing.gaps = api.timing.gaps || []);
      if (this.lastFrame) g.push(t0 - this.lastFrame);
      if (g.length > 600) g.splice(0, g.length - 600);
      this.lastFrame = t0;
    };
    requestAnimationFrame(frame);
  }

  async start() {
    const url = new URLSearchParams(location.search);
    let seed = Number(url.get('seed'));
    if (!Number.isInteger(seed) || seed <= 0) seed = 1 + Math.floor(Math.random() * 999999);
    this.seed = seed;
    $('#seed').textContent = String(seed);
    this.native = (await this.api.nativeNodes) || []; // main.js fetched native.json
    this.steps = STEPS.filter((s) => !s.native || this.native.length > 0);
    this.initClock();
    this.initTutorial();
    this.log = decodeLog(url.get('log'));
    let step = this.steps.findIndex((s) => s.id === url.get('step'));
    if (step < 0) {
      const scenario = url.get('scenario');
      step = Math.max(0, this.steps.findIndex((s) => s.chapter.toLowerCase().replace(/\s+/g, '-') === scenario || s.id === scenario));
    }
    setInterval(() => this.refresh(), 200);
    document.addEventListener('visibilitychange', () => this.visibility());
    await this.go(step);
    // The first thing to do: type into 6379's terminal. (Not on a phone,
    // where focus would pop the keyboard over the page.)
    if (step === 0 && !this.log && matchMedia('(min-width: 700px)').matches) this.cards.get(6379)?.term.focus();
    this.started = true; // tests wait for this
  }

  // --- clock ---

  initClock() {
    const speed = $('#speed');
    speed.value = String(this.speedIndex - 3);
    const show = () => {
      $('#speed-out').textContent = `${SPEEDS[this.speedIndex]}×`;
    };
    show();
    speed.addEventListener('input', () => {
      this.speedIndex = Number(speed.value) + 3;
      show();
      if (!this.paused) this.api.play(SPEEDS[this.speedIndex]);
      this.topology.speed = SPEEDS[this.speedIndex];
    });
    $('#pause').addEventListener('click', () => this.setPaused(!this.paused));
    // Space pauses and plays, unless the focus is where Space means
    // something else: a field (typing a space), a button, a scrollable pane.
    document.addEventListener('keydown', (ev) => {
      if (ev.key !== ' ' || ev.ctrlKey || ev.metaKey || ev.altKey || ev.repeat || ev.defaultPrevented) return;
      const t = ev.target instanceof Element ? ev.target : null;
      if (t && t !== document.body && t.closest('input, textarea, select, button, a[href], summary, [contenteditable], [role="button"], [tabindex]:not([tabindex="-1"])')) return;
      ev.preventDefault();
      this.setPaused(!this.paused);
    });
    $('#step').addEventListener('click', () => {
      const past = !this.timeline.cursor.live;
      this.setPaused(true);
      this.api.stepEvent();
      if (past) this.afterSeek();
      else this.refresh();
    });
    $('#step-back').addEventListener('click', () => {
      this.setPaused(true);
      if (this.api.stepBack()) {
        this.timeline.follow = false;
        this.afterSeek();
      }
    });
    $('#advance').addEventListener('click', () => {
      this.api.advance(1000);
      this.refresh();
    });
  }

  setPaused(p) {
    this.paused = p;
    if (p) this.api.pause();
    else this.api.play(SPEEDS[this.speedIndex]);
    const b = $('#pause');
    b.textContent = p ? 'Play' : 'Pause';
    b.setAttribute('aria-pressed', String(p));
  }

  // A hidden tab pauses the world (no CPU spent on it) and resumes it.
  visibility() {
    if (document.hidden) {
      this.hiddenWasPlaying = !this.paused;
      if (!this.paused) this.api.pause();
    } else if (this.hiddenWasPlaying) {
      this.api.play(SPEEDS[this.speedIndex]);
    }
  }

  // hurry is how much a step's waits speed the clock up.
  hurry() {
    return 2;
  }

  speed() {
    return SPEEDS[this.speedIndex];
  }

  // --- nodes ---

  ensureCard(port) {
    if (this.cards.has(port)) return this.cards.get(port);
    const root = $('#card-tpl').content.firstElementChild.cloneNode(true);
    root.id = `node-${port}`;
    root.dataset.port = port;
    $('.card-title', root).textContent = `127.0.0.1:${port}`;
    const term = new Terminal($('.term', root), port, this.api);
    const panel = new Panel($('.repl', root));
    // A known node starts again with its own config and dump, as restarting
    // the process does.
    $('.act-start', root).addEventListener('click', () => this.startNode(port).catch(() => {}));
    $('.act-stop', root).addEventListener('click', () => this.crash(port));
    $('.act-shutdown', root).addEventListener('click', () => term.run('shutdown'));
    $('.act-info', root).addEventListener('click', () => term.run('info replication'));
    $('.act-remove', root).addEventListener('click', () => this.removeNode(port));
    $('.act-lose', root).addEventListener('click', () => this.crash(port, true));
    const card = { root, term, panel, log: $('.log', root), role: $('.role', root), conf: $('.conf-text', root), follow: true, userAt: -1e9 };
    // The log follows new lines unless the user scrolled up to read. Only
    // the user's own scrolling (wheel, touch, keys, the scroll bar) decides:
    // a reflow that moves the scroll position does not stop the following.
    let user = false;
    const intent = () => {
      user = true;
      card.userAt = performance.now();
    };
    for (const ev of ['wheel', 'touchmove', 'keydown', 'pointerdown']) card.log.addEventListener(ev, intent, { passive: true });
    card.log.addEventListener('pointerup', () => setTimeout(() => { user = false; }, 0));
    card.log.addEventListener('scroll', () => {
      const bottom = card.log.scrollTop + card.log.clientHeight >= card.log.scrollHeight - 8;
      if (bottom) card.follow = true;
      else if (user) card.follow = false;
    });
    card.log.addEventListener('wheel', () => setTimeout(() => { user = false; }, 200), { passive: true });
    this.cards.set(port, card);
    this.order.push(port);
    const cards = $('#cards');
    cards.append(root);
    return card;
  }

  term(port) {
    return this.ensureCard(port).term;
  }

  // startNode starts port; a second start while one is under way (a click
  // on Start, then "Do it") waits for that one instead of failing on a node
  // that is already running.
  startNode(port, conf) {
    let p = this.starting.get(port);
    if (!p) {
      p = this.startNodeNow(port, conf).finally(() => this.starting.delete(port));
      this.starting.set(port, p);
    }
    return p;
  }

  async startNodeNow(port, conf) {
    this.ensureCard(port);
    const known = this.api.nodes().some((n) => n.port === port);
    try {
      if (conf === undefined && known) await this.api.startNode(port);
      else await this.api.startNode(port, conf ?? '');
    } catch (err) {
      this.cards.get(port).term.print(`(config) ${err.message}`, 'err');
      throw err;
    }
    this.refresh();
  }

  crash(port, loseDisk = false) {
    this.api.crashNode(port, { loseDisk });
    this.refresh();
  }

  // removeNode takes a node out of the page (the sandbox): killed, its disk
  // lost, its card gone.
  removeNode(port) {
    this.api.removeNode(port);
    const card = this.cards.get(port);
    if (card) card.root.remove();
    this.cards.delete(port);
    this.order = this.order.filter((p) => p !== port);
    this.logs.delete(port);
    this.refresh();
  }

  latency(a, b, ms) {
    this.api.latency(a, b, ms);
    this.topology.latency.set(a < b ? `${a}-${b}` : `${b}-${a}`, ms);
  }

  rate(a, b, bytesPerSec) {
    this.api.rate(a, b, bytesPerSec);
    this.rates.set(a < b ? `${a}-${b}` : `${b}-${a}`, bytesPerSec);
  }

  isCut(a, b) {
    return (this.api.cuts() || []).some(([x, y]) => (x === a && y === b) || (x === b && y === a));
  }

  // progress is lesson id's goals, computed by the core from the nodes.
  progress(id) {
    return this.api.lesson(id, this.confs);
  }

  // rdbKey changes when port receives another snapshot.
  rdbKey(port) {
    const b = this.api.rdb(port);
    if (!b) return '';
    let h = 0;
    for (let i = 0; i < b.length; i++) h = (h * 31 + b[i]) | 0;
    return `${b.length}:${h}`;
  }

  running(port) {
    return this.api.nodes().some((n) => n.port === port && n.running);
  }

  linkUp(port) {
    const st = this.api.state(port);
    return !!(st.master && st.master.status === 'up');
  }

  refreshLogs() {
    for (const port of this.order) {
      const seen = this.logs.get(port) || [];
      const more = this.api.logs(port, seen.length);
      if (more.length) {
        seen.push(...more);
        this.logs.set(port, seen);
        const card = this.cards.get(port);
        if (card) this.appendLog(card, more);
      }
    }
  }

  appendLog(card, lines) {
    const frag = document.createDocumentFragment();
    for (const l of lines) {
      const span = document.createElement('span');
      if (/^\d+:[A-Z] .{24} # /.test(l)) span.className = 'w';
      span.textContent = `${l}\n`;
      frag.append(span);
    }
    card.log.append(frag);
    while (card.log.childElementCount > 2000) card.log.firstElementChild.remove();
    if (this.following(card)) {
      card.log.scrollTop = card.log.scrollHeight;
      card.follow = true; // the scroll event of this jump must not unset it
    }
  }

  // following says whether a log keeps up with new lines: it does unless
  // the user scrolled it up, or is scrolling it now (their scroll may not
  // have moved it yet).
  following(card) {
    return card.follow && performance.now() - card.userAt > 500;
  }

  logCount(port, re) {
    return (this.logs.get(port) || []).filter((l) => re.test(l)).length;
  }

  saw(port, lineRe, want) {
    const c = this.cards.get(port);
    return !!c && c.term.saw(lineRe, want);
  }

  refresh() {
    this.refreshLogs();
    const nodes = this.api.nodes();
    for (const n of nodes) this.ensureCard(n.port);
    const states = new Map();
    for (const port of this.order) {
      const st = this.api.state(port);
      states.set(port, st);
      const card = this.cards.get(port);
      card.panel.update(st);
      const role = !st.running ? 'down' : st.role;
      card.role.textContent = !st.running ? 'not running' : st.role === 'slave' ? 'replica' : 'master';
      card.role.className = `badge role ${role}`;
      $('.act-start', card.root).disabled = st.running;
      $('.act-stop', card.root).disabled = !st.running;
      $('.act-lose', card.root).disabled = !st.running;
      $('.act-shutdown', card.root).disabled = !st.running;
      // A reflow (cards added, a resize, a screenshot) may leave a
      // following log short of its end: put it back there.
      if (this.following(card) && card.log.scrollTop + card.log.clientHeight < card.log.scrollHeight - 8) {
        card.log.scrollTop = card.log.scrollHeight;
      }
      const conf = this.api.conf(port);
      if (card.conf.textContent !== conf) card.conf.textContent = conf;
      card.panel.delay(this.api.syncDelay(port));
    }
    this.liveExtra();
    // Native nodes this page's nodes replicate from are drawn too.
    const ports = [...this.order];
    for (const st of states.values()) {
      if (st.master && this.native.includes(st.master.port) && !ports.includes(st.master.port)) {
        ports.unshift(st.master.port);
        states.set(st.master.port, { port: st.master.port, running: true, role: 'master', native: true, replicas: [] });
      }
    }
    // A replica whose last try failed in the last 2 s is retrying.
    const cur = this.timeline.cursor.at;
    for (const m of this.timeline.markers.values()) {
      const st = states.get(m.port);
      if (m.kind === 'retry' && st && m.at <= cur && cur - m.at < 2000) st.retryNow = true;
    }
    this.topology.update(ports, states, this.api.cuts() || [], this.api.links());
    $('#now').textContent = (this.api.now() / 1000).toFixed(3);
    this.check();
  }

  // liveExtra renders a step's extra again when what it shows changed.
  liveExtra() {
    const s = this.steps?.[this.stepIndex];
    if (!s?.live || this.stepBusy) return;
    const key = s.live(this);
    if (key === this.extraKey) return;
    this.extraKey = key;
    const extra = s.extra(this);
    $('#step-extra').replaceChildren(...(extra ? [extra].flat() : []));
  }

  // --- going back in time ---

  // seek shows the page at a moment of the timeline ({steps, t}).
  seek(pos) {
    const t0 = performance.now();
    const err = this.api.seek(pos);
    this.api.timing.seekCore = performance.now() - t0;
    if (err) {
      $('#check').textContent = err;
      return;
    }
    this.setPaused(true);
    this.afterSeek();
    this.timeline.pull();
    this.timeline.render();
    this.api.timing.seek = performance.now() - t0;
  }

  // afterSeek redraws what the moment shown holds: logs and terminals as
  // they were then (the core's run at that moment says).
  afterSeek() {
    this.setPaused(true);
    for (const card of this.cards.values()) {
      card.log.textContent = '';
      card.follow = true;
    }
    this.logs.clear();
    const said = this.api.said();
    for (const [port, card] of this.cards) {
      const mine = said.filter((x) => x.port === port);
      // Built off the page and put in at once (the terminal keeps its
      // last 500 lines), then scrolled to its end once.
      const frag = document.createDocumentFragment();
      const line = (text, cls) => {
        const div = document.createElement('div');
        if (cls) div.className = cls;
        div.textContent = text;
        frag.append(div);
      };
      for (const x of mine.slice(-250)) {
        line(card.term.prompt() + x.line, 'cmd');
        if (x.output !== '') line(x.output, /^(\(error\)|Could not connect|Error:)/.test(x.output) ? 'err' : '');
      }
      card.term.out.replaceChildren(frag);
      card.term.out.scrollTop = card.term.out.scrollHeight;
      card.term.transcript = mine.map((x) => ({ line: x.line.trim(), output: x.output }));
    }
    this.refresh();
  }

  // --- links ---

  linkMenu(a, b, ev) {
    const menu = $('#link-menu');
    const cut = (this.api.cuts() || []).some(([x, y]) => (x === a && y === b) || (x === b && y === a));
    const back = ev.currentTarget;
    const close = () => {
      menu.hidden = true;
      // Back to the link (redrawn, if the action changed it).
      const again = back && back.isConnected ? back : document.querySelector(`#links .link[data-pair="${a}-${b}"]`);
      again?.focus();
    };
    const act = (label, fn) => h('button', { type: 'button', onclick: () => { fn(); close(); this.refresh(); } }, label);
    const setLat = (ms) => () => this.latency(a, b, ms);
    menu.replaceChildren(
      h('strong', {}, `${a} – ${b}`),
      cut ? act('Heal', () => this.api.heal(a, b)) : act('Cut', () => this.api.cut(a, b)),
      act('Latency 1 ms', setLat(1)), act('100 ms', setLat(100)), act('500 ms', setLat(500)), act('2 s', setLat(2000)),
      act('Rate 8 KB/s', () => this.rate(a, b, 8000)), act('No rate limit', () => this.rate(a, b, 0)),
      h('button', { type: 'button', onclick: close }, 'Close'),
    );
    const box = $('.topology').getBoundingClientRect();
    const x = (ev.clientX || box.left + box.width / 2) - box.left;
    const y = (ev.clientY || box.top + 60) - box.top;
    menu.style.left = `${Math.max(4, Math.min(x - 100, box.width - 260))}px`;
    menu.style.top = `${y + 10}px`;
    menu.hidden = false;
    menu.querySelector('button').focus();
    menu.onkeydown = (e) => {
      if (e.key === 'Escape') close();
    };
  }

  showMessage(m, pinned) {
    if (this.pinned && !pinned) return;
    if (pinned) this.pinned = true;
    $('#msg-detail').textContent = `${m.from} → ${m.to} (${m.bytes} bytes, t=${(m.at / 1000).toFixed(3)} s): ${m.parts.join(' · ')}`;
  }

  // --- step extras ---

  confEditors(ports) {
    return h('div', { class: 'confs' }, ports.map((port) => {
      const id = `conf-${port}`;
      const ta = h('textarea', { id, rows: 4, spellcheck: 'false' });
      ta.value = this.confs[port] ?? '';
      ta.addEventListener('input', () => {
        this.confs[port] = ta.value;
      });
      this.confFields = this.confFields || new Map();
      this.confFields.set(port, ta);
      return h('div', {}, h('label', { for: id }, `redis_${port}.conf`), ta);
    }));
  }

  setConf(port, text) {
    this.confs[port] = text;
    const ta = this.confFields?.get(port);
    if (ta && ta.isConnected) ta.value = text;
  }

  startButtons(ports, label, conf) {
    return h('div', { class: 'step-actions' }, ports.map((port) => h('button', {
      type: 'button',
      class: 'start-node',
      'data-port': port,
      onclick: () => this.startNode(port, conf ?? this.confs[port] ?? '').catch(() => {}),
    }, label || `Start ${port}`)));
  }

  // nodeButton does action (start, kill) to port.
  nodeButton(port, label, action) {
    return h('button', {
      type: 'button',
      class: `node-${action}`,
      'data-port': port,
      onclick: () => (action === 'kill' ? this.crash(port) : this.startNode(port).catch(() => {})),
    }, label);
  }

  // sandboxControls add a node on any port with a config.
  sandboxControls() {
    const port = h('input', { id: 'add-port', type: 'text', inputmode: 'numeric', pattern: '[0-9]*', value: '7000', size: '6' });
    const conf = h('textarea', { id: 'add-conf', rows: 2, spellcheck: 'false', 'aria-label': 'Its redis.conf' });
    conf.value = 'replicaof 127.0.0.1 6379\n';
    const msg = h('span', { class: 'add-msg', role: 'status' });
    const add = h('button', {
      type: 'button',
      id: 'add-node',
      onclick: () => {
        const p = Number(port.value);
        if (!Number.isInteger(p) || p < 1 || p > 65535) {
          msg.textContent = 'A port is a number from 1 to 65535.';
          return;
        }
        msg.textContent = '';
        this.startNode(p, conf.value).then(() => this.cards.get(p)?.term.focus()).catch((err) => { msg.textContent = err.message; });
      },
    }, 'Add node');
    return h('div', { class: 'sandbox' }, h('label', { for: 'add-port' }, 'Port'), port, h('label', { for: 'add-conf' }, 'redis.conf'), conf, add, msg);
  }

  // recap lists what the walkthrough showed, at the moments it happened.
  recap() {
    const list = h('ol', { class: 'recap' });
    for (const m of this.api.moments()) {
      const at = `t=${(m.at / 1000).toFixed(3)} s`;
      const b = h('button', { type: 'button', class: 'moment', 'data-at': m.at, title: 'Show this moment' }, at);
      b.addEventListener('click', () => this.seekTo(m.at));
      list.append(h('li', {}, b, ' ', h('strong', {}, m.lesson), ' ', m.text));
    }
    return list;
  }

  // seekTo shows the world at virtual time ms: through the timeline's
  // seek when the page has it, else it says where to look.
  seekTo(ms) {
    if (typeof this.seek === 'function') this.seek({ steps: -1, t: ms });
    else $('#check').textContent = `At t=${(ms / 1000).toFixed(3)} s: see the log lines of that time.`;
  }

  // --- tutorial ---

  initTutorial() {
    const list = $('#step-list');
    let chapter = '';
    this.steps.forEach((s, i) => {
      if (s.chapter !== chapter) {
        chapter = s.chapter;
        list.append(h('li', { class: 'chapter' }, chapter));
      }
      list.append(h('li', {}, h('button', { type: 'button', 'data-step': i, onclick: () => this.go(i) }, s.title)));
    });
    $('#do-step').addEventListener('click', () => this.doStep());
    $('#hint').addEventListener('click', () => this.showHint(this.steps[this.stepIndex].hint));
    $('#solution').addEventListener('click', () => {
      const sol = this.steps[this.stepIndex].solution;
      this.showHint(typeof sol === 'function' ? sol(this) : sol, true);
    });
    $('#reset-step').addEventListener('click', () => this.go(this.stepIndex));
    $('#back').addEventListener('click', () => this.go(Math.max(0, this.stepIndex - 1)));
    $('#next').addEventListener('click', () => this.go(Math.min(this.steps.length - 1, this.stepIndex + 1)));
    $('#share').addEventListener('click', async () => {
      try {
        await navigator.clipboard.writeText(this.url(true));
        $('#check').textContent = 'Link copied: it replays this run.';
      } catch {
        $('#check').textContent = this.url(true);
      }
    });
  }

  showHint(text, pre) {
    const el = $('#hint-text');
    el.hidden = false;
    el.replaceChildren(pre ? h('pre', {}, text) : text);
  }

  // url names the step and the seed; withLog adds the journal of what was
  // done since the step opened, so the link replays this exact run.
  url(withLog) {
    const u = new URL(location.href);
    const s = this.steps[this.stepIndex];
    const q = new URLSearchParams({ scenario: s.chapter.toLowerCase().replace(/\s+/g, '-'), seed: String(this.seed), step: s.id });
    // mark: where the lesson opened, so the shared run's goals count from
    // there; confs: the files being edited, which no action holds.
    if (withLog && !s.native) q.set('log', encodeLog({ actions: this.api.actions(), end: this.api.position(), mark: this.markAt, confs: this.confs }));
    u.search = q.toString();
    return u.toString();
  }

  // clearWorld empties the page for a replay from the seed.
  clearWorld() {
    this.api.reset(this.seed);
    for (const c of this.cards.values()) c.root.remove();
    this.cards.clear();
    this.order = [];
    this.logs.clear();
    this.confs = { ...DEFAULT_CONFS };
    this.topology.latency.clear();
    this.rates.clear();
    this.extraKey = undefined;
    this.topology.clear();
    this.topology.last = '';
    this.timeline.reset();
    this.pinned = false;
    $('#msg-detail').textContent = '';
    // A message of the world before (another step) is not one of this one.
    const detail = $('#timeline .tl-detail');
    if (detail) detail.textContent = '';
    if (this.native.length) this.api.linkNative(this.native);
  }

  // go shows step i after replaying what comes before it, fast.
  async go(i) {
    const gen = ++this.gen;
    this.stepIndex = i;
    const s = this.steps[i];
    history.replaceState(null, '', this.url());
    this.renderStep();
    this.clearWorld();
    this.api.pause();
    this.busy(true);
    const ctx = new Runner(this, true, gen);
    const log = this.log;
    this.log = null; // once: Back and the step list replay from the seed
    try {
      if (log) {
        await this.replay(log, gen);
      } else if (s.base) {
        await s.base(ctx);
      } else {
        // The live landing: 6379 runs from the first moment.
        await ctx.start(6379, this.confs[6379]);
        for (const prev of this.steps.slice(0, i)) if (!prev.base && prev.run) await prev.run(ctx);
      }
    } catch (err) {
      if (err.message === 'cancelled') return;
      console.error(err);
      $('#check').textContent = err.message;
    }
    if (gen !== this.gen) return;
    if (!log?.mark) this.mark();
    this.busy(false);
    this.renderStep(); // extras read the replayed state
    // A shared run opens paused at the moment it was shared.
    this.setPaused(!!log);
    this.refresh();
    if (log) this.showHint('Replayed the shared run; paused where it was shared. Press Play to go on.');
  }

  // mark opens the lesson here: its goals count what happens from now.
  mark() {
    this.api.markLesson();
    this.markAt = { n: (this.api.actions() || []).length, pos: this.api.position() };
  }

  // replay runs a journal again: each action at its position (events run
  // and clock), through the same paths as when it was done.
  async replay(log, gen) {
    this.api.hold(true);
    try {
      await this.replayActions(log, gen);
    } finally {
      this.api.hold(false);
    }
  }

  async replayActions(log, gen) {
    const markHere = () => {
      const err = this.api.goto(log.mark.pos);
      if (err) throw new Error(`the link's run cannot be replayed: ${err}`);
      this.mark();
    };
    for (const [i, a] of log.actions.entries()) {
      if (gen !== this.gen) throw new Error('cancelled');
      if (log.mark && i === log.mark.n) markHere();
      const err = this.api.goto(a);
      if (err) throw new Error(`the link's run cannot be replayed: ${err}`);
      const port = Number(a.args[0]);
      if (a.op === 'exec') {
        this.term(port).run(a.args[1], this.api.apply(a));
        continue;
      }
      if (a.op === 'start') {
        this.ensureCard(port);
        if (a.args[2] !== 'true') this.setConf(port, a.args[1]);
      }
      if (a.op === 'rate') {
        const [x, y] = [port, Number(a.args[1])];
        this.rates.set(x < y ? `${x}-${y}` : `${y}-${x}`, Number(a.args[2]));
      }
      if (a.op === 'latency') {
        const [x, y] = [port, Number(a.args[1])];
        this.topology.latency.set(x < y ? `${x}-${y}` : `${y}-${x}`, parseFloat(a.args[2]) * (a.args[2].endsWith('ms') ? 1 : 1000));
      }
      await this.api.apply(a);
    }
    if (log.mark && log.mark.n >= log.actions.length) markHere();
    if (log.confs) for (const [port, text] of Object.entries(log.confs)) this.setConf(Number(port), text);
    const err = this.api.goto(log.end);
    if (err) throw new Error(`the link's run cannot be replayed: ${err}`);
  }

  busy(on) {
    this.stepBusy = on;
    $('#do-step').disabled = on;
    $('#do-step').textContent = on ? 'Running…' : 'Do it';
  }

  async doStep() {
    const gen = this.gen;
    this.busy(true);
    if (this.paused) this.setPaused(false);
    const ctx = new Runner(this, false, gen);
    try {
      const s = this.steps[this.stepIndex];
      if (s.run) await s.run(ctx);
    } catch (err) {
      if (err.message !== 'cancelled') console.error(err);
    }
    if (gen === this.gen) {
      this.busy(false);
      this.refresh();
    }
  }

  renderStep() {
    const s = this.steps[this.stepIndex];
    $('#step-title').textContent = `${s.chapter}: ${s.title}`;
    $('#step-body').innerHTML = typeof s.body === 'function' ? s.body(this) : s.body;
    const extra = s.extra ? s.extra(this) : null;
    this.extraKey = s.live ? s.live(this) : undefined;
    $('#step-extra').replaceChildren(...(extra ? [extra].flat() : []));
    $('#hint-text').hidden = true;
    $('#back').disabled = this.stepIndex === 0;
    $('#next').disabled = this.stepIndex === this.steps.length - 1;
    $('#do-step').hidden = !s.run;
    document.body.classList.toggle('sandbox-mode', !!s.sandbox);
    for (const b of document.querySelectorAll('#step-list button')) {
      const i = Number(b.dataset.step);
      if (i === this.stepIndex) b.setAttribute('aria-current', 'step');
      else b.removeAttribute('aria-current');
      b.classList.toggle('done', this.done.has(this.steps[i].id));
    }
    this.lastGoals = '';
    $('#goals').replaceChildren();
    $('#check').className = 'check todo';
    $('#check').textContent = '';
  }

  // check shows the step's goals as chips, ticked from the nodes' state,
  // and why the next one is not met yet.
  check() {
    if (!this.steps || this.stepBusy) return;
    const s = this.steps[this.stepIndex];
    const pr = this.progress(s.id);
    const key = JSON.stringify(pr);
    if (key === this.lastGoals) return;
    this.lastGoals = key;
    $('#goals').replaceChildren(...pr.goals.map((g) => h('li', { class: g.done ? 'goal met' : 'goal' },
      h('span', { class: 'tick', 'aria-hidden': 'true' }, g.done ? '✓' : '○'), ' ', g.text,
      h('span', { class: 'sr-only' }, g.done ? ' (done)' : ' (not yet)'))));
    const el = $('#check');
    // Announced when the step is done; the why, which may count down or
    // follow a transfer byte by byte, is not read out at every change.
    el.setAttribute('aria-live', pr.done ? 'polite' : 'off');
    if (pr.done && pr.goals.length) {
      el.className = 'check ok';
      el.textContent = `✓ ${s.done}`;
      if (!this.done.has(s.id)) {
        this.done.add(s.id);
        localStorage.setItem(PROGRESS_KEY, JSON.stringify([...this.done]));
        document.querySelector(`#step-list button[data-step="${this.stepIndex}"]`)?.classList.add('done');
      }
    } else {
      el.className = 'check todo';
      el.textContent = pr.why ? `Not yet: ${pr.why}` : '';
    }
  }
}

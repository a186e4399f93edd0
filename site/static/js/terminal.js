// A redis-cli per node: the prompt, history on the arrow keys, Tab
// completion, and what redis-cli does itself (help, clear, quit) or prints
// (replies, raw or formatted): all decided by the core (api.cli,
// api.complete, api.exec); this file only renders.

export class Terminal {
  constructor(root, port, api) {
    this.port = port;
    this.api = api;
    this.out = root.querySelector('.term-out');
    this.form = root.querySelector('.term-line');
    this.input = root.querySelector('.term-in');
    this.promptEl = root.querySelector('.prompt');
    this.history = [];
    this.hpos = 0;
    this.transcript = []; // {line, output}: what the user saw, for the tutorial's checks
    this.connected = true;
    this.exited = false; // after quit: a shell prompt that starts redis-cli again
    this.tab = null; // {orig, list, i} while Tab cycles through completions
    this.busy = Promise.resolve();
    const id = `term-${port}`;
    this.input.id = id;
    this.promptEl.htmlFor = id;
    this.input.setAttribute('aria-label', `redis-cli connected to 127.0.0.1:${port}`);
    this.renderPrompt();
    this.form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      const line = this.input.value;
      this.input.value = '';
      this.run(line);
    });
    this.input.addEventListener('keydown', (ev) => this.key(ev));
  }

  prompt() {
    if (this.exited) return '$ ';
    // The core keeps what redis-cli shows there: [db] after SELECT, (TX) in a MULTI.
    return this.connected ? this.api.prompt(this.port) : 'not connected> ';
  }

  renderPrompt() {
    this.promptEl.textContent = this.prompt();
    this.input.placeholder = this.exited ? `redis-cli -p ${this.port}` : '';
  }

  key(ev) {
    if (this.tab && ev.key !== 'Tab') {
      // linenoise: Esc puts back what was typed; any other key keeps the
      // completion shown and goes on.
      if (ev.key === 'Escape') {
        this.input.value = this.tab.orig;
        this.tab = null;
        ev.preventDefault();
        return;
      }
      this.tab = null;
    }
    if (ev.key === 'Tab' && !ev.shiftKey && !ev.altKey && !ev.ctrlKey && !ev.metaKey) {
      // Tab on an empty line moves the focus on, as everywhere on the page.
      if (!this.complete()) return;
    } else if (ev.key === 'ArrowUp' && this.hpos > 0) {
      this.hpos--;
      this.input.value = this.history[this.hpos];
    } else if (ev.key === 'ArrowDown' && this.hpos < this.history.length) {
      this.hpos++;
      this.input.value = this.history[this.hpos] ?? '';
    } else if (ev.key === 'l' && ev.ctrlKey) {
      this.out.textContent = '';
    } else {
      return;
    }
    ev.preventDefault();
  }

  // complete shows the next of redis-cli's completions for the typed line
  // (then what was typed, then the first again); false when none.
  complete() {
    if (!this.tab) {
      const orig = this.input.value;
      if (orig.trim() === '' || this.exited) return false;
      const list = this.api.complete(orig);
      if (!list.length) return false;
      this.tab = { orig, list, i: 0 };
    } else {
      this.tab.i = (this.tab.i + 1) % (this.tab.list.length + 1);
    }
    const { orig, list, i } = this.tab;
    this.input.value = i < list.length ? list[i] : orig;
    return true;
  }

  print(text, cls) {
    const div = document.createElement('div');
    if (cls) div.className = cls;
    renderANSI(div, text);
    this.out.append(div);
    while (this.out.childElementCount > 500) this.out.firstElementChild.remove();
    this.out.scrollTop = this.out.scrollHeight;
    return div;
  }

  // run types line as the user would; resolves with what was printed.
  // pending, for a journal's replay, is the command already sent: it is
  // shown in turn, after the commands before it.
  run(line, pending) {
    const next = this.busy.then(() => this.exec(line, pending));
    this.busy = next.catch(() => {});
    return next;
  }

  // exec shows line and its output; pending, when given, is the output
  // already on its way (a journal's replay sends the command itself).
  async exec(line, pending) {
    if (this.exited && !pending) {
      // The shell: any line starts redis-cli again.
      this.print(`$ redis-cli -p ${this.port}`, 'cmd');
      this.exited = false;
      this.renderPrompt();
      return '';
    }
    this.exited = false;
    this.print(this.prompt() + line, 'cmd');
    if (line.trim() !== '' && this.history[this.history.length - 1] !== line) this.history.push(line);
    this.hpos = this.history.length;
    const word = line.trim().split(/\s+/)[0].toLowerCase();
    // A journal's replay brings commands that were sent: no local ones.
    const local = pending ? { op: 'send' } : this.api.cli(line);
    if (local.op !== 'send') {
      if (local.op === 'clear') this.out.textContent = '';
      if (local.op === 'quit') this.exited = true;
      if (local.text) this.print(local.text);
      this.renderPrompt();
      this.transcript.push({ line: line.trim(), output: local.text || '' });
      return local.text || '';
    }
    // The reply goes right under its command, whatever prints meanwhile.
    const slot = this.print('', '');
    const output = (await (pending || this.api.exec(this.port, line))) ?? '';
    if (output === '') {
      slot.remove();
    } else {
      const err = output.startsWith('(error)') || output.startsWith('Could not connect') || output.startsWith('Error:');
      renderANSI(slot, output);
      if (err) slot.className = 'err';
      this.out.scrollTop = this.out.scrollHeight;
    }
    if (output.startsWith('Could not connect') || output.startsWith('Error: Server closed')) {
      this.connected = false;
    } else if (word === 'shutdown' && output === '') {
      this.connected = false;
    } else if (line.trim() !== '') {
      this.connected = true;
    }
    this.renderPrompt();
    this.transcript.push({ line: line.trim(), output });
    return output;
  }

  // saw reports whether a line matching re printed output matching want.
  saw(re, want) {
    return this.transcript.some((t) => re.test(t.line) && (want instanceof RegExp ? want.test(t.output) : t.output === want));
  }

  focus() {
    this.input.focus();
  }
}

// renderANSI shows text with the few SGR codes redis-cli's help uses (bold,
// grey, yellow, reset) as styled spans; textContent stays the plain text.
function renderANSI(el, text) {
  el.textContent = '';
  const re = /\x1b\[([0-9;]*)m/g;
  let at = 0;
  let cls = '';
  const add = (s) => {
    if (!s) return;
    if (!cls) {
      el.append(s);
      return;
    }
    const span = document.createElement('span');
    span.className = cls;
    span.textContent = s;
    el.append(span);
  };
  for (let m; (m = re.exec(text)); ) {
    add(text.slice(at, m.index));
    at = re.lastIndex;
    const codes = m[1].split(';');
    for (const c of codes) {
      if (c === '' || c === '0') cls = '';
      else if (c === '1') cls = 'ansi-bold';
      else if (c === '33') cls = 'ansi-yellow';
      else if (c === '90') cls = 'ansi-grey';
    }
  }
  add(text.slice(at));
}

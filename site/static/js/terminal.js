// A redis-cli per node: the prompt, history on the arrow keys, replies
// formatted by the core exactly as redis-cli prints them.

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
    return this.connected ? `127.0.0.1:${this.port}> ` : 'not connected> ';
  }

  renderPrompt() {
    this.promptEl.textContent = this.prompt();
  }

  key(ev) {
    if (ev.key === 'ArrowUp' && this.hpos > 0) {
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

  print(text, cls) {
    const div = document.createElement('div');
    if (cls) div.className = cls;
    div.textContent = text;
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
    this.print(this.prompt() + line, 'cmd');
    if (line.trim() !== '' && this.history[this.history.length - 1] !== line) this.history.push(line);
    this.hpos = this.history.length;
    const word = line.trim().split(/\s+/)[0].toLowerCase();
    if (word === 'clear') {
      this.out.textContent = '';
      return '';
    }
    // The reply goes right under its command, whatever prints meanwhile.
    const slot = this.print('', '');
    const output = (await (pending || this.api.exec(this.port, line))) ?? '';
    if (output === '') {
      slot.remove();
    } else {
      const err = output.startsWith('(error)') || output.startsWith('Could not connect') || output.startsWith('Error:');
      slot.textContent = output;
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

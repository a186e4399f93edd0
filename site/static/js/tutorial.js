// The tutorial: the walkthrough's steps 0x001-0x005, the "break it"
// chapter, the RDB byte by byte, a link to a native node, and the sandbox.
// Each step has a narration, a run() that performs it from whatever state
// the learner left (the "Do it" button, and the replay behind Back and
// jump-to-step), a hint and a solution. Its goals and "why not yet" are
// computed by the core from the nodes' state (api.lesson). Steps replay
// deterministically: the same seed and the same actions give the same run.

import { renderRDB } from './rdbview.js';

const CONF_6378 = 'port 6378\nslaveof 127.0.0.1 6379\n';
const CONF_6377 = 'port 6377\nslaveof 127.0.0.1 6378\n';
// About 36 KB of stream: Redis 7 frees a 16 KB backlog by 16 KB blocks, so
// the block holding 6378's offset goes once about 32 KB follow its start.
const FILLER = '600 rpush big xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx';
// The kill lesson's link: 8 KB/s, so a 40 KB RDB takes 5 s.
const SLOW = 8000;

const confLine = (text, master) => new RegExp(`^\\s*(slaveof|replicaof)\\s+127\\.0\\.0\\.1\\s+${master}\\s*$`, 'mi').test(text);

// start the walkthrough's chain (what is not running yet) and wait until
// both replicas are linked.
async function startChain(ctx) {
  await ctx.start(6379, ctx.app.confs[6379]);
  await ctx.start(6378, ctx.app.confs[6378]);
  await ctx.start(6377, ctx.app.confs[6377]);
  await ctx.waitFor(() => ctx.linkUp(6378) && ctx.linkUp(6377), 30000);
}

const said = (app, port, re, want) => app.saw(port, re, want);

export const STEPS = [
  {
    id: 'configure',
    chapter: 'Walkthrough',
    title: '0x001 Configure',
    body: `<p><b>6379 is running</b>, with the defaults: it is drawn above, and its terminal answers.
      Say hello: type <code>ping</code> in its terminal.</p>
      <p>Three Redis nodes make the walkthrough: <b>6379</b> the master, <b>6378</b> replicating 6379, and
      <b>6377</b> replicating 6378 — a chain. A replica is made in its <code>redis.conf</code> with
      <code>slaveof &lt;host&gt; &lt;port&gt;</code> (Redis 5 renamed it <code>replicaof</code>; both work).
      <b>Your turn:</b> make 6378 a replica of 6379 and 6377 a replica of 6378 in the two files below.</p>`,
    extra: (app) => app.confEditors([6378, 6377]),
    hint: 'Type ping in 6379\'s terminal. Add a line "slaveof 127.0.0.1 6379" to 6378\'s file and "slaveof 127.0.0.1 6378" to 6377\'s.',
    solution: `127.0.0.1:6379> ping\nPONG\n# 6378.conf\n${CONF_6378}# 6377.conf\n${CONF_6377}`,
    async run(ctx) {
      if (!said(ctx.app, 6379, /^ping$/i, 'PONG')) await ctx.type(6379, 'ping');
      if (!ctx.goal(1)) ctx.app.setConf(6378, CONF_6378);
      if (!ctx.goal(2)) ctx.app.setConf(6377, CONF_6377);
    },
    done: 'Both files name their master.',
  },
  {
    id: 'sync',
    chapter: 'Walkthrough',
    title: '0x002 Sync',
    body: `<p>6379 runs; start 6378, then 6377. Watch each replica's log: it connects, sends <code>PING</code>,
      <code>REPLCONF</code>, then <code>PSYNC ? -1</code> (no cached master: <i>Partial resynchronization not
      possible</i>). The master answers <code>+FULLRESYNC &lt;replid&gt; &lt;offset&gt;</code> and streams an RDB
      snapshot (pink on the link) — after waiting <code>repl-diskless-sync-delay</code> (5 s, counted down on 6379's card) for more replicas
      to share it.</p>
      <p>6377 asks 6378, which can't serve it before it is synced itself
      (<code>-NOMASTERLINK</code>): 6377 retries every second, then gets its own full sync. All three now share one
      replication ID and one offset: see the panels.</p>`,
    extra: (app) => app.startButtons([6378, 6377]),
    hint: 'Use the Start buttons above, in order: 6378 first.',
    solution: 'Start 6378, Start 6377; then wait for both links to be "up" (about 12 s of simulated time).',
    async run(ctx) {
      await startChain(ctx);
      await ctx.waitFor(() => ctx.app.progress(this.id).done, 5000);
    },
    done: 'Both replicas are linked: master_link_status:up, one replid, one offset.',
  },
  {
    id: 'write',
    chapter: 'Walkthrough',
    title: '0x003 Write',
    body: `<p>Write on the master and read on both replicas. In 6379's terminal type
      <code>set name redis</code>; then <code>get name</code> in 6378's and in 6377's. 6377 gets it through 6378:
      the intermediate replica forwards exactly the bytes it received (chained replication).</p>
      <p>Then try <code>set name redis-cli</code> on 6378: replicas are read-only by default.</p>`,
    hint: 'Click into a node\'s terminal (or press Enter on its node in the topology) and type the command.',
    solution: '127.0.0.1:6379> set name redis\n127.0.0.1:6378> get name\n127.0.0.1:6377> get name\n127.0.0.1:6378> set name redis-cli',
    async run(ctx) {
      if (!ctx.goal(0)) await ctx.type(6379, 'set name redis');
      await ctx.sleep(50);
      if (!ctx.goal(1)) await ctx.type(6378, 'get name');
      if (!ctx.goal(2)) await ctx.type(6377, 'get name');
      if (!ctx.goal(3)) await ctx.type(6378, 'set name redis-cli');
    },
    done: 'Both replicas print "redis", and 6378 refuses writes: READONLY.',
  },
  {
    id: 'disconnect',
    chapter: 'Walkthrough',
    title: '0x004 Disconnect',
    body: `<p>Type <code>shutdown</code> in 6378's terminal. 6378 saves its final RDB snapshot (with its
      <code>repl-id</code> and <code>repl-offset</code> in the aux fields) and exits; 6379 logs
      <i>Connection with replica 127.0.0.1:6378 lost</i>.</p>
      <p>6377 keeps retrying every second (<i>Connecting to MASTER 127.0.0.1:6378</i> /
      <i>Error condition on socket for SYNC: Connection refused</i>) and keeps serving its data: try
      <code>get name</code> there.</p>`,
    hint: 'In 6378\'s terminal: shutdown. Then watch 6377\'s log.',
    solution: '127.0.0.1:6378> shutdown\nnot connected>\n127.0.0.1:6377> get name\n"redis"',
    async run(ctx) {
      if (ctx.app.running(6378)) await ctx.type(6378, 'shutdown');
      await ctx.waitFor(() => ctx.goal(2), 10000);
      if (!ctx.goal(3)) await ctx.type(6377, 'get name');
    },
    done: '6378 is down; 6377 retries every second and still serves its data.',
  },
  {
    id: 'writable',
    chapter: 'Walkthrough',
    title: '0x005 Writable replica',
    body: `<p>Add <code>slave-read-only no</code> (or <code>replica-read-only no</code>) to 6378's file and
      start it again. It loads its dump.rdb, synthesizes a cached master from the RDB's replid and offset, and
      continues by <b>partial</b> resync: <i>Successful partial resynchronization with master.</i></p>
      <p>Now <code>set name redis-cli</code> on 6378 works — but <code>get name</code> on 6377 and 6379 still says
      <code>"redis"</code>: a replica's own writes are not propagated, and the next full sync drops them.</p>`,
    extra: (app) => [app.confEditors([6378]), app.startButtons([6378], 'Start 6378 again')],
    hint: 'Append "slave-read-only no" to 6378.conf, press "Start 6378 again", then set name redis-cli in its terminal.',
    solution: `# 6378.conf\n${CONF_6378}slave-read-only no\n\n127.0.0.1:6378> set name redis-cli\n127.0.0.1:6378> get name\n127.0.0.1:6377> get name\n127.0.0.1:6379> get name`,
    async run(ctx) {
      if (ctx.app.running(6378) && !ctx.goal(0)) {
        await ctx.type(6378, 'shutdown'); // its config is read at start
      }
      if (!/^\s*(slave|replica)-read-only\s+no\s*$/mi.test(ctx.app.confs[6378])) {
        ctx.app.setConf(6378, `${ctx.app.confs[6378].replace(/\n?$/, '\n')}slave-read-only no\n`);
      }
      await ctx.start(6378, ctx.app.confs[6378]);
      await ctx.waitFor(() => ctx.linkUp(6378) && ctx.linkUp(6377), 20000);
      if (!ctx.goal(3)) {
        await ctx.type(6378, 'set name redis-cli');
        await ctx.type(6378, 'get name');
      }
      await ctx.sleep(50);
      await ctx.type(6377, 'get name');
      await ctx.type(6379, 'get name');
    },
    done: '6378 says "redis-cli"; 6377 and 6379 still say "redis".',
  },
  {
    id: 'recap',
    chapter: 'Walkthrough',
    title: 'Recap',
    body: `<p>What the walkthrough showed, at the moments it happened in this run:</p>`,
    extra: (app) => app.recap(),
    live: (app) => String(app.api.moments().length),
    hint: 'Each moment names the log line or the reply that shows it. The break-it chapter comes next; the sandbox is yours.',
    solution: 'Nothing to do: read, then go on to "Break it" or the sandbox.',
    done: '',
  },
  {
    id: 'backlog',
    chapter: 'Break it',
    title: 'A backlog too small',
    base: async (ctx) => {
      await ctx.start(6379, 'repl-backlog-size 16kb\nrepl-timeout 5\n');
      await ctx.start(6378, 'replicaof 127.0.0.1 6379\nrepl-timeout 5\n');
      await ctx.waitFor(() => ctx.linkUp(6378), 20000);
      await ctx.type(6379, 'set name redis');
      await ctx.sleep(200);
    },
    body: `<p>A fresh pair: 6379 with a 16 KB backlog (<code>repl-backlog-size 16kb</code>, Redis's minimum), and
      both with <code>repl-timeout 5</code>.</p>
      <p><b>Cut</b> the link (click it in the topology). After 5 s 6378 gives up on its master
      (<i>MASTER timeout</i>) and retries, and 6379 drops the silent replica: until then the bytes 6378 has not
      read stay in the backlog, whatever its size. Meanwhile write on 6379 until 6378's offset leaves the backlog. Redis 7
      keeps the stream in blocks of 16 KB and frees the oldest only when the newer ones hold more than the
      backlog's size: here, about 32 KB after the start of the block holding 6378's offset.
      <code>${FILLER}</code> repeats a 61-byte command 600 times (about 36 KB), as redis-cli does with a count
      before a command. <b>Heal</b> the link: 6378 asks to continue from its offset, but those bytes have left the
      backlog: <i>Unable to partial resync … for lack of backlog</i>, and a full resync follows.</p>`,
    hint: 'Click the 6379–6378 link and "Cut", wait for 6378\'s "MASTER timeout", write on 6379, then "Heal".',
    solution: `cut 6379-6378\n(wait for MASTER timeout on 6378)\n127.0.0.1:6379> ${FILLER}\nheal 6379-6378`,
    async run(ctx) {
      if (!ctx.goal(4)) {
        // A cut long enough for 6378 to time out (again, if the learner
        // healed too early), then more than the backlog written.
        const timeouts = ctx.app.logCount(6378, /MASTER timeout/);
        if (!ctx.app.isCut(6379, 6378)) ctx.api.cut(6379, 6378);
        if (!ctx.goal(1) || ctx.linkUp(6378)) await ctx.waitFor(() => ctx.app.logCount(6378, /MASTER timeout/) > timeouts, 15000);
        for (let i = 0; i < 3 && !ctx.goal(2); i++) await ctx.type(6379, FILLER);
      }
      if (ctx.app.isCut(6379, 6378)) ctx.api.heal(6379, 6378);
      await ctx.waitFor(() => ctx.app.progress(this.id).done, 20000);
    },
    done: 'The offset 6378 asked for had left the backlog: full resync.',
  },
  {
    id: 'promote',
    chapter: 'Break it',
    title: 'Promote a replica (PSYNC2)',
    base: async (ctx) => {
      ctx.app.setConf(6378, CONF_6378);
      ctx.app.setConf(6377, CONF_6377);
      await startChain(ctx);
      await ctx.type(6379, 'set name redis');
      await ctx.sleep(200); // replicated down the chain before the user acts
    },
    body: `<p>The chain again. Promote 6378: <code>replicaof no one</code> in its terminal. It keeps its data, takes
      a new replication ID and remembers the old one as <b>replid2</b>, valid up to its offset (its panel shows
      both). 6377 reconnects and continues by partial resync against the new ID.</p>
      <p>Then make the old master follow: <code>replicaof 127.0.0.1 6378</code> on 6379. It asks to continue its
      own history — which 6378 knows as replid2 — so it too continues by partial resync.</p>`,
    hint: 'On 6378: replicaof no one. On 6379: replicaof 127.0.0.1 6378.',
    solution: '127.0.0.1:6378> replicaof no one\n127.0.0.1:6379> replicaof 127.0.0.1 6378',
    async run(ctx) {
      if (!ctx.goal(0)) await ctx.type(6378, 'replicaof no one');
      await ctx.waitFor(() => ctx.linkUp(6377), 5000);
      if (!ctx.goal(2)) await ctx.type(6379, 'replicaof 127.0.0.1 6378');
      await ctx.waitFor(() => ctx.linkUp(6379), 5000);
    },
    done: 'The old master continued by partial resync through replid2.',
  },
  {
    id: 'kill',
    chapter: 'Break it',
    title: 'Kill the master mid-transfer',
    base: async (ctx) => {
      await ctx.start(6379, 'repl-diskless-sync no\nrdbcompression no\n');
      await ctx.type(6379, 'set name redis');
      await ctx.type(6379, 'setrange big 40000 end');
      ctx.app.rate(6379, 6378, SLOW);
    },
    body: `<p>A master with 40 KB of data that saves to disk for syncs (<code>repl-diskless-sync no</code>), a
      slow link (8 KB/s: the RDB takes 5 s to cross it), and a replica to come. Start 6378
      (<code>replicaof 127.0.0.1 6379</code>) and, while the snapshot is on its way (the bar under 6378's link
      fills), <b>Kill</b> 6379.</p>
      <p>6378 loses the transfer (<i>I/O error … Connection reset by peer</i>), keeps nothing half-loaded, and
      retries every second. Start 6379 again: it loads the dump.rdb its BGSAVE wrote, and 6378 gets its full
      sync after all.</p>`,
    extra: (app) => h2('div', 'step-actions',
      app.startButtons([6378], 'Start 6378', 'replicaof 127.0.0.1 6379\n'),
      app.nodeButton(6379, 'Kill 6379', 'kill'),
      app.nodeButton(6379, 'Start 6379 again', 'start')),
    hint: 'Start 6378, watch the bar of its sync grow, press Kill 6379 before it is full, then Start 6379 again.',
    solution: 'Start 6378 (replicaof 127.0.0.1 6379)\nwhile 6378 shows "syncing": Kill 6379\nStart 6379 again',
    async run(ctx) {
      await ctx.start(6378, 'replicaof 127.0.0.1 6379\n');
      if (!ctx.goal(1) && ctx.linkUp(6378)) {
        // The transfer ended before the kill: another full sync to catch.
        await ctx.type(6378, 'replicaof no one');
        await ctx.type(6378, 'replicaof 127.0.0.1 6379');
      }
      if (!ctx.goal(1)) {
        await ctx.start(6379);
        await ctx.waitFor(() => ctx.syncing(6378), 20000, 50, true);
        if (ctx.syncing(6378)) ctx.app.crash(6379);
      }
      await ctx.waitFor(() => ctx.goal(2), 5000);
      await ctx.start(6379);
      await ctx.waitFor(() => ctx.linkUp(6378), 20000);
      await ctx.type(6378, 'get name');
    },
    done: 'The transfer was cut; the replica retried, and synced once its master was back.',
  },
  {
    id: 'wait',
    chapter: 'Break it',
    title: 'Latency and WAIT',
    base: async (ctx) => {
      ctx.app.setConf(6378, CONF_6378);
      ctx.app.setConf(6377, CONF_6377);
      await startChain(ctx);
      ctx.app.latency(6379, 6378, 2000);
    },
    body: `<p>The chain, with 2 s each way between 6379 and 6378. <code>WAIT numreplicas timeout</code> blocks
      until that many replicas acknowledged the offset of your last write, or the timeout (ms) passes.</p>
      <p>Try <code>set k v</code> then <code>wait 1 100</code> on 6379 (too short: <code>(integer) 0</code>), then
      <code>wait 1 5000</code> (<code>(integer) 1</code> after a round trip of 4 s). <code>wait 2 5000</code> still says 1:
      WAIT counts the master's own replicas — 6377 is 6378's. It does not make the write durable or atomic.</p>`,
    hint: 'On 6379: set k v, then wait 1 100 within a few seconds (6378 acknowledges every second, 2 s away), then wait 1 5000.',
    solution: '127.0.0.1:6379> set k v\n127.0.0.1:6379> wait 1 100\n(integer) 0\n127.0.0.1:6379> wait 1 5000\n(integer) 1',
    async run(ctx) {
      await ctx.type(6379, 'set k v');
      await ctx.type(6379, 'wait 1 100');
      await ctx.type(6379, 'wait 1 5000');
      await ctx.type(6379, 'wait 2 5000');
    },
    done: 'Too short a timeout gives 0; a round trip later, 1.',
  },
  {
    id: 'rdb',
    chapter: 'Beyond',
    title: 'The RDB, byte by byte',
    base: async (ctx) => {
      await ctx.start(6379, '');
      await ctx.type(6379, 'set name redis');
      await ctx.type(6379, 'rpush list a b c');
      await ctx.type(6379, 'set counter 42');
      await ctx.start(6378, 'replicaof 127.0.0.1 6379\n');
      await ctx.waitFor(() => ctx.linkUp(6378), 20000);
    },
    body: `<p>The snapshot 6379 sent 6378 in its full sync, decoded: the <code>REDIS0010</code> header, the aux
      fields (<code>repl-id</code> and <code>repl-offset</code> among them), the database selector, each key with
      its type and encoding, the end mark and the CRC64 checksum. Select a part to highlight its bytes.</p>`,
    extra: (app) => renderRDB(app, 6378),
    // The view follows the latest full sync.
    live: (app) => app.rdbKey(6378),
    hint: 'Write more keys on 6379, then run "replicaof no one" and "replicaof 127.0.0.1 6379" on 6378 to get a new snapshot.',
    solution: 'Nothing to do: read the bytes.',
    done: 'A snapshot to read.',
  },
  {
    id: 'native',
    chapter: 'Beyond',
    title: 'A native node',
    native: true,
    base: async () => {},
    body: (app) => `<p>This page was served by <code>make run</code>, next to native nodes: a real TCP server
      on ${app.native[0]}. Start a node in the page as its replica: the page's node links to it through a
      websocket, and does a full sync from it. Then, in a real terminal, type
      <code>redis-cli -p ${app.native[0]} set color blue</code> and read it here with <code>get color</code>
      on 7000.</p>`,
    extra: (app) => app.startButtons([7000], `Start 7000 (replicaof the native ${app.native[0]})`, `replicaof 127.0.0.1 ${app.native[0]}\n`),
    hint: 'Start 7000, wait for its link to be up, then write on the native node with redis-cli.',
    solution: (app) => `Start 7000\n$ redis-cli -p ${app.native[0]} set color blue\n127.0.0.1:7000> get color\n"blue"`,
    async run(ctx) {
      await ctx.start(7000, `replicaof 127.0.0.1 ${ctx.app.native[0]}\n`);
      await ctx.waitFor(() => ctx.linkUp(7000), 20000);
    },
    done: '7000 replicates the native node.',
  },
  {
    id: 'sandbox',
    chapter: 'Sandbox',
    title: 'Your own nodes',
    sandbox: true,
    base: async (ctx) => {
      await ctx.start(6379, '');
    },
    body: `<p>Everything is yours. Add nodes on any port (with a config if you like), make any of them a replica
      of any other with <code>replicaof 127.0.0.1 &lt;port&gt;</code> in its terminal, cut, heal and slow links
      (click a link), kill, shut down and start nodes from their cards, remove them. <b>Copy link</b> shares
      exactly this run.</p>`,
    extra: (app) => app.sandboxControls(),
    hint: 'Add 7000 with "replicaof 127.0.0.1 6379", then cut its link and write on 6379.',
    solution: 'Add node 7000 with config "replicaof 127.0.0.1 6379"\n127.0.0.1:6379> set a 1\n127.0.0.1:7000> get a',
    async run(ctx) {
      await ctx.start(7000, 'replicaof 127.0.0.1 6379\n');
      await ctx.waitFor(() => ctx.linkUp(7000), 20000);
    },
    done: '',
  },
];

function h2(tag, cls, ...kids) {
  const e = document.createElement(tag);
  e.className = cls;
  for (const k of kids.flat()) if (k) e.append(k);
  return e;
}

// Runner performs steps: live (the "Do it" button: typed into the
// terminals, paced so the eye can follow) or fast (replaying earlier steps
// after Back or a jump, in virtual time only).
export class Runner {
  constructor(app, fast, gen) {
    this.app = app;
    this.api = app.api;
    this.fast = fast;
    this.gen = gen;
  }

  alive() {
    if (this.app.gen !== this.gen) throw new Error('cancelled');
  }

  async type(port, line) {
    this.alive();
    let done = false;
    const out = this.app.term(port).run(line).then((v) => {
      done = true;
      return v;
    });
    // Fast, the clock is held: run it until the reply (a SHUTDOWN's save,
    // a WAIT) is there.
    for (let i = 0; this.fast && !done && i < 2000; i++) {
      await new Promise((r) => setTimeout(r, 0));
      if (!done) this.api.advance(10);
    }
    const text = await out;
    this.alive();
    return text;
  }

  // start starts port unless it runs already: a step goes on from
  // whatever the learner did.
  async start(port, conf) {
    this.alive();
    if (this.app.running(port)) return;
    await this.app.startNode(port, conf);
  }

  linkUp(port) {
    return this.app.linkUp(port);
  }

  // goal says whether the current step's goal i is met.
  goal(i) {
    const s = this.app.steps[this.app.stepIndex];
    return !!this.app.progress(s.id).goals[i]?.done;
  }

  syncing(port) {
    const m = this.api.state(port).master;
    return !!(m && m.syncing && m.sync_total > 0);
  }

  // waitFor runs the world until pred holds or maxMs of virtual time pass.
  // Live, it lets the clock run and hurries it along (waits are the dull
  // part); fast, it advances in small steps. precise holds the clock and
  // runs it event by event, stepMs per 50 ms, for a step that must act
  // between two deliveries whatever the speed.
  async waitFor(pred, maxMs, stepMs = 100, precise = false) {
    const start = this.api.now();
    const held = precise && !this.fast && !this.api.clock().paused;
    if (held) this.api.pause();
    try {
      for (;;) {
        this.alive();
        this.app.refreshLogs();
        if (pred()) return true;
        if (this.api.now() - start >= maxMs) return false;
        if (precise) {
          // Event by event, so the step can act between two deliveries.
          const until = this.api.now() + stepMs;
          while (this.api.now() < until) {
            if (!this.api.step()) break;
            this.app.refreshLogs();
            if (pred()) return true;
          }
          if (!this.fast) await new Promise((r) => setTimeout(r, 50));
        } else if (this.fast) {
          this.api.advance(stepMs);
        } else {
          await new Promise((r) => setTimeout(r, 50));
          this.alive();
          this.api.advance(stepMs * this.app.hurry());
        }
      }
    } finally {
      if (held && this.app.gen === this.gen && !this.app.paused) this.api.play(this.app.speed());
    }
  }

  async sleep(ms) {
    await this.waitFor(() => false, ms, Math.min(ms, 100));
  }
}

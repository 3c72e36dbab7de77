// bench.js: the CouchDB-protocol baseline of the sync benchmark
//
//   node bench.js --slowlink PATH [--cases 20000] [--edits N] [--overlap N] [--slow]
//                 [--kbit 256] [--rtt-ms 300] [--loss 0.01] [--adapter leveldb|memory]
//                 [--batch-size 100] [--seed 1] [--no-clone] [--out FILE] [--dump DIR]
//                 [--workdir DIR] [--keep] [--timeout 3600] [--no-keepalive]
//                 [--field phone|address|rating] [--server-field phone|address|rating]
//                 [--no-first-pull]
//
// The workload, between a client PouchDB (an office's replica) and an express-pouchdb server
// (server.js, in its own process) that the client reaches only through motcua-slowlink:
//
//   create  the client stores N new cases locally (no network)
//   push    PouchDB.replicate(client → server) until done
//   pull0   PouchDB.replicate(server → client): the client's first pull. Nothing to fetch, but a
//           replication that never ran starts from the beginning of the server's changes feed
//           and checks every entry (--no-first-pull leaves this to the sync phase, where it
//           then counts)
//   edit    the client edits E cases; the server (written directly, not through the link: the
//           provincial staff) edits E cases, O of them the same cases as the client: each edit
//           changes one field (phone by default) to a value that differs on the two sides
//   sync    PouchDB.sync(client ⇄ server) until done (both directions at once)
//   echo    the same sync again: no document moves, but each side still checks the documents
//           the first sync wrote into it (their changes feed shows them as new), so it is not free
//   idle    and once more: nothing changed anywhere since; what a periodic sync costs
//   clone   a new client pulls everything (the first sync of a new replica; --no-clone skips)
//
// and then counts the documents with _conflicts on each side (CouchDB conflicts are per
// document: any two concurrent edits of a document conflict, whatever fields they change), and
// checks that both sides have the same winning revision of every document.
//
// Bytes are counted by motcua-slowlink at the TCP level: the HTTP requests and responses as
// they go over the wire (headers included; the responses gzip-compressed, as express-pouchdb
// compresses them when asked, which PouchDB's fetch does; the requests are not compressed).
// Without --slow the proxy only counts (--passthrough); with --slow it emulates a 2G/3G link:
// 256 kbit/s each way, 300 ms RTT, 1 % segment loss (see motcua-slowlink.c).
//
// Each measured phase starts on new connections (as a sync after a pause would) and also lists
// the client's requests by endpoint with their body bytes, which shows where the upload goes.
//
// HTTP keep-alive: PouchDB on Node opens a new connection for every request (node-fetch sends
// "Connection: close" when given no agent), which on a slow link costs a handshake per request.
// A browser, PouchDB's usual home, keeps connections open; so does this benchmark unless
// --no-keepalive asks for PouchDB's Node default.
//
// --field / --server-field: the field the client's / server's edits change (phone for both by
// default, so the overlapping edits are true conflicts in a field-level system too; give
// --server-field address to see per-document conflicts where fields do not collide).
//
// Defaults: 20,000 cases; with --slow 2,000, since 20,000 new cases are 15.5 MB of requests and
// their push alone takes 13–14 minutes at 256 kbit/s (the whole workload ~25 minutes; give
// --slow --cases 20000 for it). E is N / 10 and O is E / 2 unless given.
//
// Prints a table and, last, one line of JSON with every figure; --out writes that line to FILE.
// --dump DIR writes the cases (a motcua-cases file that motcua-cli cases import reads, with
// data/offices.json, data/catalogue.json and data/calendar-*.json) and the edits (edits.json),
// so that the Một Cửa side can run the same workload.
//
// SPDX-License-Identifier: LGPL-2.1-or-later

'use strict';

const { spawn } = require('node:child_process');
const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');
const readline = require('node:readline');
const PouchDB = require('pouchdb');

const { generateCases, generateEdits, applyEdit, writeDump } = require('./cases');

const CREATE_BATCH = 1000;

function usage(message) {
  console.error(`bench.js: ${message}\n` +
                'usage: node bench.js --slowlink PATH [--cases N] [--edits N] [--overlap N] ' +
                '[--slow] [--kbit K] [--rtt-ms MS] [--loss P] [--adapter leveldb|memory] ' +
                '[--batch-size N] [--seed S] [--no-clone] [--out FILE] [--dump DIR] ' +
                '[--workdir DIR] [--keep] [--timeout S] [--no-keepalive] [--field F] ' +
                '[--server-field F] [--no-first-pull]');
  process.exit(2);
}

function parseArgs(argv) {
  const opts = {
    slowlink: process.env.MOTCUA_SLOWLINK ||
              path.join(__dirname, '..', '..', '..', '_build-bench', 'tests', 'bench',
                        'motcua-slowlink'),
    cases: null, edits: null, overlap: null, slow: false, kbit: 256, rttMs: 300, loss: 0.01,
    adapter: 'leveldb', batchSize: 100, seed: 1, clone: true, out: null, dump: null,
    workdir: null, keep: false, timeout: 3600, field: 'phone', serverField: null,
    keepalive: true, firstPull: true,
  };
  const numbers = {
    '--cases': 'cases', '--edits': 'edits', '--overlap': 'overlap', '--kbit': 'kbit',
    '--rtt-ms': 'rttMs', '--loss': 'loss', '--batch-size': 'batchSize', '--seed': 'seed',
    '--timeout': 'timeout',
  };
  const strings = {
    '--slowlink': 'slowlink', '--adapter': 'adapter', '--out': 'out', '--dump': 'dump',
    '--workdir': 'workdir', '--field': 'field', '--server-field': 'serverField',
  };

  for (let i = 2; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--slow')
      opts.slow = true;
    else if (arg === '--no-clone')
      opts.clone = false;
    else if (arg === '--keep')
      opts.keep = true;
    else if (arg === '--no-keepalive')
      opts.keepalive = false;
    else if (arg === '--no-first-pull')
      opts.firstPull = false;
    else if (arg in numbers || arg in strings) {
      if (i + 1 >= argv.length)
        usage(`${arg} needs a value`);
      const value = argv[++i];
      if (arg in numbers) {
        const n = Number(value);
        if (value === '' || !Number.isFinite(n) || n < 0)
          usage(`${arg} ${value}: not a number ≥ 0`);
        opts[numbers[arg]] = n;
      } else
        opts[strings[arg]] = value;
    } else
      usage(`unknown argument ${arg}`);
  }

  if (opts.cases === null)
    opts.cases = opts.slow ? 2000 : 20000;
  if (opts.edits === null)
    opts.edits = Math.floor(opts.cases / 10);
  if (opts.overlap === null)
    opts.overlap = Math.floor(opts.edits / 2);
  if (opts.serverField === null)
    opts.serverField = opts.field;
  for (const key of ['cases', 'edits', 'overlap', 'batchSize', 'seed', 'kbit', 'rttMs'])
    if (!Number.isInteger(opts[key]))
      usage(`--${key} must be a whole number`);
  if (opts.cases < 1 || opts.batchSize < 1)
    usage('--cases and --batch-size must be at least 1');
  if (opts.overlap > opts.edits || 2 * opts.edits - opts.overlap > opts.cases)
    usage(`--edits ${opts.edits} --overlap ${opts.overlap} need ${2 * opts.edits - opts.overlap}` +
          ` of the ${opts.cases} cases`);
  if (opts.loss >= 1)
    usage('--loss must be below 1');
  if (opts.adapter !== 'leveldb' && opts.adapter !== 'memory')
    usage('--adapter must be leveldb or memory');
  for (const field of [opts.field, opts.serverField])
    if (!['phone', 'address', 'rating'].includes(field))
      usage(`--field ${field}: phone, address or rating`);
  if (!fs.existsSync(opts.slowlink))
    usage(`no motcua-slowlink at ${opts.slowlink}: build it (meson compile -C _build-bench ` +
          'tests/bench/motcua-slowlink) or pass --slowlink PATH');

  return opts;
}

// ---------------------------------------------------------------------------------------------
// Child processes

const children = new Set();

function killChildren() {
  for (const child of children)
    if (child.exitCode === null && child.signalCode === null)
      child.kill('SIGTERM');
}

// Starts a program that prints "listening on HOST:PORT"; resolves to { child, port, lines }.
function startListening(name, command, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const lines = readline.createInterface({ input: child.stdout });
    const stderr = [];
    let done = false;

    children.add(child);
    child.on('exit', () => children.delete(child));
    child.stderr.on('data', (data) => {
      stderr.push(data);
      if (process.env.MOTCUA_BENCH_VERBOSE)
        process.stderr.write(data);
    });
    child.on('error', (error) => {
      if (!done) {
        done = true;
        reject(new Error(`${name}: ${error.message}`));
      }
    });
    child.on('exit', (code, signal) => {
      if (!done) {
        done = true;
        reject(new Error(`${name} exited (${code ?? signal}) before listening: ` +
                         Buffer.concat(stderr).toString().trim()));
      }
    });
    const onLine = (line) => {
      const match = /^listening on (.*):(\d+)$/.exec(line);
      if (match && !done) {
        done = true;
        lines.off('line', onLine);
        resolve({ child, port: Number(match[2]), lines });
      }
    };
    lines.on('line', onLine);
  });
}

class SlowLink {
  static async start(opts, to, statsPath) {
    const args = ['--listen', '127.0.0.1:0', '--to', `127.0.0.1:${to}`, '--stats', statsPath,
                  '--seed', String(opts.seed)];
    if (opts.slow)
      args.push('--kbit', String(opts.kbit), '--rtt-ms', String(opts.rttMs),
                '--loss', String(opts.loss));
    else
      args.push('--passthrough');

    const link = new SlowLink();
    Object.assign(link, await startListening('motcua-slowlink', opts.slowlink, args));
    link.waiting = [];
    link.lines.on('line', (line) => {
      if (line.startsWith('stats ') && link.waiting.length > 0)
        link.waiting.shift()(JSON.parse(line.slice(6)));
    });
    return link;
  }

  // The totals now: SIGUSR1 makes the proxy print a "stats {…}" line.
  stats() {
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      this.child.kill('SIGUSR1');
    });
  }
}

// ---------------------------------------------------------------------------------------------
// Measuring

function now() {
  return Number(process.hrtime.bigint()) / 1e9;
}

async function measured(link, fn) {
  const before = await link.stats();
  const start = now();
  const result = await fn();
  const seconds = now() - start;
  const after = await link.stats();

  return {
    result,
    seconds,
    up: after.client_to_server_bytes - before.client_to_server_bytes,
    down: after.server_to_client_bytes - before.server_to_client_bytes,
    connections: after.connections - before.connections,
    lost: (after.client_to_server_lost_segments - before.client_to_server_lost_segments) +
          (after.server_to_client_lost_segments - before.server_to_client_lost_segments),
  };
}

function replicationSummary(r) {
  return r ? { docs_read: r.docs_read, docs_written: r.docs_written,
               doc_write_failures: r.doc_write_failures } : null;
}

function round(x, digits = 1) {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

async function countConflicts(db) {
  const all = await db.allDocs({ include_docs: true, conflicts: true });
  let docs = 0, revisions = 0;

  for (const row of all.rows)
    if (row.doc && row.doc._conflicts) {
      docs++;
      revisions += row.doc._conflicts.length;
    }
  return { docs, losing_revisions: revisions, total_docs: all.rows.length };
}

async function winningRevs(db) {
  const all = await db.allDocs();
  return new Map(all.rows.map((row) => [row.id, row.value.rev]));
}

// Fetches @edits' documents from @db, changes them and writes them back in one _bulk_docs.
async function applyEdits(db, cases, edits) {
  const keys = edits.map((e) => cases[e.index].id);
  const got = await db.allDocs({ keys, include_docs: true });
  const docs = got.rows.map((row, i) => applyEdit(row.doc, edits[i]));
  const written = await db.bulkDocs(docs);
  const failed = written.filter((w) => w.error).length;

  if (failed > 0)
    throw new Error(`${failed} of ${docs.length} edits failed: ` +
                    JSON.stringify(written.find((w) => w.error)));
  return docs.length;
}

// ---------------------------------------------------------------------------------------------

async function run(opts) {
  const workdir = opts.workdir ? path.resolve(opts.workdir)
                               : fs.mkdtempSync(path.join(os.tmpdir(), 'motcua-pouchdb-'));
  fs.mkdirSync(workdir, { recursive: true });
  const clientDir = path.join(workdir, 'client');
  fs.mkdirSync(clientDir, { recursive: true });

  console.log(`generating ${opts.cases} cases (seed ${opts.seed})…`);
  const cases = generateCases(opts.cases, opts.seed);
  const edits = generateEdits(cases, { edits: opts.edits, overlap: opts.overlap,
                                       clientField: opts.field, serverField: opts.serverField,
                                       seed: opts.seed });
  if (opts.dump) {
    writeDump(opts.dump, cases, edits, {
      seed: opts.seed, cases: opts.cases, edits: opts.edits, overlap: opts.overlap,
      note: 'client: edits made on the office replica; server: edits made on the server ' +
            '(directly, not over the measured link); the first "overlap" server edits are to ' +
            'cases the client also edited',
    });
    console.log(`wrote ${path.join(opts.dump, 'cases.json')} and edits.json`);
  }
  const docBytes = cases.reduce((sum, c) =>
    sum + Buffer.byteLength(JSON.stringify({ _id: c.id, type: 'case', ...c.record })), 0);

  const server = await startListening('server.js', process.execPath,
    [path.join(__dirname, 'server.js'), '--port', '0', '--dir', path.join(workdir, 'server'),
     '--adapter', opts.adapter]);
  const link = await SlowLink.start(opts, server.port, path.join(workdir, 'slowlink.json'));
  console.log(`server on 127.0.0.1:${server.port}, through motcua-slowlink on ` +
              `127.0.0.1:${link.port} (${opts.slow ? `${opts.kbit} kbit/s, RTT ${opts.rttMs} ms, ` +
              `loss ${opts.loss}` : 'pass-through'})`);

  if (opts.adapter === 'memory')
    PouchDB.plugin(require('pouchdb-adapter-memory'));
  const localOptions = opts.adapter === 'memory' ? { adapter: 'memory' } : {};
  const local = new PouchDB(path.join(clientDir, 'cases'), localOptions);
  // The requests the client makes, by method and endpoint, with their body bytes (before any
  // HTTP framing; requests are not compressed): where the upload goes.
  let requests = {};
  const countRequest = (url, options = {}) => {
    const first = new URL(url).pathname.replace(/^\/cases\/?/, '').split('/')[0];
    const kind = first === '' ? '(database)' : first.startsWith('_') ? first : '(document)';
    const key = `${options.method || 'GET'} ${kind}`;
    const entry = requests[key] || (requests[key] = { requests: 0, body_bytes: 0 });

    entry.requests++;
    if (typeof options.body === 'string' || Buffer.isBuffer(options.body))
      entry.body_bytes += Buffer.byteLength(options.body);
  };
  let agent = new http.Agent({ keepAlive: true });
  const remote = new PouchDB(`http://127.0.0.1:${link.port}/cases`, {
    fetch: (url, options) => {
      countRequest(url, options);
      return PouchDB.fetch(url, opts.keepalive ? { ...options, agent } : options);
    },
  });
  // Each phase starts on new connections, as a sync after a pause would: an idle kept-alive
  // connection may be closing at the server just as a request goes out on it.
  const phase = async (fn) => {
    agent.destroy();
    agent = new http.Agent({ keepAlive: true });
    requests = {};
    const m = await measured(link, fn);
    m.requests = requests;
    return m;
  };
  const direct = new PouchDB(`http://127.0.0.1:${server.port}/cases`);
  const replication = { batch_size: opts.batchSize };
  const phases = {};

  // The server's database exists before the office first syncs.
  await direct.info();

  // create
  {
    const start = now();
    for (let i = 0; i < cases.length; i += CREATE_BATCH) {
      const docs = cases.slice(i, i + CREATE_BATCH)
        .map((c) => ({ _id: c.id, type: 'case', ...structuredClone(c.record) }));
      const written = await local.bulkDocs(docs);
      if (written.some((w) => w.error))
        throw new Error(`create: ${JSON.stringify(written.find((w) => w.error))}`);
    }
    const seconds = now() - start;
    phases.create = { seconds: round(seconds, 2), cases_per_s: round(cases.length / seconds, 0) };
    console.log(`create: ${cases.length} cases in ${seconds.toFixed(2)} s`);
  }

  // push
  {
    const m = await phase(() => PouchDB.replicate(local, remote, replication));
    phases.push = {
      seconds: round(m.seconds, 2), cases_per_s: round(cases.length / m.seconds, 0),
      client_to_server_bytes: m.up, server_to_client_bytes: m.down,
      bytes_per_case: round((m.up + m.down) / cases.length, 0),
      client_to_server_bytes_per_case: round(m.up / cases.length, 0),
      connections: m.connections, lost_segments: m.lost, ...replicationSummary(m.result),
      requests: m.requests,
    };
    console.log(`push: ${m.seconds.toFixed(2)} s, ${m.up} B up, ${m.down} B down`);
  }

  if (opts.firstPull) {
    const m = await phase(() => PouchDB.replicate(remote, local, replication));
    phases.pull0 = {
      seconds: round(m.seconds, 2),
      client_to_server_bytes: m.up, server_to_client_bytes: m.down,
      connections: m.connections, lost_segments: m.lost, ...replicationSummary(m.result),
      requests: m.requests,
    };
    console.log(`pull0: ${m.seconds.toFixed(2)} s, ${m.up} B up, ${m.down} B down`);
  }

  // edit: the client's on its replica, the server's directly on the server.
  {
    let start = now();
    const n = await applyEdits(local, cases, edits.client);
    let seconds = now() - start;
    phases.edit_client = { seconds: round(seconds, 3), edits: n, edits_per_s: round(n / seconds, 0),
                           field: opts.field };
    start = now();
    const m = await applyEdits(direct, cases, edits.server);
    seconds = now() - start;
    phases.edit_server = { seconds: round(seconds, 3), edits: m, edits_per_s: round(m / seconds, 0),
                           field: opts.serverField, same_cases_as_client: opts.overlap };
    console.log(`edit: ${n} on the client, ${m} on the server (${opts.overlap} the same cases)`);
  }

  // sync, then again until quiet
  for (const name of ['sync', 'echo', 'idle']) {
    const m = await phase(() => PouchDB.sync(local, remote, replication));
    const edited = edits.client.length + edits.server.length;
    phases[name] = {
      seconds: round(m.seconds, 2),
      client_to_server_bytes: m.up, server_to_client_bytes: m.down,
      connections: m.connections, lost_segments: m.lost,
      push: replicationSummary(m.result.push), pull: replicationSummary(m.result.pull),
      requests: m.requests,
    };
    if (name === 'sync')
      Object.assign(phases.sync, {
        edits_per_s: round(edited / m.seconds, 0),
        client_to_server_bytes_per_edited_field: round(m.up / edits.client.length, 0),
        server_to_client_bytes_per_edited_field: round(m.down / edits.server.length, 0),
        bytes_per_edited_field: round((m.up + m.down) / edited, 0),
      });
    console.log(`${name}: ${m.seconds.toFixed(2)} s, ${m.up} B up, ${m.down} B down`);
  }

  const conflicts = {
    client: await countConflicts(local),
    server: await countConflicts(direct),
  };

  // Same winning revision everywhere?
  const localRevs = await winningRevs(local);
  const serverRevs = await winningRevs(direct);
  let differing = 0;
  for (const [id, rev] of serverRevs)
    if (localRevs.get(id) !== rev)
      differing++;
  differing += [...localRevs.keys()].filter((id) => !serverRevs.has(id)).length;

  // clone: a new replica's first sync
  if (opts.clone) {
    const fresh = new PouchDB(path.join(clientDir, 'clone'), localOptions);
    const m = await phase(() => PouchDB.replicate(remote, fresh, replication));
    phases.clone = {
      seconds: round(m.seconds, 2), cases_per_s: round(cases.length / m.seconds, 0),
      client_to_server_bytes: m.up, server_to_client_bytes: m.down,
      bytes_per_case: round((m.up + m.down) / cases.length, 0),
      connections: m.connections, lost_segments: m.lost, ...replicationSummary(m.result),
      requests: m.requests,
    };
    conflicts.clone = await countConflicts(fresh);
    console.log(`clone: ${m.seconds.toFixed(2)} s, ${m.up} B up, ${m.down} B down`);
    await fresh.close();
  }

  const total = await link.stats();
  await local.close();
  agent.destroy();

  const results = {
    bench: 'sync-couchdb-protocol',
    system: 'pouchdb',
    versions: {
      pouchdb: require('pouchdb/package.json').version,
      'express-pouchdb': require('express-pouchdb/package.json').version,
      node: process.versions.node,
    },
    adapter: opts.adapter,
    keepalive: opts.keepalive,
    link: opts.slow ? { kbit: opts.kbit, rtt_ms: opts.rttMs, loss: opts.loss }
                    : 'loopback (pass-through)',
    cases: opts.cases, edits_each_side: opts.edits, overlap: opts.overlap,
    batch_size: opts.batchSize, seed: opts.seed, first_pull: opts.firstPull,
    mean_case_json_bytes: round(docBytes / cases.length, 0),
    phases,
    conflicts,
    converged: differing === 0,
    differing_docs: differing,
    total: {
      client_to_server_bytes: total.client_to_server_bytes,
      server_to_client_bytes: total.server_to_client_bytes,
      connections: total.connections,
    },
    date: new Date().toISOString(),
    machine: `${os.cpus().length} CPUs, ${os.cpus()[0]?.model ?? '?'}`,
  };

  if (!opts.keep)
    fs.rmSync(workdir, { recursive: true, force: true });
  else
    console.log(`kept ${workdir}`);

  return results;
}

function printTable(r) {
  const p = r.phases;
  const fmt = (n) => (n === undefined || n === null ? '' : Number(n).toLocaleString('en-US'));
  const wire = (name, label, rate, perItem) => {
    const x = p[name];
    return x ? [[label, x.seconds, rate || '', fmt(x.client_to_server_bytes),
                 fmt(x.server_to_client_bytes), perItem || '', x.connections]] : [];
  };
  const local = (name, label, rate) => [[label, p[name].seconds, rate, '', '', '', '']];
  const rows = [
    ['phase', 'seconds', 'rate', 'up (c→s) B', 'down (s→c) B', 'B per item', 'conns'],
    ...local('create', 'create (local)', `${fmt(p.create.cases_per_s)} cases/s`),
    ...wire('push', 'push', `${fmt(p.push.cases_per_s)} cases/s`,
            `${fmt(p.push.bytes_per_case)} /case`),
    ...wire('pull0', 'first pull'),
    ...local('edit_client', 'edit (client)', `${fmt(p.edit_client.edits_per_s)} edits/s`),
    ...local('edit_server', 'edit (server)', `${fmt(p.edit_server.edits_per_s)} edits/s`),
    ...wire('sync', 'sync', `${fmt(p.sync.edits_per_s)} edits/s`,
            `${fmt(p.sync.bytes_per_edited_field)} /field`),
    ...wire('echo', 'echo (2nd sync)'),
    ...wire('idle', 'idle (3rd sync)'),
    ...wire('clone', 'clone (new replica)', p.clone && `${fmt(p.clone.cases_per_s)} cases/s`,
            p.clone && `${fmt(p.clone.bytes_per_case)} /case`),
  ];
  const widths = rows[0].map((_, c) => Math.max(...rows.map((row) => String(row[c]).length)));
  const link = typeof r.link === 'string'
    ? r.link : `${r.link.kbit} kbit/s, RTT ${r.link.rtt_ms} ms, loss ${r.link.loss}`;

  console.log('');
  console.log(`PouchDB ${r.versions.pouchdb} ⇄ express-pouchdb ${r.versions['express-pouchdb']} ` +
              `(${r.adapter}, ${r.keepalive ? 'keep-alive' : 'a connection per request'}), ` +
              `${link}; ${fmt(r.cases)} cases (${r.mean_case_json_bytes} B of JSON each), ` +
              `${fmt(r.edits_each_side)} edits each side, ${fmt(r.overlap)} the same cases`);
  for (const row of rows)
    console.log(row.map((cell, c) => (c === 0 ? String(cell).padEnd(widths[c])
                                              : String(cell).padStart(widths[c]))).join('  '));
  for (const name of ['push', 'sync', 'clone']) {
    if (!p[name])
      continue;
    const list = Object.entries(p[name].requests)
      .sort((a, b) => b[1].body_bytes - a[1].body_bytes || b[1].requests - a[1].requests)
      .map(([key, e]) => `${key} ×${fmt(e.requests)}` +
                         (e.body_bytes ? ` (${fmt(e.body_bytes)} B)` : ''));
    console.log(`${name} requests: ${list.join(', ')}`);
  }
  console.log('sync bytes per edited field: ' +
              `up ${fmt(p.sync.client_to_server_bytes_per_edited_field)} (client edits), ` +
              `down ${fmt(p.sync.server_to_client_bytes_per_edited_field)} (server edits)`);
  const c = r.conflicts;
  console.log(`conflicts: client ${c.client.docs} docs, server ${c.server.docs} docs` +
              (c.clone ? `, clone ${c.clone.docs} docs` : '') + '; ' +
              (r.converged ? 'same winning revisions on both sides'
                           : `${r.differing_docs} documents differ`));
}

async function main() {
  const opts = parseArgs(process.argv);
  const watchdog = setTimeout(() => {
    console.error(`bench.js: still running after ${opts.timeout} s; giving up`);
    killChildren();
    process.exit(1);
  }, opts.timeout * 1000);
  watchdog.unref();
  process.on('SIGINT', () => { killChildren(); process.exit(130); });
  process.on('SIGTERM', () => { killChildren(); process.exit(143); });

  try {
    const results = await run(opts);
    printTable(results);
    const line = JSON.stringify(results);
    console.log(line);
    if (opts.out) {
      fs.mkdirSync(path.dirname(path.resolve(opts.out)), { recursive: true });
      fs.writeFileSync(opts.out, line + '\n');
    }
    if (!results.converged)
      process.exitCode = 1;
  } finally {
    killChildren();
  }
}

main().catch((error) => {
  console.error(`bench.js: ${error.stack || error}`);
  killChildren();
  process.exit(1);
});

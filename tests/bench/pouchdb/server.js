// server.js: the CouchDB-protocol server of the baseline: express-pouchdb over PouchDB
//
//   node server.js [--port 0] [--dir DIR] [--adapter leveldb|memory]
//
// Serves the CouchDB HTTP API that PouchDB replicates with ("minimumForPouchDB": documents,
// _bulk_docs, _bulk_get, _revs_diff, _changes, _all_docs, _local checkpoints; responses
// gzip-compressed when the client asks, as CouchDB does). Prints "listening on 127.0.0.1:PORT"
// once bound, and stops on SIGTERM or SIGINT.
//
// The databases live in DIR (leveldb, the PouchDB default on Node) or in memory. Note that
// leveldb does not fsync each write (PouchDB's leveldb adapter writes with sync: false), so the
// server does less work per write than one that makes every acknowledged write durable.
//
// SPDX-License-Identifier: LGPL-2.1-or-later

'use strict';

const fs = require('node:fs');
const path = require('node:path');
const express = require('express');
const expressPouchDB = require('express-pouchdb');
const PouchDB = require('pouchdb');

function parseArgs(argv) {
  const opts = { port: 0, dir: path.join(process.cwd(), 'server-data'), adapter: 'leveldb' };

  for (let i = 2; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      if (i + 1 >= argv.length)
        usage(`${arg} needs a value`);
      return argv[++i];
    };

    if (arg === '--port')
      opts.port = Number(value());
    else if (arg === '--dir')
      opts.dir = path.resolve(value());
    else if (arg === '--adapter')
      opts.adapter = value();
    else
      usage(`unknown argument ${arg}`);
  }
  if (!Number.isInteger(opts.port) || opts.port < 0 || opts.port > 65535)
    usage('--port must be 0..65535');
  if (opts.adapter !== 'leveldb' && opts.adapter !== 'memory')
    usage('--adapter must be leveldb or memory');

  return opts;
}

function usage(message) {
  console.error(`server.js: ${message}\n` +
                'usage: node server.js [--port 0] [--dir DIR] [--adapter leveldb|memory]');
  process.exit(2);
}

function main() {
  const opts = parseArgs(process.argv);
  let ServerPouchDB;

  if (opts.adapter === 'memory') {
    PouchDB.plugin(require('pouchdb-adapter-memory'));
    ServerPouchDB = PouchDB.defaults({ adapter: 'memory' });
  } else {
    fs.mkdirSync(opts.dir, { recursive: true });
    ServerPouchDB = PouchDB.defaults({ prefix: opts.dir + path.sep });
  }

  const app = express();
  app.use('/', expressPouchDB(ServerPouchDB, {
    mode: 'minimumForPouchDB',
    inMemoryConfig: true,
  }));

  const server = app.listen(opts.port, '127.0.0.1', () => {
    const address = server.address();

    process.stdout.write(`listening on ${address.address}:${address.port}\n`);
  });
  // Node closes an idle kept-alive connection after 5 s; over a slow link a client's next
  // request can cross that close on the wire; keep them for a minute.
  server.keepAliveTimeout = 60000;
  server.on('error', (error) => {
    console.error(`server.js: ${error.message}`);
    process.exit(1);
  });

  const stop = () => {
    server.close();
    server.closeAllConnections();
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main();

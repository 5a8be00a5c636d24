#!/usr/bin/env node
// Local S3 API server for Stele's integration tests (npm s3rver 3.7.1, loopback only), with atomic
// overwrites like real S3 (see atomic-store.js).
//
// Usage: NODE_OPTIONS=--openssl-legacy-provider node ops/s3rver/server.js --port 0 --directory /tmp/s3
//
// NODE_OPTIONS=--openssl-legacy-provider is required: without it s3rver's paged listings
// (continuation tokens are encrypted with a legacy cipher) fail with HTTP 500.
// Clients must use the credentials S3RVER / S3RVER.
//
// Prints exactly one line, `listening http://127.0.0.1:PORT`, once it accepts requests,
// and exits with status 0 on SIGTERM or SIGINT.
'use strict';

const fs = require('fs');
const S3rver = require('s3rver');
const { installAtomicStore } = require('./atomic-store');

function usage(message) {
  process.stderr.write(`server.js: ${message}\nusage: server.js [--port N] --directory DIR\n`);
  process.exit(2);
}

function parseArgs(argv) {
  const args = { port: 0, directory: undefined };
  for (let i = 0; i < argv.length; i++) {
    const name = argv[i];
    const value = argv[i + 1];
    if (name === '--port') {
      if (value === undefined || !/^\d+$/.test(value) || Number(value) > 65535) usage(`bad --port '${value}'`);
      args.port = Number(value);
      i++;
    } else if (name === '--directory') {
      if (!value) usage('--directory needs a value');
      args.directory = value;
      i++;
    } else {
      usage(`unknown argument '${name}'`);
    }
  }
  if (!args.directory) usage('--directory is required');
  return args;
}

async function main() {
  const { port, directory } = parseArgs(process.argv.slice(2));
  fs.mkdirSync(directory, { recursive: true });
  // Uploads are staged next to (not inside) the bucket directory, so a rename moves them into place.
  installAtomicStore(`${directory.replace(/\/+$/, '')}.staging`);

  const server = new S3rver({ address: '127.0.0.1', port, directory, silent: true });
  const address = await server.run();
  process.stdout.write(`listening http://127.0.0.1:${address.port}\n`);

  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    // Idle keep-alive connections would otherwise hold close() open indefinitely.
    server.httpServer.closeAllConnections();
    server.close().then(
      () => process.exit(0),
      () => process.exit(0),
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch(err => {
  process.stderr.write(`server.js: ${err && err.stack ? err.stack : err}\n`);
  process.exit(1);
});

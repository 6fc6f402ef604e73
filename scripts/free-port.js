// A TCP port free on loopback right now: for the processes of `npm run cluster` and for the tests'
// servers (through backend/test/free-port.ts), one implementation in plain JS that both can load.
'use strict';
const { createServer } = require('node:net');

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

module.exports = { freePort };

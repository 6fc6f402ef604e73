/**
 * The HTTP receiver's process: a plain node:http server on loopback that every system's action or
 * handler calls, as a user's webhook is called. It answers 200 at once, so that the figures show the
 * scheduler and not the receiver, and records when each request's headers arrived. Forked by Receiver.
 */
import { createServer } from 'node:http';
import { type AddressInfo } from 'node:net';
import { serveParent } from '../child-process/serve-parent';
import { type RecordedArrival, type ReceiverRequest } from './arrival';

let arrivals: RecordedArrival[] = [];

const header = (value: string | string[] | undefined) => (typeof value === 'string' ? value : null);

// The 'request' event fires once the headers are parsed: the moment a user's handler could start.
const server = createServer((request, response) => {
  const arrivedAt = Date.now();
  const dueAt = Date.parse(header(request.headers['kairos-due-at']) ?? '');
  arrivals.push({
    key: decodeURIComponent((request.url ?? '/').slice(1)),
    dueAt: Number.isNaN(dueAt) ? null : dueAt,
    idempotencyKey: header(request.headers['idempotency-key']),
    arrivedAt,
  });
  request.resume(); // drain the body: the connection stays reusable
  response.writeHead(200, { 'content-length': '0' }).end();
});
// Longer than any idle gap between workloads: clients keep their sockets, as with a real endpoint.
server.keepAliveTimeout = 60_000;

function answer(request: ReceiverRequest): RecordedArrival[] | number {
  if (request.kind === 'arrivals') return arrivals.filter((a) => a.key.startsWith(request.prefix));
  const cleared = arrivals.length;
  arrivals = [];
  return cleared;
}

server.listen(0, '127.0.0.1', () => {
  const close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  serveParent(answer, close, (server.address() as AddressInfo).port);
});

import { createServer } from 'node:http';
import type { Arrival, ReceiverMode } from './occurrence-ledger';

/**
 * The loopback HTTP receiver of the fault suite: records when each call's headers arrived, keyed by
 * its Idempotency-Key, and answers as the current mode says: `ok` 200 (after `delayMs`), `hang` never
 * (until the caller gives up), `reset` a TCP reset, `error` 500.
 */
export interface FaultReceiver {
  url: string;
  arrivals: Arrival[];
  setMode(mode: ReceiverMode): void;
  setDelay(ms: number): void;
  close(): Promise<void>;
}

export async function startFaultReceiver(): Promise<FaultReceiver> {
  const arrivals: Arrival[] = [];
  let mode: ReceiverMode = 'ok';
  let delayMs = 0;
  const server = createServer((request, response) => {
    const key = request.headers['idempotency-key'];
    arrivals.push({ key: typeof key === 'string' ? key : null, at: Date.now(), mode });
    request.resume();
    if (mode === 'reset') {
      request.socket.resetAndDestroy();
    } else if (mode === 'hang') {
      // no answer: the caller's timeout ends it
    } else if (mode === 'error') {
      response.writeHead(500, { 'content-type': 'text/plain' }).end('receiver failing on purpose');
    } else {
      const timer = setTimeout(() => response.writeHead(200, { 'content-length': '0' }).end(), delayMs);
      response.once('close', () => clearTimeout(timer));
    }
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    arrivals,
    setMode: (next) => (mode = next),
    setDelay: (ms) => (delayMs = ms),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

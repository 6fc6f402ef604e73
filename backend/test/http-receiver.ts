import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';

/** A loopback HTTP endpoint for http actions: records every request and answers as told. */
export interface ReceivedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  at: number;
}

export interface HttpReceiver {
  url: string;
  requests: ReceivedRequest[];
  /** The most connections that were open at once. */
  peakConnections(): number;
  /** How to answer requests to a path (default 200 "ok"). */
  respond(path: string, answer: { status?: number; delayMs?: number; body?: string }): void;
  close(): Promise<void>;
}

export async function startHttpReceiver(): Promise<HttpReceiver> {
  const requests: ReceivedRequest[] = [];
  const answers = new Map<string, { status?: number; delayMs?: number; body?: string }>();
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const path = request.url ?? '/';
      requests.push({
        method: request.method ?? 'GET',
        path,
        headers: request.headers,
        body: Buffer.concat(chunks).toString(),
        at: Date.now(),
      });
      const answer = answers.get(path) ?? {};
      const timer = setTimeout(() => {
        response.writeHead(answer.status ?? 200, { 'content-type': 'text/plain' });
        response.end(answer.body ?? 'ok');
      }, answer.delayMs ?? 0);
      response.on('close', () => clearTimeout(timer));
    });
  });
  let open = 0;
  let peak = 0;
  server.on('connection', (socket) => {
    peak = Math.max(peak, ++open);
    socket.on('close', () => open--);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    peakConnections: () => peak,
    respond: (path, answer) => answers.set(path, answer),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

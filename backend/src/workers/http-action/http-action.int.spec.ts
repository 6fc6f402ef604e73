import { MAX_OUTPUT_BYTES } from '../../tasks/domain/task.events';
import { type HttpReceiver, startHttpReceiver } from '../../../test/http-receiver';
import type { ExecutionContext } from '../execution/action-runner';
import { HttpActionRunner } from './http-action';
import { OutboundGuard } from './outbound-guard';
import { ThreadedHttpActionRunner } from './threaded-http-runner';

describe('http actions', () => {
  let receiver: HttpReceiver;
  const runners: HttpActionRunner[] = [];
  const runner = (maxSockets = 256, allow = '127.0.0.1') => {
    const created = new HttpActionRunner(new OutboundGuard(allow), undefined, maxSockets);
    runners.push(created);
    return created;
  };
  /** A call's context; it starts at once unless given a start instant. */
  const context = (occurrence: number, timeoutMs = 5000, startAt = 0): ExecutionContext => ({
    taskId: '6f1c2b1e-6a7c-4d53-9a43-1f0c1f7f3b10',
    occurrence,
    attempt: 1,
    dueAt: '2026-12-02T00:00:00.000Z',
    timeoutMs,
    startAt,
    now: () => new Date(),
  });

  beforeEach(async () => (receiver = await startHttpReceiver()));
  afterEach(async () => {
    await Promise.all(runners.splice(0).map((r) => r.close()));
    await receiver.close();
  });

  it('sends a burst to one origin over at most the configured number of sockets', async () => {
    const http = runner(16);
    const results = await Promise.all(
      Array.from({ length: 300 }, (_, i) =>
        http.run({ kind: 'http', method: 'POST', url: `${receiver.url}/burst`, headers: {} }, context(i)),
      ),
    );
    expect(results.every((r) => r.outcome === 'succeeded')).toBe(true);
    expect(new Set(receiver.requests.map((r) => r.headers['idempotency-key'])).size).toBe(300);
    expect(receiver.peakConnections()).toBeLessThanOrEqual(16);
  });

  it("sends the calls waiting for an origin's sockets in the order they came, each once", async () => {
    const http = runner(2);
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        http.run({ kind: 'http', method: 'POST', url: `${receiver.url}/ordered`, headers: {} }, context(i)),
      ),
    );
    expect(results.every((r) => r.outcome === 'succeeded')).toBe(true);
    const occurrences = receiver.requests.map((r) => Number(r.headers['kairos-occurrence']));
    // Two sockets: a call may overtake its neighbour on the other socket, never one further back.
    occurrences.forEach((occurrence, i) => expect(Math.abs(occurrence - i)).toBeLessThanOrEqual(1));
    expect(new Set(occurrences).size).toBe(50);
    expect(receiver.peakConnections()).toBeLessThanOrEqual(2);
  });

  it('lets a call that gave up waiting for a socket leave it to the next', async () => {
    receiver.respond('/slow', { delayMs: 400 });
    const http = runner(1);
    const slow = http.run(
      { kind: 'http', method: 'GET', url: `${receiver.url}/slow`, headers: {} },
      context(1),
    );
    const started = Date.now();
    const gaveUp = await http.run(
      { kind: 'http', method: 'GET', url: `${receiver.url}/fast`, headers: {} },
      context(2, 100),
    );
    const waitedMs = Date.now() - started;
    const next = await http.run(
      { kind: 'http', method: 'GET', url: `${receiver.url}/fast`, headers: {} },
      context(3),
    );
    expect(gaveUp).toMatchObject({ outcome: 'timed_out' });
    expect(waitedMs).toBeLessThan(350); // at its own deadline, not when the socket freed
    expect(next.outcome).toBe('succeeded');
    expect((await slow).outcome).toBe('succeeded');
    expect(receiver.requests.map((r) => r.headers['kairos-occurrence'])).toEqual(['1', '3']);
  });

  it('keeps the first 4 KiB of a long answer as output', async () => {
    receiver.respond('/long', { body: 'x'.repeat(100_000) });
    const result = await runner().run(
      { kind: 'http', method: 'GET', url: `${receiver.url}/long`, headers: {} },
      context(1),
    );
    expect(result.outcome).toBe('succeeded');
    expect(Buffer.byteLength(result.output ?? '')).toBeLessThanOrEqual(MAX_OUTPUT_BYTES);
    expect(result.output).toMatch(/^HTTP 200\nxxxx/);
  });

  it('times out a call that waited for a socket past its deadline', async () => {
    receiver.respond('/slow', { delayMs: 1000 });
    const http = runner(1);
    const slow = http.run(
      { kind: 'http', method: 'GET', url: `${receiver.url}/slow`, headers: {} },
      context(1),
    );
    const queued = await http.run(
      { kind: 'http', method: 'GET', url: `${receiver.url}/fast`, headers: {} },
      context(2, 200),
    );
    expect(queued).toMatchObject({ outcome: 'timed_out' });
    expect((await slow).outcome).toBe('succeeded');
  });

  it('reports a non-2xx answer as failed with its status', async () => {
    receiver.respond('/broken', { status: 503, body: 'down' });
    const result = await runner().run(
      { kind: 'http', method: 'POST', url: `${receiver.url}/broken`, headers: {} },
      context(1),
    );
    expect(result).toEqual({ outcome: 'failed', output: 'HTTP 503\ndown', error: 'HTTP 503' });
  });

  it('refuses a loopback receiver the allow list does not name, without calling it', async () => {
    const result = await runner(4, '').run(
      { kind: 'http', method: 'POST', url: `${receiver.url}/guarded`, headers: {} },
      context(1),
    );
    expect(result.outcome).toBe('failed');
    expect(result.error).toMatch(/refused to connect to 127\.0\.0\.1/);
    expect(receiver.requests).toHaveLength(0);
  });

  it('makes the calls on a thread of its own, with the same outcomes, and lets them finish on close', async () => {
    receiver.respond('/slow', { delayMs: 300 });
    receiver.respond('/broken', { status: 500, body: 'no' });
    const threaded = new ThreadedHttpActionRunner({
      allow: '127.0.0.1',
      signingSecret: undefined,
      maxSocketsPerOrigin: 8,
    });
    const call = (path: string, occurrence: number) =>
      threaded.run(
        { kind: 'http', method: 'POST', url: `${receiver.url}${path}`, headers: {} },
        context(occurrence),
      );
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => call('/ok', i)));
    expect(results.every((r) => r.outcome === 'succeeded' && r.output === 'HTTP 200\nok')).toBe(true);
    expect(await call('/broken', 51)).toEqual({
      outcome: 'failed',
      output: 'HTTP 500\nno',
      error: 'HTTP 500',
    });
    expect(receiver.peakConnections()).toBeLessThanOrEqual(8);

    const slow = call('/slow', 52);
    await new Promise((resolve) => setTimeout(resolve, 50));
    await threaded.close();
    expect((await slow).outcome).toBe('succeeded');
  });

  it('holds a call handed over before its start instant until then, on the thread, timing it from then', async () => {
    const threaded = new ThreadedHttpActionRunner({
      allow: '127.0.0.1',
      signingSecret: undefined,
      maxSocketsPerOrigin: 8,
    });
    try {
      const startAt = Date.now() + 150;
      const calls = [1, 2, 3].map((occurrence) =>
        threaded.run(
          { kind: 'http', method: 'POST', url: `${receiver.url}/ahead`, headers: {} },
          context(occurrence, 100, startAt), // a timeout shorter than the wait: it counts from the start
        ),
      );
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(receiver.requests).toHaveLength(0);
      const results = await Promise.all(calls);
      expect(results.map((r) => r.outcome)).toEqual(['succeeded', 'succeeded', 'succeeded']);
      for (const request of receiver.requests) expect(request.at).toBeGreaterThanOrEqual(startAt);
    } finally {
      await threaded.close();
    }
  });
});

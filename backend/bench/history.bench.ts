/**
 * Commands and reads on a task with a long history beside a fresh one (issue 14, ADR 011): a task whose
 * stream holds BENCH_EVENTS (1,000,000) events, written through the event store's own append, and a task
 * registered just now, both firing every second on the built server (`--role api,projector,worker`) on a
 * durable PostgreSQL. For each: PATCH with If-Match, pause + resume, and the first page of
 * GET /api/tasks/{id}/events, p50/p99 over BENCH_ROUNDS (100); the server's RSS as it goes.
 * Acceptance: every command on the long task p99 <= 2x the fresh task's; the first events page < 50 ms p99.
 * Run: npm run build:server && npm run bench:history
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { PostgresEventStore } from '../src/event-store/postgres/postgres-event-store';
import { writeLongHistory } from '../test/long-history';
import { startTestPostgres } from '../test/test-servers';
import { machineDescription } from './bench-support';
import { startBuiltKairos } from './built-kairos';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 1_000_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 100);

type Operation = 'PATCH' | 'pause + resume' | 'GET events, first page';

async function main(): Promise<void> {
  const postgres = await startTestPostgres({ durable: true });
  const longId = randomUUID();
  const store = await PostgresEventStore.connect(postgres.url);
  const writing = Date.now();
  // One event to register (ADR 021), then three a cycle: at least EVENTS events.
  const { revision: head } = await writeLongHistory(store, longId, Math.ceil((EVENTS - 1) / 3), {
    name: 'a long life',
    onProgress: (events) => {
      if (events % 99_000 < 3000) process.stdout.write(`\rwritten ${events.toLocaleString('en-US')} events`);
    },
  });
  await store.close();
  console.log(
    `\nwrote ${(head + 1).toLocaleString('en-US')} events in ${((Date.now() - writing) / 1000).toFixed(0)} s`,
  );

  const server = await startBuiltKairos('api,projector,worker', { DATABASE_URL: postgres.url });
  const base = `http://127.0.0.1:${server.port}`;
  const rss = () => rssMiB(server.child.pid);
  try {
    const projecting = Date.now();
    // The projector folds the whole history once; the server stays up meanwhile (a poll may fail).
    const projected = async (): Promise<number> => {
      const task = await json('GET', `${base}/api/tasks/${longId}`).catch(() => undefined);
      return Number(task?.body.revision ?? -1);
    };
    while ((await projected()) < head) await sleep(1000);
    console.log(`projected in ${((Date.now() - projecting) / 1000).toFixed(0)} s; server RSS ${rss()} MiB`);

    const fresh = await json('POST', `${base}/api/tasks`, {
      name: 'a fresh task',
      schedule: { kind: 'interval', everySeconds: 1 },
      action: { kind: 'log', message: 'tick' },
      overlap: 'allow',
    });
    const tasks = { fresh: fresh.body.id as string, long: longId };
    await sleep(5000); // both fire every second from here on; what the catch-up started settles

    const rows: string[] = [];
    const samples: Record<string, Record<Operation, number[]>> = {};
    const revisions: Record<string, number> = {};
    for (const [label, id] of Object.entries(tasks)) {
      samples[label] = { PATCH: [], 'pause + resume': [], 'GET events, first page': [] };
      revisions[label] = (await json('GET', `${base}/api/tasks/${id}`)).body.revision as number;
    }
    const rssBefore = rss();
    let rssPeak = rssBefore;
    // Rounds alternate between the tasks, so both meet the same background (firing, projecting, vacuum).
    for (let round = 0; round < ROUNDS; round++) {
      for (const [label, id] of Object.entries(tasks)) {
        const times = samples[label];
        const patch = await timed(() =>
          json(
            'PATCH',
            `${base}/api/tasks/${id}`,
            { description: `round ${round}` },
            { 'if-match': `"${revisions[label]}"` },
          ),
        );
        times.PATCH.push(patch.ms);
        const pause = await timed(() => json('POST', `${base}/api/tasks/${id}/pause`));
        const resume = await timed(() => json('POST', `${base}/api/tasks/${id}/resume`));
        times['pause + resume'].push(pause.ms + resume.ms);
        revisions[label] = resume.result.body.revision as number;
        times['GET events, first page'].push(
          (await timed(() => json('GET', `${base}/api/tasks/${id}/events?limit=50`))).ms,
        );
        rssPeak = Math.max(rssPeak, rss());
      }
    }
    console.log(`Machine: ${machineDescription()}; PostgreSQL 17 (embedded, fsync on)`);
    console.log(
      `| operation | fresh task p50 / p99 | ${(head + 1).toLocaleString('en-US')}-event task p50 / p99 | ratio of p99 |`,
    );
    console.log('| --- | --- | --- | --- |');
    for (const operation of Object.keys(samples.fresh) as Operation[]) {
      const f = percentiles(samples.fresh[operation]);
      const l = percentiles(samples.long[operation]);
      rows.push(
        `| ${operation} | ${f.p50.toFixed(1)} / ${f.p99.toFixed(1)} ms | ${l.p50.toFixed(1)} / ${l.p99.toFixed(1)} ms | ${(l.p99 / f.p99).toFixed(2)} |`,
      );
    }
    console.log(rows.join('\n'));
    console.log(
      `server RSS (api, projector and worker in one process): ${rssBefore} MiB before the rounds, peak ${rssPeak} MiB, ${rss()} MiB after`,
    );
  } finally {
    await server.stop();
    await postgres.stop();
  }
}

async function json(
  method: string,
  url: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(url, {
    method,
    headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (response.status >= 300 && response.status !== 404)
    throw new Error(`${method} ${url}: ${response.status} ${text}`);
  return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; result: T }> {
  const started = performance.now();
  const result = await work();
  return { ms: performance.now() - started, result };
}

function percentiles(values: number[]): { p50: number; p99: number } {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return { p50: at(0.5), p99: at(0.99) };
}

function rssMiB(pid: number | undefined): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Math.round(Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

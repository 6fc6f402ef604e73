/**
 * Fire lag of the all-in-one process (api, projector, worker in one Node process, as `npm start` runs
 * it), on a durable PostgreSQL (fsync on), measured from the event store's TaskExecutionStarted events.
 *   W1 burst:  10,000 one-time tasks due at one instant; how long after it the last one starts.
 *   W2 steady: 30,000 one-time tasks due evenly over 60 s (500/s); lag p50/p95/p99/max.
 *   W3 cron:   1,000 cron tasks every second for 30 s; all 30,000 fired, once each, lag p99.
 * Also checks that no occurrence started twice and none was missed. Run: npm run bench:firing
 * (BENCH_WORKLOADS=w1 or w2 runs one.)
 */
import { Pool } from 'pg';
import { spawnKairos } from '../test/spawn-kairos';
import { startTestPostgres } from '../test/test-servers';
import { machineDescription } from './bench-support';

const WORKLOADS = (process.env.BENCH_WORKLOADS ?? 'w1,w2,w3').split(',');

async function register(port: number, dueTimes: number[]): Promise<void> {
  for (let i = 0; i < dueTimes.length; i += 1000) {
    const items = dueTimes.slice(i, i + 1000).map((due, j) => ({
      name: `bench-${i + j}`,
      schedule: { kind: 'once', at: new Date(due).toISOString() },
      action: { kind: 'log', message: 'bench' },
    }));
    const response = await fetch(`http://127.0.0.1:${port}/api/tasks/batch`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ items }),
    });
    if (!response.ok) throw new Error(`batch registration failed: ${response.status}`);
  }
}

interface LagStats {
  /** Executions finished (TaskExecuted) per second, from the first start to the last finish. */
  executionsPerSecond: number;
  started: number;
  duplicates: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  lastStartAfterDue: number;
}

async function lagStats(pool: Pool, names: string, dueWindow?: [number, number]): Promise<LagStats> {
  const { rows } = await pool.query<Record<string, string>>(
    `WITH starts AS (
       SELECT e.stream_id, (e.data->>'occurrence')::int AS occurrence,
              extract(epoch FROM ((e.data->>'startedAt')::timestamptz - (e.data->>'dueAt')::timestamptz)) * 1000 AS lag,
              (e.data->>'startedAt')::timestamptz AS started_at, (e.data->>'dueAt')::timestamptz AS due_at
         FROM event_store.events e
         JOIN event_store.events r ON r.stream_id = e.stream_id AND r.revision = 0 AND r.data->'definition'->>'name' LIKE $1
        WHERE e.type = 'TaskExecutionStarted'
          AND ($2::timestamptz IS NULL OR (e.data->>'dueAt')::timestamptz >= $2)
          AND ($3::timestamptz IS NULL OR (e.data->>'dueAt')::timestamptz < $3))
     , executed AS (
       SELECT (x.data->>'startedAt')::timestamptz AS started_at, (x.data->>'finishedAt')::timestamptz AS finished_at
         FROM event_store.events x
         JOIN starts s ON s.stream_id = x.stream_id AND s.occurrence = (x.data->>'occurrence')::int
        WHERE x.type = 'TaskExecuted')
     SELECT count(*) AS started,
            (SELECT count(*) / greatest(extract(epoch FROM (max(finished_at) - min(started_at))), 0.001) FROM executed)
              AS executions_per_second,
            count(*) - count(DISTINCT (stream_id, occurrence)) AS duplicates,
            percentile_cont(0.5) WITHIN GROUP (ORDER BY lag) AS p50,
            percentile_cont(0.95) WITHIN GROUP (ORDER BY lag) AS p95,
            percentile_cont(0.99) WITHIN GROUP (ORDER BY lag) AS p99,
            max(lag) AS max,
            extract(epoch FROM (max(started_at) - min(due_at))) * 1000 AS last_start_after_due
       FROM starts`,
    [names, dueWindow ? new Date(dueWindow[0]) : null, dueWindow ? new Date(dueWindow[1]) : null],
  );
  const r = rows[0];
  return {
    executionsPerSecond: Number(r.executions_per_second),
    started: Number(r.started),
    duplicates: Number(r.duplicates),
    p50: Number(r.p50),
    p95: Number(r.p95),
    p99: Number(r.p99),
    max: Number(r.max),
    lastStartAfterDue: Number(r.last_start_after_due),
  };
}

async function waitForStarts(pool: Pool, expected: number, deadline: number): Promise<void> {
  while (Date.now() < deadline) {
    const { rows } = await pool.query<{ n: string }>(
      `SELECT count(*) AS n FROM event_store.events WHERE type = 'TaskExecutionStarted'`,
    );
    if (Number(rows[0].n) >= expected) return;
    await new Promise((r) => setTimeout(r, 500));
  }
}

async function main(): Promise<void> {
  const postgres = await startTestPostgres({ durable: true });
  const nodeArgs = process.env.BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
  const kairos = await spawnKairos(
    'api,projector,worker',
    { DATABASE_URL: postgres.url, LOG_LEVEL: 'error' },
    nodeArgs,
  );
  const pool = new Pool({ connectionString: postgres.url });
  const lines: string[] = [];
  try {
    let expected = 0;
    if (WORKLOADS.includes('w1')) {
      const due = Date.now() + 25_000;
      await register(
        kairos.port,
        Array.from({ length: 10_000 }, () => due),
      );
      expected += 10_000;
      await waitForStarts(pool, expected, due + 60_000);
      await new Promise((r) => setTimeout(r, 1000));
      const s = await lagStats(pool, 'bench-%');
      lines.push(
        `| W1 burst: 10,000 due at one instant | last start ${Math.round(s.lastStartAfterDue)} ms after due | p50 ${Math.round(s.p50)} / p99 ${Math.round(s.p99)} ms | ${Math.round(s.executionsPerSecond)} executions/s | started ${s.started}, duplicates ${s.duplicates} |`,
      );
      await pool.query(
        `UPDATE event_store.events SET data = jsonb_set(data, '{definition,name}', '"w1-done"') WHERE revision = 0`,
      );
    }
    if (WORKLOADS.includes('w2')) {
      const start = Date.now() + 30_000;
      await register(
        kairos.port,
        Array.from({ length: 30_000 }, (_, i) => start + Math.floor((i * 60_000) / 30_000)),
      );
      expected += 30_000;
      await waitForStarts(pool, expected, start + 120_000);
      await new Promise((r) => setTimeout(r, 1000));
      const s = await lagStats(pool, 'bench-%');
      lines.push(
        `| W2 steady: 30,000 due over 60 s (500/s) | p50 ${s.p50.toFixed(1)} / p95 ${s.p95.toFixed(1)} / p99 ${s.p99.toFixed(1)} / max ${Math.round(s.max)} ms | ${Math.round(s.executionsPerSecond)} executions/s | started ${s.started}, duplicates ${s.duplicates} |`,
      );
    }
    if (WORKLOADS.includes('w3')) {
      const items = Array.from({ length: 1000 }, (_, i) => ({
        name: `w3-${i}`,
        schedule: { kind: 'cron', expression: '* * * * * *', timezone: 'UTC' },
        action: { kind: 'log', message: 'w3' },
      }));
      const response = await fetch(`http://127.0.0.1:${kairos.port}/api/tasks/batch`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ items }),
      });
      if (!response.ok) throw new Error(`w3 registration failed: ${response.status}`);
      const start = Math.ceil((Date.now() + 5000) / 1000) * 1000;
      await new Promise((r) => setTimeout(r, start + 31_000 - Date.now()));
      const s = await lagStats(pool, 'w3-%', [start, start + 30_000]);
      lines.push(
        `| W3 cron: 1,000 tasks every second for 30 s | p50 ${s.p50.toFixed(1)} / p95 ${s.p95.toFixed(1)} / p99 ${s.p99.toFixed(1)} / max ${Math.round(s.max)} ms | ${Math.round(s.executionsPerSecond)} executions/s | started ${s.started} of 30000, duplicates ${s.duplicates} |`,
      );
    }
  } finally {
    await pool.end();
    await kairos.stop('SIGTERM');
    await postgres.stop();
  }
  console.log(`Machine: ${machineDescription()}; PostgreSQL 17 (embedded, fsync on); all-in-one process`);
  console.log(
    '| workload | lag | executions/s (first start to last finish) | correctness |\n| --- | --- | --- | --- |',
  );
  for (const line of lines) console.log(line);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

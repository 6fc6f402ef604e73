/**
 * Task list latency over HTTP with 1,000,000 tasks in read_model.tasks (filled directly with
 * generate_series: the projector's own speed is bench:projections), on a durable PostgreSQL started for
 * the run. Times first pages and deep pages (by cursor) with and without filters, search and sorts.
 * Target (issue): < 100 ms per page. Run: npm run bench:task-list (BENCH_ROWS to change the size)
 */
import { Pool } from 'pg';
import { migrateReadModel } from '../src/projections/read-model/read-model-schema';
import { loadConfig } from '../src/config/config';
import { PostgresEventStore } from '../src/event-store/postgres/postgres-event-store';
import { createHttpApp } from '../src/http-app';
import { startTestPostgres } from '../test/test-servers';
import { machineDescription } from './bench-support';

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
const REPEAT = Number(process.env.BENCH_REPEAT ?? 30);

/** 90% active, 5% paused, 4% completed, 1% deleted; names from a few words, so searches find many or few. */
const FILL = `
INSERT INTO read_model.tasks (task_id, name, status, bucket, schedule_kind, definition, state, revision,
  position, registered_at, updated_at, next_due_at, last_outcome, last_execution_at)
SELECT id, name, status, i % 256, 'interval', definition,
       jsonb_build_object('status', status, 'definition', definition, 'bucket', i % 256, 'scheduled',
         jsonb_build_array(jsonb_build_object('occurrence', 1, 'attempt', 1, 'dueAt', due, 'reason', 'registered')),
         'running', '[]'::jsonb, 'lastExecution', null),
       1, i * 2, registered, registered, CASE WHEN status = 'active' THEN due END,
       CASE WHEN i % 3 = 0 THEN 'succeeded' END, CASE WHEN i % 3 = 0 THEN registered END
FROM (
  SELECT i, gen_random_uuid() AS id,
         (ARRAY['backup','report','sync','cleanup','billing','email','index','export'])[1 + i % 8] || '-' || i AS name,
         CASE WHEN i % 100 < 90 THEN 'active' WHEN i % 100 < 95 THEN 'paused' WHEN i % 100 < 99 THEN 'completed' ELSE 'deleted' END AS status,
         jsonb_build_object('name', 'x', 'schedule', jsonb_build_object('kind', 'interval', 'everySeconds', 60 + i % 3600),
           'action', jsonb_build_object('kind', 'http', 'url', 'https://example.com/hook', 'method', 'POST'),
           'retry', jsonb_build_object('maxAttempts', 3, 'backoffMs', 1000, 'backoffFactor', 2, 'maxBackoffMs', 300000),
           'timeoutMs', 30000, 'overlap', 'skip', 'misfire', 'fire_once') AS definition,
         now() - make_interval(secs => i) AS registered,
         now() + make_interval(secs => (hashint4(i)::bigint & 2147483647) % 2592000) AS due
  FROM generate_series($1::int, $2::int) AS i
) AS generated`;

async function main(): Promise<void> {
  const postgres = await startTestPostgres({ durable: true });
  const store = await PostgresEventStore.connect(postgres.url);
  const pool = new Pool({ connectionString: postgres.url, max: 4 });
  const config = loadConfig({ DATABASE_URL: postgres.url }, ['--role', 'api']);
  try {
    await migrateReadModel(pool);
    const fillStarted = Date.now();
    for (let from = 1; from <= ROWS; from += 100_000) {
      await pool.query(FILL, [from, Math.min(ROWS, from + 99_999)]);
    }
    await pool.query('VACUUM ANALYZE read_model.tasks');
    const fillMs = Date.now() - fillStarted;

    const app = await createHttpApp({ config, eventStore: store }, { logger: false });
    await app.listen(0, '127.0.0.1');
    const { port } = (app.getHttpServer() as import('node:http').Server).address() as { port: number };
    const get = async (
      path: string,
    ): Promise<{ ms: number; body: { items: unknown[]; nextCursor: string | null } }> => {
      const started = process.hrtime.bigint();
      const response = await fetch(`http://127.0.0.1:${port}${path}`);
      const body = (await response.json()) as { items: unknown[]; nextCursor: string | null };
      if (response.status !== 200) throw new Error(`${path}: ${response.status} ${JSON.stringify(body)}`);
      return { ms: Number(process.hrtime.bigint() - started) / 1e6, body };
    };
    const measure = async (label: string, path: string, deepPages = 0) => {
      const times: number[] = [];
      let items = 0;
      for (let r = 0; r < REPEAT; r++) {
        let page = await get(path);
        // Deep pages: follow the cursor, time the last page fetched.
        for (let p = 0; p < deepPages && page.body.nextCursor; p++) {
          page = await get(`${path}${path.includes('?') ? '&' : '?'}cursor=${page.body.nextCursor}`);
        }
        times.push(page.ms);
        items = page.body.items.length;
      }
      times.sort((a, b) => a - b);
      const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))].toFixed(1);
      return `| ${label} | \`${path}\` | ${items} | ${at(0.5)} ms | ${at(0.95)} ms | ${times.at(-1)!.toFixed(1)} ms |`;
    };
    await get('/api/tasks'); // warm up
    const rows = [
      await measure('first page, by next due (default)', '/api/tasks'),
      await measure('21st page, by cursor', '/api/tasks', 20),
      await measure('status filter (5% paused)', '/api/tasks?status=paused'),
      await measure('status filter, 21st page', '/api/tasks?status=paused', 20),
      await measure('search, common (1 in 8 names)', '/api/tasks?q=report'),
      await measure('search, rare (1 name)', '/api/tasks?q=report-123457'),
      await measure('search, none', '/api/tasks?q=no-such-task'),
      await measure('search + status', '/api/tasks?q=sync&status=completed'),
      await measure('sort by name', '/api/tasks?sort=name'),
      await measure('sort by registration, newest first', '/api/tasks?sort=-registered'),
      await measure('200 items', '/api/tasks?limit=200'),
    ];
    await app.close();
    console.log(`Machine: ${machineDescription()}; PostgreSQL 17 (embedded, fsync on)`);
    console.log(
      `${ROWS.toLocaleString('en-US')} tasks filled in ${(fillMs / 1000).toFixed(0)} s; ${REPEAT} requests each, HTTP on loopback, 50 items a page unless said\n`,
    );
    console.log('| page | request | items | p50 | p95 | max |\n| --- | --- | --- | --- | --- | --- |');
    for (const row of rows) console.log(row);
  } finally {
    await pool.end();
    await store.close().catch(() => undefined); // closed with the app already, unless it never started
    await postgres.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

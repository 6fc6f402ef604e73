/**
 * Event store throughput on a durable PostgreSQL (fsync on) started for the run:
 * single-event appends from 1 and 16 writers, batch appends across streams, and subscription catch-up.
 * Run: npm run bench:store
 */
import { randomUUID } from 'node:crypto';
import { PostgresEventStore } from '../src/event-store/postgres/postgres-event-store';
import { startTestPostgres } from '../test/test-servers';
import { formatRate, machineDescription, runFor } from './bench-support';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);

async function main(): Promise<void> {
  const postgres = await startTestPostgres({ durable: true });
  const store = await PostgresEventStore.connect(postgres.url);
  const rows: string[][] = [];
  try {
    for (const writers of [1, 16]) {
      const revisions = new Map<string, number>();
      const { operations, elapsedMs } = await runFor(SECONDS * 1000, writers, async (loop) => {
        const stream = `bench-${writers}-${loop}`;
        const expected = revisions.get(stream) ?? -1;
        const result = await store.append(
          stream,
          [{ type: 'Ticked', data: { at: Date.now() } }],
          expected < 0 ? 'no_stream' : expected,
        );
        revisions.set(stream, result.nextRevision);
        return 1;
      });
      rows.push([
        `single-event appends, ${writers} writer${writers > 1 ? 's' : ''}`,
        formatRate(operations, elapsedMs),
        `${operations} events`,
      ]);
    }

    const batchSize = 200;
    const { operations: batched, elapsedMs: batchMs } = await runFor(SECONDS * 1000, 2, async () => {
      const appends = Array.from({ length: batchSize }, () => ({
        streamId: `task-${randomUUID()}`,
        events: [
          { type: 'TaskRegistered', data: { name: 'bench' } },
          { type: 'TaskScheduled', data: { occurrence: 1 } },
        ],
        expectedRevision: 'no_stream' as const,
      }));
      await store.appendMany(appends);
      return batchSize * 2;
    });
    rows.push([
      `batch appends (${batchSize} new streams × 2 events, 2 writers)`,
      formatRate(batched, batchMs),
      `${batched} events`,
    ]);

    const head = await store.headPosition();
    const started = Date.now();
    let seen = 0;
    const abort = new AbortController();
    for await (const event of store.subscribeToAll({ signal: abort.signal, pageSize: 1000 })) {
      seen++;
      if (event.position >= head) break;
    }
    rows.push(['subscription catch-up from 0', formatRate(seen, Date.now() - started), `${seen} events`]);
  } finally {
    await store.close();
    await postgres.stop();
  }
  console.log(`Machine: ${machineDescription()}; PostgreSQL 17 (embedded, fsync on), ${SECONDS} s per run\n`);
  console.log('| measurement | rate | volume |\n| --- | --- | --- |');
  for (const row of rows) console.log(`| ${row.join(' | ')} |`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

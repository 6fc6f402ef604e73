/**
 * Event store throughput on a durable PostgreSQL (fsync on) started for the run:
 * single-event appends from 1 and 16 writers (with group commit, and one commit each as before issue 13),
 * batch appends across streams, and subscription catch-up.
 * Run: npm run bench:store
 */
import { randomUUID } from 'node:crypto';
import { PostgresEventStore } from '../src/event-store/postgres/postgres-event-store';
import { startTestPostgres } from '../test/test-servers';
import { formatRate, machineDescription, runFor } from './bench-support';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);

type AppendOne = PostgresEventStore['append'];

/** Each writer appends one event at a time to its own stream, at the revision it last got back. */
async function singleAppends(tag: string, writers: number, append: AppendOne, seconds = SECONDS) {
  const revisions = new Map<string, number>();
  const { operations, elapsedMs } = await runFor(seconds * 1000, writers, async (loop) => {
    const stream = `bench-${tag}-${loop}`;
    const expected = revisions.get(stream) ?? -1;
    const result = await append(
      stream,
      [{ type: 'Ticked', data: { at: Date.now() } }],
      expected < 0 ? 'no_stream' : expected,
    );
    revisions.set(stream, result.nextRevision);
    return 1;
  });
  return { count: operations, elapsedMs };
}

async function main(): Promise<void> {
  const postgres = await startTestPostgres({ durable: true });
  const store = await PostgresEventStore.connect(postgres.url);
  const rows: string[][] = [];
  try {
    // Group commit (issue 13): `append` coalesces concurrent single appends into one appendMany. The
    // rows "one commit each" append the way `append` did before, for comparison.
    const twoInFlight = await PostgresEventStore.connect(postgres.url, undefined, {
      appendBatchesInFlight: 2,
    });
    const alone: AppendOne = async (streamId, events, expected) => {
      const [result] = await store.appendMany([{ streamId, events, expectedRevision: expected }]);
      if (!result.ok) throw result.error;
      return result;
    };
    try {
      const modes: [string, AppendOne][] = [
        ['group commit', (...args) => store.append(...args)],
        ['group commit, 2 batches in flight', (...args) => twoInFlight.append(...args)],
        ['one commit each', alone],
      ];
      await singleAppends('warm-up', 4, alone, 1); // the fresh cluster's first commits cost more
      for (const [m, [mode, append]] of modes.entries()) {
        for (const writers of [1, 16]) {
          if (writers === 1 && m === 1) continue; // a lone writer never has two batches in flight
          const { count, elapsedMs } = await singleAppends(`${m}-${writers}`, writers, append);
          rows.push([
            `single-event appends, ${writers} writer${writers > 1 ? 's' : ''}, ${mode}`,
            formatRate(count, elapsedMs),
            `${count} events`,
          ]);
        }
      }
    } finally {
      await twoInFlight.close();
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

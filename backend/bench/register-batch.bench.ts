/**
 * Registration throughput through POST /api/tasks/batch (1,000 tasks a call) over real HTTP on loopback,
 * against a durable PostgreSQL (fsync on) started for the run. Target (design brief section 8): > 40,000
 * tasks/s. Run: npm run bench:register
 */
import { loadConfig } from '../src/config/config';
import { PostgresEventStore } from '../src/event-store/postgres/postgres-event-store';
import { createHttpApp } from '../src/http-app';
import { startTestPostgres } from '../test/test-servers';
import { formatRate, machineDescription, processCpuMs, readLoadAverage, runFor } from './bench-support';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 4);
const BATCH = 1000;

function batchBody(round: number): string {
  const items = Array.from({ length: BATCH }, (_, i) => ({
    name: `bench-${round}-${i}`,
    schedule:
      i % 3 === 0
        ? { kind: 'cron', expression: '0 */5 * * * *', timezone: 'Europe/Berlin' }
        : i % 3 === 1
          ? { kind: 'interval', everySeconds: 30 }
          : { kind: 'once', at: new Date(Date.now() + 3_600_000).toISOString() },
    action: { kind: 'http', url: 'http://127.0.0.1:9/hook', method: 'POST', body: { n: i } },
  }));
  return JSON.stringify({ items });
}

async function main(): Promise<void> {
  const postgres = await startTestPostgres({ durable: true });
  const store = await PostgresEventStore.connect(postgres.url);
  const config = loadConfig({ DATABASE_URL: postgres.url }, ['--role', 'api']);
  const app = await createHttpApp({ config, eventStore: store }, { logger: false });
  await app.listen(0, '127.0.0.1');
  const { port } = (app.getHttpServer() as import('node:http').Server).address() as { port: number };
  try {
    const bodies = Array.from({ length: 8 }, (_, i) => batchBody(i));
    const post = async (body: string) => {
      const response = await fetch(`http://127.0.0.1:${port}/api/tasks/batch`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
      const result = (await response.json()) as { items: { status: number }[] };
      const created = result.items.filter((item) => item.status === 201).length;
      if (created !== BATCH) throw new Error(`only ${created} of ${BATCH} registered`);
      return created;
    };
    await post(bodies[0]); // warm up
    const cpuBefore = { node: process.cpuUsage(), postgres: processCpuMs(postgres.pid) };
    const { operations, elapsedMs } = await runFor(SECONDS * 1000, CLIENTS, (loop, i) =>
      post(bodies[(loop + i) % bodies.length]),
    );
    const nodeCpu = process.cpuUsage(cpuBefore.node);
    const nodeMs = (nodeCpu.user + nodeCpu.system) / 1000;
    const postgresMs = processCpuMs(postgres.pid) - cpuBefore.postgres;
    console.log(`Machine: ${machineDescription()}; PostgreSQL 17 (embedded, fsync on)`);
    console.log(
      `| batch registration, ${CLIENTS} clients × ${BATCH} tasks/call, ${SECONDS} s | ${formatRate(operations, elapsedMs)} tasks | ${operations} tasks |`,
    );
    // Where the CPU went: this process (API and the HTTP clients) and the PostgreSQL server, per 1,000
    // tasks. Both share the machine's cores, so their sum bounds the rate the machine can reach.
    const per1000 = (ms: number) => ((ms / operations) * 1000).toFixed(1);
    console.log(
      `CPU per 1,000 tasks: Node ${per1000(nodeMs)} ms, PostgreSQL ${Number.isNaN(postgresMs) ? 'n/a' : `${per1000(postgresMs)} ms`}` +
        ` (load average ${readLoadAverage()})`,
    );
  } finally {
    await app.close();
    await postgres.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

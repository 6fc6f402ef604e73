/**
 * Single-task registration throughput: POST /api/tasks, one task a call, from BENCH_CLIENTS (16)
 * concurrent keep-alive clients, against the built server (`--role api,projector,worker`) on a durable
 * PostgreSQL (fsync on) started for the run. Target (issue 13): > 5,000 tasks/s. Concurrent requests
 * commit together through the event store's group commit.
 * Run: npm run build:server && npm run bench:register-single
 * BENCH_CPU_PROF=<dir> profiles the server (node --cpu-prof); summarise with cpu-profile-summary.ts.
 */
import { Pool } from 'undici';
import { startTestPostgres } from '../test/test-servers';
import { formatRate, machineDescription, processCpuMs, readLoadAverage, runFor } from './bench-support';
import { startBuiltKairos } from './built-kairos';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 16);
const ROLES = process.env.BENCH_ROLES ?? 'api,projector,worker';

/** Cron, interval and one-time tasks with http actions, none of them due during a run. */
function taskBody(n: number): string {
  const schedule =
    n % 3 === 0
      ? { kind: 'cron', expression: '0 0 0 * * *', timezone: 'Europe/Berlin' }
      : n % 3 === 1
        ? { kind: 'interval', everySeconds: 3600 }
        : { kind: 'once', at: new Date(Date.now() + 3_600_000).toISOString() };
  return JSON.stringify({
    name: `bench-${n}`,
    schedule,
    action: { kind: 'http', url: 'http://127.0.0.1:9/hook', method: 'POST', body: { n } },
  });
}

async function main(): Promise<void> {
  const postgres = await startTestPostgres({ durable: true });
  const profileDir = process.env.BENCH_CPU_PROF;
  const nodeArgs = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
  const server = await startBuiltKairos(ROLES, { DATABASE_URL: postgres.url }, nodeArgs);
  const http = new Pool(`http://127.0.0.1:${server.port}`, { connections: CLIENTS, pipelining: 1 });
  try {
    const bodies = Array.from({ length: 300 }, (_, n) => taskBody(n));
    const latencies: number[] = [];
    const register = async (loop: number, i: number): Promise<number> => {
      const started = performance.now();
      const response = await http.request({
        path: '/api/tasks',
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: bodies[(loop * 31 + i) % bodies.length],
      });
      const text = await response.body.text();
      if (response.statusCode !== 201) throw new Error(`POST /api/tasks: ${response.statusCode} ${text}`);
      latencies.push(performance.now() - started);
      return 1;
    };
    await runFor(1000, CLIENTS, register); // warm-up: JIT, connections on both sides
    latencies.length = 0;
    const before = { server: processCpuMs(server.child.pid), postgres: processCpuMs(postgres.pid) };
    const { operations, elapsedMs } = await runFor(SECONDS * 1000, CLIENTS, register);
    const serverMs = processCpuMs(server.child.pid) - before.server;
    const postgresMs = processCpuMs(postgres.pid) - before.postgres;
    latencies.sort((a, b) => a - b);
    const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))];
    const per1000 = (ms: number) => ((ms / operations) * 1000).toFixed(0);
    console.log(`Machine: ${machineDescription()}; PostgreSQL 17 (embedded, fsync on)`);
    console.log(
      `| single registration (POST /api/tasks), ${CLIENTS} clients, --role ${ROLES}, ${SECONDS} s ` +
        `| ${formatRate(operations, elapsedMs)} tasks | ${operations} tasks |`,
    );
    console.log(
      `latency p50 ${at(0.5).toFixed(1)} ms, p99 ${at(0.99).toFixed(1)} ms; CPU per 1,000 tasks: ` +
        `server ${per1000(serverMs)} ms, PostgreSQL ${per1000(postgresMs)} ms (load average ${readLoadAverage()})`,
    );
  } finally {
    await http.close();
    await server.stop();
    await postgres.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

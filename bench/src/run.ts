/**
 * `npm run bench` (full, for the record) or `npm run bench -- --quick` (a smoke run of about 2 minutes):
 * the same workloads through Kairos (all-in-one and a 3-worker cluster), BullMQ and pg-boss, on one
 * durable PostgreSQL (fsync on) and one redis-server (appendfsync everysec) started for the run. Every
 * task calls one HTTP receiver on 127.0.0.1, whose own floor is measured first.
 *   --systems kairos,kairos-cluster,bullmq,bullmq-hz100,pg-boss    --workloads W1,W2,W3,W4,W5,W6
 * A full run of everything writes docs/benchmarks.md's comparison, docs/bench-lag.svg and
 * bench/results/full.json; --render rewrites the first two from the last.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isStale } from '../../scripts/build-freshness';
import { startTestPostgres, startTestRedis } from '../../backend/test/test-servers';
import { SIZES } from './bench-sizes';
import { flushRedis } from './flush-redis';
import { machineDescription, versions } from './machine';
import { ProcessSampler } from './process-sampler';
import { Receiver } from './receiver/receiver';
import { measureReceiverFloor, type ReceiverFloor } from './receiver/receiver-floor';
import { type BenchReport, type RunResult } from './run-result';
import { lagChartSvg } from './report/lag-chart';
import { markdownReport, writeBenchmarksSection } from './report/markdown';
import { readReport } from './report/read-report';
import { BullmqSystem } from './systems/bullmq/bullmq-system';
import { KairosSystem } from './systems/kairos/kairos-system';
import { KAIROS_MAIN } from './systems/kairos/kairos-processes';
import { PgBossSystem } from './systems/pg-boss/pg-boss-system';
import { type SchedulerUnderTest } from './systems/scheduler-under-test';
import { type RunContext, type Workload } from './workloads/workload';
import { burst } from './workloads/w1-burst';
import { steady } from './workloads/w2-steady';
import { cron } from './workloads/w3-cron';
import { registration } from './workloads/w4-registration';
import { million } from './workloads/w5-million';
import { failover } from './workloads/w6-failover';

const root = join(__dirname, '..', '..');
/**
 * W4 first: its rate sets how far ahead the others register. W5 late: it leaves a million tasks. W6
 * last: it kills a worker.
 */
const WORKLOADS: Workload[] = [registration, burst, steady, cron, million, failover];
const SYSTEMS: Record<string, () => SchedulerUnderTest> = {
  kairos: () => new KairosSystem('all-in-one'),
  'kairos-cluster': () => new KairosSystem('cluster'),
  bullmq: () => new BullmqSystem(),
  'bullmq-hz100': () => new BullmqSystem(100),
  'pg-boss': () => new PgBossSystem(),
};

function option(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  if (index >= 0) return process.argv[index + 1];
  return process.argv.find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3);
}

/** `--render`: rewrites the docs from bench/results/full.json, e.g. after the report's layout changed. */
function render(): void {
  const report = readReport(join(root, 'bench/results/full.json'));
  writeFileSync(join(root, 'docs/bench-lag.svg'), lagChartSvg(report));
  writeBenchmarksSection(join(root, 'docs/benchmarks.md'), markdownReport(report, SIZES.full));
}

async function main(): Promise<void> {
  if (process.argv.includes('--render')) return render();
  const sizes = SIZES[process.argv.includes('--quick') ? 'quick' : 'full'];
  const systemNames = (option('systems') ?? Object.keys(SYSTEMS).join(',')).split(',');
  const workloadIds = (option('workloads') ?? WORKLOADS.map((w) => w.id).join(',')).toUpperCase().split(',');
  for (const name of systemNames) if (!SYSTEMS[name]) throw new Error(`unknown system "${name}"`);
  const workloads = WORKLOADS.filter((w) => workloadIds.includes(w.id));

  if (isStale(KAIROS_MAIN)) {
    console.log('building the server (dist/ is older than its sources)…');
    const build = spawnSync('npm', ['run', 'build:server', '--silent'], { cwd: root, stdio: 'inherit' });
    if (build.status !== 0) throw new Error('npm run build:server failed');
  }

  const postgres = await startTestPostgres({ durable: true });
  const redis = await startTestRedis({ durable: true });
  const receiver = await Receiver.start();
  const results: RunResult[] = [];
  let receiverFloor: ReceiverFloor | undefined;
  try {
    receiverFloor = await measureReceiverFloor(receiver);
    console.log(
      `receiver floor: ${count(receiverFloor.requests)} POSTs in ${count(receiverFloor.ms)} ms (${count(receiverFloor.requestsPerSecond)} requests/s)`,
    );
    for (const name of systemNames) {
      const system = SYSTEMS[name]();
      await flushRedis(redis.url);
      await receiver.clear();
      const starting = performance.now();
      await system.start({ postgresAdminUrl: postgres.url, redisUrl: redis.url, receiverUrl: receiver.url });
      console.log(`\n${system.name}: started in ${((performance.now() - starting) / 1000).toFixed(1)} s`);
      const sampler = new ProcessSampler([
        ...system.processes(),
        { name: 'postgres', pid: postgres.pid as number, tree: true },
        { name: 'redis', pid: redis.pid as number },
        { name: 'receiver', pid: receiver.pid },
      ]);
      const context: RunContext = { fireablePerSecond: 5000, receiver };
      try {
        for (const workload of workloads) {
          const window = sampler.window();
          const started = performance.now();
          const outcome = await workload.run(system, sizes, context);
          const result: RunResult = {
            system: system.name,
            workload: workload.id,
            title: workload.title,
            outcome,
            processes: window.end(),
            wallSeconds: (performance.now() - started) / 1000,
          };
          results.push(result);
          console.log(
            `  ${workload.id} (${result.wallSeconds.toFixed(1)} s) ${JSON.stringify(summary(result))}`,
          );
        }
      } finally {
        sampler.stop();
        await system.stop();
      }
    }
  } finally {
    await receiver.stop();
    await redis.stop();
    await postgres.stop();
  }

  const report: BenchReport = {
    mode: sizes.mode,
    date: new Date().toISOString(),
    machine: machineDescription(),
    versions: versions(),
    command: `npm run bench${sizes.mode === 'quick' ? ' -- --quick' : ''}`,
    receiverFloor,
    results,
  };
  const markdown = markdownReport(report, sizes);
  console.log(`\n${markdown}`);
  const complete =
    systemNames.length === Object.keys(SYSTEMS).length && workloads.length === WORKLOADS.length;
  if (sizes.mode === 'full' && complete) {
    mkdirSync(join(root, 'bench/results'), { recursive: true });
    writeFileSync(join(root, 'bench/results/full.json'), `${JSON.stringify(report, null, 2)}\n`);
    writeFileSync(join(root, 'docs/bench-lag.svg'), lagChartSvg(report));
    writeBenchmarksSection(join(root, 'docs/benchmarks.md'), markdown);
    console.log('written: docs/benchmarks.md, docs/bench-lag.svg, bench/results/full.json');
  }
}

const count = (n: number) => Math.round(n).toLocaleString('en-US');

function summary(result: RunResult) {
  const { arrival, start, cold, registeredPerSecond, unsupported } = result.outcome;
  if (unsupported) return { unsupported };
  return {
    ...(arrival && {
      arrived: `${arrival.fired}/${arrival.expected}`,
      duplicates: arrival.duplicates,
      arrivalP99: arrival.lag?.p99,
    }),
    ...(cold && {
      lastArrival: arrival?.lastAfterDueMs,
      coldLastArrival: cold.arrival.lastAfterDueMs,
      coldDuplicates: cold.arrival.duplicates,
      coldMisses: cold.arrival.misses,
    }),
    ...(start && { startP99: start.lag?.p99 }),
    ...(registeredPerSecond && { registeredPerSecond: Math.round(registeredPerSecond) }),
  };
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

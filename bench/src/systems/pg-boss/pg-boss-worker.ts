/**
 * pg-boss's worker process: a PgBoss instance with the defaults of a deployed one (it also runs the
 * maintenance) and one work() whose handler records when it started, then calls the HTTP receiver for
 * each job as Kairos's http action would. Forked by PgBossSystem (through PeerWorker) with a
 * PgBossWorkerConfig as its argument.
 */
import { callReceiver, receiverAgent } from '../../receiver/receiver-client';
import { recordStart, serveStarts } from '../peer-worker-protocol';

export interface PgBossWorkerConfig {
  connectionString: string;
  queue: string;
  receiverUrl: string;
}

export interface PgBossJobData {
  key: string;
  dueAt: number;
}

/**
 * Throughput and latency as far as work() goes (node_modules/pg-boss/dist/types.d.ts, WorkOptions):
 * - pollingIntervalSeconds 0.5, the least it accepts (attorney.js MIN_POLLING_INTERVAL_MS). A job
 *   due later is found by a poll only: LISTEN/NOTIFY (useListenNotify, queue `notify`) wakes workers
 *   when a job is inserted already runnable, and leaves future-dated ones "to the polling floor"
 *   (plans.js, insertJobs); it would also stretch the poll to notifyPollingIntervalSeconds.
 * - batchSize 500 with burstWhenBatchFull: a fetch claims up to 500 jobs, and a full one is followed
 *   at once by the next, so a burst drains without waiting out the interval.
 * - localConcurrency 2, a fetch loop per core: one batch's completion round trip does not hold the
 *   next fetch. On this machine 500 x 2 drained a 10,000-job burst at ~15,000/s; 100 x 1 at ~3,000/s,
 *   and more loops or larger batches did no better.
 */
const WORK_OPTIONS = {
  pollingIntervalSeconds: 0.5,
  batchSize: 500,
  burstWhenBatchFull: true,
  localConcurrency: 2,
};

async function main(config: PgBossWorkerConfig): Promise<void> {
  const { PgBoss } = await import('pg-boss'); // ESM only
  const boss = new PgBoss({ connectionString: config.connectionString });
  boss.on('error', (error) => console.error('pg-boss worker:', error));
  await boss.start();
  const agent = receiverAgent();
  // A fetch hands over up to 500 jobs at once: their calls go out together, and the batch completes
  // when all are answered (the agent queues what its sockets cannot carry yet).
  await boss.work<PgBossJobData>(config.queue, WORK_OPTIONS, async (jobs) => {
    const startedAt = Date.now();
    for (const { data } of jobs) recordStart(data.key, data.dueAt, startedAt);
    await Promise.all(
      jobs.map(({ id, data }) => callReceiver(agent, config.receiverUrl, data.key, data.dueAt, id)),
    );
  });
  serveStarts(async () => {
    await boss.stop();
    await agent.close();
  });
}

main(JSON.parse(process.argv[2]) as PgBossWorkerConfig).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

/**
 * BullMQ's worker process: one Worker whose handler only records when it started. Forked by
 * BullmqSystem (through PeerWorker) with a BullmqWorkerConfig as its argument.
 */
import { Worker } from 'bullmq';
import { recordStart, serveStarts } from '../peer-worker-protocol';

export interface BullmqWorkerConfig {
  connection: { host: string; port: number };
  prefix: string;
  queue: string;
  concurrency: number;
}

/** A one-time job carries its key and due time; a job scheduler's jobs carry the task's key. */
export type BullmqJobData = { key: string; dueAt: number } | { taskKey: string };

async function main(config: BullmqWorkerConfig): Promise<void> {
  const worker = new Worker<BullmqJobData>(
    config.queue,
    async (job) => {
      const startedAt = Date.now();
      if ('taskKey' in job.data) {
        // The occurrence a scheduler's job stands for: its id is `repeat:<scheduler>:<prevMillis>`, and
        // for a 6-field cron prevMillis is the whole second. job.timestamp + job.delay is not: it is
        // when the job was created (the previous occurrence's start) plus the delay at that moment.
        const dueAt = job.opts.prevMillis as number;
        recordStart(`${job.data.taskKey}@${dueAt}`, dueAt, startedAt);
      } else {
        recordStart(job.data.key, job.data.dueAt, startedAt);
      }
    },
    { connection: config.connection, prefix: config.prefix, concurrency: config.concurrency },
  );
  worker.on('error', (error) => console.error('BullMQ worker:', error));
  await worker.waitUntilReady();
  serveStarts(() => worker.close());
}

main(JSON.parse(process.argv[2]) as BullmqWorkerConfig).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

/**
 * BullMQ's worker process: one Worker whose handler records when it started, then calls the HTTP
 * receiver as Kairos's http action would. Forked by BullmqSystem (through PeerWorker) with a
 * BullmqWorkerConfig as its argument.
 */
import { Worker } from 'bullmq';
import { callReceiver, receiverAgent } from '../../receiver/receiver-client';
import { recordStart, serveStarts } from '../peer-worker-protocol';

export interface BullmqWorkerConfig {
  connection: { host: string; port: number };
  prefix: string;
  queue: string;
  concurrency: number;
  receiverUrl: string;
}

/** A one-time job carries its key and due time; a job scheduler's jobs carry the task's key. */
export type BullmqJobData = { key: string; dueAt: number } | { taskKey: string };

async function main(config: BullmqWorkerConfig): Promise<void> {
  const agent = receiverAgent();
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
        // The URL names the task, the due-at header the occurrence: as Kairos calls for a cron task.
        await callReceiver(agent, config.receiverUrl, job.data.taskKey, dueAt, job.id as string);
      } else {
        recordStart(job.data.key, job.data.dueAt, startedAt);
        await callReceiver(agent, config.receiverUrl, job.data.key, job.data.dueAt, job.id as string);
      }
    },
    { connection: config.connection, prefix: config.prefix, concurrency: config.concurrency },
  );
  worker.on('error', (error) => console.error('BullMQ worker:', error));
  await worker.waitUntilReady();
  serveStarts(async () => {
    await worker.close();
    await agent.close();
  });
}

main(JSON.parse(process.argv[2]) as BullmqWorkerConfig).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

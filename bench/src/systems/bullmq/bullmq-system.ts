import { join } from 'node:path';
import { Queue } from 'bullmq';
import { setRedisHz } from '../../flush-redis';
import { packageVersion } from '../../machine';
import { forEachChunk, forEachRegistrationBatch } from '../for-each-chunk';
import { PeerWorkerSystem } from '../peer-worker-system';
import { type ExpectedFiring, type SchedulerUnderTest, type SharedServices } from '../scheduler-under-test';
import { type BullmqJobData, type BullmqWorkerConfig } from './bullmq-worker';

export const version = packageVersion('bullmq');

const QUEUE = 'bench';
/** upsertJobScheduler and removeJobScheduler take one scheduler a call. */
const SCHEDULER_CALLS_IN_FLIGHT = 50;
/**
 * Jobs run at once by the one Worker: the handler awaits an HTTP call, the I/O-bound case BullMQ's
 * concurrency guide (docs.bullmq.io/guide/workers/concurrency) says a high local factor serves.
 */
const CONCURRENCY = 100;

/**
 * BullMQ as its docs recommend it for the job: a producer (this process) adds delayed jobs in bulk
 * and job schedulers with a 6-field cron; one Worker process runs them, each job a call to the
 * receiver. Redis keeps no finished job (removeOnComplete/removeOnFail), so a million-job run does not
 * fill it with completed ones.
 */
export class BullmqSystem extends PeerWorkerSystem implements SchedulerUnderTest {
  readonly name: string;
  private queue?: Queue<BullmqJobData>;

  /**
   * `redisHz`: Redis wakes blocked clients (BullMQ's delayed-job marker wait) `hz` times a second; at
   * the stock 10 that alone makes up to 100 ms of BullMQ's lag. 100 is BullMQ at its best.
   */
  constructor(private readonly redisHz?: number) {
    super('bullmq worker');
    this.name = `BullMQ ${version}${redisHz ? ` (Redis hz ${redisHz})` : ''}`;
  }

  async start(shared: SharedServices): Promise<void> {
    const url = new URL(shared.redisUrl);
    if (this.redisHz) await setRedisHz(shared.redisUrl, this.redisHz);
    // A prefix of its own as well as the runner's flush: a second start never sees a first one's jobs.
    const config: BullmqWorkerConfig = {
      connection: { host: url.hostname, port: Number(url.port) },
      prefix: `bench-${process.pid}-${Date.now()}`,
      queue: QUEUE,
      concurrency: CONCURRENCY,
      receiverUrl: shared.receiverUrl,
    };
    this.queue = new Queue<BullmqJobData>(QUEUE, {
      connection: config.connection,
      prefix: config.prefix,
      defaultJobOptions: { removeOnComplete: true, removeOnFail: true },
    });
    await this.queue.waitUntilReady();
    await this.startWorker(join(__dirname, 'bullmq-worker.ts'), config);
  }

  /** addBulk is one MULTI per call. */
  async registerOnce(firings: ExpectedFiring[]): Promise<void> {
    await forEachRegistrationBatch(firings, (chunk) => {
      // The job's timestamp is the same `now` its delay counts from, so it is due at dueAt exactly.
      const now = Date.now();
      return this.queue!.addBulk(
        chunk.map(({ key, dueAt }) => ({
          name: 'once',
          data: { key, dueAt },
          opts: { timestamp: now, delay: Math.max(0, dueAt - now) },
        })),
      );
    });
  }

  /** A job scheduler per task, on the 6-field cron `* * * * * *`: BullMQ's cron has seconds. */
  async registerEverySecond(taskKeys: string[]): Promise<boolean> {
    await forEachChunk(taskKeys, SCHEDULER_CALLS_IN_FLIGHT, 1, (chunk) =>
      Promise.all(
        chunk.map((taskKey) =>
          this.queue!.upsertJobScheduler(
            taskKey,
            { pattern: '* * * * * *' },
            { name: 'every-second', data: { taskKey } },
          ),
        ),
      ),
    );
    return true;
  }

  async removeEverySecond(taskKeys: string[]): Promise<void> {
    await forEachChunk(taskKeys, SCHEDULER_CALLS_IN_FLIGHT, 1, (chunk) =>
      Promise.all(chunk.map((taskKey) => this.queue!.removeJobScheduler(taskKey))),
    );
  }

  /** The first page of waiting (delayed) jobs, as a dashboard lists them. */
  async readFirstPage(): Promise<void> {
    await this.queue!.getJobs(['delayed'], 0, 49);
  }

  async stop(): Promise<void> {
    await this.worker?.stop();
    await this.queue?.close();
  }
}

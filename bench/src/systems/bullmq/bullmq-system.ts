import { join } from 'node:path';
import { Queue } from 'bullmq';
import { setRedisHz } from '../../flush-redis';
import { packageVersion } from '../../machine';
import { forEachChunk } from '../for-each-chunk';
import { PeerWorker } from '../peer-worker';
import {
  type ExpectedFiring,
  type NamedProcess,
  type RecordedStart,
  type SchedulerUnderTest,
  type SharedServices,
} from '../scheduler-under-test';
import { type BullmqJobData, type BullmqWorkerConfig } from './bullmq-worker';

export const version = packageVersion('bullmq');

const QUEUE = 'bench';
/** addBulk is one MULTI per call: 1000 jobs a call, 4 calls in flight, as Kairos registers. */
const BULK = 1000;
const IN_FLIGHT = 4;
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
export class BullmqSystem implements SchedulerUnderTest {
  readonly name: string;
  private queue?: Queue<BullmqJobData>;
  private worker?: PeerWorker;

  /**
   * `redisHz`: Redis wakes blocked clients (BullMQ's delayed-job marker wait) `hz` times a second; at
   * the stock 10 that alone makes up to 100 ms of BullMQ's lag. 100 is BullMQ at its best.
   */
  constructor(private readonly redisHz?: number) {
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
    this.worker = await PeerWorker.start(join(__dirname, 'bullmq-worker.ts'), config);
  }

  processes(): NamedProcess[] {
    return this.worker ? [{ name: 'bullmq worker', pid: this.worker.pid }] : [];
  }

  async registerOnce(firings: ExpectedFiring[]): Promise<void> {
    await forEachChunk(firings, BULK, IN_FLIGHT, (chunk) => {
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

  /** An added job is in Redis, fireable: nothing to wait for. */
  async settled(): Promise<void> {}

  starts(prefix: string): Promise<RecordedStart[]> {
    return this.worker!.starts(prefix);
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

import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { type PgBoss } from 'pg-boss';
import { createDatabase, dropDatabase } from '../postgres-database';
import { packageVersion } from '../../machine';
import { forEachRegistrationBatch } from '../for-each-chunk';
import { PeerWorkerSystem } from '../peer-worker-system';
import { type ExpectedFiring, type SchedulerUnderTest, type SharedServices } from '../scheduler-under-test';
import { type PgBossJobData, type PgBossWorkerConfig } from './pg-boss-worker';

export const version = packageVersion('pg-boss');

const QUEUE = 'bench';

/**
 * pg-boss on a database of its own: this process is a client (inserts and reads, no maintenance, no
 * cron), a worker process runs work(), each job a call to the receiver. Jobs are deferred with
 * startAfter, pg-boss's one-time schedule.
 */
export class PgBossSystem extends PeerWorkerSystem implements SchedulerUnderTest {
  readonly name = `pg-boss ${version}`;
  private readonly database = `bench_pgboss_${randomBytes(4).toString('hex')}`;
  private adminUrl = '';
  private boss?: PgBoss;

  constructor() {
    super('pg-boss worker');
  }

  async start(shared: SharedServices): Promise<void> {
    this.adminUrl = shared.postgresAdminUrl;
    const connectionString = await createDatabase(shared.postgresAdminUrl, this.database);
    const { PgBoss } = await import('pg-boss'); // ESM only
    this.boss = new PgBoss({ connectionString, supervise: false, schedule: false });
    this.boss.on('error', (error) => console.error('pg-boss client:', error));
    await this.boss.start(); // installs the schema before the worker starts on it
    await this.boss.createQueue(QUEUE);
    const config: PgBossWorkerConfig = { connectionString, queue: QUEUE, receiverUrl: shared.receiverUrl };
    await this.startWorker(join(__dirname, 'pg-boss-worker.ts'), config);
  }

  /** insert() is one statement per call. */
  async registerOnce(firings: ExpectedFiring[]): Promise<void> {
    await forEachRegistrationBatch(firings, (chunk) =>
      this.boss!.insert(
        QUEUE,
        chunk.map(({ key, dueAt }) => ({
          data: { key, dueAt } satisfies PgBossJobData,
          startAfter: new Date(dueAt),
        })),
      ),
    );
  }

  /**
   * pg-boss cannot: schedule() takes a 6-field cron, but its cron pass files each occurrence in a
   * 60-second throttle slot and sends one job per slot (timekeeper.js, throttleSlot and "one job per
   * slot rather than one per occurrence"), so `* * * * * *` fires once a minute; its docs steer to
   * minute precision. Rescheduling from the handler would be a different system, not pg-boss's cron.
   */
  async registerEverySecond(): Promise<boolean> {
    return false;
  }

  async removeEverySecond(): Promise<void> {}

  /**
   * pg-boss's own listing, findJobs: the first 50 queued (created or retry) jobs of the queue,
   * oldest first (ORDER BY created_on, id LIMIT 50 on its job table).
   */
  async readFirstPage(): Promise<void> {
    await this.boss!.findJobs(QUEUE, { queued: true, limit: 50 });
  }

  async stop(): Promise<void> {
    await this.worker?.stop();
    await this.boss?.stop();
    await dropDatabase(this.adminUrl, this.database);
  }
}

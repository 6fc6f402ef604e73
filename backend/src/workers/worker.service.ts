import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  Optional,
} from '@nestjs/common';
import type { Pool } from 'pg';
import { READ_MODEL_POOL } from '../projections';
import type { KairosConfig } from '../config/config';
import { KAIROS_CONFIG } from '../config/config.module';
import type { EventStore } from '../event-store/event-store';
import { InjectEventStore } from '../event-store/event-store.module';
import { ownedBuckets } from '../metrics/metrics';
import { Foreground } from '../runtime/foreground';
import { PgListener } from '../database/pg-listener';
import { ConcurrencyGate } from './concurrency/concurrency-gate';
import { ConcurrencySlots } from './concurrency/concurrency-slots';
import { ActionRunner } from './execution/action-runner';
import { Executor } from './execution/executor';
import { CalendarCache } from './firing/calendar-cache';
import { type FiringLimits, OccurrenceFirer, scheduledIn } from './firing/occurrence-firer';
import { TaskCommandBatcher } from './firing/task-command-batcher';
import { TaskSnapshots } from './firing/task-snapshots';
import type { HttpCaller } from './execution/action-runner';
import { httpCallerFor } from './http-action/http-caller';
import { LostExecutionSweeper } from './lost-executions/lost-execution-sweeper';
import type { BucketOwnership } from './ownership/bucket-ownership';
import { ReadModelDueSource } from './timers/read-model-due-source';
import { FiringLead } from './timers/firing-lead';
import { TimerSupervisor } from './timers/timer-supervisor';

export const BUCKET_OWNERSHIP = Symbol('BucketOwnership');
export const CHANGE_SOURCE = Symbol('ChangeSource');

/** What the worker needs of the projector's change feed. */
export interface ChangeSource {
  subscribe(listener: (change: { position: number; buckets: number[]; all?: boolean }) => void): () => void;
}

export interface WorkerSettings {
  lookaheadMs: number;
  rescanMs: number;
  prepareMs: number;
  sweepMs: number;
  drainMs: number;
}

export const DEFAULT_WORKER_SETTINGS: WorkerSettings = {
  lookaheadMs: 60_000,
  rescanMs: 30_000,
  prepareMs: 2000,
  sweepMs: 10_000,
  drainMs: 25_000,
};
export const WORKER_SETTINGS = Symbol('WorkerSettings');

/**
 * The worker role: owns buckets, runs a timer actor per owned bucket, fires due occurrences exactly
 * once (by expected revision), executes them, and records outcomes. On shutdown it stops firing,
 * hands its buckets over at once, and drains running executions.
 */
@Injectable()
export class WorkerService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('worker');
  private supervisor!: TimerSupervisor;
  private executor!: Executor;
  private commands!: TaskCommandBatcher;
  private http!: HttpCaller;
  private sweepTimer: NodeJS.Timeout | undefined;
  private slots!: ConcurrencySlots;
  private gate: ConcurrencyGate | undefined;
  private listener: PgListener | undefined;
  private unsubscribe: () => void = () => undefined;

  constructor(
    @Inject(KAIROS_CONFIG) private readonly config: KairosConfig,
    @InjectEventStore() private readonly store: EventStore,
    @Inject(BUCKET_OWNERSHIP) readonly ownership: BucketOwnership,
    @Inject(WORKER_SETTINGS) private readonly settings: WorkerSettings,
    @Inject(READ_MODEL_POOL) private readonly pool: Pool,
    @Optional() @Inject(CHANGE_SOURCE) private readonly changes?: ChangeSource,
    @Optional() private readonly foreground?: Foreground,
  ) {}

  get workerId(): string {
    return this.ownership.workerId;
  }

  async onApplicationBootstrap(): Promise<void> {
    const snapshots = new TaskSnapshots(this.store, this.pool);
    const lead = new FiringLead(this.config.firingLeadMs);
    this.commands = new TaskCommandBatcher(
      this.store,
      snapshots,
      { misfireThresholdMs: this.config.misfireThresholdMs },
      undefined,
      lead,
    );
    this.foreground?.add(() => this.commands.urgentBacklog());
    this.http = httpCallerFor(this.config.roles, {
      allow: this.config.httpAllow,
      signingSecret: this.config.signingSecret,
      maxSocketsPerOrigin: this.config.httpMaxSocketsPerOrigin,
    });
    const limits = await this.concurrencyLimits();
    this.executor = new Executor(
      new ActionRunner(this.http),
      this.commands,
      this.config.workerConcurrency,
      (taskId, events, snapshot) => {
        const bucket = snapshot.state.status === 'none' ? -1 : snapshot.state.bucket;
        this.supervisor.offer(scheduledIn(taskId, bucket, events, snapshot));
      },
      this.foreground,
      (execution) => limits.release(execution.taskId, execution.occurrence, execution.attempt),
    );
    const calendars = new CalendarCache(this.store);
    const firer = new OccurrenceFirer(
      this.commands,
      snapshots,
      this.executor,
      this.workerId,
      limits,
      calendars,
    );
    this.supervisor = new TimerSupervisor(new ReadModelDueSource(this.pool, snapshots), firer, {
      ...this.settings,
      lead,
    });
    await this.supervisor.start();
    this.unsubscribe =
      this.changes?.subscribe((change) => {
        snapshots.caughtUp(change.position);
        this.supervisor.changed(change.all ? undefined : change.buckets);
      }) ?? this.unsubscribe;
    const sweeper = new LostExecutionSweeper(
      this.pool,
      this.commands,
      (due) => this.supervisor.offer(due),
      (taskId, occurrence, attempt) => this.slots.release(taskId, occurrence, attempt),
    );
    const sweep = (buckets: number[]): Promise<void> =>
      this.liveWorkers()
        .then(async (live) => {
          await sweeper.sweep(buckets, live);
          await this.slots.reconcile(live);
        })
        .then(
          () => undefined,
          (error: unknown) => this.logger.warn(`sweep failed: ${(error as Error).message}`),
        );
    this.sweepTimer = setInterval(() => void sweep(this.supervisor.owned()), this.settings.sweepMs);
    let owned = new Set<number>();
    let handover = Promise.resolve();
    await this.ownership.start((buckets) => {
      ownedBuckets.set(buckets.length);
      const gained = buckets.filter((bucket) => !owned.has(bucket));
      owned = new Set(buckets);
      if (gained.length === 0 || !this.ownership.seesAllMembers) return this.supervisor.setOwned(buckets);
      // Buckets just taken over may hold a dead worker's executions, which would look like runs still
      // going and make their tasks' next occurrences overlap: close them first (within a second),
      // then fire those buckets.
      this.supervisor.setOwned(buckets.filter((bucket) => !gained.includes(bucket)));
      handover = handover
        .then(() => Promise.race([sweep(gained), new Promise((resolve) => setTimeout(resolve, 1000))]))
        .then(() => this.supervisor.setOwned([...owned]));
    });
    this.logger.log(`worker ${this.workerId} owns ${this.ownership.owned().length} buckets`);
  }

  /**
   * Concurrency limits (ADR 019): the slots table (migrated here: only workers use it), the gate where
   * occurrences wait for a slot (its LISTEN connection opens with the first waiter), and releases that
   * retry a failed statement a few times (what still fails, reconciliation gives back later).
   */
  private async concurrencyLimits(): Promise<FiringLimits> {
    await ConcurrencySlots.migrate(this.pool);
    this.slots = new ConcurrencySlots(this.pool, this.workerId);
    this.listener = new PgListener({ connectionString: this.config.databaseUrl });
    const listener = this.listener;
    this.gate = new ConcurrencyGate(this.slots, (channel, handler) => listener.listen(channel, handler));
    const release = async (taskId: string, occurrence: number, attempt: number): Promise<void> => {
      for (let tries = 1; ; tries++) {
        try {
          return await this.slots.release(taskId, occurrence, attempt);
        } catch (error) {
          if (tries >= 5) {
            this.logger.warn(
              `releasing the slot of ${taskId}#${occurrence}.${attempt} failed: ${(error as Error).message}`,
            );
            return;
          }
          await new Promise((resolve) => setTimeout(resolve, 200 * tries));
        }
      }
    };
    return {
      gate: this.gate,
      release: (taskId, occurrence, attempt) => void release(taskId, occurrence, attempt),
      offer: (due) => this.supervisor.offer(due),
    };
  }

  /**
   * The ids of every live worker, when the ownership sees them all (with Redis, reachable for a while).
   * Otherwise undefined: the sweeper then waits for timeout plus grace before calling anything lost.
   */
  private async liveWorkers(): Promise<string[] | undefined> {
    if (!this.ownership.seesAllMembers) return undefined;
    const members = await this.ownership.members().catch(() => undefined);
    if (!members) return undefined;
    return [...new Set([this.workerId, ...members.map((member) => member.workerId)])];
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.sweepTimer);
    this.unsubscribe();
    this.supervisor?.stop();
    await this.gate
      ?.stop()
      .catch((error: unknown) =>
        this.logger.warn(`leaving the slot queues failed: ${(error as Error).message}`),
      );
    await this.ownership
      .stop()
      .catch((error: unknown) => this.logger.warn(`lease release failed: ${(error as Error).message}`));
    // Within the process's own drain timeout (KAIROS_DRAIN_TIMEOUT_MS), with time left to close the rest.
    const drainMs = Math.min(this.settings.drainMs, Math.max(0, this.config.drainTimeoutMs - 2000));
    const timeout = new Promise((resolve) => setTimeout(resolve, drainMs).unref());
    const drained = this.executor?.drain() ?? Promise.resolve();
    // Calls still in flight at the deadline are left open, not recorded: the sweeper closes them as lost.
    await Promise.race([drained.then(() => this.commands.idle()).then(() => this.http?.close()), timeout]);
    await this.listener?.close();
  }
}

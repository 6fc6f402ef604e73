import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import type { EventStore } from '../../event-store/event-store';
import { isTransientStoreError } from '../../event-store/transient-error';
import type { TaskCommand } from '../../tasks/domain/task.commands';
import {
  appendDecided,
  type Decision,
  decideEach,
  MAX_DECISION_ATTEMPTS,
} from '../../tasks/decide-and-append';
import { DEFAULT_DECIDE_SETTINGS, type DecideSettings } from '../../tasks/domain/task.decider';
import type { TaskDomainError } from '../../tasks/domain/task.errors';
import { type TaskEvent, taskStreamId } from '../../tasks/domain/task.events';
import { evolve } from '../../tasks/domain/task.state';
import type { TaskSnapshot, TaskSnapshots } from './task-snapshots';
import type { FiringLead } from '../timers/firing-lead';

/** What became of one worker command. */
export type CommandOutcome =
  | { ok: true; events: TaskEvent[]; snapshot: TaskSnapshot; position: number }
  /** The domain refused it (e.g. the occurrence was already fired, paused, deleted or edited away). */
  | { ok: false; error: TaskDomainError };

interface Pending {
  taskId: string;
  command: TaskCommand;
  snapshot?: TaskSnapshot;
  /** Firing goes before recording outcomes: an on-time start matters more than a prompt record. */
  urgent: boolean;
  /** A firing's due instant (epoch ms): decided ahead of it, it may wait for others (see gathering). */
  dueAt?: number;
  attempts: number;
  /** Its last append failed without telling whether it committed: these events may be on record. */
  unsure?: { events: TaskEvent[]; snapshot: TaskSnapshot; decisionId: string };
  resolve(outcome: CommandOutcome): void;
  reject(error: unknown): void;
}

/** A decided command on its way to the store. */
interface Appending {
  item: Pending;
  decision: Decision;
  events: TaskEvent[];
  decisionId: string;
}

const MAX_BATCH = 5000;
/**
 * Firings never share a batch with outcomes. Measured on a 10,000-task burst after 100,000
 * registrations: a batch's commit has a large fixed cost here (0.4-0.9 s for 1,000 streams, 0.6 s for
 * 5,000), so batches of 1,000 started the last calls 4.0 s after due and batches of 5,000 1.3 s.
 */
const MAX_URGENT_BATCH = 5000;
const MAX_CONCURRENT = 2;
/** Firings waiting together that make a batch worth its commit at once, however far ahead they are due. */
const GATHERED_ENOUGH = 64;
/** How much earlier than its lead a timer may fire a lone occurrence (timers expire late, clocks step). */
const TIMER_SLACK_MS = 10;
/** Waits between tries while the store is unreachable: short, since firing waits on it. */
const STORE_RETRY_MS = { first: 100, max: 500 };
/** How long a task's next firing waits for the outcome of a start found on record late (see below). */
const HOLD_AFTER_LATE_START_MS = 2000;

/**
 * Decides worker commands on the state they were given and appends the outcomes in batches, one
 * appendMany (one transaction on PostgreSQL) for everything waiting, each stream with the revision its
 * decision was made on. That expected revision is what makes an occurrence fire once: if anything else
 * wrote to the task meanwhile (an edit, a pause, another worker), its append is refused, and the command
 * is decided again on the refreshed state, which may now refuse it.
 *
 * Commands queue while a batch is in flight, so concurrent callers share commits (group commit).
 * Firings decided ahead of their due instant (ADR 022) also wait for each other: a batch of them
 * starts once the first has half the lead left before due, or once GATHERED_ENOUGH wait. A steady
 * 500 due/s then commits about every 25 ms, not every 2 ms.
 *
 * While the store is unreachable (restart, failover, full disk) commands wait and are tried again, not
 * dropped: an outcome is a fact about the world, and a firing still fires, late. Each decision's events
 * carry its id, so a retry after a commit whose answer was lost finds them on record instead of
 * deciding again (which would refuse a firing that in fact started, and lose its action).
 */
export class TaskCommandBatcher {
  private queue: Pending[] = [];
  /** Batches being decided and appended now, and the tasks in them (a task is in one at a time). */
  private running = 0;
  private readonly inFlight = new Set<string>();
  private pumpScheduled = false;
  /** The pump set for when the firings gathering now must go, and that instant. */
  private gathering: { until: number; timer: NodeJS.Timeout } | undefined;
  /** When GATHERED_ENOUGH firings last went together (epoch ms). */
  private burstAt = -Infinity;
  /** Urgent commands (firings) submitted and not yet settled: foreground work (see Foreground). */
  private urgent = 0;
  /** Store failures in a row, for the backoff (0 while the store answers). */
  private storeFailures = 0;
  /**
   * Tasks whose start was found on record after its commit's answer was lost (an outage): the start
   * carries the instant it was decided, but its action only goes out now. Their next firing waits for
   * that outcome (briefly), or it would count the run as one already going at its due instant.
   */
  private readonly held = new Map<string, number>();
  private readonly logger = new Logger('task-commands');

  private readonly settings: DecideSettings;

  constructor(
    private readonly store: EventStore,
    private readonly snapshots: TaskSnapshots,
    settings: DecideSettings = DEFAULT_DECIDE_SETTINGS,
    private readonly clock: () => Date = () => new Date(),
    /**
     * How far ahead firings come (its longest lead is the decider's `firingLeadMs`); firings gather
     * within half a lone one's lead, and it is told how long batches of firings take. None: no lead.
     */
    private readonly lead?: FiringLead,
  ) {
    this.settings = lead ? { ...settings, firingLeadMs: lead.maxMs } : settings;
  }

  submit(
    command: TaskCommand,
    options: { snapshot?: TaskSnapshot; urgent?: boolean; dueAt?: number } = {},
  ): Promise<CommandOutcome> {
    const urgent = options.urgent ?? false;
    if (urgent) this.urgent++;
    const outcome = new Promise<CommandOutcome>((resolve, reject) => {
      this.queue.push({
        taskId: command.data.taskId,
        command,
        snapshot: options.snapshot,
        urgent,
        dueAt: options.dueAt,
        attempts: 0,
        resolve,
        reject,
      });
      this.schedulePump();
    });
    if (urgent) void outcome.then(this.settledUrgent, this.settledUrgent);
    return outcome;
  }

  /** Firings submitted and not yet decided and appended. */
  urgentBacklog(): number {
    return this.urgent;
  }

  private readonly settledUrgent = (): void => {
    this.urgent--;
  };

  /** Resolves once everything queued so far is decided and appended (for a graceful drain). */
  async idle(): Promise<void> {
    while (this.running > 0 || this.queue.length > 0) await new Promise((r) => setTimeout(r, 10));
  }

  /**
   * Starts batching once this turn of the event loop is over: every bucket timer that expired at the
   * same instant has submitted by then, so they share one batch instead of the first few taking the
   * batch slots one occurrence each.
   */
  private schedulePump(): void {
    if (this.pumpScheduled) return;
    this.pumpScheduled = true;
    setImmediate(() => {
      this.pumpScheduled = false;
      this.pump();
    });
  }

  /**
   * Starts batches while fewer than MAX_CONCURRENT run. Two batches overlap their decisions, round
   * trips and revision checks; PostgreSQL still commits them one after the other (ADR 002).
   */
  private pump(): void {
    while (this.running < MAX_CONCURRENT && this.queue.length > 0) {
      const batch = this.takeBatch();
      if (batch.length === 0) return; // what is queued waits for a task in a running batch
      this.running++;
      for (const item of batch) this.inFlight.add(item.taskId);
      void this.runBatch(batch).finally(() => {
        this.running--;
        for (const item of batch) this.inFlight.delete(item.taskId);
        this.pump();
      });
    }
  }

  /**
   * Urgent first (a batch of firings, and the outcomes they must follow), at most one command per task
   * (appendMany takes each stream once), FIFO otherwise.
   */
  private takeBatch(): Pending[] {
    const batch: Pending[] = [];
    const tasks = new Set<string>();
    const taken = new Set<Pending>();
    // A task's outcome still waiting (say, the database was away) goes before that task's next firing:
    // decided first, the firing would take the finished run for one still going, an overlap that never was.
    const waiting = new Map<string, Pending>();
    for (const item of this.queue)
      if (!item.urgent && !waiting.has(item.taskId)) waiting.set(item.taskId, item);
    for (const urgentPass of [true, false]) {
      const limit = urgentPass ? MAX_URGENT_BATCH : MAX_BATCH;
      for (const item of this.queue) {
        if (batch.length >= limit) break;
        if (item.urgent !== urgentPass || tasks.has(item.taskId) || this.inFlight.has(item.taskId)) continue;
        const chosen = urgentPass ? (waiting.get(item.taskId) ?? item) : item;
        if (chosen.urgent && this.isHeld(chosen.taskId)) continue;
        tasks.add(item.taskId);
        taken.add(chosen);
        batch.push(chosen);
      }
      if (urgentPass && this.gatherMore(batch)) {
        batch.length = 0;
        tasks.clear();
        taken.clear();
      }
      if (batch.length > 0) break;
    }
    // One pass to keep the rest, in order (splicing item by item would be quadratic in a burst).
    this.queue = this.queue.filter((item) => !taken.has(item));
    return batch;
  }

  /**
   * Whether these firings wait for more to share their commit: all are due later than half a lone
   * firing's lead from now, they are few, none was fired further ahead than a lone firing is (a burst,
   * see FiringLead), and no burst went within the lead. The pump is then set for the instant the first
   * of them must go.
   */
  private gatherMore(firings: Pending[]): boolean {
    if (firings.length === 0) return false;
    const lead = this.lead?.loneMs ?? 0;
    const now = this.clock().getTime();
    if (firings.length >= GATHERED_ENOUGH) {
      this.burstAt = now;
      return false;
    }
    // A burst's stragglers (timers expiring a millisecond later) follow it at once: nothing to gather.
    if (now - this.burstAt < lead) return false;
    let until = Infinity;
    for (const { dueAt } of firings)
      until = Math.min(until, dueAt === undefined ? -Infinity : dueAt - lead / 2);
    if (until <= now || until - now > lead / 2 + TIMER_SLACK_MS) return false;
    if (this.gathering?.until !== until) {
      clearTimeout(this.gathering?.timer);
      const timer = setTimeout(() => {
        this.gathering = undefined;
        this.schedulePump();
      }, until - now).unref();
      this.gathering = { until, timer };
    }
    return true;
  }

  private async runBatch(batch: Pending[]): Promise<void> {
    const takenAt = performance.now();
    const settled = new Set<Pending>();
    const later: Pending[] = []; // the store failed them for now: tried again after a pause
    let storeError: unknown;
    const failed = (item: Pending, error: unknown): void => {
      if (isTransientStoreError(error)) {
        later.push(item);
        storeError = error;
      } else {
        item.reject(error);
        settled.add(item);
      }
    };
    // Items without a known state, or refused last time, get the stream's tail first.
    await Promise.all(
      batch.map(async (item) => {
        try {
          if (item.unsure && (await this.foundOnRecord(item))) settled.add(item);
          else if (!item.snapshot || item.attempts > 0)
            item.snapshot = await this.snapshots.refresh(item.taskId, item.snapshot);
          else item.snapshot = this.snapshots.best(item.taskId, item.snapshot);
        } catch (error) {
          failed(item, error);
        }
      }),
    );
    const ready = batch.filter((item) => !settled.has(item) && !later.includes(item) && item.snapshot);
    const decisions = ready.map((item) => ({ command: item.command, ...item.snapshot! }));
    const decided: Appending[] = [];
    decideEach(decisions, this.clock(), this.settings).forEach((outcome, i) => {
      const item = ready[i];
      if (outcome.kind === 'events')
        decided.push({ item, decision: decisions[i], events: outcome.events, decisionId: randomUUID() });
      else if (outcome.kind === 'unchanged')
        item.resolve({ ok: true, events: [], snapshot: item.snapshot!, position: 0 });
      else if (outcome.kind === 'refused') item.resolve({ ok: false, error: outcome.error });
      else item.reject(outcome.error);
    });
    if (decided.length > 0) await this.append(decided, failed);
    if (later.length > 0) await this.retryLater(later, storeError);
    else {
      this.storeAnswers();
      const firings = batch.filter((item) => item.urgent).length;
      this.lead?.measured(firings, performance.now() - takenAt);
    }
  }

  private async append(decided: Appending[], failed: (item: Pending, error: unknown) => void): Promise<void> {
    let results;
    try {
      results = await appendDecided(this.store, decided);
    } catch (error) {
      for (const { item, events, decisionId } of decided) {
        if (isTransientStoreError(error)) item.unsure = { events, snapshot: item.snapshot!, decisionId };
        failed(item, error);
      }
      return;
    }
    results.forEach((result, i) => {
      const { item, events } = decided[i];
      if (result.ok) {
        if (item.command.type !== 'FireOccurrence') this.held.delete(item.taskId);
        const state = events.reduce(evolve, item.snapshot!.state);
        const snapshot = { state, revision: result.nextRevision };
        this.snapshots.remember(item.taskId, snapshot, result.position);
        item.resolve({ ok: true, events, snapshot, position: result.position });
      } else if (++item.attempts >= MAX_DECISION_ATTEMPTS) {
        item.reject(result.conflict);
      } else {
        this.queue.unshift(item); // decide again on the refreshed state, first in line
      }
    });
  }

  /**
   * After an append whose fate is unknown: true (and resolved) when its events are on record, right
   * after the revision it was decided on; false when it never committed, so the command is decided again.
   */
  private async foundOnRecord(item: Pending): Promise<boolean> {
    const { events, snapshot, decisionId } = item.unsure!;
    const recorded = await this.store.readStream(taskStreamId(item.taskId), {
      fromRevision: snapshot.revision + 1,
      maxCount: events.length,
    });
    item.unsure = undefined;
    if (recorded.length !== events.length || recorded[0].metadata.decisionId !== decisionId) return false;
    const next = {
      state: events.reduce(evolve, snapshot.state),
      revision: snapshot.revision + events.length,
    };
    const position = recorded[recorded.length - 1].position;
    this.snapshots.remember(item.taskId, next, position);
    if (item.command.type === 'FireOccurrence') this.hold(item.taskId);
    item.resolve({ ok: true, events, snapshot: next, position });
    return true;
  }

  private hold(taskId: string): void {
    this.held.set(taskId, Date.now() + HOLD_AFTER_LATE_START_MS);
    setTimeout(() => this.schedulePump(), HOLD_AFTER_LATE_START_MS).unref();
  }

  private isHeld(taskId: string): boolean {
    const until = this.held.get(taskId);
    if (until === undefined) return false;
    if (until > Date.now()) return true;
    this.held.delete(taskId);
    return false;
  }

  /** Puts commands the store failed back first in line after a pause that grows while it fails. */
  private async retryLater(items: Pending[], error: unknown): Promise<void> {
    if (this.storeFailures === 0) {
      this.logger.warn(`event store unreachable, commands wait and retry: ${(error as Error).message}`);
    }
    const delayMs = Math.min(STORE_RETRY_MS.first * 2 ** this.storeFailures, STORE_RETRY_MS.max);
    this.storeFailures++;
    await new Promise((resolve) => setTimeout(resolve, delayMs));
    this.queue.unshift(...items);
  }

  private storeAnswers(): void {
    if (this.storeFailures > 0)
      this.logger.log(`event store answers again after ${this.storeFailures} tries`);
    this.storeFailures = 0;
  }
}

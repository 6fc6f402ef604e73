import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sleep, waitFor } from '../wait-for';
import { startFaultReceiver, type FaultReceiver } from './fault-receiver';
import { type Check, commitOfSources, type FaultResult, renderCase, saveResult } from './fault-report';
import { KairosNode } from './kairos-node';
import {
  computeLedger,
  emptyFigures,
  type Figures,
  type InstantRow,
  type TaskHistory,
} from './occurrence-ledger';
import { startRestartablePostgres, type RestartablePostgres } from './servers/postgres-server';
import { startRestartableRedis, type RestartableRedis } from './servers/redis-server';
import { readTaskHistories } from './store-reader';

/** Which skips a case accepts: none at all, or only those with a real overlap behind them. */
export type SkipRule = 'none' | 'real-overlaps';

const LOG_DIR = join(__dirname, '..', '..', '..', '.test-artifacts', 'faults', 'logs');
export const TASKS = 20;
export const EVERY_SECOND = '* * * * * *';

/**
 * One fault case: the servers and processes it starts (all stopped by PID in cleanup(), last first),
 * the tasks it registers, a timeline of what it did, and its checks. finish() computes the figures,
 * prints them, keeps them for the table and fails the test on any failed check.
 */
export class FaultCase {
  readonly timeline: string[] = [];
  readonly checks: Check[] = [];
  readonly nodes: KairosNode[] = [];
  taskIds: string[] = [];
  /** When the tasks were registered: the timeline's zero. */
  zero = Date.now();
  private readonly began = Date.now();
  private readonly cleanups: (() => Promise<unknown>)[] = [];

  constructor(
    readonly order: number,
    readonly id: string,
    readonly title: string,
  ) {}

  async postgres(options: { dataDir?: string } = {}): Promise<RestartablePostgres> {
    const server = await startRestartablePostgres(options);
    this.cleanups.push(() => server.destroy());
    return server;
  }

  async redis(): Promise<RestartableRedis> {
    const server = await startRestartableRedis();
    this.cleanups.push(() => server.stop());
    return server;
  }

  async receiver(): Promise<FaultReceiver> {
    const receiver = await startFaultReceiver();
    this.cleanups.push(() => receiver.close());
    return receiver;
  }

  async kairos(name: string, roles: string, env: Record<string, string>): Promise<KairosNode> {
    const node = await KairosNode.start(name, roles, env);
    this.nodes.push(node);
    this.cleanups.push(async () => {
      const ended = await node.stop();
      if (ended === 'killed') this.mark(`${name} did not drain within 5 s of SIGTERM: SIGKILLed`);
      mkdirSync(LOG_DIR, { recursive: true });
      writeFileSync(join(LOG_DIR, `${this.id}-${name}-${node.pid}.log`), node.output());
    });
    return node;
  }

  /** Runs `step` at teardown, before what was started earlier is stopped. */
  onCleanup(step: () => Promise<unknown>): void {
    this.cleanups.push(step);
  }

  async cleanup(): Promise<void> {
    for (const step of this.cleanups.reverse()) await step().catch(() => undefined);
    this.cleanups.length = 0;
  }

  /** Notes an event of the case, timed from the tasks' registration. */
  mark(what: string): void {
    this.timeline.push(`+${((Date.now() - this.zero) / 1000).toFixed(1)} s ${what}`);
  }

  check(name: string, ok: boolean, detail: string): void {
    this.checks.push({ name, ok, detail });
  }

  /** Registers TASKS cron tasks calling `${receiver.url}/${this.id}` through the API at `api`. */
  async registerCrons(
    api: KairosNode,
    receiver: FaultReceiver,
    extra: Record<string, unknown> = {},
  ): Promise<string[]> {
    const items = Array.from({ length: TASKS }, (_, i) => ({
      name: `fault-${this.id}-${i}`,
      schedule: { kind: 'cron', expression: EVERY_SECOND, timezone: 'UTC' },
      action: { kind: 'http', method: 'POST', url: `${receiver.url}/${this.id}` },
      ...extra,
    }));
    const response = await fetch(`${api.url}/api/tasks/batch`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ items }),
    });
    const body = (await response.json()) as { items: { id?: string }[] };
    if (response.status !== 200 || body.items.some((item) => !item.id)) {
      throw new Error(`registration failed: ${response.status} ${JSON.stringify(body).slice(0, 500)}`);
    }
    this.zero = Date.now();
    this.taskIds = body.items.map((item) => item.id as string);
    this.mark(`${TASKS} cron tasks (every second) registered`);
    return this.taskIds;
  }

  /** Waits until every task's call reached the receiver at least once: the load is on. */
  async waitAllDelivered(receiver: FaultReceiver, timeoutMs = 15_000): Promise<void> {
    await waitFor(
      () => {
        const tasks = new Set(receiver.arrivals.map((a) => a.key?.split(':')[0]));
        return this.taskIds.every((id) => tasks.has(id));
      },
      timeoutMs,
      'a call of every task at the receiver',
    );
    this.mark('every task delivered at least once');
  }

  /** Sleeps until `ms` after the start of the next second (e.g. 250: while that second's calls are out). */
  async alignToSecond(ms: number): Promise<void> {
    await sleep(1000 - (Date.now() % 1000) + ms);
  }

  /** Reads the store and the receiver at the end of the window and computes the figures. */
  async measure(
    databaseUrl: string,
    receiver: FaultReceiver,
    options: { settleMs: number; resendPerAttempt: boolean },
  ): Promise<{ figures: Figures; rows: InstantRow[]; histories: TaskHistory[]; windowEnd: number }> {
    const windowEnd = Date.now();
    const arrivals = [...receiver.arrivals];
    this.mark('window ends: store and receiver read');
    const histories = await readTaskHistories(databaseUrl, this.taskIds);
    const ledger = computeLedger(histories, arrivals, { periodMs: 1000, windowEnd, ...options });
    const reasons = histories.flatMap((h) => h.skipped.map((s) => s.reason));
    if (reasons.length > 0) this.mark(`skips recorded: ${countBy(reasons)}`);
    const outcomes = histories.flatMap((h) => h.executed.map((e) => e.outcome));
    this.mark(`outcomes recorded: ${countBy(outcomes)}`);
    return { ...ledger, histories, windowEnd };
  }

  /**
   * The checks every case makes: nothing missing, doubled or unaccounted for, and (unless null) every
   * start and every arrival within `lagLimitMs` of its due time.
   */
  checkCommon(figures: Figures, options: { lagLimitMs: number | null; skips: SkipRule }): void {
    this.check(
      'every due occurrence started',
      figures.missing === 0,
      `${figures.missing} missing of ${figures.due}`,
    );
    this.check('nothing doubled', figures.doubled === 0, `${figures.doubled} doubled`);
    if (options.skips === 'none') {
      this.check('none skipped', figures.skipped === 0, `${figures.skipped} skipped`);
    } else {
      this.check(
        'skipped only for a real overlap',
        figures.unjustifiedSkips === 0,
        `${figures.skipped} skipped, ${figures.unjustifiedSkips} without a run going at their due time`,
      );
    }
    this.check('every start on its cron grid', figures.offGrid === 0, `${figures.offGrid} off the grid`);
    this.check(
      'every started occurrence delivered',
      figures.undelivered === 0,
      `${figures.undelivered} undelivered`,
    );
    this.check(
      'every call recorded as started',
      figures.unrecorded === 0,
      `${figures.unrecorded} unrecorded calls`,
    );
    const limit = options.lagLimitMs;
    if (limit === null) return;
    const within = (lag: number | null) => lag !== null && lag < limit;
    this.check(
      `worst lag at start < ${limit / 1000} s`,
      within(figures.worstStartLagMs),
      `${figures.worstStartLagMs} ms`,
    );
    this.check(
      `worst lag at arrival < ${limit / 1000} s`,
      within(figures.worstArrivalLagMs),
      `${figures.worstArrivalLagMs} ms`,
    );
  }

  /** Every Kairos process of the case is still running (none died on its own). */
  checkAlive(nodes: KairosNode[] = this.nodes.filter((n) => !n.wasKilled)): void {
    for (const node of nodes) {
      this.check(
        `${node.name} alive throughout`,
        node.diedAt === undefined && node.alive(),
        node.diedAt === undefined
          ? `${node.liveFailures} /health/live probes unanswered`
          : `exited at +${((node.diedAt - this.zero) / 1000).toFixed(1)} s`,
      );
    }
  }

  /**
   * Runs the case's body (which returns its figures), stops everything it started, then records the
   * result, prints it, and fails the test on any failed check. A body that throws is a failed check.
   */
  async run(body: () => Promise<Figures>): Promise<void> {
    let figures: Figures = emptyFigures();
    try {
      figures = await body();
    } catch (error) {
      this.check('case ran to its end', false, (error as Error).message.split('\n')[0]);
    } finally {
      await this.cleanup();
    }
    this.finish(figures);
  }

  private finish(figures: Figures): void {
    const result: FaultResult = {
      order: this.order,
      id: this.id,
      title: this.title,
      passed: this.checks.every((c) => c.ok),
      figures,
      checks: this.checks,
      timeline: this.timeline,
      ranAt: new Date(this.began).toISOString(),
      commit: commitOfSources(),
      durationMs: Date.now() - this.began,
    };
    saveResult(result);
    console.log(renderCase(result));
    expect(this.checks.filter((c) => !c.ok)).toEqual([]);
  }
}

/** "overlap 8, misfire 2" */
function countBy(values: string[]): string {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return [...counts].map(([value, count]) => `${value} ${count}`).join(', ');
}

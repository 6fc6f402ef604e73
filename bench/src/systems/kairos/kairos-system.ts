import { Pool } from 'pg';
import { forEachRegistrationBatch } from '../for-each-chunk';
import { createDatabase, dropDatabase } from '../postgres-database';
import {
  type ExpectedFiring,
  type NamedProcess,
  type RecordedStart,
  type SchedulerUnderTest,
  type SharedServices,
} from '../scheduler-under-test';
import { type KairosProcess, startKairosProcess, stopKairosProcess } from './kairos-processes';

interface BatchItemResult {
  status: number;
  id?: string;
  position?: number;
  detail?: string;
}

/**
 * Kairos as users run it: `all-in-one` is one process with every role (what `npm start` runs, without
 * Redis); `cluster` is a projector, an API and three workers sharing buckets through Redis leases.
 * Every task's action POSTs to the receiver. Starts are read back from the event store's
 * TaskExecutionStarted events: the audit trail itself.
 */
export class KairosSystem implements SchedulerUnderTest {
  readonly name: string;
  private readonly database: string;
  private running: KairosProcess[] = [];
  private adminUrl = '';
  private receiverUrl = '';
  private pool?: Pool;
  private apiPort = 0;
  private highestPosition = 0;
  private readonly everySecondIds = new Map<string, string>();

  constructor(private readonly layout: 'all-in-one' | 'cluster') {
    this.name = layout === 'all-in-one' ? 'Kairos (all-in-one)' : 'Kairos (cluster: 3 workers)';
    this.database = `bench_kairos_${layout.replace(/-/g, '_')}_${process.pid}`;
    if (layout === 'cluster') this.killOneWorker = () => this.killWorker('worker-2');
  }

  async start(shared: SharedServices): Promise<void> {
    this.adminUrl = shared.postgresAdminUrl;
    this.receiverUrl = shared.receiverUrl;
    const databaseUrl = await createDatabase(shared.postgresAdminUrl, this.database);
    this.pool = new Pool({ connectionString: databaseUrl, max: 2 });
    // The receiver is on loopback, which http actions may reach only when named.
    const env = { DATABASE_URL: databaseUrl, KAIROS_HTTP_ALLOW: '127.0.0.1' };
    if (this.layout === 'all-in-one') {
      this.running = [await startKairosProcess('kairos', 'api,projector,worker', env)];
    } else {
      const clustered = { ...env, REDIS_URL: shared.redisUrl };
      // The projector first: it migrates the read model the others read.
      this.running = [await startKairosProcess('projector', 'projector', clustered)];
      this.running.push(
        ...(await Promise.all([
          startKairosProcess('api', 'api', clustered),
          ...[1, 2, 3].map((n) => startKairosProcess(`worker-${n}`, 'worker', clustered)),
        ])),
      );
    }
    this.apiPort = this.running.find((p) => p.name === 'kairos' || p.name === 'api')!.port;
  }

  processes(): NamedProcess[] {
    return this.running.map((p) => ({ name: p.name, pid: p.child.pid as number }));
  }

  async registerOnce(firings: ExpectedFiring[]): Promise<void> {
    await this.registerInBatches(
      firings.map((firing) => ({
        name: firing.key,
        schedule: { kind: 'once', at: new Date(firing.dueAt).toISOString() },
        action: this.callReceiver(firing.key),
      })),
    );
  }

  async registerEverySecond(taskKeys: string[]): Promise<boolean> {
    const results = await this.registerInBatches(
      taskKeys.map((key) => ({
        name: key,
        schedule: { kind: 'cron', expression: '* * * * * *', timezone: 'UTC' },
        action: this.callReceiver(key),
      })),
    );
    taskKeys.forEach((key, i) => this.everySecondIds.set(key, results[i].id as string));
    return true;
  }

  async removeEverySecond(taskKeys: string[]): Promise<void> {
    const ids = taskKeys.map((key) => this.everySecondIds.get(key));
    for (let i = 0; i < ids.length; i += 16) {
      await Promise.all(
        ids.slice(i, i + 16).map(async (id) => {
          // 409 concurrent_modification says "try again": the task kept firing while it was decided.
          for (let attempt = 1; ; attempt++) {
            const response = await fetch(`${this.api}/api/tasks/${id}`, { method: 'DELETE' });
            if (response.ok) return;
            if (response.status !== 409 || attempt === 5)
              throw new Error(`DELETE /api/tasks/${id}: ${response.status} ${await response.text()}`);
          }
        }),
      );
    }
  }

  /** The read model has projected every registration: a read with minPosition waits for it. */
  async settled(): Promise<void> {
    for (const deadline = Date.now() + 30 * 60_000; Date.now() < deadline;) {
      const response = await fetch(`${this.api}/api/stats?minPosition=${this.highestPosition}`);
      if (response.ok) return;
      if (response.status !== 503) throw new Error(`GET /api/stats: ${response.status}`);
    }
    throw new Error('the projector did not catch up within 30 minutes');
  }

  async starts(prefix: string): Promise<RecordedStart[]> {
    const { rows } = await this.pool!.query<{ name: string; due_at: string; started_at: string }>(
      `SELECT r.data->'definition'->>'name' AS name, s.data->>'dueAt' AS due_at, s.data->>'startedAt' AS started_at
         FROM event_store.events s
         JOIN event_store.events r ON r.stream_id = s.stream_id AND r.revision = 0
        WHERE s.type = 'TaskExecutionStarted' AND r.data->'definition'->>'name' LIKE $1 || '%'`,
      [prefix],
    );
    return rows.map((row) => {
      const dueAt = Date.parse(row.due_at);
      const key = this.everySecondIds.has(row.name) ? `${row.name}@${dueAt}` : row.name;
      return { key, dueAt, startedAt: Date.parse(row.started_at) };
    });
  }

  async readFirstPage(): Promise<void> {
    const response = await fetch(`${this.api}/api/tasks?limit=50`);
    if (!response.ok) throw new Error(`GET /api/tasks: ${response.status}`);
    await response.arrayBuffer();
  }

  /** Only a cluster has another worker to take a killed one's buckets over. */
  readonly killOneWorker?: () => Promise<string>;

  private async killWorker(name: string): Promise<string> {
    const victim = this.running.find((p) => p.name === name)!;
    victim.child.kill('SIGKILL');
    await victim.exited;
    return victim.name;
  }

  async stop(): Promise<void> {
    await Promise.all(this.running.map((p) => stopKairosProcess(p)));
    await this.pool?.end();
    await dropDatabase(this.adminUrl, this.database);
  }

  /**
   * An every-second task's URL names the task: its occurrences are told apart by the Kairos-Due-At
   * header, as the receiver's per-occurrence keys are.
   */
  private callReceiver(key: string) {
    return { kind: 'http', method: 'POST', url: `${this.receiverUrl}/${encodeURIComponent(key)}` };
  }

  private get api(): string {
    return `http://127.0.0.1:${this.apiPort}`;
  }

  private async registerInBatches(items: object[]): Promise<BatchItemResult[]> {
    const results = new Array<BatchItemResult>(items.length);
    await forEachRegistrationBatch(items, async (chunk, from) => {
      const response = await fetch(`${this.api}/api/tasks/batch`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ items: chunk }),
      });
      if (!response.ok) throw new Error(`POST /api/tasks/batch: ${response.status} ${await response.text()}`);
      const body = (await response.json()) as { items: BatchItemResult[] };
      body.items.forEach((item, i) => {
        if (item.status !== 201) throw new Error(`registration refused: ${JSON.stringify(item)}`);
        this.highestPosition = Math.max(this.highestPosition, item.position ?? 0);
        results[from + i] = item;
      });
    });
    return results;
  }
}

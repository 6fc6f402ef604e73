import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../test/free-port';
import { isAlive, launchNode, type Launched } from '../../test/processes';
import { sleep, waitFor, within } from '../../test/wait-for';
import type { RecordedEvent } from '../event-store/event-store';
import { PostgresEventStore } from '../event-store/postgres/postgres-event-store';
import type { TaskExecuted, TaskExecutionStarted, TaskOccurrenceSkipped } from '../tasks/domain/task.events';

/**
 * `npm run cluster` end to end: the script starts PostgreSQL, Redis, a projector, two APIs and three
 * workers as separate processes. 1,000 tasks go in through one API and come back through the other; a
 * worker is SIGKILLed while they fire; the event store shows every occurrence started exactly once and
 * within 10 s of its due time. SIGTERM then stops the script and every process it started.
 */
interface ClusterInfo {
  databaseUrl: string;
  redisUrl: string;
  apis: string[];
  processes: { name: string; role?: string; pid: number; port?: number }[];
}

const root = join(__dirname, '..', '..', '..');
const ONCE_TASKS = 995;
const CRON_TASKS = 5;
const LEEWAY_MS = 10_000;

describe('npm run cluster', () => {
  jest.setTimeout(300_000);
  let script: Launched;
  const output = (): string => script.output.join('');
  let info: ClusterInfo | undefined;
  let store: PostgresEventStore | undefined;
  const dir = mkdtempSync(join(tmpdir(), 'kairos-cluster-test-'));
  const infoFile = join(dir, 'cluster.json');

  beforeAll(async () => {
    const apiPorts = [await freePort(), await freePort()];
    script = launchNode([
      join(root, 'scripts/cluster.js'),
      '--api-ports',
      apiPorts.join(','),
      '--info-file',
      infoFile,
    ]);
    let exited = false;
    void script.exited.then(() => (exited = true));
    try {
      info = await waitFor(
        () => {
          if (exited) throw new Error('the cluster script exited');
          return existsSync(infoFile) && (JSON.parse(readFileSync(infoFile, 'utf8')) as ClusterInfo);
        },
        180_000,
        'the cluster ready',
      );
    } catch (error) {
      throw new Error(`${(error as Error).message}:\n${output().slice(-5000)}`);
    }
    store = await PostgresEventStore.connect(info.databaseUrl);
  });

  afterAll(async () => {
    await store?.close();
    const { child } = script;
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await within(script.exited, 30_000);
    }
    for (const p of info?.processes ?? []) if (isAlive(p.pid)) process.kill(p.pid, 'SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  const api = async (
    index: number,
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; body: any }> => {
    const response = await fetch(`${info!.apis[index]}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: await response.json().catch(() => undefined) };
  };

  it('registers through one API, reads through the other, survives a SIGKILLed worker, stops clean', async () => {
    const cluster = info!;
    expect(cluster.apis).toHaveLength(2);
    expect(cluster.processes.map((p) => p.name)).toEqual([
      'postgres',
      'redis',
      'projector',
      'api-1',
      'api-2',
      'worker-1',
      'worker-2',
      'worker-3',
    ]);
    expect(output()).toMatch(/^\[api-1\] /m);
    expect(output()).toMatch(/^\[worker-3\] /m);

    const members = await waitFor(
      async () => {
        const { body } = await api(0, 'GET', '/api/workers');
        const items = body.items as { pid: number; buckets: number[] }[];
        const owned = new Set(items.flatMap((w) => w.buckets));
        return items.length === 3 && owned.size === 256 && items.every((w) => w.buckets.length > 0) && items;
      },
      30_000,
      'three workers sharing the buckets',
    );
    const workerPids = cluster.processes.filter((p) => p.role === 'worker').map((p) => p.pid);
    expect(members.map((m) => m.pid).sort()).toEqual([...workerPids].sort());

    // Once tasks due over a 10 s window starting 15 s from now, and a few every-second cron tasks.
    const base = Date.now() + 15_000;
    const items = [
      ...Array.from({ length: ONCE_TASKS }, (_, i) => ({
        name: `once-${i}`,
        schedule: { kind: 'once', at: new Date(base + (i % 100) * 100).toISOString() },
        action: { kind: 'log', message: `once ${i}` },
      })),
      ...Array.from({ length: CRON_TASKS }, (_, i) => ({
        name: `cron-${i}`,
        schedule: { kind: 'cron', expression: '* * * * * *', timezone: 'UTC' },
        action: { kind: 'log', message: `tick ${i}` },
        overlap: 'allow',
      })),
    ];
    const registered = await api(0, 'POST', '/api/tasks/batch', { items });
    expect(registered.status).toBeLessThan(300);
    const results = registered.body.items as { status: number; id: string; position: number }[];
    expect(results.every((r) => r.status === 201)).toBe(true);
    expect(Date.now()).toBeLessThan(base - 3000); // registration left time before the first due
    const ids = results.map((r) => r.id);
    const minPosition = Math.max(...results.map((r) => r.position));

    // Read them back through the other API, waiting for the projector to reach the batch.
    const listed = new Set<string>();
    let cursor: string | undefined;
    do {
      const query = `minPosition=${minPosition}&limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const page = await api(1, 'GET', `/api/tasks?${query}`);
      expect(page.status).toBe(200);
      for (const item of page.body.items as { id: string }[]) listed.add(item.id);
      cursor = page.body.nextCursor ?? undefined;
    } while (cursor);
    expect(ids.every((id) => listed.has(id))).toBe(true);

    // Kill one worker in the middle of the window.
    await sleep(Math.max(0, base + 4000 - Date.now()));
    const victim = members[0].pid;
    process.kill(victim, 'SIGKILL');
    await waitFor(() => !isAlive(victim), 5000, 'the worker gone');
    // The script reports the exit from its child's 'exit' event, which may come a moment after the pid is gone.
    const exitReport = new RegExp(`worker-\\d \\(pid ${victim}\\) exited: SIGKILL`);
    await waitFor(() => exitReport.test(output()), 5000, 'the script reporting the killed worker');

    // Past the last due time plus the leeway, every once task has started exactly once, in time.
    await sleep(Math.max(0, base + 10_000 + LEEWAY_MS + 2000 - Date.now()));
    const events: RecordedEvent[] = [];
    for (let after = 0; ;) {
      const page = await store!.readAll({ after, maxCount: 5000 });
      if (page.length === 0) break;
      events.push(...page);
      after = page[page.length - 1].position;
    }
    const starts = new Map<string, TaskExecutionStarted['data'][]>();
    const skips = new Map<string, TaskOccurrenceSkipped['data'][]>();
    const lost = new Set<string>(); // `${id}:${occurrence}:${attempt}` closed as lost
    for (const event of events) {
      const id = event.streamId.replace(/^task-/, '');
      const executed = event.data as TaskExecuted['data'];
      if (event.type === 'TaskExecuted' && executed.outcome === 'lost')
        lost.add(`${id}:${executed.occurrence}:${executed.attempt}`);
      if (event.type === 'TaskExecutionStarted')
        starts.set(id, [...(starts.get(id) ?? []), event.data as TaskExecutionStarted['data']]);
      if (event.type === 'TaskOccurrenceSkipped')
        skips.set(id, [...(skips.get(id) ?? []), event.data as TaskOccurrenceSkipped['data']]);
    }

    const late: string[] = [];
    const check = (id: string, list: TaskExecutionStarted['data'][]): void => {
      const occurrences = list.map((s) => s.occurrence);
      expect(new Set(occurrences).size).toBe(occurrences.length); // never twice
      for (const start of list) {
        const delay = Date.parse(start.startedAt) - Date.parse(start.dueAt);
        if (delay >= LEEWAY_MS) late.push(`${id} #${start.occurrence}: ${delay} ms`);
      }
    };
    // A second attempt only where the killed worker started one and died before its outcome (at least
    // once for what it had in flight: a cron task's run too), and that attempt was closed as lost.
    const checkRetries = (id: string, list: TaskExecutionStarted['data'][]): void => {
      const startedBy = new Map(list.map((s) => [`${s.occurrence}:${s.attempt}`, s.workerId]));
      for (const retry of list.filter((s) => s.attempt > 1)) {
        const before = `${retry.occurrence}:${retry.attempt - 1}`;
        expect([id, before, startedBy.get(before)?.includes(`-${victim}-`)]).toEqual([id, before, true]);
        expect(lost.has(`${id}:${before}`)).toBe(true);
      }
    };
    for (const id of ids.slice(0, ONCE_TASKS)) {
      const list = starts.get(id) ?? [];
      const first = list.filter((s) => s.attempt === 1);
      expect([id, first.length]).toEqual([id, 1]); // started once
      expect(skips.get(id)).toBeUndefined();
      check(id, first);
      checkRetries(id, list);
    }
    for (const id of ids.slice(ONCE_TASKS)) {
      const list = starts.get(id) ?? [];
      const first = list.filter((s) => s.attempt === 1);
      expect(first.length).toBeGreaterThan(15); // every second for ~25 s
      check(id, first);
      checkRetries(id, list);
    }
    expect(late).toEqual([]);
    // The survivors took over: occurrences due after the kill were started by the other workers.
    const afterKill = [...starts.values()].flat().filter((s) => Date.parse(s.dueAt) > base + 8000);
    expect(afterKill.length).toBeGreaterThan(0);
    expect(afterKill.every((s) => !s.workerId.includes(`-${victim}-`))).toBe(true);

    // SIGTERM stops the script and everything it started.
    await store!.close();
    store = undefined;
    script.child.kill('SIGTERM');
    const exit = await within(script.exited, 45_000);
    expect(exit).toMatchObject({ code: 0 });
    expect(output()).toContain('[cluster] stopped');
    const left = cluster.processes.filter((p) => isAlive(p.pid)).map((p) => p.name);
    expect(left).toEqual([]);
  });
});

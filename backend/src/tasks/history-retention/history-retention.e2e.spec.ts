import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import type { RecordedEvent } from '../../event-store/event-store';
import { readStreamInPages } from '../../event-store/read-in-pages';
import { ifMatchEdits, writeLongHistory } from '../../../test/long-history';
import { startTestApp, type TestApp } from '../../../test/test-app';
import { sleep, waitFor } from '../../../test/wait-for';
import { HistoryRetentionSweeper } from './history-retention.sweeper';
import { ReadModelRetentionCandidates } from './retention-candidates';

/**
 * Retention (ADR 012) on a task with a long history, with a worker firing it: a sweep with a short
 * retention cuts the stream, and then the events page, time travel, the executions, commands with and
 * without the snapshot row, and firing all answer from what is kept.
 */
describe('history retention on a task with a long history', () => {
  jest.setTimeout(120_000);
  const RETENTION_MS = 60_000;
  let api: TestApp;
  let readModel: Pool;
  const taskId = randomUUID();
  const stream = `task-${taskId}`;
  let renamedAt: number;
  let cut: number;
  let marker: RecordedEvent;

  const row = async () =>
    (
      await readModel.query<{ revision: string }>(
        'SELECT revision FROM read_model.tasks WHERE task_id = $1',
        [taskId],
      )
    ).rows[0];
  const kept = async (): Promise<RecordedEvent[]> => {
    const events: RecordedEvent[] = [];
    for await (const event of readStreamInPages(api.store, stream)) events.push(event);
    return events;
  };

  beforeAll(async () => {
    // Retention configured (an hour: nothing here is that old) boots the sweeper beside the projector.
    api = await startTestApp({ KAIROS_HISTORY_RETENTION: '1h' }, { roles: 'api,projector,worker' });
    readModel = new Pool({ connectionString: api.databaseUrl, max: 2 });
    // 3 events a cycle, appended 1,500 at a time: each chunk shares one recordedAt.
    const { revision: head } = await writeLongHistory(api.store, taskId, 2000, {
      renameAt: 300,
      chunk: 1500,
    });
    const events = await api.store.readStream(stream, { fromRevision: 0, maxCount: 4000 });
    renamedAt = events.find((event) => event.type === 'TaskUpdated')!.revision;
    // Everything recorded before the third chunk may go.
    const olderThan = new Date(events.find((event) => event.revision === 3000)!.recordedAt.getTime());
    await waitFor(async () => Number((await row())?.revision) >= head, 60_000, 'the projector at the head');

    const sweeper = new HistoryRetentionSweeper(
      api.store,
      new ReadModelRetentionCandidates(readModel),
      RETENTION_MS,
    );
    // The worker fires the task every second meanwhile: a sweep that loses the race tries again.
    for (let attempt = 0; attempt < 20 && !(await api.store.readStreamBase(stream)); attempt++) {
      await sweeper.sweep(new Date(olderThan.getTime() + RETENTION_MS));
    }
    const base = await api.store.readStreamBase(stream);
    expect(base).toBeDefined();
    cut = base!.revision;
    [marker] = await api.store.readStream(stream, { fromRevision: cut + 1, types: ['TaskHistoryTruncated'] });
    await waitFor(
      async () => Number((await row())?.revision) >= marker.revision,
      20_000,
      'the marker projected',
    );
  });
  afterAll(async () => {
    await readModel.end();
    await api.close();
  });

  it('cuts at the last revision before the cutoff with no run in progress, recorded by a marker', () => {
    expect(cut).toBeGreaterThan(renamedAt);
    expect(cut).toBeLessThan(3000);
    expect(marker.data).toMatchObject({ throughRevision: cut });
  });

  it('pages only what is kept and says where the kept history starts', async () => {
    const asc = await api.request('GET', `/api/tasks/${taskId}/events?order=asc&limit=3`);
    expect(asc.status).toBe(200);
    expect((asc.body.items as { revision: number }[]).map((e) => e.revision)).toEqual([
      cut + 1,
      cut + 2,
      cut + 3,
    ]);
    expect(asc.body.historyStartsAt).toEqual({ revision: cut + 1, truncatedAt: expect.any(String) });
    const typed = await api.request('GET', `/api/tasks/${taskId}/events?order=asc&type=TaskHistoryTruncated`);
    expect((typed.body.items as { revision: number }[])[0]?.revision).toBe(marker.revision);
  });

  it('answers as-of from the base and 410 before it, naming the field', async () => {
    const before = await api.request('GET', `/api/tasks/${taskId}?asOf=0`);
    expect(before.status).toBe(410);
    expect(before.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(before.body).toMatchObject({ code: 'history_removed', field: 'asOf' });
    expect(before.body.detail).toMatch(new RegExp(`before revision ${cut} .*removed by retention on`));
    const atBase = await api.request('GET', `/api/tasks/${taskId}?asOf=${cut}`);
    expect(atBase.status).toBe(200);
    expect(atBase.body).toMatchObject({ revision: cut });
    expect((await api.request('GET', `/api/tasks/${taskId}?asOf=${cut + 1}`)).status).toBe(200);
    const base = (await api.store.readStreamBase(stream))!.base as { recordedAt: string };
    const justBefore = new Date(Date.parse(base.recordedAt) - 1).toISOString();
    const byInstant = await api.request('GET', `/api/tasks/${taskId}?asOf=${justBefore}`);
    expect(byInstant.status).toBe(410);
    const atInstant = await api.request('GET', `/api/tasks/${taskId}?asOf=${base.recordedAt}`);
    expect(atInstant.status).toBe(200);
    expect(atInstant.body.revision).toBeGreaterThanOrEqual(cut);
    const diff = await api.request('GET', `/api/tasks/${taskId}/diff?from=10&to=${cut + 1}`);
    expect(diff.status).toBe(410);
    expect(diff.body.field).toBe('from');
  });

  it('drops exactly the executions that were cut', async () => {
    const events = (await kept()).filter((event) => event.revision < marker.revision);
    const started = events
      .filter((event) => event.type === 'TaskExecutionStarted')
      .map((event) => (event.data as { occurrence: number }).occurrence);
    const { rows } = await readModel.query<{ occurrence: number; position: string }>(
      'SELECT occurrence, position FROM read_model.executions WHERE task_id = $1 ORDER BY occurrence',
      [taskId],
    );
    const { throughPosition } = marker.data as { throughPosition: number };
    expect(rows.filter((r) => Number(r.position) <= throughPosition)).toEqual([]);
    expect(rows[0].occurrence).toBe(started[0]);
    expect(rows.map((r) => r.occurrence).filter((o) => o <= started.at(-1)!)).toEqual(started);
  });

  it('keeps firing once per occurrence after the cut', async () => {
    const startsAfter = async () =>
      (await kept()).filter((e) => e.revision > marker.revision && e.type === 'TaskExecutionStarted');
    await waitFor(async () => (await startsAfter()).length >= 3, 20_000, 'three firings after the cut');
    const keys = (await kept())
      .filter((e) => e.type === 'TaskExecutionStarted')
      .map((e) =>
        JSON.stringify([
          (e.data as { occurrence: number }).occurrence,
          (e.data as { attempt: number }).attempt,
        ]),
      );
    expect(new Set(keys).size).toBe(keys.length);
  });

  const edits = (lastChange: number, current: number) => ifMatchEdits(api, taskId, lastChange, current);

  it('decides commands the same with the snapshot row and, from the base, without it', async () => {
    // The last change by a person (the rename) was cut: the base remembers its revision for If-Match.
    const current = Number((await row()).revision);
    const first = await edits(renamedAt, current);
    expect(first.statuses).toEqual([412, 200, 412]);

    await waitFor(async () => Number((await row())?.revision) >= first.revision, 10_000, 'projected');
    await readModel.query('DELETE FROM read_model.tasks WHERE task_id = $1', [taskId]);
    const second = await edits(first.revision, first.revision);
    expect(second.statuses).toEqual([412, 200, 412]);
    const pause = await api.request('POST', `/api/tasks/${taskId}/pause`);
    expect(pause.status).toBe(200);
    await sleep(50);
    const resume = await api.request('POST', `/api/tasks/${taskId}/resume`);
    expect(resume.status).toBe(200);
    const tail = await api.store.readStream(stream, { fromRevision: second.revision + 1 });
    expect(tail.map((event) => event.type)).toEqual(expect.arrayContaining(['TaskPaused', 'TaskResumed']));
  });
});

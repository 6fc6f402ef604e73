import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { ifMatchEdits, writeLongHistory } from '../../test/long-history';
import { startTestApp, type TestApp } from '../../test/test-app';
import { waitFor } from '../../test/wait-for';

/**
 * A task with a long history, through the public API, with its snapshot (the read model's row, ADR 011)
 * and after the snapshot is dropped: every answer the same.
 */
describe('commands on a task with a long history', () => {
  jest.setTimeout(90_000);
  let api: TestApp;
  let readModel: Pool;
  const taskId = randomUUID();
  let head: number;
  let renamedAt: number;

  beforeAll(async () => {
    api = await startTestApp({}, { roles: 'api,projector' });
    readModel = new Pool({ connectionString: api.databaseUrl, max: 2 });
    ({ revision: head } = await writeLongHistory(api.store, taskId, 3000, { renameAt: 1000 }));
    const events = await api.store.readStream(`task-${taskId}`, { fromRevision: 0 });
    renamedAt = events.find((event) => event.type === 'TaskUpdated')!.revision;
    await waitFor(async () => (await row())?.revision === String(head), 60_000, 'the projector at the head');
  });
  afterAll(async () => {
    await readModel.end();
    await api.close();
  });

  const row = async () =>
    (
      await readModel.query<{ revision: string; changed_revision: string | null }>(
        'SELECT revision, changed_revision FROM read_model.tasks WHERE task_id = $1',
        [taskId],
      )
    ).rows[0];

  const edits = (lastChange: number, current: number) => ifMatchEdits(api, taskId, lastChange, current);

  it('knows the last change by a person from its snapshot', async () => {
    expect(await row()).toEqual({ revision: String(head), changed_revision: String(renamedAt) });
  });

  it('answers the same with the snapshot, without knowing the last change, and without the row', async () => {
    const first = await edits(renamedAt, head);
    expect(first.statuses).toEqual([412, 200, 412]);
    await waitFor(async () => (await row())?.revision === String(first.revision), 10_000, 'projected');

    // Rows from before ADR 011 do not know the last change by a person: the command folds the stream.
    await readModel.query('UPDATE read_model.tasks SET changed_revision = NULL WHERE task_id = $1', [taskId]);
    const second = await edits(first.revision, first.revision);
    expect(second.statuses).toEqual([412, 200, 412]);

    // No row at all: commands still work, from the whole stream.
    await waitFor(async () => (await row())?.revision === String(second.revision), 10_000, 'projected');
    await readModel.query('DELETE FROM read_model.tasks WHERE task_id = $1', [taskId]);
    const third = await edits(second.revision, second.revision);
    expect(third.statuses).toEqual([412, 200, 412]);
    const pause = await api.request('POST', `/api/tasks/${taskId}/pause`);
    expect(pause.status).toBe(200);
    const events = await api.store.readStream(`task-${taskId}`, { fromRevision: third.revision + 1 });
    expect(events.map((event) => event.type)).toEqual(['TaskPaused']);
  });
});

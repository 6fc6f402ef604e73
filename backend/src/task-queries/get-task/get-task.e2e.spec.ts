import { randomUUID } from 'node:crypto';
import { ProjectorService } from '../../projections/projector/projector.module';
import { TaskRepository } from '../../tasks/task-repository';
import { SystemClock } from '../../tasks/clock';
import { toTaskView } from '../../tasks/get-task/task-view';
import { type QueryTestApp, startQueryTestApp } from '../test/query-test-app';

const task = (name: string) => ({
  name,
  schedule: { kind: 'cron', expression: '0 */5 * * * *', timezone: 'Europe/Berlin' },
  action: { kind: 'log', message: 'hi' },
});

describe('GET /api/tasks/{id} from the read model', () => {
  let api: QueryTestApp;
  beforeAll(async () => {
    api = await startQueryTestApp();
  });
  afterAll(() => api.close());

  it('reads its own writes with ?minPosition=, every time', async () => {
    for (let i = 0; i < 20; i++) {
      const created = await api.request('POST', '/api/tasks', task(`ryw-${i}`));
      expect(created.status).toBe(201);
      const read = await api.request(
        'GET',
        `/api/tasks/${created.body.id}?minPosition=${created.body.position}`,
      );
      expect(read.status).toBe(200);
      expect(read.body).toMatchObject({
        id: created.body.id,
        name: `ryw-${i}`,
        revision: created.body.revision,
      });
      expect(read.headers.get('etag')).toBe(`"${created.body.revision}"`);
    }
    const { body: created } = await api.request('POST', '/api/tasks', task('edited'));
    const patched = await api.request('PATCH', `/api/tasks/${created.id}`, { name: 'edited-2' });
    const read = await api.request('GET', `/api/tasks/${created.id}?minPosition=${patched.body.position}`);
    expect(read.body).toMatchObject({ name: 'edited-2', revision: patched.body.revision });
  });

  it('shows the same view as folding the stream: definition, next occurrences, last execution', async () => {
    const { body: created } = await api.request('POST', '/api/tasks', task('same-view'));
    const paused = await api.request('POST', `/api/tasks/${created.id}/trigger`);
    const read = await api.request('GET', `/api/tasks/${created.id}?minPosition=${paused.body.position}`);
    const { state, revision } = await new TaskRepository(api.store, new SystemClock()).load(created.id);
    if (state.status === 'none') throw new Error('not registered');
    expect(read.body).toEqual(JSON.parse(JSON.stringify(toTaskView(created.id, state, revision))));
    expect(read.body.nextOccurrences).toHaveLength(5);
  });

  it('answers 503 with Retry-After when the read model cannot reach minPosition in time', async () => {
    const head = await api.store.headPosition();
    const started = Date.now();
    const response = await api.request('GET', `/api/tasks/${randomUUID()}?minPosition=${head + 1_000_000}`);
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('1');
    expect(response.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(response.body).toMatchObject({ code: 'read_model_behind', minPosition: head + 1_000_000 });
    expect(Date.now() - started).toBeLessThan(1000); // beyond the log's head: no use waiting
  });

  it('waits while the projector is behind, and answers once it catches up', async () => {
    const projector = api.app.get(ProjectorService);
    await projector.onModuleDestroy(); // the projector stops for a moment
    const { body: created } = await api.request('POST', '/api/tasks', task('late'));
    const started = Date.now();
    const timedOut = await api.request('GET', `/api/tasks/${created.id}?minPosition=${created.position}`);
    expect(timedOut).toMatchObject({ status: 503, body: { code: 'read_model_behind' } });
    expect(Date.now() - started).toBeGreaterThanOrEqual(4900); // the bounded wait
    const reading = api.request('GET', `/api/tasks/${created.id}?minPosition=${created.position}`);
    await new Promise((resolve) => setTimeout(resolve, 300));
    projector.onApplicationBootstrap();
    const read = await reading;
    expect(read.status).toBe(200);
    expect(read.body.name).toBe('late');
  });

  it('answers 404 for an unknown task and 400 for bad parameters, naming them', async () => {
    expect((await api.request('GET', `/api/tasks/${randomUUID()}`)).status).toBe(404);
    const badId = await api.request('GET', '/api/tasks/nope');
    expect(badId).toMatchObject({ status: 400, body: { field: 'id' } });
    for (const query of ['minPosition=-1', 'minPosition=soon', 'minPosition=1.5']) {
      const response = await api.request('GET', `/api/tasks/${randomUUID()}?${query}`);
      expect(response).toMatchObject({
        status: 400,
        body: { code: 'validation_failed', field: 'minPosition' },
      });
    }
    const unknown = await api.request('GET', `/api/tasks/${randomUUID()}?colour=red`);
    expect(unknown).toMatchObject({ status: 400, body: { field: 'colour' } });
  });
});

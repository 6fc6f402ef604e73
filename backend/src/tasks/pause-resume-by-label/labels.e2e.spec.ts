import { type QueryTestApp, startQueryTestApp } from '../../task-queries/test/query-test-app';
import { taskStreamId } from '../domain/task.events';

/** Labels: validated on the definition, a list filter (all given must hold), bulk pause and resume. */
describe('task labels', () => {
  let api: QueryTestApp;
  const ids: Record<'billingProd' | 'billingProd2' | 'billing' | 'none', string> = {
    billingProd: '',
    billingProd2: '',
    billing: '',
    none: '',
  };
  let position = 0;

  const task = (name: string, labels?: Record<string, string>) => ({
    name,
    schedule: { kind: 'interval', everySeconds: 3600 },
    action: { kind: 'log', message: 'x' },
    ...(labels && { labels }),
  });

  beforeAll(async () => {
    api = await startQueryTestApp();
    const batch = await api.request('POST', '/api/tasks/batch', {
      items: [
        task('a', { team: 'billing', env: 'prod' }),
        task('b', { team: 'billing', env: 'prod' }),
        task('c', { team: 'billing' }),
        task('d'),
      ],
    });
    const items = batch.body.items as { id: string; position: number }[];
    [ids.billingProd, ids.billingProd2, ids.billing, ids.none] = items.map((item) => item.id);
    position = Math.max(...items.map((item) => item.position));
  });
  afterAll(() => api.close());

  const listed = async (query: string): Promise<string[]> => {
    const page = await api.request('GET', `/api/tasks?minPosition=${position}&${query}`);
    expect(page.status).toBe(200);
    return (page.body.items as { id: string }[]).map((item) => item.id).sort();
  };

  it('returns exactly the tasks carrying every label asked for', async () => {
    expect(await listed('label=team:billing')).toEqual(
      [ids.billingProd, ids.billingProd2, ids.billing].sort(),
    );
    expect(await listed('label=team:billing&label=env:prod')).toEqual(
      [ids.billingProd, ids.billingProd2].sort(),
    );
    expect(await listed('label=team:billing,env:prod')).toEqual([ids.billingProd, ids.billingProd2].sort());
    expect(await listed('label=team:payments')).toEqual([]);
  });

  it('shows the labels in the list and on the task', async () => {
    const page = await api.request('GET', `/api/tasks?minPosition=${position}&label=env:prod`);
    expect(page.body.items[0].labels).toEqual({ team: 'billing', env: 'prod' });
    const task = await api.request('GET', `/api/tasks/${ids.billing}?minPosition=${position}`);
    expect(task.body.labels).toEqual({ team: 'billing' });
  });

  it('refuses bad labels and bad filters, naming them', async () => {
    const bad = await api.request('POST', '/api/tasks', task('bad', { 'no spaces': 'x', env: 'pro d' }));
    expect(bad.status).toBe(400);
    expect((bad.body.errors as { field: string }[]).map((e) => e.field).sort()).toEqual([
      'labels.env',
      'labels.no spaces',
    ]);
    const filter = await api.request('GET', '/api/tasks?label=team');
    expect(filter.status).toBe(400);
    expect(filter.body.field).toBe('label[0]');
    const unfiltered = await api.request('POST', '/api/tasks/pause');
    expect(unfiltered.status).toBe(400);
    expect(unfiltered.body.field).toBe('label');
  });

  it('pauses and resumes every matching task, answering how many changed', async () => {
    const pause = await api.request('POST', '/api/tasks/pause?label=team:billing');
    expect(pause.status).toBe(200);
    expect(pause.body).toEqual({ matched: 3, changed: 3 });
    expect((await api.request('POST', '/api/tasks/pause?label=team:billing')).body).toEqual({
      matched: 3,
      changed: 0,
    });
    const last = async (id: string) => (await api.store.readStream(taskStreamId(id))).at(-1)!.type;
    expect(await last(ids.billing)).toBe('TaskPaused');
    expect(await last(ids.none)).not.toBe('TaskPaused');

    const resume = await api.request('POST', '/api/tasks/resume?label=team:billing&label=env:prod');
    expect(resume.body).toEqual({ matched: 2, changed: 2 });
    expect(await last(ids.billingProd)).not.toBe('TaskPaused');
    expect(await last(ids.billing)).toBe('TaskPaused');
  });

  it('replaces labels on PATCH, and an empty set removes them', async () => {
    const relabelled = await api.request('PATCH', `/api/tasks/${ids.none}`, { labels: { team: 'ops' } });
    expect(relabelled.status).toBe(200);
    const cleared = await api.request('PATCH', `/api/tasks/${ids.none}`, { labels: {} });
    const task = await api.request('GET', `/api/tasks/${ids.none}?minPosition=${cleared.body.position}`);
    expect(task.body.labels).toBeUndefined();
    position = cleared.body.position;
    expect(await listed('label=team:ops')).toEqual([]);
  });
});

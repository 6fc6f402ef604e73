import { randomUUID } from 'node:crypto';
import { startTestApp, type TestApp } from '../../../test/test-app';
import { Foreground } from '../../runtime/foreground';
import { taskStreamId } from '../domain/task.events';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Looks at `foreground` every turn of the event loop; sawBusy says whether it was ever busy. */
function watchBusy(foreground: Foreground) {
  let seen = false;
  let watching = true;
  const look = (): void => {
    if (!watching) return;
    seen ||= foreground.busy();
    setImmediate(look);
  };
  look();
  return {
    /** Stops looking, after up to `graceMs` more while not yet seen busy. */
    async sawBusy(graceMs: number): Promise<boolean> {
      for (const until = Date.now() + graceMs; !seen && Date.now() < until;) await sleep(5);
      watching = false;
      return seen;
    },
  };
}

describe('batch registration over HTTP', () => {
  let api: TestApp;
  beforeAll(async () => {
    api = await startTestApp();
  });
  afterAll(() => api.close());

  const task = (name: string) => ({
    name,
    schedule: { kind: 'interval', everySeconds: 60 },
    action: { kind: 'log', message: name },
  });

  it('answers per item, in request order, for mixed valid, invalid and existing items', async () => {
    const existingId = randomUUID();
    await api.request('PUT', `/api/tasks/${existingId}`, { body: task('existing') });
    const conflictingId = randomUUID();
    await api.request('PUT', `/api/tasks/${conflictingId}`, { body: task('conflicting') });
    const chosenId = randomUUID();

    const response = await api.request('POST', '/api/tasks/batch', {
      body: {
        items: [
          task('a'),
          { ...task('b'), schedule: { kind: 'cron', expression: 'nope', timezone: 'UTC' } },
          { ...task('existing'), id: existingId },
          { ...task('different'), id: conflictingId },
          { ...task('chosen'), id: chosenId },
          'not an object',
          { ...task('c'), extra: true },
        ],
      },
    });
    expect(response.status).toBe(200);
    const items = response.body.items;
    expect(items.map((i: { status: number }) => i.status)).toEqual([201, 400, 200, 409, 201, 400, 400]);
    expect(items[1].errors.map((e: { field: string }) => e.field)).toContain('items[1].schedule.expression');
    expect(items[3].code).toBe('task_already_exists');
    expect(items[4].id).toBe(chosenId);
    expect(items[5].field).toBe('items[5]');
    expect(items[6].field).toBe('items[6].extra');
    const stored = await api.store.readStream(taskStreamId(items[0].id));
    expect(stored.map((e) => e.type)).toEqual(['TaskRegistered']);
    expect(stored[0].data).toMatchObject({ definition: { name: 'a' } });
    // Its first occurrence is in the registration (ADR 021): one interval after it registered.
    const { registeredAt, firstOccurrence } = stored[0].data as {
      registeredAt: string;
      firstOccurrence: { dueAt: string };
    };
    expect(Date.parse(firstOccurrence.dueAt) - Date.parse(registeredAt)).toBe(60_000);
    expect(items[0].revision).toBe(0);
    expect(items[0].position).toBe(stored[0].position);
  });

  it('is foreground work while it runs: a projector in the same process lets it go first', async () => {
    const foreground = api.app.get(Foreground);
    const items = Array.from({ length: 500 }, (_, i) => task(`bulk-${i}`));
    const watch = watchBusy(foreground);
    const response = await api.request('POST', '/api/tasks/batch', { body: { items } });
    expect(response.status).toBe(200);
    expect(await watch.sawBusy(0)).toBe(true);
    expect(foreground.busy()).toBe(false);
  });

  it('is foreground work for a projector in another process too: it hears the count (PostgreSQL NOTIFY)', async () => {
    const projector = await startTestApp({}, { roles: 'projector', databaseUrl: api.databaseUrl });
    try {
      const foreground = projector.app.get(Foreground);
      const items = Array.from({ length: 1000 }, (_, i) => task(`other-${i}`));
      const watch = watchBusy(foreground);
      const response = await api.request('POST', '/api/tasks/batch', { body: { items } });
      expect(response.status).toBe(200);
      expect(await watch.sawBusy(500)).toBe(true); // heard a moment after the API's own count
      for (const until = Date.now() + 2000; foreground.busy() && Date.now() < until;) await sleep(5);
      expect(foreground.busy()).toBe(false); // the count back at 0 was heard too
    } finally {
      await projector.close();
    }
  });

  it('refuses what the schema does not name, keeps a body as sent, and pollutes nothing', async () => {
    // A key no schema names is refused, `constructor` included; null is not an absent field; an http
    // body is the client's data, `__proto__` keys and all, and is never merged into an object.
    const withBody = JSON.parse(
      '{"name":"proto-body","schedule":{"kind":"interval","everySeconds":60},' +
        '"action":{"kind":"http","url":"https://example.com/hook","body":{"__proto__":{"polluted":true},"n":1}}}',
    ) as Record<string, unknown>;
    const withConstructor = JSON.parse(
      '{"name":"c","constructor":{"x":1},"schedule":{"kind":"interval","everySeconds":60},' +
        '"action":{"kind":"log","message":"m"}}',
    ) as Record<string, unknown>;
    const response = await api.request('POST', '/api/tasks/batch', {
      body: { items: [withBody, withConstructor, { ...task('null id'), id: null }] },
    });
    expect(response.status).toBe(200);
    const [body, constructor, nullId] = response.body.items;
    expect([body.status, constructor.status, nullId.status]).toEqual([201, 400, 400]);
    expect(constructor.errors).toEqual([{ field: 'items[1].constructor', reason: 'is not a known field' }]);
    expect(nullId.errors).toEqual([{ field: 'items[2].id', reason: 'must be a string' }]);
    const [registered] = await api.store.readStream(taskStreamId(body.id));
    const action = (registered.data as { definition: { action: { body: object } } }).definition.action;
    expect(Object.keys(action.body)).toEqual(['__proto__', 'n']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();

    const extraKey = await api.request('POST', '/api/tasks/batch', { body: { items: [task('x')], more: 1 } });
    expect(extraKey.status).toBe(400);
    expect(extraKey.body.field).toBe('more');
    const notAList = await api.request('POST', '/api/tasks/batch', { body: { items: 'x' } });
    expect(notAList.status).toBe(400);
    expect(notAList.body.field).toBe('items');
  });

  it('registers 1,000 tasks in one call', async () => {
    const items = Array.from({ length: 1000 }, (_, i) => task(`bulk-${i}`));
    const response = await api.request('POST', '/api/tasks/batch', { body: { items } });
    expect(response.status).toBe(200);
    expect(response.body.items.filter((i: { status: number }) => i.status === 201)).toHaveLength(1000);
    const ids = new Set(response.body.items.map((i: { id: string }) => i.id));
    expect(ids.size).toBe(1000);
  });

  it('refuses more than 1,000 items and an empty batch', async () => {
    const tooMany = await api.request('POST', '/api/tasks/batch', {
      body: { items: Array.from({ length: 1001 }, (_, i) => task(`t${i}`)) },
    });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.field).toBe('items');
    const empty = await api.request('POST', '/api/tasks/batch', { body: { items: [] } });
    expect(empty.status).toBe(400);
  });
});

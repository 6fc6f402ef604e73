import { PostgresEventStore } from '../../event-store/postgres/postgres-event-store';
import { Foreground } from '../../runtime/foreground';
import { createTestDatabase } from '../../../test/test-database';
import { liveBatches } from './live-batches';

describe('the live projector’s batches', () => {
  let store: PostgresEventStore;
  const abort = new AbortController();

  beforeAll(async () => {
    store = await PostgresEventStore.connect(await createTestDatabase('live_batches'));
  });
  afterAll(async () => {
    abort.abort();
    await store.close();
  });

  /** The batches of a live projector from the log's head. */
  const fromHead = async (yieldTo?: Foreground, settleMs?: number) =>
    liveBatches({
      store,
      after: await store.headPosition(),
      signal: abort.signal,
      batchSize: 500,
      maxBatchSize: 2000,
      yieldTo,
      settleMs,
    });

  it('lets a burst that wakes an idle projector go out first', async () => {
    const foreground = new Foreground();
    let backlog = 0;
    foreground.add(() => backlog);
    const batches = await fromHead(foreground);
    let taken: number | undefined;
    // Idle: nothing to project and nothing in the foreground when it starts waiting.
    const batch = batches.next(() => false).then((events) => (taken = events?.length));
    await new Promise((resolve) => setTimeout(resolve, 100));

    backlog = 1000; // a burst: its calls are going out...
    await store.append('task-burst', [{ type: 'Started', data: {} }], 'no_stream'); // ...its starts on record
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(taken).toBeUndefined(); // the starts woke the projector, which waits for the calls

    backlog = 0;
    await batch;
    expect(taken).toBe(1);
    batches.close();
  });

  it('projects an event after a quiet spell at once, and commits in close succession together', async () => {
    // A settle time far above a loaded machine's delays between the commits below.
    const batches = await fromHead(undefined, 500);
    const streams = async () => (await batches.next(() => false))?.map((event) => event.streamId);
    const quiet = streams();
    await new Promise((resolve) => setTimeout(resolve, 600)); // idle for longer than the settle time
    const appended = Date.now();
    await store.append('task-quiet', [{ type: 'Started', data: {} }], 'no_stream');
    expect(await quiet).toEqual(['task-quiet']);
    expect(Date.now() - appended).toBeLessThan(450); // not held for the settle time
    const busy = streams();
    for (let i = 0; i < 3; i++) {
      // One commit each, a few milliseconds apart, as a cluster's workers append.
      await store.append(`task-gathered-${i}`, [{ type: 'Started', data: {} }], 'no_stream');
      await new Promise((resolve) => setTimeout(resolve, 3));
    }
    expect(await busy).toEqual(['task-gathered-0', 'task-gathered-1', 'task-gathered-2']);
    batches.close();
  });
});

import type { EventStore, StreamAppend } from './event-store';
import { WriteHealthTracking, writeTroubleOf } from './write-health';

const diskFull = Object.assign(new Error('could not extend file: No space left on device'), {
  code: '53100',
});

/** A store whose appends do what `next` says; only appends matter here. */
function storeFailingWith(next: { error?: Error }): EventStore {
  return {
    appendMany: async (appends: StreamAppend[]) => {
      if (next.error) throw next.error;
      return appends.map((a) => ({ streamId: a.streamId, ok: true as const, nextRevision: 0, position: 1 }));
    },
  } as unknown as EventStore;
}

describe('WriteHealthTracking', () => {
  const append: StreamAppend = { streamId: 's', events: [{ type: 'T', data: {} }], expectedRevision: 'any' };

  it('reports a passing append failure until an append succeeds', async () => {
    const next: { error?: Error } = { error: diskFull };
    const store = new WriteHealthTracking(storeFailingWith(next));
    expect(writeTroubleOf(store)).toBeUndefined();
    await expect(store.appendMany([append])).rejects.toThrow('No space left');
    expect(writeTroubleOf(store)).toContain('No space left on device');
    next.error = undefined;
    await store.appendMany([append]);
    expect(writeTroubleOf(store)).toBeUndefined();
  });

  it('forgets a failure after 10 s without another, and ignores failures that are not the store’s', async () => {
    let now = 0;
    const next: { error?: Error } = { error: diskFull };
    const store = new WriteHealthTracking(storeFailingWith(next), () => now);
    await expect(store.appendMany([append])).rejects.toThrow();
    now = 9_000;
    expect(store.writeTrouble()).toBeDefined();
    now = 10_001;
    expect(store.writeTrouble()).toBeUndefined();
    next.error = new TypeError('a bug');
    await expect(store.appendMany([append])).rejects.toThrow('a bug');
    expect(store.writeTrouble()).toBeUndefined();
  });
});

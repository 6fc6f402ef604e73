import { type BatchAppendResult, type StreamAppend, WrongExpectedRevisionError } from '../event-store';
import { AppendCoalescer } from './append-coalescer';

/**
 * The coalescer against a fake appendMany whose calls the test completes by hand, so which appends
 * share a batch is decided by the order of events alone, never by timing.
 */
function harness(maxInFlight = 1, maxBatch = 1000) {
  const calls: { appends: StreamAppend[]; finish: (fail?: Error) => void }[] = [];
  let position = 0;
  const appendMany = (appends: StreamAppend[]) =>
    new Promise<BatchAppendResult[]>((resolve, reject) => {
      calls.push({
        appends,
        finish: (fail) => {
          if (fail) return reject(fail);
          resolve(
            appends.map(({ streamId, expectedRevision }) =>
              expectedRevision === 'no_stream' || expectedRevision === 'any'
                ? { streamId, ok: true, nextRevision: 0, position: ++position }
                : {
                    streamId,
                    ok: false,
                    error: new WrongExpectedRevisionError(streamId, expectedRevision, 0),
                  },
            ),
          );
        },
      });
    });
  const coalescer = new AppendCoalescer(appendMany, maxInFlight, maxBatch);
  const append = (streamId: string, expectedRevision: StreamAppend['expectedRevision'] = 'no_stream') =>
    coalescer.append({ streamId, events: [{ type: 'T', data: {} }], expectedRevision });
  const streamsOf = (call: number) => calls[call].appends.map((a) => a.streamId);
  /** Lets the settled batch's callbacks run (promise jobs only, no timers). */
  const settle = () => new Promise((resolve) => setImmediate(resolve));
  return { calls, append, streamsOf, settle };
}

describe('AppendCoalescer', () => {
  it('sends a lone append at once, and what arrives meanwhile as one batch after it', async () => {
    const { calls, append, streamsOf, settle } = harness();
    const first = append('a');
    expect(streamsOf(0)).toEqual(['a']);
    const rest = [append('b'), append('c'), append('d')];
    expect(calls).toHaveLength(1);
    calls[0].finish();
    await expect(first).resolves.toEqual({ nextRevision: 0, position: 1 });
    await settle();
    expect(streamsOf(1)).toEqual(['b', 'c', 'd']);
    calls[1].finish();
    expect((await Promise.all(rest)).map((r) => r.position)).toEqual([2, 3, 4]);
  });

  it('puts two appends to one stream in different batches, in call order', async () => {
    const { calls, append, streamsOf, settle } = harness();
    void append('x');
    const queued = [append('a', 'any'), append('b'), append('a', 'any'), append('c'), append('a', 'any')];
    calls[0].finish();
    await settle();
    expect(streamsOf(1)).toEqual(['a', 'b', 'c']);
    calls[1].finish();
    await settle();
    expect(streamsOf(2)).toEqual(['a']);
    calls[2].finish();
    await settle();
    expect(streamsOf(3)).toEqual(['a']);
    calls[3].finish();
    await expect(Promise.all(queued)).resolves.toHaveLength(5);
  });

  it('keeps an append to a stream of a batch in flight for a later batch, with two in flight', async () => {
    const { calls, append, streamsOf, settle } = harness(2);
    void append('a');
    void append('b');
    void append('a');
    void append('c');
    expect(calls.map((_, i) => streamsOf(i))).toEqual([['a'], ['b']]);
    calls[1].finish();
    await settle();
    expect(streamsOf(2)).toEqual(['c']); // 'a' is still in flight
    calls[0].finish();
    await settle();
    expect(streamsOf(3)).toEqual(['a']);
  });

  it('refuses only the caller whose expected revision is wrong', async () => {
    const { calls, append, settle } = harness();
    void append('x');
    const [ok1, wrong, ok2] = [append('a'), append('b', 3), append('c')];
    calls[0].finish();
    await settle();
    calls[1].finish();
    await expect(ok1).resolves.toMatchObject({ nextRevision: 0 });
    await expect(wrong).rejects.toBeInstanceOf(WrongExpectedRevisionError);
    await expect(wrong).rejects.toMatchObject({ streamId: 'b', expected: 3 });
    await expect(ok2).resolves.toMatchObject({ nextRevision: 0 });
  });

  it('rejects every caller of a batch that fails as a whole, and goes on with the next batch', async () => {
    const { calls, append, streamsOf, settle } = harness();
    void append('x');
    const batch = [append('a'), append('b')];
    calls[0].finish();
    await settle();
    const after = append('c');
    const broken = new Error('connection terminated');
    calls[1].finish(broken);
    for (const caller of batch) await expect(caller).rejects.toBe(broken);
    await settle();
    expect(streamsOf(2)).toEqual(['c']);
    calls[2].finish();
    await expect(after).resolves.toMatchObject({ nextRevision: 0 });
  });

  it('bounds a batch at maxBatch appends', async () => {
    const { calls, append, streamsOf, settle } = harness(1, 2);
    void append('x');
    for (const stream of ['a', 'b', 'c', 'd', 'e']) void append(stream);
    calls[0].finish();
    await settle();
    expect(streamsOf(1)).toEqual(['a', 'b']);
    calls[1].finish();
    await settle();
    expect(streamsOf(2)).toEqual(['c', 'd']);
  });
});

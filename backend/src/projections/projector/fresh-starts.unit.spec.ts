import type { RecordedEvent } from '../../event-store/event-store';
import { FreshStarts } from './fresh-starts';

const NOW = Date.parse('2026-12-02T08:00:00.000Z');
const start = (startedAt: number, type = 'TaskExecutionStarted'): RecordedEvent =>
  ({ type, data: { startedAt: new Date(startedAt).toISOString() } }) as unknown as RecordedEvent;
const many = (count: number, event: RecordedEvent) => Array.from({ length: count }, () => event);

describe('fresh starts (a burst the workers are still delivering)', () => {
  it('holds the projector after a batch with a burst of starts recorded moments ago', async () => {
    let now = NOW;
    const starts = new FreshStarts(() => now);
    starts.observe(many(500, start(NOW - 200)));
    let done = false;
    const held = starts.yield(10_000).then(() => (done = true));
    await new Promise((resolve) => setTimeout(resolve, 120));
    expect(done).toBe(false);
    now = NOW + 3001; // the hold is 3 s
    await held;
    expect(done).toBe(true);
  });

  it('does not hold for a few starts, for old starts (a catch-up, a rebuild) or other events', async () => {
    const starts = new FreshStarts(() => NOW);
    starts.observe(many(499, start(NOW - 200)));
    starts.observe(many(5000, start(NOW - 60_000)));
    starts.observe(many(5000, start(NOW - 200, 'TaskExecuted')));
    const before = performance.now();
    await starts.yield(10_000);
    expect(performance.now() - before).toBeLessThan(50);
  });

  it('holds no longer than asked, and not once aborted', async () => {
    const starts = new FreshStarts();
    starts.observe(many(500, start(Date.now())));
    const before = performance.now();
    await starts.yield(100);
    expect(performance.now() - before).toBeLessThan(1000);
    const aborted = AbortSignal.abort();
    const again = performance.now();
    await starts.yield(10_000, aborted);
    expect(performance.now() - again).toBeLessThan(50);
  });
});

import { Foreground } from './foreground';

describe('foreground work', () => {
  it('is busy while its sources together hold more than 64 items', () => {
    const foreground = new Foreground();
    let executions = 40;
    let firings = 20;
    foreground.add(() => executions);
    const remove = foreground.add(() => firings);
    expect(foreground.busy()).toBe(false);
    firings = 30;
    expect(foreground.busy()).toBe(true);
    remove();
    expect(foreground.busy()).toBe(false);
    executions = 65;
    expect(foreground.busy()).toBe(true);
  });

  it('counts every source, bulk registrations as much as a worker’s backlog', () => {
    const foreground = new Foreground();
    let registering = 1000;
    const remove = foreground.add(() => registering);
    foreground.add(() => 5);
    expect(foreground.count()).toBe(1005);
    expect(foreground.busy()).toBe(true); // the projector waits while a bulk registration runs
    registering = 0;
    expect(foreground.busy()).toBe(false);
    remove();
    remove(); // removing twice changes nothing
    expect(foreground.count()).toBe(5);
  });

  it('lets background work wait until it is no longer busy', async () => {
    const foreground = new Foreground();
    let backlog = 100;
    foreground.add(() => backlog);
    let resumed = false;
    const waiting = foreground.yield(10_000).then(() => (resumed = true));
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(resumed).toBe(false);
    backlog = 0;
    await waiting;
    expect(resumed).toBe(true);
  });

  it('makes background work wait no longer than it asks', async () => {
    const foreground = new Foreground();
    foreground.add(() => 1000);
    const started = Date.now();
    await foreground.yield(50);
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
    expect(foreground.busy()).toBe(true);
  });
});

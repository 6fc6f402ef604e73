import { percentile } from '../firing-stats';
import { collect, leadMs, registerAhead, sleep, type Workload } from './workload';
import { farAhead } from './w4-registration';

/**
 * W5: a million tasks registered far ahead (W4's among them) plus a steady 200 due per second: the
 * lag must not grow with what waits, and the task list must stay fast while it runs.
 */
export const million: Workload = {
  id: 'W5',
  title: 'scale: tasks registered far ahead plus a steady due rate',
  async run(system, sizes, context) {
    const more = farAhead('ahead-', sizes.registrations, sizes.ahead - sizes.registrations);
    const started = performance.now();
    await system.registerOnce(more);
    const registeredMs = performance.now() - started;
    await system.settled();
    const fireableMs = performance.now() - started;

    const count = sizes.dueRate * sizes.dueSeconds;
    const start = Date.now() + leadMs(count, sizes, context);
    const firings = Array.from({ length: count }, (_, i) => ({
      key: `w5-${i}`,
      dueAt: start + Math.floor((i * 1000) / sizes.dueRate),
    }));
    await registerAhead(system, firings);

    const pageMs: number[] = [];
    await sleep(start - Date.now());
    while (Date.now() < start + sizes.dueSeconds * 1000) {
      const t = performance.now();
      await system.readFirstPage();
      pageMs.push(performance.now() - t);
      await sleep(500);
    }
    pageMs.sort((a, b) => a - b);
    return {
      ...(await collect(system, context.receiver, 'w5-', firings, sizes.graceMs)),
      registeredPerSecond: (more.length / registeredMs) * 1000,
      fireablePerSecond: (more.length / fireableMs) * 1000,
      firstPageMs: {
        p50: percentile(pageMs, 0.5),
        p95: percentile(pageMs, 0.95),
        max: pageMs[pageMs.length - 1],
      },
    };
  },
};

import { collect, leadMs, registerAhead, type Workload } from './workload';

/** W2: one-time tasks due evenly over a minute (500/s in full): the lag of a steady load. */
export const steady: Workload = {
  id: 'W2',
  title: 'steady: one-time tasks due evenly over time',
  async run(system, sizes, context) {
    const start = Date.now() + leadMs(sizes.steady, sizes, context);
    const spacingMs = (sizes.steadySeconds * 1000) / sizes.steady;
    const firings = Array.from({ length: sizes.steady }, (_, i) => ({
      key: `w2-${i}`,
      dueAt: start + Math.floor(i * spacingMs),
    }));
    await registerAhead(system, firings);
    return collect(system, context.receiver, 'w2-', firings, sizes.graceMs);
  },
};

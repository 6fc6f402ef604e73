import { collect, leadMs, registerAhead, type Workload } from './workload';

/** W1: many one-time tasks due at one instant; what counts is how long after it the last one arrives. */
export const burst: Workload = {
  id: 'W1',
  title: 'burst: one-time tasks due at one instant',
  async run(system, sizes, context) {
    const dueAt = Date.now() + leadMs(sizes.burst, sizes, context);
    const firings = Array.from({ length: sizes.burst }, (_, i) => ({ key: `w1-${i}`, dueAt }));
    await registerAhead(system, firings);
    return collect(system, context.receiver, 'w1-', firings, sizes.graceMs);
  },
};

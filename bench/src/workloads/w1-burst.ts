import { type FiringAtArrivalAndStart } from '../firing-stats';
import { type BenchSizes } from '../bench-sizes';
import { type SchedulerUnderTest } from '../systems/scheduler-under-test';
import { collect, leadMs, registerAhead, type RunContext, type Workload } from './workload';

/**
 * W1: many one-time tasks due at one instant; what counts is how long after it the last one arrives.
 * The burst runs twice. The first is the process's first firing, its code still cold: on a fresh
 * Kairos V8's background threads (compiling the firing and delivery paths) took about 0.4 s more CPU
 * than in the same burst a second time, and the last call arrived 0.3-0.5 s later. A scheduler runs
 * for days, so the second burst is the headline, for every system alike; the first is reported
 * beside it as `cold`.
 */
export const burst: Workload = {
  id: 'W1',
  title: 'burst: one-time tasks due at one instant',
  async run(system, sizes, context) {
    const cold = await burstOnce(system, sizes, context, 'w1cold-');
    return { ...(await burstOnce(system, sizes, context, 'w1-')), cold };
  },
};

async function burstOnce(
  system: SchedulerUnderTest,
  sizes: BenchSizes,
  context: RunContext,
  prefix: string,
): Promise<FiringAtArrivalAndStart> {
  const dueAt = Date.now() + leadMs(sizes.burst, sizes, context);
  const firings = Array.from({ length: sizes.burst }, (_, i) => ({ key: `${prefix}${i}`, dueAt }));
  await registerAhead(system, firings);
  return collect(system, context.receiver, prefix, firings, sizes.graceMs);
}

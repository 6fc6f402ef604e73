import { collect, leadMs, registerAhead, sleep, type Workload } from './workload';

/**
 * W6: a worker SIGKILLed under a steady load. Its buckets must fire again within 10 s (the lease
 * runs out and another worker takes them), and nothing may be lost or fired twice.
 */
export const failover: Workload = {
  id: 'W6',
  title: 'failover: one worker SIGKILLed under a steady due rate',
  async run(system, sizes, context) {
    if (!system.killOneWorker) return { unsupported: 'not run: one worker process' };
    const seconds = sizes.failoverSeconds;
    const count = sizes.dueRate * seconds;
    const start = Date.now() + leadMs(count, sizes, context);
    const firings = Array.from({ length: count }, (_, i) => ({
      key: `w6-${i}`,
      dueAt: start + Math.floor((i * 1000) / sizes.dueRate),
    }));
    await registerAhead(system, firings);
    await sleep(start + (seconds * 1000) / 3 - Date.now());
    const killed = await system.killOneWorker();
    return { ...(await collect(system, context.receiver, 'w6-', firings, sizes.graceMs + 10_000)), killed };
  },
};

import { type Workload } from './workload';

const YEAR_MS = 365 * 24 * 3600_000;

/** Tasks due far ahead (a year out, a millisecond apart), named `${prefix}${i}`: registered, never fired. */
export function farAhead(prefix: string, from: number, count: number) {
  const base = Date.now() + YEAR_MS;
  return Array.from({ length: count }, (_, i) => ({ key: `${prefix}${from + i}`, dueAt: base + from + i }));
}

/** W4: the registration rate through each system's bulk call; also until fireable, where that differs. */
export const registration: Workload = {
  id: 'W4',
  title: 'registration: bulk, tasks due far ahead',
  async run(system, sizes, context) {
    const firings = farAhead('ahead-', 0, sizes.registrations);
    const started = performance.now();
    await system.registerOnce(firings);
    const registeredMs = performance.now() - started;
    await system.settled();
    const fireableMs = performance.now() - started;
    context.fireablePerSecond = (sizes.registrations / fireableMs) * 1000;
    return {
      registeredPerSecond: (sizes.registrations / registeredMs) * 1000,
      fireablePerSecond: context.fireablePerSecond,
    };
  },
};

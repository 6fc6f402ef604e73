import { collect, leadMs, sleep, type Workload } from './workload';

/** W3: tasks on a cron firing every second; every occurrence in the window must arrive, once. */
export const cron: Workload = {
  id: 'W3',
  title: 'cron: tasks firing every second',
  async run(system, sizes, context) {
    const keys = Array.from({ length: sizes.cronTasks }, (_, i) => `w3-${i}`);
    if (!(await system.registerEverySecond(keys))) {
      return { unsupported: 'cannot schedule below a minute' };
    }
    await system.settled();
    // The window opens on a whole second, once registration and the first firings have settled.
    const windowStart = Math.ceil((Date.now() + leadMs(sizes.cronTasks, sizes, context)) / 1000) * 1000;
    const expected = keys.flatMap((key) =>
      Array.from({ length: sizes.cronSeconds }, (_, s) => {
        const dueAt = windowStart + s * 1000;
        return { key: `${key}@${dueAt}`, dueAt };
      }),
    );
    const firing = await collect(system, context.receiver, 'w3-', expected, sizes.graceMs, true);
    await system.removeEverySecond(keys);
    await sleep(1000); // let the last occurrences of the removed schedules drain
    return firing;
  },
};

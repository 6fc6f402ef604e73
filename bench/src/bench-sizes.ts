/** How big each workload is: `full` is design section 8's definition, `quick` a smoke run of minutes. */
export interface BenchSizes {
  mode: 'quick' | 'full';
  /** W1: one-time tasks due at one instant. */
  burst: number;
  /** W2: one-time tasks spread evenly over `steadySeconds`. */
  steady: number;
  steadySeconds: number;
  /** W3: tasks firing every second, for `cronSeconds`. */
  cronTasks: number;
  cronSeconds: number;
  /** W4: tasks registered far ahead, timed. */
  registrations: number;
  /** W5: tasks registered far ahead in all (W4's count among them), plus `dueRate` due per second. */
  ahead: number;
  dueRate: number;
  dueSeconds: number;
  /** W6: how long the steady `dueRate` runs; one worker is killed a third of the way in. */
  failoverSeconds: number;
  /** The least time between registering and the first due time: the systems get ready in it. */
  leadMs: number;
  /**
   * How long after the last due time a firing may still start or arrive before it counts as missed
   * (longer while firings are still coming: see collect()).
   */
  graceMs: number;
}

export const SIZES: Record<BenchSizes['mode'], BenchSizes> = {
  full: {
    mode: 'full',
    burst: 10_000,
    steady: 30_000,
    steadySeconds: 60,
    cronTasks: 1_000,
    cronSeconds: 30,
    registrations: 100_000,
    ahead: 1_000_000,
    dueRate: 200,
    dueSeconds: 60,
    failoverSeconds: 45,
    leadMs: 3000,
    graceMs: 10_000,
  },
  quick: {
    mode: 'quick',
    burst: 2_000,
    steady: 1_500,
    steadySeconds: 3,
    cronTasks: 100,
    cronSeconds: 3,
    registrations: 5_000,
    ahead: 10_000,
    dueRate: 200,
    dueSeconds: 3,
    failoverSeconds: 6,
    leadMs: 2000,
    graceMs: 2_000,
  },
};

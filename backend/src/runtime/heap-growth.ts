import { setFlagsFromString } from 'node:v8';

/**
 * How far V8 lets the heap grow past what survived its last full collection. Left to itself it allows
 * up to 4× while collections are fast, so the all-in-one process, whose heap holds 70-85 MiB at rest,
 * reached 400 MiB of RSS while a million tasks were registered (W5): garbage of bulk requests waiting
 * for a major collection. At 2× (`--heap-growing-percent=100`) it peaked at 261-280 MiB, for about 5 %
 * of the bulk registration rate (W4, two runs each: 44,902-45,145 -> 41,509-43,196 tasks/s), firing lag
 * within its run-to-run range. Unlike a heap limit, it cannot make a process run out of memory.
 */
const HEAP_GROWING_PERCENT = 100;

/** The flag to set, unless node was given one (on its command line or in NODE_OPTIONS): that one wins. */
export function heapGrowthFlag(execArgv: readonly string[], nodeOptions = ''): string | undefined {
  const given = [...execArgv, ...nodeOptions.split(/\s+/)].some((arg) =>
    arg.startsWith('--heap-growing-percent'),
  );
  return given ? undefined : `--heap-growing-percent=${HEAP_GROWING_PERCENT}`;
}

/** Applies HEAP_GROWING_PERCENT to this process (V8 reads it at every full collection). */
export function limitHeapGrowth(): void {
  const flag = heapGrowthFlag(process.execArgv, process.env.NODE_OPTIONS);
  if (flag) setFlagsFromString(flag);
}

import { setFlagsFromString } from 'node:v8';

/**
 * How far V8 lets the heap grow past what survived its last full collection. Left to itself it allows
 * up to 4× while collections are fast, so the all-in-one process, whose heap holds 60-75 MiB at rest,
 * reached 400 MiB of RSS while a million tasks were registered (W5): garbage of bulk requests waiting
 * for a major collection. At 2× (`--heap-growing-percent=100`) it peaked at 261-280 MiB, for about 5 %
 * of the bulk registration rate. With firing and delivery in the same process the peak was 310-319 MiB
 * again (W4, W1 then W5): a heap snapshot in W5's registration held 62 MiB live of 140-190 MiB in use.
 * At 1.5× it peaked at 267-292 MiB (W4 49,163 against 50,000 tasks/s, W5's registration 41,958
 * against 42,793, W1 unchanged). Unlike a heap limit, it cannot make a process run out of memory.
 */
const HEAP_GROWING_PERCENT = 50;

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

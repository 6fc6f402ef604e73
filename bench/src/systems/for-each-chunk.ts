/**
 * Runs `work` over `items` in chunks of `size`, `inFlight` chunks at a time, in order of the chunks;
 * `from` is the chunk's first index in `items`.
 */
export async function forEachChunk<T>(
  items: readonly T[],
  size: number,
  inFlight: number,
  work: (chunk: T[], from: number) => Promise<unknown>,
): Promise<void> {
  let next = 0;
  const lane = async () => {
    for (let from = next; from < items.length; from = next) {
      next += size;
      await work(items.slice(from, from + size), from);
    }
  };
  await Promise.all(Array.from({ length: inFlight }, lane));
}

/**
 * How every system registers in bulk, so that they are compared on equal terms: 1000 tasks or jobs a
 * call, 4 calls in flight (what bench:register found best for Kairos).
 */
export function forEachRegistrationBatch<T>(
  items: readonly T[],
  work: (chunk: T[], from: number) => Promise<unknown>,
): Promise<void> {
  return forEachChunk(items, 1000, 4, work);
}

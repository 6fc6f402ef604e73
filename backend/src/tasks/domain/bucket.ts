/**
 * Which bucket a task belongs to. Recorded in TaskRegistered and never recomputed, so the hash may
 * change in a later version without moving existing tasks; the bucket count is set once per cluster.
 */

export const DEFAULT_BUCKET_COUNT = 256;

const FNV_OFFSET_BASIS = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** FNV-1a (32-bit) over the UTF-16 code units of the id, modulo the bucket count. */
export function bucketOf(taskId: string, bucketCount: number = DEFAULT_BUCKET_COUNT): number {
  if (!Number.isSafeInteger(bucketCount) || bucketCount < 1) {
    throw new RangeError(`bucketCount must be a positive integer, got ${bucketCount}`);
  }
  let hash = FNV_OFFSET_BASIS;
  for (let i = 0; i < taskId.length; i++) {
    hash ^= taskId.charCodeAt(i);
    hash = Math.imul(hash, FNV_PRIME) >>> 0;
  }
  return hash % bucketCount;
}

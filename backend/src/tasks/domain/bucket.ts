/**
 * Which bucket a task belongs to. Recorded in TaskRegistered and never recomputed, so the hash may
 * change in a later version without moving existing tasks; the bucket count is set once per cluster.
 */
import { fnv1a } from './hash';

export const DEFAULT_BUCKET_COUNT = 256;

/** FNV-1a (32-bit) over the UTF-16 code units of the id, modulo the bucket count. */
export function bucketOf(taskId: string, bucketCount: number = DEFAULT_BUCKET_COUNT): number {
  if (!Number.isSafeInteger(bucketCount) || bucketCount < 1) {
    throw new RangeError(`bucketCount must be a positive integer, got ${bucketCount}`);
  }
  return fnv1a(taskId) % bucketCount;
}

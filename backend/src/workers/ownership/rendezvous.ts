import { mixedHash } from '../../tasks/domain/hash';

/**
 * Rendezvous (highest random weight) hashing: each bucket goes to the worker with the highest score
 * for the pair (worker, bucket). Every worker computes the same answer from the same member list, and
 * when a worker joins or leaves only the buckets it wins or loses move (about 1/n of them).
 */
export function assignBuckets(workerIds: readonly string[], bucketCount: number): Map<string, number[]> {
  const assignment = new Map<string, number[]>(workerIds.map((id) => [id, []]));
  if (workerIds.length === 0) return assignment;
  for (let bucket = 0; bucket < bucketCount; bucket++) {
    assignment.get(ownerOf(workerIds, bucket))?.push(bucket);
  }
  return assignment;
}

export function ownerOf(workerIds: readonly string[], bucket: number): string {
  let best = workerIds[0];
  let bestScore = -1;
  for (const id of workerIds) {
    const score = weight(id, bucket);
    if (score > bestScore || (score === bestScore && id < best)) {
      best = id;
      bestScore = score;
    }
  }
  return best;
}

/** A well-mixed 32-bit score of the pair. */
function weight(workerId: string, bucket: number): number {
  return mixedHash(`${workerId}#${bucket}`);
}

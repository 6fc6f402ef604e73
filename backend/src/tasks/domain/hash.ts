/** Stable 32-bit hashes of text: the same on every process and replay (buckets, jitter, rendezvous). */

/** FNV-1a (32-bit) over the UTF-16 code units of the text, unsigned. */
export function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/**
 * FNV-1a, then murmur3's finalizer: texts that differ in one character land far apart over the whole
 * 32-bit range (plain FNV-1a keeps neighbours close in its low bits).
 */
export function mixedHash(text: string): number {
  let hash = fnv1a(text);
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return hash >>> 0;
}

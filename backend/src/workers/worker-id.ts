import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';

/** Unique per process start: a restarted worker is a new member, never mistaken for its old self. */
export function newWorkerId(): string {
  return `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
}

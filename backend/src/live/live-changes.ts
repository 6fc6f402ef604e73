import type { KairosConfig } from '../config/config';
import type { EventStore } from '../event-store/event-store';
import type { ChangeSource } from './change';
import { EventLogChanges } from './event-log-changes';

export const LIVE_CHANGES = Symbol('LiveChanges');

/** Where this process hears changes, if it publishes them at all. */
export interface LiveChanges {
  source: ChangeSource | null;
  start(): void;
  stop(): void;
}

/**
 * Picks this process's change source. Every API process has the projections' ChangeFeed (changes
 * already in the read model); the event log is the fallback when the projections module is absent.
 * - Without Redis, each process publishes its own changes to its own clients.
 * - With Redis, the Redis adapter carries every message to the clients of every replica, so only the
 *   projector's process publishes: one publisher per change, never N copies from N replicas.
 */
export function chooseLiveChanges(
  config: KairosConfig,
  store: EventStore,
  changeFeed: ChangeSource | undefined,
): LiveChanges {
  if (config.redisUrl && !config.roles.includes('projector')) {
    return { source: null, start: () => {}, stop: () => {} };
  }
  if (changeFeed) return { source: changeFeed, start: () => {}, stop: () => {} };
  const fromLog = new EventLogChanges(store);
  return {
    source: fromLog,
    start: () => void fromLog.start().catch(() => fromLog.stop()),
    stop: () => fromLog.stop(),
  };
}

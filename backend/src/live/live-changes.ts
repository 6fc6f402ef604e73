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
 * already in the read model, heard from PostgreSQL or Redis); the event log is the fallback when the
 * projections module is absent. Each replica sends its own feed to its own clients only: a change
 * reaches every replica through the feed already, so nothing is broadcast between them.
 */
export function chooseLiveChanges(store: EventStore, changeFeed: ChangeSource | undefined): LiveChanges {
  if (changeFeed) return { source: changeFeed, start: () => {}, stop: () => {} };
  const fromLog = new EventLogChanges(store);
  return {
    source: fromLog,
    start: () => void fromLog.start().catch(() => fromLog.stop()),
    stop: () => fromLog.stop(),
  };
}

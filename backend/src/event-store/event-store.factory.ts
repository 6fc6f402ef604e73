import type { EventStore } from './event-store';
import { EventStoreDbEventStore } from './eventstoredb/eventstoredb-event-store';
import { PostgresEventStore } from './postgres/postgres-event-store';
import { WriteHealthTracking } from './write-health';

/**
 * EventStoreDB when EVENTSTORE_URL is set (deployments), else our PostgreSQL store (embedded default);
 * either way tracking whether appends fail, for readiness.
 */
export async function openEventStore(options: {
  eventStoreUrl?: string;
  databaseUrl: string;
}): Promise<EventStore> {
  const store = options.eventStoreUrl
    ? new EventStoreDbEventStore(options.eventStoreUrl)
    : await PostgresEventStore.connect(options.databaseUrl);
  return new WriteHealthTracking(store);
}

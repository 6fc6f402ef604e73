import type { EventStore } from './event-store';
import { EventStoreDbEventStore } from './eventstoredb/eventstoredb-event-store';
import { PostgresEventStore } from './postgres/postgres-event-store';

/** EventStoreDB when EVENTSTORE_URL is set (deployments), else our PostgreSQL store (embedded default). */
export async function openEventStore(options: {
  eventStoreUrl?: string;
  databaseUrl: string;
}): Promise<EventStore> {
  if (options.eventStoreUrl) return new EventStoreDbEventStore(options.eventStoreUrl);
  return PostgresEventStore.connect(options.databaseUrl);
}

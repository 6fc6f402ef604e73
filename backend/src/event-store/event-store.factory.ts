import type { EventStore } from './event-store';
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
    ? openEventStoreDb(options.eventStoreUrl)
    : await PostgresEventStore.connect(options.databaseUrl);
  return new WriteHealthTracking(store);
}

/**
 * Loaded only when asked for: the EventStoreDB client (gRPC and its generated protobuf code) held 6 MiB
 * of the heap of every process that never used it, and the heap's growth limit doubles that.
 */
function openEventStoreDb(url: string): EventStore {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on demand in this CommonJS build
  const { EventStoreDbEventStore } = require('./eventstoredb/eventstoredb-event-store') as EventStoreDbModule;
  return new EventStoreDbEventStore(url);
}

type EventStoreDbModule = typeof import('./eventstoredb/eventstoredb-event-store');

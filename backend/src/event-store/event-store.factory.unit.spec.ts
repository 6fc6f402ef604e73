import { openEventStore } from './event-store.factory';
import type { EventStoreDbEventStore } from './eventstoredb/eventstoredb-event-store';
import { WriteHealthTracking } from './write-health';

// Counts the loads of the real EventStoreDB adapter (jest runs a module factory when it is first required).
let mockLoads = 0;
jest.mock('./eventstoredb/eventstoredb-event-store', () => {
  mockLoads += 1;
  return jest.requireActual('./eventstoredb/eventstoredb-event-store');
});

describe('openEventStore', () => {
  it('loads the EventStoreDB client only when given its URL (the client connects on first use)', async () => {
    expect(mockLoads).toBe(0);
    const store = await openEventStore({ eventStoreUrl: 'esdb://127.0.0.1:2113?tls=false', databaseUrl: '' });
    expect(mockLoads).toBe(1);
    const { EventStoreDbEventStore: Adapter } = jest.requireActual<{
      EventStoreDbEventStore: typeof EventStoreDbEventStore;
    }>('./eventstoredb/eventstoredb-event-store');
    expect(store).toBeInstanceOf(WriteHealthTracking);
    expect((store as WriteHealthTracking).inner).toBeInstanceOf(Adapter);
    await store.close();
  });
});

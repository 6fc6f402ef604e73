import { eventStoreContract } from '../event-store.contract';
import { EventStoreDbEventStore } from './eventstoredb-event-store';

// EventStoreDB cannot run on every machine (it needs Docker): the same contract suite runs against it
// whenever EVENTSTORE_URL is set, e.g. after `docker compose up -d --wait eventstore`.
const url = process.env.EVENTSTORE_URL;
if (url) {
  eventStoreContract('EventStoreDB', async () => new EventStoreDbEventStore(url));
} else {
  describe('EventStoreDB event store contract', () => {
    // Skipped here: no EventStoreDB can run on these machines (no Docker); see the note on issue 3.
    it.skip('runs when EVENTSTORE_URL is set', () => undefined);
  });
}

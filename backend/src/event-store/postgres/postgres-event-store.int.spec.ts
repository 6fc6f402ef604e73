import { createTestDatabase } from '../../../test/test-database';
import { eventStoreContract } from '../event-store.contract';
import { PostgresEventStore } from './postgres-event-store';

eventStoreContract('PostgreSQL', async () =>
  PostgresEventStore.connect(await createTestDatabase('event_store')),
);

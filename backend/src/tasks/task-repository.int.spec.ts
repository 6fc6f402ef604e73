import { createTestDatabase } from '../../test/test-database';
import { EventStoreDbEventStore } from '../event-store/eventstoredb/eventstoredb-event-store';
import { PostgresEventStore } from '../event-store/postgres/postgres-event-store';
import { taskRetentionContract } from './history-retention/task-retention.contract';
import { taskSnapshotContract } from './task-repository.contract';

describe('PostgreSQL event store', () => {
  taskSnapshotContract(async () => PostgresEventStore.connect(await createTestDatabase('task_snapshots')));
  taskRetentionContract(async () => PostgresEventStore.connect(await createTestDatabase('task_retention')));
});

// EventStoreDB cannot run here (no Docker): the same contract runs whenever EVENTSTORE_URL is set.
const esdb = process.env.EVENTSTORE_URL;
(esdb ? describe : describe.skip)('EventStoreDB event store', () => {
  taskSnapshotContract(async () => new EventStoreDbEventStore(esdb ?? ''));
  taskRetentionContract(async () => new EventStoreDbEventStore(esdb ?? ''));
});

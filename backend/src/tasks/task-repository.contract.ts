import { randomUUID } from 'node:crypto';
import { writeLongHistory } from '../../test/long-history';
import type { EventStore } from '../event-store/event-store';
import { CHANGES_BY_PEOPLE, assertTaskEvent, taskStreamId } from './domain/task.events';
import { evolve, initialTaskState } from './domain/task.state';
import { SystemClock } from './clock';
import { TaskRepository } from './task-repository';
import type { TaskSnapshot, TaskSnapshotSource } from './task-snapshots';

/**
 * Snapshots are a cache (ADR 011): on any event store, a command that starts from a snapshot at any
 * revision and reads the rest from the store's tail must load the same task and take the same If-Match
 * decision as one that folds the whole stream, also when the snapshot does not know the last change by
 * a person. Run by each store's spec (EventStoreDB where EVENTSTORE_URL is set).
 */
export function taskSnapshotContract(openStore: () => Promise<EventStore>): void {
  describe('commands on a long history, from a snapshot and the tail', () => {
    let store: EventStore;
    const taskId = randomUUID();
    let head: number;
    let renamedAt: number;
    const snapshots = new Map<number, TaskSnapshot>(); // revision -> the task folded up to it

    beforeAll(async () => {
      store = await openStore();
      ({ revision: head } = await writeLongHistory(store, taskId, 1000, { chunk: 700, renameAt: 400 }));
      let snapshot: TaskSnapshot = {
        state: initialTaskState,
        revision: -1,
        position: 0,
        changedRevision: -1,
      };
      for (const event of await store.readStream(taskStreamId(taskId))) {
        snapshot = {
          state: evolve(snapshot.state, assertTaskEvent(event.type, event.data)),
          revision: event.revision,
          position: event.position,
          changedRevision: CHANGES_BY_PEOPLE.has(event.type) ? event.revision : snapshot.changedRevision,
        };
        snapshots.set(event.revision, snapshot);
      }
      renamedAt = snapshots.get(head)!.changedRevision!;
    }, 60_000);
    afterAll(() => store.close());

    const repositoryFrom = (snapshot: TaskSnapshot | undefined): TaskRepository => {
      const source: TaskSnapshotSource = { read: async () => snapshot };
      return new TaskRepository(store, new SystemClock(), undefined, source);
    };
    const atRevisions = () => [0, 1, renamedAt - 1, renamedAt, renamedAt + 1, head - 7, head];

    it('has a history long enough to matter, with a change by a person in the middle', () => {
      expect(head).toBeGreaterThan(3000);
      expect(renamedAt).toBeGreaterThan(1000);
      expect(renamedAt).toBeLessThan(head - 1000);
    });

    it('loads the same task from any snapshot, or none, as from the whole stream', async () => {
      const whole = await repositoryFrom(undefined).load(taskId);
      expect(whole.revision).toBe(head);
      for (const revision of atRevisions()) {
        const snapshot = snapshots.get(revision)!;
        expect(await repositoryFrom(snapshot).load(taskId)).toEqual(whole);
        const unknown = await repositoryFrom({ ...snapshot, changedRevision: null }).load(taskId);
        expect({ ...unknown, changedRevision: whole.changedRevision }).toEqual(whole);
      }
    });

    it('takes the same If-Match decision from any snapshot, knowing the last change by a person or not', async () => {
      const decision = async (repository: TaskRepository, ifMatch: number): Promise<number | string> => {
        // Renaming to the current name decides nothing, so nothing is appended: only If-Match can refuse.
        const state = snapshots.get(head)!.state;
        const name = state.status === 'none' ? '' : state.definition.name;
        try {
          const result = await repository.execute(
            { type: 'UpdateTask', data: { taskId, changes: { name } } },
            { ifMatch },
          );
          return result.revision;
        } catch (error) {
          return (error as { code?: string }).code ?? String(error);
        }
      };
      const seen = [renamedAt - 1, renamedAt, head - 1, head, head + 1];
      const expected = await Promise.all(seen.map((ifMatch) => decision(repositoryFrom(undefined), ifMatch)));
      expect(expected).toEqual(['revision_mismatch', head, head, head, 'revision_mismatch']);
      for (const revision of atRevisions()) {
        const snapshot = snapshots.get(revision)!;
        for (const from of [snapshot, { ...snapshot, changedRevision: null }]) {
          const repository = repositoryFrom(from);
          expect(await Promise.all(seen.map((ifMatch) => decision(repository, ifMatch)))).toEqual(expected);
        }
      }
    });
  });
}

import { randomUUID } from 'node:crypto';
import { writeLongHistory } from '../../../test/long-history';
import type { EventStore } from '../../event-store/event-store';
import { assertTaskEvent, CHANGES_BY_PEOPLE, taskStreamId } from '../domain/task.events';
import { evolve, initialTaskState } from '../domain/task.state';
import { SystemClock } from '../clock';
import { TaskRepository } from '../task-repository';
import type { TaskSnapshot } from '../task-snapshots';
import { foldTaskStream } from '../task-stream-fold';
import { truncateTaskHistory } from './truncate-task-history';

/**
 * Retention on any event store (ADR 012): after a cut, a fold from the beginning, from a stale
 * snapshot before the cut, or by a command without any snapshot gives the task a fold of the whole
 * stream gave. Run by each store's spec (EventStoreDB where EVENTSTORE_URL is set).
 */
export function taskRetentionContract(openStore: () => Promise<EventStore>): void {
  describe('a task whose history retention cut', () => {
    let store: EventStore;
    const taskId = randomUUID();
    const stream = taskStreamId(taskId);
    const folded = new Map<number, TaskSnapshot>(); // revision -> the whole stream folded up to it
    let head: number;
    let renamedAt: number;
    let cut: number;
    let secondAppend: number; // the first revision of the second append

    beforeAll(async () => {
      store = await openStore();
      ({ revision: head } = await writeLongHistory(store, taskId, 600, { chunk: 600, renameAt: 100 }));
      let snapshot: TaskSnapshot = {
        state: initialTaskState,
        revision: -1,
        position: 0,
        changedRevision: -1,
      };
      for (const event of await store.readStream(stream)) {
        snapshot = {
          state: evolve(snapshot.state, assertTaskEvent(event.type, event.data)),
          revision: event.revision,
          position: event.position,
          changedRevision: CHANGES_BY_PEOPLE.has(event.type) ? event.revision : snapshot.changedRevision,
        };
        folded.set(event.revision, snapshot);
        if (event.type === 'TaskUpdated') renamedAt = event.revision;
      }
      // The first append's events share one recordedAt, the next ones a later one: cut before the second.
      const events = await store.readStream(stream);
      const second = events.find((event) => event.recordedAt.getTime() > events[0].recordedAt.getTime())!;
      secondAppend = second.revision;
      const outcome = await truncateTaskHistory(store, taskId, second.recordedAt);
      expect(outcome.kind).toBe('cut');
      cut = (await store.readStreamBase(stream))!.revision;
    });
    afterAll(() => store.close());

    it('cuts before the cutoff, after the last change by a person, keeping the stream from there', async () => {
      expect(cut).toBeGreaterThan(renamedAt);
      expect(cut).toBeLessThan(secondAppend);
      const [first] = await store.readStream(stream, { maxCount: 1 });
      expect(first.revision).toBe(cut + 1);
    });

    it('folds from the beginning or from a snapshot before the cut to the whole fold', async () => {
      const whole = folded.get(head)!;
      for (const start of [
        { state: initialTaskState, revision: -1 },
        folded.get(10)!,
        folded.get(cut - 1)!,
        folded.get(cut)!,
      ]) {
        let last;
        for await (const step of foldTaskStream(store, taskId, start)) last = step;
        // The marker moves the revision on, nothing else.
        expect(last).toMatchObject({ state: whole.state, revision: head + 1, changedRevision: renamedAt });
      }
    });

    it('loads and decides commands without a snapshot as from the whole stream', async () => {
      const repository = new TaskRepository(store, new SystemClock());
      const loaded = await repository.load(taskId);
      expect(loaded).toMatchObject({ state: folded.get(head)!.state, changedRevision: renamedAt });
      await expect(
        repository.execute(
          { type: 'UpdateTask', data: { taskId, changes: { description: 'stale' } } },
          { ifMatch: renamedAt - 1 },
        ),
      ).rejects.toMatchObject({ code: 'revision_mismatch' });
      const updated = await repository.execute(
        { type: 'UpdateTask', data: { taskId, changes: { description: 'seen' } } },
        { ifMatch: renamedAt },
      );
      expect(updated.events.map((e) => e.type)).toEqual(['TaskUpdated']);
    });
  });
}

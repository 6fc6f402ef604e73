import type { EventStore } from '../src/event-store/event-store';
import { type TaskEvent, taskStreamId } from '../src/tasks/domain/task.events';

type DataOf<T extends TaskEvent['type']> = Extract<TaskEvent, { type: T }>['data'];

/** A task's events of one type, read from the event store (the truth, not the read model). */
export async function eventsOf<T extends TaskEvent['type']>(
  store: EventStore,
  taskId: string,
  type: T,
): Promise<DataOf<T>[]> {
  const events = await store.readStream(taskStreamId(taskId));
  return events.filter((e) => e.type === type).map((e) => e.data as DataOf<T>);
}

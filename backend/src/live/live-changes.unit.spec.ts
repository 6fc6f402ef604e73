import type { EventStore, RecordedEvent } from '../event-store/event-store';
import type { ChangeSource } from './change';
import { changeOf, EventLogChanges } from './event-log-changes';
import { chooseLiveChanges } from './live-changes';

const store = {} as EventStore;
const feed: ChangeSource = { subscribe: () => () => undefined };

describe('which changes a process publishes', () => {
  it('uses the ChangeFeed when present, else the event log', () => {
    expect(chooseLiveChanges(store, feed).source).toBe(feed);
    expect(chooseLiveChanges(store, undefined).source).toBeInstanceOf(EventLogChanges);
  });
});

describe('a change read from the event log', () => {
  const event = (type: string, data: unknown, streamId = 'task-0b6f1c9e'): RecordedEvent => ({
    streamId,
    type,
    data,
    metadata: {},
    revision: 3,
    position: 42,
    recordedAt: new Date(),
  });

  it('names the task, and the execution for execution events', () => {
    expect(changeOf(event('TaskPaused', {}))).toEqual({
      position: 42,
      buckets: [],
      tasks: ['0b6f1c9e'],
      executions: [],
    });
    expect(changeOf(event('TaskExecuted', { occurrence: 2, attempt: 1 }))?.executions).toEqual([
      { taskId: '0b6f1c9e', occurrence: 2, attempt: 1 },
    ]);
  });

  it('ignores streams that are not tasks', () => {
    expect(changeOf(event('Something', {}, 'other-1'))).toBeNull();
  });
});

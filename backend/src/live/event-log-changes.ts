import { Logger } from '@nestjs/common';
import type { EventStore, RecordedEvent } from '../event-store/event-store';
import type { Change, ChangeSource } from './change';

const TASK_STREAM_PREFIX = 'task-';
const MAX_RETRY_DELAY_MS = 10_000;

/**
 * Changes read straight from the event log, for a process without the projections' ChangeFeed. The
 * read model may lag such a change, which is why clients re-fetch with `?minPosition=`.
 */
export class EventLogChanges implements ChangeSource {
  private readonly logger = new Logger('live');
  private readonly listeners = new Set<(change: Change) => void>();
  private readonly abort = new AbortController();

  constructor(private readonly store: EventStore) {}

  /** Follows the log from its head until stop(); after an error, resumes from the last position seen. */
  async start(): Promise<void> {
    let after = await this.store.headPosition();
    for (let failures = 0; !this.abort.signal.aborted; failures++) {
      try {
        for await (const event of this.store.subscribeToAll({ after, signal: this.abort.signal })) {
          after = event.position;
          failures = 0;
          const change = changeOf(event);
          if (change) for (const listener of this.listeners) listener(change);
        }
      } catch (error) {
        if (this.abort.signal.aborted) return;
        this.logger.warn(`event log subscription failed, retrying: ${String(error)}`);
        await sleep(Math.min(MAX_RETRY_DELAY_MS, 250 * 2 ** failures), this.abort.signal);
      }
    }
  }

  stop(): void {
    this.abort.abort();
  }

  subscribe(listener: (change: Change) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

export function changeOf(event: RecordedEvent): Change | null {
  if (!event.streamId.startsWith(TASK_STREAM_PREFIX)) return null;
  const taskId = event.streamId.slice(TASK_STREAM_PREFIX.length);
  const data = event.data as { occurrence?: unknown; attempt?: unknown };
  const isExecution = event.type === 'TaskExecutionStarted' || event.type === 'TaskExecuted';
  const executions =
    isExecution && typeof data.occurrence === 'number' && typeof data.attempt === 'number'
      ? [{ taskId, occurrence: data.occurrence, attempt: data.attempt }]
      : [];
  return { position: event.position, buckets: [], tasks: [taskId], executions };
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
  });
}

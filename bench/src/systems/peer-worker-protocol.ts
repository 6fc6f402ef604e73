/**
 * The worker processes of the peers (BullMQ, pg-boss), their side: a handler records when it started,
 * in the child's memory, then calls the HTTP receiver; PeerWorker asks for those records over IPC.
 */
import { serveParent } from '../child-process/serve-parent';
import { type RecordedStart } from './scheduler-under-test';

/** What PeerWorker asks: every start whose key begins with `prefix`. */
export interface StartsRequest {
  prefix: string;
}

const recorded: RecordedStart[] = [];

/** Called at a handler's entry. Every start is kept, a second one of a key too: the runner counts those. */
export function recordStart(key: string, dueAt: number, startedAt: number): void {
  recorded.push({ key, dueAt, startedAt });
}

/** Reports ready, answers `starts` requests, and closes the worker on SIGTERM or once the benchmark is gone. */
export function serveStarts(close: () => Promise<void>): void {
  serveParent(({ prefix }: StartsRequest) => recorded.filter((start) => start.key.startsWith(prefix)), close);
}

/**
 * What the live API tells clients, and where it hears it.
 *
 * A `Change` is the ChangeFeed's contract (backend/src/projections/change-feed): after the projector commits a
 * batch, it names the tasks and executions whose read-model rows changed, up to log `position`.
 * Clients re-fetch what they show with `?minPosition=position`, so they read at least that far.
 */
export interface ExecutionKey {
  taskId: string;
  occurrence: number;
  attempt: number;
}

export interface Change {
  position: number;
  buckets: number[];
  tasks: string[];
  executions: ExecutionKey[];
  /** Too much changed to list (e.g. a rebuild): clients re-fetch everything they show. */
  all?: true;
}

/** The topics a client can subscribe to. */
export const TASKS_TOPIC = 'tasks';
export const STATS_TOPIC = 'stats';
export const taskTopic = (taskId: string): `task:${string}` => `task:${taskId}`;

const TASK_TOPIC_PATTERN = /^task:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isTopic(value: unknown): value is string {
  return (
    typeof value === 'string' &&
    (value === TASKS_TOPIC || value === STATS_TOPIC || TASK_TOPIC_PATTERN.test(value))
  );
}

/** Server → client messages, one `change` event each. */
export type LiveMessage =
  | { topic: typeof TASKS_TOPIC; position: number; tasks: string[]; all?: true }
  | { topic: `task:${string}`; position: number; executions: ExecutionKey[]; all?: true }
  | { topic: typeof STATS_TOPIC; position: number };

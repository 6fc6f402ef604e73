import type { Action, HttpAction } from '../../tasks/domain/task';
import { truncateOutput } from '../../tasks/domain/task.events';

export interface ExecutionContext {
  taskId: string;
  occurrence: number;
  attempt: number;
  dueAt: string;
  timeoutMs: number;
  /**
   * The start instant (epoch ms): the action begins then, never before. A start decided ahead
   * (ADR 022) reaches the runner before it, so that whoever makes the call keeps the instant.
   */
  startAt: number;
  now(): Date;
}

export interface ActionResult {
  outcome: 'succeeded' | 'failed' | 'timed_out';
  output?: string;
  error?: string;
}

/** What makes http calls: HttpActionRunner in this thread, or ThreadedHttpActionRunner beside it. */
export interface HttpCaller {
  run(action: HttpAction, context: ExecutionContext): Promise<ActionResult>;
  close(): Promise<void>;
}

/**
 * Runs a task's action at its start instant: `log` records its message; `http` calls out (see
 * HttpActionRunner, which waits for the instant where it makes the call).
 */
export class ActionRunner {
  constructor(private readonly http: HttpCaller) {}

  async run(action: Action, context: ExecutionContext): Promise<ActionResult> {
    switch (action.kind) {
      case 'log':
        await untilInstant(context.startAt);
        return { outcome: 'succeeded', output: truncateOutput(action.message) };
      case 'http':
        return this.http.run(action, context);
      default: {
        const _exhaustive: never = action;
        throw new Error(`unknown action ${JSON.stringify(_exhaustive)}`);
      }
    }
  }
}

/**
 * Resolves once the clock reads `at` or later. A timer can expire a millisecond before it by the clock
 * (the event loop's time is read at the start of its turn), and no action may run before its due time.
 */
export async function untilInstant(at: number): Promise<void> {
  for (let left = at - Date.now(); left > 0; left = at - Date.now())
    await new Promise((resolve) => setTimeout(resolve, left));
}

import type { Action, HttpAction } from '../../tasks/domain/task';
import { truncateOutput } from '../../tasks/domain/task.events';

export interface ExecutionContext {
  taskId: string;
  occurrence: number;
  attempt: number;
  dueAt: string;
  timeoutMs: number;
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

/** Runs a task's action: `log` records its message; `http` calls out (see HttpActionRunner). */
export class ActionRunner {
  constructor(private readonly http: HttpCaller) {}

  async run(action: Action, context: ExecutionContext): Promise<ActionResult> {
    switch (action.kind) {
      case 'log':
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

import type { HttpAction } from '../../tasks/domain/task';
import type { ActionResult, ExecutionContext } from '../execution/action-runner';

/** What the delivery thread is started with: what HttpActionRunner needs, as plain data. */
export interface DeliverySettings {
  allow: string | undefined;
  signingSecret: string | undefined;
  maxSocketsPerOrigin: number;
}

export interface HttpCall {
  id: number;
  action: HttpAction;
  context: Omit<ExecutionContext, 'now'>;
}

export interface HttpAnswer {
  id: number;
  result: ActionResult;
}

/** To the thread: calls to make, or close (finish the sockets, then end). Back: HttpAnswer[]. */
export type DeliveryMessage = { calls: HttpCall[] } | { close: true };

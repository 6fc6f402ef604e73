/**
 * The delivery thread: runs http actions for the worker (see ThreadedHttpActionRunner). Calls arrive
 * in batches; answers go back in batches, one message per turn of this thread's event loop.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { ActionResult } from '../execution/action-runner';
import { type DeliveryMessage, type DeliverySettings, type HttpAnswer } from './delivery-protocol';
import { HttpActionRunner } from './http-action';
import { OutboundGuard } from './outbound-guard';

const settings = workerData as DeliverySettings;
const runner = new HttpActionRunner(
  new OutboundGuard(settings.allow),
  settings.signingSecret,
  settings.maxSocketsPerOrigin,
);
const port = parentPort!;
let answers: HttpAnswer[] = [];

const send = (): void => {
  port.postMessage(answers);
  answers = [];
};

function answer(id: number, result: ActionResult): void {
  if (answers.length === 0) setImmediate(send);
  answers.push({ id, result });
}

port.on('message', (message: DeliveryMessage) => {
  if ('close' in message) {
    void runner.close().finally(() => port.close());
    return;
  }
  for (const { id, action, context } of message.calls) {
    runner.run(action, { ...context, now: () => new Date() }).then(
      (result) => answer(id, result),
      (error: unknown) => answer(id, { outcome: 'failed', error: (error as Error).message }),
    );
  }
});

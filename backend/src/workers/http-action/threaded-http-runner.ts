import { extname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { Logger } from '@nestjs/common';
import type { ActionResult, ExecutionContext, HttpCaller } from '../execution/action-runner';
import type { HttpAction } from '../../tasks/domain/task';
import type { DeliverySettings, HttpAnswer, HttpCall } from './delivery-protocol';

/**
 * Runs http actions on a thread of their own (delivery-thread.ts). A burst's calls cost more CPU
 * than anything else on their way (a CPU profile of 10,000 calls: undici and the sockets held about
 * half of the worker's event loop); on their own thread they run beside the firing, the records and
 * the projector instead of between them. Calls go over in batches, one message per turn of the loop,
 * calls started ahead before their instant: the thread, whose loop has little else to do, keeps it
 * (ADR 022). If the thread dies, its calls in flight end as failed (retried by policy) and a new
 * thread starts.
 */
export class ThreadedHttpActionRunner implements HttpCaller {
  private readonly logger = new Logger('delivery');
  private thread: Worker;
  private nextId = 0;
  private readonly pending = new Map<number, (result: ActionResult) => void>();
  private outbox: HttpCall[] = [];
  private closing = false;

  constructor(private readonly settings: DeliverySettings) {
    this.thread = this.start();
  }

  run(action: HttpAction, context: ExecutionContext): Promise<ActionResult> {
    const { taskId, occurrence, attempt, dueAt, timeoutMs, startAt } = context; // the clock stays here
    const id = this.nextId++;
    if (this.outbox.length === 0) queueMicrotask(this.flush);
    this.outbox.push({ id, action, context: { taskId, occurrence, attempt, dueAt, timeoutMs, startAt } });
    return new Promise((resolve) => this.pending.set(id, resolve));
  }

  /** Lets the calls in flight finish, then ends the thread. */
  async close(): Promise<void> {
    this.closing = true;
    const ended = new Promise((resolve) => this.thread.once('exit', resolve));
    this.thread.postMessage({ close: true });
    await ended;
  }

  private readonly flush = (): void => {
    const calls = this.outbox;
    this.outbox = [];
    this.thread.postMessage({ calls });
  };

  private start(): Worker {
    const thread = startDeliveryThread(this.settings);
    thread.on('message', (answers: HttpAnswer[]) => {
      for (const { id, result } of answers) {
        this.pending.get(id)?.(result);
        this.pending.delete(id);
      }
    });
    thread.on('error', (error) => this.logger.error(`delivery thread failed: ${error.message}`));
    thread.on('exit', () => {
      for (const resolve of this.pending.values())
        resolve({ outcome: 'failed', error: 'the delivery thread stopped during the call' });
      this.pending.clear();
      if (!this.closing) this.thread = this.start();
    });
    return thread;
  }
}

/**
 * The thread's young generation grew to its default size in a burst and stayed: its heap reached 57 MiB
 * in W1 (24 used), 38 with 8 MiB, for the same lag (W1 then W5, all-in-one peak RSS 346 -> 329 MiB).
 */
const DELIVERY_THREAD_LIMITS = { maxYoungGenerationSizeMb: 8 };

/** The thread runs the compiled file; under ts-node or ts-jest (scripts, tests) it compiles it too. */
function startDeliveryThread(settings: DeliverySettings): Worker {
  const entry = join(__dirname, `delivery-thread${extname(__filename)}`);
  if (entry.endsWith('.ts')) {
    const code = `require('ts-node').register({ transpileOnly: true }); require(${JSON.stringify(entry)});`;
    return new Worker(code, { eval: true, workerData: settings, resourceLimits: DELIVERY_THREAD_LIMITS });
  }
  return new Worker(entry, { workerData: settings, resourceLimits: DELIVERY_THREAD_LIMITS });
}

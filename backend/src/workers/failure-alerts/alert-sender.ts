import type { ActionResult } from '../execution/action-runner';
import type { OutboundRequest } from '../http-action/http-action';
import { type AlertCause, type AlertedTask, alertBody, alertHeaders } from './failure-alert';

export interface AlertDelivery {
  /** Delivered (2xx), or given up after every attempt; false when stopped before either. */
  settled: boolean;
  result: ActionResult;
  attempts: number;
}

export interface AlertSenderOptions {
  /** Waits before the 2nd, 3rd… attempt; its length + 1 is the number of attempts. */
  retryDelaysMs: readonly number[];
  /** Longest one call may take. */
  timeoutMs: number;
}

export const DEFAULT_ALERT_SENDER_OPTIONS: AlertSenderOptions = {
  retryDelaysMs: [1000, 5000],
  timeoutMs: 10_000,
};

/**
 * Sends one alert: a JSON POST through the http actions' runner (outbound guard, Kairos-Signature),
 * tried again after each delay while it fails. The body is built once, so every attempt (and every
 * resend after a restart, with the same Idempotency-Key) carries the same alert.
 */
export class AlertSender {
  constructor(
    private readonly http: { send(request: OutboundRequest): Promise<ActionResult> },
    private readonly publicUrl: string,
    private readonly options: AlertSenderOptions = DEFAULT_ALERT_SENDER_OPTIONS,
  ) {}

  async deliver(cause: AlertCause, task: AlertedTask, signal: AbortSignal): Promise<AlertDelivery> {
    const body = JSON.stringify(alertBody(cause, task, this.publicUrl));
    const attempts = this.options.retryDelaysMs.length + 1;
    let result: ActionResult = { outcome: 'failed', error: 'not sent' };
    for (let attempt = 1; attempt <= attempts; attempt++) {
      if (signal.aborted) return { settled: false, result, attempts: attempt - 1 };
      result = await this.http
        .send({
          url: task.onFailure.url,
          method: 'POST',
          headers: alertHeaders(cause, task.onFailure),
          body,
          timeoutMs: this.options.timeoutMs,
          now: () => new Date(),
        })
        .catch((error: unknown) => ({ outcome: 'failed' as const, error: (error as Error).message }));
      if (result.outcome === 'succeeded') return { settled: true, result, attempts: attempt };
      if (attempt < attempts) await sleep(this.options.retryDelaysMs[attempt - 1], signal);
    }
    // A call cut short by a stop is not a refusal: it is sent again after the restart.
    return { settled: !signal.aborted, result, attempts };
  }
}

/** Resolves after `ms`, or at once on abort. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

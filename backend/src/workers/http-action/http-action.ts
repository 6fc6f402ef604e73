import { createHmac } from 'node:crypto';
import { isIP } from 'node:net';
import { Agent, type Dispatcher, errors } from 'undici';
import { MAX_OUTPUT_BYTES, truncateOutput } from '../../tasks/domain/task.events';
import {
  type ActionResult,
  type ExecutionContext,
  type HttpCaller,
  untilInstant,
} from '../execution/action-runner';
import type { HttpAction } from '../../tasks/domain/task';
import type { OutboundGuard } from './outbound-guard';

/**
 * Runs an `http` action: one request with the task's timeout, carrying the headers receivers use to
 * dedupe and verify (Idempotency-Key is the same on every retry of one occurrence). 2xx is success;
 * any other status, a refused address or a network error is a failure; the timeout is `timed_out`.
 * The request is made ready first, then leaves at the context's start instant.
 */
export class HttpActionRunner implements HttpCaller {
  private readonly agent: Agent;

  constructor(
    private readonly guard: OutboundGuard,
    private readonly signingSecret: string | undefined,
    /** A burst to one receiver queues for these sockets rather than opening one per call. */
    maxSocketsPerOrigin: number,
  ) {
    this.agent = new Agent({
      connect: { lookup: guard.lookup },
      keepAliveTimeout: 10_000,
      connections: maxSocketsPerOrigin,
    });
  }

  async run(action: HttpAction, context: ExecutionContext): Promise<ActionResult> {
    const { body, contentType } = encodeBody(action.body);
    const headers: Record<string, string> = {
      'user-agent': 'Kairos/0.1',
      ...(contentType ? { 'content-type': contentType } : {}),
      ...action.headers,
      'idempotency-key': `${context.taskId}:${context.occurrence}`,
      'kairos-task-id': context.taskId,
      'kairos-occurrence': String(context.occurrence),
      'kairos-attempt': String(context.attempt),
      'kairos-due-at': context.dueAt,
    };
    await untilInstant(context.startAt);
    return this.send({
      url: action.url,
      method: action.method,
      headers,
      body,
      timeoutMs: context.timeoutMs,
      now: () => context.now(),
    });
  }

  /**
   * One request through the outbound guard, signed when a secret is set (`headers` is the caller's
   * to give away: the signature is added to it). Also sends failure alerts (workers/failure-alerts).
   */
  async send(request: OutboundRequest): Promise<ActionResult> {
    const url = new URL(request.url);
    const host = url.hostname.replace(/^\[|\]$/g, '');
    try {
      if (isIP(host)) this.guard.check(host, host); // an IP literal is never looked up
    } catch (refused) {
      return { outcome: 'failed', error: (refused as Error).message };
    }
    const { headers, body, timeoutMs } = request;
    if (this.signingSecret) headers['kairos-signature'] = sign(this.signingSecret, body ?? '', request.now());
    const response = await call(this.agent, {
      origin: url.origin,
      path: `${url.pathname}${url.search}`,
      method: request.method,
      headers,
      body,
      timeoutMs,
    });
    if ('timedOut' in response)
      return { outcome: 'timed_out', error: `no complete response within ${timeoutMs} ms` };
    if ('error' in response) return { outcome: 'failed', error: response.error };
    const output = truncateOutput(`HTTP ${response.status}\n${response.text}`);
    if (response.status >= 200 && response.status < 300) return { outcome: 'succeeded', output };
    return { outcome: 'failed', output, error: `HTTP ${response.status}` };
  }

  close(): Promise<void> {
    return this.agent.close();
  }

  /** Ends at once, calls in flight failing. */
  destroy(): Promise<void> {
    return this.agent.destroy();
  }
}

/** A request as HttpActionRunner.send makes it. */
export interface OutboundRequest {
  url: string;
  method: HttpAction['method'];
  headers: Record<string, string>;
  body: string | undefined;
  timeoutMs: number;
  now(): Date;
}

/** `Kairos-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">` */
export function sign(secret: string, body: string, now: Date): string {
  const timestamp = Math.floor(now.getTime() / 1000);
  const mac = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
  return `t=${timestamp},v1=${mac}`;
}

function encodeBody(body: HttpAction['body']): { body?: string; contentType?: string } {
  if (body === undefined || body === null) return {};
  if (typeof body === 'string') return { body, contentType: 'text/plain; charset=utf-8' };
  return { body: JSON.stringify(body), contentType: 'application/json' };
}

type CallResult = { status: number; text: string } | { error: string } | { timedOut: true };

/** Why a call was cut short on purpose: its deadline passed, or enough of its body was read. */
class Stop extends Error {}

/**
 * One request through undici's dispatcher API, with one timer for the whole call (queueing for a
 * socket included). It costs about a third of `request()` with `AbortSignal.timeout()` in CPU per call
 * (no signal, no body stream), which is what a burst of thousands of calls is made of. Reads at most
 * MAX_OUTPUT_BYTES of the body, then lets the rest go (the connection is closed).
 */
function call(
  agent: Dispatcher,
  request: Pick<Dispatcher.DispatchOptions, 'origin' | 'path' | 'method' | 'headers' | 'body'> & {
    timeoutMs: number;
  },
): Promise<CallResult> {
  return new Promise((resolve) => {
    let status = 0;
    let size = 0;
    const chunks: Buffer[] = [];
    let abort: ((reason: Error) => void) | undefined;
    let settled = false;
    const settle = (result: CallResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(result);
    };
    const complete = (): void =>
      settle({ status, text: Buffer.concat(chunks).subarray(0, MAX_OUTPUT_BYTES).toString('utf8') });
    const timer = setTimeout(() => {
      settle({ timedOut: true });
      abort?.(new Stop('deadline'));
    }, request.timeoutMs);
    const { timeoutMs, ...options } = request;
    agent.dispatch(
      { ...options, headersTimeout: timeoutMs, bodyTimeout: timeoutMs },
      {
        onConnect(abortCall) {
          if (settled) abortCall(new Stop('deadline'));
          else abort = abortCall;
        },
        onHeaders(statusCode) {
          status = statusCode;
          return true;
        },
        onData(chunk) {
          chunks.push(chunk);
          size += chunk.length;
          if (size >= MAX_OUTPUT_BYTES) {
            complete();
            abort?.(new Stop('enough'));
          }
          return true;
        },
        onComplete: complete,
        onError(error) {
          if (error instanceof errors.HeadersTimeoutError || error instanceof errors.BodyTimeoutError)
            settle({ timedOut: true });
          else {
            const cause = (error as { cause?: Error }).cause;
            settle({ error: cause?.message ?? error.message });
          }
        },
      },
    );
  });
}

import { createHmac } from 'node:crypto';
import { isIP } from 'node:net';
import { Agent, errors, request } from 'undici';
import type { Action } from '../../tasks/domain/task';
import { MAX_OUTPUT_BYTES, truncateOutput } from '../../tasks/domain/task.events';
import type { ActionResult, ExecutionContext } from '../execution/action-runner';
import type { OutboundGuard } from './outbound-guard';

type HttpAction = Extract<Action, { kind: 'http' }>;

/**
 * Runs an `http` action: one request with the task's timeout, carrying the headers receivers use to
 * dedupe and verify (Idempotency-Key is the same on every retry of one occurrence). 2xx is success;
 * any other status, a refused address or a network error is a failure; the timeout is `timed_out`.
 */
export class HttpActionRunner {
  private readonly agent: Agent;

  constructor(
    private readonly guard: OutboundGuard,
    private readonly signingSecret: string | undefined,
  ) {
    this.agent = new Agent({ connect: { lookup: guard.lookup }, keepAliveTimeout: 10_000, connections: 256 });
  }

  async run(action: HttpAction, context: ExecutionContext): Promise<ActionResult> {
    const url = new URL(action.url);
    const host = url.hostname.replace(/^\[|\]$/g, '');
    try {
      if (isIP(host)) this.guard.check(host, host); // an IP literal is never looked up
    } catch (refused) {
      return { outcome: 'failed', error: (refused as Error).message };
    }
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
    if (this.signingSecret) headers['kairos-signature'] = sign(this.signingSecret, body ?? '', context.now());
    const signal = AbortSignal.timeout(context.timeoutMs);
    try {
      const response = await request(url, {
        method: action.method,
        headers,
        body,
        signal,
        dispatcher: this.agent,
        headersTimeout: context.timeoutMs,
        bodyTimeout: context.timeoutMs,
      });
      const text = await readPrefix(response.body, MAX_OUTPUT_BYTES);
      const output = truncateOutput(`HTTP ${response.statusCode}\n${text}`);
      if (response.statusCode >= 200 && response.statusCode < 300) return { outcome: 'succeeded', output };
      return { outcome: 'failed', output, error: `HTTP ${response.statusCode}` };
    } catch (error) {
      if (
        signal.aborted ||
        error instanceof errors.HeadersTimeoutError ||
        error instanceof errors.BodyTimeoutError
      ) {
        return { outcome: 'timed_out', error: `no complete response within ${context.timeoutMs} ms` };
      }
      const cause = (error as { cause?: Error }).cause;
      return { outcome: 'failed', error: cause?.message ?? (error as Error).message };
    }
  }

  close(): Promise<void> {
    return this.agent.close();
  }
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

/** Reads at most `limit` bytes of a body, then lets the rest go (the connection is reused or closed). */
async function readPrefix(body: AsyncIterable<Buffer> & { destroy(): void }, limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    chunks.push(chunk);
    size += chunk.length;
    if (size >= limit) {
      body.destroy();
      break;
    }
  }
  return Buffer.concat(chunks).subarray(0, limit).toString('utf8');
}

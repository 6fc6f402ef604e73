import { Agent, request } from 'undici';

/**
 * Sockets per origin: Kairos's default cap (KAIROS_HTTP_MAX_SOCKETS_PER_ORIGIN), so that the peers'
 * handlers and the receiver's floor call the receiver as Kairos's http action does.
 */
export const SOCKETS_PER_ORIGIN = 256;

/** One keep-alive Agent per process, as Kairos's http action keeps one (same idle timeout). */
export function receiverAgent(): Agent {
  return new Agent({ connections: SOCKETS_PER_ORIGIN, keepAliveTimeout: 10_000 });
}

/**
 * POSTs to `${receiverUrl}/${key}` with the headers Kairos's http action sends, and waits for the
 * response: inside a handler, so that the system's concurrency limits apply as they would for a user.
 */
export async function callReceiver(
  agent: Agent,
  receiverUrl: string,
  key: string,
  dueAt: number,
  idempotencyKey: string,
): Promise<void> {
  const { statusCode, body } = await request(`${receiverUrl}/${encodeURIComponent(key)}`, {
    method: 'POST',
    headers: { 'kairos-due-at': new Date(dueAt).toISOString(), 'idempotency-key': idempotencyKey },
    dispatcher: agent,
  });
  await body.dump();
  if (statusCode !== 200) throw new Error(`the receiver answered ${statusCode}`);
}

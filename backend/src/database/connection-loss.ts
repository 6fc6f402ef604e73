import type { Pool } from 'pg';

/**
 * Makes a pool survive its server going away (restart, failover, shutdown). An idle client's error
 * reaches the pool's 'error' event; a checked-out client's reaches only the client, and node-postgres
 * in pipeline mode emits it even with queries in flight: without a listener, that 'error' event is
 * unhandled and ends the process. The queries in flight still fail, and their callers retry.
 */
export function survivingConnectionLoss(
  pool: Pool,
  onIdleError: (error: Error) => void = () => undefined,
): Pool {
  pool.on('error', onIdleError);
  pool.on('connect', (client) => client.on('error', () => undefined));
  return pool;
}

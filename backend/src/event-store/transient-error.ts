/**
 * Whether a store operation failed for a reason that passes (the server restarting, a connection
 * lost, a disk full until space returns), so the same operation may be tried again later. Anything
 * else (a wrong expected revision, bad data, a bug) is final.
 */
export function isTransientStoreError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') {
    // PostgreSQL SQLSTATE classes: 08 connection, 53 insufficient resources (disk full, too many
    // connections), 57 operator intervention (shutdown, restart), 58 system error.
    if (/^(08|53|57|58)[0-9A-Z]{3}$/.test(code)) return true;
    // Node's socket errors (ECONNREFUSED, ECONNRESET, EPIPE, ETIMEDOUT...).
    if (/^E[A-Z]+$/.test(code)) return true;
  }
  // EventStoreDB's client: the server is unreachable or did not answer in time.
  if (['UnavailableError', 'DeadlineExceededError', 'NotLeaderError'].includes(error.name)) return true;
  // node-postgres reports a connection lost mid-query, or none to be had, by message only.
  return /Connection terminated|connection timeout|Client has encountered a connection error|timeout exceeded when trying to connect/i.test(
    error.message,
  );
}

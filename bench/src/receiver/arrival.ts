/** One request as the HTTP receiver saw it: what every system's action or handler sends, and when. */
export interface RecordedArrival {
  /** The URL path without its leading slash: the task's key (for every-second tasks, the task's). */
  key: string;
  /** The `kairos-due-at` header (ISO) as epoch ms; null when absent or unreadable. */
  dueAt: number | null;
  /** The `idempotency-key` header: Kairos's `<taskId>:<occurrence>`, a peer's job id. */
  idempotencyKey: string | null;
  /** `Date.now()` when the request's headers had arrived. */
  arrivedAt: number;
}

/** What the benchmark asks the receiver's process over IPC. */
export type ReceiverRequest = { kind: 'arrivals'; prefix: string } | { kind: 'clear' };

/**
 * The child's half of a helper process (a peer's worker, the HTTP receiver): it says when it is
 * ready, answers the benchmark's requests over IPC, and closes on SIGTERM or once the benchmark is gone.
 */

/** From the benchmark: a request and the id its answer carries back. */
export interface ParentMessage {
  id: number;
  request: unknown;
}

export type ChildMessage = { type: 'ready'; info: unknown } | { type: 'answer'; id: number; answer: unknown };

/** `info` travels with the ready message (e.g. the port the child listens on). */
export function serveParent(
  answer: (request: never) => unknown,
  close: () => Promise<void>,
  info: unknown = null,
): void {
  const send = (message: ChildMessage) => process.send?.(message);
  process.on('message', ({ id, request }: ParentMessage) => {
    void Promise.resolve(answer(request as never)).then((result) =>
      send({ type: 'answer', id, answer: result }),
    );
  });
  let closing: Promise<void> | undefined;
  const shutdown = () => {
    closing ??= close()
      .catch((error: unknown) => console.error('closing the helper process failed:', error))
      .finally(() => process.exit(0));
  };
  process.once('SIGTERM', shutdown);
  process.once('disconnect', shutdown);
  send({ type: 'ready', info });
}

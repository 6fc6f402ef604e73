import { HttpActionRunner } from './http-action';
import { httpCallerFor } from './http-caller';
import { ThreadedHttpActionRunner } from './threaded-http-runner';

const settings = { allow: '127.0.0.1', signingSecret: undefined, maxSocketsPerOrigin: 8 };

describe('where a worker makes its http calls', () => {
  it.each([
    [['api', 'projector', 'worker'], ThreadedHttpActionRunner],
    [['projector', 'worker'], ThreadedHttpActionRunner],
    [['api', 'worker'], ThreadedHttpActionRunner],
    [['worker'], HttpActionRunner],
  ] as const)('with roles %j: %p', async (roles, kind) => {
    const caller = httpCallerFor(roles, settings);
    try {
      expect(caller).toBeInstanceOf(kind);
    } finally {
      await caller.close();
    }
  });
});

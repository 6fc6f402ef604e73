import { ActionRunner, type ExecutionContext, type HttpCaller } from './action-runner';

const context = (startAt: number): ExecutionContext => ({
  taskId: 't',
  occurrence: 1,
  attempt: 1,
  dueAt: new Date(startAt).toISOString(),
  timeoutMs: 1000,
  startAt,
  now: () => new Date(),
});

describe('action runner', () => {
  it('runs a log action at its start instant, never before', async () => {
    const http: HttpCaller = { run: () => Promise.reject(new Error('no http here')), close: async () => {} };
    const startAt = Date.now() + 60;
    const result = await new ActionRunner(http).run({ kind: 'log', message: 'hello' }, context(startAt));
    expect(Date.now()).toBeGreaterThanOrEqual(startAt);
    expect(result).toEqual({ outcome: 'succeeded', output: 'hello' });
  });
});

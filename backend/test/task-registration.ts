import type { TestApp } from './test-app';

/** A registration body for a cron task: daily at 09:00 UTC with a log action, unless told otherwise. */
export function cronTaskBody(
  name: string,
  options: { expression?: string; timezone?: string; action?: Record<string, unknown> } = {},
): Record<string, unknown> {
  const { expression = '0 0 9 * * *', timezone = 'UTC', action = { kind: 'log', message: 'x' } } = options;
  return { name, schedule: { kind: 'cron', expression, timezone }, action };
}

/** An HTTP action whose Authorization header carries `secret`: every view of the task must mask it. */
export function httpActionWithSecret(url: string, secret: string): Record<string, unknown> {
  return { kind: 'http', url, method: 'POST', headers: { Authorization: secret } };
}

/** POST /api/tasks: the new task's id. Anything but 201 fails the caller, with the answer. */
export async function registerTask(api: Pick<TestApp, 'request'>, body: unknown): Promise<string> {
  const response = await api.request('POST', '/api/tasks', { body });
  if (response.status !== 201) {
    throw new Error(`registration answered ${response.status}: ${JSON.stringify(response.body)}`);
  }
  return response.body.id as string;
}

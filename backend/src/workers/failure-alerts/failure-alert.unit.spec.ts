import {
  type AlertCause,
  type LoggedEvent,
  alertBody,
  alertCause,
  alertHeaders,
  alertIdempotencyKey,
} from './failure-alert';

const TASK = '0b7c1a52-2f4e-4c1b-9a57-3d0f6c2e8a11';
const at = '2026-03-01T10:00:05.000Z';
const executed = (data: Record<string, unknown>, position = 42): LoggedEvent => ({
  streamId: `task-${TASK}`,
  type: 'TaskExecuted',
  position,
  data: {
    occurrence: 7,
    attempt: 2,
    outcome: 'failed',
    startedAt: '2026-03-01T10:00:04.000Z',
    finishedAt: at,
    durationMs: 1000,
    ...data,
  },
});
const skipped = (reason: string): LoggedEvent => ({
  streamId: `task-${TASK}`,
  type: 'TaskOccurrenceSkipped',
  position: 50,
  data: { occurrence: 3, dueAt: '2026-03-01T09:58:00.000Z', reason, skippedAt: at },
});

describe('alertCause', () => {
  it.each(['failed', 'timed_out', 'lost'])('picks a final %s attempt', (outcome) => {
    expect(alertCause(executed({ outcome, final: true, error: 'HTTP 500' }))).toEqual({
      kind: 'occurrence_failed',
      taskId: TASK,
      occurrence: 7,
      attempt: 2,
      outcome,
      at,
      error: 'HTTP 500',
      position: 42,
    });
  });

  it('passes over a failed attempt that is retried, a success, and events from before the final mark', () => {
    expect(alertCause(executed({ outcome: 'failed' }))).toBeNull();
    expect(alertCause(executed({ outcome: 'succeeded', final: true }))).toBeNull();
    expect(alertCause(executed({ outcome: 'failed', final: 'yes' }))).toBeNull();
  });

  it('picks a misfire skip, and no other skip', () => {
    expect(alertCause(skipped('misfire'))).toEqual({
      kind: 'occurrence_misfired',
      taskId: TASK,
      occurrence: 3,
      attempt: 0,
      outcome: 'misfired',
      at,
      dueAt: '2026-03-01T09:58:00.000Z',
      position: 50,
    });
    expect(alertCause(skipped('overlap'))).toBeNull();
    expect(alertCause(skipped('calendar'))).toBeNull();
  });

  it('passes over other event types, other streams and malformed data', () => {
    expect(alertCause({ ...executed({ final: true }), type: 'TaskExecutionStarted' })).toBeNull();
    expect(alertCause({ ...executed({ final: true }), streamId: 'calendar-1' })).toBeNull();
    expect(alertCause({ ...executed({}), data: null })).toBeNull();
    expect(alertCause({ ...executed({}), data: { final: true, outcome: 'failed' } })).toBeNull();
  });
});

describe('the alert', () => {
  const cause = alertCause(
    executed({ outcome: 'timed_out', final: true, error: 'no response' }),
  ) as AlertCause;
  const onFailure = {
    kind: 'http' as const,
    url: 'https://alerts.example.com/kairos',
    headers: { Authorization: 'Bearer t', 'Idempotency-Key': 'theirs' },
  };

  it('names the task, the occurrence, the outcome and links to the task in the GUI', () => {
    const body = alertBody(
      cause,
      { name: 'nightly', onFailure, dueAt: '2026-03-01T10:00:00.000Z' },
      'https://kairos.example.com',
    );
    expect(body).toEqual({
      kind: 'occurrence_failed',
      task: { id: TASK, name: 'nightly' },
      occurrence: 7,
      attempt: 2,
      outcome: 'timed_out',
      dueAt: '2026-03-01T10:00:00.000Z',
      error: 'no response',
      at,
      link: `https://kairos.example.com/tasks/${TASK}`,
    });
  });

  it('takes a misfire’s due time from its event, and says null when none is known', () => {
    const misfire = alertCause(skipped('misfire')) as AlertCause;
    expect(alertBody(misfire, { name: 'n', onFailure }, 'http://localhost:3000')).toMatchObject({
      kind: 'occurrence_misfired',
      outcome: 'misfired',
      attempt: 0,
      dueAt: '2026-03-01T09:58:00.000Z',
    });
    expect(alertBody(cause, { name: 'n', onFailure }, 'http://x').dueAt).toBeNull();
    expect('error' in alertBody(misfire, { name: 'n', onFailure }, 'http://x')).toBe(false);
  });

  it('carries a key per occurrence attempt that the task’s own headers cannot replace', () => {
    expect(alertIdempotencyKey(cause)).toBe(`alert:${TASK}:7:2`);
    const headers = alertHeaders(cause, onFailure);
    expect(headers['Idempotency-Key']).toBeUndefined();
    expect(headers['user-agent']).toBe('Kairos/0.1');
    const own = alertHeaders(cause, { ...onFailure, headers: { 'User-Agent': 'mine' } });
    expect([own['User-Agent'], own['user-agent']]).toEqual(['mine', undefined]);
    expect(headers).toMatchObject({
      Authorization: 'Bearer t',
      'content-type': 'application/json',
      'idempotency-key': `alert:${TASK}:7:2`,
      'kairos-alert': 'occurrence_failed',
    });
  });
});

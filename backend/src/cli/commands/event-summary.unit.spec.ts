import type { TaskEventView } from '../api-types';
import { summarizeEvent } from './event-summary';

const event = (type: TaskEventView['type'], data: Record<string, unknown>): TaskEventView => ({
  type,
  data,
  revision: 3,
  position: 42,
  recordedAt: '2026-12-01T09:00:00.000Z',
});

describe('summarizeEvent', () => {
  it('says what each known event recorded, on one line', () => {
    const cases: [TaskEventView, string][] = [
      [
        event('TaskRegistered', {
          definition: {
            name: 'nightly',
            schedule: { kind: 'cron', expression: '0 3 * * *', timezone: 'UTC' },
          },
        }),
        '"nightly", cron "0 3 * * *" in UTC',
      ],
      [
        event('TaskRegistered', {
          definition: { name: 'once', schedule: { kind: 'once', at: '2026-12-01T10:00:00.000Z' } },
          firstOccurrence: { dueAt: '2026-12-01T10:00:00.000Z', plannedAt: '2026-12-01T10:00:01.500Z' },
        }),
        '"once", once at 2026-12-01T10:00:00.000Z; #1 due 2026-12-01T10:00:00.000Z, planned 2026-12-01T10:00:01.500Z',
      ],
      [
        event('TaskHistoryTruncated', {
          throughRevision: 41,
          throughPosition: 977,
          olderThan: '2026-11-01T00:00:00.000Z',
        }),
        'revisions through 41 removed (recorded before 2026-11-01T00:00:00.000Z)',
      ],
      [
        event('TaskUpdated', { changes: { name: 'renamed', timeoutMs: 5000 } }),
        'name: "renamed", timeoutMs: 5000',
      ],
      [
        event('TaskScheduled', { occurrence: 2, attempt: 1, dueAt: '2026-12-01T10:00:00Z', reason: 'next' }),
        '#2 attempt 1 due 2026-12-01T10:00:00Z (next)',
      ],
      [
        event('TaskScheduled', {
          occurrence: 3,
          attempt: 1,
          dueAt: '2026-12-01T11:00:00Z',
          plannedAt: '2026-12-01T11:00:02.021Z',
          reason: 'next',
        }),
        '#3 attempt 1 due 2026-12-01T11:00:00Z, planned 2026-12-01T11:00:02.021Z (next)',
      ],
      [
        event('TaskExecutionStarted', { occurrence: 2, attempt: 1, workerId: 'w-1' }),
        '#2 attempt 1 started by w-1',
      ],
      [
        event('TaskExecuted', {
          occurrence: 2,
          attempt: 2,
          outcome: 'failed',
          durationMs: 12,
          error: 'HTTP\n500',
        }),
        '#2 attempt 2 failed in 12 ms: HTTP 500',
      ],
      [
        event('TaskOccurrenceSkipped', { occurrence: 4, dueAt: '2026-12-01T11:00:00Z', reason: 'overlap' }),
        '#4 due 2026-12-01T11:00:00Z skipped (overlap)',
      ],
      [event('TaskPaused', { pausedAt: '2026-12-01T09:00:00Z' }), '-'],
    ];
    for (const [input, summary] of cases) expect(summarizeEvent(input)).toBe(summary);
  });

  it('cuts long summaries to 80 characters and shows unknown types as JSON', () => {
    const long = summarizeEvent(event('TaskUpdated', { changes: { description: 'x'.repeat(200) } }));
    expect(long).toHaveLength(80);
    expect(long.endsWith('...')).toBe(true);
    expect(summarizeEvent(event('TaskArchived' as TaskEventView['type'], { by: 'ops' }))).toBe(
      '{"by":"ops"}',
    );
    expect(summarizeEvent(event('TaskScheduled', {}))).toBe('#? attempt ? due ? (?)');
  });
});

import { summarizeEvent } from './event-summary';

describe('summarizeEvent', () => {
  const scheduled = (data: Record<string, unknown>) =>
    summarizeEvent({
      type: 'TaskScheduled',
      revision: 1,
      position: 2,
      recordedAt: '2026-11-24T09:00:00Z',
      data: { occurrence: 2, attempt: 1, dueAt: '2026-11-24T10:00:00Z', reason: 'next', ...data },
    });

  it('names the planned start of a jittered run, and only of one', () => {
    expect(scheduled({})).toMatch(/^Scheduled run 2 for .+ \(next\)$/);
    expect(scheduled({})).not.toContain('jittered');
    expect(scheduled({ plannedAt: '2026-11-24T10:00:02.5Z' })).toMatch(
      /^Scheduled run 2 for .+, jittered to .+ \(next\)$/,
    );
  });

  it('says when a registration’s first run is due, when it carries one', () => {
    const registered = (data: Record<string, unknown>) =>
      summarizeEvent({
        type: 'TaskRegistered',
        revision: 0,
        position: 1,
        recordedAt: '2026-11-24T09:00:00Z',
        data,
      });
    expect(registered({})).toBe('Registered');
    expect(registered({ firstOccurrence: { dueAt: '2026-11-24T10:00:00Z' } })).toMatch(
      /^Registered; run 1 scheduled for .+$/,
    );
    expect(
      registered({ firstOccurrence: { dueAt: '2026-11-24T10:00:00Z', plannedAt: '2026-11-24T10:00:02Z' } }),
    ).toMatch(/^Registered; run 1 scheduled for .+, jittered to .+$/);
  });
});

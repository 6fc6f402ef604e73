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
});

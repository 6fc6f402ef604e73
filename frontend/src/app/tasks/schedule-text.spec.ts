import { describeCron, describeSchedule, describeSeconds } from './schedule-text';

describe('schedule in words', () => {
  it('describes cron with its zone, interval in the largest whole unit, and once with its instant', () => {
    expect(describeSchedule({ kind: 'cron', expression: '*/2 * * * * *', timezone: 'Europe/Berlin' })).toBe(
      'Every 2 seconds (Europe/Berlin)',
    );
    expect(describeSchedule({ kind: 'interval', everySeconds: 30 })).toBe('every 30 s');
    expect(describeSeconds(300)).toBe('5 min');
    expect(describeSeconds(7200)).toBe('2 h');
    expect(describeSeconds(90)).toBe('90 s');
    expect(describeSchedule({ kind: 'once', at: '2026-11-24T09:00:00Z' })).toMatch(/^once at .*2026/);
  });

  it('returns null for an expression cronstrue cannot read', () => {
    expect(describeCron('not a cron')).toBeNull();
  });
});

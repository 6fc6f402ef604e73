import { MASKED_VALUE } from '../domain/secrets';
import type { TaskDefinition } from '../domain/task';
import { diffDefinitions, sameJson } from './definition-diff';

const base: TaskDefinition = {
  name: 'report',
  schedule: { kind: 'cron', expression: '0 9 * * *', timezone: 'Europe/Berlin' },
  action: { kind: 'http', url: 'https://example.com/hook', method: 'POST', headers: { Authorization: 'a' } },
  retry: { maxAttempts: 3, backoffMs: 1000, backoffFactor: 2, maxBackoffMs: 60000 },
  timeoutMs: 30000,
  overlap: 'skip',
  misfire: 'fire_once',
};

describe('diffDefinitions', () => {
  it('finds nothing between equal definitions, whatever their key order', () => {
    const reordered = JSON.parse(
      JSON.stringify({
        ...base,
        schedule: { timezone: 'Europe/Berlin', kind: 'cron', expression: '0 9 * * *' },
      }),
    ) as TaskDefinition;
    expect(diffDefinitions(base, reordered)).toEqual([]);
  });

  it('names each changed field with both values, in the documented field order', () => {
    const after: TaskDefinition = {
      ...base,
      misfire: 'skip',
      description: 'daily',
      schedule: { kind: 'interval', everySeconds: 60 },
    };
    expect(diffDefinitions(base, after)).toEqual([
      { field: 'description', before: null, after: 'daily' },
      { field: 'schedule', before: base.schedule, after: after.schedule },
      { field: 'misfire', before: 'fire_once', after: 'skip' },
    ]);
  });

  it('sees a changed secret header but shows it masked on both sides', () => {
    const after = { ...base, action: { ...base.action, headers: { Authorization: 'b' } } } as TaskDefinition;
    const [change] = diffDefinitions(base, after);
    expect(change.field).toBe('action');
    expect(JSON.stringify(change)).not.toMatch(/"a"|"b"/);
    expect(change.after).toMatchObject({ headers: { Authorization: MASKED_VALUE } });
  });
});

describe('sameJson', () => {
  it('compares arrays by order and objects by keys, ignoring undefined fields', () => {
    expect(sameJson([1, 2], [2, 1])).toBe(false);
    expect(sameJson({ a: 1, b: undefined }, { a: 1 })).toBe(true);
    expect(sameJson({ a: [1] }, { a: { 0: 1 } })).toBe(false);
    expect(sameJson(null, {})).toBe(false);
  });
});

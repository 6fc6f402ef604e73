import { describeField } from './field-text';

describe('describeField', () => {
  it('puts each definition field in words', () => {
    expect(describeField('schedule', { kind: 'interval', everySeconds: 3600 })).toBe('every 1 h');
    expect(describeField('schedule', { kind: 'cron', expression: '0 9 * * *', timezone: 'UTC' })).toContain(
      '· 0 9 * * *',
    );
    expect(
      describeField('action', {
        kind: 'http',
        method: 'POST',
        url: 'https://example.com/h',
        headers: { Authorization: '••••••' },
      }),
    ).toBe('POST https://example.com/h · Authorization: ••••••');
    expect(describeField('action', { kind: 'log', message: 'hi' })).toBe('Log “hi”');
    expect(describeField('timeoutMs', 5000)).toBe('5 s');
    expect(describeField('misfire', 'fire_once')).toBe('fire once');
    expect(describeField('description', null)).toBe('–');
    expect(describeField('name', 'report')).toBe('report');
    const labels = 'labels' as Parameters<typeof describeField>[0];
    expect(describeField(labels, { team: 'billing', env: 'prod' })).toBe('env:prod · team:billing');
    expect(describeField(labels, {})).toBe('none');
    expect(describeField('jitterMs', 3000)).toBe('up to 3 s');
    expect(describeField('jitterMs', 0)).toBe('none');
    expect(describeField('onFailure', { kind: 'http', url: 'https://a.example.com/' })).toBe(
      'POST https://a.example.com/',
    );
    expect(describeField('onFailure', null)).toBe('–');
  });
});

import {
  applyChanges,
  DEFAULT_RETRY_POLICY,
  isHttpUrl,
  sameDefinition,
  validateDefinition,
  withDefaults,
  type TaskDefinition,
  type TaskDefinitionInput,
} from './task';

const input: TaskDefinitionInput = {
  name: 'report',
  schedule: { kind: 'cron', expression: '0 9 * * MON', timezone: 'Europe/Berlin' },
  action: { kind: 'http', url: 'https://example.com/hook', method: 'POST', body: { a: [1, 2] } },
};

describe('withDefaults', () => {
  it('fills every policy with the documented defaults', () => {
    expect(withDefaults(input)).toEqual({
      ...input,
      retry: { maxAttempts: 3, backoffMs: 1000, backoffFactor: 2, maxBackoffMs: 300_000 },
      timeoutMs: 30_000,
      overlap: 'skip',
      misfire: 'fire_once',
    });
  });

  it('keeps what is given, and fills a partial retry policy field by field', () => {
    const definition = withDefaults({
      ...input,
      retry: { maxAttempts: 1 },
      timeoutMs: 5000,
      overlap: 'allow',
      misfire: 'skip',
    });
    expect(definition.retry).toEqual({ ...DEFAULT_RETRY_POLICY, maxAttempts: 1 });
    expect([definition.timeoutMs, definition.overlap, definition.misfire]).toEqual([5000, 'allow', 'skip']);
  });

  it('leaves no undefined description behind (a JSON round trip changes nothing)', () => {
    const definition = withDefaults({ ...input, description: undefined });
    expect('description' in definition).toBe(false);
    expect(JSON.parse(JSON.stringify(definition))).toEqual(definition);
  });
});

describe('sameDefinition', () => {
  const base = withDefaults(input);

  it('is deep equality, blind to key order and to undefined fields', () => {
    const reordered = Object.fromEntries(Object.entries(base).reverse()) as unknown as TaskDefinition;
    expect(sameDefinition(base, reordered)).toBe(true);
    expect(sameDefinition(base, { ...base, description: undefined })).toBe(true);
  });

  it('sees a difference at any depth', () => {
    expect(sameDefinition(base, { ...base, retry: { ...base.retry, backoffMs: 999 } })).toBe(false);
    expect(
      sameDefinition(base, {
        ...base,
        action: { ...input.action, body: { a: [1, 3] } } as TaskDefinition['action'],
      }),
    ).toBe(false);
    expect(
      sameDefinition(base, {
        ...base,
        action: { ...input.action, body: { a: [1] } } as TaskDefinition['action'],
      }),
    ).toBe(false);
    expect(sameDefinition(base, { ...base, description: 'x' })).toBe(false);
  });
});

describe('applyChanges', () => {
  it('replaces the given fields, merges a retry policy, and ignores undefined ones', () => {
    const base = withDefaults(input);
    const changed = applyChanges(base, {
      name: 'renamed',
      retry: { backoffMs: 10, maxAttempts: undefined },
      timeoutMs: undefined,
    });
    expect(changed).toEqual({ ...base, name: 'renamed', retry: { ...base.retry, backoffMs: 10 } });
  });
});

describe('validateDefinition', () => {
  const valid = withDefaults(input);

  it('accepts a sound definition', () => {
    expect(validateDefinition(valid)).toBeNull();
    expect(validateDefinition(withDefaults({ ...input, action: { kind: 'log', message: '' } }))).toBeNull();
  });

  it.each<[string, TaskDefinition]>([
    ['name', { ...valid, name: '  ' }],
    ['schedule', { ...valid, schedule: { kind: 'interval', everySeconds: 0 } }],
    ['action.url', { ...valid, action: { kind: 'http', url: 'ftp://example.com', method: 'GET' } }],
    ['action.url', { ...valid, action: { kind: 'http', url: '/relative', method: 'GET' } }],
    ['action.method', { ...valid, action: { kind: 'http', url: 'https://x.io', method: 'TRACE' as 'GET' } }],
    ['retry.maxAttempts', { ...valid, retry: { ...valid.retry, maxAttempts: 0 } }],
    ['retry.backoffMs', { ...valid, retry: { ...valid.retry, backoffMs: -1 } }],
    ['retry.backoffFactor', { ...valid, retry: { ...valid.retry, backoffFactor: 0.5 } }],
    ['retry.maxBackoffMs', { ...valid, retry: { ...valid.retry, maxBackoffMs: 1.5 } }],
    ['timeoutMs', { ...valid, timeoutMs: 0 }],
  ])('names the failing field %s', (field, definition) => {
    const problem = validateDefinition(definition);
    expect(problem?.field).toBe(field);
    expect(problem?.reason.length).toBeGreaterThan(5);
  });
});

describe('isHttpUrl', () => {
  it.each([
    'http://127.0.0.1:9/hook',
    'HTTPS://Example.com',
    'http://[::1]:8080/x?y=1#z',
    'https://user:secret@host.example/path',
  ])('takes %s', (url) => expect(isHttpUrl(url)).toBe(true));

  it.each([
    'http:/hook',
    'ftp://example.com/file',
    'http://',
    'http://:80/',
    'http:// spaced.example',
    'http://exa mple.com',
    'https://host.example:99999/',
    '/relative/path',
    'example.com/hook',
  ])('refuses %s', (url) => expect(isHttpUrl(url)).toBe(false));
});

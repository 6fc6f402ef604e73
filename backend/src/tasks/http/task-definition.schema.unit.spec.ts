/**
 * The task definition's request schema, checked by Ajv: how each failure is worded, and that it never
 * accepts a definition the domain's own validation (which decide runs) refuses.
 */
import fc from 'fast-check';
import { TASK_LIMITS } from '../../../../contracts/limits';
import { compileCheck } from '../../api/request-schema';
import { validateDefinition, withDefaults } from '../domain/task';
import { BatchTask, TaskChanges, TaskDefinition } from './task-definition.schema';

const checkDefinition = compileCheck(TaskDefinition);
const checkChanges = compileCheck(TaskChanges);
const checkBatchTask = compileCheck(BatchTask);

const valid = {
  name: 'report',
  schedule: { kind: 'cron', expression: '0 */5 * * * *', timezone: 'Europe/Berlin' },
  action: { kind: 'http', url: 'https://example.com/hook' },
};

describe('the task definition schema', () => {
  it('accepts a minimal definition, unchanged (defaults are the domain’s)', () => {
    expect(checkDefinition(structuredClone(valid))).toEqual({ value: valid });
  });

  const cases: [string, object, { field: string; reason: string }[]][] = [
    ['nothing', {}, ['name', 'schedule', 'action'].map((field) => ({ field, reason: 'is required' }))],
    ['an unknown field', { ...valid, colour: 'red' }, [{ field: 'colour', reason: 'is not a known field' }]],
    ['an empty name', { ...valid, name: '' }, [{ field: 'name', reason: 'must not be empty' }]],
    [
      'a name over the limit',
      { ...valid, name: 'x'.repeat(TASK_LIMITS.name.maxLength + 1) },
      [{ field: 'name', reason: 'must be at most 200 characters' }],
    ],
    ['a name of the wrong type', { ...valid, name: 42 }, [{ field: 'name', reason: 'must be a string' }]],
    [
      'an unknown schedule kind',
      { ...valid, schedule: { kind: 'sometimes' } },
      [{ field: 'schedule.kind', reason: 'must be one of once, cron, interval' }],
    ],
    [
      'a schedule without a kind',
      { ...valid, schedule: { at: '2026-11-24T09:00:00Z' } },
      [{ field: 'schedule.kind', reason: 'must be one of once, cron, interval' }],
    ],
    [
      'an invalid cron expression, in the domain’s words',
      { ...valid, schedule: { ...valid.schedule, expression: '* * * *' } },
      [{ field: 'schedule.expression', reason: expect.stringContaining('field') as string }],
    ],
    [
      'an unknown time zone',
      { ...valid, schedule: { ...valid.schedule, timezone: 'Mars/Olympus' } },
      [{ field: 'schedule.timezone', reason: 'must be an IANA time zone name, e.g. Europe/Berlin or UTC' }],
    ],
    [
      'an end before the start',
      {
        ...valid,
        schedule: { ...valid.schedule, startAt: '2027-01-02T00:00:00Z', endAt: '2027-01-01T00:00:00Z' },
      },
      [{ field: 'schedule.endAt', reason: 'must not be before startAt' }],
    ],
    [
      'an instant without an offset',
      { ...valid, schedule: { kind: 'once', at: '2026-11-24T09:00:00' } },
      [
        {
          field: 'schedule.at',
          reason: 'must be an ISO 8601 instant with an offset, e.g. 2026-11-24T09:00:00Z',
        },
      ],
    ],
    [
      'a fractional interval over the limit',
      { ...valid, schedule: { kind: 'interval', everySeconds: 3_153_600_000.5 } },
      [
        { field: 'schedule.everySeconds', reason: 'must be a whole number' },
        { field: 'schedule.everySeconds', reason: 'must be at most 3153600000' },
      ],
    ],
    [
      'a URL with one slash',
      { ...valid, action: { kind: 'http', url: 'http:/hook' } },
      [{ field: 'action.url', reason: 'must be an absolute http or https URL' }],
    ],
    [
      'a bad header name and a non-string value',
      { ...valid, action: { ...valid.action, headers: { 'bad name': 'x', 'X-N': 1 } } },
      [
        { field: 'action.headers.bad name', reason: 'must be an HTTP header name' },
        { field: 'action.headers.X-N', reason: 'must be a string' },
      ],
    ],
    [
      'too many headers',
      {
        ...valid,
        action: {
          ...valid.action,
          headers: Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`X-${i}`, 'v'])),
        },
      },
      [{ field: 'action.headers', reason: 'must have at most 50 entries' }],
    ],
    [
      'an unknown method',
      { ...valid, action: { ...valid.action, method: 'BREW' } },
      [{ field: 'action.method', reason: 'must be one of GET, POST, PUT, PATCH, DELETE' }],
    ],
    [
      'retry out of bounds, and null for an absent field',
      { ...valid, retry: { maxAttempts: 0, backoffFactor: 11 }, description: null },
      [
        { field: 'description', reason: 'must be a string' },
        { field: 'retry.maxAttempts', reason: 'must be at least 1' },
        { field: 'retry.backoffFactor', reason: 'must be at most 10' },
      ],
    ],
  ];

  it.each(cases)('words %s', (_what, body, problems) => {
    const result = checkDefinition(body);
    expect(result.problems).toEqual(expect.arrayContaining(problems));
    expect(result.problems).toHaveLength(problems.length);
  });

  it('words a body that is not an object as the body', () => {
    expect(checkDefinition('x').problems).toEqual([{ field: 'body', reason: 'must be an object' }]);
  });

  it('takes any part of a definition as changes, but not none', () => {
    expect(checkChanges({ name: 'renamed' })).toEqual({ value: { name: 'renamed' } });
    expect(checkChanges({}).problems).toEqual([{ field: 'body', reason: 'must not be empty' }]);
  });

  it('takes a failure alert like an http action’s URL and headers, and null only as a change', () => {
    const onFailure = { kind: 'http', url: 'https://alerts.example.com/k', headers: { 'X-Team': 'ops' } };
    expect(checkDefinition({ ...valid, onFailure }).value).toEqual({ ...valid, onFailure });
    expect(checkDefinition({ ...valid, onFailure: { kind: 'http', url: 'nope' } }).problems).toEqual([
      { field: 'onFailure.url', reason: 'must be an absolute http or https URL' },
    ]);
    expect(
      checkDefinition({ ...valid, onFailure: { ...onFailure, headers: { 'bad name': 'x' } } }).problems,
    ).toEqual([{ field: 'onFailure.headers.bad name', reason: 'must be an HTTP header name' }]);
    expect(checkDefinition({ ...valid, onFailure: null }).problems).toEqual([
      { field: 'onFailure', reason: 'must be an object' },
    ]);
    expect(checkChanges({ onFailure: null })).toEqual({ value: { onFailure: null } });
    expect(checkChanges({ onFailure: { kind: 'http', url: 'ftp://x' } }).problems).toEqual([
      { field: 'onFailure.url', reason: 'must be an absolute http or https URL' },
    ]);
  });

  it('takes a batch item’s id only as a UUID', () => {
    expect(checkBatchTask({ ...valid, id: 'not-a-uuid' }).problems).toEqual([
      { field: 'id', reason: 'must be a UUID' },
    ]);
  });
});

describe('the schema and the domain agree', () => {
  const instant = fc.oneof(
    fc
      .integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2030, 0, 1) })
      .map((ms) => new Date(ms).toISOString()),
    fc.constantFrom('2026-11-24T09:00:00', '2026-02-30T09:00:00Z', 'tomorrow', '2026-11-24T09:00:00+02:00'),
  );
  const schedule = fc.oneof(
    fc.record({ kind: fc.constant('once'), at: instant }),
    fc.record(
      {
        kind: fc.constant('cron'),
        expression: fc.constantFrom('0 */5 * * * *', '* * * * *', '61 * * * *', '0 0 30 2 *', '', '* * * *'),
        timezone: fc.constantFrom('UTC', 'Europe/Berlin', 'Mars/Olympus', ''),
        startAt: instant,
        endAt: instant,
      },
      { requiredKeys: ['kind', 'expression', 'timezone'] },
    ),
    fc.record(
      {
        kind: fc.constant('interval'),
        everySeconds: fc.oneof(fc.integer({ min: -1, max: 3_153_600_001 }), fc.constant(1.5)),
        startAt: instant,
      },
      { requiredKeys: ['kind', 'everySeconds'] },
    ),
  );
  const action = fc.oneof(
    fc.record(
      {
        kind: fc.constant('http'),
        url: fc.constantFrom(
          'https://example.com/a',
          'http://127.0.0.1:9/x',
          'http:/hook',
          'ftp://x/y',
          '/hook',
        ),
        method: fc.constantFrom('GET', 'POST', 'BREW'),
        body: fc.jsonValue({ maxDepth: 2 }),
      },
      { requiredKeys: ['kind', 'url'] },
    ),
    fc.record({ kind: fc.constant('log'), message: fc.string({ maxLength: 5 }) }),
  );
  const number = fc.oneof(fc.integer({ min: -2, max: 200 }), fc.double({ min: -1, max: 20, noNaN: true }));
  const definition = fc.record(
    {
      name: fc.oneof(fc.string({ maxLength: 5 }), fc.constant('   ')),
      schedule,
      action,
      retry: fc.record(
        { maxAttempts: number, backoffMs: number, backoffFactor: number, maxBackoffMs: number },
        { requiredKeys: [] },
      ),
      timeoutMs: number,
    },
    { requiredKeys: ['name', 'schedule', 'action'] },
  );

  it('never accepts a definition that decide would refuse', () => {
    let accepted = 0;
    fc.assert(
      fc.property(definition, (body) => {
        const checked = checkDefinition(JSON.parse(JSON.stringify(body)));
        if (checked.problems) return;
        accepted++;
        const problem = validateDefinition(withDefaults(checked.value));
        // Only a blank name passes the schema (length ≥ 1) and not the domain (trimmed): decide words it.
        if (problem) expect(problem).toEqual({ field: 'name', reason: 'must not be empty' });
      }),
      { numRuns: 2000 },
    );
    expect(accepted).toBeGreaterThan(20); // the generator reaches valid definitions, not only refusals
  });

  it('answers every JSON value with the value or named problems, never a throw', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), (value) => {
        const checked = checkDefinition(value);
        if (checked.problems) {
          expect(checked.problems.length).toBeGreaterThan(0);
          for (const { field, reason } of checked.problems) expect(field && reason).toBeTruthy();
        }
      }),
    );
  });
});

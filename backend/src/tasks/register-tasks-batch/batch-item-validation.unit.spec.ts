/**
 * The batch route's fast path (readBatchItem) must accept exactly what the DTO path (class-transformer +
 * class-validator with BatchTaskDto, as for every other body) accepts, and hand on the same definition.
 * Items are generated near every rule's edge, and go through JSON as a request body does.
 */
import fc from 'fast-check';
import { readBatchItem, validateBatchItemWithDto } from './batch-item-validation';

const junk = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer({ min: -3, max: 3 }),
  fc.constant(1.5),
  fc.string({ maxLength: 3 }),
  fc.constant([]),
  fc.constant({}),
);
const guardedKey = fc.constantFrom('constructor', '__proto__', 'prototype');
/** Keys that name members of Object.prototype, which class-transformer skips in objects without a class. */
const objectMemberKey = fc.constantFrom('valueOf', 'toString', 'hasOwnProperty', 'isPrototypeOf');

/** Mostly a valid value, sometimes one at or past the edge of a rule: so that many items pass. */
function mostly<T, U>(valid: fc.Arbitrary<T>, invalid: fc.Arbitrary<U>): fc.Arbitrary<T | U> {
  return fc.oneof({ arbitrary: valid, weight: 14 }, { arbitrary: invalid, weight: 1 });
}

/** Adds, now and then, one more key (unknown, or one the prototype guard strips) to an object. */
function withExtraKey<T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T> {
  return fc
    .tuple(
      arb,
      fc.oneof(
        { arbitrary: fc.constant(null), weight: 24 },
        { arbitrary: fc.oneof(fc.constantFrom('extra', 'every', 'kind'), guardedKey), weight: 1 },
      ),
      junk,
    )
    .map(([value, key, extra]) => {
      if (key === null || typeof value !== 'object' || value === null || Array.isArray(value)) return value;
      return Object.defineProperty({ ...value }, key, { value: extra, enumerable: true, writable: true });
    });
}

/** Present or absent, half and half. */
const optional = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { freq: 2, nil: undefined });

const instant = mostly(
  fc
    .integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2030, 0, 1) })
    .chain((ms) =>
      fc.constantFrom(
        new Date(ms).toISOString(),
        new Date(ms).toISOString().replace('Z', '+02:00'),
        new Date(ms).toISOString().slice(0, 19) + 'Z',
      ),
    ),
  fc.oneof(
    fc.constantFrom(
      '2026-11-24T09:00:00.123456789Z',
      '2026-11-24T09:00:00',
      '2026-02-30T09:00:00Z',
      '2026-11-24T24:00:00Z',
      'tomorrow at nine',
    ),
    junk,
  ),
);

const schedule = withExtraKey(
  mostly(
    fc.oneof(
      fc.record({ kind: fc.constant('once'), at: instant }),
      fc.record(
        {
          kind: fc.constant('cron'),
          expression: mostly(
            fc.constantFrom('0 */5 * * * *', '* * * * *', '*/20 * * * *', '0 0 * * MON', '30 2 * * *'),
            fc.oneof(
              fc.constantFrom('61 * * * *', '* * * *', '0 0 30 2 *', '', `0 ${'0,'.repeat(99)}0 * * *`),
              junk,
            ),
          ),
          timezone: mostly(
            fc.constantFrom('UTC', 'Europe/Berlin', 'America/New_York'),
            fc.oneof(fc.constantFrom('Mars/Olympus', ''), junk),
          ),
          startAt: optional(instant),
          endAt: optional(instant),
        },
        { requiredKeys: ['kind', 'expression', 'timezone'] },
      ),
      fc.record(
        {
          kind: fc.constant('interval'),
          everySeconds: mostly(
            fc.integer({ min: 1, max: 3_153_600_000 }),
            fc.oneof(fc.constantFrom(0, -1, 1.5, 3_153_600_001, '30'), junk),
          ),
          startAt: optional(instant),
        },
        { requiredKeys: ['kind', 'everySeconds'] },
      ),
    ),
    fc.oneof(
      fc.record({ kind: fc.oneof(fc.constantFrom('sometimes', 'ONCE'), junk) }),
      fc.constant({ kind: 'once' }),
      junk,
    ),
  ),
);

const headers = mostly(
  fc.dictionary(fc.constantFrom('X-N', 'Authorization', 'x-a_b', 'If-Match'), fc.string({ maxLength: 4 }), {
    maxKeys: 3,
  }),
  fc.oneof(
    fc.dictionary(
      fc.oneof(fc.constantFrom('X-N', 'bad key', 'ü'), guardedKey, objectMemberKey),
      fc.oneof(fc.string({ maxLength: 4 }), fc.integer()),
      { minKeys: 1, maxKeys: 3 },
    ),
    fc.constant(Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`X-${i}`, 'v']))),
    fc.constant(Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`X-${i}`, 'v']))),
    junk,
  ),
);
const body = mostly(
  fc.jsonValue({ maxDepth: 3 }),
  fc.oneof(
    guardedKey.map((key) => JSON.parse(`{"a":{"${key}":1}}`) as unknown),
    guardedKey.map((key) => JSON.parse(`[{"${key}":{"b":2}}]`) as unknown),
    objectMemberKey.map((key) => JSON.parse(`{"a":[{"${key}":"x"}]}`) as unknown),
  ),
);
const action = withExtraKey(
  mostly(
    fc.oneof(
      fc.record(
        {
          kind: fc.constant('http'),
          url: mostly(
            fc.constantFrom(
              'https://example.com/hook',
              'http://127.0.0.1:9/hook',
              'http://my_host/x',
              'https://example.com:8443/a?b=c#d',
              `https://example.com/${'x'.repeat(2028)}`,
            ),
            fc.oneof(
              fc.constantFrom(
                'ftp://example.com/x',
                '/hook',
                'https://',
                `https://example.com/${'x'.repeat(2040)}`,
              ),
              junk,
            ),
          ),
          method: optional(
            mostly(
              fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', null),
              fc.constantFrom('post', 'BREW', 5),
            ),
          ),
          headers: optional(headers),
          body: optional(body),
        },
        { requiredKeys: ['kind', 'url'] },
      ),
      fc.record({
        kind: fc.constant('log'),
        message: mostly(fc.string({ maxLength: 5 }), fc.oneof(fc.constant('m'.repeat(4097)), junk)),
      }),
    ),
    fc.oneof(fc.record({ kind: fc.oneof(fc.constant('email'), junk) }), fc.constant({ kind: 'log' }), junk),
  ),
);

const integerIn = (min: number, max: number) =>
  mostly(
    fc.oneof(fc.integer({ min, max }), fc.constantFrom(min, max)),
    fc.oneof(fc.constantFrom(min - 1, max + 1, 1.5, `${min}`), junk),
  );
const retry = withExtraKey(
  mostly(
    fc.record(
      {
        maxAttempts: mostly(integerIn(1, 100), fc.constant(null)),
        backoffMs: mostly(integerIn(0, 86_400_000), fc.constant(null)),
        backoffFactor: mostly(
          fc.oneof(fc.double({ min: 1, max: 10, noNaN: true }), fc.constantFrom(1, 10)),
          fc.oneof(fc.constantFrom(0.5, 10.5, null), junk),
        ),
        maxBackoffMs: mostly(integerIn(0, 86_400_000), fc.constant(null)),
      },
      { requiredKeys: [] },
    ),
    junk,
  ),
);

const item = withExtraKey(
  fc.record(
    {
      id: mostly(
        fc.oneof(
          fc.uuid(),
          fc.uuid().map((id) => id.toUpperCase()),
          fc.constant(null),
        ),
        fc.oneof(fc.constantFrom('not-a-uuid', '00000000-0000-0000-0000-00000000000g'), junk),
      ),
      name: mostly(
        fc.oneof(
          fc.string({ minLength: 1, maxLength: 8 }),
          fc.constantFrom('x'.repeat(200), '😀'.repeat(200), '   '),
        ),
        fc.oneof(fc.constantFrom('', 'x'.repeat(201), '😀'.repeat(201)), junk),
      ),
      description: mostly(
        fc.oneof(fc.string({ maxLength: 4 }), fc.constant(null)),
        fc.oneof(fc.constant('d'.repeat(2001)), junk),
      ),
      schedule,
      action,
      retry,
      timeoutMs: mostly(integerIn(1, 3_600_000), fc.constant(null)),
      overlap: mostly(fc.constantFrom('skip', 'allow', null), fc.oneof(fc.constant('never'), junk)),
      misfire: mostly(
        fc.constantFrom('fire_once', 'skip', 'fire_all', null),
        fc.oneof(fc.constant('sometimes'), junk),
      ),
    },
    { requiredKeys: ['name', 'schedule', 'action'] },
  ),
);

const validBase = {
  name: 'n',
  schedule: { kind: 'interval', everySeconds: 30 },
  action: { kind: 'log', message: 'm' },
};

/** Items with a required field left out, and values that are not objects. */
const incomplete = fc.oneof(
  fc.record(
    {
      name: fc.constant(validBase.name),
      schedule: fc.constant(validBase.schedule),
      action: fc.constant(validBase.action),
    },
    { requiredKeys: [] },
  ),
  junk,
);

/** As a request body delivers it: parsed from JSON text (so `__proto__` is an own key, as there). */
const asParsedJson = (value: unknown): unknown => JSON.parse(JSON.stringify(value)) as unknown;

/** JSON with sorted keys: equal definitions give equal text whatever their key order. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

/** A key that the DTO path strips or skips somewhere: the only reason the fast path may decline a valid item. */
function hasDroppedKey(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  return Object.entries(value).some(
    ([key, v]) =>
      key === 'prototype' || Object.prototype.hasOwnProperty.call(Object.prototype, key) || hasDroppedKey(v),
  );
}

/** Runs both paths on (copies of) one item and checks they agree; says which accepted it. */
function compare(raw: unknown): 'fast' | 'dtoOnly' | 'neither' {
  const text = JSON.stringify(raw);
  const fast = readBatchItem(JSON.parse(text));
  const viaDto = validateBatchItemWithDto(JSON.parse(text));
  if (fast) {
    // Accepted by the fast path: the DTO path accepts it too, with the same id and definition.
    expect(viaDto.problems).toBeUndefined();
    expect(canonical(fast)).toBe(canonical(viaDto.item));
    return 'fast';
  }
  if (viaDto.item) {
    // Left to the DTO path although valid: only what the fast path declines on purpose.
    expect(hasDroppedKey(JSON.parse(text))).toBe(true);
    return 'dtoOnly';
  }
  return 'neither';
}

describe('batch item validation: the fast path and the DTO path agree', () => {
  it('on generated items near every rule', () => {
    const seen = { fast: 0, dtoOnly: 0, neither: 0 };
    fc.assert(
      fc.property(item.map(asParsedJson), (raw) => {
        seen[compare(raw)]++;
      }),
      { numRuns: 6000 },
    );
    // The generators reach both sides of the rules, or the agreement above would prove little.
    expect(seen.fast).toBeGreaterThan(1000);
    expect(seen.neither).toBeGreaterThan(1000);
    expect(seen.dtoOnly).toBeGreaterThan(10);
  });

  it('on items with a required field missing, and on values that are not objects', () => {
    fc.assert(
      fc.property(incomplete.map(asParsedJson), (raw) => {
        compare(raw);
      }),
      { numRuns: 300 },
    );
  });

  it('takes the common shapes on the fast path, with the definition the DTO path gives', () => {
    const items = [
      { ...validBase, id: 'C9A0A3CC-2F55-4D37-9D3B-0C2C3F6F0E01', description: null, retry: {} },
      {
        name: 'cron',
        schedule: { kind: 'cron', expression: '0 */5 * * * *', timezone: 'Europe/Berlin', startAt: null },
        action: { kind: 'http', url: 'http://127.0.0.1:9/hook', body: { n: 1, list: [1, 'a', null] } },
        retry: { maxAttempts: 5, backoffFactor: 1.5 },
        timeoutMs: 1000,
        overlap: 'allow',
        misfire: 'fire_all',
      },
      {
        name: 'once',
        schedule: { kind: 'once', at: '2026-11-24T09:00:00+01:00' },
        action: { kind: 'http', url: 'https://example.com', method: null, headers: { 'X-A': 'b' } },
      },
    ];
    for (const raw of items) expect(compare(asParsedJson(raw))).toBe('fast');
    expect(readBatchItem(asParsedJson(items[2]))?.definition.action).toEqual({
      kind: 'http',
      url: 'https://example.com',
      method: 'POST',
      headers: { 'X-A': 'b' },
    });
  });

  it('leaves to the DTO path what the prototype guard changes, and non-finite numbers', () => {
    const withConstructor = JSON.parse(
      '{"name":"n","constructor":1,"schedule":{"kind":"interval","everySeconds":30},"action":{"kind":"log","message":"m"}}',
    ) as unknown;
    expect(readBatchItem(withConstructor)).toBeUndefined();
    expect(validateBatchItemWithDto(withConstructor).item?.definition).toEqual(validBase);
    const hugeNumber = JSON.parse(
      '{"name":"n","schedule":{"kind":"interval","everySeconds":30},"action":{"kind":"http","url":"https://e.com","body":{"x":1e400}}}',
    ) as unknown;
    expect(readBatchItem(hugeNumber)).toBeUndefined();
    expect(validateBatchItemWithDto(hugeNumber).item?.definition.action).toEqual({
      kind: 'http',
      url: 'https://e.com',
      method: 'POST',
      body: { x: null },
    });
  });
});

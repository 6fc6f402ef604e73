import { isTransientStoreError } from './transient-error';
import { WrongExpectedRevisionError } from './event-store';

const withCode = (code: string, message = 'failed'): Error => Object.assign(new Error(message), { code });
const named = (name: string): Error => Object.assign(new Error('failed'), { name });

describe('isTransientStoreError', () => {
  it.each([
    ['a PostgreSQL shutdown (57P01)', withCode('57P01')],
    ['the database starting up (57P03)', withCode('57P03')],
    ['a connection failure (08006)', withCode('08006')],
    ['a full disk (53100)', withCode('53100')],
    ['too many connections (53300)', withCode('53300')],
    ['a refused socket', withCode('ECONNREFUSED')],
    ['a reset socket', withCode('ECONNRESET')],
    ['a connection lost mid-query', new Error('Connection terminated unexpectedly')],
    ['no connection within the pool timeout', new Error('timeout exceeded when trying to connect')],
    ['EventStoreDB unreachable', named('UnavailableError')],
  ])('retries %s', (_, error) => {
    expect(isTransientStoreError(error)).toBe(true);
  });

  it.each([
    ['a wrong expected revision', new WrongExpectedRevisionError('task-1', 3, 4)],
    ['invalid JSON (22P02)', withCode('22P02')],
    ['a constraint violation (23505)', withCode('23505')],
    ['a syntax error (42601)', withCode('42601')],
    ['a bug', new TypeError('cannot read properties of undefined')],
    ['something that is not an Error', 'ECONNREFUSED'],
  ])('gives up on %s', (_, error) => {
    expect(isTransientStoreError(error)).toBe(false);
  });
});

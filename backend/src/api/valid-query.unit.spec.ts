/**
 * Query strings checked against their schemas: text read as the schema's types, lists split, unknown
 * parameters refused, and every failure worded as the bodies' are (request-schema.ts).
 */
import { type TObject, Type } from '@sinclair/typebox';
import { TASK_EVENT_TYPES } from '../tasks/domain/task.events';
import { TaskDiffQueryParams } from '../tasks/task-history/task-as-of.query-schema';
import { TaskEventsQueryParams } from '../tasks/task-history/task-events.query-schema';
import { ListOccurrencesQueryParams } from '../task-queries/list-occurrences/list-occurrences.query-schema';
import { ListTasksQueryParams } from '../task-queries/list-tasks/list-tasks.query-schema';
import { ProblemException } from './problem';
import { compileQueryParser } from './valid-query';

/** The failing fields of a query, or the parsed query. */
function check(schema: TObject, query: Record<string, unknown>): unknown {
  try {
    return { value: compileQueryParser(schema)(query) };
  } catch (error) {
    if (!(error instanceof ProblemException)) throw error;
    return { status: error.status, errors: error.toProblem().errors };
  }
}

const refused = (...errors: { field: string; reason: string }[]) => ({ status: 400, errors });

describe('a query string checked against its schema', () => {
  it('reads numbers from text, and leaves out what was not given (defaults are the handler’s)', () => {
    expect(check(TaskEventsQueryParams, { limit: '50', minPosition: '0', order: 'asc' })).toEqual({
      value: { limit: 50, minPosition: 0, order: 'asc' },
    });
    expect(check(TaskDiffQueryParams, { from: '0', to: '12' })).toEqual({ value: { from: 0, to: 12 } });
  });

  it('reads true and false as booleans', () => {
    const Flags = Type.Object({ all: Type.Optional(Type.Boolean()) }, { additionalProperties: false });
    expect(check(Flags, { all: 'true' })).toEqual({ value: { all: true } });
    expect(check(Flags, { all: 'false' })).toEqual({ value: { all: false } });
    expect(check(Flags, { all: 'yes' })).toEqual(refused({ field: 'all', reason: 'must be true or false' }));
  });

  it('leaves the query it was given as it was', () => {
    const query = { limit: '5', type: 'TaskPaused,TaskResumed' };
    check(TaskEventsQueryParams, query);
    expect(query).toEqual({ limit: '5', type: 'TaskPaused,TaskResumed' });
  });

  const cases: [string, TObject, Record<string, unknown>, { field: string; reason: string }[]][] = [
    ['a limit that is no number', ListTasksQueryParams, { limit: 'abc' }, [wholeNumber('limit')]],
    ['an empty limit', ListTasksQueryParams, { limit: '' }, [wholeNumber('limit')]],
    ['a fractional limit', ListTasksQueryParams, { limit: '1.5' }, [wholeNumber('limit')]],
    ['a repeated limit', ListTasksQueryParams, { limit: ['1', '2'] }, [wholeNumber('limit')]],
    [
      'a limit of 0',
      ListTasksQueryParams,
      { limit: '0' },
      [{ field: 'limit', reason: 'must be at least 1' }],
    ],
    [
      'a limit over the page size',
      ListTasksQueryParams,
      { limit: '201' },
      [{ field: 'limit', reason: 'must be at most 200' }],
    ],
    [
      'a negative minPosition',
      ListTasksQueryParams,
      { minPosition: '-1' },
      [{ field: 'minPosition', reason: 'must be at least 0' }],
    ],
    [
      'an unknown status',
      ListTasksQueryParams,
      { status: 'sleeping' },
      [{ field: 'status', reason: 'must be one of active, paused, completed, deleted' }],
    ],
    ['an empty search', ListTasksQueryParams, { q: '' }, [{ field: 'q', reason: 'must not be empty' }]],
    [
      'an unknown parameter',
      ListTasksQueryParams,
      { page: '2' },
      [{ field: 'page', reason: 'is not a known field' }],
    ],
    [
      'a parameter named like a prototype',
      ListTasksQueryParams,
      JSON.parse('{"__proto__": "x"}') as Record<string, unknown>,
      [{ field: '__proto__', reason: 'is not a known field' }],
    ],
    [
      'an instant that is not one',
      ListOccurrencesQueryParams,
      { from: 'yesterday' },
      [{ field: 'from', reason: 'must be an ISO 8601 instant with an offset, e.g. 2026-11-24T09:00:00Z' }],
    ],
    [
      'an instant without an offset',
      ListOccurrencesQueryParams,
      { to: '2026-11-24T09:00:00' },
      [{ field: 'to', reason: 'must be an ISO 8601 instant with an offset, e.g. 2026-11-24T09:00:00Z' }],
    ],
    [
      'a missing required parameter, and a bad one',
      TaskDiffQueryParams,
      { to: '-1' },
      [
        { field: 'from', reason: 'is required' },
        { field: 'to', reason: 'must be at least 0' },
      ],
    ],
    [
      'unknown items of a list, named together once',
      TaskEventsQueryParams,
      { type: ['TaskRegistered,TaskExploded', 'TaskImploded', 'TaskExploded'] },
      [
        {
          field: 'type',
          reason: `has unknown event types (TaskExploded, TaskImploded); known: ${TASK_EVENT_TYPES.join(', ')}`,
        },
      ],
    ],
    [
      'an empty list item',
      TaskEventsQueryParams,
      { type: '' },
      [{ field: 'type', reason: `has unknown event types (); known: ${TASK_EVENT_TYPES.join(', ')}` }],
    ],
  ];

  it.each(cases)('refuses %s, naming the parameter', (_, schema, query, errors) => {
    expect(check(schema, query)).toEqual(refused(...errors));
  });

  it('takes a list comma-separated, repeated, or both', () => {
    expect(check(TaskEventsQueryParams, { type: 'TaskPaused' })).toEqual({ value: { type: ['TaskPaused'] } });
    expect(check(TaskEventsQueryParams, { type: ['TaskPaused, TaskResumed', 'TaskDeleted'] })).toEqual({
      value: { type: ['TaskPaused', 'TaskResumed', 'TaskDeleted'] },
    });
  });

  it('answers problem+json naming the first failing parameter', () => {
    const parse = compileQueryParser(ListTasksQueryParams);
    expect(() => parse({ sort: 'size', limit: 'ten' })).toThrow(ProblemException);
    try {
      parse({ sort: 'size', limit: 'ten' });
    } catch (error) {
      expect((error as ProblemException).toProblem()).toMatchObject({
        status: 400,
        code: 'validation_failed',
        field: 'limit',
        detail:
          'limit: must be a whole number; sort: must be one of nextDue, -nextDue, name, -name, registered, -registered',
      });
    }
  });

  it('will not check a query schema that lets unknown parameters through', () => {
    expect(() => compileQueryParser(Type.Object({ limit: Type.Optional(Type.Integer()) }))).toThrow(
      /additionalProperties: false/,
    );
  });
});

function wholeNumber(field: string) {
  return { field, reason: 'must be a whole number' };
}

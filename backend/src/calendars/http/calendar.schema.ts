import { Type } from '@sinclair/typebox';
import { ApiProperty } from '@nestjs/swagger';
import { CALENDAR_LIMITS as LIMITS } from '../../../../contracts/limits';
import { ApiSchemaProperty } from '../../api/openapi-schemas';
import { Instant } from '../../tasks/http/task-definition.schema';
import type { Exclusion as ExclusionValue } from '../domain/calendar-definition';

/**
 * The calendar body (POST /api/calendars, PATCH in part): the one statement of its shape and limits,
 * checked by Ajv (api/request-schema.ts) and shown in the OpenAPI document. The formats are the
 * domain's rules (a real date, a valid cron, a known zone), so the edge and decide agree.
 */
const closed = (title: string) => ({ title, additionalProperties: false });

/** A variant of the exclusion: these fields, none of the others (typed as such in the contract). */
const exactly = (fields: string[], others: string[]) => ({
  type: 'object',
  required: fields,
  properties: Object.fromEntries(fields.map((field) => [field, { type: 'string' }])),
  not: { anyOf: others.map((other) => ({ required: [other] })) },
});

/**
 * One excluded period: exactly one of `{ date }`, `{ from, to }` or `{ cron }`. Written as one object
 * with a `oneOf` of required fields (not a union of three objects), so a bad value is worded by its own
 * field (`exclude[0].date: must be a real date`) instead of by every variant it is not.
 */
export const Exclusion = Type.Unsafe<ExclusionValue>({
  title: 'CalendarExclusion',
  type: 'object',
  additionalProperties: false,
  properties: {
    date: Type.String({
      format: 'calendar-date',
      description: "a whole day in the calendar's zone",
      example: '2026-12-25',
    }),
    from: Instant({ description: 'the first excluded instant' }),
    to: Instant({ description: 'the first instant no longer excluded', 'x-not-before': 'from' }),
    cron: Type.String({
      format: 'cron',
      maxLength: LIMITS.cronExpression.maxLength,
      description:
        "matching minutes (5 fields) or seconds (6 fields) in the calendar's zone are excluded, e.g. weekends",
      example: '* * * * 0,6',
    }),
  },
  oneOf: [
    exactly(['date'], ['from', 'to', 'cron']),
    exactly(['from', 'to'], ['date', 'cron']),
    exactly(['cron'], ['date', 'from', 'to']),
  ],
  example: { date: '2026-12-25' },
});

export const Exclusions = Type.Array(Exclusion, { title: 'CalendarExclusions', ...LIMITS.exclusions });

const calendarFields = {
  name: Type.String({ minLength: 1, ...LIMITS.name, example: 'public holidays' }),
  timezone: Type.String({
    format: 'time-zone',
    ...LIMITS.timezone,
    description: 'an IANA time zone',
    example: 'Europe/Berlin',
  }),
  exclude: Exclusions,
};

export const CalendarDefinition = Type.Object(calendarFields, closed('CalendarDefinition'));

/** PATCH: any of the fields; a given `exclude` replaces the whole list. */
export const CalendarChanges = Type.Partial(CalendarDefinition, {
  ...closed('CalendarChanges'),
  minProperties: 1,
});

/** A calendar as the API shows it. */
export class CalendarView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty() timezone!: string;
  @ApiSchemaProperty(Exclusions) exclude!: (
    { date: string } | { from: string; to: string } | { cron: string }
  )[];
  @ApiProperty({ description: "the calendar stream's revision; send it as If-Match" }) revision!: number;
  @ApiProperty({ enum: ['active', 'deleted'] }) status!: 'active' | 'deleted';
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}

export class CalendarList {
  @ApiProperty({ type: [CalendarView] }) items!: CalendarView[];
}
